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
printf '{"Records":[]}' | gzip -c >"$tmp/bomb.json.gz"
python3 - "$tmp/bomb.json.gz" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[-4:] = (3 << 30).to_bytes(4, 'little')  # the trailer claims 3 GiB decoded
open(p, 'wb').write(bytes(b))
EOF
timeout 20 "$ctview" --stats "$tmp/bomb.json.gz" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ]; check "a gzip claiming 3 GiB: exit 3" $?
grep -q "gzip of 3072 MiB decoded (its trailer), larger than the 2048 MiB limit" "$tmp/err"
check "a gzip claiming 3 GiB: the limit named" $?

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

if [ "$fails" -ne 0 ]; then
    echo "$fails failed"
    exit 1
fi
echo "all passed"
