#!/bin/sh
# One field model (model/query/field.h): --list is --list --columns of its default columns, byte for
# byte; CSV's default columns likewise; every filter field is a column and a --top field (origin, rule
# and level included) and prints what its filter term compares; identity is one thing and a masked
# sign-in one label everywhere. On the sample and a generated tree with every identity shape.
# Usage: test_fields.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # description, then the command's status must be 0
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}

python3 "$tests/gen_corpus.py" --events 3000 --identities --seed 7 --out "$tmp/gen" >/dev/null
check "the generated tree is written" $?

for tree in "$tests/sample" "$tmp/gen"; do
    t=$(basename "$tree")
    "$ctview" --list "$tree" >"$tmp/$t.list"; check "$t: --list exits 0" $?
    "$ctview" --list --columns time,acct,region,src,name,identity,ip,error,id "$tree" >"$tmp/$t.cols"
    check "$t: --list --columns exits 0" $?
    cmp "$tmp/$t.list" "$tmp/$t.cols"; check "$t: --list is --list --columns of its default columns" $?
    [ -s "$tmp/$t.list" ]; check "$t: --list prints events" $?

    "$ctview" --export - --format csv "$tree" | tail -n +2 >"$tmp/$t.csv"
    "$ctview" --export - --format csv "$tree" \
        --columns time,recipientAccountId,awsRegion,eventSource,eventName,identity,sourceIPAddress,errorCode,eventID,errorMessage |
        tail -n +2 >"$tmp/$t.csvcols"
    cmp "$tmp/$t.csv" "$tmp/$t.csvcols"; check "$t: CSV is CSV --columns of its default columns" $?

    # the computed fields are columns and --top fields
    "$ctview" --list --columns origin,rule,level,identity,outcome "$tree" >"$tmp/$t.computed"
    check "$t: --columns origin,rule,level,identity,outcome exits 0" $?
    "$ctview" --top origin -n 100000 "$tree" >"$tmp/$t.toporigin"; check "$t: --top origin exits 0" $?
    for f in rule level identity user origin outcome; do
        "$ctview" --top "$f" -n 100000 "$tree" >"$tmp/$t.top.$f"; check "$t: --top $f exits 0" $?
    done
    "$ctview" --list --columns user "$tree" >"$tmp/$t.user"
    "$ctview" --list --json -f '-user:*' "$tree" | wc -l >"$tmp/$t.nouser"
    "$ctview" --list --json -f 'rule:*' "$tree" | wc -l >"$tmp/$t.ruled"
    "$ctview" --list --json -f 'error:*' "$tree" | wc -l >"$tmp/$t.failed"
    # --top origin's first value: what origin:VALUE selects
    first=$(head -1 "$tmp/$t.toporigin" | cut -f2)
    case $first in
    "(masked user)") term='origin:HIDDEN_DUE_TO_SECURITY_REASONS' ;;
    *) term="origin:\"$first\"" ;;
    esac
    "$ctview" --list --json -f "$term" "$tree" | wc -l >"$tmp/$t.originsel"
    python3 - "$tmp" "$t" <<'PY'; check "$t: the columns and counts agree with the filter and each other" $?
import collections, sys
tmp, t = sys.argv[1], sys.argv[2]
def lines(name):
    return [l.rstrip("\n") for l in open(f"{tmp}/{t}.{name}")]
def num(name):
    return int(open(f"{tmp}/{t}.{name}").read())
def top(name):
    return {v: int(c) for c, v in (l.split("\t", 1) for l in lines("top." + name))}
rows = [l.split("\t") for l in lines("computed")]
lst = [l.split("\t") for l in lines("list")]
assert rows and len(rows) == len(lst), (len(rows), len(lst))
origin, rule, level, identity, outcome = zip(*rows)
# every event has an origin; rule and level are there exactly for the events rule:* selects
assert all(o != "-" for o in origin), "an event without an origin"
assert sum(r != "-" for r in rule) == num("ruled") == sum(l != "-" for l in level), "rule:* and the columns"
# outcome: failed exactly where error:* holds and the error column says something
assert sum(o == "failed" for o in outcome) == num("failed") == sum(r[7] != "-" for r in lst)
assert set(outcome) <= {"ok", "failed"}
# --columns user is '-' exactly where user: matches nothing
assert sum(u == "-" for u in lines("user")) == num("nouser"), "user column and user:"
# --top identity counts the --list identity column, which is the identity column
assert [r[5] for r in lst] == list(identity)
assert top("identity") == dict(collections.Counter(identity)), "--top identity and the list's column"
assert top("origin") == dict(collections.Counter(origin)), "--top origin and the column"
# --top origin's first value selects as many events as it counts
first = lines("toporigin")[0].split("\t")
assert int(first[0]) == num("originsel"), (first, num("originsel"))
# one label for a masked sign-in, never AWS's placeholder, in the identity and the origin
for name in ("list", "computed", "csv", "toporigin", "top.identity"):
    assert "HIDDEN_DUE_TO_SECURITY_REASONS" not in open(f"{tmp}/{t}.{name}").read(), name
PY
done
grep -q "(masked user)" "$tmp/gen.list" && grep -q "(masked user)" "$tmp/gen.toporigin"
check "the generated tree's masked sign-ins read (masked user)" $?

[ $fails -eq 0 ] && echo "fields: all passed" || echo "fields: $fails failed"
exit $fails
