#!/usr/bin/env python3
"""Athena's rows back in: the generated corpus written as the documented CloudTrail table's rows (UNLOAD
JSON lines, some gzip, and the console's CSV; athena_table.py, independent of ctview) is read by ctview,
and every event it restores must equal the original event less what the table cannot hold (keys outside
its columns and struct fields, nulls, empty objects), with CloudTrail's key names and nesting. Filters and
the trace give the same answers on the rows as on the logs; rows that cannot be restored are problems.
Usage: test_athena_rows.py CTVIEW"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import athena_table  # noqa: E402

FILTERS = ["name:AssumeRole*", "user:alice", "-user:alice", "key:ASIA*", "role:*Admin", "error:*", "-error:*",
           "ro:false", "res:*role*", "ip:198.0.0.0/8", "type:AssumedRole src:sts", "host:sts.*",
           "acct:111111111111 region:eu-*", "after:2024-03-01T12:00", "shared:*", "ua:*Boto3*"]


def expected(v, typ):
    """What the table keeps of a value of type typ, as CloudTrail spells it."""
    if v is None:
        return None
    if typ == athena_table.STR:
        return v
    if typ[0] == "struct":
        if not isinstance(v, dict):
            return None
        names = {n for n, _ in typ[1]}
        types = dict(typ[1])
        out = {}
        for k, x in v.items():
            if k.lower() in names:
                e = expected(x, types[k.lower()])
                if e is not None and e != {}:
                    out[k] = e
        return out
    if typ[0] == "array":
        return [expected(x, typ[1]) for x in v]
    return v  # map


def expected_event(ev):
    out = {}
    types = dict(athena_table.COLUMNS)
    for k, v in ev.items():
        t = types.get(k.lower())
        if t is None:
            continue
        e = expected(v, t)
        if e is not None and e != {}:
            out[k] = e
    return out


def listed(ctview, args):
    p = subprocess.run([ctview] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main():
    ctview = sys.argv[1]
    failures = checks = 0

    def check(ok, what):
        nonlocal failures, checks
        checks += 1
        if not ok:
            failures += 1
            print(f"FAIL {what}")

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "3000", "--out", tmp,
                        "--bad", "0", "--per-file", "40", "--seed", "5"], check=True)
        logs = os.path.join(tmp, "logs")
        originals, rows = {}, []
        for root, _, files in os.walk(logs):
            if "CloudTrail-Digest" in root:
                continue
            for f in sorted(files):
                for ev in json.loads(gzip.open(os.path.join(root, f)).read())["Records"]:
                    originals.setdefault((ev["eventID"], ev["recipientAccountId"]), ev)
                    rows.append(athena_table.row(ev))
        unload = os.path.join(tmp, "unload")
        os.makedirs(unload)
        half = len(rows) // 2
        # UNLOAD writes several files, gzip by default, with no extension
        with gzip.open(os.path.join(unload, "20240301_000000_00001_abcde_0"), "wt") as f:
            f.write("".join(athena_table.unload_json_line(r) + "\n" for r in rows[:half]))
        with open(os.path.join(unload, "20240301_000000_00001_abcde_1"), "w") as f:
            f.write("".join(athena_table.unload_json_line(r) + "\n" for r in rows[half:]))
        csv_path = os.path.join(tmp, "results.csv")
        open(csv_path, "w").write(athena_table.console_csv(rows))

        for name, path in (("UNLOAD JSON", unload), ("console CSV", csv_path)):
            rc, out, err = listed(ctview, ["--list", "--json", path])
            check(rc == 0, f"{name}: ctview --list --json exit {rc}: {err.strip()}")
            got = {}
            for line in out.splitlines():
                ev = json.loads(line)
                got[(ev.get("eventID"), ev.get("recipientAccountId"))] = ev
            check(set(got) == set(originals), f"{name}: {len(got)} events restored, {len(originals)} in the logs")
            bad = [k for k in originals if k in got and got[k] != expected_event(originals[k])]
            for k in bad[:2]:
                print(f"  {name} {k}:\n    want {json.dumps(expected_event(originals[k]))}\n"
                      f"    got  {json.dumps(got[k])}")
            check(not bad, f"{name}: {len(bad)} events differ from the originals")
            rc, out, _ = listed(ctview, ["--stats", "--json", path])
            st = json.loads(out)
            check(st["records"] == len(rows) and st["problems"] == 0 and st["bad_records"] == 0,
                  f"{name}: counts {st}")
            for expr in FILTERS:
                a = listed(ctview, ["--list", "-f", expr, logs])[1].splitlines()
                b = listed(ctview, ["--list", "-f", expr, path])[1].splitlines()
                check(sorted(a) == sorted(b) and (expr.startswith("-") or a), f"{name}: -f {expr!r}: logs {len(a)}, rows {len(b)}")

        # the trace of role sessions, as on the logs
        truth = json.load(open(os.path.join(tmp, "truth.json")))
        traced = 0
        for chain in truth["chains"][:10]:
            sess = [k for k, ev in originals.items()
                    if ev.get("userIdentity", {}).get("accessKeyId") == chain["session_keys"][-1]]
            if not sess:
                continue
            eid, acct = max(sess, key=lambda k: (originals[k]["eventTime"], k))
            a = listed(ctview, ["--trace", f"{acct}:{eid}", "--json", logs])
            b = listed(ctview, ["--trace", f"{acct}:{eid}", "--json", unload])
            check(a[0] == 0 and json.loads(a[1]) == json.loads(b[1]), f"trace of {acct}:{eid} differs")
            traced += 1
        check(traced >= 3, f"only {traced} traces compared")

        # rows that cannot be restored: each a problem with its reason, the others load
        good = athena_table.unload_json_line(rows[0])
        broken = os.path.join(tmp, "broken.json")
        odd = dict(rows[1], requestparameters="{not json")
        open(broken, "w").write("\n".join([good, "{\"eventid\": oops", json.dumps({"eventid": None, "foo": "x"}),
                                           athena_table.unload_json_line(odd), "[1,2]"]) + "\n")
        rc, out, _ = listed(ctview, ["--stats", "--json", broken])
        st = json.loads(out)
        check(st["events"] == 1 and st["bad_records"] == 4 and st["records"] == 5, f"broken UNLOAD rows: {st}")
        text = listed(ctview, ["--stats", broken])[1]
        for why in ("record 1: not a JSON object", "record 2: row has none of eventtime, eventid, eventname",
                    "record 3: requestparameters is not JSON text", "record 4: not a JSON object"):
            check(why in text, f"broken UNLOAD rows: no problem '{why}' in\n{text}")
        csv_text = athena_table.console_csv(rows[:3]).splitlines()
        cells = csv_text[2].split('","')
        cells[1] = cells[1].replace("{type=", "{type}=")  # a struct text Trino would not write
        csv_text[2] = '","'.join(cells)
        csv_text.append('"1.09","x"')  # too few cells
        broken_csv = os.path.join(tmp, "broken.csv")
        open(broken_csv, "w").write("\n".join(csv_text) + "\n")
        rc, out, _ = listed(ctview, ["--stats", "--json", broken_csv])
        st = json.loads(out)
        check(st["events"] == 2 and st["bad_records"] == 2, f"broken CSV rows: {st}")
        text = listed(ctview, ["--stats", broken_csv])[1]
        for why in ("record 1: cannot read the useridentity struct text", "record 3: 2 cells for 29 columns"):
            check(why in text, f"broken CSV rows: no problem '{why}' in\n{text}")
        # the reasons are said in the problems view; through the CLI the counts reconcile
        check(st["records"] == st["events"] + st["duplicates"] + st["bad_records"], f"counts reconcile: {st}")
    # the committed fixtures (tests/fixtures/shapes/make_athena.py): the seed's 7 events and one bad row each
    for f in ("athena-unload.json", "athena-console.csv"):
        st = json.loads(listed(ctview, ["--stats", "--json", os.path.join(HERE, "fixtures", "shapes", f)])[1])
        check(st["events"] == 7 and st["bad_records"] == 1, f"{f}: {st}")
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
