#!/bin/sh
# Benchmark on the generator's 1M-event corpus in S3 layout (made once, cached in tests/.cache/).
# Run by hand, not in CI: prints each figure beside its DESIGN §8 target and the ratio to zcat measured
# in the same run, and writes them to tests/bench/results.txt.
# Usage: tests/bench/run.sh [EVENTS]   (default 1000000)
set -e
cd "$(dirname "$0")/../.."
events=${1:-1000000}
corpus=tests/.cache/corpus-$events
[ -d build-release ] || meson setup build-release --buildtype=release >/dev/null
ninja -C build-release >/dev/null
if [ ! -f "$corpus/truth.json" ]; then
    echo "bench: generating $events events in $corpus (once)"
    python3 tests/gen_corpus.py --events "$events" --out "$corpus" --bad 5
fi
logs=$corpus/logs
list=$(mktemp)
trap 'rm -f "$list" "$list.time" "$list.bytes" "$list.stats" "$list.filter" "$list.bad" "$list.good" "$list.day"' EXIT
find "$logs" -name '*.json.gz' -not -path '*CloudTrail-Digest*' | sort >"$list"
nfiles=$(wc -l <"$list")
# warm the page cache so both sides read from memory
xargs cat <"$list" >/dev/null

t0=$(date +%s.%N)
xargs zcat <"$list" | wc -c >"$list.bytes"
t1=$(date +%s.%N)
zcat_s=$(python3 -c "print($t1 - $t0)")
bytes=$(cat "$list.bytes")

/usr/bin/time -v build-release/ctview --stats --json "$logs" >"$list.stats" 2>"$list.time"
wall=$(grep "Elapsed (wall clock)" "$list.time" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
rss_kb=$(grep "Maximum resident set size" "$list.time" | awk '{print $NF}')
cpu=$(grep -E "User time|System time" "$list.time" | awk '{s += $NF} END {print s}')
ev=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$list.stats")

# re-filter: compile + one run over the loaded store, best of five (tests/bench/filter_bench.c)
build-release/tests/filter_bench "$logs" 'name:AssumeRole*' 'src:sts' 'region:eu-* ro:false' 'error:*' \
    'user:alice' 'key:ASIA*' 'ip:203.0.0.0/8' 'id:b8ea604c-6c0f-44c8-a451-fd7ed6f7421a' \
    'mallory' 'ASIATXOPFM2K5FW7SUAX' 'name:CreateAccessKey mallory' >"$list.filter"

# a one-day range: folders and files named outside it are not opened
t0=$(date +%s.%N)
build-release/ctview --stats --json --since 2024-03-05 --until 2024-03-05 "$logs" >"$list.day"
t1=$(date +%s.%N)
day_s=$(python3 -c "print($t1 - $t0)")

# the same question asked of jq: AssumeRole* calls, counted. jq stops at the first malformed record, so
# it reads the files ctview reported no problem in (the corpus damages a few records on purpose).
build-release/ctview --stats "$logs" | sed -n 's/^problem: \([^ ]*\) byte .*/\1/p' | sort -u >"$list.bad"
grep -vxF -f "$list.bad" "$list" >"$list.good" || true
t0=$(date +%s.%N)
jq_n=$(xargs zcat <"$list.good" | jq -c '.Records[] | select(.eventName // "" | test("^assumerole"; "i"))' | wc -l)
t1=$(date +%s.%N)
jq_s=$(python3 -c "print($t1 - $t0)")
t0=$(date +%s.%N)
ct_n=$(build-release/ctview --list -f 'name:AssumeRole*' "$logs" | wc -l)
t1=$(date +%s.%N)
ct_s=$(python3 -c "print($t1 - $t0)")

python3 - "$events" "$nfiles" "$bytes" "$zcat_s" "$wall" "$cpu" "$rss_kb" "$ev" "$list.filter" \
    "$jq_s" "$jq_n" "$ct_s" "$ct_n" "$day_s" "$list.day" <<'PY' | tee tests/bench/results.txt
import sys
n, files, size, zcat, wall, cpu, rss_kb, ev, filt, jq_s, jq_n, ct_s, ct_n, day_s, day_f = sys.argv[1:]
files, size, zcat, wall, cpu, rss, ev = int(files), int(size), float(zcat), float(wall), float(cpu), int(rss_kb) * 1024, int(ev)
per_event = (rss - 64 * 2**20) / ev
print(f"corpus: {ev} events loaded, {files} .json.gz files, {size / 1e9:.2f} GB of JSON")
print(f"{'measure':44} {'figure':>14}   target")
print(f"{'zcat over the same files (wall)':44} {zcat:>12.2f} s")
print(f"{'ctview --stats load+index (wall)':44} {wall:>12.2f} s   <= zcat ({wall / zcat:.2f}x zcat)")
print(f"{'ctview CPU (user+sys)':44} {cpu:>12.2f} s")
print(f"{'ctview peak RSS':44} {rss / 2**20:>10.0f} MiB")
print(f"{'  bytes per event beyond 64 MiB':44} {per_event:>12.0f} B   <= 300 B")
for line in open(filt):
    expr, shown, *ms = line.rstrip("\n").split("\t")
    if expr == "events":
        continue
    if expr.startswith("overview-"):
        what = "histogram (" + shown + " buckets)" if expr.endswith("histogram") else "top values of 6 fields"
        print(f"{'overview of all events: ' + what:44} {float(ms[0]):>11.1f} ms")
        continue
    if expr == "trace-index":
        print(f"{'trace index build (once, first trace)':44} {float(ms[0]):>11.1f} ms")
        continue
    if expr == "trace-mean":
        print(f"{'trace of one event, mean (' + shown + ' hops in all)':44} {float(ms[0]):>11.3f} ms   <= 1 ms")
        continue
    if expr == "trace-max":
        print(f"{'trace of one event, worst of ' + shown:44} {float(ms[0]):>11.3f} ms   <= 1 ms")
        continue
    ms = float(ms[0])
    words = [t for t in expr.split() if ":" not in t]
    target = "<= 300 ms (free text)" if words else "<= 30 ms (field terms)"
    label = f"re-filter {expr[:26]} ({int(shown)} shown)"
    print(f"{label:44} {ms:>11.1f} ms   {target}")
jq_s, ct_s = float(jq_s), float(ct_s)
print(f"{'zcat | jq select(eventName ~ AssumeRole*)':44} {jq_s:>12.2f} s   ({jq_n.strip()}: every regional copy; damaged files skipped)")
print(f"{'ctview --list -f name:AssumeRole*':44} {ct_s:>12.2f} s   >= 10x faster than jq ({jq_s / ct_s:.1f}x, {ct_n.strip()} events)")
import json
day = json.load(open(day_f))
print(f"{'--since/--until one day (' + str(day['files']) + ' files read, ' + str(day['pruned']) + ' pruned)':44} {float(day_s):>12.2f} s   ({wall / float(day_s):.1f}x faster than the full load, {day['shown']} events)")
print("not yet measured here: first screen (issue 6)")
PY
