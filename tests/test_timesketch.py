#!/usr/bin/env python3
"""ctview --export FILE --format timesketch against Timesketch's import contract (JSON Lines whose every
line has message, datetime in ISO 8601 with an offset, and timestamp_desc) and against the events
themselves, read by --list --json (one minified record per line, the same events in the same order):
one line per event, datetime the same instant as eventTime, the summary naming the call, the account,
the source address and the outcome, the short fields equal to the record's. On the sample (tests/sample),
with a case whose tags and notes (quotes, a line break, an ESC) come back in their lines, with --gzip
(the same lines), and on a generated tree of 20k events.
Usage: test_timesketch.py CTVIEW TESTS_DIR"""
import gzip
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from casefile import write_case  # noqa: E402

fails = 0


def fail(msg):
    global fails
    fails += 1
    if fails <= 20:
        print("FAIL:", msg)


def run(ctview, args, env):
    p = subprocess.run([ctview] + args, capture_output=True, env=env)
    if p.returncode != 0:
        fail(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")
    return p.stdout


def failed(ev):
    return (ev.get("errorCode") not in (None, "") or ev.get("errorMessage") not in (None, "")
            or (ev.get("responseElements") or {}).get("ConsoleLogin") == "Failure")


def when(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_line(i, line, rec):
    """One Timesketch line against its record."""
    try:
        o = json.loads(line)
    except ValueError as e:
        fail(f"line {i}: not JSON ({e}): {line[:120]!r}")
        return None
    for k in ("message", "datetime", "timestamp_desc"):
        if not isinstance(o.get(k), str) or not o[k]:
            fail(f"line {i}: no {k}")
            return None
    if o["timestamp_desc"] != "Event Time":
        fail(f"line {i}: timestamp_desc {o['timestamp_desc']!r}")
    dt = when(o["datetime"])
    if dt.tzinfo is None or not (o["datetime"].endswith("+00:00")):
        fail(f"line {i}: datetime {o['datetime']!r} has no offset")
    if dt != when(rec["eventTime"]):
        fail(f"line {i}: datetime {o['datetime']} but eventTime {rec['eventTime']}")
    if o.get("timestamp") != int(dt.timestamp() * 1000) * 1000:
        fail(f"line {i}: timestamp {o.get('timestamp')} for {o['datetime']}")
    if o.get("id") != rec.get("eventID"):
        fail(f"line {i}: id {o.get('id')} but eventID {rec.get('eventID')}: not one line per event in order")
    msg = o["message"]
    if "\n" in msg or any(ord(c) < 32 for c in msg):
        fail(f"line {i}: message on more than one line: {msg!r}")
    want = [rec.get("eventName"), rec.get("recipientAccountId"), rec.get("sourceIPAddress")]
    for w in want:
        if w and w not in msg:
            fail(f"line {i}: message {msg!r} does not name {w!r}")
    outcome = ": failed" if failed(rec) else ": ok"
    if outcome not in msg:
        fail(f"line {i}: message {msg!r} does not say{outcome}")
    if rec.get("errorCode") and rec["errorCode"] not in msg:
        fail(f"line {i}: message {msg!r} does not give the error {rec['errorCode']}")
    for k, path in (("name", "eventName"), ("src", "eventSource"), ("region", "awsRegion"),
                    ("acct", "recipientAccountId"), ("ip", "sourceIPAddress")):
        if rec.get(path) and o.get(k) != rec[path]:
            fail(f"line {i}: {k} {o.get(k)!r}, the record's {path} {rec[path]!r}")
    return o


def check_tree(ctview, logs, env, tmp, tag, gz=False):
    recs = [json.loads(x) for x in run(ctview, ["--list", "--json", logs], env).splitlines()]
    out = os.path.join(tmp, f"{tag}.jsonl" + (".gz" if gz else ""))
    run(ctview, ["--export", out, "--format", "timesketch"] + (["--gzip"] if gz else []) + [logs], env)
    if not os.path.exists(out):
        fail(f"{tag}: nothing written")
        return []
    data = gzip.open(out).read() if gz else open(out, "rb").read()
    if gz and open(out, "rb").read(2) != b"\x1f\x8b":
        fail(f"{tag}: --gzip did not write gzip")
    if not data.endswith(b"\n"):
        fail(f"{tag}: the last line has no newline")
    lines = data.decode("utf-8").splitlines()
    if len(lines) != len(recs) or not recs:
        fail(f"{tag}: {len(lines)} lines for {len(recs)} events")
    got = [check_line(i, line, rec) for i, (line, rec) in enumerate(zip(lines, recs))]
    print(f"{tag}: {len(lines)} lines, {len(recs)} events")
    return got


def main():
    ctview, tests = sys.argv[1], sys.argv[2]
    sample = os.path.join(tests, "sample")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(tmp, "data"), HOME=tmp, TZ="UTC")
        recs = [json.loads(x) for x in run(ctview, ["--list", "--json", sample], env).splitlines()]
        # a case over the sample: tags and notes on two events, one note hostile
        a, b = [r for r in recs if r.get("recipientAccountId")][::2][:2]
        ka, kb = (r["recipientAccountId"] + ":" + r["eventID"] for r in (a, b))
        note = 'said "rotate"\nthen \x1b[31mred\\ and | pipes'
        write_case(env["XDG_DATA_HOME"], [sample], {ka: {"marked": True, "tags": ["exfil", "t1078"],
                                                         "notes": ["first look", note]},
                                                    kb: {"tags": ["benign"]}})
        plain = check_tree(ctview, sample, env, tmp, "sample")
        by = {o.get("event_key"): o for o in plain if o}
        oa, ob = by.get(ka, {}), by.get(kb, {})
        if oa.get("tag") != ["exfil", "t1078"] or oa.get("note") != ["first look", note] or oa.get("marked") is not True:
            fail(f"the case's tags, notes and mark of {ka} not in its line: {oa}")
        if ob.get("tag") != ["benign"] or "note" in ob or "marked" in ob:
            fail(f"{kb}: {ob}")
        if sum(1 for o in plain if o and ("tag" in o or "note" in o)) != 2:
            fail("tags or notes on events the case does not name")
        # the finding titles, as --columns rule gives them
        rules = run(ctview, ["--list", "--columns", "id,rule", sample], env).decode().splitlines()
        for row, o in zip(rules, plain):
            rid, titles = row.split("\t", 1)
            want = [] if titles == "-" else titles.split(",")
            if o and o.get("finding", []) != want:
                fail(f"{rid}: finding {o.get('finding')}, --columns rule says {want}")
        if not any(o and o.get("finding") for o in plain):
            fail("no finding in the sample's timeline")
        zipped = check_tree(ctview, sample, env, tmp, "sample-gz", gz=True)
        if zipped != plain:
            fail("--gzip wrote other lines")
        gen = os.path.join(tmp, "gen")
        subprocess.run([sys.executable, os.path.join(tests, "gen_corpus.py"), "--events", "20000", "--out", gen,
                        "--seed", "30"], check=True, stdout=subprocess.DEVNULL)
        big = check_tree(ctview, os.path.join(gen, "logs"), env, tmp, "gen-20k")
        if len(big) < 19900:
            fail(f"the generated tree gave {len(big)} lines")
        # hostile text: a line break, ESC and an invalid byte in the log stay inside valid JSON, the
        # message stays one line; an event without eventTime is left out and named for that reason, its
        # eventID escaped (exit 1)
        hostile = os.path.join(tmp, "hostile")
        os.makedirs(hostile)
        with open(os.path.join(hostile, "h.json"), "wb") as f:
            f.write(b'{"Records":[{"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00.250Z",'
                    b'"eventSource":"s3.amazonaws.com","eventName":"Get\\nObject\x1b[31m",'
                    b'"awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","recipientAccountId":"111122223333",'
                    b'"eventID":"h-1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/q\\"\xff"}},'
                    b'{"eventSource":"s3.amazonaws.com","eventName":"NoTime","recipientAccountId":"111122223333",'
                    b'"eventID":"h-2\\u001b]0;pwned\\u0007\\u001b[2J"}]}')
        out = os.path.join(tmp, "hostile.jsonl")
        p = subprocess.run([ctview, "--export", out, "--format", "timesketch", hostile], capture_output=True, env=env)
        want = b"left out 1 event without an eventTime, which Timesketch needs (event h-2\\x1b]0;pwned\\x07\\x1b[2J)"
        if p.returncode != 1 or want not in p.stderr or b"\x1b" in p.stderr or b"no longer hold" in p.stderr:
            fail(f"an event without eventTime: exit {p.returncode} {p.stderr[:200]!r}")
        lines = open(out, "rb").read().decode("utf-8").splitlines() if os.path.exists(out) else []
        if len(lines) != 1:
            fail(f"hostile: {len(lines)} lines for the one timed event")
        for line in lines:
            o = json.loads(line)
            if any(ord(c) < 32 or ord(c) == 127 for c in o["message"]):
                fail(f"hostile: the message holds a control character: {o['message']!r}")
            if o.get("name") != "Get\nObject\x1b[31m" or o.get("datetime") != "2024-03-01T10:00:00.250+00:00":
                fail(f"hostile: name {o.get('name')!r} datetime {o.get('datetime')!r}")
            if "\\x1b" not in o["message"] or "\ufffd" not in o.get("identity", ""):
                fail(f"hostile: message {o['message']!r} identity {o.get('identity')!r}")
        # an existing file is refused without --force, as every export
        p = subprocess.run([ctview, "--export", os.path.join(tmp, "sample.jsonl"), "--format", "timesketch", sample],
                           capture_output=True, env=env)
        if p.returncode != 1 or b"exists" not in p.stderr:
            fail(f"an existing file: exit {p.returncode} {p.stderr[:200]!r}")
    if fails:
        print(f"{fails} failures")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
