#!/usr/bin/env python3
"""ctview --report FILE: the Markdown incident report of the events a case marks, on a generated tree with
every identity shape (gen_corpus.py --identities, whose truth names each event's origin and the roles of
its chain). The case (written here where ctview keeps it for these inputs) marks two events reached
through a cross-account role chain and one that a shipped rule matched, with tags and a hostile note, and
leaves a note on an unmarked event. The report must have its sections in order; its time range and
accounts those of the marked events; its actors their truth origins; a timeline table of exactly the
marked events in time order whose every row has the header's cells, each naming its event, giving its
chain (the origin, then each role of the truth and no other step, the cross-account hop said), the titles
--columns rule gives, and the case's tags and notes, escaped for Markdown and without a control
character. With a filter that leaves no marked event shown, the report is of the shown events. An
existing FILE is refused without --force.
Usage: test_report.py CTVIEW TESTS_DIR"""
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from casefile import write_case  # noqa: E402

fails = 0


def fail(msg):
    global fails
    fails += 1
    if fails <= 25:
        print("FAIL:", msg)


def run(ctview, args, env, want=0):
    p = subprocess.run([ctview] + args, capture_output=True, env=env)
    if p.returncode != want:
        fail(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")
    return p


def cells(row):
    """The cells of a Markdown table row, split on the pipes that are not escaped."""
    parts, cur, i = [], "", 0
    row = row.strip()
    if not (row.startswith("|") and row.endswith("|") and not row.endswith("\\|")):
        return None
    row = row[1:-1]
    while i < len(row):
        if row[i] == "\\" and i + 1 < len(row):
            cur += row[i:i + 2]
            i += 2
            continue
        if row[i] == "|":
            parts.append(cur.strip())
            cur = ""
        else:
            cur += row[i]
        i += 1
    parts.append(cur.strip())
    return parts


def plain(cell):
    """What a cell says, its Markdown escapes read: \\X is X, <br> a line break."""
    return re.sub(r"\\(.)", r"\1", cell.replace("<br>", "\n"))


def table(lines, heading):
    """The rows (lists of cells) of the table under a heading, the header first."""
    try:
        at = lines.index(heading)
    except ValueError:
        fail(f"no {heading!r}")
        return []
    rows = []
    for line in lines[at + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            rows.append(line)
    out = []
    for r in rows:
        c = cells(r)
        if c is None:
            fail(f"a row of {heading} is not a table row: {r[:100]!r}")
            continue
        out.append(c)
    if len(out) < 2 or not all(set(x) <= set("-:") for x in out[1]):
        fail(f"{heading}: no header and separator")
        return []
    width = len(out[0])
    for r in out:
        if len(r) != width:
            fail(f"{heading}: a row of {len(r)} cells under {width} columns: {r[:3]}")
    return [out[0]] + out[2:]


def main():
    ctview, tests = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(tmp, "data"), HOME=tmp, TZ="UTC")
        gen = os.path.join(tmp, "gen")
        subprocess.run([sys.executable, os.path.join(tests, "gen_corpus.py"), "--events", "3000", "--out", gen,
                        "--seed", "11", "--bad", "0", "--identities"], check=True, stdout=subprocess.DEVNULL)
        logs = os.path.join(gen, "logs")
        truth = json.load(open(os.path.join(gen, "truth.json")))["origins"]
        recs = {}
        for line in run(ctview, ["--list", "--json", logs], env).stdout.splitlines():
            r = json.loads(line)
            recs[r["recipientAccountId"] + ":" + r["eventID"]] = r
        rules = {}
        for line in run(ctview, ["--list", "--columns", "acct,id,rule", logs], env).stdout.decode().splitlines():
            acct, eid, titles = line.split("\t")
            rules[acct + ":" + eid] = [] if titles == "-" else titles.split(",")
        # two events reached through a role in another account than their origin's, and a finding
        cross = sorted(k for k, o in truth.items()
                       if k in recs and o["roles"] and o["account"] and o["account"] != k.split(":")[0]
                       and len(o["roles"]) >= 2)
        found = sorted(k for k, v in rules.items() if v and k in truth)
        if len(cross) < 2 or not found:
            fail(f"the generated tree has {len(cross)} cross-account chains and {len(found)} findings")
            return 1
        marked = [cross[0], cross[len(cross) // 2], found[0]]
        note = "called the owner | said `no`\nESC\x1b[2J here *bold* <b>"
        entries = {marked[0]: {"marked": True, "tags": ["exfil", "t1078"], "notes": ["first", note]},
                   marked[1]: {"marked": True, "notes": ["second chain"]},
                   marked[2]: {"marked": True, "tags": ["rule-hit"]}}
        other = next(k for k in sorted(recs) if k not in marked)
        entries[other] = {"notes": ["not marked: not in the report"]}
        write_case(env["XDG_DATA_HOME"], [logs], entries)
        out = os.path.join(tmp, "report.md")
        run(ctview, ["--report", out, logs], env)
        data = open(out, "rb").read() if os.path.exists(out) else b""
        text = data.decode("utf-8")
        if any((c < 32 and c != 10) or c == 127 for c in data):
            fail("a control character in the report")
        lines = text.splitlines()
        heads = [x for x in lines if x.startswith("#")]
        if heads != ["# Incident report", "## Accounts", "## Actors", "## Timeline"]:
            fail(f"sections {heads}")
        order = sorted(marked, key=lambda k: (recs[k]["eventTime"], k))
        times = [recs[k]["eventTime"] for k in order]
        if f"- Events: 3 marked of {len(recs)} loaded" not in lines:
            fail(f"no events line: {lines[:4]}")
        rng = f"- Time range (UTC): {min(times)} to {max(times)}"
        if rng not in lines:
            fail(f"no {rng!r} in {lines[:6]}")
        accts = {}
        for k in marked:
            accts[k.split(":")[0]] = accts.get(k.split(":")[0], 0) + 1
        got = {plain(r[0]): int(r[1]) for r in table(lines, "## Accounts")[1:]}
        if got != accts:
            fail(f"accounts {got}, the marked events' {accts}")
        actors = {plain(r[0]) for r in table(lines, "## Actors")[1:]}
        for k in marked:
            if truth[k]["arn"] not in actors:
                fail(f"actor {truth[k]['arn']} of {k} not in {actors}")
        rows = table(lines, "## Timeline")
        head = rows[0] if rows else []
        want_head = ["#", "Time (UTC)", "Event", "What happened", "Origin and role chain", "Findings", "Tags", "Notes"]
        if head != want_head:
            fail(f"timeline header {head}")
        body = rows[1:]
        if [plain(r[2]) for r in body] != order:
            fail(f"timeline events {[plain(r[2]) for r in body]}, the marked ones in time order {order}")
        for r in body:
            if len(r) != len(want_head):
                continue
            k = plain(r[2])
            if k not in truth:
                continue
            o, chain = truth[k], plain(r[4])
            if plain(r[1]) != recs[k]["eventTime"]:
                fail(f"{k}: time {r[1]}, eventTime {recs[k]['eventTime']}")
            if recs[k]["eventName"] not in plain(r[3]):
                fail(f"{k}: {r[3]!r} does not name {recs[k]['eventName']}")
            # the origin first, then every role of the chain (the truth lists them sorted, not in order)
            at = chain.find(o["arn"])
            if at < 0 or any(chain.find(role, at + 1) < 0 for role in o["roles"]):
                fail(f"{k}: chain {chain!r} lacks {o['arn']} followed by the roles {o['roles']}")
            if chain.count(" → ") != len(o["roles"]):
                fail(f"{k}: chain {chain!r} has other steps than the {len(o['roles'])} roles")
            if k in cross and "cross-account" not in chain:
                fail(f"{k}: the chain {chain!r} does not say it crosses accounts")
            titles = [t for t in plain(r[5]).split("; ") if t]
            if titles != rules.get(k, []):
                fail(f"{k}: findings {titles}, --columns rule gives {rules.get(k)}")
            e = entries[k]
            if plain(r[6]) != ", ".join(e.get("tags", [])):
                fail(f"{k}: tags {r[6]!r}")
            want_notes = "\n".join(n.replace("\x1b", "\\x1b") for n in e.get("notes", []))
            if plain(r[7]) != want_notes:
                fail(f"{k}: notes {r[7]!r} read as {plain(r[7])!r}, want {want_notes!r}")
        if "not marked" in text:
            fail("the unmarked event's note is in the report")
        # nothing marked among the shown events: the report is of the shown ones
        flt = "name:GetCallerIdentity"
        shown = run(ctview, ["--list", "--columns", "acct,id", "-f", flt, logs], env).stdout.decode().split("\n")
        shown = [x.replace("\t", ":") for x in shown if x]
        out2 = os.path.join(tmp, "shown.md")
        run(ctview, ["--report", out2, "-f", flt, logs], env)
        lines2 = open(out2).read().splitlines() if os.path.exists(out2) else []
        body2 = table(lines2, "## Timeline")[1:]
        if not shown or [plain(r[2]) for r in body2] != shown:
            fail(f"-f {flt}: {len(body2)} rows for {len(shown)} shown events")
        if f"- Events: {len(shown)} shown (none is marked) of {len(recs)} loaded" not in lines2:
            fail(f"-f {flt}: {lines2[:3]}")
        p = run(ctview, ["--report", out, logs], env, want=1)
        if b"exists" not in p.stderr:
            fail(f"an existing report: {p.stderr[:200]!r}")
        run(ctview, ["--report", out, "--force", logs], env)
        print(f"{len(body)} marked events reported; {len(body2)} shown events with -f")
    if fails:
        print(f"{fails} failures")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
