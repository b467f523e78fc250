#!/usr/bin/env python3
"""Every shipped rule (rules/*.yml) against its labelled examples (rules/tests/RULE.json), through the real
binary: `ctview --findings --json --rules RULE` on the events that must match finds each of them, and lists
under "failed" exactly those whose call failed (the one failure rule: a non-empty errorCode or errorMessage,
or a ConsoleLogin Failure); on the events that must not match it finds nothing. A rule without at least two
examples of each kind fails, as does an example file without its rule, an example that does not have the
keys every CloudTrail record has, or two examples of one file with the same key (the load would keep one).
Prints each rule's counts.
Usage: test_rule_examples.py CTVIEW RULES_DIR"""
import json
import os
import subprocess
import sys
import tempfile

REQUIRED = ["eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
            "sourceIPAddress", "eventID"]


def key(ev):
    ui = ev.get("userIdentity") or {}
    return f"{ev.get('recipientAccountId') or ui.get('accountId') or ''}:{ev['eventID']}"


def failed(ev):
    resp = ev.get("responseElements")
    return bool(ev.get("errorCode")) or bool(ev.get("errorMessage")) or (
        isinstance(resp, dict) and resp.get("ConsoleLogin") == "Failure")


def run(ctview, rule, events, tmp, name):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump({"Records": events}, f)
    p = subprocess.run([ctview, "--findings", "--json", "--rules", rule, path], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    out = json.loads(p.stdout)
    if out["rules_loaded"] != 1 or out["rules_refused"]:
        raise RuntimeError(f"the rule did not load alone: {out['rules_refused']}")
    return out["findings"]


def check(ctview, rules_dir, stem, tmp):
    """Returns (problems, matches, non-matches) for one rule."""
    rule = os.path.join(rules_dir, stem + ".yml")
    path = os.path.join(rules_dir, "tests", stem + ".json")
    if not os.path.exists(path):
        return [f"no examples ({os.path.relpath(path, rules_dir)})"], 0, 0
    doc = json.load(open(path))
    bad = []
    if doc.get("rule") != stem + ".yml":
        bad.append(f"the examples name rule {doc.get('rule')!r}")
    match, no_match = doc.get("match", []), doc.get("no_match", [])
    if len(match) < 2 or len(no_match) < 2:
        bad.append(f"{len(match)} match and {len(no_match)} no_match examples (want >= 2 of each)")
    events = [x["event"] for x in match + no_match]
    for x in match + no_match:
        ev = x["event"]
        if not x.get("note"):
            bad.append(f"example {ev.get('eventID')} says nothing of what it is")
        missing = [k for k in REQUIRED if k not in ev]
        if missing:
            bad.append(f"example {ev.get('eventID')} lacks {missing}")
    keys = [key(ev) for ev in events if "eventID" in ev]
    if len(set(keys)) != len(keys):
        bad.append("two examples have the same account and eventID")
    if bad:
        return bad, len(match), len(no_match)
    try:
        yes = run(ctview, rule, [x["event"] for x in match], tmp, stem + ".yes.json")
        no = run(ctview, rule, [x["event"] for x in no_match], tmp, stem + ".no.json")
    except RuntimeError as e:
        return [str(e)], len(match), len(no_match)
    got = yes[0]["events"] if yes else []
    want = [key(x["event"]) for x in match]
    for x in match:
        if key(x["event"]) not in got:
            bad.append(f"must match, does not: {x['note']}")
    got_failed = yes[0]["failed"] if yes else []
    want_failed = [key(x["event"]) for x in match if failed(x["event"])]
    if sorted(got_failed) != sorted(want_failed):
        bad.append(f"failed lists {got_failed}, the failed calls are {want_failed}")
    if sorted(got) != sorted(want) and not bad:
        bad.append(f"events {got}, want {want}")
    for f in no:
        for k in f["events"]:
            note = next(x["note"] for x in no_match if key(x["event"]) == k)
            bad.append(f"must not match, does: {note}")
    return bad, len(match), len(no_match)


def main():
    ctview, rules_dir = sys.argv[1], sys.argv[2]
    stems = sorted(f[:-4] for f in os.listdir(rules_dir) if f.endswith(".yml"))
    failures = 0
    orphans = sorted(f for f in os.listdir(os.path.join(rules_dir, "tests"))
                     if f.endswith(".json") and f[:-5] not in stems)
    for f in orphans:
        print(f"FAIL rules/tests/{f}: no rule of that name")
        failures += 1
    with tempfile.TemporaryDirectory() as tmp:
        for stem in stems:
            bad, m, n = check(ctview, rules_dir, stem, tmp)
            print(f"{stem}: {m} match, {n} no_match{'' if not bad else ': FAIL'}")
            for b in bad:
                print(f"    FAIL {b}")
            failures += bool(bad)
    print(f"rule examples: {len(stems)} rules, {failures} failed")
    return 1 if failures or not stems else 0


if __name__ == "__main__":
    sys.exit(main())
