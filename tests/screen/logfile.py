#!/usr/bin/env python3
"""Writes CloudTrail records for the follow tests (follow.sh, soak.py).

Usage: logfile.py PATH COUNT TAG FORMAT [PART]
FORMAT: json ({"Records": [...]}), jsonl (one record a line, no eventID), gz (json, gzip-compressed).
TAG makes the records' ids and times its own (a number). PART: "head" writes only the first half of the
bytes, "tail" appends the rest (a file written in two steps); absent: the whole file at once. Writes to
PATH directly (the caller renames into place when it wants an atomic arrival)."""
import gzip
import json
import sys


def records(count, tag, with_id):
    out = []
    for k in range(count):
        t = tag * 1000 + k
        r = {
            "eventVersion": "1.08",
            "eventTime": "2024-05-%02dT%02d:%02d:%02dZ" % (1 + t // 86400 % 28, t // 3600 % 24, t // 60 % 60, t % 60),
            "eventSource": "s3.amazonaws.com",
            "eventName": "GetObject",
            "awsRegion": "us-east-1",
            "sourceIPAddress": "10.1.%d.%d" % (tag % 250, k % 250),
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/t%d" % tag,
                             "accountId": "111122223333"},
            "recipientAccountId": "111122223333",
        }
        if with_id:
            r["eventID"] = "%08x-0000-4000-8000-%012x" % (tag, k)
        out.append(r)
    return out


def content(count, tag, fmt):
    if fmt == "jsonl":
        return "".join(json.dumps(r) + "\n" for r in records(count, tag, False)).encode()
    text = json.dumps({"Records": records(count, tag, True)}).encode()
    return gzip.compress(text, mtime=0) if fmt == "gz" else text


def main():
    path, count, tag, fmt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    part = sys.argv[5] if len(sys.argv) > 5 else ""
    data = content(count, tag, fmt)
    half = len(data) // 2
    if part == "head":
        data = data[:half]
    elif part == "tail":
        data = data[half:]
    with open(path, "ab" if part == "tail" else "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
