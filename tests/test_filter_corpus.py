#!/usr/bin/env python3
"""Runs filter expressions through ctview -f on a generated corpus and compares the events it lists with
an independent Python reading of the same files and the same expressions (filter_ref.py).
Usage: test_filter_corpus.py CTVIEW"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import filter_ref  # noqa: E402
import genlogs  # noqa: E402

EXPRESSIONS = [
    "name:AssumeRole", "name:assume*", "NAME:*Key*", "src:sts", "src:iam.amazonaws.com", "src:s3*",
    "user:alice", "user:Admin", "user:*o*", "-user:alice", "acct:111111111111", "region:eu-*",
    "type:AssumedRole", "type:iamuser", "ip:198.0.0.0/8", "ip:203.1*", "ip:192.168.0.0/16",
    "key:ASIA*", "key:AKIA*", "error:*", "-error:*", "outcome:failed", "outcome:OK",
    "-outcome:ok src:iam", "outcome:ok OR error:*Denied*", "error:AccessDenied", "error:*authorized*",
    "ro:true", "ro:FALSE", "ua:*Boto3*", "ua:*Chrome*", "res:*role*", "etype:AwsApiCall", "cat:management",
    "role:*Admin", "host:sts.*", "after:2024-03-01T12:00", "before:2024-03-01T06:30", "after:2024-03-01T06:30:15Z",
    "after:2024-03-01T03:00 before:2024-03-01T04:00",
    "mallory", "\"tag:team\"", "TLSv1.3", "2024-03-01T13:1", "maxResults", "filterSet*alice",
    "(name:AssumeRole OR name:ConsoleLogin) -error:*", "src:sts OR src:signin region:us-east-1",
    "-(type:IAMUser OR type:Root) ro:false", "user:bob OR user:carol OR -acct:2*", "--name:x",
    "name:GetCallerIdentity alice", "-mallory -alice", "( ( src:iam ) )",
    # regular expressions: short fields (their short forms too), JSON paths, free text, negated, anchored
    "name:/^(assume|get)/", "name:/role$/", "user:/^al/", "-src:/^(sts|iam)$/", "ip:/^203\\.1\\d\\./",
    "ua:/boto3\\/[0-9.]+ md/", "error:/denied$/", "res:/:role\\/(admin|audit)$/", "region:/^(eu|ap)-/",
    "key:/^ASIA[A-Z0-9]{4}/", "acct:/^(1+|3+)$/", "requestParameters.roleArn:/admin$/",
    "userIdentity.sessionContext.sessionIssuer.userName:/^(Admin|Audit)$/", "resources.ARN:/::1+:role\\/d/",
    "requestParameters.maxResults:/^[1-9]\\d$/", "/mall[o0]ry/", "-/(mallory|carol)/ name:/^Get/",
    "name:/assume/ OR /mall[o0]ry/", "(/(failed|success)/ OR name:/^delete/) -user:/^bob$/",
]


def records(logs):
    """Every parseable record, deduped by eventID + recipientAccountId like CloudTrail's regional copies."""
    return genlogs.unique_records(logs)

def main():
    ctview = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "4000", "--out", tmp,
                        "--bad", "3", "--per-file", "50", "--seed", "7"], check=True)
        logs = os.path.join(tmp, "logs")
        events = records(logs)
        nonempty = 0
        for expr in EXPRESSIONS:
            proc = subprocess.run([ctview, "--list", "-f", expr, logs], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL {expr!r}: exit {proc.returncode}: {proc.stderr.strip()}")
                failures += 1
                continue
            got = {(r.split("\t")[8], r.split("\t")[1]) for r in proc.stdout.splitlines()}
            test = filter_ref.compile_expr(expr)
            want = {k for k, ev in events.items() if test(ev)}
            if got != want:
                print(f"FAIL {expr!r}: ctview {len(got)}, reference {len(want)}; "
                      f"e.g. extra {sorted(got - want)[:2]}, missing {sorted(want - got)[:2]}")
                failures += 1
            nonempty += 0 < len(want) < len(events)
        # the expressions must discriminate, or agreement proves nothing
        if nonempty < len(EXPRESSIONS) * 2 // 3:
            print(f"FAIL only {nonempty} of {len(EXPRESSIONS)} expressions select a proper subset")
            failures += 1
        stats = json.loads(subprocess.run([ctview, "--stats", "--json", "-f", "src:sts", logs], check=True,
                                          capture_output=True, text=True).stdout)
        want = sum(1 for ev in events.values() if ev["eventSource"] == "sts.amazonaws.com")
        if stats["shown"] != want or stats["events"] != len(events):
            print(f"FAIL --stats -f: shown {stats['shown']} (want {want}), events {stats['events']}")
            failures += 1
    print(f"filter corpus: {len(EXPRESSIONS)} expressions, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
