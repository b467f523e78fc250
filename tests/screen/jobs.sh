#!/bin/sh
# Screen tests of the background work the loop runs between keys (tui/jobs.c): what waits for the first
# load, and that the user's F overrides --follow. The load is held open with logs on a pipe (stdin) that
# the test closes when it wants the load to end, so no check depends on how fast the machine is. Drives
# the real TUI in tmux like run.sh: every check waits for a condition with a generous deadline, never a
# fixed time; absence is asserted only after the program showed it handled every key sent before.
# Usage: jobs.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-jobs-$$"
. "$(dirname "$0")/harness.sh"

# hold_stdin: a pipe whose writer sends one log file and then keeps it open until release_stdin
pasted="$tests/sample/pasted/iam-sts-examples.json"
hold_stdin() {
    rm -f "$tmp/pipe" "$tmp/release"
    mkfifo "$tmp/pipe"
    (
        cat "$pasted"
        while [ ! -e "$tmp/release" ]; do sleep 0.05; done
    ) >"$tmp/pipe" &
    writer=$!
}
release_stdin() {
    touch "$tmp/release"
    wait "$writer" 2>/dev/null
    writer=
}

mkdir -p "$tmp/follow"

# --- --follow: the directories are watched once the first load is done, not before
hold_stdin
start 120 30 "$ctview --no-state --follow $tmp/follow - <$tmp/pipe"
expect "the load waits for the end of stdin" "(q quits)"
expect_not "... and following waits for the load" "following  list"
release_stdin
wait_gone "(q quits)"
ok "the load ends with stdin" $?
expect "then following starts by itself" "following  list"
keys q
expect "q quits" "CTVIEW-EXITED 0"

# --- F during the load: the user's word stands, --follow does not start a second watch at its end
hold_stdin
start 120 30 "$ctview --no-state --follow $tmp/follow - <$tmp/pipe"
expect "the load waits for the end of stdin" "(q quits)"
keys F
expect "F during the load follows at once" "following: new log files load as they arrive"
keys F
expect "F again stops following" "stopped following"
release_stdin
wait_gone "(q quits)"
ok "the load ends with stdin" $?
expect_not "following stays stopped after the load" "following  list"
keys q
expect "q quits" "CTVIEW-EXITED 0"

echo "screen jobs: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
