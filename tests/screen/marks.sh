#!/bin/sh
# Screen test of marking while the first load runs (issue 28): Space and M pressed while a large tree is
# still loading, as the store keeps putting new events in time order (moving those already shown); once
# the load is done the marks are all there: the status line's count, ] finds them, and :export writes
# every one of them. Run on an AddressSanitizer build (meson setup build-asan
# -Db_sanitize=address,undefined) it also checks that no mark is written or read past the events.
# Drives the real TUI in tmux like run.sh: every check waits for a condition, never a fixed time.
# Usage: marks.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-marks-$$"
. "$(dirname "$0")/harness.sh"
expect() { wait_for "$2" "${3:-60}"; ok "$1" $?; }
status() { screen | grep -F ' shown  #' | tail -1; }

# 400 files of 1000 events: long enough a load to press keys in, even on a fast machine
total=$(python3 "$tests/screen/gen_tree.py" "$tmp/tree" 400 1000) || exit 1
sanitize="ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
T -f /dev/null new-session -d -s t -x 120 -y 30 \
    "$sanitize $ctview --no-state $tmp/tree 2>$tmp/stderr; echo CTVIEW-EXITED \$?; sleep 600"
T set-option -t t status off >/dev/null

wait_until 'status | grep -qE " [1-9][0-9]*/[0-9]+ shown"' 120
ok "the first events are shown while the load runs" $?
# Space marks the selected event; M, once the load merged more events, marks every event shown
shown() { status | grep -oE '[0-9]+/[0-9]+ shown' | cut -d/ -f1; }
keys Space
expect "Space marks an event while loading" " 1 marked"
before=$(shown)
wait_until '[ "$(shown)" -gt "$before" ]' 120
ok "... and the load goes on ($before events shown then)" $?
keys M
# M says how many it marked in the message ("| N marked"), Space did not
wait_until 'status | grep -qE "\| [0-9]+ marked"' 120
ok "M marks the shown events while loading" $?
marked=$(status | grep -oE '\| [0-9]+ marked' | head -1 | cut -d' ' -f2)
[ -n "$marked" ] && [ "$marked" -lt "$total" ]
ok "... pressed before the load ended ($marked of $total events marked)" $?
wait_until '! on_screen "Loading"' 300
ok "the load ends" $?
expect "the marks are all still counted once loaded" " $total/$total shown"
expect "... the same number" " $marked marked"
keys g ']'
wait_until 'on_screen "no shown event is marked" || status | grep -qE "shown  #([2-9]|[1-9][0-9]+) "' 60
! on_screen "no shown event is marked"
ok "] finds a marked event" $?
keys :
wait_for ":" && keys -l "export $tmp/out.json" && keys Enter
expect ":export writes every marked event" "wrote $marked marked events to"
"$ctview" --stats --json "$tmp/out.json" | python3 -c '
import json, sys
sys.exit(0 if json.load(sys.stdin)["events"] == int(sys.argv[1]) else 1)' "$marked"
ok "... which re-open to $marked events" $?
keys q
expect "ctview quits cleanly" "CTVIEW-EXITED 0"
if grep -q "ERROR: AddressSanitizer\|runtime error" "$tmp/stderr" 2>/dev/null; then
    ok "no memory error" 1
    sed 's/^/    | /' "$tmp/stderr" | head -30
fi
echo "marks: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
