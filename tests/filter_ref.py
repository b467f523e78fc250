#!/usr/bin/env python3
"""An independent reading of the filter language (README, Filters), written from the spec rather than from
the C code, to cross-check ctview's -f on the generator's corpus. Usage from tests: compile_expr(text)
returns a function of one parsed event (a dict) to bool."""
import ipaddress
import json
import re
from datetime import datetime, timezone


def glob(pat, value):
    if value is None or value == "":
        return False
    rx = ".*".join(re.escape(p) for p in pat.split("*"))
    return re.fullmatch(rx, str(value), re.IGNORECASE | re.DOTALL) is not None


def get(ev, path):
    for k in path.split("."):
        if not isinstance(ev, dict):
            return None
        ev = ev.get(k)
    if isinstance(ev, bool):
        return "true" if ev else "false"
    return ev if isinstance(ev, (str, int, float)) else None


def parse_time(text):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?Z?", text)
    if not m:
        raise ValueError(text)
    y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    return datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc)


def event_time(ev):
    t = ev.get("eventTime")
    try:
        return parse_time(t.replace("Z", "")) if isinstance(t, str) else None
    except ValueError:
        return None


def tails(v):
    if not isinstance(v, str):
        return []
    out = [v]
    for sep in "/:":
        if sep in v:
            out.append(v.rsplit(sep, 1)[1])
    return out


def failed(ev):
    """The one failure rule: a non-empty errorCode or errorMessage ("" and null are no error), or a failed
    sign-in."""
    return (get(ev, "errorCode") not in (None, "") or get(ev, "errorMessage") not in (None, "")
            or get(ev, "responseElements.ConsoleLogin") == "Failure")


def field_test(field, value):
    g = lambda *paths: lambda ev: any(glob(value, get(ev, p)) for p in paths)
    if field == "name":
        return g("eventName")
    if field == "src":
        def src(ev):
            s = get(ev, "eventSource")
            return glob(value, s) or (isinstance(s, str) and s.endswith(".amazonaws.com")
                                      and glob(value, s[: -len(".amazonaws.com")]))
        return src
    if field == "user":
        return lambda ev: any(glob(value, t) for p in ("userIdentity.userName", "userIdentity.arn",
                                                          "userIdentity.principalId", "userIdentity.onBehalfOf.userId")
                              for t in tails(get(ev, p)))
    if field == "acct":
        return g("recipientAccountId", "userIdentity.accountId")
    if field == "ip":
        if "/" in value or ("*" not in value and is_ip(value)):
            net = ipaddress.ip_network(value, strict=False)
            return lambda ev: is_ip(get(ev, "sourceIPAddress")) and ipaddress.ip_address(get(ev, "sourceIPAddress")) in net
        return g("sourceIPAddress")
    if field == "error":
        if value == "*":
            return failed
        return g("errorCode", "errorMessage")
    if field == "outcome":
        want = {"failed": True, "ok": False}[value.lower()]
        return lambda ev: failed(ev) == want
    if field == "ro":
        want = value.lower()
        return lambda ev: str(get(ev, "readOnly")).lower() == want  # "True" as a string too
    if field == "res":
        return lambda ev: any(glob(value, r.get("ARN") or r.get("arn")) for r in ev.get("resources") or [])
    if field in ("after", "before"):
        t = parse_time(value)
        if field == "after":
            return lambda ev: event_time(ev) is not None and event_time(ev) >= t
        return lambda ev: event_time(ev) is not None and event_time(ev) < t
    paths = {"region": ["awsRegion"], "type": ["userIdentity.type"],
             "key": ["userIdentity.accessKeyId", "responseElements.credentials.accessKeyId"],
             "id": ["eventID"], "shared": ["sharedEventID"], "req": ["requestID"], "ua": ["userAgent"],
             "etype": ["eventType"], "cat": ["eventCategory"],
             "role": ["requestParameters.roleArn", "userIdentity.sessionContext.sessionIssuer.arn"],
             "srcid": ["userIdentity.sessionContext.sourceIdentity"],
             "host": ["tlsDetails.clientProvidedHostHeader"]}[field]
    return g(*paths)


def is_ip(v):
    try:
        ipaddress.ip_address(v)
        return True
    except (ValueError, TypeError):
        return False


def word_test(word):
    rx = re.compile(".*".join(re.escape(p) for p in word.split("*")), re.IGNORECASE | re.DOTALL)
    return lambda ev: rx.search(json.dumps(ev, separators=(",", ":"))) is not None


def tokenize(text):
    toks, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            toks.append(c)
            i += 1
        elif c == "-" and i + 1 < len(text) and not text[i + 1].isspace():
            toks.append("-")
            i += 1
        else:
            m = re.match(r'([A-Za-z]+):"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"|[^\s)]+', text[i:])
            tok = m.group(0)
            i += len(tok)
            if m.group(1):
                toks.append(("term", m.group(1).lower(), re.sub(r"\\(.)", r"\1", m.group(2))))
            elif m.group(3) is not None:
                toks.append(("word", re.sub(r"\\(.)", r"\1", m.group(3))))
            elif tok == "OR":
                toks.append("OR")
            elif re.match(r"[A-Za-z]+:", tok):
                f, v = tok.split(":", 1)
                toks.append(("term", f.lower(), v))
            else:
                toks.append(("word", tok))
    return toks


def compile_expr(text):
    toks = tokenize(text)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def unary():
        t = peek()
        pos[0] += 1
        if t == "-":
            f = unary()
            return lambda ev: not f(ev)
        if t == "(":
            f = expr()
            assert peek() == ")"
            pos[0] += 1
            return f
        if t[0] == "term":
            return field_test(t[1], t[2])
        return word_test(t[1])

    def group():
        fs = [unary()]
        while peek() == "OR":
            pos[0] += 1
            fs.append(unary())
        return lambda ev: any(f(ev) for f in fs)

    def expr():
        fs = []
        while peek() not in (None, ")"):
            fs.append(group())
        return lambda ev: all(f(ev) for f in fs)

    f = expr()
    assert peek() is None
    return f
