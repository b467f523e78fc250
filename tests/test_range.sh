#!/bin/sh
# --since/--until: folders and files named outside the range are not opened, events are filtered
# exactly. Usage: test_range.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() {
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}
python3 "$tests/gen_corpus.py" --events 12000 --out "$tmp/c" --bad 0 --per-file 40 --seed 3 --days 4 >/dev/null
logs=$tmp/c/logs
"$ctview" --stats --json "$logs" >"$tmp/all.json"
"$ctview" --stats --json --since 2024-03-02 --until 2024-03-02 "$logs" >"$tmp/day.json"; check "--since/--until exits 0" $?
python3 - "$logs" "$tmp/all.json" "$tmp/day.json" <<'PY'; check "one day: exact events, fewer files opened" $?
import gzip, json, os, sys
logs, full, day = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
seen, files = {}, 0
for root, _, names in os.walk(logs):
    if "CloudTrail-Digest" in root:
        continue
    for f in names:
        files += 1
        for ev in json.loads(gzip.open(os.path.join(root, f)).read())["Records"]:
            seen.setdefault((ev["eventID"], ev["recipientAccountId"]), ev["eventTime"])
want = sum(1 for t in seen.values() if t.startswith("2024-03-02"))
assert 0 < want < len(seen), (want, len(seen))
assert day["shown"] == want, (day["shown"], want)
assert day["pruned"] > 0 and day["files"] < full["files"] * 0.75, (day["pruned"], day["files"], full["files"])
assert full["pruned"] == 0
PY
"$ctview" --list --since 2024-03-02T06:00 --until 2024-03-02T07:00 "$logs" | cut -f1 >"$tmp/hour"
[ -s "$tmp/hour" ] && ! grep -v '^2024-03-02T06:' "$tmp/hour"; check "an hour: only that hour's events" $?
"$ctview" --stats --json --since 1h "$logs" >"$tmp/recent.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["shown"] == 0 and s["files"] == 0 and s["pruned"] > 0, s' "$tmp/recent.json"
check "--since 1h on 2024 logs opens nothing" $?
"$ctview" --list --since 2024-03-02 -f 'src:sts' "$logs" | cut -f4 | sort -u | grep -qx sts.amazonaws.com
check "--since combines with -f" $?
"$ctview" --list --since yesterday "$logs" >/dev/null 2>"$tmp/err"; [ $? -eq 1 ] && grep -q "is not a date" "$tmp/err"
check "a bad --since is a usage error" $?
"$ctview" --list --since 2024-03-03 --until 2024-03-02 "$logs" >/dev/null 2>&1; [ $? -eq 1 ]
check "--since after --until is a usage error" $?
echo "range: $fails failed"
[ "$fails" -eq 0 ]
