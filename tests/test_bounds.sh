#!/bin/sh
# Inputs that must be refused fast, with a message and an exit status: special files named on the command
# line, inputs past the size limit, a full standard output, a regular expression that gives up, bytes a
# terminal acts on. Usage: test_bounds.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
logs="$tests/data/logs/trailscraper"

check() { # description, then the command's status must be 0
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}

# A FIFO or a device named on the command line: a message and a non-zero exit, never a hang.
mkfifo "$tmp/fifo"
for mode in --list --stats; do
    timeout 10 "$ctview" $mode "$tmp/fifo" >/dev/null 2>"$tmp/err"
    [ $? -eq 3 ]; check "$mode FIFO: exit 3" $?
    grep -q "fifo: not read: a FIFO" "$tmp/err"; check "$mode FIFO: says it is a FIFO" $?
done
timeout 10 "$ctview" --stats /dev/null >/dev/null 2>"$tmp/err"
[ $? -eq 3 ]; check "a character device: exit 3" $?
grep -q "not read: a character device" "$tmp/err"; check "a character device: said" $?
# inside a folder they stay notes: the folder's logs load
mkdir "$tmp/dir"
cp "$logs"/*.json "$tmp/dir/" 2>/dev/null
mkfifo "$tmp/dir/pipe"
timeout 10 "$ctview" --stats "$tmp/dir" >/dev/null 2>&1; check "a FIFO inside a folder is skipped" $?

# Past the size limit: refused from its size before a byte is read (a sparse 2.1 GiB file), or from the
# gzip trailer's decoded size; the limit is in the text.
truncate -s 2200M "$tmp/huge.json"
start=$(date +%s)
timeout 20 "$ctview" --stats "$tmp/huge.json" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ]; check "a 2.1 GiB file: exit 3" $?
[ $(($(date +%s) - start)) -le 2 ]; check "a 2.1 GiB file: refused at once" $?
grep -q "larger than the 2048 MiB limit" "$tmp/err"; check "a 2.1 GiB file: the limit named" $?
rm -f "$tmp/huge.json"
python3 - "$tmp/bomb.json.gz" <<'EOF'
import gzip, os, sys
p = sys.argv[1]
# 3.2 MB on disk: deflate could make 3 GiB of it (1032 to 1), so the trailer is believed
b = bytearray(gzip.compress(b'{"Records":[]}' + os.urandom(3200 << 10), 1))
b[-4:] = (3 << 30).to_bytes(4, 'little')  # the trailer claims 3 GiB decoded
open(p, 'wb').write(bytes(b))
EOF
timeout 20 "$ctview" --stats "$tmp/bomb.json.gz" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ]; check "a gzip claiming 3 GiB: exit 3" $?
grep -q "gzip of 3072 MiB decoded (its trailer), larger than the 2048 MiB limit" "$tmp/err"
check "a gzip claiming 3 GiB: the limit named" $?

# The filter language is bounded: thousands of terms, deep nesting and long chains of '-' are refused
# at once with the limit named (10,000 terms took 7 s and 160 MB; 30,000 took 16 s and 490 MB); each
# under the 16,000 bytes a filter may have, so the limit met is the one tried, and then the same past
# that length, refused for its length
for expr in "$(python3 -c "print(' '.join(['eventName:x'] * 1300))")" \
    "$(python3 -c "print('not ' * 3500 + 'x')")" \
    "$(python3 -c "print('(' * 7000 + 'x' + ')' * 7000)")" \
    "$(python3 -c "print('-' * 15000 + 'x')")" \
    "$(python3 -c "print(' '.join(['eventName:x'] * 10000))")" \
    "$(python3 -c "print('(' * 60000 + 'x' + ')' * 60000)")"; do
    start=$(date +%s)
    timeout 20 "$ctview" --list -f "$expr" "$logs" >/dev/null 2>"$tmp/err"
    [ $? -eq 1 ]; check "a filter of $(printf %s "$expr" | cut -c1-12)...: refused" $?
    grep -q "more than 1000 terms\|nested too deeply\|a filter of [0-9]* bytes: at most 16000" "$tmp/err"; check "a filter of $(printf %s "$expr" | cut -c1-12)...: the limit named" $?
    [ $(($(date +%s) - start)) -le 1 ]; check "a filter of $(printf %s "$expr" | cut -c1-12)...: at once" $?
done

# A write error on standard output: a message and exit 1, in every mode.
if [ -w /dev/full ]; then
    for mode in --list --stats "--top eventName" --actors; do
        "$ctview" $mode "$logs" >/dev/full 2>"$tmp/err"
        [ $? -eq 1 ]; check "$mode >/dev/full: exit 1" $?
        grep -q "cannot write the output" "$tmp/err"; check "$mode >/dev/full: says so" $?
    done
else
    echo "SKIP: no /dev/full"
fi

# A regular expression that gives up on an event is reported with the rule and the event.
python3 - "$tmp/re.json" <<'EOF'
import json, sys
r = {'eventVersion': '1.08', 'eventTime': '2024-01-01T00:00:00Z', 'eventSource': 's3.amazonaws.com',
     'eventName': 'GetObject', 'awsRegion': 'us-east-1', 'sourceIPAddress': '192.0.2.1',
     'userAgent': 'a' * 5000 + 'b', 'eventID': '11111111-1111-1111-1111-111111111111',
     'recipientAccountId': '123456789012',
     'userIdentity': {'type': 'IAMUser', 'arn': 'arn:aws:iam::123456789012:user/x'}}
open(sys.argv[1], 'w').write(json.dumps({'Records': [r]}))
EOF
printf 'title: slow re\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    sel:\n        userAgent|re: "(a|aa)+$"\n    condition: sel\nlevel: low\n' >"$tmp/re.yml"
timeout 20 "$ctview" --findings --rules "$tmp/re.yml" "$tmp/re.json" >/dev/null 2>"$tmp/err"
check "a regular expression that gives up: the run completes" $?
grep -q "re.json byte [0-9]*: Sigma rule 'slow re' (.*re.yml): a regular expression gave up" "$tmp/err"
check "a regular expression that gives up: reported with the rule and the event" $?

# Bytes a terminal acts on never reach one: --list --json escapes them inside strings (the JSON meaning
# kept), --export - refuses a terminal as gzip does. A record with ESC, BEL, C1 (U+009B), a lone 0x9b,
# a BiDi override.
python3 - "$tmp/ctl.json" <<'EOF'
import json, sys
r = {'eventVersion': '1.08', 'eventTime': '2024-01-01T00:00:00Z', 'eventSource': 's3.amazonaws.com',
     'eventName': 'GetObject', 'awsRegion': 'us-east-1', 'sourceIPAddress': '192.0.2.1', 'userAgent': 'x',
     'eventID': '11111111-1111-1111-1111-111111111111', 'recipientAccountId': '123456789012',
     'userIdentity': {'type': 'IAMUser', 'arn': 'arn:aws:iam::123456789012:user/x'}}
t = json.dumps({'Records': [r]}).encode()
t = t.replace(b'"userAgent": "x"', b'"userAgent": "a\x1b]0;pwned\x07b\xc2\x9bc\x9bd\xe2\x80\xaee"')
open(sys.argv[1], 'wb').write(t)
EOF
python3 "$tests/ptyrun.py" "$ctview" --list --json "$tmp/ctl.json" >"$tmp/tty.out" 2>"$tmp/err"
grep -q "^rc=0$" "$tmp/err"; check "--list --json to a terminal: exit 0" $?
python3 - "$tmp/tty.out" <<'EOF'
import json, sys
b = open(sys.argv[1], 'rb').read()
bad = [c for c in b if (c < 0x20 and c not in (10, 13)) or c == 0x7f]
text = b.decode('utf-8')  # invalid UTF-8 raises
assert not bad, bad
assert not any(0x80 <= ord(ch) <= 0x9f or ch == '\u202e' for ch in text)
ua = json.loads(text.strip())['userAgent']
assert ua == 'a\x1b]0;pwned\x07b\x9bc\ufffdd\u202ee', repr(ua)
EOF
check "--list --json to a terminal: no byte a terminal acts on, the same JSON" $?
"$ctview" --list --json "$tmp/ctl.json" >"$tmp/pipe.out"
python3 - "$tmp/pipe.out" <<'EOF'
import json, sys
text = open(sys.argv[1], 'rb').read().decode('utf-8')
ua = json.loads(text.strip())['userAgent']
assert ua == 'a\x1b]0;pwned\x07b\x9bc\ufffdd\u202ee', repr(ua)
assert '\u202e' in text and '\x9b' in text  # printable code points kept as they are
EOF
check "--list --json to a pipe: the same JSON, the code points as they are" $?
python3 "$tests/ptyrun.py" "$ctview" --export - "$tmp/ctl.json" >"$tmp/tty.out" 2>"$tmp/err"
grep -q "^rc=1$" "$tmp/err"; check "--export - to a terminal: exit 1" $?
grep -q "not writing an export to a terminal" "$tmp/err"; check "--export - to a terminal: says why" $?
[ ! -s "$tmp/tty.out" ]; check "--export - to a terminal: nothing written" $?
"$ctview" --export - "$tmp/ctl.json" | grep -q GetObject; check "--export - to a pipe: written" $?

# An error message escapes what it quotes: a config value with ESC and BEL.
mkdir -p "$tmp/cfg/ctview"
printf 'theme = \033]0;pwned\007\n' >"$tmp/cfg/ctview/config"
XDG_CONFIG_HOME="$tmp/cfg" XDG_STATE_HOME="$tmp/st" XDG_DATA_HOME="$tmp/data" python3 "$tests/ptyrun.py" "$ctview" "$logs" >/dev/null 2>"$tmp/err"
grep -q "theme" "$tmp/err"; check "a bad config value: said" $?
! grep -q "$(printf '\033')" "$tmp/err"; check "a bad config value: escaped in the message" $?

# A write past ulimit -f during an export: a message, exit 1, no temporary file left behind.
mkdir "$tmp/ex"
(ulimit -f 4; "$ctview" --export "$tmp/ex/out.json" "$tests/data/logs" >/dev/null 2>"$tmp/err")
[ $? -eq 1 ]; check "export past ulimit -f: exit 1" $?
grep -q "File too large" "$tmp/err"; check "export past ulimit -f: said" $?
[ -z "$(ls -A "$tmp/ex")" ]; check "export past ulimit -f: no temporary file left" $?

if [ "$fails" -ne 0 ]; then
    echo "$fails failed"
    exit 1
fi
echo "all passed"
