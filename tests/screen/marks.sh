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
sock=$base
tmp=$(mktemp -d)
fails=0
passes=0
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
command -v tmux >/dev/null || { echo "SKIP: screen tests: tmux is not installed"; exit 77; }
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

screen() { T capture-pane -p -t t; }
keys() { T send-keys -t t "$@"; }
now() { date +%s; }
wait_until() {
    deadline=$(($(now) + ${2:-30}))
    while ! eval "$1"; do
        [ "$(now)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
    return 0
}
on_screen() { screen | grep -qF -- "$1"; }
wait_for() {
    wait_text=$1
    wait_until 'on_screen "$wait_text"' "${2:-30}"
}
ok() {
    if [ "$2" -eq 0 ]; then
        passes=$((passes + 1))
    else
        fails=$((fails + 1))
        echo "FAIL: $1"
        screen | sed 's/^/    | /'
    fi
}
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
