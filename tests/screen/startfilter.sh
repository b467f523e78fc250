#!/bin/sh
# Screen test: `ctview -f EXPR PATH` opens the interface with the filter in force (as the README's Athena
# round trip says), the status line naming it, and a bad expression refused before the screen opens.
# Drives the real TUI in tmux; every check waits for a condition, never a fixed time.
# Usage: startfilter.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-startfilter-$$"
. "$(dirname "$0")/harness.sh"

want=$("$ctview" --list -f 'user:alice' "$tests/sample" | wc -l)
total=$("$ctview" --list "$tests/sample" | wc -l)
start 120 30 "$ctview --no-state -f 'user:alice' $tests/sample"
expect "-f opens the interface filtered" "$want/$total shown"
expect "the status line names the filter" "user:alice"
keys q
expect "q quits" "CTVIEW-EXITED 0"
start 120 30 "$ctview --no-state -f 'usr:x' $tests/sample"
expect "a bad -f is refused before the screen, with its column" "column 1: unknown field 'usr'"
expect "and exits 1" "CTVIEW-EXITED 1"

echo "screen startfilter: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
