#!/bin/sh
# Screen tests of sorting the list by a column (issue 17): > and < pick the column, I inverts, :sort
# names one and :sort alone goes back to time order; the header marks the column and the direction; the
# selection stays on its event; search, :goto, the filter, export and following keep working on the
# sorted list. Drives the real TUI in tmux like run.sh (every check waits for a condition with a generous
# deadline, never a fixed time; absence is asserted only after the program showed it handled every key
# sent before). The expected orders are worked out here, in Python, from --list's time order.
# Usage: sort.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
sample=$tests/sample
base="ctview-sort-$$"
. "$(dirname "$0")/harness.sh"
quit() { keys q; wait_for "CTVIEW-EXITED"; }
command_line() { keys :; wait_for ":"; keys -l "$1"; keys Enter; }

# The expected order of a column: --list's rows (time order) sorted in Python by the column (field
# number of --list), ignoring case, stably (so ties stay in time order, reversed or not), missing ("-")
# last. Prints the column's values, one a line.
expected() { # FIELD [desc]
    "$ctview" --list "$sample" | python3 -c '
import sys
field, desc = int(sys.argv[1]), len(sys.argv) > 2
rows = [l.rstrip("\n").split("\t")[field] for l in sys.stdin]
have = sorted([v for v in rows if v != "-"], key=str.lower, reverse=desc)
print("\n".join(have + [v for v in rows if v == "-"]))' "$@"
}
# Whether the screen's column TITLE (up to the next column's title NEXT) shows, row by row, the values
# of EXPECTED_FILE (a cell cut to the column's width shows the start of its value).
column_is() { # TITLE NEXT EXPECTED_FILE
    screen | python3 -c '
import sys
lines = sys.stdin.read().split("\n")
a, b = lines[0].index(sys.argv[1]), lines[0].index(sys.argv[2])
want = open(sys.argv[3]).read().split("\n")[:-1]
got = []
for l in lines[1:]:
    if not l.strip() or " shown  #" in l:
        break
    got.append(l[a:b].strip())
sys.exit(0 if len(got) == len(want) and all(g and w.startswith(g) for g, w in zip(got, want)) else 1)' "$@"
}

# --- sort by a column, reverse it, back to time order; the selection stays on its event
expected 4 >"$tmp/name.asc"
expected 4 desc >"$tmp/name.desc"
start 120 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys G
expect "the last event (DeleteBucket, the newest) selected" "9/9 shown  #9 "
keys '>' '>' '>' '>' '>'
expect "> five times: sorted by the fifth column, Event, marked in the header" "Event▲"
expect "... the status line says so" "sorted by name ▲"
wait_until 'column_is "Event▲" Identity "$tmp/name.asc"'
ok "... the rows are in Event order (Python's sort of --list), ties in time order" $?
expect "... the selection stayed on DeleteBucket, now row 8" "9/9 shown  #8 "
keys Enter
expect "... the detail shows that event" '"arn": "arn:aws:sts::777788889999:assumed-role/AssumeNothing/devdsk"'
keys Escape
keys I
expect "I inverts: the header says descending" "Event▼"
wait_until 'column_is "Event▼" Identity "$tmp/name.desc"'
ok "... the rows are in reverse Event order, ties still in time order" $?
expect "... the selection is still DeleteBucket, now row 2" "9/9 shown  #2 "
command_line "sort"
expect ":sort alone: back to time order" "time order"
expect_not "... the header has no mark" "Event▼"
expect "... the rows are in time order again, the selection on DeleteBucket, the last" "9/9 shown  #9 "
keys g '<'
expect "< from time order: the last column, Error" "Error▲"
line=$(screen | sed -n 2p)
case "$line" in *"Failed authent"*|*"No username"*) r=0 ;; *) r=1 ;; esac
ok "... the events with an error come first" $r
keys '>'
expect "> past the last column: time order" "time order"
keys I
expect "I in time order: newest first (Time descending)" "Time▼ UTC"
screen | sed -n 2p | grep -q "2016-11-14 17:25:45"; ok "... the newest event on the first row" $?
quit

# --- search, :goto, the filter and export on a sorted list
start 120 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
command_line "sort name"
expect ":sort name" "Event▲"
keys g
keys s
wait_for "search:"
keys -l "name:ConsoleLogin"
keys Enter
expect "n after a sort: the first match in the sorted order (row 5)" "1 of 3: name:ConsoleLogin"
expect "... selected" "9/9 shown  #5 "
keys n
expect "n: the next match below" "9/9 shown  #6 "
keys N N
expect "N N: back past the first match, wrapping to the last" "9/9 shown  #7 "
command_line "goto 2016-01-01"
expect ":goto TIME when sorted: the first event at or after it in time order (WebIdentity, row 4)" "9/9 shown  #4 "
expect "... and says what it did" "first event at or after that time"
keys Enter
expect "... the detail shows that event" '"type": "WebIdentityUser"'
keys Escape
command_line "sort name desc"
expect ":sort name desc" "Event▼"
command_line "export $tmp/sorted.jsonl jsonl"
expect "export of the shown events" "wrote 9 shown events"
python3 - "$tmp/sorted.jsonl" <<'EOF'
import json, sys
names = [json.loads(l)["eventName"] for l in open(sys.argv[1])]
key = [n.lower() for n in names]
sys.exit(0 if len(names) == 9 and key == sorted(key, reverse=True) else 1)
EOF
ok "... in the list's (sorted) order" $?
keys /
wait_for "filter:"
keys -l -- "-name:DeleteBucket"
keys Enter
expect "a filter keeps the sort" "8/9 shown"
grep -v DeleteBucket "$tmp/name.desc" >"$tmp/name.desc.filtered"
wait_until 'column_is "Event▼" Identity "$tmp/name.desc.filtered"'
ok "... the filtered rows are still in reverse Event order" $?
keys /
wait_for "filter:"
keys C-u
keys -l "name:AssumeRole"
keys Enter
expect "a small filtered list" "2/9 shown"
command_line "sort identity desc"
expect "... sorted by itself (not the whole store's ranks)" "Identity▼"
screen | sed -n 2p | grep -q "user/Bob" && screen | sed -n 3p | grep -q "AWSAccount"
ok "... user/Bob before AWSAccount, descending" $?
command_line "sort name desc"
command_line "sort nosuchfield"
expect ":sort with an unknown field says why" "unknown field 'nosuchfield'"
keys Escape
expect "... and the sort stays" "Event▼"
quit

# --- chosen columns: a JSON path, the mark on its header, > past the last; the ASCII marks
mkdir -p "$XDG_STATE_HOME/ctview"
printf 'time,name,requestParameters.roleArn\n' >"$XDG_STATE_HOME/ctview/columns"
start 140 30 "$ctview $sample"
expect "the remembered columns" "requestParameters.roleArn"
command_line "sort requestParameters.roleArn"
expect "sorted by a path, marked in its header" "requestParameters.roleArn▲"
screen | sed -n 2p | grep -qF "arn:aws:iam:: 111122223333:role/EC2-dev"; ok "... the smallest value first" $?
screen | sed -n 5p | grep -qF "SAMLTestRole"; ok "... then in order" $?
screen | sed -n 6p | grep -qF "2014-07-08T17:35:27Z"; ok "... the events without the path last, in time order" $?
keys '>'
expect "> past the last chosen column: time order" "time order"
keys '<' '<'
expect "< from time order: the chosen columns from the right" "name▲"
quit
rm -f "$XDG_STATE_HOME/ctview/columns"
start 120 30 "LANG=C LC_ALL=C $ctview --no-state $sample"
expect "loaded (C locale)" "9/9 shown"
keys '>' '>' '>' '>' '>'
expect "ASCII mark when the locale is not UTF-8" "Event^"
keys I
expect "... and descending" "Eventv"
quit

# --- following: new events are placed by the sort, the selection sticks to the bottom
mkdir -p "$tmp/follow"
newevent() { # NAME SECOND: a log file moved into the followed folder
    printf '{"Records":[{"eventTime":"2030-01-01T00:00:%02dZ","eventID":"%s","eventName":"%s"}]}' "$2" "$1" "$1" >"$tmp/$1.tmp"
    mv "$tmp/$1.tmp" "$tmp/follow/$1.json"
}
newevent Bravo 1
newevent Foxtrot 2
newevent Delta 3
start 120 30 "$ctview --no-state --follow $tmp/follow"
expect "following" "following  list"
command_line "sort name"
expect "sorted" "Event▲"
keys G
expect "on the last row" "3/3 shown  #3 "
newevent Charlie 4
expect "a new event arrives" "4/4 shown"
printf 'Bravo\nCharlie\nDelta\nFoxtrot\n' >"$tmp/follow.asc"
wait_until 'column_is "Event▲" Identity "$tmp/follow.asc"'
ok "... placed by the sort, not at the bottom" $?
expect "... the selection stuck to the bottom" "4/4 shown  #4 "
quit

echo "screen sort: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
