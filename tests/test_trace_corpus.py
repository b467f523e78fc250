#!/usr/bin/env python3
"""Traces an event of every session in a generated corpus with ctview --trace --json and compares the
chain with the generator's ground truth: origin, every hop's issuing call and key, in order, and the
number of events made with the session's key. Usage: test_trace_corpus.py CTVIEW"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ctview = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "3000", "--out", tmp,
                        "--per-file", "60", "--seed", "11", "--bad", "0"], check=True)
        truth = json.load(open(os.path.join(tmp, "truth.json")))
        logs = os.path.join(tmp, "logs")
        by_key, accounts_of = {}, {}
        for root, dirs, files in os.walk(logs):
            if "CloudTrail-Digest" in root:
                continue
            for f in files:
                for ev in json.loads(gzip.open(os.path.join(root, f)).read())["Records"]:
                    accounts_of.setdefault(ev["eventID"], set()).add(ev["recipientAccountId"])
                    key = ev.get("userIdentity", {}).get("accessKeyId")
                    if key:
                        by_key.setdefault(key, {})[(ev["recipientAccountId"], ev["eventID"])] = ev
        checked = hops_seen = 0
        depths = set()
        for chain in truth["chains"]:
            events = by_key.get(chain["session_keys"][-1], {})
            if not events:
                continue
            # the session's newest event that issued no key (tracing an STS call lists the events made
            # with the key it issued), named with its account so the id is never ambiguous
            plain = [k for k in events if not ((events[k].get("responseElements") or {}).get("credentials"))]
            if not plain:
                continue
            acct, eid = max(plain, key=lambda k: (events[k]["eventTime"], k))
            proc = subprocess.run([ctview, "--trace", f"{acct}:{eid}", "--json", logs], capture_output=True,
                                  text=True)
            if proc.returncode != 0:
                print(f"FAIL --trace {acct}:{eid}: exit {proc.returncode}: {proc.stderr.strip()}")
                failures += 1
                continue
            got = json.loads(proc.stdout)
            want = {"origin": chain["origin_arn"], "issuers": chain["issuer_event_ids"],
                    "keys": chain["session_keys"], "session_events": chain["session_events"]}
            have = {"origin": got["origin"]["arn"], "issuers": [h["issuer_event_id"] for h in got["hops"]],
                    "keys": [h["access_key_id"] for h in got["hops"]], "session_events": got["session_events"]}
            if have != want or any(h["inferred"] for h in got["hops"]) or got["origin"]["type"] != "IAMUser":
                print(f"FAIL trace of {acct}:{eid}:\n  want {want}\n  got  {have}")
                failures += 1
            for h in got["hops"]:
                if h["shared_event_id"] and not h["twin_event_id"]:
                    print(f"FAIL {acct}:{eid}: a cross-account hop whose twin is loaded shows none")
                    failures += 1
            checked += 1
            hops_seen += len(got["hops"])
            depths.add(len(got["hops"]))
        if checked < 50 or not {1, 2, 3} <= depths:
            print(f"FAIL too few chains checked ({checked}) or depths missing ({sorted(depths)})")
            failures += 1
        # a cross-account call's id names two records: alone it is ambiguous, listed, exit 1
        shared = next((i for i in sorted(accounts_of) if len(accounts_of[i]) == 2), None)
        if not shared:
            print("FAIL the corpus has no cross-account call")
            failures += 1
        if shared:
            proc = subprocess.run([ctview, "--trace", shared, logs], capture_output=True, text=True)
            listed = [l.strip() for l in proc.stderr.splitlines()[1:]]
            if proc.returncode != 1 or len(listed) != 2 or not all(l.endswith(":" + shared) for l in listed):
                print(f"FAIL an ambiguous id: exit {proc.returncode}, {proc.stderr.strip()}")
                failures += 1
        proc = subprocess.run([ctview, "--trace", "no-such-event", logs], capture_output=True, text=True)
        if proc.returncode != 1 or "no loaded event" not in proc.stderr:
            print("FAIL an unknown id must exit 1 with a message")
            failures += 1
    print(f"trace corpus: {checked} chains, {hops_seen} hops, depths {sorted(depths)}, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
