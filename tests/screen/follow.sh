#!/bin/sh
# Screen tests of following a tree that changes (issue 28): a file's events are those of its content now.
# A .json.gz and a JSON Lines file written in two steps, a file rewritten shorter, one copied over with the
# same bytes, one deleted, ten thousand files arriving while a prompt is open (the kernel's queue
# overflows): after each, the status line's counts are --stats --json's of the tree as it is, every
# export of the shown events works and re-opens to them, and a mark on an event that stayed is kept.
# Drives the real TUI in tmux like run.sh: every check waits for a condition, never a fixed time.
# Usage: follow.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-follow-$$"
. "$(dirname "$0")/harness.sh"
expect() { wait_for "$2" "${3:-60}"; ok "$1" $?; }
ok() { # name, then status; only the status line's end on failure (the screens here are long lists)
    if [ "$2" -eq 0 ]; then
        passes=$((passes + 1))
    else
        fails=$((fails + 1))
        echo "FAIL: $1"
        screen | tail -3 | sed 's/^/    | /'
    fi
}
status() { screen | grep -F ' shown  #' | tail -1; }
logs=$tmp/logs
mk() { python3 "$tests/screen/logfile.py" "$@"; }

# The status line's counts as --stats --json gives them for the tree now: "E/E shown" and "F files  P problems"
expected() {
    "$ctview" --stats --json "$logs" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = d["problems"]
print("%d/%d shown|%d files  %d problem%s" % (d["events"], d["events"], d["files"], p, "" if p == 1 else "s"))'
}
agree() {
    want=$(expected) # the tree is still while the interface catches up
    wait_until 'status | grep -qF " ${want%%|*}" && status | grep -qF "${want#*|}"' "${2:-60}"
    ok "$1: the status line's counts are --stats's ($want)" $?
}
# Every event exports (the whole export fails when one of them cannot be read) and re-opens: M marks
# them all for it, then U and a new mark on keep.json's first event put the marks back as they were
exports() {
    rm -f "$tmp/out.json"
    keys M
    keys :
    wait_for ":" && keys -l "export $tmp/out.json" && keys Enter
    want=$(expected)
    want=${want%%/*}
    expect "$1: :export writes every event" "wrote $want marked events to"
    "$ctview" --stats --json "$tmp/out.json" | python3 -c '
import json, sys
sys.exit(0 if json.load(sys.stdin)["events"] == int(sys.argv[1]) else 1)' "$want"
    ok "$1: ... which re-open to the $want events" $?
    keys U g Space
    expect "$1: marks back to keep.json's first event" " 1 marked"
}

mkdir -p "$logs/sub"
mk "$logs/keep.json" 5 1 json
mk "$logs/sub/rewrite.json" 10 2 json
mk "$logs/same.json" 4 3 json
T -f /dev/null new-session -d -s t -x 160 -y 30 "$ctview --no-state --follow $logs; echo CTVIEW-EXITED \$?; sleep 600"
T set-option -t t status off >/dev/null
expect "following" "following"
agree "start"
# the first event in time is keep.json's first: marked, it must stay marked through every change below
keys g Space
expect "a mark on keep.json's first event" " 1 marked"

# a .json.gz written in two steps: first read truncated, then whole
mk "$logs/two.json.gz" 8 4 gz head
agree "a .json.gz, half written"
mk "$logs/two.json.gz" 8 4 gz tail
agree "... then whole (its truncated read's problem gone, counted once)"
exports "the .json.gz whole"

# JSON Lines without eventID, appended in two writes
mk "$logs/lines.jsonl" 10 5 jsonl head
agree "JSON Lines, half written"
mk "$logs/lines.jsonl" 10 5 jsonl tail
agree "... then appended (no record counted twice)"

# truncated and rewritten shorter
: >"$logs/sub/rewrite.json"
agree "a file truncated"
mk "$logs/sub/rewrite.json" 3 6 json
agree "... and rewritten with other events"

# copied over with the same bytes
cp "$logs/same.json" "$tmp/same.copy"
cp "$tmp/same.copy" "$logs/same.json"
expect "a file copied over with the same bytes: read again" "read again"
agree "... same counts"
exports "after a copy over"

# deleted
rm "$logs/same.json"
agree "a file deleted"
exports "after a delete"

# ten thousand files while the prompt is open: polling is paused, the kernel's queue overflows
keys /
expect "the prompt opens" "/"
python3 - "$logs/burst" <<'PY'
import json, os, sys
os.makedirs(sys.argv[1])
for i in range(10000):
    r = {"eventVersion": "1.08", "eventTime": "2024-06-01T00:%02d:%02dZ" % (i // 60 % 60, i % 60),
         "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity", "awsRegion": "us-east-1",
         "eventID": "b0000000-0000-4000-8000-%012x" % i, "recipientAccountId": "111122223333",
         "userIdentity": {"type": "IAMUser", "accountId": "111122223333"}}
    with open(os.path.join(sys.argv[1], "b%05d.json" % i), "w") as f:
        json.dump({"Records": [r]}, f)
PY
keys Escape
agree "10,000 files arrived with the prompt open" 120
expect "the mark on keep.json's first event is still there" " 1 marked"
keys g ']'
wait_until 'on_screen "no shown event is marked" || on_screen "marks wrapped"' 30
on_screen "marks wrapped"
ok "... and ] finds it" $?
exports "after the burst"
keys q
expect "ctview quits cleanly" "CTVIEW-EXITED 0"
echo "follow: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
