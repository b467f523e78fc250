#!/usr/bin/env python3
"""Identity shapes held out from the generator, each in a fixture of its own (tests/fixtures/identity,
events written by hand in the shape CloudTrail writes), checked through --trace (text and --json),
--actors --json and origin:. Usage: test_identity_shapes.py CTVIEW"""
import json
import os
import subprocess
import sys

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "identity")
fails = 0


def run(*args):
    p = subprocess.run([sys.argv[1], *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError(f"ctview {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def trace(fixture, event):
    return json.loads(run("--trace", event, "--json", os.path.join(FIX, fixture)))


def actors(fixture):
    return json.loads(run("--actors", "--json", os.path.join(FIX, fixture)))["actors"]


def listed(fixture, expr):
    return sorted(l.split("\t")[-1] for l in run("--list", "-f", expr, os.path.join(FIX, fixture)).splitlines())


def check(name, fn):
    global fails
    try:
        fn()
        print(f"ok   {name}")
    except (AssertionError, KeyError, ValueError, IndexError) as e:
        fails += 1
        print(f"FAIL {name}: {e}")


ALICE = "arn:aws:iam::111122223333:user/alice"


def reused_key():
    """one access key, events naming two sessions, one of them before the key was issued"""
    ok = trace("reused-key.json", "reuse-ok")
    assert ok["origin"] == {"type": "IAMUser", "arn": ALICE, "account": "111122223333"}, ok["origin"]
    assert [h["kind"] for h in ok["hops"]] == ["role"], ok["hops"]
    other = trace("reused-key.json", "reuse-other")
    h, = other["hops"]
    assert h["kind"] == "conflict" and h["issued_kind"] == "role" and "another session" in h["reason"], h
    assert h["issuer_event_id"] == "reuse-issue", h
    assert other["origin"].get("uncertain") is True and other["origin"]["arn"] == ALICE, other["origin"]
    early = trace("reused-key.json", "reuse-early")
    h, = early["hops"]
    assert h["kind"] == "conflict" and "earlier" in h["reason"], h
    assert early["origin"].get("uncertain") is True, early["origin"]
    text = run("--trace", "reuse-other", os.path.join(FIX, "reused-key.json"))
    assert "uncertain" in text.splitlines()[1], text
    assert any(l.strip().startswith("! conflict:") and "assumed-role/Build/ci-runner" in l and
               "assumed-role/Deploy/alice-deploy" in l for l in text.splitlines()), text
    rows = {(r["arn"], r.get("uncertain", False)): r["events"] for r in actors("reused-key.json")}
    assert rows == {(ALICE, False): 2, (ALICE, True): 2}, rows
    assert listed("reused-key.json", f'origin:"{ALICE}"') == ["reuse-early", "reuse-issue", "reuse-ok", "reuse-other"]


def service_without_type():
    """userIdentity with only invokedBy: the AWS service, one actor with the typed service calls"""
    t = trace("service-invokedby-notype.json", "svc-notype-1")
    assert t["origin"] == {"type": "AWSService", "arn": "ec2.amazonaws.com", "account": None}, t["origin"]
    rows = actors("service-invokedby-notype.json")
    assert [(r["type"], r["arn"], r["account"], r["accounts"]) for r in rows] == \
        [("AWSService", "ec2.amazonaws.com", None, ["111122223333", "444455556666"])], rows
    text = run("--trace", "svc-notype-1", os.path.join(FIX, "service-invokedby-notype.json"))
    assert "unknown principal" not in text, text


def unknown_with_username():
    """a type Unknown sign-in with a userName is named by the userName"""
    t = trace("unknown-username.json", "unknown-ana-1")
    assert t["origin"] == {"type": "Unknown", "arn": "ana", "account": "111122223333"}, t["origin"]
    assert sorted(r["arn"] for r in actors("unknown-username.json")) == ["ana", "ben"]
    assert listed("unknown-username.json", "origin:ana") == ["unknown-ana-1"]


def sso_without_issuer():
    """an AWSReservedSSO_ session ARN with no sessionIssuer is the Identity Center user it names"""
    t = trace("sso-no-issuer.json", "sso-noissuer-1")
    o = t["origin"]
    assert (o["type"], o["arn"], o["account"], o.get("name")) == \
        ("IdentityCenterUser", "ana@example.com", None, "ana@example.com"), o
    assert listed("sso-no-issuer.json", 'origin:"ana@example.com"') == ["sso-noissuer-1"]


def sso_linked():
    """an Identity Center user through two accounts' permission sets and the portal: one actor, keyed by
    the identity store's user id (an event with onBehalfOf beside the session's name says which), named by
    the user name"""
    rows = actors("sso-linked.json")
    assert len(rows) == 1, rows
    r = rows[0]
    assert (r["type"], r["arn"], r["account"], r["name"], r["events"]) == \
        ("IdentityCenterUser", "94482488-3041-7026-18f3-be45837cd0e4", None, "ana@example.com", 3), r
    assert r["accounts"] == ["222233334444", "333344445555", "999988887777"], r
    for ev in ("ic-portal-1", "ic-sso-admin-1", "ic-sso-ro-1"):
        o = trace("sso-linked.json", ev)["origin"]
        assert (o["arn"], o.get("name")) == (r["arn"], "ana@example.com"), (ev, o)
    want = ["ic-portal-1", "ic-sso-admin-1", "ic-sso-ro-1"]
    assert listed("sso-linked.json", 'origin:"ana@example.com"') == want
    assert listed("sso-linked.json", f'origin:"{r["arn"]}"') == want


def owner_record_first():
    """the key found only in the role owner's record: the origin through its twin, the caller's record
    shown under the hop it belongs to, not above it"""
    t = trace("owner-record-first.json", "cross-session")
    assert t["origin"] == {"type": "IAMUser", "arn": "arn:aws:iam::777788889999:user/bob",
                           "account": "777788889999"}, t["origin"]
    lines = run("--trace", "cross-session", os.path.join(FIX, "owner-record-first.json")).splitlines()
    hop = next(i for i, l in enumerate(lines) if "[cross-owner]" in l)
    twin = next(i for i, l in enumerate(lines) if "[cross-caller]" in l)
    assert twin > hop and lines[twin].startswith("    └ twin in account 777788889999"), lines
    assert sum("[cross-caller]" in l for l in lines[:hop]) == 0, lines


for name, fn in [("reused key across two sessions", reused_key), ("service without a type", service_without_type),
                 ("Unknown sign-in with a userName", unknown_with_username),
                 ("AWSReservedSSO session without sessionIssuer", sso_without_issuer),
                 ("Identity Center user across accounts", sso_linked),
                 ("owner's record first, caller's under its hop", owner_record_first)]:
    check(name, fn)
print(f"identity shapes: {fails} failed")
sys.exit(1 if fails else 0)
