#!/usr/bin/env python3
"""ctview --sql: the Trino text pinned by golden files (tests/sql/NAME.sql), the command line's contract,
and literal escaping checked by an independent SQL lexer: whatever a value holds, the query has the same
tokens as for a plain value, and its LIKE literal decodes to the pattern this file builds on its own.
Usage: test_sql.py CTVIEW [--update]"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "sql")

CASES = [
    ("all", []),
    ("name", ["-f", "name:AssumeRole*"]),
    ("src", ["-f", "src:sts"]),
    ("user", ["-f", "user:alice"]),
    ("acct_region_type", ["-f", "acct:1111* region:eu-* type:AssumedRole"]),
    ("ip_cidr", ["-f", "ip:192.0.2.7/24 OR ip:2001:db8::/32"]),
    ("ip_addr_glob", ["-f", "ip:198.51.100.7 OR ip:203.1* OR ip:AWS*"]),
    ("key_role_host", ["-f", "key:ASIA* role:*Admin host:sts.*"]),
    ("ids", ["-f", "id:0f* shared:* req:ABC*"]),
    ("error_any", ["-f", "error:*"]),
    ("error_not", ["-f", "-error:* error:*Denied*"]),
    ("outcome", ["-f", "outcome:ok (outcome:failed OR -outcome:FAILED)"]),
    ("ro_ua_res", ["-f", "ro:false ua:*Boto3* res:arn:aws:iam::*:role/*"]),
    ("etype_cat", ["-f", "etype:AwsApiCall cat:Management"]),
    ("time_terms", ["-f", "after:2024-03-01T12:00:00.250 before:2024-03-02"]),
    ("time_in_or", ["-f", "after:2024-03-01 OR name:x"]),
    ("since_until", ["--since", "2024-03-01T00:30", "--until", "2024-03-02", "-f", "name:GetObject"]),
    ("word", ["-f", "mallory \"tag:team\""]),
    ("groups", ["-f", "(name:AssumeRole OR name:ConsoleLogin) -(type:IAMUser OR type:Root) ro:false"]),
    ("paths", ["--select", "paths", "-f", "name:PutObject", "--since", "2024-03-01"]),
    ("table", ["--table", "security.trail_2024", "--select", "events"]),
    ("table_quoted", ["--table", "Trails._raw"]),
    ("hostile", ["-f", "ua:\"it's \\\\ %_ -- /* */ \\\" ;\" \"'); DROP TABLE x; --\""]),
    ("control", ["-f", "ua:\"a\tb\" \"x\ny\""]),
    ("non_ascii", ["-f", "ua:*Élan*"]),
    ("path_indexed", ["-f", "requestParameters.roleArn:*Admin userIdentity.arn:*:user/* eventName:Get*"]),
    ("path_struct", ["-f", "userIdentity.sessionContext.sessionIssuer.userName:Admin tlsDetails.tlsVersion:*"]),
    ("path_json", ["-f", "requestParameters.bucketName:prod-* -responseElements.credentials.expiration:*"]),
    ("path_json_key", ["-f", "requestParameters.it's-a[key]:x"]),
    ("path_resources", ["-f", "resources.ARN:*role* OR resources.type:AWS::S3::*"]),
    ("path_whole", ["-f", "userIdentity.sessionContext:*true* requestParameters:*maxResults*"]),
    # regular expressions: regexp_like with (?i), the fields' short forms, resources, free text, paths
    ("regex_fields", ["-f", "name:/^assume/ src:/^sts$/ -user:/^al/ ip:/^10\\./ error:/denied$/"]),
    ("regex_paths", ["-f", "requestParameters.bucketName:/^prod-/ resources.ARN:/role\\/x$/ "
                           "userIdentity.sessionContext.sessionIssuer.userName:/^admin$/"]),
    ("regex_res_word", ["-f", "res:/:role\\// OR /mall[o0]ry/"]),
    ("regex_empty", ["-f", "name:/x*/ requestParameters.bucketName:/^$/"]),
]

ERRORS = [  # (args, exit status, text that stderr must hold)
    (["-f", "srcid:x"], 1, "srcid:x cannot be expressed in SQL"),
    (["-f", "name:a -(srcid:y OR name:b)"], 1, "srcid:y cannot be expressed"),
    (["-f", "usr:bob"], 1, "unknown field 'usr'"),
    (["-f", "managementEvent:true"], 1, "managementEvent:true cannot be expressed in SQL: the documented table has "
                                        "no column for 'managementEvent'"),
    (["-f", "userIdentity.sessionContext.sourceIdentity:x"], 1, "sourceIdentity:x cannot be expressed in SQL"),
    (["-f", "resources.arn:x"], 1, "resources.arn:x cannot be expressed in SQL: the documented table's resources "
                                   "have no field 'arn'"),
    (["-f", "userIdentity.SessionContext.type:x"], 1, "no struct field 'SessionContext'"),
    (["-f", "eventName.x:y"], 1, "a string column has no key 'x'"),
    (["-f", "name:x (origin:bob OR user:y)"], 1, "origin:bob cannot be expressed in SQL"),
    (["-f", "-rule:*"], 1, "rule:* cannot be expressed in SQL: Sigma findings"),
    (["-f", "level:>=high"], 1, "cannot be expressed in SQL: Sigma findings"),
    (["-f", "name:a ("], 1, "unclosed '('"),
    (["--select", "rows"], 1, "--select takes events or paths"),
    (["--table", "x;drop"], 1, "is not a table name"),
    (["--table", "a..b"], 1, "is not a table name"),
    (["--table", "t"], 0, ""),
    (["logs/"], 1, "--sql reads no logs"),
    (["--list"], 1, "--sql goes with"),
    (["--since", "2024-03-02", "--until", "2024-03-01"], 1, "--since must be before --until"),
    (["-f", b"ua:\xff".decode("latin-1")], 1, "not valid UTF-8"),
    (["-f", "name:/(/"], 1, "column 8: bad regular expression '(': missing closing parenthesis"),
    (["-f", "origin:/^bob$/"], 1, "origin:/^bob$/ cannot be expressed in SQL"),
    (["-f", "ro:/x/"], 1, "'ro' takes true or false, not a regular expression"),
]


def lex(sql):
    """Tokens of a query: ('str', value) for literals (a chain 'a' || chr(9) || 'b' folded into one),
    ('id', text) for quoted identifiers, ('w', text) for everything else; comments dropped."""
    toks, i = [], 0
    while i < len(sql):
        c = sql[i]
        if c.isspace():
            i += 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i = len(sql) if j < 0 else j + 1
        elif sql.startswith("/*", i):
            i = sql.index("*/", i) + 2
        elif c == "'":
            j, val = i + 1, ""
            while True:
                k = sql.index("'", j)
                val += sql[j:k]
                if sql.startswith("''", k):
                    val += "'"
                    j = k + 2
                else:
                    i = k + 1
                    break
            toks.append(["str", val])
        elif c == '"':
            k = sql.index('"', i + 1)
            toks.append(["id", sql[i + 1:k]])
            i = k + 1
        else:
            m = re.match(r"[A-Za-z_][A-Za-z0-9_]*|\d+|<>|>=|<=|\|\||->|.", sql[i:])
            toks.append(["w", m.group(0)])
            i += len(m.group(0))
    out = []  # fold '(' lit || chr ( n ) || lit ')' chains
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == ["w", "("] and i + 1 < len(toks) and (toks[i + 1][0] == "str" or toks[i + 1] == ["w", "chr"]):
            j, val, ok = i + 1, "", False
            while j < len(toks):
                if toks[j][0] == "str":
                    val += toks[j][1]
                    j += 1
                elif toks[j][1] == "chr" and toks[j + 1][1] == "(" and toks[j + 3][1] == ")":
                    val += chr(int(toks[j + 2][1]))
                    j += 4
                else:
                    break
                if toks[j] == ["w", "||"]:
                    j += 1
                elif toks[j] == ["w", ")"]:
                    ok = True
                    break
                else:
                    break
            if ok:
                out.append(["str", val])
                i = j + 1
                continue
        out.append(t)
        i += 1
    return out


def like(value):
    """ctview's glob as a LIKE pattern with ESCAPE '\\': written here independently of model/sql/sql.c."""
    out = ""
    for ch in value:
        if ch == "*":
            out += "%"
        elif ch in "%_\\":
            out += "\\" + ch
        else:
            out += ch.lower() if "A" <= ch <= "Z" else ch
    return out


def run(ctview, args):
    return subprocess.run([ctview, "--sql"] + args, capture_output=True)


def main():
    ctview, update = sys.argv[1], "--update" in sys.argv
    failures = 0
    for name, args in CASES:
        p = run(ctview, args)
        path = os.path.join(GOLDEN, name + ".sql")
        if p.returncode != 0:
            print(f"FAIL {name}: exit {p.returncode}: {p.stderr.decode()}")
            failures += 1
            continue
        if update:
            open(path, "wb").write(p.stdout)
        elif not os.path.exists(path) or open(path, "rb").read() != p.stdout:
            print(f"FAIL {name}: output differs from {path}:\n{p.stdout.decode()}")
            failures += 1
        if any(b < 0x20 and b != 0x0a for b in p.stdout):
            print(f"FAIL {name}: a control character in the output")
            failures += 1
    for args, rc, text in ERRORS:
        p = subprocess.run([ctview, "--sql"] + [a.encode("latin-1") if "\xff" in a else a for a in args],
                           capture_output=True)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != rc or text not in err or (rc and p.stdout):
            print(f"FAIL {args}: exit {p.returncode} (want {rc}), stderr {err!r}")
            failures += 1
    # Escaping: hostile values give the same token skeleton as a plain one, and the literal decodes.
    plain = lex(run(ctview, ["-f", "ua:plain"]).stdout.decode())
    hostile = ["it's", "a''b", "back\\slash", "100%", "under_score", "--", "/*", "*/", "x'; DROP TABLE t; --",
               "\"quoted\"", "tab\there", "new\nline", "\r", "'", "''", "\\'", "$path", "chr(10)",
               "' || chr(39) || '", "\x7f"]
    for v in hostile:
        q = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        p = run(ctview, ["-f", "ua:" + q])
        toks = lex(p.stdout.decode())
        skel = [t if t[0] != "str" else ["str", "?"] for t in toks]
        want = [t if t[0] != "str" else ["str", "?"] for t in plain]
        lits = [t[1] for t in toks if t[0] == "str"]
        if p.returncode != 0 or skel != want or like(v) not in lits:
            print(f"FAIL escaping {v!r}: exit {p.returncode}, literals {lits}\n{p.stdout.decode()}")
            failures += 1
    # The same for a regular expression: its literal is '(?i)' and the expression as typed.
    plain = lex(run(ctview, ["-f", "ua:/plain/"]).stdout.decode())
    hostile_re = ["it's", "a''b", "x'; DROP TABLE t; --", "x' | chr(39) | 'y", "tab\there", "new\nline",
                  "\\'", "--", "100%_", "\x7f", "\\\\"]
    for v in hostile_re:
        p = run(ctview, ["-f", "ua:/" + v + "/"])
        toks = lex(p.stdout.decode())
        skel = [t if t[0] != "str" else ["str", "?"] for t in toks]
        want = [t if t[0] != "str" else ["str", "?"] for t in plain]
        lits = [t[1] for t in toks if t[0] == "str"]
        if p.returncode != 0 or skel != want or "(?i)" + v not in lits:
            print(f"FAIL escaping /{v!r}/: exit {p.returncode}, literals {lits}\n{p.stdout.decode()}")
            failures += 1
    total = len(CASES) + len(ERRORS) + len(hostile) + len(hostile_re)
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
