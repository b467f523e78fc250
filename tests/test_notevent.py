#!/usr/bin/env python3
"""JSON that holds no CloudTrail event is skipped and counted, not loaded as an event whose every column
is '-'; every shape that does hold events still loads. The expected counts come from this file's own
reading of the rule: an object holds an event when it has eventTime (a time) or @timestamp, or a
non-empty eventName, eventSource or eventID at its top level.

Usage: test_notevent.py CTVIEW"""
import gzip, json, os, re, subprocess, sys, tempfile

ctview = sys.argv[1]
fails = 0


def check(cond, what):
    global fails
    if not cond:
        print("FAIL:", what)
        fails += 1


def event(i, **extra):
    e = {"eventVersion": "1.08", "eventTime": "2024-03-01T10:%02d:00Z" % i, "eventSource": "s3.amazonaws.com",
         "eventName": "GetObject", "awsRegion": "eu-west-1", "eventID": "ev-%d" % i,
         "recipientAccountId": "111122223333", "userIdentity": {"type": "IAMUser", "userName": "u%d" % i}}
    e.update(extra)
    return e


def holds_event(o):
    if not isinstance(o, dict):
        return False
    for k in ("eventName", "eventSource", "eventID"):
        v = o.get(k)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v) != "":
            return True
    return any(isinstance(o.get(k), str) and re.match(r"\d{4}-\d\d-\d\d", o[k]) for k in ("eventTime", "@timestamp"))


truth = {"unique_events": 3, "records": 5, "chains": [{"origin_arn": "arn:aws:iam::1:user/x", "hops": 1}]}
config = {"region": "eu-west-1", "output": "json", "profiles": {"dev": {"role": "x"}}}
files = {
    # the generator's own truth.json and a config file beside the logs: skipped files
    "truth.json": json.dumps(truth, indent=1),
    "config.json": json.dumps(config),
    "package.json": json.dumps([{"name": "a"}, {"name": "b"}]),
    # every shape that holds events
    "log.json": json.dumps({"Records": [event(1), event(2)]}),
    "log.json.gz": None,  # gzip of a Records file, written below
    "lines.jsonl": "\n".join(json.dumps(o) for o in [event(4), {"note": "exported by a tool"}, event(5)]) + "\n",
    "bare.json": json.dumps([event(6), event(7)]),
    "pasted.json": json.dumps(event(8), indent=2) + "\n" + json.dumps(event(9), indent=2),
    "lookup.json": json.dumps({"Events": [{"EventId": "ev-10", "EventName": "GetObject",
                                           "CloudTrailEvent": json.dumps(event(10))}], "NextToken": "x"}),
    "shipper.jsonl": json.dumps({"@timestamp": "2024-03-01T11:00:00Z", "message": "x", "eventName": "Put"}) + "\n",
    "timeonly.json": json.dumps({"eventTime": "2024-03-01T12:00:00Z"}),
    # keys present but empty or null: not an event
    "nulls.json": json.dumps({"Records": [{"eventVersion": "1.1", "eventTime": None, "eventName": None,
                                           "eventSource": "", "userIdentity": None}]}),
}
with tempfile.TemporaryDirectory() as d:
    expect_events = expect_skipped = expect_skipped_files = 0
    for name, text in files.items():
        path = os.path.join(d, name)
        if name.endswith(".gz"):
            objs = [event(3)]
            with gzip.open(path, "wt") as f:
                f.write(json.dumps({"Records": objs}))
        else:
            with open(path, "w") as f:
                f.write(text)
            if name == "lookup.json":
                objs = [json.loads(e["CloudTrailEvent"]) for e in json.loads(text)["Events"]]
            elif name.endswith(".jsonl") or name == "pasted.json":
                dec, objs, i = json.JSONDecoder(), [], 0
                while i < len(text):
                    while i < len(text) and text[i].isspace():
                        i += 1
                    if i < len(text):
                        o, i = dec.raw_decode(text, i)
                        objs.append(o)
            else:
                top = json.loads(text)
                objs = top if isinstance(top, list) else top.get("Records", [top])
        n = sum(holds_event(o) for o in objs)
        expect_events += n
        expect_skipped += len(objs) - n
        expect_skipped_files += n == 0
    r = subprocess.run([ctview, "--stats", "--json", d], capture_output=True, text=True)
    check(r.returncode == 0, "--stats exits 0 (%d: %s)" % (r.returncode, r.stderr))
    s = json.loads(r.stdout)
    check(s["events"] == expect_events == 12, "events: %s, expected %d" % (s["events"], expect_events))
    check(s["skipped_records"] == expect_skipped == 6,
          "skipped_records: %s, expected %d" % (s["skipped_records"], expect_skipped))
    check(s["skipped_files"] == expect_skipped_files == 4,
          "skipped_files: %s, expected %d" % (s["skipped_files"], expect_skipped_files))
    check(s["records"] == s["events"] + s["duplicates"] + s["bad_records"], "counts reconcile: %s" % s)
    check(s["problems"] == 0, "skipped JSON is not a problem: %s" % s)
    # no event is shown with every column '-'
    r = subprocess.run([ctview, "--list", d], capture_output=True, text=True)
    rows = [l.split("\t") for l in r.stdout.splitlines()]
    check(len(rows) == 12, "--list shows the 12 events (%d)" % len(rows))
    check(all(sum(c == "-" for c in row[:5]) < 5 for row in rows), "no row is all '-'")
    # the reason is recorded for each skipped file, and once for the objects skipped beside events
    # (the text --stats lists problems only; the interface's Problems view shows these notes)
    r = subprocess.run([ctview, "--stats", os.path.join(d, "truth.json")], capture_output=True, text=True)
    check(r.returncode == 0 and "files skipped        1" in r.stdout, "truth.json alone is a skipped file")
    check("skipped records      1" in r.stdout, "truth.json alone: one skipped record")

print("notevent: %d failed" % fails)
sys.exit(1 if fails else 0)
