#!/usr/bin/env python3
"""Every --json output and the jsonl/records exports are valid JSON whatever bytes a log holds: a record
with a raw ESC, a lone 0x9b byte and invalid UTF-8 sequences in its identity ARN, eventName and eventID
is read back by Python's strict json module from --list --json, --stats --json, --trace --json,
--actors --json, --findings --json and --top --json, and from both exports; each value is the logged
text with each invalid byte as U+FFFD (one per byte) and valid UTF-8 kept.

Usage: test_json_out.py CTVIEW RULES"""
import json, os, subprocess, sys, tempfile

ctview, rules = sys.argv[1], sys.argv[2]
fails = 0


def check(cond, what):
    global fails
    if not cond:
        print("FAIL:", what)
        fails += 1


def utf8_len(b, i):
    """The length of the valid UTF-8 character at b[i], or 0 (the rule of model/base/utf8.c)."""
    for n in (1, 2, 3, 4):
        try:
            b[i:i + n].decode("utf-8")
            return n
        except UnicodeDecodeError:
            continue
    return 0


def expected(b):
    out, i = [], 0
    while i < len(b):
        n = utf8_len(b, i)
        out.append(b[i:i + n].decode("utf-8") if n else "\ufffd")
        i += n or 1
    return "".join(out)


# raw ESC, a C1 CSI byte alone, a cut 3-byte sequence, an encoded surrogate, an overlong '/', valid UTF-8
arn = b"arn:aws:iam::123456789012:root\x1b[31m\x9bx\xe2\x82(\xed\xa0\x80\xc0\xafcaf\xc3\xa9"
name = b"Create\x1bUser\x9b\xff\xe2\x82\xac"
evid = b"ev-\x9b-\x1b-1"
rec = (b'{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"123456789012","arn":"' + arn +
       b'","accountId":"123456789012","accessKeyId":"AKIAEXAMPLE"},"eventTime":"2024-05-01T10:00:00Z",'
       b'"eventSource":"iam.amazonaws.com","eventName":"' + name + b'","awsRegion":"us-east-1",'
       b'"sourceIPAddress":"192.0.2.1","userAgent":"x","eventID":"' + evid + b'","eventType":"AwsApiCall",'
       b'"recipientAccountId":"123456789012"}')
other = (b'{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/ok",'
         b'"accountId":"123456789012"},"eventTime":"2024-05-01T11:00:00Z","eventSource":"s3.amazonaws.com",'
         b'"eventName":"ListBuckets","awsRegion":"us-east-1","eventID":"ev-ok","recipientAccountId":"123456789012"}')

with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "hostile.json")
    with open(log, "wb") as f:
        f.write(b'{"Records":[' + rec + b",\n" + other + b"]}\n")

    def run(*args):
        p = subprocess.run([ctview, *args], capture_output=True)
        check(p.returncode == 0, "exit %d for %s: %r" % (p.returncode, args, p.stderr[-300:]))
        return p.stdout

    def parse(what, data):
        try:
            return json.loads(data)
        except ValueError as e:  # UnicodeDecodeError included
            check(False, "%s is not valid JSON: %s" % (what, e))
            return None

    E_ARN, E_NAME, E_ID = expected(arn), expected(name), expected(evid)
    check("\x1b" in E_NAME and "\ufffd" in E_NAME and "\u20ac" in E_NAME, "the expected text keeps ESC, U+FFFD, €")

    lines = run("--list", "--json", log).splitlines()
    check(len(lines) == 2, "--list --json: %d lines" % len(lines))
    recs = [parse("--list --json line", l) for l in lines]
    hostile = [r for r in recs if r and r.get("eventName") != "ListBuckets"]
    check(len(hostile) == 1 and hostile[0]["eventName"] == E_NAME and hostile[0]["eventID"] == E_ID and
          hostile[0]["userIdentity"]["arn"] == E_ARN, "--list --json values: %r" % hostile)

    st = parse("--stats --json", run("--stats", "--json", log))
    check(st is not None and st.get("events") == 2, "--stats --json: %r" % st)

    tr = parse("--trace --json", run("--trace", os.fsdecode(evid), "--json", log))
    check(tr is not None and tr.get("event") == E_ID and tr.get("origin", {}).get("arn") == E_ARN,
          "--trace --json values: %r" % tr)

    ac = parse("--actors --json", run("--actors", "--json", log))
    arns = [a.get("arn") for a in (ac or {}).get("actors", [])]
    check(E_ARN in arns, "--actors --json arns: %r" % arns)

    fi = parse("--findings --json", run("--findings", "--json", "--rules", rules, log))
    events = [e for r in (fi or {}).get("findings", []) for e in r.get("events", [])]
    check("123456789012:" + E_ID in events, "--findings --json events: %r" % events)

    for field, want in (("name", E_NAME), ("user", E_ARN), ("id", E_ID)):
        top = parse("--top %s --json" % field, run("--top", field, "--json", log))
        text = json.dumps(top, ensure_ascii=False) if top else ""
        check(top is not None and json.dumps(want, ensure_ascii=False) in text,
              "--top %s --json values: %s" % (field, text[:400]))

    for fmt in ("jsonl", "records"):
        out = os.path.join(tmp, "out." + fmt)
        run("--export", out, "--format", fmt, log)
        data = open(out, "rb").read()
        docs = [parse(fmt + " export", l) for l in data.splitlines()] if fmt == "jsonl" else \
            (parse(fmt + " export", data) or {}).get("Records", [])
        names = sorted(d.get("eventName", "") for d in docs if d)
        check(names == sorted([E_NAME, "ListBuckets"]), "%s export names: %r" % (fmt, names))

print("json-out: %d failed" % fails)
sys.exit(1 if fails else 0)
