#!/usr/bin/env python3
"""Cross-checks JSON paths as fields against an independent Python reading of the same files: PATH:VALUE
filters (-f), --list --columns, --export --format csv --columns, and --top [--json].

The corpus is the project's generated one plus a file of events written here with the shapes paths must
get right: nested objects, arrays (of objects, of arrays, empty), null inside and at the end of a path,
missing keys, numbers (negative, fractions, exponents), booleans, empty strings, unicode escapes (in
values and in a key), quotes and backslashes, repeated values in one event. That file is pretty-printed,
so object and array leaves also test minification.
Usage: test_paths.py CTVIEW"""
import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import genlogs  # noqa: E402

# Reference semantics (the rules, written independently of the C code).


def leaf(v):
    """The text of a leaf, or None when it has none (null)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    # objects, arrays and numbers as the generator wrote them: json.dumps, minified
    return json.dumps(v, separators=(",", ":"))


def values(node, keys):
    """Every value of the path keys in node, in document order: a step into an array applies to each
    element, arrays in arrays included; a leaf that is an array is one value (its JSON)."""
    if not keys:
        t = leaf(node)
        return [] if t is None else [t]
    if isinstance(node, list):
        out = []
        for el in node:
            out += values(el, keys)
        return out
    if not isinstance(node, dict) or keys[0] not in node:
        return []
    return values(node[keys[0]], keys[1:])


def path_values(ev, path):
    return values(ev, path.split("."))


def glob(pat, text):
    rx = ".*".join(re.escape(p) for p in pat.split("*"))
    return re.fullmatch(rx, text, re.IGNORECASE | re.ASCII | re.DOTALL) is not None


def csv_cell(text):
    formula = text[:1] in ("=", "+", "-", "@", "\t", "\r")
    return ("'" + text) if formula else text


# The crafted events.

WORDS = ["alpha", "Beta", "café", "naïve", "日本", "😀", "a b", 'q"uote', "back\\slash", "x/y", "", "-dash"]


def crafted_events(seed, n):
    r = random.Random(seed)
    out = []
    for i in range(n):
        ev = {"eventVersion": "1.10", "eventID": f"crafted-{i:05d}", "recipientAccountId": "999900001111",
              "eventTime": f"2024-03-01T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z",
              "eventSource": "example.amazonaws.com", "eventName": r.choice(["Put", "Get", "Delete"]),
              "awsRegion": "eu-west-3"}
        shape = r.random()
        if shape < 0.1:
            ev["requestParameters"] = None
        elif shape < 0.2:
            pass  # no requestParameters at all
        else:
            rp = {}
            if r.random() < 0.7:
                rp["bucketName"] = r.choice(WORDS) + r.choice(["", "-prod", "-dev"])
            if r.random() < 0.5:
                rp["count"] = r.choice([0, 1, 12, -7, 100000000000])
            if r.random() < 0.5:
                rp["ratio"] = r.choice([0.25, -3.5, 1e-05, 2.5e+20, 10.0])
            if r.random() < 0.5:
                rp["enabled"] = r.random() < 0.5
            if r.random() < 0.3:
                rp["nothing"] = None
            if r.random() < 0.6:
                rp["tags"] = [{"key": r.choice(["a", "b", "a b"]), "value": r.choice([None, "v1", "V2", 3, True])}
                              for _ in range(r.randint(0, 4))]
            if r.random() < 0.3:
                rp["matrix"] = [[{"v": r.choice(["x", "y", 1, None])} for _ in range(r.randint(0, 2))]
                                for _ in range(r.randint(0, 2))]
            if r.random() < 0.3:
                rp["obj"] = r.choice([{}, {"a": [1, {"b": None}]}, {"k": "é"}])
            if r.random() < 0.3:
                rp["list"] = r.choice([[], ["a", "a"], ["b", 2, None, False]])
            if r.random() < 0.2:
                rp["empty"] = ""
            if r.random() < 0.2:
                rp["clé"] = r.choice(["v", "w"])
            ev["requestParameters"] = rp
        if r.random() < 0.5:
            ev["resources"] = [r.choice([{"ARN": f"arn:aws:s3:::b{r.randint(0, 3)}", "type": "AWS::S3::Bucket"},
                                         {"type": "AWS::S3::Object"}, {"ARN": None, "type": None}])
                               for _ in range(r.randint(0, 3))]
        if r.random() < 0.3:
            ev["readOnly"] = r.random() < 0.5
        if r.random() < 0.3:
            ev["additionalEventData"] = {"MFAUsed": r.choice(["Yes", "No"]), "bytesTransferredIn": r.randint(0, 9)}
        out.append(ev)
    return out


def records(logs):
    """Every record of the generated files (gzip), deduped by eventID + recipientAccountId."""
    return genlogs.unique_records(logs)

FILTERS = [
    "requestParameters.roleArn:*Admin*", "resources.type:AWS::IAM::Role", "resources.type:aws::s3::*",
    "resources.ARN:*:role/*", "resources.ARN:arn:aws:s3:::b1", "requestParameters.bucketName:CAF*",
    "requestParameters.bucketName:café*", "requestParameters.bucketName:*😀*", "requestParameters.enabled:true",
    "requestParameters.enabled:FALSE", "requestParameters.ratio:-3.5", "requestParameters.ratio:1e-05",
    "requestParameters.count:1*", "requestParameters.nothing:*", "requestParameters:*", "-requestParameters:*",
    "requestParameters.tags.value:*", "requestParameters.tags.value:v*", 'requestParameters.tags.key:"a b"',
    "requestParameters.matrix.v:x", "requestParameters.matrix.v:1", "requestParameters.obj:{}",
    "requestParameters.obj:*null*", "requestParameters.list:[]", 'requestParameters.list:"[\\"a\\",\\"a\\"]"',
    "requestParameters.empty:*", "requestParameters.clé:v", "additionalEventData.MFAUsed:No",
    "additionalEventData.bytesTransferredIn:3", "-requestParameters.bucketName:*", "readOnly:true",
    "tlsDetails.tlsVersion:TLSv1.3", "userIdentity.sessionContext.sessionIssuer.userName:Admin*",
    "responseElements.credentials.expiration:2024-03-01T1*", "requestParameters.maxResults:99*",
    "requestParameters.filterSet.items.valueSet.items.value:alice", "eventName:AssumeRole",
    "userIdentity.arn:*assumed-role*", "requestParameters.bucketName:*\\*", 'requestParameters.bucketName:"q\\"uote*"',
    "no.such.path:*", "requestParameters.roleArn:*Admin* OR requestParameters.enabled:true",
]

COLUMNS = ["requestParameters.bucketName", "requestParameters.count", "requestParameters.ratio",
           "requestParameters.enabled", "requestParameters.nothing", "requestParameters.tags.key",
           "requestParameters.tags.value", "requestParameters.matrix.v", "requestParameters.obj",
           "requestParameters.list", "requestParameters.empty", "requestParameters.clé", "resources.ARN",
           "resources", "requestParameters.roleArn", "additionalEventData", "readOnly",
           "userIdentity.sessionContext.attributes", "requestParameters.filterSet.items.valueSet.items.value"]

TOPS = ["requestParameters.roleArn", "resources.type", "requestParameters.tags.key", "requestParameters.tags.value",
        "requestParameters.bucketName", "requestParameters.ratio", "requestParameters.list", "requestParameters.obj",
        "requestParameters", "readOnly", "additionalEventData.MFAUsed", "requestParameters.matrix.v"]


def unquote(v):
    if v.startswith('"') and v.endswith('"'):
        return re.sub(r'\\(["\\])', r"\1", v[1:-1])
    return v


def ref_filter(expr, ev):
    """The reference for the filters above: PATH:VALUE, '-' before it, and one OR."""
    if " OR " in expr:
        return any(ref_filter(t, ev) for t in expr.split(" OR "))
    neg = expr.startswith("-")
    path, _, pat = expr.lstrip("-").partition(":")
    hit = any(glob(unquote(pat), v) for v in path_values(ev, path))
    return hit != neg


def run(args, **kw):
    return subprocess.run(args, capture_output=True, **kw)


def main():
    ctview = sys.argv[1]
    failures = []

    def fail(msg):
        failures.append(msg)
        print("FAIL " + msg)

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "3000", "--out", tmp,
                        "--bad", "2", "--per-file", "50", "--seed", "17"], check=True)
        logs = os.path.join(tmp, "logs")
        events = records(logs)
        crafted = crafted_events(17, 400)
        with open(os.path.join(logs, "crafted.json"), "w") as f:
            f.write(json.dumps({"Records": crafted}, indent=1))  # ensure_ascii: \u escapes for non-ASCII
        for ev in crafted:
            events[(ev["eventID"], ev["recipientAccountId"])] = ev

        # filters
        selective = 0
        for expr in FILTERS:
            p = run([ctview, "--list", "--columns", "id,acct", "-f", expr, logs], text=True)
            if p.returncode != 0:
                fail(f"-f {expr!r}: exit {p.returncode}: {p.stderr.strip()}")
                continue
            got = {tuple(line.split("\t")) for line in p.stdout.splitlines()}
            want = {k for k, ev in events.items() if ref_filter(expr, ev)}
            if got != want:
                fail(f"-f {expr!r}: ctview {len(got)}, reference {len(want)}; extra {sorted(got - want)[:2]}, "
                     f"missing {sorted(want - got)[:2]}")
            selective += 0 < len(want) < len(events)
        if selective < len(FILTERS) * 3 // 4:
            fail(f"only {selective} of {len(FILTERS)} filters select a proper subset: the check proves little")

        # --list --columns: the cells of every event, keyed by event
        p = run([ctview, "--list", "--columns", ",".join(["id", "acct"] + COLUMNS), logs])
        if p.returncode != 0:
            fail(f"--columns: exit {p.returncode}: {p.stderr.decode().strip()}")
        got = {}
        for line in p.stdout.decode().splitlines():
            cells = line.split("\t")
            got[(cells[0], cells[1])] = cells[2:]
        if len(got) != len(events):
            fail(f"--columns: {len(got)} rows for {len(events)} events")
        bad = 0
        for key, ev in events.items():
            want = []
            for c in COLUMNS:
                joined = ",".join(path_values(ev, c))
                want.append(joined if joined else "-")
            if got.get(key) != want:
                bad += 1
                if bad <= 3:
                    fail(f"--columns {key}: ctview {got.get(key)}, reference {want}")
        filled = sum(1 for ev in events.values() for c in COLUMNS if path_values(ev, c))
        if filled < len(events):
            fail("--columns: the columns are mostly empty: the check proves little")

        # --export --format csv --columns
        out = os.path.join(tmp, "out.csv")
        p = run([ctview, "--export", out, "--format", "csv", "--columns", ",".join(["id", "acct"] + COLUMNS), logs])
        if p.returncode != 0:
            fail(f"csv --columns: exit {p.returncode}: {p.stderr.decode().strip()}")
        else:
            with open(out, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            if rows[0] != ["id", "acct"] + COLUMNS:
                fail(f"csv header {rows[0]}")
            got = {(r[0], r[1]): r[2:] for r in rows[1:]}
            bad = 0
            for key, ev in events.items():
                want = [csv_cell(",".join(path_values(ev, c))) for c in COLUMNS]
                if got.get(key) != want:
                    bad += 1
                    if bad <= 3:
                        fail(f"csv {key}: ctview {got.get(key)}, reference {want}")

        # --top, text and JSON, all events and a filtered set
        for field in TOPS:
            for expr, n in ((None, 10), (None, 3), ("requestParameters:*", 1000)):
                shown = [ev for ev in events.values() if expr is None or ref_filter(expr, ev)]
                counts, missing = {}, 0
                for ev in shown:
                    vals = set(path_values(ev, field))
                    missing += not vals
                    for v in vals:
                        counts[v] = counts.get(v, 0) + 1
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:n]
                args = [ctview, "--top", field, "-n", str(n)] + (["-f", expr] if expr else []) + [logs]
                p = run(args)
                want_text = "".join(f"{c}\t{v}\n" for v, c in ranked)
                if p.returncode != 0 or p.stdout.decode() != want_text:
                    fail(f"--top {field} -n {n} -f {expr}: exit {p.returncode}, got {p.stdout.decode()[:200]!r}, "
                         f"want {want_text[:200]!r}")
                p = run(args + ["--json"])
                text = p.stdout.decode()
                want = {"field": field, "events": len(shown), "distinct": len(counts), "missing": missing,
                        "top": [{"value": v, "count": c} for v, c in ranked]}
                try:
                    obj = json.loads(text)
                except ValueError:
                    obj = None
                if obj != want or list(obj) != ["field", "events", "distinct", "missing", "top"] or \
                        not text.startswith('{"field":') or text.count("\n") != 1:
                    fail(f"--top {field} --json: got {text[:200]!r}, want {json.dumps(want)[:200]!r}")
                if expr is None and n == 10 and len(counts) < 2:
                    fail(f"--top {field}: fewer than two values: the check proves little")

        # contracts around the options
        for args, code, msg in (
                (["--list", "-f", "a..b:x"], 1, "bad path 'a..b'"),
                (["--list", "-f", "requestparameters.x:y OR usr:x"], 1, "unknown field 'usr'"),
                (["--list", "--columns", "id,nope"], 1, "unknown field 'nope'"),
                (["--list", "--columns", "id,,acct"], 1, "empty name"),
                (["--list", "--columns", "id,a..b"], 1, "bad path"),
                (["--top", "x.*"], 1, "bad path"),
                (["--top", "eventname"], 1, "unknown field 'eventname'"),
                (["--stats", "--columns", "id"], 1, "--columns goes with"),
                (["--export", "-", "--columns", "id"], 1, "--columns goes with"),
                (["--list", "--json", "--columns", "id"], 1, "does not go with --json"),
                (["--list", "-n", "3"], 1, "-n goes with --top"),
                (["--top", "name", "-n", "0"], 1, "-n takes a count")):
            p = run([ctview] + args + [logs], text=True)
            if p.returncode != code or msg not in p.stderr:
                fail(f"{args}: exit {p.returncode}, stderr {p.stderr.strip()[:200]!r}; want {code} and {msg!r}")
        # without --columns, the output is the default; with the default columns, the same bytes
        plain = run([ctview, "--list", logs]).stdout
        same = run([ctview, "--list", "--columns", "time,acct,region,src,name,identity,ip,error,id", logs]).stdout
        if plain != same or not plain:
            fail("--columns time,acct,region,src,name,identity,ip,error,id differs from --list")
    print(f"paths: {len(FILTERS)} filters, {len(COLUMNS)} columns, {len(TOPS)} top fields; {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
