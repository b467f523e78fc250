#!/bin/sh
# The command-line contract: options, exit codes, output formats. Usage: test_cli.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
fails=0
skips=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # description, then the command's status must be 0
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}
skip() { # why: a block that cannot run here is reported, not passed
    echo "SKIP: $1"
    skips=$((skips + 1))
}

"$ctview" --help >"$tmp/help" 2>&1; check "--help exits 0" $?
grep -q -- "--list" "$tmp/help"; check "--help mentions --list" $?
"$ctview" --version | grep -q '^ctview [0-9]'; check "--version prints the version" $?
# the man page and --help list the same options
grep -o -- '--[a-z][a-z-]*\|^  -[a-zA-Z]\b\|, -[a-zA-Z]\b' "$tmp/help" | sed 's/^[ ,]*//' | sort -u >"$tmp/help.opts"
sed -n '/^\.SH OPTIONS/,/^\.SH FILTERS/p' "$tests/../ctview.1" | sed 's/\\-/-/g; s/\\f[BIRP]//g' |
    grep -o -- '--[a-z][a-z-]*\|^\.BR* -[a-zA-Z]\b\|^\.BI -[a-zA-Z]\b\|^-[a-zA-Z]\b' | sed 's/^\.B[RI]* //' | sort -u >"$tmp/man.opts"
diff "$tmp/help.opts" "$tmp/man.opts"; check "--help and the man page list the same options" $?
[ "$(wc -l <"$tmp/help.opts")" -ge 12 ]; check "the option lists are not empty" $?
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$tests/../ctview.1" 2>"$tmp/groff" && [ ! -s "$tmp/groff" ]
    check "the man page renders without a warning" $?
    cat "$tmp/groff"
else
    skip "cli: the man page render: groff is not installed"
fi

"$ctview" >/dev/null 2>"$tmp/err"; [ $? -eq 1 ]; check "no PATH exits 1" $?
[ "$(wc -l <"$tmp/err")" -eq 1 ]; check "usage error is one line" $?
"$ctview" --bogus x >/dev/null 2>&1; [ $? -eq 1 ]; check "unknown option exits 1" $?
"$ctview" --list --stats x >/dev/null 2>&1; [ $? -eq 1 ]; check "--list with --stats exits 1" $?
"$ctview" "$tests/sample" </dev/null >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ]; check "TUI without a terminal exits 1" $?
grep -q "terminal" "$tmp/err"; check "TUI without a terminal says why" $?

"$ctview" --list "$tests/sample" >"$tmp/list"; check "--list exits 0" $?
diff -u "$tests/fixtures/sample.list.tsv" "$tmp/list"; check "--list output matches the fixture" $?

"$ctview" --list --json "$tests/sample" >"$tmp/jsonl"; check "--list --json exits 0" $?
[ "$(wc -l <"$tmp/jsonl")" -eq 9 ]; check "--list --json prints 9 events" $?
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/jsonl"; check "--list --json lines are JSON" $?

"$ctview" --stats --json "$tests/sample" >"$tmp/stats"; check "--stats --json exits 0" $?
python3 - "$tmp/stats" <<'PY'; check "--stats --json has the contract's keys and counts" $?
import json, sys
s = json.load(open(sys.argv[1]))
want = {"files": 11, "skipped_files": 1, "records": 20, "events": 9, "duplicates": 9, "bad_records": 2, "problems": 2}
assert all(s[k] == v for k, v in want.items()), s
assert s["records"] == s["events"] + s["duplicates"] + s["bad_records"]
assert isinstance(s["load_seconds"], float) and s["peak_rss_bytes"] > 0
PY
"$ctview" --stats "$tests/sample" | grep -q "problem: .*iam-sts-examples.json byte 1594 record 1: malformed JSON"
check "--stats text lists problems with file, byte and record" $?

# -f: the filter language on the command line
"$ctview" --list -f 'name:AssumeRole*' "$tests/sample" >"$tmp/f"; check "-f exits 0" $?
[ "$(wc -l <"$tmp/f")" -eq 4 ]; check "-f name:AssumeRole* lists the 4 AssumeRole* events" $?
[ "$(cut -f5 "$tmp/f" | sort -u | tr '\n' ' ')" = "AssumeRole AssumeRoleWithSAML AssumeRoleWithWebIdentity " ]
check "-f lists only matching names" $?
"$ctview" --list --json -f 'user:bob -src:signin' "$tests/sample" >"$tmp/fj"; check "-f with --json exits 0" $?
[ "$(wc -l <"$tmp/fj")" -eq 1 ] && grep -q '"eventName": *"AssumeRole"' "$tmp/fj"; check "-f combines terms" $?
"$ctview" --stats --json -f 'error:*' "$tests/sample" >"$tmp/fs"; check "--stats -f exits 0" $?
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["shown"] == 2 and s["events"] == 9, s' "$tmp/fs"
check "--stats -f counts the shown set as shown" $?
"$ctview" --stats --json "$tests/sample" | grep -q '"shown": 9'; check "--stats without -f shows every event" $?
"$ctview" --list -f 'name:x usr:bob' "$tests/sample" >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ]
check "a bad expression exits 1" $?
[ ! -s "$tmp/out" ]; check "a bad expression prints no events" $?
grep -q "column 8: unknown field 'usr' in 'usr:bob'" "$tmp/err"; check "the message names the term and its column" $?
"$ctview" --list -f '(a OR b' "$tests/sample" 2>"$tmp/err" >/dev/null; [ $? -eq 1 ] && grep -q "column 1: unclosed '('" "$tmp/err"
check "an unclosed parenthesis exits 1 with its column" $?
"$ctview" --list -f 'ip:10.0.0.0/40' /nonexistent 2>"$tmp/err" >/dev/null; [ $? -eq 1 ] && grep -q "bad CIDR" "$tmp/err"
check "a bad expression is reported before loading" $?
"$ctview" -f 'name:x' "$tests/sample" >/dev/null 2>&1; [ $? -eq 1 ]; check "-f without a mode is a usage error" $?
"$ctview" --list "$tests/sample" -f >/dev/null 2>"$tmp/err"; [ $? -eq 1 ] && grep -q "needs a filter" "$tmp/err"
check "-f without an expression is a usage error" $?

# --trace on the seed: Bob's cross-account AssumeRole and the session event that used its key
"$ctview" --trace dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE "$tests/sample" >/dev/null 2>"$tmp/err"; [ $? -eq 1 ]
check "--trace of the pair's shared eventID is ambiguous: exit 1" $?
grep -q "^  111122223333:dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE" "$tmp/err" && grep -q "^  777788889999:dEXAMPLE-ac7f" "$tmp/err"
check "the ambiguity lists ACCOUNT:EVENTID candidates" $?
"$ctview" --trace 777788889999:dEXAMPLE-265a-41e0-9352-4401bEXAMPLE --json "$tests/sample" >"$tmp/tr"; check "--trace --json exits 0" $?
python3 - "$tmp/tr" <<'PY'; check "--trace --json follows the session back to Bob through the pair" $?
import json, sys
t = json.load(open(sys.argv[1]))
assert t["event"] == "dEXAMPLE-265a-41e0-9352-4401bEXAMPLE", t
# the seed's session event carries the pair's example key but names another session (AssumeNothing/devdsk
# in 777788889999): the key-only link is a conflict, and Bob is the origin only with that doubt
assert t["origin"] == {"type": "IAMUser", "arn": "arn:aws:iam::777788889999:user/Bob", "account": "777788889999",
                       "uncertain": True}, t
h, = t["hops"]
assert h["kind"] == "conflict" and h["issued_kind"] == "role" and "another session" in h["reason"], h
assert h["issuer_event_id"] == h["twin_event_id"] == "dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE", h
assert h["shared_event_id"] == "bEXAMPLE-efea-4a70-b951-19a88EXAMPLE" and h["inferred"] is False
assert h["role_arn"] == "arn:aws:iam::111122223333:role/EC2-dev" and h["access_key_id"] == "AKIAQRSTUVWXYZEXAMPLE"
assert h["source_identity"] is None and t["session_events"] == 2
assert set(t) >= {"event", "origin", "hops", "session_events"}
PY
"$ctview" --trace 777788889999:dEXAMPLE-265a-41e0-9352-4401bEXAMPLE "$tests/sample" >"$tmp/tr"; check "--trace text exits 0" $?
grep -q "^◆ origin: IAMUser arn:aws:iam::777788889999:user/Bob.*uncertain" "$tmp/tr" && grep -q "└ twin in account 111122223333: " "$tmp/tr" &&
    grep -q "^    ! conflict: the event's own ARN names another session" "$tmp/tr"
check "--trace text shows the origin (uncertain), the conflict and the twin" $?
"$ctview" --trace nothing-here "$tests/sample" >/dev/null 2>"$tmp/err"; [ $? -eq 1 ] && grep -q "no loaded event" "$tmp/err"
check "--trace of an unknown id exits 1" $?

# stdin, plain and gzip
gzip -c "$tests/sample/pasted/iam-sts-examples.json" | "$ctview" --list - >"$tmp/stdin"; check "--list - reads gzip from stdin" $?
[ "$(wc -l <"$tmp/stdin")" -eq 7 ]; check "stdin yields the 7 valid examples" $?

# control characters from logs never reach the output raw
printf '{"eventID":"e1","eventTime":"2024-01-01T00:00:00Z","userAgent":"x","eventName":"A\\u001b]0;PWNED\\u0007\\tB"}' >"$tmp/evil.json"
"$ctview" --list "$tmp/evil.json" >"$tmp/evil"
grep -q "$(printf '\033')" "$tmp/evil"; [ $? -eq 1 ]; check "--list writes no raw ESC" $?
grep -q 'A\\x1b\]0;PWNED\\x07\\x09B' "$tmp/evil"; check "--list shows the escape visibly" $?

# a regular expression that gives up decides nothing: the events it would decide are left out, negated
# or not, counted on stderr with the expression and the limit, and the modes exit 1
python3 -c '
import json, sys
recs = [{"eventVersion": "1.08", "eventID": "p%d" % i, "eventTime": "2024-03-01T10:00:%02dZ" % (i % 60),
         "eventName": "Get", "userAgent": "a" * 40 + "!"} for i in range(200)]
recs.append({"eventVersion": "1.08", "eventID": "q1", "eventTime": "2024-03-01T11:00:00Z", "eventName": "Put",
             "userAgent": "b"})
json.dump({"Records": recs}, open(sys.argv[1], "w"))' "$tmp/patho.json"
for expr in 'ua:/(a+)+$|!/' '-ua:/(a+)+$|!/'; do
    "$ctview" --no-cache --list -f "$expr" "$tmp/patho.json" >"$tmp/patho.out" 2>"$tmp/patho.err"
    check "$expr: exit 1 when a regular expression gave up" $((1 - $?))
    grep -q "$(printf '\tGet\t')" "$tmp/patho.out"; check "$expr: no event it gave up on is listed" $((1 - $?))
    grep -qF "/(a+)+\$|!/ gave up on 200 events (PCRE2's match limit of 1000000 steps" "$tmp/patho.err"
    check "$expr: stderr counts the events, with the expression and the limit" $?
done
grep -q "^2024-03-01T11:00:00Z.*Put" "$tmp/patho.out"; check "the negation keeps the event it decided" $?
"$ctview" --no-cache --stats -f 'ua:/(a+)+$|!/' "$tmp/patho.json" >/dev/null 2>&1
check "--stats exits 1 too" $((1 - $?))
"$ctview" --no-cache --export - -f 'ua:/(a+)+$|!/' "$tmp/patho.json" >/dev/null 2>&1
check "--export exits 1 too" $((1 - $?))
"$ctview" --no-cache --stats --json -f 'ua:/(a+)+$|!/' "$tmp/patho.json" 2>/dev/null |
    python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit(not (d["shown"] == 0 and d["undecided"] == 200))'
check "--stats --json counts the undecided events beside the shown ones" $?
"$ctview" --no-cache --report - -f '-ua:/(a+)+$|!/' "$tmp/patho.json" 2>/dev/null >"$tmp/patho.md"
check "--report exits 1 too" $((1 - $?))
grep -qF -- "- Incomplete: 200 events left out that the filter could not decide" "$tmp/patho.md"
check "... and its header says how many events the filter could not decide" $?
"$ctview" --no-cache --list -f 'ua:/(a+)+$|!/ OR name:Get' "$tmp/patho.json" >"$tmp/patho.out" 2>"$tmp/patho.err"
check "a give-up that decides no event changes nothing (exit 0)" $?
[ "$(wc -l <"$tmp/patho.out")" -eq 200 ] && [ ! -s "$tmp/patho.err" ]
check "... every event its other term keeps, and no word" $?

echo "cli: $fails failed, $skips skipped"
[ "$fails" -eq 0 ]
