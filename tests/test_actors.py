#!/usr/bin/env python3
"""ctview --actors --json and origin: against the generator's truth, on a corpus with every identity shape
(gen_corpus.py --identities): the truth names each event's origin and the roles along its chain; this
file aggregates them by its own reading of the contract (README, Actors) and compares the whole object.
Also: every origin: VALUE selects exactly the events whose truth origin has that ARN or last / or :
part, and each shape's --trace --json ends at its truth origin. On several seeds (Identity Center users
and services in four accounts): one actor per true origin, origin:"<actor>" for every actor selects
exactly its events, --trace --json of a sample of each actor's events ends at it, and (with TEST_TRACE,
the unit test binary) the origins computation and the trace agree on every event.
Usage: test_actors.py CTVIEW [TEST_TRACE]"""
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from filter_ref import glob, tails  # noqa: E402


def failed(ev):
    return (ev.get("errorCode") not in (None, "") or ev.get("errorMessage") not in (None, "")
            or (ev.get("responseElements") or {}).get("ConsoleLogin") == "Failure")


def expected(events, origins, keep):
    actors = {}
    for k, ev in events.items():
        if not keep(ev):
            continue
        o = origins[k]
        a = actors.setdefault((o["type"], o["arn"], o["account"]), {
            "events": 0, "sessions": set(), "accounts": set(), "roles": set(), "times": [], "ips": set(), "errors": 0,
            "extra": {x: o[x] for x in ("name", "identity_store") if o.get(x)}})
        a["events"] += 1
        ui = ev.get("userIdentity") or {}
        if ui.get("accessKeyId"):
            a["sessions"].add(ui["accessKeyId"])
        a["accounts"].add(ev["recipientAccountId"])
        a["roles"].update(o["roles"])
        a["times"].append(ev["eventTime"])
        if ev.get("sourceIPAddress"):
            a["ips"].add(ev["sourceIPAddress"])
        a["errors"] += failed(ev)
    rows = [{"type": t, "arn": arn, "account": acct, **a["extra"], "events": a["events"], "sessions": len(a["sessions"]),
             "accounts": sorted(a["accounts"]), "roles": sorted(a["roles"]), "first": min(a["times"]),
             "last": max(a["times"]), "ips": len(a["ips"]), "errors": a["errors"]}
            for (t, arn, acct), a in actors.items()]
    rows.sort(key=lambda r: (-r["events"], r["arn"].encode(), (r["account"] or "").encode(), r["type"].encode()))
    return {"actors": rows}


def load(tmp, seed, n=4000):
    subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", str(n), "--out", tmp,
                    "--per-file", "80", "--seed", str(seed), "--bad", "0", "--identities"], check=True)
    truth = json.load(open(os.path.join(tmp, "truth.json")))
    logs = os.path.join(tmp, "logs")
    events = {}
    for root, _, files in os.walk(logs):
        if "CloudTrail-Digest" in root:
            continue
        for f in files:
            for ev in json.loads(gzip.open(os.path.join(root, f)).read())["Records"]:
                events[ev["recipientAccountId"] + ":" + ev["eventID"]] = ev
    return truth["origins"], logs, events


def names_of(o):
    return tails(o["arn"]) + ([o["name"]] if o.get("name") else [])


def one_actor_per_origin(ctview, test_trace, seed):
    """--actors --json: exactly one row per true origin; origin:"<row>" selects its events; the trace of
    a sample of every row's events ends at the row; the origins and the trace agree on every event."""
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        origins, logs, events = load(tmp, seed, 2500)
        truth = {(o["type"], o["arn"], o["account"]) for o in origins.values()}
        proc = subprocess.run([ctview, "--actors", "--json", logs], capture_output=True, text=True)
        rows = json.loads(proc.stdout)["actors"] if proc.returncode == 0 else []
        got = [(r["type"], r["arn"], r["account"]) for r in rows]
        if len(got) != len(set(got)) or set(got) != truth:
            print(f"FAIL seed {seed}: {len(got)} actors for {len(truth)} true origins; "
                  f"extra {sorted(set(got) - truth, key=str)[:3]}, missing {sorted(truth - set(got), key=str)[:3]}")
            fails += 1
        ic = [r for r in rows if r["type"] == "IdentityCenterUser"]
        if len(ic) < 3 or any(len(r["accounts"]) < 2 or not r.get("name") for r in ic):
            print(f"FAIL seed {seed}: Identity Center users not one across accounts, named: {ic[:2]}")
            fails += 1
        r_ = random.Random(seed)
        # every actor but the many one-session web-identity and SAML users, of which a few: the filter and
        # the trace run a process per actor
        many = [r for r in rows if r["type"] in ("WebIdentityUser", "SAMLUser")]
        for r in [r for r in rows if r not in many] + r_.sample(many, min(4, len(many))):
            key = (r["type"], r["arn"], r["account"])
            mine = sorted(k for k, o in origins.items() if (o["type"], o["arn"], o["account"]) == key)
            proc = subprocess.run([ctview, "--list", "-f", 'origin:"%s"' % r["arn"].replace('"', '\\"'), logs],
                                  capture_output=True, text=True)
            sel = {l.split("\t")[1] + ":" + l.split("\t")[-1] for l in proc.stdout.splitlines()}
            want = {k for k, o in origins.items() if any(glob(r["arn"], t) for t in names_of(o))}
            if proc.returncode != 0 or sel != want or not set(mine) <= sel:
                print(f"FAIL seed {seed}: origin:\"{r['arn']}\" selects {len(sel)} events, want {len(want)}")
                fails += 1
            for k in r_.sample(mine, min(1, len(mine))):
                proc = subprocess.run([ctview, "--trace", k, "--json", logs], capture_output=True, text=True)
                o = json.loads(proc.stdout)["origin"] if proc.returncode == 0 else {}
                if (o.get("type"), o.get("arn"), o.get("account")) != key:
                    print(f"FAIL seed {seed}: --trace {k} origin {o}, its actor {key}")
                    fails += 1
        if test_trace:
            proc = subprocess.run([test_trace, logs], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL seed {seed}: origins and traces disagree: {proc.stdout.strip()} {proc.stderr.strip()[:500]}")
                fails += 1
    print(f"seed {seed}: {len(truth)} true origins, {len(rows)} actors, {fails} failed")
    return fails


def main():
    ctview = sys.argv[1]
    test_trace = sys.argv[2] if len(sys.argv) > 2 else None
    fails = 0
    for seed in (5, 71, 2024):
        fails += one_actor_per_origin(ctview, test_trace, seed)
    if test_trace:  # and on the hand-written shapes (a reused key among them)
        proc = subprocess.run([test_trace, os.path.join(HERE, "fixtures", "identity")], capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"FAIL fixtures/identity: origins and traces disagree: {proc.stdout.strip()} {proc.stderr.strip()[:500]}")
            fails += 1
    with tempfile.TemporaryDirectory() as tmp:
        origins, logs, events = load(tmp, 23)
        types = {o["type"] for o in origins.values()}
        want_types = {"IAMUser", "Root", "SAMLUser", "WebIdentityUser", "AWSService", "IdentityCenterUser", "Unknown"}
        if not want_types <= types:
            print(f"FAIL shapes missing from the corpus: {sorted(want_types - types)}")
            fails += 1

        cases = [([], lambda ev: True),
                 (["-f", "ro:true"], lambda ev: str(ev.get("readOnly")).lower() == "true"),
                 (["-f", "error:*"], failed)]
        for args, keep in cases:
            proc = subprocess.run([ctview, "--actors", "--json", *args, logs], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL --actors --json {args}: exit {proc.returncode}: {proc.stderr.strip()}")
                fails += 1
                continue
            got, want = json.loads(proc.stdout), expected(events, origins, keep)
            if got != want:
                fails += 1
                gr = {(r["type"], r["arn"], r["account"]): r for r in got["actors"]}
                wr = {(r["type"], r["arn"], r["account"]): r for r in want["actors"]}
                for k in sorted(set(gr) | set(wr), key=str):
                    if gr.get(k) != wr.get(k):
                        print(f"FAIL --actors {args} {k}:\n  want {wr.get(k)}\n  got  {gr.get(k)}")
                        break
                else:
                    print(f"FAIL --actors {args}: same rows, other order")
            # the text table has one line per actor, and the same order
            proc = subprocess.run([ctview, "--actors", *args, logs], capture_output=True, text=True)
            lines = proc.stdout.splitlines()
            if proc.returncode != 0 or len(lines) != len(want["actors"]) + 1 or not lines[0].lstrip().startswith("EVENTS"):
                print(f"FAIL --actors {args} table: {len(lines)} lines for {len(want['actors'])} actors")
                fails += 1

        # origin: by full ARN and by its last part
        values = ["alice", "bob", "root", "ec2.amazonaws.com", "ssm.amazonaws.com", "Ghost", "HIDDEN_DUE_TO_SECURITY_REASONS"]
        values += sorted({o["arn"] for o in origins.values() if o["type"] in ("IdentityCenterUser", "SAMLUser")})[:2]
        values += sorted({o["name"] for o in origins.values() if o.get("name")})[:2]
        values += ["arn:aws:iam::111111111111:user/carol", "*google*"]
        for v in values:
            want = sorted(k for k, o in origins.items() if any(glob(v, t) for t in names_of(o)))
            proc = subprocess.run([ctview, "--list", "-f", f'origin:"{v}"', logs], capture_output=True, text=True)
            got = sorted(l.split("\t")[1] + ":" + l.split("\t")[-1] for l in proc.stdout.splitlines())
            if proc.returncode != 0 or got != want or not want:
                print(f"FAIL origin:{v}: {len(got)} events, the truth says {len(want)} (exit {proc.returncode})")
                fails += 1

        # user: matches an Identity Center user's userId, and so does the path term
        ic = sorted(k for k, ev in events.items() if ((ev.get("userIdentity") or {}).get("onBehalfOf") or {}).get("userId"))
        one = events[ic[0]]["userIdentity"]["onBehalfOf"]["userId"] if ic else "none"
        for expr, want in [("userIdentity.onBehalfOf.userId:*", ic),
                           (f"user:{one}", sorted(k for k in ic if events[k]["userIdentity"]["onBehalfOf"]["userId"] == one))]:
            proc = subprocess.run([ctview, "--list", "-f", expr, logs], capture_output=True, text=True)
            got = sorted(l.split("\t")[1] + ":" + l.split("\t")[-1] for l in proc.stdout.splitlines())
            if proc.returncode != 0 or got != want or not want:
                print(f"FAIL {expr}: {len(got)} events, want {len(want)} (exit {proc.returncode})")
                fails += 1

        # every shape traced: --trace --json ends at the truth's origin
        seen = set()
        for k in sorted(origins):
            o, ev = origins[k], events[k]
            shape = (o["type"], (ev.get("userIdentity") or {}).get("type"), ev["eventName"].startswith("AssumeRole"))
            if shape in seen:
                continue
            seen.add(shape)
            proc = subprocess.run([ctview, "--trace", k, "--json", logs], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL --trace {k}: exit {proc.returncode}")
                fails += 1
                continue
            t = json.loads(proc.stdout)
            got = (t["origin"]["type"], t["origin"]["arn"], t["origin"]["account"])
            if got != (o["type"], o["arn"], o["account"]):
                print(f"FAIL --trace {k} ({shape}): origin {got}, truth {o}")
                fails += 1
            for h in t["hops"]:
                if h["inferred"] and h["issuer_event_id"] is None:
                    print(f"FAIL --trace {k}: a missing issuer marked inferred")
                    fails += 1
                if h["twin_event_id"] and not h["cross_account"]:
                    print(f"FAIL --trace {k}: twin shown for a one-account call")
                    fails += 1
        if len(seen) < 12:
            print(f"FAIL only {len(seen)} shapes traced")
            fails += 1
    print(f"actors: {len(events)} events, {len(seen)} shapes traced, {fails} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
