#!/bin/sh
# Benchmark on 1M-event corpora in S3 layout (made once, cached in tests/.cache/):
#   project  tests/gen_corpus.py: the test corpus, a few users, agents and request parameters repeated
#   diverse  tests/bench/gen_diverse.py: shaped like real logs, most calls with their own values
#   org      tests/bench/gen_diverse.py --org: the diverse events delivered as an organization trail is, many
#            small files (about 24 per thousand events, median about 50 records), global events copied to
#            every region, digest files
# Run by hand, not in CI: prints each figure on every corpus beside its target (README, Performance), ratios to
# zcat measured in the same run, and writes the table to tests/bench/results.txt.
# Usage: tests/bench/run.sh [--corpus project|diverse|org|both|all] [EVENTS]   (default: all, 1000000;
#        both: project and diverse)
#        tests/bench/run.sh --growth [--org] [EVENTS...]   (default: 1000000 5000000 diverse events)
#   --growth: only the load, paired with zcat, and the memory per event, on diverse (or org) trees of each
#   size (is it linear?); writes tests/bench/growth.txt
set -e
cd "$(dirname "$0")/../.."
which=all
growth=
grow_shape=diverse
if [ "$1" = "--growth" ]; then
    shift
    if [ "$1" = "--org" ]; then
        grow_shape=org
        shift
    fi
    growth=${*:-1000000 5000000}
elif [ "$1" = "--corpus" ]; then
    which=$2
    shift 2
fi
case $which in project | diverse | org | both | all) ;; *)
    echo "usage: $0 [--corpus project|diverse|org|both|all] [EVENTS]" >&2
    exit 2
    ;;
esac
events=${1:-1000000}
[ -d build-release ] || meson setup build-release --buildtype=release >/dev/null
ninja -C build-release >/dev/null
work=$(mktemp -d)
# the saved index lives here, so every figure but the reopen rows is a first load (which writes it)
export XDG_CACHE_HOME="$work/xdg"
trap 'rm -rf "$work"; tmux -L ctview-bench kill-server 2>/dev/null || true' EXIT

now() { date +%s.%N; }
secs() { python3 -c "print($2 - $1)"; }

# make_corpus SHAPE N: the corpus folder of N events of that shape, generated once
make_corpus() {
    if [ "$1" = project ]; then
        dir=tests/.cache/corpus-$2
        [ -f "$dir/truth.json" ] || {
            echo "bench: generating $2 project events in $dir (once)" >&2
            python3 tests/gen_corpus.py --events "$2" --out "$dir" --bad 5 >&2
        }
    elif [ "$1" = org ]; then
        dir=tests/.cache/org-$2
        [ -f "$dir/meta.json" ] || {
            echo "bench: generating $2 diverse events as an organization trail in $dir (once)" >&2
            python3 tests/bench/gen_diverse.py --events "$2" --out "$dir" --org >&2
        }
    else
        dir=tests/.cache/diverse-$2
        [ -f "$dir/meta.json" ] || {
            echo "bench: generating $2 diverse events in $dir (once)" >&2
            python3 tests/bench/gen_diverse.py --events "$2" --out "$dir" >&2
        }
    fi
    echo "$dir"
}

# measure SHAPE: every figure on that corpus, as key<TAB>value lines in $work/SHAPE.fig
measure() {
    shape=$1
    corpus=$(make_corpus "$shape" "$events")
    small=$(make_corpus "$shape" 20000)
    logs=$corpus/logs
    out=$work/$shape
    fig=$out.fig
    : >"$fig"
    put() { printf '%s\t%s\n' "$1" "$2" >>"$fig"; }
    find "$logs" -name '*.json.gz' -not -path '*CloudTrail-Digest*' | sort >"$out.list"
    put files "$(wc -l <"$out.list")"
    # warm the page cache so both sides read from memory
    xargs cat <"$out.list" >/dev/null

    # distinct string values (not keys) per record: what interning has to hold (counted once per corpus)
    strings=tests/.cache/$(basename "$corpus").strings
    [ -s "$strings" ] || python3 - "$out.list" >"$strings" <<'PY'
import gzip, json, sys
seen, records = set(), 0
def walk(v):
    if isinstance(v, str):
        seen.add(v)
    elif isinstance(v, dict):
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
for path in open(sys.argv[1]).read().split():
    try:
        recs = json.loads(gzip.open(path).read()).get("Records", [])
    except ValueError:
        continue  # the project corpus's damaged files: strings of the others are enough
    records += len(recs)
    for r in recs:
        walk(r)
print(len(seen), records)
PY
    put strings "$(cat "$strings")"

    # zcat and the load, paired: zcat, ctview, zcat, ctview; best of each
    for rep in 1 2; do
        t0=$(now)
        /usr/bin/time -f "%U %S" -o "$out.zcpu" sh -c 'xargs zcat <"$1" | wc -c >"$2"' sh "$out.list" "$out.bytes"
        t1=$(now)
        put zcat "$(secs "$t0" "$t1")"
        put zcat_cpu "$(awk '{print $1 + $2}' "$out.zcpu")"
        rm -rf "$XDG_CACHE_HOME"
        /usr/bin/time -v build-release/ctview --stats --json "$logs" >"$out.stats" 2>"$out.time"
        put wall "$(grep "Elapsed (wall clock)" "$out.time" | awk '{print $NF}' |
            awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
        put rss_kb "$(grep "Maximum resident set size" "$out.time" | awk '{print $NF}')"
        put cpu "$(grep -E "User time|System time" "$out.time" | awk '{s += $NF} END {print s}')"
    done
    put bytes "$(cat "$out.bytes")"
    put stats "$(cat "$out.stats")"
    # memory with a mode that builds every feature's data (findings: the Sigma rules, their path indexes,
    # the origins they name), on a first load as well
    rm -rf "$XDG_CACHE_HOME"
    /usr/bin/time -v build-release/ctview --findings --json "$logs" >/dev/null 2>"$out.ftime" || true
    put find_rss_kb "$(grep "Maximum resident set size" "$out.ftime" | awk '{print $NF}')"
    # the same load on one worker thread: what the threads bring
    t0=$(now)
    CTVIEW_THREADS=1 build-release/ctview --no-cache --stats --json "$logs" >/dev/null
    put one "$(secs "$t0" "$(now)")"

    # one large input: the same events as one JSON Lines file (made once, with ctview --list --json)
    big=tests/.cache/$(basename "$corpus").jsonl
    [ -s "$big" ] || build-release/ctview --list --json "$logs" >"$big"
    cat "$big" >/dev/null
    /usr/bin/time -v build-release/ctview --no-cache --stats --json "$big" >"$out.bigstats" 2>"$out.bigtime"
    put big_bytes "$(wc -c <"$big")"
    put big_wall "$(grep "Elapsed (wall clock)" "$out.bigtime" | awk '{print $NF}' |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
    put big_cpu "$(grep -E "User time|System time" "$out.bigtime" | awk '{s += $NF} END {print s}')"
    put big_rss_kb "$(grep "Maximum resident set size" "$out.bigtime" | awk '{print $NF}')"
    put big_stats "$(cat "$out.bigstats")"

    # re-filter: compile + one run over the loaded store, best of five in CPU time; the first run tests a
    # field event by event, the second builds its index (tests/bench/filter_bench.c, model/index/fieldindex.h)
    if [ "$shape" = project ]; then
        id=b8ea604c-6c0f-44c8-a451-fd7ed6f7421a
        key=ASIATXOPFM2K5FW7SUAX
        day=2024-03-05
    else
        id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sample_event_id"])' "$corpus/meta.json")
        key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sample_session_key"])' "$corpus/meta.json")
        day=2024-03-05
    fi
    build-release/tests/filter_bench "$logs" 'name:AssumeRole*' 'src:sts' 'region:eu-* ro:false' 'error:*' \
        'user:alice' 'key:ASIA*' 'ip:203.0.0.0/8' "id:$id" 'mallory' "$key" 'name:CreateAccessKey mallory' \
        >"$out.filter"
    put filter "$out.filter"

    # Sigma: SigmaHQ's CloudTrail rules (test data outside the repository) over the loaded store, three
    # runs (tests/bench/sigma_bench.c)
    if [ -d tests/data/sigma/rules ]; then
        build-release/tests/sigma_bench "$logs" tests/data/sigma/rules >"$out.sigma"
        put sigma "$out.sigma"
    fi

    # a one-day range: folders and files named outside it are not opened
    t0=$(now)
    build-release/ctview --no-cache --stats --json --since $day --until $day "$logs" >"$out.day"
    put day_s "$(secs "$t0" "$(now)")"
    put day "$(cat "$out.day")"

    # the same question asked of jq: AssumeRole* calls. jq stops at the first malformed record, so both
    # read the files ctview reported no problem in (linked into one folder), and jq's answer is
    # deduplicated by eventID + recipient account as ctview's is (global events reach every regional trail).
    build-release/ctview --stats "$logs" | sed -n 's/^problem: \([^ ]*\) byte .*/\1/p' | sort -u >"$out.bad"
    grep -vxF -f "$out.bad" "$out.list" >"$out.good" || true
    mkdir "$out.links"
    i=0
    while read -r f; do
        i=$((i + 1))
        ln -s "$(realpath "$f")" "$out.links/$i.json.gz"
    done <"$out.good"
    t0=$(now)
    find "$out.links" -name '*.json.gz' | xargs zcat |
        jq -r '.Records[] | select(.eventName // "" | test("^assumerole"; "i")) | "\(.eventID) \(.recipientAccountId)"' |
        sort -u | wc -l >"$out.jqn"
    put jq_s "$(secs "$t0" "$(now)")"
    put jq_n "$(cat "$out.jqn")"
    t0=$(now)
    build-release/ctview --no-cache --list -f 'name:AssumeRole*' "$out.links" | wc -l >"$out.ctn"
    put ct_s "$(secs "$t0" "$(now)")"
    put ct_n "$(cat "$out.ctn")"
    # and of DuckDB's read_json (Tailpipe's engine; the npm package the SQL-engine test installs), the
    # same events counted once each as ctview's dedupe does
    engine=$(python3 -c 'import sys; sys.path.insert(0, "tests"); import test_sql_engine; test_sql_engine.engine()
print(test_sql_engine.CACHE)' 2>/dev/null | tail -1)
    if [ -f "$engine/run.mjs" ]; then
        python3 - "$out.links" >"$out.duck.json" <<'PY'
import json, sys
q = ("SELECT count(DISTINCT (r->>'eventID') || '|' || coalesce(r->>'recipientAccountId', '')) FROM "
     "(SELECT unnest(Records) AS r FROM read_json('%s/*.json.gz', columns={Records: 'JSON[]'}, "
     "maximum_object_size=1073741824)) WHERE r->>'eventName' ILIKE 'AssumeRole%%'" % sys.argv[1])
print(json.dumps({"setup": [], "queries": {"n": q}}))
PY
        t0=$(now)
        (cd "$engine" && node run.mjs "$out.duck.json") >"$out.duck"
        put duck_s "$(secs "$t0" "$(now)")"
        put duck_n "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["n"]["rows"][0][0])' "$out.duck")"
    fi

    # first screen: the TUI on the whole tree in tmux, the screen read every 5 ms until it shows
    # something; then until the load is done
    tmux -L ctview-bench kill-server 2>/dev/null || true
    t0=$(now)
    tmux -L ctview-bench -f /dev/null new-session -d -s b -x 160 -y 40 "build-release/ctview --no-cache $logs; sleep 60"
    while ! tmux -L ctview-bench capture-pane -p -t b 2>/dev/null | grep -q "q quits"; do sleep 0.005; done
    t1=$(now)
    while tmux -L ctview-bench capture-pane -p -t b | grep -q "q quits"; do sleep 0.05; done
    t2=$(now)
    tmux -L ctview-bench kill-server
    put first_ms "$(python3 -c "print(($t1 - $t0) * 1000)")"
    put tui_s "$(secs "$t0" "$t2")"

    # the saved index: a first load (which writes it), the reopen of the unchanged tree, and the reopen
    # after 1% of the files changed (every 100th file recompressed: another inode, size and time), on a
    # copy of the tree made of links, so the corpus itself is never touched
    rm -rf "$XDG_CACHE_HOME" "$out.tree"
    cp -al "$logs" "$out.tree"
    for step in first reopen; do
        /usr/bin/time -f "%e" -o "$out.t" build-release/ctview --stats --json "$out.tree" >"$out.idx_$step"
        put "idx_$step" "$(cat "$out.t")"
    done
    put idx_bytes "$(du -cb "$XDG_CACHE_HOME"/ctview/index/*.idx | tail -1 | cut -f1)"
    find "$out.tree" -name '*.json.gz' | sort | awk 'NR % 100 == 0' >"$out.changed"
    put idx_nchanged "$(wc -l <"$out.changed")"
    while read -r f; do
        zcat "$f" | gzip -1 >"$f.new" && mv "$f.new" "$f"
    done <"$out.changed"
    /usr/bin/time -f "%e" -o "$out.t" build-release/ctview --stats --json "$out.tree" >"$out.idx_changed"
    put idx_changed "$(cat "$out.t")"
    build-release/ctview --no-cache --stats --json "$out.tree" >"$out.idx_fresh"
    for f in first reopen changed fresh; do put "idx_stats_$f" "$(cat "$out.idx_$f")"; done
    rm -rf "$out.tree"

    # instructions per event, which machine noise does not move: callgrind on a 20k tree, one thread
    put small_ev "$(build-release/ctview --stats --json "$small/logs" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')"
    CTVIEW_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out.cg" \
        build-release/ctview --stats "$small/logs" >/dev/null 2>"$out.cglog"
    put small_ir "$(sed -n 's/^summary: *//p' "$out.cg")"
}

if [ -n "$growth" ]; then
    for n in $growth; do
        corpus=$(make_corpus "$grow_shape" "$n")
        find "$corpus/logs" -name '*.json.gz' -not -path '*CloudTrail-Digest*' | sort >"$work/list"
        xargs cat <"$work/list" >/dev/null
        for rep in 1 2; do
            t0=$(now)
            xargs zcat <"$work/list" | wc -c >/dev/null
            printf '%s\tzcat\t%s\n' "$n" "$(secs "$t0" "$(now)")" >>"$work/growth"
            rm -rf "$XDG_CACHE_HOME" # a first load each time (it writes the saved index), never a reopen
            /usr/bin/time -f "%e %U %S %M" build-release/ctview --stats "$corpus/logs" 2>"$work/time" >/dev/null
            printf '%s\tctview\t%s\n' "$n" "$(cat "$work/time")" >>"$work/growth"
        done
    done
    python3 - "$work/growth" "$grow_shape" <<'PY' | tee tests/bench/growth.txt
import sys
shape = sys.argv[2]
runs = {}
for line in open(sys.argv[1]):
    n, what, v = line.rstrip("\n").split("\t")
    runs.setdefault(int(n), {}).setdefault(what, []).append(v.split())
print(f"{shape + ' events':>15} {'zcat (best of 2)':>17} {'ctview --stats':>15} {'ratio':>6} {'ctview CPU':>11} {'peak RSS':>9} {'B/event beyond 64 MiB':>22}")
for n in sorted(runs):
    z = min(float(v[0]) for v in runs[n]["zcat"])
    c = min(runs[n]["ctview"], key=lambda v: float(v[0]))
    wall, cpu, rss = float(c[0]), float(c[1]) + float(c[2]), max(int(v[3]) for v in runs[n]["ctview"]) * 1024
    print(f"{n:>15,} {z:>15.2f} s {wall:>13.2f} s {wall / z:>5.2f}x {cpu:>9.2f} s {rss / 2**20:>5.0f} MiB {(rss - 64 * 2**20) / n:>20.0f} B")
print("targets: the same ratio to zcat (<= 0.5x) and the same bytes per event (<= 256 B) at every size, within 10%")
PY
    exit 0
fi

shapes=$which
[ "$which" = both ] && shapes="project diverse"
[ "$which" = all ] && shapes="project diverse org"
for shape in $shapes; do
    echo "bench: measuring the $shape corpus" >&2
    measure "$shape"
done
# the raw figures kept beside the corpora, so the table can be looked at again without measuring again
rm -rf tests/.cache/bench-last && cp -r "$work" tests/.cache/bench-last

python3 - "$work" $shapes <<'PY' | tee tests/bench/results.txt
import json, sys

work, shapes = sys.argv[1], sys.argv[2:]
fig = {}
for shape in shapes:
    d = {}
    for line in open(f"{work}/{shape}.fig"):
        k, v = line.rstrip("\n").split("\t", 1)
        d.setdefault(k, []).append(v)
    fig[shape] = d

def one(s, k):
    return fig[s][k][-1]

def best(s, k):
    return min(float(v) for v in fig[s][k])

rows = []  # (label, {shape: text}, target)
def row(label, fn, target=""):
    rows.append((label, {s: fn(s) for s in shapes}, target))

def stats(s):
    return json.loads(one(s, "stats"))

def per_event(s):
    rss = max(int(v) for v in fig[s]["rss_kb"]) * 1024
    return (rss - 64 * 2**20) / stats(s)["events"]

row("events loaded", lambda s: f"{stats(s)['events']:,}")
row(".json.gz files", lambda s: f"{int(one(s, 'files')):,}")
row("JSON bytes (decoded)", lambda s: f"{int(one(s, 'bytes')) / 1e9:.2f} GB")
row("bytes per record", lambda s: f"{int(one(s, 'bytes')) / stats(s)['records']:.0f} B")
row("distinct string values per record", lambda s: "{:.2f}".format(int(one(s, 'strings').split()[0]) / int(one(s, 'strings').split()[1])))
row("  strings ctview interns per event", lambda s: f"{stats(s)['strings'] / stats(s)['events']:.2f}")
row("zcat over the same files (wall, best of 2)", lambda s: f"{best(s, 'zcat'):.2f} s")
row("ctview --stats load+index (wall, best of 2)", lambda s: f"{best(s, 'wall'):.2f} s")
row("  ratio to zcat, same run", lambda s: f"{best(s, 'wall') / best(s, 'zcat'):.2f}x", "<= 0.5x zcat")
row("  ctview CPU (user+sys) / zcat's", lambda s: f"{best(s, 'cpu'):.2f} s / {best(s, 'zcat_cpu'):.2f} s")
row("  CPU ratio to zcat", lambda s: f"{best(s, 'cpu') / best(s, 'zcat_cpu'):.2f}x", "<= 1.0x zcat's CPU")
row("  the same load on one thread (wall)", lambda s: f"{float(one(s, 'one')):.2f} s")
row("  instructions per event (callgrind, 20k, 1 thread)", lambda s: f"{int(one(s, 'small_ir')) / int(one(s, 'small_ev')):.0f}")
row("ctview peak RSS", lambda s: f"{max(int(v) for v in fig[s]['rss_kb']) / 1024:.0f} MiB")
row("  bytes per event beyond 64 MiB", lambda s: f"{per_event(s):.0f} B", "<= 256 B")
def find_mem(s):
    rss = int(one(s, "find_rss_kb")) * 1024
    return f"{rss / 2**20:.0f} MiB, {(rss - 64 * 2**20) / stats(s)['events']:.0f} B/event"
row("peak RSS of --findings (rules, path indexes, origins)", find_mem, "<= 256 B/event + 64 MiB")

def big_load(s):
    wall, cpu = float(one(s, "big_wall")), float(one(s, "big_cpu"))
    return f"{int(one(s, 'big_bytes')) / 1e9:.2f} GB: {wall:.2f} s, CPU/wall {cpu / wall:.2f}"
def big_mem(s):
    rss = int(one(s, "big_rss_kb")) * 1024
    return f"{rss / 2**20:.0f} MiB, {(rss - 64 * 2**20) / json.loads(one(s, 'big_stats'))['events']:.0f} B/event"
row("one large input (the events as JSON Lines)", big_load, "on every core (CPU/wall near the core count)")
row("  its peak RSS", big_mem, "<= 256 B/event + 64 MiB")

filters = {s: [l.rstrip("\n").split("\t") for l in open(one(s, "filter"))] for s in shapes}
n = len(filters[shapes[0]])
for i in range(n):
    expr = filters[shapes[0]][i][0]
    if expr == "events":
        continue
    def cell(s, i=i):
        e, shown, ms = filters[s][i][:3]
        if e.startswith("overview-") or e.startswith("trace-"):
            return f"{float(ms):.1f} ms" if not e.startswith("trace-m") else f"{float(ms):.3f} ms"
        runs = filters[s][i][3:5]
        more = f"; 1st {float(runs[0]):.0f}, 2nd {float(runs[1]):.0f} ms" if len(runs) == 2 else ""
        wall = filters[s][i][5:7]
        more += f"; wall {float(wall[1]):.0f} ms" if len(wall) == 2 and wall[0] == "wall" else ""
        return f"{float(ms):.1f} ms CPU ({int(shown):,}{more})"
    if expr == "mem-indexes":
        row("  field indexes the filters above built", lambda s, i=i: f"{float(filters[s][i][2]):.1f} B/event")
    elif expr.startswith("mem-"):
        what = {"mem-events": "event records", "mem-list": "resource/piece id list", "mem-seen": "dedupe set",
                "mem-field-strings": "strings of fields", "mem-list-strings": "strings only in pieces/resources",
                "mem-cold-pieces": "piece strings kept deflated (cold)",
                "mem-intern-table": "intern table (ids, hash slots)", "mem-total": "all (store_bytes)"}[expr]
        row(f"  store per event: {what}", lambda s, i=i: f"{float(filters[s][i][2]):.0f} B")
    elif expr == "overview-histogram":
        row("overview: histogram of all events", cell)
    elif expr == "overview-summary":
        row("overview: top values of 6 fields", cell)
    elif expr == "trace-index":
        row("trace index build (once, first trace)", cell)
    elif expr == "trace-mean":
        row("trace of one event, mean", cell, "<= 1 ms")
    elif expr == "trace-max":
        row("trace of one event, worst", cell, "<= 1 ms")
    elif expr == "origins":
        row("origins of all events, trace index included (actors)", cell, "<= 1 s")
    elif expr == "actors":
        row("actors of all events (rows)", cell, "<= 200 ms")
    else:
        words = [t for t in expr.split() if ":" not in t]
        if expr.startswith("id:"):
            expr = "id:<one eventID>"
        elif not expr.startswith("name:") and expr.startswith("ASIA"):
            expr = "<one session key, free text>"
        row(f"re-filter {expr[:34]} (shown)", cell, "<= 300 ms (free text)" if words else "<= 30 ms (field terms)")

def sigma_cell(s):
    runs = [l.rstrip("\n").split("\t") for l in open(one(s, "sigma")) if l.startswith("rules")]
    wall = min(float(r[r.index("wall_ms") + 1]) for r in runs)
    cpu = min(float(r[r.index("cpu_ms") + 1]) for r in runs)
    return f"{wall / 1000:.2f} s wall, {cpu / 1000:.2f} s CPU ({runs[0][1]})"
if all("sigma" in fig[s] for s in shapes):
    row("Sigma: SigmaHQ CloudTrail rules over all events (best of 3)", sigma_cell, "<= 2 s")

def jq_cell(s):
    return f"{float(one(s, 'jq_s')):.2f} s ({int(one(s, 'jq_n')):,})"
def ct_cell(s):
    same = "same count" if one(s, "jq_n").strip() == one(s, "ct_n").strip() else "COUNTS DIFFER"
    return f"{float(one(s, 'ct_s')):.2f} s, {float(one(s, 'jq_s')) / float(one(s, 'ct_s')):.1f}x ({same})"
row("zcat | jq select(eventName ~ AssumeRole*)", jq_cell)
row("ctview --list -f name:AssumeRole*", ct_cell, ">= 10x faster than jq")
def duck_cell(s):
    if "duck_s" not in fig[s]:
        return "not run (no DuckDB)"
    same = "same count" if one(s, "duck_n").strip() == one(s, "ct_n").strip() else "COUNTS DIFFER"
    return (f"{float(one(s, 'duck_s')):.2f} s ({int(one(s, 'duck_n')):,}); ctview "
            f"{float(one(s, 'duck_s')) / float(one(s, 'ct_s')):.1f}x faster ({same})")
row("DuckDB read_json, the same question", duck_cell, ">= 4x slower than ctview")
def day_cell(s):
    d = json.loads(one(s, "day"))
    return f"{float(one(s, 'day_s')):.2f} s ({d['files']:,} files, {d['pruned']:,} pruned)"
row("--since/--until one day", day_cell)
def idx_stats(s, which):
    return json.loads(one(s, "idx_stats_" + which))
def same_counts(s, a, b):
    keys = ("files", "records", "events", "duplicates", "bad_records", "problems")
    return all(idx_stats(s, a)[k] == idx_stats(s, b)[k] for k in keys)
row("saved index: first load, writing it (wall)", lambda s: f"{float(one(s, 'idx_first')):.2f} s")
row("  reopen of the unchanged tree (wall)", lambda s: "{:.2f} s, {:.3f}x{}".format(
    float(one(s, "idx_reopen")), float(one(s, "idx_reopen")) / float(one(s, "idx_first")),
    "" if same_counts(s, "reopen", "first") else " COUNTS DIFFER"), "<= 0.1x the first load")
row("  reopen after 1% of the files changed (wall)", lambda s: "{:.2f} s, {:.3f}x ({} files){}".format(
    float(one(s, "idx_changed")), float(one(s, "idx_changed")) / float(one(s, "idx_first")),
    one(s, "idx_nchanged"), "" if same_counts(s, "changed", "fresh") else " COUNTS DIFFER"),
    "<= 0.2x the first load, counts as --no-cache")
row("  saved index size / the store's in memory", lambda s: "{:.0f} MiB / {:.0f} MiB".format(
    int(one(s, "idx_bytes")) / 2**20, idx_stats(s, "first")["model_bytes"] / 2**20), "<= 1x")
row("first screen of the TUI (tmux, polled 5 ms)", lambda s: f"{float(one(s, 'first_ms')):.0f} ms", "<= 100 ms")
row("  TUI: until the whole tree is in", lambda s: f"{float(one(s, 'tui_s')):.2f} s")

w0 = max(len(r[0]) for r in rows)
w = {s: max(len(s), *(len(r[1][s]) for r in rows)) for s in shapes}
print(f"{'measure':{w0}}  " + "  ".join(f"{s:>{w[s]}}" for s in shapes) + "  target")
for label, cells, target in rows:
    print(f"{label:{w0}}  " + "  ".join(f"{cells[s]:>{w[s]}}" for s in shapes) + ("  " + target if target else ""))
PY

# S3 on loopback: the 100k-event tree from s3rver (tests/test_s3.py's server) with a cold and a warm cache,
# beside the same tree on local disk, each with its target ratio (README, Performance)
python3 tests/bench/s3_bench.py build-release/ctview 100000 3 | tee -a tests/bench/results.txt ||
    echo "s3 on loopback: not measured (node and npm are needed for s3rver)" | tee -a tests/bench/results.txt
