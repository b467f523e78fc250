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


def regex(pat):
    """A /REGEX/ term's test of one value: searched anywhere in it, case-insensitively; an empty or absent
    value is none."""
    rx = re.compile(pat, re.IGNORECASE)
    return lambda v: v is not None and v != "" and rx.search(str(v)) is not None


def field_test(field, value, is_re=False):
    """The test of field:value, or of field:/value/ when is_re: the expression is tried on the same strings
    as the glob (a short name's forms included), and CIDR, error:* and the closed fields do not apply."""
    glob_or_re = regex(value) if is_re else (lambda v: glob(value, v))
    g = lambda *paths: lambda ev: any(glob_or_re(get(ev, p)) for p in paths)
    if field == "name":
        return g("eventName")
    if field == "src":
        def src(ev):
            s = get(ev, "eventSource")
            return glob_or_re(s) or (isinstance(s, str) and s.endswith(".amazonaws.com")
                                     and glob_or_re(s[: -len(".amazonaws.com")]))
        return src
    if field == "user":
        return lambda ev: any(glob_or_re(t) for p in ("userIdentity.userName", "userIdentity.arn",
                                                          "userIdentity.principalId", "userIdentity.onBehalfOf.userId")
                              for t in tails(get(ev, p)))
    if field == "acct":
        return g("recipientAccountId", "userIdentity.accountId")
    if field == "ip":
        if not is_re and ("/" in value or ("*" not in value and is_ip(value))):
            net = ipaddress.ip_network(value, strict=False)
            return lambda ev: is_ip(get(ev, "sourceIPAddress")) and ipaddress.ip_address(get(ev, "sourceIPAddress")) in net
        return g("sourceIPAddress")
    if field == "error":
        if value == "*" and not is_re:
            return failed
        return g("errorCode", "errorMessage")
    if field == "outcome":
        want = {"failed": True, "ok": False}[value.lower()]
        return lambda ev: failed(ev) == want
    if field == "ro":
        want = value.lower()
        return lambda ev: str(get(ev, "readOnly")).lower() == want  # "True" as a string too
    if field == "res":
        return lambda ev: any(glob_or_re(r.get("ARN") or r.get("arn")) for r in ev.get("resources") or [])
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


def path_values(ev, path):
    """Every value of a JSON path: a step into an array applies to each element; a string as it is, a
    number or boolean as written, an object or array as its minified JSON; null is none."""
    vals = [ev]
    for k in path.split("."):
        nxt = []
        for v in vals:
            for x in (v if isinstance(v, list) else [v]):
                if isinstance(x, dict) and k in x:
                    nxt.append(x[k])
        vals = nxt
    return [v if isinstance(v, str) else json.dumps(v, separators=(",", ":")) for v in vals if v is not None]


def path_test(path, value, is_re):
    m = regex(value) if is_re else (lambda v: glob(value, v))
    return lambda ev: any(m(v) for v in path_values(ev, path))


def texts(ev):
    """What free text is compared with, for an expression: each key and scalar value of the event as
    logged (and the minified JSON of each top-level member, which is how ctview keeps the rest)."""
    out = []

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                out.append(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif v is not None:
            out.append(v if isinstance(v, str) else json.dumps(v))
    walk(ev)
    return out


def regex_word_test(pat):
    m = regex(pat)
    return lambda ev: any(m(t) for t in texts(ev))


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
            r = re.match(r'(?:([A-Za-z][\w.]*):)?/((?:[^/\\]|\\.)+)/', text[i:])
            if r:  # a regular expression, handed over as written (\/ is a '/' in Python's re too)
                i += len(r.group(0))
                toks.append(("re", r.group(1), r.group(2)))
                continue
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
        if t[0] == "re":
            if t[1] is None:
                return regex_word_test(t[2])
            if "." in t[1]:
                return path_test(t[1], t[2], True)
            return field_test(t[1].lower(), t[2], True)
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
