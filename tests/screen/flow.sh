#!/bin/sh
# Screen tests of the flow defects of issue 30 (5 to 8): the live filter never applies a half-typed term;
# `c` in the detail adds a column and keeps the time in view; a sort by a column that is not on screen
# says so; the actors view fits its columns and scrolls sideways, the wheel scrolls the pane under it,
# `:` completes paths and file names, and the gutter letters have a legend. Drives the real TUI in tmux;
# every check waits for a condition, never a fixed time; absence is asserted after settle.
# Usage: flow.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
sample=$tests/sample
base="ctview-flow-$$"
. "$(dirname "$0")/harness.sh"

quit() { keys q; wait_for "CTVIEW-EXITED"; }
command_line() { keys :; wait_for ":"; keys -l "$1"; keys Enter; }

# --- 5: a term still being typed is not applied; the list keeps the last complete filter
logins=$("$ctview" --list -f 'name:ConsoleLogin' "$sample" | wc -l)
start 120 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys /
wait_for "filter:"
keys -l "name:ConsoleLogin"
expect "a first term being typed: the prompt says it is not applied yet" "typing"
expect_not "... and the list is not filtered yet" "$logins/9 shown"
keys -l " usr"
expect "a blank completed the first term: it is applied" "$logins/9 shown"
expect "... the word being typed ('usr', valid for a moment) is not" "typing"
expect_not "... the list is not emptied by it" "0/9 shown"
keys -l ":x"
expect "the term being typed is checked: its error shows at once" "unknown field 'usr' in 'usr:x'"
expect "... while the list keeps the last complete filter" "$logins/9 shown  #1  11 files  2 problems  1 skipped  / name:ConsoleLogin "
keys Enter
expect "Enter on the bad term keeps the prompt open" "filter: name:ConsoleLogin usr:x"
keys C-w
keys -l "user:alice"
keys Enter
want=$("$ctview" --list -f 'name:ConsoleLogin user:alice' "$sample" | wc -l)
expect "Enter applies the last term without a blank" "$want/9 shown  #1  11 files  2 problems  1 skipped  / name:ConsoleLogin user:alice"
expect_not "... and closes the prompt" "filter:"
quit

header_has() { screen | head -1 | grep -qF -- "$1"; }

# --- 6: c on a JSON line of the detail adds that path as a column; the time stays in view
start 140 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys Enter
expect "detail open" "Event 1/9"
keys j j j j
keys c
expect "c adds the path under the cursor" "column added: userIdentity.principalId"
wait_until 'header_has "userIdentity.principalId"'
ok "... the new column is in view" $?
header_has "time"
ok "... and so is the time column, first" $?
screen | sed -n 2p | grep -qF "2014-07-08"
ok "... with the times on the rows" $?
screen | sed -n 2p | grep -qF "AIDACKCEVSQ6C2EXAMPLE"
ok "... and the new column's values" $?
keys Escape h h h h h h h h
wait_until 'header_has "name"'
ok "h scrolls back to the columns that were there (the default layout's, as chosen columns)" $?
keys l l l l l l l l l l
wait_until 'header_has "<time"'
ok "l scrolls the others sideways; the time column stays" $?
quit

# --- 7: a sort by a column that is not on screen says so in the header
start 120 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
command_line "sort requestParameters.roleArn"
wait_until 'header_has "sorted by requestParameters.roleArn ▲"'
ok "a sort by a path no column shows: the header says it and the direction" $?
keys I
wait_until 'header_has "sorted by requestParameters.roleArn ▼"'
ok "... I inverts it, and the header follows" $?
command_line "sort name"
expect "a sort by a column on screen" "Event▲"
header_has "sorted by"
ok "... is marked in its column, with no sign at the end of the header" $((!$?))
command_line "sort ip"
wait_until 'header_has "sorted by ip ▲"'
ok "a default column hidden for room (Source IP at 120 columns): the header says it" $?
quit
mkdir -p "$XDG_STATE_HOME/ctview"
printf 'time,name,userIdentity.arn,userAgent,sourceIPAddress,requestParameters.roleArn\n' >"$XDG_STATE_HOME/ctview/columns"
start 100 30 "$ctview $sample"
expect "chosen columns" "userIdentity.arn"
command_line "sort requestParameters.roleArn"
wait_until 'header_has "sorted by requestParameters.roleArn ▲"'
ok "chosen columns: a sorted column off screen to the right is said in the header" $?
quit
rm -f "$XDG_STATE_HOME/ctview/columns"

# --- 8: the actors view fits its columns and scrolls sideways
start 140 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys a
expect "the actors view" "Actors: 8 origins behind 9 shown events"
row2() { screen | sed -n 2p; }
wait_until 'row2 | grep -q "ACCOUNTS.*ROLES"'
ok "at 140 columns the ACCOUNTS and ROLES columns are on screen" $?
screen | grep -qF "arn:aws:iam::7777888899"
ok "... the actor's ARN cut, not gone" $?
keys l l l l l l
wait_until 'row2 | grep -q "^<ACCOUNT "'
ok "l scrolls the columns sideways, a column at a time" $?
expect "... the cut lists read whole" "111122223333,777788889999"
keys h h h h h h
wait_until 'row2 | grep -q "^ EVENTS"'
ok "h scrolls back" $?
quit

# --- 8: the mouse wheel over the detail scrolls the detail, not the list
wheel_down_at() { # X Y (0-based): the wheel turned down, as an xterm sends it
    keys -l "$(printf '\033[Ma%b%b' "\\0$(printf '%o' $((33 + $1)))" "\\0$(printf '%o' $((33 + $2)))")"
}
start 120 40 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys Enter
expect "the detail open below the list" "Event 1/9"
expect "... from its first line" '"eventVersion": "1.05"'
for i in 1 2 3 4 5 6 7 8 9 10; do wheel_down_at 10 30; done
expect "the wheel over the detail scrolls it" '"MobileVersion": "No"'
wait_gone '"eventVersion": "1.05"'
ok "... down past its first lines" $?
expect "... the list still on its first event" "9/9 shown  #1 "
wheel_down_at 10 3
expect "the wheel over the list still scrolls the list" "9/9 shown  #4 "
quit

# --- 8: ':' completes JSON paths (:sort) and file names (:export)
mkdir -p "$tmp/out/mad"
: >"$tmp/out/marks-a.csv"
: >"$tmp/out/marks-b.csv"
: >"$tmp/out/other.json"
start 120 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys :
wait_for ":"
keys -l "sort requestParameters.r"
keys Tab
expect "Tab completes a JSON path of the shown events to the common part" ":sort requestParameters.role"
expect "... and lists the candidates" "requestParameters.roleArn  requestParameters.roleSessionName"
keys -l "A"
keys Tab
expect "... the one candidate whole" ":sort requestParameters.roleArn"
keys Enter
wait_until 'screen | head -1 | grep -qF "sorted by requestParameters.roleArn"'
ok "... and the completed line runs" $?
keys :
wait_for ":"
keys -l "export $tmp/out/ma"
keys Tab
expect "Tab completes a file name to the common part" ":export $tmp/out/ma"
expect "... and lists the files and folders (with a /) that start so" "$tmp/out/mad/  $tmp/out/marks-a.csv  $tmp/out/marks-b.csv"
keys -l "rks-b"
keys Tab
expect "... the one file whole" ":export $tmp/out/marks-b.csv"
keys Escape
quit

# --- 8: the help has a legend of the gutter's letters
start 120 60 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys '?'
expect "the help" "ctview keys"
keys G
expect "a legend of the list's gutter" "The list's gutter"
expect "... the Sigma levels' initials" "c h m l i  its findings' highest Sigma level: critical high medium low info"
expect "... a for attempts" "a  the findings are attempts: calls that failed"
quit

echo "screen flow: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
