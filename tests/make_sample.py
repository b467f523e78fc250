#!/usr/bin/env python3
"""Builds tests/sample/ from the seed document: its example events, verbatim and in S3 delivery layout.

  tests/sample/pasted/iam-sts-examples.json   every example exactly as the document prints it, typos
                                              included (two do not parse: ctview must report them)
  tests/sample/AWSLogs/...                    the same events as CloudTrail delivers them: gzip,
                                              {"Records":[...]}, one trail per account and region, the
                                              two broken examples repaired, the IAM event written by
                                              three regional trails (global-service duplication), and
                                              a digest file to skip.

Deterministic (gzip mtime 0) so the committed tree only changes when this script does.
Usage: make_sample.py SEED_DOCUMENT OUT_DIR
"""
import gzip
import json
import os
import re
import sys


def code_blocks(text):
    return re.findall(r"```\n(.*?)```", text, re.S)


def repair(block):
    """The two examples that do not parse, repaired the least possible way."""
    fixed = block.replace('"roleSessionName": "Bob-EC2-dev"\n', '"roleSessionName": "Bob-EC2-dev",\n')
    fixed = fixed.replace('4ac8dEXAMPLE"\n  "eventType"', '4ac8dEXAMPLE",\n  "eventType"')
    fixed = fixed.replace("[https://console\\.aws\\.amazon\\.com/s3/](https://console.aws.amazon.com/s3/)",
                          "https://console.aws.amazon.com/s3/")
    return json.loads(fixed)


def write_gz(path, records):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    body = json.dumps({"Records": records}, separators=(",", ":")).encode()
    with open(path, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
            z.write(body)


def log_path(out, account, region, stamp, uid):
    y, m, d = stamp[0:4], stamp[4:6], stamp[6:8]
    name = f"{account}_CloudTrail_{region}_{stamp}_{uid}.json.gz"
    return os.path.join(out, "AWSLogs", account, "CloudTrail", region, y, m, d, name)


def main():
    seed, out = sys.argv[1], sys.argv[2]
    blocks = code_blocks(open(seed, encoding="utf-8").read())
    assert len(blocks) == 9, len(blocks)

    os.makedirs(os.path.join(out, "pasted"), exist_ok=True)
    with open(os.path.join(out, "pasted", "iam-sts-examples.json"), "w", encoding="utf-8") as f:
        f.write("\n".join(blocks))

    ev = [repair(b) for b in blocks]
    get_user_policy, bob_caller, bob_owner, delete_bucket, saml, web, alice_fail, masked, bob_login = ev
    # The caller-side record belongs to Bob's account: the document's recipientAccountId is a typo that
    # would make both sides of the pair one event. The verbatim copy in pasted/ keeps the typo.
    bob_caller["recipientAccountId"] = "777788889999"

    trails = [
        # IAM is a global service: every regional trail of the account writes the event
        ("444455556666", "us-east-1", "20140715T2145Z", "a1b2c3d4e5f60001", [get_user_policy]),
        ("444455556666", "us-east-2", "20140715T2145Z", "a1b2c3d4e5f60002", [get_user_policy]),
        ("444455556666", "eu-west-1", "20140715T2145Z", "a1b2c3d4e5f60003", [get_user_policy]),
        ("777788889999", "us-east-2", "20140718T1510Z", "b1b2c3d4e5f60001", [bob_caller]),
        ("111122223333", "us-east-2", "20140718T1510Z", "c1b2c3d4e5f60001", [bob_owner]),
        ("777788889999", "us-east-2", "20161114T1730Z", "b1b2c3d4e5f60002", [delete_bucket]),
        ("444455556666", "us-east-2", "20160323T0145Z", "a1b2c3d4e5f60004", [web, saml]),
        ("111122223333", "us-east-2", "20140708T1740Z", "c1b2c3d4e5f60002", [alice_fail]),
        ("111122223333", "us-east-2", "20140716T1550Z", "c1b2c3d4e5f60003", [bob_login]),
        ("123456789012", "us-east-2", "20150331T2225Z", "d1b2c3d4e5f60001", [masked]),
    ]
    for account, region, stamp, uid, records in trails:
        write_gz(log_path(out, account, region, stamp, uid), records)

    digest_dir = os.path.join(out, "AWSLogs", "111122223333", "CloudTrail-Digest", "us-east-2", "2014", "07", "18")
    os.makedirs(digest_dir, exist_ok=True)
    digest = {
        "awsAccountId": "111122223333", "digestStartTime": "2014-07-18T15:00:00Z",
        "digestEndTime": "2014-07-18T16:00:00Z", "digestS3Bucket": "example-trail-bucket",
        "digestPublicKeyFingerprint": "00000000000000000000000000000000",
        "digestSignatureAlgorithm": "SHA256withRSA", "logFiles": [],
    }
    path = os.path.join(digest_dir, "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20140718T160000Z.json.gz")
    with open(path, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
            z.write(json.dumps(digest).encode())


if __name__ == "__main__":
    main()
