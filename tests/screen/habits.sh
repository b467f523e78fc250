#!/bin/sh
# Screen tests of an investigator's habits (issue 20): time zones, the ':' command line, saved state, the
# config file, keys, search, clipboard, pager and editor, honest counts, following. Drives the real TUI in
# tmux like run.sh (same rules: every check waits for a condition with a generous deadline, never a fixed
# time; absence is asserted only after the program showed it handled every key sent before).
# Usage: habits.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
sample=$tests/sample
base="ctview-habits-$$"
. "$(dirname "$0")/harness.sh"
unset PAGER EDITOR
# the line of the screen that holds TEXT
line_of() { screen | grep -F -- "$1" | head -1; }
quit() { keys q; wait_for "CTVIEW-EXITED"; }

# --- time zones: UTC by default and named in the header; --tz; a config file; relative times
start 120 30 "$ctview $sample"
expect "UTC by default, named in the header" "Time UTC            Account      Region"
expect "times in UTC" "2014-07-08 17:35:27 111122223333 us-east-2"
quit
start 120 30 "$ctview --tz Europe/Paris $sample"
expect "--tz names the zone in the header" "Time Europe/Paris   Account      Region"
expect "--tz shows the zone's wall clock (CEST in July)" "2014-07-08 19:35:27 111122223333"
quit
"$ctview" --tz Mars/Olympus "$sample" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "unknown time zone 'Mars/Olympus'" "$tmp/err"; ok "--tz with an unknown zone exits 1 and says why" $?
"$ctview" --tz UTC --list "$sample" >/dev/null 2>&1; [ $? -eq 1 ]; ok "--tz is for the interface" $?
mkdir -p "$XDG_CONFIG_HOME/ctview"
printf '# defaults\ntz = America/New_York\n' >"$XDG_CONFIG_HOME/ctview/config"
start 120 30 "$ctview $sample"
expect "the config file sets the zone (cut to the column)" "Time America/New_Y… Account"
expect "... and the times follow it (EDT)" "2014-07-08 13:35:27 111122223333"
quit
start 120 30 "$ctview --tz UTC $sample"
expect "--tz wins over the config file" "Time UTC            Account      Region"
quit
printf 'time = relative\n' >"$XDG_CONFIG_HOME/ctview/config"
start 120 30 "$ctview $sample"
expect "relative times as an option" "Time (ago)"
expect "... as ages (the column as wide as they are)" "12y ago    111122223333"
quit
printf 'tz = UTC\ncolour = red\n' >"$XDG_CONFIG_HOME/ctview/config"
start 120 30 "$ctview $sample"
expect "a bad config entry stops the interface before it opens, naming the file and the line" \
    "ctview: $XDG_CONFIG_HOME/ctview/config:2: unknown key 'colour' (keys: tz, theme, mouse, time)"
expect "... with exit status 1" "CTVIEW-EXITED 1"
rm -f "$XDG_CONFIG_HOME/ctview/config"

# --- the ':' command line: goto, filter, mark, export, tz, help, completion, history, :q
start 160 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys : g o t o Space 1 0 0 Enter
expect ":goto 100 goes to the last row" "9/9 shown  #9 "
expect_not ":goto 100 marks nothing (its letters are not keys)" "marked"
keys : g o t o Space 2016-03-23T01:39:55 Enter
expect ":goto TIME goes to the first event at or after it" "9/9 shown  #8 "
keys : g o t o Space -2h Enter
expect ":goto -2h goes two hours before the selected event" "9/9 shown  #7 "
keys : g Space 5 0 % Enter
expect ":g abbreviates :goto; N% goes to a share of the list" "9/9 shown  #5 "
keys : g o t o Space yesterday Enter
expect "a bad :goto leaves the line open with the reason" "'yesterday' is not a row"
expect "... the line still holds the command" ":goto yesterday"
keys Escape
wait_gone "is not a row"; ok "Esc closes the command line" $?
keys : g o Tab
expect "Tab completes a command name" ":goto"
keys 3 Enter
expect "... with the space after it" "9/9 shown  #3 "
keys : t z Space Europe/Pa Tab
expect "Tab completes a zone" ":tz Europe/Paris"
keys Enter
expect ":tz switches the zone" "Time Europe/Paris   Account"
expect "... and says so" "times in Europe/Paris"
keys : C-u Tab
expect "Tab on an empty line lists the commands" "case  export  filter  goto  help  mark  note  quit  report  sort  tag  tz  untag"
keys Escape : Up
expect "Up walks the command history" ":tz Europe/Paris"
keys Escape : f i l t e r Space user:bob Enter
expect ":filter filters the list" "2/9 shown"
keys : f i l t e r Enter
expect ":filter alone shows every event" "9/9 shown"
keys : m a r k Space name:AssumeRole* Enter
expect ":mark marks every shown event that matches" "4 shown events match: 4 marked in all"
expect "... the status line counts them" "4 marked"
keys : e x p o r t Space "$tmp/marked.csv" Enter
expect ":export writes the marked events" "wrote 4 marked events to $tmp/"
[ "$(wc -l <"$tmp/marked.csv")" -eq 5 ] && head -1 "$tmp/marked.csv" | grep -q '^eventTime,'
ok ":export FILE: a CSV (from the extension) with a header and the 4 events" $?
keys : e x p o r t Space "$tmp/marked.csv" Space jsonl Enter
expect ":export does not replace a file" "marked.csv exists: not replaced"
keys Escape : e x p o r t Space "$tmp/marked.out" Space jsonl Enter
expect ":export FILE FORMAT" "wrote 4 marked events to $tmp/"
[ "$(wc -l <"$tmp/marked.out")" -eq 4 ]; ok "... 4 JSON lines" $?
keys : h e l p Enter
expect ":help opens the help" "ctview keys   Esc: back"
keys j
wait_until 'screen | sed -n 2p | grep -q "Down j  "'; ok "j scrolls the help one line" $?
keys j k
wait_until 'screen | sed -n 2p | grep -q "Down j  "' && settle && screen | sed -n 2p | grep -q "Down j  "
ok "k scrolls it back" $?
keys G
expect "the help ends with the commands from the table" "Commands (:, Tab completes"
expect "... each command with its usage" ":export FILE [FORMAT]"
keys Escape : q Enter
expect ":q quits" "CTVIEW-EXITED 0"

# --- state across runs: histories kept under XDG_STATE_HOME, atomically, mode 0600; a damaged file
state=$XDG_STATE_HOME/ctview/state
rm -rf "$XDG_STATE_HOME"
start 120 30 "$ctview $sample"
expect "run 1 loaded" "9/9 shown  #1 "
keys / s r c : s t s Enter
expect "run 1: a filter" "/ src:sts"
keys s A s s u m e R o l e Enter
keys : g o t o Space 3 Enter
expect "run 1: a command" "#3 "
quit
[ -f "$state" ] && [ "$(stat -c %a "$state")" = 600 ]; ok "the state file is written with mode 0600" $?
[ "$(stat -c %a "$(dirname "$state")")" = 700 ]; ok "... in a folder of mode 0700" $?
grep -qx "filter src:sts" "$state" && grep -qx "search AssumeRole" "$state" && grep -qx "command goto 3" "$state"
ok "... holding the filter, search and command histories" $?
[ "$(find "$XDG_STATE_HOME" -type f | wc -l)" -eq 1 ]; ok "... and no temporary file beside it" $?
start 120 30 "$ctview $sample"
expect "run 2 loaded" "9/9 shown  #1 "
keys / Up
expect "run 2: the filter history of run 1" "filter: src:sts"
keys Escape s Up
expect "run 2: the search history of run 1" "search: AssumeRole"
keys Escape : Up
expect "run 2: the command history of run 1" ":goto 3"
keys Escape
quit
printf 'filter x\n\033]0;garbage' >"$state"
start 220 30 "$ctview $sample"
expect "a damaged state file is said once in the status line" "state file ignored and left alone: $state: line 1: not a ctview state"
keys j
expect "... once: the next key clears it" "9/9 shown  #2 "
expect_not "... and the run goes on without it" "state file ignored"
keys / Up
expect_not "... its entries are not used" "filter: filter x"
keys Escape
quit
[ "$(head -1 "$state")" = "filter x" ]; ok "... and it is left alone at quit (not ours to replace)" $?
rm -rf "$XDG_STATE_HOME"
start 120 30 "$ctview --no-state $sample"
keys / s r c : s t s Enter
expect "--no-state run" "/ src:sts"
keys C C-u
keys -l "time,name"
keys Enter
expect "--no-state: columns chosen" " time                 name"
quit
[ ! -e "$state" ] && [ ! -e "$XDG_STATE_HOME/ctview/columns" ]; ok "--no-state writes no state, nor the columns" $?

# --- keys: half pages, Esc clears the filter, the first Up shows the previous filter, marks as bookmarks
python3 -c '
import json
for i in range(100):
    print(json.dumps({"eventTime": "2024-03-01T10:%02d:%02dZ" % (i // 60, i % 60), "eventID": "e%d" % i,
                      "eventName": "Op%d" % i, "eventSource": "s3.amazonaws.com"}))' >"$tmp/hundred.jsonl"
start 120 30 "$ctview --no-state $tmp/hundred.jsonl"
expect "100 events" "100/100 shown  #1 "
keys C-d
expect "^D moves down half a page" "100/100 shown  #15 "
keys C-d C-u
expect "^U moves up half a page" "100/100 shown  #15 "
keys C-u
expect "... back to the top" "100/100 shown  #1 "
keys / n a m e : O p 1 '*' Enter
expect "a filter" "11/100 shown"
keys / C-u n a m e : O p 2 '*' Enter
expect "another filter" "11/100 shown"
keys /
expect "the prompt opens with the filter in force" "filter: name:Op2*"
keys Up
expect "the first Up shows the previous filter, not the one in force" "filter: name:Op1*"
keys Escape
keys Escape
expect "Esc in the list clears the filter" "100/100 shown"
expect "... and says how to get it back" "filter cleared (/ then Up brings it back)"
keys / Up
expect "... which is in the history" "filter: name:Op2*"
keys Escape
keys : g o t o Space 3 Enter Space : g o t o Space 6 Enter Space g
expect "two marks" "100/100 shown  #1  2 marked"
keys ']'
expect "] jumps to the next mark" "100/100 shown  #3 "
keys ']'
expect "... and the next" "100/100 shown  #6 "
keys ']'
expect "... wrapping" "marks wrapped"
expect "... to the first" "100/100 shown  #3 "
keys '['
expect "[ jumps to the previous mark (wrapping)" "100/100 shown  #6 "
keys U ']'
expect "] without marks says so" "no event is marked (Space marks)"
quit

# --- honest counts: the status line and the Problems view count problems and skipped alike; reason first
cp "$tests/sample/pasted/iam-sts-examples.json" "$tmp/pasted.json"
printf '{"unique_events": 3, "records": 5}\n' >"$tmp/truth.json"
start 160 30 "$ctview --no-state $tmp/missing $tmp/pasted.json $tmp/truth.json $sample"
expect "status: problems and skipped apart" "5 problems  2 skipped"
keys p
expect "the Problems view counts the same" "5 problems (4 bad records, 1 file), 2 skipped"
expect "a skipped file that holds no event says so" "skipped JSON that holds no CloudTrail event  ($tmp/truth.json)"
expect "an unreadable named path is a problem row, reason first" "file    not read: No such file or directory  ($tmp/missing)"
quit

# --- after the load, the selection is on the first event (later files may hold earlier events)
mkdir -p "$tmp/order"
python3 -c '
import json, sys
d = sys.argv[1]
with open(d + "/a.json", "w") as f:
    for i in range(10):
        f.write(json.dumps({"eventTime": "2024-03-02T10:00:%02dZ" % i, "eventID": "late%d" % i, "eventName": "Late"}) + "\n")
with open(d + "/b.json", "w") as f:
    for i in range(60000):
        f.write(json.dumps({"eventTime": "2024-03-01T%02d:%02d:%02dZ" % (i // 3600 % 24, i // 60 % 60, i % 60),
                            "eventID": "early%d" % i, "eventName": "Early", "requestParameters": {"pad": "x" * 200}}) + "\n")' "$tmp/order"
start 120 30 "CTVIEW_THREADS=1 $ctview --no-state $tmp/order"
expect "the load ends" "60010/60010 shown" 120
expect "the selection is on the first event" "60010/60010 shown  #1 " 5
line_of "2024-03-01 00:00:00" | grep -q Early; ok "... the earliest one, on the first row" $?
quit

# --- --follow: on the last event the selection follows new events, elsewhere it stays and counts them
mkdir -p "$tmp/follow"
cp "$tmp/pasted.json" "$tmp/follow/"
newevent() { # NAME SECOND: a log file moved into the followed folder
    printf '{"Records":[{"eventTime":"2030-01-01T00:00:%02dZ","eventID":"%s","eventName":"%s"}]}' "$2" "$1" "$1" >"$tmp/$1.tmp"
    mv "$tmp/$1.tmp" "$tmp/follow/$1.json"
}
start 120 30 "$ctview --no-state --follow $tmp/follow"
expect "following" "following  list"
keys G
expect "on the last event" "7/7 shown  #7 "
newevent NewOne 1
expect "a new event arrives" "8/8 shown"
expect "... and the selection follows it to the bottom" "8/8 shown  #8 "
keys k
expect "up one" "8/8 shown  #7 "
newevent NewTwo 2
newevent NewThree 3
expect "away from the bottom the selection stays" "10/10 shown  #7 "
expect "... and the status line counts the new events" "following, 2 new"
keys G
expect "at the bottom again" "10/10 shown  #10 "
expect_not "... the count goes" "2 new"
quit

# --- the trace pane scrolls sideways
start 100 40 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys G t
expect "trace open" "Trace of event 9/9"
expect "the role line is cut at the right edge" "role arn:aws:iam::111122223333:role/EC2-dev  session arn:aws:sts::1111222"
keys l l l l l l
expect "Right scrolls the trace sideways: the end of the line shows" "EC2-dev/Bob-EC2-dev  key AKIAQRSTUVWXYZEXAMPLE"
keys h h h h h h
expect "Left scrolls back" "role arn:aws:iam::111122223333:role/EC2-dev"
quit

# --- yank: OSC 52 on the raw terminal stream, base64 of exactly the event's minified JSON
"$ctview" --list --json "$sample" | head -1 | tr -d '\n' >"$tmp/first.json"
python3 -c 'import base64,sys; sys.stdout.write("\033]52;c;" + base64.b64encode(open(sys.argv[1],"rb").read()).decode() + "\a")' \
    "$tmp/first.json" >"$tmp/osc52.want"
start 180 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
T set-option -g set-clipboard on
T pipe-pane -o -t t "cat >>$tmp/raw"
keys y
expect "y says what it copied" "copied the event's JSON to the clipboard ($(wc -c <"$tmp/first.json") bytes, OSC 52)"
wait_until 'python3 -c "import sys; sys.exit(0 if open(sys.argv[2],\"rb\").read() in open(sys.argv[1],\"rb\").read() else 1)" "$tmp/raw" "$tmp/osc52.want"' 10
ok "the terminal got ESC ] 52 ; c ; base64 of exactly the JSON, then BEL" $?
T show-buffer >"$tmp/clip" 2>/dev/null; cmp -s "$tmp/clip" "$tmp/first.json"; ok "tmux's clipboard holds the event's JSON" $?
T pipe-pane -t t
quit

# --- y in the detail: the value under the cursor (a string unescaped, an object as JSON), not the event
python3 -c '
import json, sys
lines = json.dumps(json.load(open(sys.argv[1])), indent=2).split("\n")
print(next(i for i, l in enumerate(lines) if l.startswith("  \"userIdentity\":")),
      next(i for i, l in enumerate(lines) if l.startswith("    \"userName\":")))' "$tmp/first.json" >"$tmp/lines"
read -r ident_line name_line <"$tmp/lines"
# osc52_last RAW: the text of the last OSC 52 in the raw stream, decoded, on stdout
osc52_last() {
    python3 -c '
import base64, re, sys
m = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", open(sys.argv[1], "rb").read())
sys.exit(1) if not m else sys.stdout.buffer.write(base64.b64decode(m[-1]))' "$1"
}
rm -f "$tmp/raw"
start 180 40 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
T set-option -g set-clipboard on
T pipe-pane -o -t t "cat >>$tmp/raw"
keys Enter
expect "the detail opens" '"userName": "Alice"'
i=0
while [ $i -lt "$name_line" ]; do keys Down; i=$((i + 1)); done
keys y
expect "y in the detail copies the value under the cursor" "copied the value to the clipboard (5 bytes, OSC 52)"
wait_until '[ "$(osc52_last "$tmp/raw")" = Alice ]' 10
ok "... the string's text, without its quotes, on the terminal stream" $?
i=$name_line
while [ $i -gt "$ident_line" ]; do keys Up; i=$((i - 1)); done
keys y
wait_until 'osc52_last "$tmp/raw" | python3 -c "
import json, sys
sys.exit(0 if json.load(sys.stdin) == json.load(open(sys.argv[1]))[\"userIdentity\"] else 1)" "$tmp/first.json" 2>/dev/null' 10
ok "... on an object's line, the object as JSON" $?
osc52_last "$tmp/raw" | grep -q '^{"type":"IAMUser",'; ok "... minified" $?
T pipe-pane -t t
quit

# --- v: the event's pretty JSON in $PAGER, from a private read-only copy; the screen comes back
cat >"$tmp/pager.sh" <<'PAGER'
cp "$1" "$PAGER_OUT/paged.json"
stat -c %a "$1" >"$PAGER_OUT/mode"
stat -c %a "$(dirname "$1")" >"$PAGER_OUT/dirmode"
echo "$1" >"$PAGER_OUT/path"
echo PAGER-RAN
read -r x
PAGER
start 120 30 "PAGER_OUT=$tmp PAGER='sh $tmp/pager.sh' $ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys v
expect "v runs the pager" "PAGER-RAN"
grep -q '"eventName": "ConsoleLogin",' "$tmp/paged.json"; ok "... on the selected event's pretty JSON" $?
[ "$(cat "$tmp/mode")" = 400 ] && [ "$(cat "$tmp/dirmode")" = 700 ]; ok "... a read-only copy in a private folder" $?
keys Enter
expect "the screen comes back when the pager exits" "9/9 shown  #1 "
[ ! -e "$(cat "$tmp/path")" ]; ok "the copy is removed afterwards" $?
quit

# --- search: n without a search says so; a second s starts empty (Up brings the last term back)
start 120 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys n
expect "n with no search says so" "no search: press s to search"
keys s B o b Enter
expect "a search" "9/9 shown  #3 "
keys s
expect "the search prompt" "search:"
expect_not "a second s starts empty" "search: Bob"
keys Up
expect "Up brings the last term back" "search: Bob"
keys Escape
quit

# --- search highlight: the matched text in reverse video (SGR 7) on the terminal stream, in the list
# (also on the selected row, where it is flipped) and in the detail's JSON, and nothing else marked
screen_e() { T capture-pane -e -p -t t; }
# marked LINE-TEXT WORD: a screen line holding LINE-TEXT shows WORD right after an SGR with 7 in it
sgr7="$(printf '\033')\[([0-9]+;)*7m"
marked() { screen_e | grep -F -- "$1" | grep -Eq "$sgr7$2"; }
start 120 30 "$ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys s B o b Enter
expect "a search" "9/9 shown  #3 "
wait_until 'marked "2014-07-18 15:07:39" Bob' 10
ok "the search term is highlighted in a list row" $?
wait_until 'marked "2014-07-16 15:49:27" Bob' 10
ok "... and on the selected row" $?
! screen_e | grep -Eq "$sgr7[^B]"
ok "... and nothing else in the list is" $?
keys j
expect "the search stays in the status line once its message is gone" "9/9 shown  #4  11 files  2 problems  1 skipped  search Bob "
keys k
keys Enter
expect "the detail opens" '"userName": "Bob"'
wait_until 'screen_e | grep -F "\"userName\"" | grep -Eq "\"${sgr7}Bob$(printf "\033")\[0m"' 10
ok "the term is highlighted in the detail's JSON, the quotes are not" $?
keys s A L I C E Enter
expect "a second search" "of 2: ALICE"
wait_until '! marked "2014-07-18 15:07:39" Bob' 10
ok "a new search drops the old highlight" $?
wait_until 'marked "GetUserPolicy" Alice' 10
ok "matches are case-insensitive" $?
quit
# a cell cut to its column keeps the highlight of what is still shown, then its ellipsis
start 60 14 "$ctview --no-state $sample"
expect "loaded at 60 columns" "9/9 shown  #1 "
keys s W i t h W e b Enter
expect "a search for a word of a cut event name selects its row" "9/9 shown  #7 "
wait_until 'marked "2016-03-23 01:39:51" "WithWeb"' 10
ok "the match inside a cut cell is highlighted" $?
screen | grep -qF "2016-03-23 01:39:51 AssumeRoleWithWebIden… <id of user>"; ok "... and the cell still ends with an ellipsis" $?
quit

# --- E: the marked events in $EDITOR, as one read-only log file of their pretty JSON
start 120 30 "PAGER_OUT=$tmp EDITOR='sh $tmp/pager.sh' $ctview --no-state $sample"
expect "loaded" "9/9 shown  #1 "
keys E
expect "E without marks says so" "no event is marked"
keys : m a r k Space name:AssumeRole* Enter
expect "four marked" "4 marked"
keys E
expect "E runs the editor" "PAGER-RAN"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = [e["eventName"] for e in d["Records"]]
sys.exit(0 if sorted(names) == ["AssumeRole", "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"] else 1)' "$tmp/paged.json"
ok "... on the marked events, one JSON log file" $?
[ "$(cat "$tmp/mode")" = 400 ] && [ "$(cat "$tmp/dirmode")" = 700 ]; ok "... a read-only copy in a private folder" $?
keys Enter
expect "the screen comes back" "9/9 shown  #1  4 marked"
[ ! -e "$(cat "$tmp/path")" ]; ok "the copy is removed afterwards" $?
quit

# --- mouse: a click selects a row, the wheel scrolls; --no-mouse leaves it to the terminal
click() { # X Y (0-based): press and release of button 1, as an xterm sends them
    keys -l "$(printf '\033[M %b%b' "\\0$(printf '%o' $((33 + $1)))" "\\0$(printf '%o' $((33 + $2)))")"
    keys -l "$(printf '\033[M#%b%b' "\\0$(printf '%o' $((33 + $1)))" "\\0$(printf '%o' $((33 + $2)))")"
}
wheel_down() { keys -l "$(printf '\033[Ma%b%b' '\041' '\045')"; }
start 120 30 "$ctview --no-state $tmp/hundred.jsonl"
expect "loaded" "100/100 shown  #1 "
click 10 5
expect "a click on a row selects it" "100/100 shown  #5 "
wheel_down
expect "the wheel scrolls the list" "100/100 shown  #8 "
quit
start 120 30 "$ctview --no-state --no-mouse $tmp/hundred.jsonl"
expect "loaded" "100/100 shown  #1 "
click 10 5
expect_not "--no-mouse: a click selects nothing" "100/100 shown  #5 "
quit

echo "screen habits: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
