#!/bin/sh
# Screen test of the Timesketch timeline and the report from the interface: two events marked, the export
# dialog (e) set to the timesketch format writes its default file (named .jsonl) with one Timesketch line
# per marked event (message, datetime equal to the event's eventTime, timestamp_desc); :report FILE writes
# the Markdown report of the two marked events, and refuses to replace it.
# Drives the real TUI in tmux; every check waits for a condition, never a fixed time.
# Usage: timeline.sh CTVIEW TESTS_DIR
ctview=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # it runs from the output folder
tests=$(cd "$2" && pwd)
base="ctview-timeline-$$"
. "$(dirname "$0")/harness.sh"

total=$("$ctview" --list "$tests/sample" | wc -l)
mkdir -p "$tmp/out"
start 120 30 "cd $tmp/out && $ctview --no-state $tests/sample"
expect "the sample is shown" "$total/$total shown"
keys Space Space
expect "two events marked" "2 marked"
keys e
expect "the export dialog names the marked events" "Export the 2 marked events"
keys Tab Right Right Right
expect "the format row reaches timesketch" "[timesketch]"
expect "the default name follows the format" ".jsonl"
keys Enter
expect "the dialog writes the timeline" "wrote 2 events to ctview-export-"
file=$(ls "$tmp/out"/ctview-export-*.jsonl 2>/dev/null | head -1)
python3 - "$file" "$ctview" "$tests/sample" <<'EOF'
import json, subprocess, sys
from datetime import datetime
path, ctview, sample = sys.argv[1:4]
lines = open(path).read().splitlines()
recs = {json.loads(x)["eventID"]: json.loads(x) for x in subprocess.run([ctview, "--list", "--json", sample],
        capture_output=True).stdout.splitlines()}
assert len(lines) == 2, f"{len(lines)} lines for 2 marked events"
for line in lines:
    o = json.loads(line)
    assert o["message"] and o["timestamp_desc"] == "Event Time", o
    t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    assert t(o["datetime"]) == t(recs[o["id"]]["eventTime"]), (o["datetime"], recs[o["id"]]["eventTime"])
EOF
ok "the file holds one Timesketch line per marked event ($file)" $?
keys : "report $tmp/out/report.md" Enter
expect ":report writes the report" "wrote the report of 2 marked events"
rows=$(sed -n '/^## Timeline/,$p' "$tmp/out/report.md" 2>/dev/null | grep -c '^| [0-9]')
[ "$rows" = 2 ] && grep -q '^## Timeline' "$tmp/out/report.md"
ok "the report's timeline has the 2 marked events (got ${rows:-no} rows)" $?
keys : "report $tmp/out/report.md" Enter
expect ":report does not replace a file" "exists: not replaced"
keys Escape q
expect "q quits" "CTVIEW-EXITED 0"

echo "screen timeline: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
