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
trap 'rm -f "$list" "$list.time"' EXIT
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

python3 - "$events" "$nfiles" "$bytes" "$zcat_s" "$wall" "$cpu" "$rss_kb" "$ev" <<'PY' | tee tests/bench/results.txt
import sys
n, files, size, zcat, wall, cpu, rss_kb, ev = sys.argv[1:]
files, size, zcat, wall, cpu, rss, ev = int(files), int(size), float(zcat), float(wall), float(cpu), int(rss_kb) * 1024, int(ev)
per_event = (rss - 64 * 2**20) / ev
print(f"corpus: {ev} events loaded, {files} .json.gz files, {size / 1e9:.2f} GB of JSON")
print(f"{'measure':34} {'figure':>14}   target")
print(f"{'zcat over the same files (wall)':34} {zcat:>12.2f} s")
print(f"{'ctview --stats load+index (wall)':34} {wall:>12.2f} s   <= zcat ({wall / zcat:.2f}x zcat)")
print(f"{'ctview CPU (user+sys)':34} {cpu:>12.2f} s")
print(f"{'ctview peak RSS':34} {rss / 2**20:>10.0f} MiB")
print(f"{'  bytes per event beyond 64 MiB':34} {per_event:>12.0f} B   <= 300 B")
print("not yet measured here: re-filter, first screen, trace, jq comparison (need issues 3, 4, 6)")
PY
