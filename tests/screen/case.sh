#!/bin/sh
# Screen test of the case (issue 30 item 1): marks, :note and :tag kept per tree under XDG_DATA_HOME,
# saved as the user works and back at the next open of the same logs; notes and tags in the detail, in
# the gutter and as columns; tag: and note: filters; an unmark survives a restart; --case NAME keeps a
# separate case and --no-state writes none. Drives the real TUI in tmux; every check waits for a
# condition, never a fixed time.
# Usage: case.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-case-$$"
. "$(dirname "$0")/harness.sh"
cases="$XDG_DATA_HOME/ctview/cases"
logs="$tests/sample"

start 140 30 "$ctview $logs"
expect "the sample loads" "9/9 shown"
keys Space Space
expect "Space marks two events" "2 marked"
keys : n o t e Space "first look" Enter
expect ":note notes the marked events" "noted 2 marked events"
keys : t a g Space exfil Enter
expect ":tag tags the marked events" "tagged 2 marked events exfil"
keys : t a g Space "bad!tag" Enter
expect "a tag that is not one is refused with the reason" "a tag is letters, digits"
keys Escape
[ "$(find "$cases" -name '*.json' | wc -l)" -eq 1 ] && [ "$(stat -c %a "$cases"/*.json)" = 600 ]
ok "the case is saved as the user works, one file, mode 0600" $?
grep -q '"first look"' "$cases"/*.json; ok "... holding the note before any quit" $?
keys q
expect "q quits" "CTVIEW-EXITED 0"
# a colleague's note on an event these logs do not hold
printf '{"ctview_case": 1, "events": [{"event": "999999999999:gone", "notes": ["seen elsewhere"], "updated": 1}]}' \
    >"$tmp/colleague.json"
"$ctview" --case-import "$tmp/colleague.json" "$logs" 2>/dev/null; ok "--case-import between two runs" $?

start 140 30 "$ctview $logs"
expect "the marks come back at the next open of the same logs" "2 marked"
keys : c a s e Enter
expect ":case lists the case" "Case 'default': 3 events, 1 not loaded"
expect "... an event not loaded, kept with its note" '999999999999:gone'
expect "... said not loaded" '(not loaded) "seen elsewhere"'
expect "... the loaded ones with their tags and notes" '#exfil "first look"'
keys Down Enter
expect "Enter selects a loaded event in the list" "9/9 shown  #2 "
wait_gone "Case 'default'"; ok "... and closes the view" $?
wait_until 'screen | grep -q "^N2014-07-08"'; ok "the gutter shows N for a marked event with a note" $?
keys Enter
expect "the detail shows the tags" "Tags: exfil"
expect "... and the notes" "Note: first look"
keys Escape / "tag:exfil" Enter
expect "tag:NAME filters" "2/9 shown"
keys / C-u "note:first*" Enter
expect "note:TEXT filters (a glob like other fields)" "2/9 shown"
keys / C-u "-note:*" Enter
expect "-note:* shows the events without a note" "7/9 shown"
keys / C-u Enter
expect "the filter is cleared" "9/9 shown"
keys C C-u "time,name,tag,note" Enter
expect "the tag and note columns" "tag   note"
expect "... with their values" "exfil first look"
keys / "tag:exfil" Enter
expect "tag:exfil again" "2/9 shown"
keys : u n t a g Space exfil Enter
expect ":untag removes the tag" "untagged 2 marked events exfil"
expect "... and the filter in force shows the list anew" "0/9 shown"
keys / C-u Enter
expect "the filter is cleared" "9/9 shown"
keys : g o t o Space 1 Enter Space
expect "Space unmarks an event" "1 marked"
keys q
expect "q quits" "CTVIEW-EXITED 0"

start 140 30 "$ctview $logs"
expect "an unmark is kept across a restart" "1 marked"
keys / "tag:*" Enter
expect "... and so is an untag" "0/9 shown"
keys q
expect "q quits" "CTVIEW-EXITED 0"

start 140 30 "$ctview --case other $logs"
expect "--case NAME opens another case over the same logs" "9/9 shown"
settle
! on_screen "marked"; ok "... without the default case's marks" $?
keys q
expect "q quits" "CTVIEW-EXITED 0"

before=$(cat "$cases"/*.json | md5sum)
start 140 30 "$ctview --no-state $logs"
expect "--no-state reads the case" "1 marked"
keys : t a g Space kept Enter
expect "... says a change is not saved" "not saved"
keys q
expect "q quits" "CTVIEW-EXITED 0"
[ "$(cat "$cases"/*.json | md5sum)" = "$before" ]; ok "--no-state writes no case" $?

# two interfaces on one case: a tag in one and a mark in the other on one event are both kept
start 140 30 "$ctview --case two $logs"
expect "A opens a case" "9/9 shown"
sock_a=$sock
sock="$base-spare" # start kills the server of $sock: not A's
start 140 30 "$ctview --case two $logs"
expect "B opens the same case" "9/9 shown"
sock_b=$sock
sock=$sock_a
keys : t a g Space exfil Enter
expect "A tags the selected event" "tagged the selected event exfil"
sock=$sock_b
keys : u n t a g Space nope Enter
expect ":untag of a tag the event does not have says so" "the selected event has no tag nope"
keys Escape
keys Space
expect "B marks the same event" "1 marked"
keys q
expect "B quits" "CTVIEW-EXITED 0"
T kill-server 2>/dev/null
sock=$sock_a
keys q
expect "A quits" "CTVIEW-EXITED 0"
"$ctview" --case two --case-export - "$logs" 2>/dev/null | grep -q '"marked":true,"tags":\["exfil"\]'
ok "... the event is marked and tagged" $?

echo "screen case: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
