#!/bin/sh
# Screen test of the time zone shown (issue 30, defect 4): with --tz Europe/Paris, a time typed in
# after:/before: is read in Paris time, as :goto reads it, unless it says its own zone (Z, +02:00);
# the trace, the overview, the actors view and a chosen time column show Paris time and say so.
# Counts are worked out here from --list, which reads -f's times as UTC. Drives the real TUI in tmux;
# every check waits for a condition, never a fixed time.
# Usage: tz.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-tz-$$"
. "$(dirname "$0")/harness.sh"
sample=$tests/sample
[ -f /usr/share/zoneinfo/Europe/Paris ] || [ -n "$TZDIR" ] || { echo "SKIP: no zoneinfo for Europe/Paris"; exit 77; }

total=$("$ctview" --list "$sample" | wc -l)
# 17:00 in Paris in July is 15:00 UTC
paris=$("$ctview" --list -f 'after:2014-07-16T15:00Z' "$sample" | wc -l)
utc=$("$ctview" --list -f 'after:2014-07-16T17:00Z' "$sample" | wc -l)
[ "$paris" -ne "$utc" ]; ok "the sample tells the two readings apart ($paris, $utc)" $?

start 140 30 "$ctview --no-state --tz Europe/Paris $sample"
expect "the list is up" "$total/$total shown"
keys / "after:2014-07-16T17:00" Enter
expect "after: without a zone is read in the zone shown" "$paris/$total shown"
keys / C-u "after:2014-07-16T17:00Z" Enter
expect "after: with Z is read in UTC" "$utc/$total shown"
keys / C-u "after:2014-07-16T17:00+02:00" Enter
expect "after: with an offset is read in it" "$paris/$total shown"
keys / C-u "before:2014-07-16T17:00" Enter
expect "before: without a zone is read in the zone shown" "$((total - paris))/$total shown"
keys / C-u Enter
expect "the filter is cleared" "$total/$total shown"
keys : "goto 2014-07-16T17:00" Enter
expect ":goto reads the same time the same way (the first event after it)" "#3 "
# the trace of the second event (2014-07-15T21:40:14Z)
keys : "goto 2" Enter
expect "the second event is selected" "#2 "
keys t
expect "the trace shows Paris time with its offset" "2014-07-15T23:40:14+02:00 444455556666"
keys Escape
settle
keys o
expect "the overview opens" "Overview of $total shown events"
wait_until 'screen | grep -qE "Time, one column = [^,]*, [0-9-]+T[0-9:]+\+02:00 to [0-9-]+T[0-9:]+\+01:00"'
ok "the overview's times are in Paris time with their offset" $?
keys Escape
settle
# wide enough for whole times: at 140 columns the actors view gives FIRST and LAST only their date
T resize-window -t t -x 220 -y 30
keys a
expect "the actors view opens" "Actors:"
expect "the actors' first and last times are in Paris time" "444455556666  2014-07-15T23:40:1"
keys Escape
settle
keys C
expect "the columns prompt opens" "columns"
keys C-u "time,name" Enter
expect "a chosen time column's title names the zone" "time Europe/Paris"
expect "its cells are in Paris time with their offset" "2014-07-08T19:35:27+02:00 ConsoleLogin"
keys q
expect "q quits" "CTVIEW-EXITED 0"

# -f opening the interface reads its times the same way
start 140 30 "$ctview --no-state --tz Europe/Paris -f after:2014-07-16T17:00 $sample"
expect "-f with --tz reads its time in that zone" "$paris/$total shown"
keys q
expect "q quits (2)" "CTVIEW-EXITED 0"

echo "screen tz: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
