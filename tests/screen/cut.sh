#!/bin/sh
# Screen test of text cut to the screen (issue 30, defect 2): nothing is cut silently. At 80x24 the
# overview keeps an account id whole (its bar gives up columns first) and ends a cut heading with `…`;
# the detail header's path keeps its file name after `…`; without a UTF-8 locale the mark is `~`.
# Drives the real TUI in tmux; every check waits for a condition, never a fixed time.
# Usage: cut.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-cut-$$"
. "$(dirname "$0")/harness.sh"
sample=$tests/sample

start 80 24 "$ctview --no-state $sample"
expect "the list is up" "9/9 shown"
keys o
expect "the overview opens" "Overview of 9 shown events"
expect "an account id is shown whole in the overview" "111122223333"
expect "a cut heading ends with the ellipsis" "Errors (2 different, some events have…"
expect "a cut value ends with the ellipsis" "No username found in s…"
# every overview line that reaches the right edge ends with the mark (the header of keys is cut too)
expect "the overview's key line ends with the ellipsis" "f: any fie…"
keys Escape
wait_gone "Overview of 9 shown events"
keys Enter
expect "the detail opens" "Event 1/9"
wait_until 'screen | grep -qE "Event 1/9  byte [0-9]+ of …[^ ]*_c1b2c3d4e5f60002\.json\.gz$"'
ok "the detail header's path keeps its file name after the ellipsis" $?
keys q
expect "q quits" "CTVIEW-EXITED 0"

# a terminal that is not UTF-8: the mark is plain ASCII
start 80 24 "env LANG=C LC_ALL=C $ctview --no-state $sample"
expect "the list is up (C locale)" "9/9 shown"
keys o
expect "the C locale's mark is ~" "Errors (2 different, some events have~"
keys q
expect "q quits (C locale)" "CTVIEW-EXITED 0"

echo "screen cut: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
