#!/bin/sh
# The long local fuzzing run (CI's is tests/fuzz/run.sh, a minute per target): each target for EXECUTIONS
# executions (default 10 million) in a UBSan-only build (build-fuzz-fast/, about twice as fast as ASan),
# growing the corpora kept in tests/.cache/fuzz/corpus; then every input of the target's corpus is
# replayed in the ASan+UBSan build (build-fuzz/), so a memory error the fast build cannot see is still
# caught on every input that reached new code. Prints one line per target and ends with
# "fuzz long: N targets, N crashed"; exits 1 if any crashed. Inputs up to MAX_LEN bytes (default 4096,
# textsafe 256); JOBS targets at a time (default: the number of cores). Run it on an otherwise idle
# machine.
# Usage: tests/fuzz/long.sh [EXECUTIONS] [TARGET...]
cd "$(dirname "$0")/../.."
work=tests/.cache/fuzz
max_len=${MAX_LEN:-4096}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

if [ "$1" = --one ]; then # one target: the long run, then the replay; prints its line
    runs=$2 t=$3
    seeds=$work/seeds/files
    { [ "$t" = filter ] || [ "$t" = sql ]; } && seeds=$work/seeds/filter
    [ "$t" = sigma_rule ] && seeds=$work/seeds/sigma_rule
    [ "$t" = sigma_cond ] && seeds=$work/seeds/sigma_cond
    [ "$t" = index ] && seeds=$work/seeds/index
    # escaping reads one character at a time: short inputs reach all of it, 10x faster
    [ "$t" = textsafe ] && max_len=${MAX_LEN:-256}
    dict=
    { [ "$t" = filter ] || [ "$t" = sql ]; } && dict=-dict=tests/fuzz/filter.dict
    mkdir -p "$work/corpus/$t"
    log=$work/long-$t.log
    start=$(date +%s)
    build-fuzz-fast/tests/fuzz_$t -runs="$runs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/long-$t-" $dict "$work/corpus/$t" "$seeds" \
        >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    build-fuzz/tests/fuzz_$t -runs=0 -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/artifacts/replay-$t-" "$work/corpus/$t" >"$work/replay-$t.log" 2>&1
    rrc=$?
    inputs=$(find "$work/corpus/$t" -type f | wc -l)
    if [ $rc -ne 0 ] || [ $rrc -ne 0 ]; then
        echo "fuzz_$t: CRASHED (run exit $rc after ${execs:-?} executions, replay exit $rrc;" \
            "logs: $log $work/replay-$t.log)"
    else
        echo "fuzz_$t: ${execs:-?} executions in $secs s, no crash; its $inputs corpus inputs replayed" \
            "under ASan+UBSan, no error"
    fi
    exit 0
fi

runs=${1:-10000000}
[ $# -gt 0 ] && shift
targets=${*:-jsonfmt filter load split scan source textsafe sql path sigma_rule sigma_cond index}
command -v clang >/dev/null || { echo "fuzz long: clang is not installed"; exit 1; }
[ -d build-fuzz ] ||
    CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
[ -d build-fuzz-fast ] ||
    CC=clang meson setup build-fuzz-fast -Dfuzz=true -Db_sanitize=undefined -Db_lundef=false >/dev/null
ninja -C build-fuzz >/dev/null && ninja -C build-fuzz-fast >/dev/null || exit 1
sh tests/fuzz/seeds.sh
# the slowest targets first, so the cores finish together
out=$(printf '%s\n' $targets | xargs -P "${JOBS:-$(nproc)}" -I{} sh "$0" --one "$runs" {})
printf '%s\n' "$out"
n=$(printf '%s\n' "$out" | grep -c '^fuzz_')
crashed=$(printf '%s\n' "$out" | grep -c CRASHED)
echo "fuzz long: $n targets, $crashed crashed"
[ "$crashed" -eq 0 ]
