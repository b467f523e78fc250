#!/usr/bin/env python3
"""ctview --sql on a real engine: the generated corpus laid out as Athena's CloudTrail table (one row per
record as the SerDe reads it, "$path" and the `timestamp` partition from the S3 layout) in DuckDB, with
thin macros for the Trino names DuckDB spells differently; each query of the filter-language table must
run and return the events `ctview --list -f` lists on the same logs (and, with --select paths, the files
that hold them). Queries that carry a "differs from ctview" comment must run; their counts are shown.
Skips (exit 77) with the reason when node or the npm package cannot be had.
Usage: test_sql_engine.py CTVIEW"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import athena_table  # noqa: E402
import genlogs  # noqa: E402
from test_filter_corpus import EXPRESSIONS  # noqa: E402

CACHE = os.path.join(HERE, ".cache", "sql_engine")

# (name, ctview arguments besides --sql / --list): the filter-language table, then the range options.
EXTRA = [
    ["--since", "2024-03-02T00:30"], ["--until", "2024-03-02T06:00"],
    ["--since", "2024-03-01T23:00", "--until", "2024-03-02T01:00", "-f", "name:AssumeRole*"],
    ["-f", "after:2024-03-02T23:59:59 OR before:2024-03-01T00:10"],
    ["-f", "res:*"], ["-f", "-res:*"], ["-f", "key:*"], ["-f", "-role:*"], ["-f", "src:*.amazonaws.com"],
    ["-f", "user:*-*"], ["-f", "ua:*%*"], ["-f", "ua:*_*"], ["-f", "name:Get_bject"],
    ["-f", "ua:\"it's %_ \\\\ -- /* ;\""], ["-f", "-ua:\"x'; DROP TABLE cloudtrail_logs; --\""],
    # JSON paths: struct fields, JSON text (no arrays on these paths, so compared despite the note), resources
    ["-f", "requestParameters.roleArn:*Admin"], ["-f", "requestParameters.maxResults:1*"],
    ["-f", "-requestParameters.maxResults:*"], ["-f", "responseElements.credentials.accessKeyId:ASIA*"],
    ["-f", "responseElements.assumedRoleUser:*Deploy*"], ["-f", "requestParameters.nothing:*"],
    ["-f", "userIdentity.sessionContext.sessionIssuer.userName:Admin"], ["-f", "resources.ARN:*role*"],
    ["-f", "-resources.accountId:*"], ["-f", "tlsDetails.tlsVersion:TLSv1.3"], ["-f", "readOnly:true"],
    ["-f", "userIdentity.sessionContext.attributes.creationDate:2024-03-01T1*"],
    ["-f", "userIdentity.userName:alice OR userIdentity.sessionContext.sessionIssuer.userName:Audit"],
]
# Cases whose query carries a note but whose answer on this corpus must still be exact: the note is about
# arrays on the path, and the corpus has none there.
EXACT_DESPITE_NOTE = ("requestParameters.", "responseElements.")

# Trino names DuckDB spells differently. Trino's IPADDRESS cast and CIDR contains() are modelled for IPv4
# only (the corpus has no IPv6); DuckDB's own contains() is shadowed by the macro.
MACROS = [
    "CREATE TYPE ipaddress AS VARCHAR",
    """CREATE MACRO json_extract_scalar(j, p) AS
         CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END""",
    "CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)",
    "CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)",
    "CREATE MACRO cardinality(l) AS len(l)",
    r"""CREATE MACRO ipv4_int(a) AS CASE WHEN regexp_full_match(a, '\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}') THEN
         ((CAST(split_part(a, '.', 1) AS BIGINT) * 256 + CAST(split_part(a, '.', 2) AS BIGINT)) * 256
          + CAST(split_part(a, '.', 3) AS BIGINT)) * 256 + CAST(split_part(a, '.', 4) AS BIGINT) END""",
    """CREATE MACRO contains(net, a) AS
         ipv4_int(a) // CAST(pow(2, 32 - CAST(split_part(net, '/', 2) AS INT)) AS BIGINT)
         = ipv4_int(split_part(net, '/', 1)) // CAST(pow(2, 32 - CAST(split_part(net, '/', 2) AS INT)) AS BIGINT)""",
]


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def engine():
    """The folder holding run.mjs and node_modules, installed with npm ci when missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        skip("node and npm are not installed (tests/setup.sh installs them: apt nodejs npm)")
    os.makedirs(CACHE, exist_ok=True)
    src = os.path.join(HERE, "sql_engine")
    for f in ("package.json", "package-lock.json", "run.mjs"):
        shutil.copyfile(os.path.join(src, f), os.path.join(CACHE, f))
    stamp = os.path.join(CACHE, "node_modules", ".ctview-lock")
    lock = open(os.path.join(src, "package-lock.json")).read()
    if not os.path.exists(stamp) or open(stamp).read() != lock:
        p = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error",
                            "--cache", os.path.join(HERE, ".cache", "npm")], cwd=CACHE,
                           capture_output=True, text=True)
        if p.returncode != 0:
            skip(f"npm ci of @duckdb/node-api failed: {p.stderr.strip()[-300:]}")
        open(stamp, "w").write(lock)
    return node


def records(logs):
    """(path, event) for every record that parses, every copy (the table holds each file's records)."""
    return genlogs.tree_records(logs)

def main():
    ctview = sys.argv[1]
    node = engine()
    failures = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "8000", "--out", tmp,
                        "--bad", "3", "--per-file", "50", "--seed", "11", "--days", "3"], check=True)
        logs = os.path.join(tmp, "logs")
        recs = records(logs)
        rows_path = os.path.join(tmp, "rows.jsonl")
        with open(rows_path, "w") as out:
            for path, ev in recs:
                r = athena_table.row(ev)
                parts = path.split(os.sep)
                r["timestamp"] = "/".join(parts[-4:-1])  # .../YYYY/MM/DD/file
                r["$path"] = path
                out.write(json.dumps(r) + "\n")
        cols = {n: athena_table.duckdb_type(t) for n, t in athena_table.COLUMNS}
        cols["timestamp"] = "VARCHAR"
        cols["$path"] = "VARCHAR"
        colspec = "{" + ", ".join(f"'{n}': '{t}'" for n, t in cols.items()) + "}"
        setup = MACROS + [f"CREATE TABLE cloudtrail_logs AS SELECT * FROM read_json('{rows_path}', "
                          f"format = 'newline_delimited', columns = {colspec})"]

        cases = [["-f", e] for e in EXPRESSIONS] + EXTRA
        queries, want, approx = {}, {}, set()
        for i, args in enumerate(cases):
            for sel in ("events", "paths"):
                if sel == "paths" and i % 4:
                    continue  # "$path" for a quarter of the cases is enough
                p = subprocess.run([ctview, "--sql", "--select", sel] + args, capture_output=True, text=True)
                if p.returncode == 1 and "cannot be expressed in SQL" in p.stderr:
                    print(f"not expressible (test_sql.py checks these): {args}: {p.stderr.strip()}")
                    continue
                if p.returncode != 0:
                    print(f"FAIL --sql {args}: exit {p.returncode}: {p.stderr.strip()}")
                    failures += 1
                    continue
                name = f"{i}:{sel}"
                if "-- differs from ctview" in p.stdout:
                    approx.add(name)
                queries[name] = (f"SELECT DISTINCT eventid, recipientaccountid FROM (\n{p.stdout}) q"
                                 if sel == "events" else p.stdout)
            p = subprocess.run([ctview, "--list"] + args + [logs], capture_output=True, text=True)
            if p.returncode != 0:
                print(f"FAIL --list {args}: exit {p.returncode}: {p.stderr.strip()}")
                failures += 1
                continue
            keys = {(c[8], c[1]) for c in (line.split("\t") for line in p.stdout.splitlines())}
            want[i] = keys
        # The engine as an UNLOAD writer: its JSON lines of the whole table, read back by ctview below.
        unloaded = os.path.join(tmp, "unloaded.json")
        queries["unload"] = (f"COPY (SELECT * EXCLUDE (\"$path\", \"timestamp\") FROM cloudtrail_logs) "
                             f"TO '{unloaded}' (FORMAT json)")
        spec = os.path.join(tmp, "spec.json")
        json.dump({"setup": setup, "queries": queries}, open(spec, "w"))
        p = subprocess.run([node, os.path.join(CACHE, "run.mjs"), spec], capture_output=True, text=True,
                           cwd=CACHE)
        if p.returncode != 0:
            print(f"FAIL DuckDB: {p.stderr.strip()[-2000:]}")
            return 1
        got = json.loads(p.stdout)
        files_of = {}
        for path, ev in recs:
            files_of.setdefault((ev["eventID"], ev["recipientAccountId"]), set()).add(path)
        nonempty = 0
        res = got.pop("unload")
        if "error" in res:
            print(f"FAIL DuckDB COPY TO json: {res['error'][:300]}")
            failures += 1
        else:
            a = subprocess.run([ctview, "--list", logs], capture_output=True, text=True).stdout.splitlines()
            b = subprocess.run([ctview, "--list", unloaded], capture_output=True, text=True).stdout.splitlines()
            checked += 1
            if sorted(a) != sorted(b) or not a:
                print(f"FAIL the engine's JSON rows read back: {len(b)} events, the logs {len(a)}")
                failures += 1
        for name, res in got.items():
            i, sel = name.split(":")
            args = cases[int(i)]
            if "error" in res:
                print(f"FAIL {args} --select {sel}: DuckDB: {res['error'][:600]}")
                failures += 1
                continue
            if int(i) not in want:
                continue
            keys = want[int(i)]
            if sel == "events":
                have = {(r[0], r[1]) for r in res["rows"]}
            else:
                have = {r[0] for r in res["rows"]}
                keys = set().union(*[files_of.get(k, set()) for k in keys]) if keys else set()
            if name in approx and not any(a.startswith(EXACT_DESPITE_NOTE) for a in args):
                print(f"approximate {args} --select {sel}: engine {len(have)}, ctview {len(keys)}")
                continue
            checked += 1
            nonempty += sel == "events" and 0 < len(keys)
            if have != keys:
                print(f"FAIL {args} --select {sel}: engine {len(have)}, ctview {len(keys)}; "
                      f"e.g. extra {sorted(have - keys)[:2]}, missing {sorted(keys - have)[:2]}")
                failures += 1
        if nonempty < 30:
            print(f"FAIL only {nonempty} queries matched some events: the comparison proves little")
            failures += 1
    print(f"{checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
