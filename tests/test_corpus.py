#!/usr/bin/env python3
"""Loads a generated corpus and checks ctview's counts against the generator's ground truth, and its
--list output against an independent reading of the same files in Python.
Usage: test_corpus.py CTVIEW"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ctview = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "6000", "--out", tmp,
                        "--bad", "5", "--per-file", "60"], check=True)
        truth = json.load(open(os.path.join(tmp, "truth.json")))
        logs = os.path.join(tmp, "logs")
        stats = json.loads(subprocess.run([ctview, "--stats", "--json", logs], check=True, capture_output=True,
                                          text=True).stdout)
        for key, want in truth["expected_stats"].items():
            if stats[key] != want:
                print(f"FAIL stats.{key}: ctview {stats[key]}, truth {want}")
                failures += 1
        if stats["records"] != stats["events"] + stats["duplicates"] + stats["bad_records"]:
            print("FAIL counts do not reconcile", stats)
            failures += 1
        if stats["problems"] != truth["expected_stats"]["bad_records"]:
            print(f"FAIL problems {stats['problems']}")
            failures += 1

        # Independent reading: every parseable record, deduped by eventID + recipientAccountId.
        keys = {}
        for root, dirs, files in os.walk(logs):
            if "CloudTrail-Digest" in root:
                continue
            for f in files:
                body = gzip.open(os.path.join(root, f)).read().decode()
                # split like CloudTrail writes: one record per '},{"eventVersion"' boundary
                inner = body[len('{"Records":['):-2]
                pieces = inner.split('},{"eventVersion"')
                for i, rec in enumerate(pieces):
                    rec = rec if i == 0 else '{"eventVersion"' + rec
                    rec = rec if i == len(pieces) - 1 else rec + "}"
                    try:
                        ev = json.loads(rec)
                    except ValueError:
                        continue
                    keys.setdefault((ev["eventID"], ev["recipientAccountId"]), ev["eventTime"])
        listed = subprocess.run([ctview, "--list", logs], check=True, capture_output=True, text=True).stdout
        rows = [line.split("\t") for line in listed.splitlines()]
        if len(rows) != len(keys):
            print(f"FAIL --list has {len(rows)} rows, independent reading {len(keys)} events")
            failures += 1
        got = {(r[8], r[1]) for r in rows}
        if got != set(keys):
            print(f"FAIL --list keys differ: {len(got - set(keys))} extra, {len(set(keys) - got)} missing")
            failures += 1
        times = [r[0] for r in rows]
        if times != sorted(times):
            print("FAIL --list is not in time order")
            failures += 1
        if any(len(r) != 9 for r in rows):
            print("FAIL --list rows do not all have 9 columns")
            failures += 1
        jl = subprocess.run([ctview, "--list", "--json", logs], check=True, capture_output=True, text=True).stdout
        parsed = [json.loads(line) for line in jl.splitlines()]
        if [p["eventID"] for p in parsed] != [r[8] for r in rows]:
            print("FAIL --list --json does not match --list")
            failures += 1
        # export round trip: every event out as gzip records and back in, and again byte for byte
        out1, out2 = os.path.join(tmp, "export1.json.gz"), os.path.join(tmp, "export2.json.gz")
        subprocess.run([ctview, "--export", out1, "--gzip", logs], check=True, capture_output=True)
        back = subprocess.run([ctview, "--list", out1], check=True, capture_output=True, text=True).stdout
        if back != listed:
            print("FAIL the exported corpus does not read back as the same events")
            failures += 1
        subprocess.run([ctview, "--export", out2, "--gzip", out1], check=True, capture_output=True)
        if gzip.open(out1).read() != gzip.open(out2).read():
            print("FAIL exporting the export changed bytes")
            failures += 1
    print(f"corpus: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
