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
links=$(mktemp -d)
trap 'rm -rf "$list" "$list".* "$links"; tmux -L ctview-bench kill-server 2>/dev/null' EXIT
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
# the same load on one worker thread: what the threads bring
t0=$(date +%s.%N)
CTVIEW_THREADS=1 build-release/ctview --stats --json "$logs" >/dev/null
t1=$(date +%s.%N)
one_s=$(python3 -c "print($t1 - $t0)")
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

# the same question asked of jq: AssumeRole* calls. jq stops at the first malformed record, so both read
# the files ctview reported no problem in (linked into one folder), and jq's answer is deduplicated by
# eventID + recipient account as ctview's is (global events are delivered to every regional trail).
build-release/ctview --stats "$logs" | sed -n 's/^problem: \([^ ]*\) byte .*/\1/p' | sort -u >"$list.bad"
grep -vxF -f "$list.bad" "$list" >"$list.good" || true
i=0
while read -r f; do
    i=$((i + 1))
    ln -s "$(realpath "$f")" "$links/$i.json.gz"
done <"$list.good"
t0=$(date +%s.%N)
jq_n=$(find "$links" -name '*.json.gz' | xargs zcat |
    jq -r '.Records[] | select(.eventName // "" | test("^assumerole"; "i")) | "\(.eventID) \(.recipientAccountId)"' |
    sort -u | wc -l)
t1=$(date +%s.%N)
jq_s=$(python3 -c "print($t1 - $t0)")
t0=$(date +%s.%N)
ct_n=$(build-release/ctview --list -f 'name:AssumeRole*' "$links" | wc -l)
t1=$(date +%s.%N)
ct_s=$(python3 -c "print($t1 - $t0)")

# first screen: the TUI on the whole tree in tmux, the screen read every 5 ms until it shows something;
# then until the load is done
tmux -L ctview-bench kill-server 2>/dev/null || true
t0=$(date +%s.%N)
tmux -L ctview-bench -f /dev/null new-session -d -s b -x 160 -y 40 "build-release/ctview $logs; sleep 60"
while ! tmux -L ctview-bench capture-pane -p -t b 2>/dev/null | grep -q "q quits"; do sleep 0.005; done
t1=$(date +%s.%N)
while tmux -L ctview-bench capture-pane -p -t b | grep -q "q quits"; do sleep 0.05; done
t2=$(date +%s.%N)
tmux -L ctview-bench kill-server
first_ms=$(python3 -c "print(($t1 - $t0) * 1000)")
tui_s=$(python3 -c "print($t2 - $t0)")

# instructions per event, which machine noise does not move: callgrind on a small tree, one thread
small=tests/.cache/corpus-20000
[ -f "$small/truth.json" ] || python3 tests/gen_corpus.py --events 20000 --out "$small" --bad 0 >/dev/null
small_ev=$(build-release/ctview --stats --json "$small/logs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
CTVIEW_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$list.cg" build-release/ctview --stats "$small/logs" >/dev/null 2>"$list.cglog"
small_ir=$(sed -n 's/^summary: *//p' "$list.cg")

python3 - "$events" "$nfiles" "$bytes" "$zcat_s" "$wall" "$cpu" "$rss_kb" "$ev" "$list.filter" \
    "$jq_s" "$jq_n" "$ct_s" "$ct_n" "$day_s" "$list.day" "$one_s" "$first_ms" "$tui_s" "$small_ev" "$small_ir" \
    <<'PY' | tee tests/bench/results.txt
import sys
(n, files, size, zcat, wall, cpu, rss_kb, ev, filt, jq_s, jq_n, ct_s, ct_n, day_s, day_f, one_s, first_ms, tui_s,
 small_ev, small_ir) = sys.argv[1:]
files, size, zcat, wall, cpu, rss, ev = int(files), int(size), float(zcat), float(wall), float(cpu), int(rss_kb) * 1024, int(ev)
per_event = (rss - 64 * 2**20) / ev
print(f"corpus: {ev} events loaded, {files} .json.gz files, {size / 1e9:.2f} GB of JSON")
print(f"{'measure':44} {'figure':>14}   target")
print(f"{'zcat over the same files (wall)':44} {zcat:>12.2f} s")
print(f"{'ctview --stats load+index (wall)':44} {wall:>12.2f} s   <= zcat ({wall / zcat:.2f}x zcat)")
print(f"{'ctview CPU (user+sys)':44} {cpu:>12.2f} s")
print(f"{'  the same load on one thread (wall)':44} {float(one_s):>12.2f} s   ({float(one_s) / wall:.2f}x the threaded load)")
print(f"{'  instructions per event (callgrind, 1 thread)':44} {int(small_ir) / int(small_ev):>12.0f}     ({small_ev} events, {int(small_ir) / 1e9:.2f} G instructions)")
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
    if expr == "origins":
        print(f"{'origins of all events, index included (' + shown + ' actors)':44} {float(ms[0]):>11.1f} ms   <= 1 s")
        continue
    if expr == "actors":
        print(f"{'actors of all events (' + shown + ' rows)':44} {float(ms[0]):>11.1f} ms   <= 200 ms")
        continue
    ms = float(ms[0])
    words = [t for t in expr.split() if ":" not in t]
    target = "<= 300 ms (free text)" if words else "<= 30 ms (field terms)"
    label = f"re-filter {expr[:26]} ({int(shown)} shown)"
    print(f"{label:44} {ms:>11.1f} ms   {target}")
jq_s, ct_s = float(jq_s), float(ct_s)
same = "same count" if jq_n.strip() == ct_n.strip() else "COUNTS DIFFER"
print(f"{'zcat | jq select(eventName ~ AssumeRole*)':44} {jq_s:>12.2f} s   ({jq_n.strip()} events, deduplicated; damaged files left out of both)")
print(f"{'ctview --list -f name:AssumeRole*':44} {ct_s:>12.2f} s   >= 10x faster than jq ({jq_s / ct_s:.1f}x, {ct_n.strip()} events: {same})")
import json
day = json.load(open(day_f))
print(f"{'--since/--until one day (' + str(day['files']) + ' files read, ' + str(day['pruned']) + ' pruned)':44} {float(day_s):>12.2f} s   ({wall / float(day_s):.1f}x faster than the full load, {day['shown']} events)")
print(f"{'first screen of the TUI (tmux, polled 5 ms)':44} {float(first_ms):>11.0f} ms   <= 100 ms")
print(f"{'  TUI: until the whole tree is in':44} {float(tui_s):>12.2f} s   (list filling and keys working meanwhile)")
PY
