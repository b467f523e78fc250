#!/bin/sh
# One fixture per input shape (tests/fixtures/shapes, made by make.py there from the seed's examples):
# what loads, what is reported, and that the events' bytes come back as logged. Usage: test_shapes.sh CTVIEW TESTS_DIR
ctview=$1
shapes=$2/fixtures/shapes
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() {
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}
stat_of() { # FILE KEY
    "$ctview" --stats --json "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

# lookup-events: two pages in one file, each event a JSON string
[ "$(stat_of "$shapes/lookup-events.json" events)" = 7 ]; check "lookup-events: the 7 events of two pages load" $?
[ "$(stat_of "$shapes/lookup-events.json" bad_records)" = 1 ]; check "lookup-events: a CloudTrailEvent that is not JSON is one bad record" $?
"$ctview" --stats "$shapes/lookup-events.json" | grep -q "CloudTrailEvent does not hold a JSON object"
check "lookup-events: the bad record is reported with its reason" $?
"$ctview" --export "$tmp/lookup.json" "$shapes/lookup-events.json" 2>/dev/null
python3 - "$shapes/lookup-events.json" "$tmp/lookup.json" <<'PY'; check "lookup-events: each event's bytes are the CloudTrailEvent string, unescaped" $?
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
dec, i, inner = json.JSONDecoder(), 0, set()
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    page, i = dec.raw_decode(text, i)
    inner |= {e["CloudTrailEvent"] for e in page["Events"] if e["EventId"] != "broken"}
body = open(sys.argv[2], encoding="utf-8").read()
j, got = body.index("[") + 1, set()
while True:
    while body[j] in " \n,":
        j += 1
    if body[j] == "]":
        break
    _, end = dec.raw_decode(body, j)
    got.add(body[j:end])
    j = end
assert got == inner, (len(got), len(inner))
assert any(r'caf\u00e9 \u2603 / \"quoted\"' in g for g in got)  # the inner JSON's own escapes, as logged
PY
"$ctview" --list "$shapes/lookup-events.json" >"$tmp/l1"
"$ctview" --list "$tmp/lookup.json" | diff -q - "$tmp/l1" >/dev/null; check "lookup-events: exported and read back, the same events" $?
cat "$shapes/lookup-events.json" | "$ctview" --list - | diff -q - "$tmp/l1" >/dev/null; check "lookup-events on stdin" $?
"$ctview" --list -f 'ua:caf*' "$shapes/lookup-events.json" | grep -q .; check "lookup-events: fields come from the embedded event" $?
"$ctview" --list -f '"quoted"' "$shapes/lookup-events.json" | grep -q .; check "lookup-events: free text searches the embedded event" $?

# JSON Lines: blank line skipped, a cut-off line and a line with a missing comma cost only themselves
[ "$(stat_of "$shapes/events.jsonl" events)" = 7 ]; check "jsonl: every good line loads" $?
[ "$(stat_of "$shapes/events.jsonl" bad_records)" = 2 ]; check "jsonl: the two bad lines are bad records" $?
"$ctview" --stats "$shapes/events.jsonl" | grep -q "record 3: record cut off at the end of its line"
check "jsonl: the cut-off line is reported with its position" $?
"$ctview" --stats "$shapes/events.jsonl" | grep -q "record 5: malformed JSON"; check "jsonl: the bad line is reported" $?
"$ctview" --list --json "$shapes/events.jsonl" | python3 -c '
import json, sys
src = [json.loads(l) for l in open(sys.argv[1]) if l.strip()[:1] == "{" and l.strip()[-1:] == "}" and "\" \"" not in l]
got = [json.loads(l) for l in sys.stdin]
assert sorted(map(json.dumps, got)) == sorted(map(json.dumps, src)), (len(got), len(src))' "$shapes/events.jsonl"
check "jsonl: the loaded events are exactly the good lines" $?

# shipped by Logstash: no eventTime, extra fields kept; the shipper's @timestamp is not the event's time
# (one rule everywhere: no eventTime, time '-', sorted last, neither after: nor before:)
[ "$(stat_of "$shapes/shipped.jsonl" events)" = 3 ]; check "shipped: loads" $?
"$ctview" --list "$shapes/shipped.jsonl" | cut -f1 >"$tmp/times"
[ "$(grep -c '^-$' "$tmp/times")" = 3 ]; check "shipped: no eventTime, no time (@timestamp is not taken)" $?
[ -z "$("$ctview" --list -f 'after:2000-01-01' "$shapes/shipped.jsonl")" ] &&
    [ -z "$("$ctview" --list -f 'before:2100-01-01' "$shapes/shipped.jsonl")" ]
check "shipped: events without eventTime match neither after: nor before:" $?
"$ctview" --list --json "$shapes/shipped.jsonl" | grep -c '"host":"logstash-1"' | grep -qx 3; check "shipped: the shipper's fields are kept" $?

# a Markdown note holding examples: the events are salvaged, the prose reported
[ "$(stat_of "$shapes/notes.md" events)" = 2 ]; check "markdown: both pasted events load" $?
[ "$(stat_of "$shapes/notes.md" problems)" -ge 1 ]; check "markdown: the prose is reported" $?
printf 'just some text\nwith no JSON at all\n' >"$tmp/plain.txt"
[ "$(stat_of "$tmp/plain.txt" skipped_files)" = 1 ]; check "a text file without JSON is skipped, not an error" $?

# an organization trail with an Insights folder, a digest and a renamed copy
python3 - "$tmp/org" <<'PY'
import gzip, json, os, sys
root = sys.argv[1]
def put(rel, obj):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with gzip.open(path, "wt") as f:
        json.dump(obj, f)
ev = lambda i, acct: {"eventVersion": "1.09", "eventID": f"org-{i}", "eventTime": f"2024-03-01T10:0{i}:00Z",
                      "eventName": "PutObject", "eventSource": "s3.amazonaws.com", "recipientAccountId": acct,
                      "awsRegion": "us-east-1", "userIdentity": {"type": "IAMUser", "accountId": acct}}
base = "AWSLogs/o-abc123def4/111122223333"
put(f"{base}/CloudTrail/us-east-1/2024/03/01/111122223333_CloudTrail_us-east-1_20240301T1010Z_aaaaaaaaaaaaaaaa.json.gz",
    {"Records": [ev(1, "111122223333"), ev(2, "111122223333")]})
put(f"AWSLogs/o-abc123def4/444455556666/CloudTrail/us-east-1/2024/03/01/444455556666_CloudTrail_us-east-1_20240301T1010Z_bbbbbbbbbbbbbbbb.json.gz",
    {"Records": [ev(3, "444455556666")]})
insight = {"eventVersion": "1.08", "eventTime": "2024-03-01T10:05:00Z", "awsRegion": "us-east-1",
           "eventID": "ins-start", "eventType": "AwsCloudTrailInsight", "recipientAccountId": "111122223333",
           "sharedEventID": "ins-1", "insightDetails": {"state": "Start", "eventName": "PutObject"},
           "eventCategory": "Insight"}
put(f"{base}/CloudTrail-Insight/us-east-1/2024/03/01/111122223333_CloudTrail-Insight_us-east-1_20240301T1015Z_cccccccccccccccc.json.gz",
    {"Records": [insight, dict(insight, eventID="ins-end", eventTime="2024-03-01T10:09:00Z",
                               insightDetails={"state": "End", "eventName": "PutObject"})]})
put(f"{base}/CloudTrail-Digest/us-east-1/2024/03/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240301T1100Z.json.gz",
    {"awsAccountId": "111122223333", "digestSignatureAlgorithm": "SHA256withRSA", "logFiles": []})
put("renamed/copy-of-logs.gz", {"Records": [ev(4, "111122223333")]})
PY
"$ctview" --stats --json "$tmp/org" >"$tmp/org.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert (s["events"], s["files"], s["skipped_files"]) == (6, 4, 1), s' "$tmp/org.json"
check "org trail: both accounts, the Insights folder and a renamed copy load; the digest is skipped" $?
"$ctview" --list -f 'etype:AwsCloudTrailInsight' "$tmp/org" | wc -l | grep -qx 2; check "org trail: Insights events load as events" $?
"$ctview" --trace ins-start "$tmp/org" | grep -q "insight pair: .*\[ins-end\]"; check "org trail: an Insights Start links to its End" $?

echo "shapes: $fails failed"
[ "$fails" -eq 0 ]
