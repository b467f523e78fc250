#!/usr/bin/env python3
"""Writes a tree of CloudTrail log files for the screen tests that need a load that takes a while
(marks.sh) or a tree to follow (soak.sh).

Usage: gen_tree.py OUT FILES EVENTS_PER_FILE [FIRST]
Files f<FIRST>.json, f<FIRST+1>.json, ... are named so the walk reads them in order; every other file
holds events older than those of the files before it, so the store moves events already shown each time
it puts new ones in time order. Every event has its own eventID. Prints the number of events written.
One file's text is made once and stamped per file, so a large tree is written at the speed of the disk."""
import json
import os
import sys


def template(per):
    recs = []
    for k in range(per):
        recs.append({
            "eventVersion": "1.08",
            "eventTime": "2024-03-DDTHH:%02d:%02dZ" % (k // 60 % 60, k % 60),
            "eventSource": ["ec2.amazonaws.com", "s3.amazonaws.com", "iam.amazonaws.com"][k % 3],
            "eventName": ["DescribeInstances", "GetObject", "ListUsers", "PutObject"][k % 4],
            "awsRegion": "us-east-1",
            "sourceIPAddress": "10.0.%d.%d" % (k // 250 % 250, k % 250),
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/u%d" % (k % 7),
                             "accountId": "111122223333"},
            "eventID": "FFFFFFFF-0000-4000-8000-%012x" % k,
            "recipientAccountId": "111122223333",
        })
    return json.dumps({"Records": recs}, separators=(",", ":"))


def main():
    out, files, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    os.makedirs(out, exist_ok=True)
    text = template(per)
    for i in range(first, first + files):
        hour = 12 + (i // 2) % 12 if i % 2 == 0 else 11 - (i // 2) % 12
        day = 1 + (i // 24) % 28
        body = text.replace("FFFFFFFF", "%08x" % i).replace("DD", "%02d" % day).replace("HH", "%02d" % hour)
        with open(os.path.join(out, "f%06d.json" % i), "w") as f:
            f.write(body)
    print(files * per)


if __name__ == "__main__":
    main()
