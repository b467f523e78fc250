#!/usr/bin/env python3
"""Differential test of ctview --findings --json against the independent reference (sigma_ref.py).

Rule sets: ctview's own (rules/) and SigmaHQ's CloudTrail rules (tests/data/sigma/rules, test data kept
outside the repository; skipped, and said so, when absent). Event sets: a generated corpus (gen_corpus.py),
the stratus-red-team detonations, and mutants of those detonations (names in other cases, fields removed,
nulled, emptied, turned into objects or lists), which reach the corners a clean log never does.
For each pair: rules_loaded, the refused files, and every rule's events must agree; findings must come in
level-then-title order and each rule's events in time order; and enough rules must fire for the agreement
to mean something.
Usage: test_sigma_corpus.py CTVIEW [SHARED_DIR]"""
import copy
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sigma_ref  # noqa: E402
import genlogs  # noqa: E402

LEVELS = sigma_ref.LEVELS


def load_events(path, plain=False):
    """Events of a directory of log files ({"Records":[...]} gzip or plain, or bare arrays), deduplicated
    by eventID + recipientAccountId; read as logged (sigma_ref.parse_raw), or as plain dicts."""
    parse = json.loads if plain else sigma_ref.parse_raw
    seen = {}
    for root, dirs, files in os.walk(path):
        dirs.sort()
        if "CloudTrail-Digest" in root:
            continue
        for f in sorted(files):
            raw = open(os.path.join(root, f), "rb").read()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            text = raw.decode()
            try:
                doc = parse(text)
                if isinstance(doc, (dict, sigma_ref.JObj)):
                    doc = doc.get("Records")
                recs = doc if plain else doc.items
            except ValueError:
                recs = genlogs.salvage(text, parse)
            for ev in recs:
                key = (ev.get("eventID"), ev.get("recipientAccountId"))
                seen.setdefault(key, ev)
    return list(seen.values())




def account(ev):
    ui = ev.get("userIdentity")
    return ev.get("recipientAccountId") or (ui.get("accountId") if ui is not None else "") or ""


def mutants(events, seed, per_event):
    """Variants of each event: one field changed at random in one of the ways rules care about."""
    r = random.Random(seed)
    keep = {"eventID", "eventTime", "recipientAccountId"}

    def leaves(node, path, out):
        if isinstance(node, dict):
            for k, v in node.items():
                leaves(v, path + [k], out)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                leaves(v, path + [i], out)
        if path and path[0] not in keep:
            out.append(path)

    out = []
    for n, ev in enumerate(events):
        paths = []
        leaves(ev, [], paths)
        for k in range(per_event):
            m = copy.deepcopy(ev)
            m["eventID"] = f"{ev.get('eventID', 'x')}-m{k}"
            for _ in range(r.randint(1, 2)):
                path = r.choice(paths)
                parent = m
                try:
                    for p in path[:-1]:
                        parent = parent[p]
                    last = path[-1]
                    val = parent[last]
                except (KeyError, IndexError, TypeError):
                    continue
                how = r.choice(["delete", "null", "empty", "upper", "lower", "object", "list", "number"])
                if how == "delete" and isinstance(parent, dict):
                    del parent[last]
                elif how == "null":
                    parent[last] = None
                elif how == "empty":
                    parent[last] = ""
                elif how == "upper" and isinstance(val, str):
                    parent[last] = val.upper()
                elif how == "lower" and isinstance(val, str):
                    parent[last] = val.lower()
                elif how == "object":
                    parent[last] = {"value": val}
                elif how == "list":
                    parent[last] = ["other", val]
                elif how == "number":
                    parent[last] = r.choice([22, 3389, 0, 1.5])
            out.append(m)
    return out


def failed(ev):
    """The one failure rule on an event as logged: a non-empty errorCode or errorMessage, or a failed
    sign-in; None when a mutant made one of those fields something other than a string or null (the
    reference does not guess what the store makes of it)."""
    code, msg = ev.get("errorCode"), ev.get("errorMessage")
    resp = ev.get("responseElements")
    login = resp.get("ConsoleLogin") if isinstance(resp, sigma_ref.JObj) else None
    if any(v is not None and not isinstance(v, str) for v in (code, msg, login)):
        return None
    return bool(code) or bool(msg) or login == "Failure"


def check(ctview, rule_dirs, data, events, label):
    """Runs ctview and the reference on one rule set and one event set; returns the number of failures and
    the rules that fired."""
    args = [ctview, "--findings", "--json"]
    for d in rule_dirs:
        args += ["--rules", d]
    proc = subprocess.run(args + [data], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"FAIL {label}: exit {proc.returncode}: {proc.stderr.strip()[:300]}")
        return 1, set()
    got = json.loads(proc.stdout)
    if list(got) != ["rules_loaded", "rules_refused", "findings"]:
        print(f"FAIL {label}: keys {list(got)}")
        return 1, set()
    rules, refused, _ = sigma_ref.load_rules(rule_dirs)
    fails = 0
    if got["rules_loaded"] != len(rules):
        print(f"FAIL {label}: rules_loaded {got['rules_loaded']}, reference {len(rules)}")
        fails += 1
    got_refused = sorted(r["file"] for r in got["rules_refused"])
    if got_refused != sorted(f for f, _ in refused):
        print(f"FAIL {label}: refused {got_refused} vs reference {sorted(refused)}")
        fails += 1
    for r in got["rules_refused"]:
        if sorted(r) != ["file", "line", "reason"] or not r["reason"]:
            print(f"FAIL {label}: refusal {r}")
            fails += 1
    times = {}
    want = {}
    fails_of = {}
    for ev in events:
        key = f"{account(ev)}:{ev.get('eventID', '')}"
        times[key] = ev.get("eventTime", "")
        fails_of[key] = failed(ev)
        for rule in rules:
            if rule.matches(ev):
                want.setdefault((rule.id, rule.title), set()).add(key)
    have = {}
    for f in got["findings"]:
        if list(f) != ["id", "title", "level", "events", "failed"]:
            print(f"FAIL {label}: finding keys {list(f)}")
            fails += 1
            continue
        # the attempts: the events whose call failed, in the order of "events"
        sure = [e for e in f["events"] if fails_of.get(e) is not None]
        got_failed = [e for e in f["failed"] if fails_of.get(e) is not None]
        it = iter(f["events"])
        if not all(e in it for e in f["failed"]) or got_failed != [e for e in sure if fails_of[e]]:
            print(f"FAIL {label}: {f['title']!r}: failed {f['failed'][:3]} is not the failed calls among its events")
            fails += 1
        have[(f["id"], f["title"])] = set(f["events"])
        stamps = [times.get(e, "") for e in f["events"]]
        if stamps != sorted(stamps):
            print(f"FAIL {label}: events of {f['title']!r} not in time order")
            fails += 1
    order = [(-LEVELS.index(f["level"]), f["title"]) for f in got["findings"]]
    if order != sorted(order):
        print(f"FAIL {label}: findings not ordered by level then title")
        fails += 1
    for key in sorted(set(have) | set(want), key=str):
        a, b = have.get(key, set()), want.get(key, set())
        if a != b:
            print(f"FAIL {label}: {key[1]!r}: ctview {len(a)}, reference {len(b)}; "
                  f"extra {sorted(a - b)[:2]}, missing {sorted(b - a)[:2]}")
            fails += 1
    # the filter fields over the same findings: rule:*, rule:ID, rule:TITLE-PATTERN, level:>=high, level:low
    by_level = {}
    for rule in rules:
        by_level.setdefault(rule.level, set()).update(want.get((rule.id, rule.title), set()))
    exprs = {"rule:*": set().union(*want.values()) if want else set(),
             "level:>=high": by_level.get(3, set()) | by_level.get(4, set()),
             "level:low": by_level.get(1, set()), "-level:<medium": None}
    fired = sorted(want, key=str)
    if fired:
        rid, title = fired[len(fired) // 2]
        if rid:
            exprs[f"rule:{rid}"] = want[(rid, title)]
        exprs[f'rule:"{title[:-1].upper()}*"'] = set().union(
            *(v for (i, t), v in want.items() if t.lower().startswith(title[:-1].lower())))
    everything = {f"{account(ev)}:{ev.get('eventID', '')}" for ev in events}
    exprs["-level:<medium"] = everything - (by_level.get(0, set()) | by_level.get(1, set()))
    for expr, expect in exprs.items():
        lst = subprocess.run([ctview, "--list", "-f", expr] + sum((["--rules", d] for d in rule_dirs), []) + [data],
                             capture_output=True, text=True)
        shown = {f"{c[1]}:{c[8]}" for c in (line.split("\t") for line in lst.stdout.splitlines())}
        if lst.returncode != 0 or shown != expect:
            print(f"FAIL {label}: --list -f {expr!r}: {len(shown)} events, reference {len(expect)} "
                  f"(exit {lst.returncode})")
            fails += 1
    print(f"{label}: {len(events)} events, {len(rules)} rules, {len(have)} fired, "
          f"{sum(len(v) for v in have.values())} findings")
    return fails, set(have)


def main():
    ctview = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "data")
    ours = os.path.join(HERE, "..", "rules")
    sigmahq = os.path.join(shared, "sigma", "rules")
    stratus = os.path.join(shared, "logs", "stratus-red-team")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "20000", "--out", tmp,
                        "--bad", "3", "--seed", "19"], check=True, stdout=subprocess.DEVNULL)
        data = [("corpus", os.path.join(tmp, "logs"))]
        if os.path.isdir(stratus):
            data.append(("stratus", stratus))
            mdir = os.path.join(tmp, "mutants")
            os.mkdir(mdir)
            mut = mutants(load_events(stratus, plain=True), 19, 6)
            for i in range(0, len(mut), 200):
                with open(os.path.join(mdir, f"m{i // 200:03d}.json"), "w") as fh:
                    json.dump(mut[i:i + 200], fh)
            data.append(("mutants", mdir))
        else:
            print(f"SKIP stratus detonations and their mutants: {stratus} not found")
        sets = [("ctview rules", [ours])]
        if os.path.isdir(sigmahq):
            sets.append(("SigmaHQ rules", [sigmahq]))
        else:
            print(f"SKIP SigmaHQ rules: {sigmahq} not found")
        for dname, d in data:
            events = load_events(d)
            for sname, dirs in sets:
                f, fired = check(ctview, dirs, d, events, f"{sname} on {dname}")
                failures += f
                # agreement on nothing proves nothing
                minimum = {"corpus": 1, "stratus": 10, "mutants": 10}[dname]
                if len(fired) < minimum:
                    print(f"FAIL {sname} on {dname}: only {len(fired)} rules fired (want >= {minimum})")
                    failures += 1
    print(f"sigma corpus: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
