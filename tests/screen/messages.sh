#!/bin/sh
# Screen test of status messages and filter errors too long for their line (issue 30, defect 3): never
# cut mid-word. A message that does not fit beside the counts is wrapped, at spaces, on lines of its own
# above the status line; a path wider than a line keeps its file name after `…`; a filter error is
# wrapped under the prompt and read in full. Drives the real TUI in tmux; every check waits for a
# condition, never a fixed time. Input lines longer than they used to hold (1023 bytes) arrive whole.
# Usage: messages.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-messages-$$"
. "$(dirname "$0")/harness.sh"
sample=$(cd "$tests/sample" && pwd)
mkdir -p "$tmp/work"

# the export's message at 60 columns: the file name is shown whole
start 60 20 "cd $tmp/work && $ctview --no-state $sample"
expect "the list is up" "9/9 shown"
keys e
expect "the export dialog opens" "Export"
keys Enter
wait_until 'ls "$tmp/work" | grep -q "^ctview-export-.*\.json$"'
ok "the export writes its file" $?
file=$(ls "$tmp/work" | grep "^ctview-export-.*\.json$" | head -1)
expect "the export's message names the whole file" "events to $file"
expect "and the rest of the message, on the next line" "(records)"
keys q
expect "q quits" "CTVIEW-EXITED 0"

# a path wider than the screen keeps its tail: the file name
long="$tmp/work/a-folder-with-a-rather-long-name-for-the-test/and-another-one-under-it"
mkdir -p "$long"
start 60 20 "cd $tmp/work && $ctview --no-state $sample"
expect "the list is up (2)" "9/9 shown"
keys : "export $long/tail-kept.json" Enter
wait_until '[ -f "$long/tail-kept.json" ]'
ok ":export writes the file" $?
wait_until 'screen | grep -qE "^…/[^ ]*/tail-kept\.json$"'
ok "a long path keeps its file name (and the folders that fit) after the ellipsis" $?
keys q
expect "q quits (2)" "CTVIEW-EXITED 0"

# a filter error at 140 columns is read to its end
start 140 30 "$ctview --no-state $sample"
expect "the list is up (3)" "9/9 shown"
keys / "usr:x"
keys Enter
expect "the filter error names the bad term" "unknown field 'usr'"
# the whole error, as -f gives it, wrapped at spaces: the screen's lines joined again hold it
want=$("$ctview" --list -f 'usr:x' "$sample" 2>&1 >/dev/null | sed 's/^ctview: -f: //' | tr -s ' ')
wait_until 'screen | tr "\n" " " | tr -s " " | grep -qF -- "$want"'
ok "the filter error is shown to its end" $?
keys Escape
settle
keys q
expect "q quits (3)" "CTVIEW-EXITED 0"

# input lines hold what the languages behind them take: a filter with a long run of blanks and a note of
# 3000 bytes arrive whole; a line past the prompt's room (16383 bytes) is refused with a message and
# never applied cut
cases="$XDG_DATA_HOME/ctview/cases"
start 120 30 "$ctview $sample"
expect "the list is up (long lines)" "9/9 shown"
blanks=$(printf '%1010s' '')
keys /
keys -l "name:ConsoleLogin$blanks -name:ConsoleLogin"
keys Enter
expect "a filter past 1023 bytes is applied whole, as --list -f reads it" "0/9 shown"
keys /
keys C-u
keys Enter
expect "the filter is cleared" "9/9 shown"
note=$(printf '%3000s' '' | tr ' ' n)
keys :
keys -l "note $note"
keys Enter
expect ":note takes a 3000-byte note" "noted the selected event"
grep -q "\"$note\"" "$cases"/*.json; ok "... and keeps it whole" $?
chunk=$(printf '%4100s' '' | tr ' ' a)
keys /
for i in 1 2 3 4; do keys -l "$chunk"; done
# 16400 keys, each checked as typed: slow under a sanitizer, hence the longer deadline
expect "a line past the prompt's room says so" "longer than 16383 bytes" 180
keys Enter
expect "Enter on it applies nothing: the message stays" "nothing is applied"
keys Escape
expect "Esc restores the list" "9/9 shown"
expect_not "the cut text was never applied" "0/9 shown"
keys q
expect "q quits (long lines)" "CTVIEW-EXITED 0"

echo "screen messages: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
