"""The records of a tree written by tests/gen_corpus.py, read independently of ctview (the references of
several tests): every log file but the digests, each a {"Records":[...]} document, gzip-compressed. The
generator damages a few records on purpose; ctview loads every record of such a file that parses, and so
does salvage()."""
import gzip
import json
import os


def salvage(body, parse=json.loads):
    """The records of a damaged file that parse, one at a time."""
    inner = body[len('{"Records":['):-2]
    parts = inner.split('},{"eventVersion"')
    recs = []
    for i, rec in enumerate(parts):
        rec = rec if i == 0 else '{"eventVersion"' + rec
        rec = rec if i == len(parts) - 1 else rec + "}"
        try:
            recs.append(parse(rec))
        except ValueError:
            pass
    return recs


def file_records(path):
    """Every record of one generated .gz file that parses."""
    body = gzip.open(path).read().decode()
    try:
        return json.loads(body)["Records"]
    except ValueError:
        return salvage(body)


def tree_records(logs):
    """(path, event) for every record that parses, every copy, in path order; digests left out."""
    out = []
    for root, dirs, files in os.walk(logs):
        dirs.sort()
        if "CloudTrail-Digest" in root:
            continue
        for f in sorted(files):
            if f.endswith(".gz"):
                path = os.path.join(root, f)
                out += [(path, ev) for ev in file_records(path)]
    return out


def unique_records(logs):
    """Every record that parses, deduped by eventID + recipientAccountId as CloudTrail's regional copies
    are: {key: first copy}."""
    seen = {}
    for _, ev in tree_records(logs):
        seen.setdefault((ev["eventID"], ev["recipientAccountId"]), ev)
    return seen
