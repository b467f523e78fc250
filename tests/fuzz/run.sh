#!/bin/sh
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz and runs each for SECONDS (default 60),
# seeded from the fixtures, the sample tree and tests/data/logs. Prints one line per target with its
# executions and ends with "fuzz: N targets, N crashed"; exits 1 if any crashed (the input is kept in
# tests/.cache/fuzz/artifacts/). Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
cd "$(dirname "$0")/../.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-load filter jsonfmt split source scan textsafe sql path sigma_rule sigma_cond s3xml quote index}
command -v clang >/dev/null || { echo "fuzz: clang is not installed"; exit 1; }
if [ ! -d build-fuzz ]; then
    CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
fi
ninja -C build-fuzz >build-fuzz/ninja.log 2>&1 || {
    echo "fuzz: the fuzz build failed (clang): build-fuzz/ninja.log"
    grep -m5 'error' build-fuzz/ninja.log
    exit 1
}
work=tests/.cache/fuzz
sh tests/fuzz/seeds.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
crashed=0
n=0
for t in $targets; do
    n=$((n + 1))
    seeds=$work/seeds/files
    { [ "$t" = filter ] || [ "$t" = sql ] || [ "$t" = quote ]; } && seeds=$work/seeds/filter
    [ "$t" = sigma_rule ] && seeds=$work/seeds/sigma_rule
    [ "$t" = sigma_cond ] && seeds=$work/seeds/sigma_cond
    [ "$t" = s3xml ] && seeds=$work/seeds/s3xml
    [ "$t" = index ] && seeds=$work/seeds/index
    mkdir -p "$work/corpus/$t"
    log=$work/$t.log
    max_len=65536
    [ "$t" = textsafe ] && max_len=256 # per-character code: short inputs reach all of it, far faster
    dict=
    { [ "$t" = filter ] || [ "$t" = sql ]; } && dict=-dict=tests/fuzz/filter.dict # regex terms' syntax too
    build-fuzz/tests/fuzz_$t -max_total_time="$seconds" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" $dict "$work/corpus/$t" "$seeds" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ $rc -ne 0 ]; then
        crashed=$((crashed + 1))
        echo "fuzz_$t: CRASHED after ${execs:-?} executions (log: $log)"
        grep -m3 -E "ERROR|runtime error|SUMMARY" "$log" | sed 's/^/    /'
    else
        echo "fuzz_$t: ${execs:-?} executions in ${seconds} s, no crash"
    fi
done
echo "fuzz: $n targets, $crashed crashed"
[ "$crashed" -eq 0 ]
