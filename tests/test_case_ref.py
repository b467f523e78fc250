#!/usr/bin/env python3
"""Reference check of the case (issue 30 item 1) against a Python reading: a random case over a
generated tree (2,000 events, eventIDs as upper-case UUIDs, which the store keeps as bytes) is imported,
then exported; the export must be the case file format of README (The case) exactly: the version, the
name, the inputs, every event sorted by ACCOUNT:EVENTID with its mark, sorted distinct tags, notes in
order and time, the events that are not loaded included. Then tag: and note: globs (-f) must select the
events Python's fnmatch selects, and --columns tag,note must print what the case holds.

Usage: test_case_ref.py CTVIEW"""
import fnmatch
import json
import os
import random
import re
import subprocess
import sys
import tempfile

ctview = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(what, ok):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(*args, **kw):
    return subprocess.run([ctview, *args], capture_output=True, text=True, env=env, **kw)


tmp = tempfile.mkdtemp()
env = dict(os.environ, XDG_DATA_HOME=tmp + "/data", XDG_STATE_HOME=tmp + "/state", TZ="UTC")
tree = os.path.join(tmp, "tree")
subprocess.run([sys.executable, os.path.join(here, "screen", "gen_tree.py"), tree, "20", "100"], check=True,
               capture_output=True)
events = [json.loads(line) for line in run("--list", "--json", tree).stdout.splitlines()]
keys = ["%s:%s" % (e["recipientAccountId"], e["eventID"]) for e in events]
check("the tree loads 2000 events with distinct keys", len(keys) == 2000 and len(set(keys)) == 2000)

rnd = random.Random(30)
pool = ["exfil", "T1078", "lateral-move", "ok.benign", "s3:read", "team/alice@corp"]
notes_pool = ["first look", "Alice, from a new IP", 'said "yes"', "back\\slash", "line one\nline two",
              "Ünïcode — naïve", "glob * and ? inside"]
case = {}
for k in rnd.sample(keys, 300) + ["999999999999:gone-%d" % i for i in range(5)]:
    tags = sorted(set(rnd.sample(pool, rnd.randint(0, 3))))
    notes = rnd.sample(notes_pool, rnd.randint(0, 2))
    marked = rnd.random() < 0.3
    if not tags and not notes and not marked:
        notes = ["kept"]
    case[k] = {"event": k, "marked": marked, "tags": tags, "notes": notes,
               "updated": 1733600000000 + rnd.randint(0, 10**6)}
src = os.path.join(tmp, "in.json")
with open(src, "w") as f:
    json.dump({"ctview_case": 1, "name": "colleague", "events": list(case.values())}, f)

r = run("--case-import", src, tree)
check("--case-import exits 0 (%s)" % r.stderr.strip(), r.returncode == 0)
r = run("--case-export", "-", tree)
check("--case-export - exits 0", r.returncode == 0)
out = json.loads(r.stdout)
check("the export's keys", list(out) == ["ctview_case", "name", "inputs", "events"])
check("version 1", out["ctview_case"] == 1)
check("the name is this case's", out["name"] == "default")
check("the inputs are the canonical PATHs", out["inputs"] == [os.path.realpath(tree)])
got = [e["event"] for e in out["events"]]
check("events sorted by ACCOUNT:EVENTID, each once", got == sorted(case) and len(set(got)) == len(got))
tag_re = re.compile(r"^[A-Za-z0-9_.:/@-]{1,64}$")
for e in out["events"]:
    want = case.get(e["event"])
    if want is None:
        continue
    if e != want:
        check("entry %s as imported (got %r, want %r)" % (e["event"], e, want), False)
        break
    if not all(tag_re.match(t) for t in e["tags"]) or e["tags"] != sorted(set(e["tags"])):
        check("tags of %s are valid, sorted and distinct" % e["event"], False)
        break
check("the events not loaded are kept", sum(e["event"].startswith("999999999999:") for e in out["events"]) == 5)


def ids(expr):
    r = run("--list", "--columns", "acct,id", "-f", expr, tree)
    check("-f %s exits 0 (%s)" % (expr, r.stderr.strip()), r.returncode == 0)
    return sorted(line.replace("\t", ":") for line in r.stdout.splitlines())


def ref(field, pattern, negate=False):
    sel = []
    for k in keys:
        e = case.get(k)
        values = (e["tags"] if field == "tag" else e["notes"]) if e else []
        hit = any(fnmatch.fnmatchcase(v.lower(), pattern.lower()) for v in values)
        if hit != negate:
            sel.append(k)
    return sorted(sel)


for field, pattern in [("tag", "exfil"), ("tag", "t1078"), ("tag", "*"), ("tag", "s3:*"), ("tag", "team/*@corp"),
                       ("note", "*new ip"), ("note", "first*"), ("note", "*"), ("note", "*naïve"),
                       ("note", "line one*")]:
    quoted = '"%s"' % pattern if any(c in pattern for c in ' "') else pattern
    want = ref(field, pattern)
    check("%s:%s selects %d events as fnmatch does" % (field, pattern, len(want)),
          ids("%s:%s" % (field, quoted)) == want)
check("-tag:* selects the untagged", ids("-tag:*") == ref("tag", "*", negate=True))

r = run("--list", "--columns", "acct,id,tag,note", "-f", "tag:* OR note:*", tree)
cells = {}
for line in r.stdout.splitlines():
    acct, eid, tags, notes = line.split("\t", 3)
    cells["%s:%s" % (acct, eid)] = (tags, notes)
bad = [k for k, (t, n) in cells.items()
       if t != (",".join(case[k]["tags"]) or "-")]
check("--columns tag prints each event's tags joined by ',' (%d wrong)" % len(bad), not bad and len(cells) > 0)
simple = [k for k in cells if all("\n" not in n for n in case[k]["notes"])]
bad = [k for k in simple if cells[k][1] != (",".join(case[k]["notes"]) or "-")]
check("--columns note prints each event's notes joined by ',' (%d wrong)" % len(bad), not bad)

subprocess.run(["rm", "-rf", tmp])
print("case reference: %d failed" % len(failures))
sys.exit(1 if failures else 0)
