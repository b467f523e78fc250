#!/usr/bin/env python3
"""--account LIST and --region LIST on a local tree in the S3 layout AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/:
the folders of other accounts and regions are not opened (counted in pruned), files outside the layout are
read. Each count is checked against a Python reading of the same files (records in the .json.gz files the
options keep).
usage: test_scope.py CTVIEW"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
failures = 0


def check(what, ok, detail=""):
    global failures
    print(f"{'ok' if ok else 'FAIL'}: {what}{'' if ok else ' ' + detail}")
    failures += not ok


def layout(rel):
    """(account, region) a path of the layout names, None for a part it does not name."""
    parts = rel.split("/")
    if "AWSLogs" not in parts:
        return None, None
    rest = parts[parts.index("AWSLogs") + 1:]
    if rest and rest[0].startswith("o-"):
        rest = rest[1:]
    acct = rest[0] if rest and len(rest[0]) == 12 and rest[0].isdigit() else None
    region = rest[2] if acct and len(rest) > 3 and rest[1].startswith("CloudTrail") else None
    return acct, region


def python_reading(root, accounts, regions):
    files = records = 0
    for d, _, names in os.walk(root):
        for n in names:
            full = os.path.join(d, n)
            acct, region = layout(os.path.relpath(full, root))
            if (accounts and acct and acct not in accounts) or (regions and region and region not in regions):
                continue
            if "CloudTrail-Digest" in full:
                continue
            with gzip.open(full) as f:
                records += len(json.load(f)["Records"])
            files += 1
    return files, records


def stats(ctview, args):
    p = subprocess.run([ctview, "--stats", "--json"] + args, capture_output=True, text=True, timeout=300)
    try:
        return json.loads(p.stdout)
    except ValueError:
        sys.exit(f"ctview failed: {p.returncode} {p.stderr[-300:]}")


def main():
    ctview = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="ctview-scope-")
    try:
        gen = os.path.join(work, "gen")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "3000", "--out", gen,
                        "--seed", "11", "--per-file", "40", "--days", "2", "--bad", "0"], check=True, capture_output=True)
        root = os.path.join(work, "tree")
        shutil.copytree(os.path.join(gen, "logs"), root)
        aws = os.path.join(root, "AWSLogs")
        accounts = sorted(a for a in os.listdir(aws) if a.isdigit())
        regions = sorted(os.listdir(os.path.join(aws, accounts[0], "CloudTrail")))
        # an organization trail's folder, and files outside the layout: read whatever the options say
        org = os.path.join(aws, "o-abc123", accounts[-1])
        shutil.copytree(os.path.join(aws, accounts[-1]), org)
        some = next(os.path.join(d, n) for d, _, ns in os.walk(os.path.join(aws, accounts[0])) for n in ns
                    if "Digest" not in d)
        os.makedirs(os.path.join(root, "exported"))
        shutil.copy(some, os.path.join(root, "exported", "copy.json.gz"))
        shutil.copy(some, os.path.join(aws, "beside-the-accounts.json.gz"))
        cases = [
            ("--account", [accounts[0]], None),
            ("--account", [accounts[0], accounts[-1]], None),
            ("--region", None, [regions[0]]),
            ("--account and --region", [accounts[-1]], [regions[1], regions[2]]),
            ("neither", None, None),
        ]
        for name, accts, regs in cases:
            args = (["--account", ",".join(accts)] if accts else []) + (["--region", ",".join(regs)] if regs else [])
            want_files, want_records = python_reading(root, accts, regs)
            got = stats(ctview, args + [root])
            check(f"{name} {' '.join(args)}: {want_files} files and {want_records} records as Python reads them",
                  got["files"] == want_files and got["records"] == want_records,
                  f"got {got['files']} files, {got['records']} records")
            check(f"{name}: the folders left out are counted in pruned",
                  (got["pruned"] > 0) == bool(accts or regs), f"pruned {got['pruned']}")
        # a folder the user names is read whole, as for --since: the options prune below it
        one = os.path.join(aws, accounts[1])
        got = stats(ctview, ["--account", accounts[0], one])
        want_files, want_records = python_reading(one, None, None)
        check("a folder named on the command line is read even when its account is not listed",
              got["files"] == want_files and got["records"] == want_records, str(got))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"scope: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
