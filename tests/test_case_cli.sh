#!/bin/sh
# The case on the command line (issue 30 item 1): --case-import merges a colleague's case into the case
# of these PATHs, --case-export writes it back (every event, loaded or not), tag: and note: filter (-f)
# and show (--columns, --top) in every mode, two --case names are two cases, and what is refused is
# refused with exit 1. Usage: test_case_cli.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" TZ=UTC
logs="$tests/sample"

check() { # description, then the command's status must be 0
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}

# two events of the sample by ACCOUNT:EVENTID, and one that is not in it
"$ctview" --list --columns acct,id,name "$logs" >"$tmp/events" 2>/dev/null
first=$(awk -F'\t' 'NR == 1 {print $1 ":" $2}' "$tmp/events")
second=$(awk -F'\t' 'NR == 4 {print $1 ":" $2}' "$tmp/events")
[ -n "$first" ] && [ -n "$second" ] && [ "$first" != "$second" ]; check "two sample events" $?
cat >"$tmp/colleague.json" <<JSON
{"ctview_case": 1, "name": "theirs", "events": [
 {"event": "$first", "marked": true, "tags": ["exfil", "t1078"], "notes": ["Alice, from a new IP"], "updated": 1000},
 {"event": "$second", "marked": false, "tags": ["exfil"], "notes": [], "updated": 1000},
 {"event": "999999999999:not-loaded", "marked": false, "tags": [], "notes": ["seen in another trail"], "updated": 1000}]}
JSON

"$ctview" --case-import "$tmp/colleague.json" "$logs" 2>"$tmp/err"; check "--case-import exits 0" $?
grep -q "3 events added or changed, 3 in all" "$tmp/err"; check "... and says what it merged" $?
[ "$(stat -c %a "$XDG_DATA_HOME"/ctview/cases/*.json)" = 600 ]; check "the case file is mode 0600" $?

"$ctview" --list -f 'tag:exfil' --columns id,tag,note "$logs" >"$tmp/out" 2>/dev/null
check "-f tag:exfil exits 0" $?
[ "$(wc -l <"$tmp/out")" -eq 2 ]; check "-f tag:exfil lists the two tagged events" $?
grep -qF "$(echo "$first" | cut -d: -f2)	exfil,t1078	Alice, from a new IP" "$tmp/out"
check "--columns tag,note show the tags (sorted, joined by ',') and the notes" $?
grep -qF "$(echo "$second" | cut -d: -f2)	exfil	-" "$tmp/out"; check "... '-' for no note" $?
[ "$("$ctview" --list -f 'note:*new*' "$logs" 2>/dev/null | wc -l)" -eq 1 ]; check "-f note: globs" $?
[ "$("$ctview" --list -f 'tag:T1078' "$logs" 2>/dev/null | wc -l)" -eq 1 ]; check "tag: is case-insensitive" $?
[ "$("$ctview" --list -f '-tag:*' "$logs" 2>/dev/null | wc -l)" -eq 7 ]; check "-tag:* keeps the untagged" $?
[ "$("$ctview" --list --columns id -f 'tag:/^T10/' "$logs" 2>/dev/null | wc -l)" -eq 1 ]; check "-f tag:/REGEX/" $?
[ "$("$ctview" --list -f 'note:/new ip$/' "$logs" 2>/dev/null | wc -l)" -eq 1 ]; check "-f note:/REGEX/" $?
[ "$("$ctview" --list -f '-tag:/x/' "$logs" 2>/dev/null | wc -l)" -eq 7 ]; check "-f -tag:/REGEX/" $?
"$ctview" --stats -f 'tag:/exf/' "$logs" >/dev/null 2>&1; check "--stats -f tag:/REGEX/" $?
"$ctview" --top tag "$logs" 2>/dev/null >"$tmp/top"
printf '2\texfil\n1\tt1078\n' | cmp -s - "$tmp/top"; check "--top tag counts the tags" $?
"$ctview" --export "$tmp/tagged.csv" --format csv --columns id,tag,note -f tag:t1078 "$logs" 2>/dev/null
grep -q 'exfil,t1078' "$tmp/tagged.csv"; check "a CSV export shows the tag column" $?

# a second case over the same logs is another case
[ "$("$ctview" --case second --list -f 'tag:*' "$logs" 2>/dev/null | wc -l)" -eq 0 ]
check "--case second starts empty" $?
"$ctview" --case-export "$tmp/export.json" "$logs" 2>"$tmp/err"; check "--case-export exits 0" $?
grep -q "wrote the case 'default' (3 events)" "$tmp/err"; check "... and says what it wrote" $?
grep -q '"999999999999:not-loaded"' "$tmp/export.json"; check "a note on an event not loaded is kept" $?
"$ctview" --case-export "$tmp/export.json" "$logs" 2>"$tmp/err"; [ $? -eq 1 ]
check "--case-export refuses to replace a file" $?
grep -q "use --force" "$tmp/err"; check "... and says --force" $?
"$ctview" --case-export "$tmp/export.json" --force "$logs" 2>/dev/null; check "--force replaces it" $?
"$ctview" --case second --case-import "$tmp/export.json" "$logs" 2>/dev/null; check "import into --case second" $?
[ "$("$ctview" --case second --list -f 'tag:exfil' "$logs" 2>/dev/null | wc -l)" -eq 2 ]
check "the round trip brings the tags into the second case" $?
"$ctview" --case second --case-export - "$logs" | sed 's/"name":"second"/"name":"default"/' >"$tmp/second.json"
cmp -s "$tmp/export.json" "$tmp/second.json"
check "the second case exports the same events, marks, tags, notes and times" $?

# a newer entry's mark and tags win; the notes of both are kept; an older one changes nothing
cat >"$tmp/newer.json" <<JSON
{"ctview_case": 1, "events": [
 {"event": "$first", "marked": false, "tags": ["benign"], "notes": ["ruled out: VPN"], "updated": 2000},
 {"event": "$second", "marked": true, "tags": ["old"], "notes": [], "updated": 500}]}
JSON
"$ctview" --case second --case-import "$tmp/newer.json" "$logs" 2>"$tmp/err"; check "a second import" $?
grep -q "1 event added or changed" "$tmp/err"; check "... changes only the newer entry" $?
"$ctview" --case second --list -f "tag:benign" --columns note "$logs" 2>/dev/null >"$tmp/out"
[ "$(cat "$tmp/out")" = "Alice, from a new IP,ruled out: VPN" ]; check "... its tags win, both notes kept" $?
[ "$("$ctview" --case second --list -f 'tag:old' "$logs" 2>/dev/null | wc -l)" -eq 0 ]
check "... an older entry does not win" $?
[ "$("$ctview" --list -f 'tag:benign' "$logs" 2>/dev/null | wc -l)" -eq 0 ]; check "... the default case is untouched" $?

# refused
printf '{"ctview_case": 1, "events": [' >"$tmp/cut.json"
before=$(cat "$XDG_DATA_HOME"/ctview/cases/*.json | md5sum)
"$ctview" --case-import "$tmp/cut.json" "$logs" 2>"$tmp/err"; [ $? -eq 1 ]; check "a damaged import exits 1" $?
grep -q "cut.json: byte" "$tmp/err"; check "... naming the file and the byte" $?
[ "$(cat "$XDG_DATA_HOME"/ctview/cases/*.json | md5sum)" = "$before" ]; check "... and changes no case" $?
"$ctview" --case 'no spaces' --list "$logs" >/dev/null 2>&1; [ $? -eq 1 ]; check "a bad --case name exits 1" $?
refuse() { # description, file content: the import exits 1 naming the file and the reason, no case changes
    printf '%s' "$2" >"$tmp/bad.json"
    "$ctview" --case-import "$tmp/bad.json" "$logs" 2>"$tmp/err"; [ $? -eq 1 ]; check "$1 exits 1" $?
    grep -q "bad.json: .*$3" "$tmp/err"; check "... $1 names the file and '$3'" $?
    [ "$(cat "$XDG_DATA_HOME"/ctview/cases/*.json | md5sum)" = "$before" ]; check "... $1 changes no case" $?
}
one() { printf '{"ctview_case": 1, "events": [{"event": "%s", %s}]}' "$first" "$1"; }
refuse "trailing text" "$(one '"marked": true')x" "byte"
for u in 1e400 -1 1.5 '"5"' 300000000000000; do
    refuse "updated $u" "$(one "\"marked\": true, \"updated\": $u")" 'event 1: "updated"'
done
refuse 'marked "yes"' "$(one '"marked": "yes", "updated": 5')" 'event 1: "marked"'
refuse "a note not UTF-8" "$(one "$(printf '"notes": ["bad \377 byte"], "updated": 5')")" "UTF-8"
refuse "a note holding \\u0000" "$(one '"notes": ["cut\u0000here"], "updated": 5')" 'byte [0-9]*: a string holds .u0000 (NUL)'
"$ctview" --case-import "$tmp/nonexistent.json" "$logs" 2>"$tmp/err"; [ $? -eq 1 ]; check "a missing import exits 1" $?
grep -q "nonexistent.json: No such file" "$tmp/err"; check "... naming it" $?
"$ctview" --case-import "$tmp/newer.json" "$tmp/no/such/logs" 2>"$tmp/err"; [ $? -eq 3 ]
check "an import for a PATH that cannot be read exits 3" $?
grep -q "no/such/logs: not read" "$tmp/err"; check "... naming it" $?
[ "$(find "$XDG_DATA_HOME" -name '*.json' | wc -l)" -eq 2 ]; check "... and makes no case" $?
"$ctview" --case-import "$tmp/newer.json" --no-state "$logs" 2>"$tmp/err"
grep -q -- "--case-import does not go with --no-state" "$tmp/err"; check "--no-state: says --case-import" $?
"$ctview" --case-export /dev/null "$logs" 2>/dev/null; check "--case-export to a device writes" $?
"$ctview" --case-export /dev/full "$logs" 2>"$tmp/err"; [ $? -eq 1 ]; check "--case-export /dev/full exits 1" $?
grep -q "No space" "$tmp/err" && ! grep -q force "$tmp/err"; check "... saying why, not --force" $?

"$ctview" --case-export - -f tag:x "$logs" >/dev/null 2>&1; [ $? -eq 1 ]; check "--case-export with -f exits 1" $?
"$ctview" --case-import "$tmp/newer.json" --no-state "$logs" >/dev/null 2>&1; [ $? -eq 1 ]
check "--case-import with --no-state exits 1" $?
"$ctview" --sql -f 'tag:exfil' >/dev/null 2>"$tmp/err"; [ $? -eq 1 ]; check "--sql refuses tag:" $?
grep -q "tags and notes are the case's" "$tmp/err"; check "... saying why" $?
"$ctview" --list -f 'tag:exfil' "$logs" >/dev/null 2>&1 </dev/null
[ "$(find "$XDG_DATA_HOME" -name '*.json' | wc -l)" -eq 2 ]; check "the modes write no case" $?

# an entry from a clock ahead is taken as now: a later change here still wins; an export is valid JSON
cat >"$tmp/ahead-in.json" <<JSON
{"ctview_case": 1, "events": [{"event": "$first", "marked": true, "notes": ["caf\u00e9"], "updated": 9999999999999}]}
JSON
"$ctview" --case ahead --case-import "$tmp/ahead-in.json" "$logs" 2>/dev/null
check "an import from a clock ahead" $?
"$ctview" --case ahead --case-export - "$logs" >"$tmp/ahead.json" 2>/dev/null
python3 -c '
import json, sys, time
e = json.loads(open(sys.argv[1], "rb").read())["events"][0]
sys.exit(not (e["notes"] == ["caf\u00e9"] and e["updated"] <= time.time() * 1000))' "$tmp/ahead.json"
check "... is stamped now at the latest, exported as valid JSON" $?

# an eventID that is not UTF-8 (as logged): marked and tagged, the case stays readable and names it
bad="$tmp/badlog"
mkdir -p "$bad"
printf '{"Records": [{"eventTime": "2024-03-01T10:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject", "awsRegion": "us-east-1", "eventID": "id-\377\3762", "recipientAccountId": "111122223333"}]}' >"$bad/log.json"
printf '{"ctview_case": 1, "events": [{"event": "111122223333:id-\377\3762", "marked": true, "tags": ["x1"], "updated": 5}]}' >"$tmp/raw.json"
"$ctview" --case-import "$tmp/raw.json" "$bad" 2>/dev/null; check "an import of a key that is not UTF-8" $?
[ "$("$ctview" --list -f tag:x1 "$bad" 2>/dev/null | wc -l)" -eq 1 ]; check "... names the event it was made on" $?
"$ctview" --case-export - "$bad" >"$tmp/raw-out.json" 2>/dev/null; check "... and is exported" $?
python3 -c '
import json, sys
e = json.loads(open(sys.argv[1], "rb").read())["events"][0]
sys.exit(not (bytes.fromhex(e["event_hex"]) == b"111122223333:id-\xff\xfe2" and e["tags"] == ["x1"]))' "$tmp/raw-out.json"
check "... as valid JSON, its bytes in event_hex" $?
[ "$("$ctview" --list -f tag:x1 "$bad" 2>/dev/null | wc -l)" -eq 1 ]; check "... and read again" $?

# one bad entry of the case file is left out and said; the rest is read
badcase=$(ls "$XDG_DATA_HOME"/ctview/cases/*.json | while read -r f; do grep -l 'badlog' "$f"; done)
printf '{"ctview_case": 1, "events": [{"event": "111122223333:id-\377\3762", "tags": ["x1"], "updated": 5}, {"event": "nokey"}]}' >"$badcase"
[ "$("$ctview" --list -f tag:x1 "$bad" 2>"$tmp/err" | wc -l)" -eq 1 ]; check "a case with one bad entry is read" $?
grep -q "1 entry left out.*event 2" "$tmp/err"; check "... saying which entry is left out" $?
# a case that cannot be read stops the modes that need it, with the reason
printf '{"ctview_case": 1, "events": [' >"$badcase"
"$ctview" --list -f tag:x1 "$bad" >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ]; check "-f tag: over an unreadable case exits 1" $?
grep -q "the case cannot be read" "$tmp/err"; check "... saying why" $?
"$ctview" --case-export - "$bad" >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ]; check "--case-export of an unreadable case exits 1" $?
[ ! -s "$tmp/out" ] && grep -q "cannot be read" "$tmp/err"; check "... writing nothing, saying why" $?
"$ctview" --report - "$bad" >/dev/null 2>&1; [ $? -ne 0 ]; check "--report over an unreadable case fails" $?
[ "$("$ctview" --list "$bad" 2>/dev/null | wc -l)" -eq 1 ]; check "... a mode without the case runs" $?

# notes past an event's limit are said, the import exits 1; the rest is merged
notes=$(python3 -c 'import json; print(json.dumps(["mine %d" % i for i in range(64)]))')
printf '{"ctview_case": 1, "events": [{"event": "%s", "notes": %s, "updated": 2}]}' "$first" "$notes" >"$tmp/n64a.json"
printf '{"ctview_case": 1, "events": [{"event": "%s", "notes": ["theirs"], "updated": 2}, {"event": "%s", "marked": true, "updated": 2}]}' "$first" "$second" >"$tmp/n64b.json"
"$ctview" --case n64 --case-import "$tmp/n64a.json" "$logs" 2>/dev/null; check "64 notes import" $?
"$ctview" --case n64 --case-import "$tmp/n64b.json" "$logs" 2>"$tmp/err"; [ $? -eq 1 ]; check "a 65th note exits 1" $?
grep -q "1 note not merged: an event holds at most 64 notes" "$tmp/err"; check "... saying so" $?
"$ctview" --case n64 --case-export - "$logs" 2>/dev/null | grep -qF "\"event\":\"$second\",\"marked\":true"
check "... the rest merged" $?

# an import listing one event twice counts it once; a symbolic link and '-' are imports too
printf '{"ctview_case":1,"events":[{"event":"1:a","marked":true,"updated":1},{"event":"1:a","marked":false,"updated":2},{"event":"1:b","marked":true,"updated":1}]}' >"$tmp/twice.json"
ln -s "$tmp/twice.json" "$tmp/link.json"
"$ctview" --case twice --case-import "$tmp/link.json" "$logs" 2>"$tmp/err"; check "an import through a symbolic link" $?
grep -q "2 events added or changed, 1 in all" "$tmp/err"; check "... counts each event once" $?
"$ctview" --case stdin --case-import - "$logs" <"$tmp/twice.json" 2>"$tmp/err"; check "an import from '-'" $?
grep -q "1 in all" "$tmp/err"; check "... merged" $?
"$ctview" --case-export - "$tmp/no/such/logs" >/dev/null 2>&1; [ $? -eq 3 ]
check "an export for a PATH that cannot be read exits 3" $?

# on a terminal, the export writes C1 and BiDi characters as escapes (as --list --json)
printf '{"ctview_case": 1, "events": [{"event": "%s", "notes": ["\302\233 \342\200\256x"], "updated": 2}]}' "$first" >"$tmp/bidi.json"
"$ctview" --case bidi --case-import "$tmp/bidi.json" "$logs" 2>/dev/null
TERM=dumb script -qc "'$ctview' --case bidi --case-export - '$logs'" /dev/null >"$tmp/tty.out" 2>&1
grep -q 'u009b' "$tmp/tty.out" && grep -q 'u202e' "$tmp/tty.out" && ! grep -q "$(printf '\342\200\256')" "$tmp/tty.out"
check "--case-export - on a terminal escapes C1 and BiDi" $?

echo "case cli: $fails failed"
[ "$fails" -eq 0 ]
