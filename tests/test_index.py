#!/usr/bin/env python3
"""The saved index (parsers/savedidx.c, model/store/storefile.c): a load through it gives exactly what a
load without it (--no-cache) gives, whether the tree is unchanged, some files changed, appeared or went
away (their events, duplicates, problems and counts), or the index is damaged, truncated, of another
version or another tree's (then it is refused and written anew, never trusted).

Usage: test_index.py CTVIEW TESTS_DIR"""
import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

ctview, tests = sys.argv[1], sys.argv[2]
failures = []
# what a load measures about itself, not what it loaded
# (and the count of distinct strings held: an index kept across changes also holds the strings of events
# that are gone, as a store that followed a changing tree does)
VOLATILE = ("load_seconds", "model_bytes", "peak_rss_bytes", "strings")


def check(cond, what):
    print(("ok: " if cond else "FAILED: ") + what)
    if not cond:
        failures.append(what)


def run(args, env, cache=True):
    cmd = [ctview] + ([] if cache else ["--no-cache"]) + args
    p = subprocess.run(cmd, env=env, capture_output=True, timeout=600)
    trace = [l for l in p.stderr.decode(errors="replace").splitlines() if l.startswith("ctview: index: ")]
    return p.returncode, p.stdout, trace


def outputs(tree, env, cache):
    """--stats --json (less what a load measures of itself) and --list --json, and the index's trace."""
    rc, stats, trace = run(["--stats", "--json", tree], env, cache)
    st = json.loads(stats)
    for k in VOLATILE:
        st.pop(k, None)
    rc2, lst, trace2 = run(["--list", "--json", "--columns", "time,name,eventID,account,region,file,ua,ip,arn", tree],
                           env, cache)
    rc3, raw, trace3 = run(["--export", "-", tree], env, cache)  # each event's original bytes
    rc4, dflt, trace4 = run(["--list", "--json", tree], env, cache)  # the default columns
    return (rc, json.dumps(st, sort_keys=True), rc2, lst, rc3, raw, rc4, dflt), trace + trace2 + trace3 + trace4


def same_as_fresh(tree, env, what, expect=None):
    """Loads tree through the index and without it; they must agree. expect: a word the first trace line
    must hold (which path the index took)."""
    got, trace = outputs(tree, env, True)
    want, _ = outputs(tree, env, False)
    check(got == want, what + ": --stats --json and --list --json as without the index")
    if got != want:
        print("  with:    %s" % got[1])
        print("  without: %s" % want[1])
    if expect:
        check(bool(trace) and expect in trace[0], "%s: the index %s (%s)" % (what, expect, trace[:1]))
    # the events of a partial load are put in time order from the index's order, not sorted anew
    check(not any("sorted whole" in t for t in trace), "%s: the index's order kept (%s)" % (what, trace))
    return trace


def index_files(cache):
    d = os.path.join(cache, "ctview", "index")
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".idx")) if os.path.isdir(d) else []


def rewrite_gz(path, fn):
    with gzip.open(path, "rt") as f:
        doc = json.load(f)
    fn(doc)
    with gzip.open(path, "wt") as f:
        json.dump(doc, f)


with tempfile.TemporaryDirectory() as work:
    cache = os.path.join(work, "cache")
    env = dict(os.environ, XDG_CACHE_HOME=cache, CTVIEW_INDEX_TRACE="1", TZ="UTC")
    tree = os.path.join(work, "tree")
    shutil.copytree(os.path.join(tests, "sample"), tree)
    logs = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(tree) for f in fs
                  if f.endswith(".json.gz") and "Digest" not in dp)

    # --no-cache writes nothing
    run(["--stats", tree], env, cache=False)
    check(index_files(cache) == [], "--no-cache leaves no index")

    same_as_fresh(tree, env, "first load", "none saved")
    idx = index_files(cache)
    check(len(idx) == 1, "one index saved")
    check(stat.S_IMODE(os.stat(idx[0]).st_mode) == 0o600, "the index is mode 0600")
    check(stat.S_IMODE(os.stat(os.path.dirname(idx[0])).st_mode) == 0o700, "its folder is mode 0700")
    same_as_fresh(tree, env, "unchanged tree", "unchanged")

    # a file changed: one record renamed, one gone
    def edit(doc):
        doc["Records"][0]["eventName"] = "ChangedSinceTheIndex"
        doc["Records"] = doc["Records"][:1] + doc["Records"][2:]
    changed = max(logs, key=lambda p: len(gzip.open(p).read()))
    rewrite_gz(changed, edit)
    same_as_fresh(tree, env, "a file changed", "partial")
    rc, out, _ = run(["--list", "--json", "-f", "name:ChangedSinceTheIndex", tree], env)
    check(out.count(b"ChangedSinceTheIndex") >= 1, "the changed file's new event is there")

    # a file appeared: a copy of another (its events all duplicates of that one's, across files), and one
    # in front of everything (the other files' events become its duplicates)
    shutil.copy(logs[-1], os.path.join(os.path.dirname(logs[-1]), "zz-copy.json.gz"))
    same_as_fresh(tree, env, "a file appeared", "partial")
    shutil.copy(logs[-1], os.path.join(tree, "AWSLogs", "000-first.json.gz"))
    same_as_fresh(tree, env, "a file appeared before the others", "partial")

    # a file went away: the one that held the kept copy of the others' duplicates
    os.remove(os.path.join(tree, "AWSLogs", "000-first.json.gz"))
    same_as_fresh(tree, env, "a file holding kept copies went away", "partial")
    os.remove(changed)
    same_as_fresh(tree, env, "a file went away", "partial")
    # a file with a problem changed: its problem rows are its new ones
    with open(logs[0], "wb") as f:
        f.write(gzip.compress(b'{"Records":[{"eventVersion":"1.0",}]}'))
    same_as_fresh(tree, env, "a file became damaged", "partial")
    same_as_fresh(tree, env, "unchanged again", "unchanged")

    # a file rewritten in place to the same size with its mtime put back (touch -r): same device, inode,
    # size and mtime, only its ctime tells (no one can set that back)
    inplace = os.path.join(tree, "AWSLogs", "inplace.json")
    with open(inplace, "w") as f:
        json.dump({"Records": [{"eventVersion": "1.08", "eventTime": "2024-01-02T03:04:05Z",
                                "eventSource": "s3.amazonaws.com", "eventName": "AAAInPlace",
                                "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
                                "eventID": "11111111-0000-4000-8000-000000000001",
                                "recipientAccountId": "111122223333"}]}, f)
    same_as_fresh(tree, env, "a plain file appeared", "partial")
    before = os.stat(inplace)
    with open(inplace, "r+b") as f:
        data = f.read().replace(b"AAAInPlace", b"ZZZInPlace")
        f.seek(0)
        f.write(data)
    os.utime(inplace, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(inplace)
    check((after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns),
          "rewritten in place: same inode, size and mtime")
    same_as_fresh(tree, env, "a file rewritten in place, mtime put back", "partial")
    rc, out, _ = run(["--list", "--json", "-f", "name:ZZZ*", tree], env)
    check(out.count(b"ZZZInPlace") == 1, "the rewritten file's new event is found through the index")
    same_as_fresh(tree, env, "unchanged after the rewrite", "unchanged")

    # damaged indexes: refused, rebuilt, never trusted
    idx = index_files(cache)[0]
    good = open(idx, "rb").read()

    def damaged(data, what, reason):
        with open(idx, "wb") as f:
            f.write(data)
        trace = same_as_fresh(tree, env, what, "refused")
        check(any(reason in t for t in trace[:1]), "%s: refused as %s (%s)" % (what, reason, trace[:1]))
        check(any("saved" in t for t in trace), what + ": written anew")
        same_as_fresh(tree, env, what + ", then", "unchanged")

    damaged(good[: len(good) // 2], "a truncated index", "truncated")
    flipped = bytearray(good)
    for at in (40, len(good) // 3, len(good) - 3):
        flipped[at] ^= 0x55
    damaged(bytes(flipped), "an index with flipped bytes", "checksum")
    other = bytearray(good)
    other[8] ^= 0x7F
    damaged(bytes(other), "an index of another version", "version")
    damaged(b"", "an empty index", "not a saved index")
    # another tree's index under this tree's name
    tree2 = os.path.join(work, "tree2")
    shutil.copytree(os.path.join(tests, "sample", "AWSLogs"), tree2)
    run(["--stats", tree2], env)
    theirs = [p for p in index_files(cache) if p != idx][0]
    damaged(open(theirs, "rb").read(), "another tree's index", "other inputs")

    # most files rewritten with new strings: the index would mostly carry strings of events gone, so it
    # is dropped and the next load reads everything and saves a clean one
    live = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(tree) for f in fs
                  if f.endswith(".json.gz") and "Digest" not in dp)

    def renamed(n):
        def fn(doc):
            doc["Records"] = [{
                "eventVersion": "1.08", "eventTime": "2024-01-%02dT10:00:%02dZ" % (1 + n % 28, i),
                "eventSource": "s3.amazonaws.com", "eventName": "Renamed%d_%d" % (n, i),
                "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.%d" % (n * 5 + i),
                "userAgent": "agent-%d-%d" % (n, i), "eventID": "00000000-0000-4000-8000-%012d" % (n * 5 + i),
                "recipientAccountId": "111122223333",
                "userIdentity": {"type": "IAMUser", "accountId": "111122223333",
                                 "arn": "arn:aws:iam::111122223333:user/u%d-%d" % (n, i),
                                 "principalId": "AIDA%d%d" % (n, i)}} for i in range(5)]
        return fn
    for rnd in (0, 100):
        for n, p in enumerate(live[1:]):
            try:
                rewrite_gz(p, renamed(rnd + n))
            except (ValueError, KeyError):
                pass
        trace = same_as_fresh(tree, env, "most files rewritten (%d)" % rnd, "partial")
    # the next load (the --list of the same check) found none and saved a clean one
    check(any("not saved" in t for t in trace[:2]) and "none saved" in trace[2],
          "most files rewritten: the index is dropped, then made anew (%s)" % trace[:3])
    same_as_fresh(tree, env, "after the index was dropped, then", "unchanged")

    # a generated tree (tests/gen_corpus.py): global events copied to every region, damaged records
    gen = os.path.join(work, "gen")
    subprocess.run([sys.executable, os.path.join(tests, "gen_corpus.py"), "--events", "3000", "--out", gen,
                    "--bad", "5", "--per-file", "50"], check=True, capture_output=True)
    glogs = os.path.join(gen, "logs")
    same_as_fresh(glogs, env, "generated tree, first load", "none saved")
    same_as_fresh(glogs, env, "generated tree, unchanged", "unchanged")
    files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(glogs) for f in fs if f.endswith(".json.gz"))

    def drop_last(doc):
        doc["Records"] = doc["Records"][:-1]

    def readable(p):
        try:
            with gzip.open(p, "rt") as f:
                return "Records" in json.load(f)
        except ValueError:
            return False
    # the first files in load order hold the kept copies of the global events the other regions repeat
    first = [p for p in files if readable(p)]
    rewrite_gz(first[0], drop_last)
    os.remove(first[1])
    trace = same_as_fresh(glogs, env, "generated tree, a file changed and one went away", "partial")
    # a few files of many differ: the index is kept as it is (rewriting it would cost more than reading
    # them), and the next load reads the same few again, still right
    check(any("kept as it is" in t for t in trace[:2]), "a few files differ: the index is kept (%s)" % trace[:2])
    trace = same_as_fresh(glogs, env, "generated tree, the same files differ again", "partial")
    check(any("kept as it is" in t for t in trace[:2]), "the same few files differ: still kept (%s)" % trace[:2])

    # the cap: another tree's index with a tiny --cache-size evicts the least recently used
    before = index_files(cache)
    run(["--cache-size", "4K", "--stats", tree2], env)
    after = index_files(cache)
    check(len(after) == 1 and len(before) > 1, "a cap below the indexes' size keeps only the one just used")

if failures:
    print("%d failed" % len(failures))
    sys.exit(1)
print("all passed")
