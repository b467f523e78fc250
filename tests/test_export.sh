#!/bin/sh
# --export: formats, round trips, refusal, safety and error paths. Usage: test_export.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
sample=$tests/sample
fails=0
skips=0
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
check() { # description, then the command's status must be 0
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}
skip() { # why: a block that cannot run here is reported, not passed
    echo "SKIP: $1"
    skips=$((skips + 1))
}
umask 022

# records: the default; every record byte for byte as in its source, read back whole
"$ctview" --export "$tmp/all.json" "$sample" 2>"$tmp/err"; check "--export exits 0" $?
grep -q "wrote 9 events to $tmp/all.json (records)" "$tmp/err"; check "--export says what it wrote" $?
[ "$(stat -c %a "$tmp/all.json")" = 600 ]; check "the export is mode 0600 whatever the umask" $?
# the events themselves: --list's account may come from a file's S3 name, which an export does not keep
"$ctview" --list --json "$sample" >"$tmp/list.orig"
"$ctview" --list --json "$tmp/all.json" >"$tmp/list.back"
diff "$tmp/list.orig" "$tmp/list.back" >/dev/null; check "records read back by ctview: the same events" $?
"$ctview" --export "$tmp/again.json" "$tmp/all.json" 2>/dev/null
cmp -s "$tmp/all.json" "$tmp/again.json"; check "exporting an export gives the same bytes" $?
jq -e '.Records | length == 9' "$tmp/all.json" >/dev/null; check "jq reads the records file" $?
python3 - "$tmp/all.json" "$sample" <<'PY'; check "each exported record is byte for byte a record of the sources" $?
import gzip, json, os, sys
body = open(sys.argv[1], encoding="utf-8").read()
sources = []
for root, _, files in os.walk(sys.argv[2]):
    for f in files:
        raw = open(os.path.join(root, f), "rb").read()
        sources.append((gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8", "replace"))
dec = json.JSONDecoder()
i = body.index("[") + 1
n = 0
while True:
    while body[i] in " \n\r\t,":
        i += 1
    if body[i] == "]":
        break
    obj, end = dec.raw_decode(body, i)
    text = body[i:end]
    assert any(text in s for s in sources), text[:80]
    n += 1
    i = end
assert n == 9, n
PY

# refusing, forcing
echo keep >"$tmp/exists.json"
"$ctview" --export "$tmp/exists.json" "$sample" 2>"$tmp/err"; [ $? -eq 1 ]; check "an existing file is refused: exit 1" $?
grep -q "exists; use --force" "$tmp/err"; check "the refusal says why" $?
[ "$(cat "$tmp/exists.json")" = keep ]; check "the refused file is untouched" $?
"$ctview" --export "$tmp/exists.json" --force -f 'src:sts' "$sample" 2>/dev/null; check "--force replaces it" $?
jq -e '.Records | length == 4' "$tmp/exists.json" >/dev/null; check "-f chooses what is exported" $?

# jsonl, gzip, stdout
"$ctview" --export "$tmp/all.jsonl" --format jsonl "$sample" 2>/dev/null; check "--format jsonl exits 0" $?
"$ctview" --list --json "$sample" >"$tmp/list.json"
cmp -s "$tmp/all.jsonl" "$tmp/list.json"; check "jsonl is one minified event per line, in time order" $?
"$ctview" --list --json "$tmp/all.jsonl" | diff - "$tmp/list.orig" >/dev/null; check "jsonl read back by ctview" $?
"$ctview" --export "$tmp/all.jsonl.gz" --format jsonl --gzip "$sample" 2>/dev/null; check "--gzip exits 0" $?
gzip -t "$tmp/all.jsonl.gz" && zcat "$tmp/all.jsonl.gz" | cmp -s - "$tmp/all.jsonl"; check "--gzip is standard gzip" $?
"$ctview" --export - --format jsonl "$sample" 2>"$tmp/err" | cmp -s - "$tmp/all.jsonl"; check "- writes to stdout" $?
[ ! -s "$tmp/err" ]; check "stdout export is quiet on stderr" $?
"$ctview" --export - --gzip "$sample" | zcat | jq -e '.Records | length == 9' >/dev/null; check "gzip to stdout" $?
ls -a "$tmp" | grep -q '^\.ctview-export'; [ $? -eq 1 ]; check "no temporary file is left behind" $?

# csv: RFC 4180, a header, spreadsheet-safe
cat >"$tmp/evil.json" <<'JSON'
{"Records":[{"eventID":"e1","eventTime":"2024-01-01T00:00:00Z","eventName":"=HYPERLINK(\"http://x\")","recipientAccountId":"1","awsRegion":"us-east-1","eventSource":"s3.amazonaws.com","sourceIPAddress":"@evil","userIdentity":{"type":"IAMUser","arn":"-2+3"},"errorCode":"+cmd","errorMessage":"a, \"quoted\"\nline"},
{"eventID":"e2","eventTime":"2024-01-01T00:00:01Z","eventName":"Plain","recipientAccountId":"1"}]}
JSON
"$ctview" --export "$tmp/evil.csv" --format csv "$tmp/evil.json" 2>/dev/null; check "--format csv exits 0" $?
python3 - "$tmp/evil.csv" <<'PY'; check "csv parses as RFC 4180 and neutralises formulas" $?
import csv, sys
raw = open(sys.argv[1], newline="").read()
assert raw.endswith("\r\n") and "\r\n" in raw.split("\n", 1)[0] + "\n"
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["eventTime", "recipientAccountId", "awsRegion", "eventSource", "eventName", "identity",
                   "sourceIPAddress", "errorCode", "eventID", "errorMessage"], rows[0]
r = rows[1]
assert r[4] == "'=HYPERLINK(\"http://x\")", r[4]
assert r[5] == "'-2+3" and r[6] == "'@evil" and r[7] == "'+cmd", r
assert r[9] == 'a, "quoted"\nline', r[9]
assert rows[2][4] == "Plain" and rows[2][7] == "" and len(rows) == 3
PY
"$ctview" --export "$tmp/sample.csv" --format csv "$sample" 2>/dev/null
# the default columns are fields like any --columns: the same text
"$ctview" --list --columns time,recipientAccountId,awsRegion,eventSource,eventName,identity,sourceIPAddress,errorCode,eventID,errorMessage \
    "$sample" >"$tmp/list.csvcols"
python3 - "$tmp/sample.csv" "$tmp/list.csvcols" <<'PY'; check "csv has its default columns' fields for every event" $?
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
tsv = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert len(rows) == len(tsv) == 9
for c, t in zip(rows, tsv):
    t = ["" if v == "-" else v for v in t]
    assert c == t, (c, t)
PY

# errors: nothing written, the reason given, an existing target untouched
"$ctview" --export /dev/full --force "$sample" 2>"$tmp/err"; [ $? -eq 1 ]; check "/dev/full: exit 1" $?
grep -q "No space left on device" "$tmp/err"; check "/dev/full: says no space" $?
"$ctview" --export "$tmp/missing/dir/x.json" "$sample" 2>"$tmp/err"; [ $? -eq 1 ]; check "missing directory: exit 1" $?
grep -q "No such file or directory" "$tmp/err"; check "missing directory: says so" $?
"$ctview" --export "$tmp" "$sample" 2>"$tmp/err"; [ $? -eq 1 ] && grep -q "is a directory" "$tmp/err"
check "a directory as target is refused" $?
echo original >"$tmp/big.json"
(trap '' XFSZ; ulimit -f 4; "$ctview" --export "$tmp/big.json" --force "$tests/sample" 2>"$tmp/err"); [ $? -eq 1 ]
check "a write that fails half way: exit 1" $?
grep -q "File too large" "$tmp/err"; check "a write that fails half way: the reason" $?
[ "$(cat "$tmp/big.json")" = original ]; check "a failed export leaves the existing target untouched" $?
ls -a "$tmp" | grep -q '^\.ctview-export'; [ $? -eq 1 ]; check "a failed export removes its temporary file" $?
mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
as_user=""
if [ "$(id -u)" -eq 0 ]; then as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"; fi
if [ -z "$as_user" ] || command -v setpriv >/dev/null; then
    $as_user "$ctview" --export "$tmp/ro/x.json" "$sample" 2>"$tmp/err"; [ $? -eq 1 ]
    check "read-only directory: exit 1" $?
    grep -q "Permission denied" "$tmp/err"; check "read-only directory: says permission denied" $?
else
    skip "export: the read-only directory checks: running as root without setpriv to drop privileges"
fi

# usage
"$ctview" --export "$tmp/x.json" --format xml "$sample" 2>"$tmp/err"; [ $? -eq 1 ] && grep -q "unknown format" "$tmp/err"
check "an unknown format is a usage error" $?
"$ctview" --list --gzip "$sample" >/dev/null 2>&1; [ $? -eq 1 ]; check "--gzip without --export is a usage error" $?
"$ctview" --list --export "$tmp/x.json" "$sample" >/dev/null 2>&1; [ $? -eq 1 ]; check "--export with --list is a usage error" $?

echo "export: $fails failed, $skips skipped"
[ "$fails" -eq 0 ]
