#!/bin/sh
# Screen test: regex terms in the interface. The filter bar takes field:/REGEX/ and /REGEX/ (a '/', blanks
# and parentheses inside the expression are its own), the search takes them too, a bad expression shows
# PCRE2's message under the prompt, an expression that gives up says so in the status line, and one
# that gives up on every string keeps the keys answered.
# Drives the real TUI in tmux; every check waits for a condition, never a fixed time.
# Usage: regex.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-regex-$$"
. "$(dirname "$0")/harness.sh"

expr='name:/^(assume|console)/ -user:/^b(ob)? ?$/'
want=$("$ctview" --list -f "$expr" "$tests/sample" | wc -l)
total=$("$ctview" --list "$tests/sample" | wc -l)
[ "$want" -gt 0 ] && [ "$want" -lt "$total" ] || { echo "FAIL: the expression selects $want of $total"; exit 1; }
start 120 30 "$ctview --no-state $tests/sample"
expect "the list opens" "$total/$total shown"
keys /
keys -l "$expr"
keys Enter
expect "the filter bar applies regex terms" "$want/$total shown"
expect "the status line names the filter" "$expr"
keys /
keys C-u
keys -l 'ua:/boto3\/(/'
expect "a bad expression shows PCRE2's message under the prompt" "missing closing parenthesis"
keys Escape
expect "Esc keeps the filter in force" "$want/$total shown"
keys /
keys C-u
keys Enter
settle
swant=$("$ctview" --list -f 'src:/^sts$/' "$tests/sample" | wc -l)
keys s
keys -l 'src:/^sts$/'
keys Enter
expect "the search takes a regex term" "1 of $swant: src:/^sts\$/"
keys q
expect "q quits" "CTVIEW-EXITED 0"

# a catastrophic expression over a long value gives up within its bounds and says so once
long=$tmp/long.json
a=$(printf '%5000s' '' | tr ' ' a)
printf '{"Records":[{"eventID":"x1","eventTime":"2024-03-01T10:00:00Z","eventName":"Get","userAgent":"%s!"},{"eventID":"x2","eventTime":"2024-03-01T10:00:01Z","eventName":"Put","userAgent":"b"}]}' "$a" >"$long"
start 120 30 "$ctview --no-state -f 'ua:/(a+)+\$/ OR name:/^put\$/' $long"
expect "the expression gives up: said in the status line" "/(a+)+\$/ gave up on 1 values"
expect "and the value counts as not matching" "1/2 shown"
keys /
keys C-u
keys -l 'ua:/(a|aa)+$/ '
expect "an edited filter that gives up says so too" "/(a|aa)+\$/ gave up on 1 values"
keys Enter
expect "and shows nothing" "0/2 shown"
keys /
keys C-u
keys Enter
settle
keys s
keys -l 'ua:/(a+)+$/'
keys Enter
expect "a search that gives up says so, after its answer" "no shown event matches: ua:/(a+)+\$/; /(a+)+\$/ gave up on 1"

# a free-text expression that gives up on every string (each test runs to PCRE2's match limit) keeps the
# interface answering: its steps read the clock every few strings, so a new filter replaces it and q
# quits at once
slow=$tmp/slow.json
python3 -c '
import json, sys
recs = [{"eventID": "s%d" % i, "eventTime": "2024-03-01T10:%02d:%02dZ" % (i // 60 % 60, i % 60), "eventName": "Get",
         "userAgent": "agent-%05d-" % i + "x" * 40} for i in range(2000)]
json.dump({"Records": recs}, open(sys.argv[1], "w"))' "$slow"
slow_re='/(.*)*\d{40}$/'
start 120 30 "$ctview --no-state $slow"
expect "the slow tree opens" "2000/2000 shown"
keys /
keys -l "$slow_re"
keys Enter
expect "the slow expression runs" "filtering"
keys /
keys C-u
keys -l 'id:s7'
keys Enter
expect "a new filter replaces it at once" "1/2000 shown" 10
keys /
keys C-u
keys -l "$slow_re"
keys Enter
expect "the slow expression runs again" "filtering"
base_took=$(quit_base)
quits_at_once "q while it runs quits within a second of an idle quit"

echo "screen regex: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
