#!/usr/bin/env python3
"""ctview reading CloudTrail from S3, against a real S3 protocol server on 127.0.0.1.

The server is s3rver from the npm registry (tests/s3/server.cjs fixes the listing defects that would
hide a client's errors); a small proxy in front of it injects faults (503 SlowDown, connection resets,
truncated bodies, a slow object). Checks, each against the same tree read from local disk:
  - --stats --json of s3://BUCKET/ equals the local tree's events, duplicates and problems;
  - a second run fetches nothing (cache_hits = objects, objects_fetched = 0);
  - --since/--until of one day, --account, --region list only what they need (listing requests counted);
  - credentials from the environment, a profile in a credentials file, a credential_process script; a
    wrong key id refused with S3's code and a non-zero exit; no secret in any output;
  - with faults injected every event still loads, or its object is a problem and the exit says so;
  - more than 10,000 objects: ListObjectsV2 pagination;
  - --paths-from with s3:// URLs; --no-cache leaves nothing behind;
  - the saved index on s3://: a second open of an unchanged bucket comes whole from it, an object rewritten
    (a new ETag) is the only one read again, one added appears, one deleted is gone; each open equals
    --no-cache (events, duplicates, problems, --list --json);
  - the interface (in tmux): the objects' progress line while they come in, then every event; --follow
    --poll 1: an object put under today's folder has its events shown.
usage: test_s3.py CTVIEW [TESTS_DIR]. Skips (77) when node/npm or the package cannot be had."""
import concurrent.futures
import gzip
import http.client
import http.server
import json
import os
import random
import re
import shlex
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, ".cache", "s3")
BUCKET = "trail-bucket"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-not-real"
failures = 0


def check(what, ok, detail=""):
    global failures
    if ok:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what} {detail}")


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def server_dir():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        skip("node and npm are not installed (tests/setup.sh installs them)")
    os.makedirs(CACHE, exist_ok=True)
    for f in ("package.json", "package-lock.json", "server.cjs"):
        shutil.copyfile(os.path.join(HERE, "s3", f), os.path.join(CACHE, f))
    stamp = os.path.join(CACHE, "node_modules", ".ctview-lock")
    lock = open(os.path.join(HERE, "s3", "package-lock.json")).read()
    if not os.path.exists(stamp) or open(stamp).read() != lock:
        p = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error",
                            "--cache", os.path.join(HERE, ".cache", "npm")], cwd=CACHE, capture_output=True, text=True)
        if p.returncode != 0:
            skip(f"npm ci of s3rver failed: {p.stderr.strip()[-300:]}")
        open(stamp, "w").write(lock)
    return node


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(node, data):
    port = free_port()
    p = subprocess.Popen([node, os.path.join(CACHE, "server.cjs"), data, str(port), BUCKET], cwd=CACHE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("listening"):
        p.kill()
        skip(f"s3rver did not start: {line} {p.stderr.read()[-300:]}")
    return p, port


def upload(port, root, prefix=""):
    """PUTs every file under root (anonymous, as s3rver allows) with its relative path as the key."""
    files = []
    for d, _, names in os.walk(root):
        for n in names:
            full = os.path.join(d, n)
            files.append((prefix + os.path.relpath(full, root), full))
    local = threading.local()

    def put(item):
        key, full = item
        if not hasattr(local, "c"):
            local.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = open(full, "rb").read()
        for _ in range(5):
            try:
                local.c.request("PUT", f"/{BUCKET}/{key}", body=body)
                r = local.c.getresponse()
                r.read()
                if r.status == 200:
                    return
            except (OSError, http.client.HTTPException):
                local.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        raise RuntimeError(f"upload of {key} failed")

    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        list(ex.map(put, files))
    return len(files)


class FaultProxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def fault_proxy(upstream, first_faults=True):
    """A proxy that answers the first try of some objects with a fault (when first_faults): 503 SlowDown,
    a reset connection, a body cut short, or a slow answer; later tries go through. An object whose key
    holds "denied" is refused every time (403 AccessDenied)."""
    seen = {}
    lock = threading.Lock()

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            key = self.path.split("?")[0]
            with lock:
                n = seen[key] = seen.get(key, 0) + 1
            fault = None
            if n == 1 and "list-type" not in self.path and first_faults:
                fault = ["slowdown", "reset", "short", None, "slow"][hash(key) % 5]
            if n == 1 and "list-type" in self.path and hash(self.path) % 3 == 0 and first_faults:
                fault = "slowdown"
            if "denied" in key and "list-type" not in self.path:
                body = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
                self.send_response(403)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if fault == "slowdown":
                body = b"<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
                self.send_response(503)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if fault == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.connection.close()
                return
            c = http.client.HTTPConnection("127.0.0.1", upstream, timeout=60)
            c.request("GET", self.path, headers={k: v for k, v in self.headers.items() if k.lower() != "host"} |
                      {"Host": self.headers.get("Host", "")})
            r = c.getresponse()
            body = r.read()
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if fault == "short":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.close()
                return
            if fault == "slow":
                time.sleep(1.5)
            self.wfile.write(body)

    srv = FaultProxy(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def run(ctview, args, env):
    p = subprocess.run([ctview] + args, capture_output=True, text=True, env=env, timeout=600)
    return p


def stats(ctview, args, env):
    p = run(ctview, ["--stats", "--json"] + args, env)
    try:
        return json.loads(p.stdout), p
    except ValueError:
        return None, p


def tmux_session(name, cmd, env):
    """Starts cmd in a detached tmux session on a socket of its own; returns (capture, kill)."""
    sock = f"ctview-s3-{os.getpid()}-{name}"
    line = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items() if k.startswith(("AWS_", "XDG_", "HOME")))
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "160", "-y", "30",
                    f"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC {line} {shlex.join(cmd)}; "
                    "echo CTVIEW-EXITED $?; sleep 600"], check=True)

    def capture():
        return subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "t"], capture_output=True,
                              text=True).stdout

    def kill():
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
    return capture, kill


def wait_screen(capture, pred, seconds=90):
    """Polls the screen until pred(text) holds (never a fixed wait); returns the last screen and whether."""
    deadline = time.monotonic() + seconds
    while True:
        text = capture()
        if pred(text):
            return text, True
        if time.monotonic() > deadline or "CTVIEW-EXITED" in text:
            return text, False
        time.sleep(0.05)


def put(port, key, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("PUT", f"/{BUCKET}/{key}", body=body)
    r = c.getresponse()
    r.read()
    if r.status != 200:
        raise RuntimeError(f"PUT {key}: HTTP {r.status}")


def delete(port, key):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("DELETE", f"/{BUCKET}/{key}")
    r = c.getresponse()
    r.read()
    if r.status not in (200, 204):
        raise RuntimeError(f"DELETE {key}: HTTP {r.status}")


def last_copies(tree, n):
    """n log files of tree (by key) holding no record that a later file also holds: rewriting one leaves
    every later file's duplicates with their kept copy, so no other file needs reading again."""
    later, files = set(), []
    for d, _, fs in sorted(os.walk(tree)):
        for f in sorted(fs):
            try:
                files.append((os.path.join(d, f), json.loads(gzip.open(os.path.join(d, f)).read())["Records"]))
            except (OSError, ValueError, KeyError):
                continue
    files.sort()
    picked = []
    for path, recs in reversed(files):
        ids = {r.get("eventID") for r in recs}
        if len(recs) > 1 and not ids & later and len(picked) < n:
            picked.append(path)
        later |= ids
    return picked


def index_checks(ctview, env, port, tree, work):
    """The saved index on s3://: each open (its trace) and its results, against --no-cache."""
    import hashlib
    upload(port, tree, prefix="idx/")
    url = f"s3://{BUCKET}/idx/"
    ienv = dict(env, XDG_CACHE_HOME=os.path.join(work, "cache-index"), CTVIEW_INDEX_TRACE="1")
    keys = ("events", "duplicates", "problems", "records", "files")

    def opened(what, trace_re):
        got, p = stats(ctview, [url], ienv)
        ref, _ = stats(ctview, ["--no-cache", url], env)
        ok = got is not None and ref is not None and all(got[k] == ref[k] for k in keys)
        check(f"index on s3://, {what}: equals --no-cache (events, duplicates, problems)", ok,
              f"{got and {k: got[k] for k in keys}} vs {ref and {k: ref[k] for k in keys}} {p.stderr[-300:]}")
        m = re.search(trace_re, p.stderr)
        check(f"index on s3://, {what}: the index says {trace_re!r}", m is not None, p.stderr[-600:])
        lst = run(ctview, ["--list", "--json", url], ienv)
        lref = run(ctview, ["--no-cache", "--list", "--json", url], env)
        check(f"index on s3://, {what}: --list --json equals --no-cache's",
              lst.returncode == lref.returncode and lst.stdout and
              hashlib.md5(lst.stdout.encode()).hexdigest() == hashlib.md5(lref.stdout.encode()).hexdigest(),
              f"{len(lst.stdout)} vs {len(lref.stdout)} bytes {lst.stderr[-300:]}")
        return got, m

    got, _ = opened("a first open", r"none saved(.|\n)*saved (\d+) files")
    nfiles = got["files"] if got else 0
    opened("a second open of the same bucket", rf"unchanged: all \d+ files from the index")
    picked = last_copies(tree, 2)
    rel = [os.path.relpath(f, tree) for f in picked]
    # the first picked rewritten with half its records: a new ETag, the same key
    recs = json.loads(gzip.open(picked[0]).read())["Records"]
    put(port, "idx/" + rel[0], gzip.compress(json.dumps({"Records": recs[: len(recs) // 2]}).encode()))
    got, m = opened("an object rewritten", r"partial: up to (\d+) of (\d+) files(.|\n)*?\((\d+) files taken from "
                    r"(it|the index), (\d+) read")
    if m:
        print(f"note: after one object rewritten: {m.group(0)!r}")
        check("... only the rewritten object is read again", int(m.group(2)) - int(m.group(1)) == 1 and
              int(m.group(4)) == int(m.group(1)) and m.group(6) == "0", m.group(0))
    # added: the second picked's bytes under a new key of the same folder, its events once more (as
    # duplicates); and a new object whose records are all new
    put(port, "idx/" + rel[1].replace(".json.gz", "_copy.json.gz"), open(picked[1], "rb").read())
    fresh = [dict(r, eventID=r["eventID"][:-4] + "beef") for r in recs]
    put(port, "idx/" + rel[0].replace(".json.gz", "_new.json.gz"),
        gzip.compress(json.dumps({"Records": fresh}).encode()))
    got2, _ = opened("two objects added", r"partial: up to \d+ of \d+ files")
    check("... their events appear", got and got2 and got2["events"] == got["events"] + len(fresh) and
          got2["duplicates"] > got["duplicates"], f"{got2} {got}")
    delete(port, "idx/" + rel[0].replace(".json.gz", "_new.json.gz"))
    got3, _ = opened("an object deleted", r"partial: up to \d+ of \d+ files")
    check("... its events are gone", got and got3 and got3["events"] == got["events"], f"{got3} {got}")
    print(f"note: index on s3:// checked over {nfiles} files")


def interface_checks(ctview, env, port, tree, work, want):
    """The interface on s3://: its first screen and the objects' progress line while they come in (through
    the fault proxy, whose slow objects keep the load going), then every event; --follow --poll 1 on a
    prefix of today's folder: an object put there has its events shown."""
    if not shutil.which("tmux"):
        print("SKIP: the interface on s3://: tmux is not installed")
        return
    proxy = fault_proxy(port)
    slow = dict(env, AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{proxy.server_address[1]}",
                XDG_CACHE_HOME=os.path.join(work, "cache-tui"), XDG_STATE_HOME=os.path.join(work, "state"),
                XDG_CONFIG_HOME=os.path.join(work, "config"))
    capture, kill = tmux_session("load", [ctview, "--no-state", f"s3://{BUCKET}/logs/"], slow)
    try:
        text, ok = wait_screen(capture, lambda t: re.search(r"Loading +\d+%  \d+/\d+ objects  [0-9.]+ MB  \d+ events"
                                                            r"  [0-9.]+ MB/s", t))
        check("the interface shows the objects' progress line while they come in", ok, text[-400:])
        n = want["events"]
        text, ok = wait_screen(capture, lambda t: f" {n}/{n} shown" in t)
        check("... then every event of the tree", ok, text[-400:])
    finally:
        kill()
        proxy.shutdown()

    # log files without an event in common: two put one after the other under today's folder, a third
    # written over the second's key
    picked, seen = [], set()
    for d, _, fs in sorted(os.walk(tree)):
        for f in sorted(fs):
            try:
                recs = json.loads(gzip.open(os.path.join(d, f)).read())["Records"]
            except (OSError, ValueError, KeyError):
                continue
            ids = {r.get("eventID") for r in recs}
            if recs and not ids & seen and len(ids) == len(recs):
                picked.append(os.path.join(d, f))
                seen |= ids
            if len(picked) == 3:
                break
        if len(picked) == 3:
            break
    counts = [stats(ctview, picked[:k], env)[0]["events"] for k in (1, 2)]
    # the rewrite holds fewer records than the second object: a count the screen tells from the old one
    recs = json.loads(gzip.open(picked[2]).read())["Records"]
    shorter = os.path.join(work, "rewritten.json.gz")
    with gzip.open(shorter, "wb") as f:
        f.write(json.dumps({"Records": recs[: max(1, len(recs) // 2)]}).encode())
    rewritten = stats(ctview, [picked[0], shorter], env)[0]["events"]
    day = time.strftime("%Y/%m/%d", time.gmtime())
    stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime())
    folder = f"follow/AWSLogs/555555555555/CloudTrail/us-east-1/{day}/"
    keys = [f"{folder}555555555555_CloudTrail_us-east-1_{stamp}_{i}.json.gz" for i in ("a", "b")]
    put(port, keys[0], open(picked[0], "rb").read())
    # refused at every try: one row of the problems however many polls ask for it again
    put(port, f"{folder}555555555555_CloudTrail_us-east-1_{stamp}_denied.json.gz", open(picked[0], "rb").read())
    proxy = fault_proxy(port, first_faults=False)
    follow = dict(env, XDG_CACHE_HOME=os.path.join(work, "cache-follow"), XDG_STATE_HOME=os.path.join(work, "state"),
                  XDG_CONFIG_HOME=os.path.join(work, "config"),
                  AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{proxy.server_address[1]}")
    capture, kill = tmux_session("follow", [ctview, "--no-state", "--follow", "--poll", "1", f"s3://{BUCKET}/follow/"],
                                 follow)
    try:
        text, ok = wait_screen(capture, lambda t: f" {counts[0]}/{counts[0]} shown" in t and "following" in t)
        check("--follow on s3://: the first object's events, following", ok, text[-400:])
        put(port, keys[1], open(picked[1], "rb").read())
        text, ok = wait_screen(capture, lambda t: f" {counts[1]}/{counts[1]} shown" in t, 60)
        check(f"--follow --poll 1: an object put under today's folder has its events shown ({counts[1]})", ok,
              text[-400:])
        put(port, keys[1], open(shorter, "rb").read())
        text, ok = wait_screen(capture, lambda t: f" {rewritten}/{rewritten} shown" in t, 60)
        check(f"--follow: an object rewritten under its key is read again, its old events gone ({rewritten})", ok,
              text[-400:])
        put(port, keys[1], open(picked[0], "rb").read())
        text, ok = wait_screen(capture, lambda t: f" {counts[0]}/{counts[0]} shown" in t, 60)
        check(f"--follow: rewritten with the first object's records, they are duplicates ({counts[0]})", ok,
              text[-400:])
        # every step above took at least one poll (--poll 1), each of which asked for the refused object
        text, ok = wait_screen(capture, lambda t: re.search(r"\b1 problem\b", t), 10)
        check("--follow: an object refused at every poll is one row of the problems", ok and
              not re.search(r"\b([2-9]|\d\d+) problems\b", text), text[-400:])
    finally:
        kill()
        proxy.shutdown()


def main():
    ctview = os.path.abspath(sys.argv[1])
    node = server_dir()
    work = tempfile.mkdtemp(prefix="ctview-s3-test-")
    procs = []
    try:
        tree = os.path.join(work, "tree")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--events", "3000", "--out", tree,
                        "--seed", "7", "--per-file", "40", "--days", "3", "--bad", "3"], check=True,
                       capture_output=True)
        data = os.path.join(work, "s3data")
        os.makedirs(data)
        srv, port = start_server(node, data)
        procs.append(srv)
        nobj = upload(port, tree)
        home = os.path.join(work, "home")
        os.makedirs(home)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env = dict(base_env, HOME=home, XDG_CACHE_HOME=os.path.join(work, "cache"), AWS_EC2_METADATA_DISABLED="true",
                   AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="S3RVER",
                   AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION="us-east-1")
        want, _ = stats(ctview, [tree], env)
        got, p = stats(ctview, [f"s3://{BUCKET}/"], env)
        ok = got is not None and all(got[k] == want[k] for k in ("events", "duplicates", "problems", "records"))
        check("s3:// equals the same tree on disk (events, duplicates, problems)", ok,
              f"{p.returncode} {p.stderr[-400:]} {got} vs {want}")
        digests = sum(1 for d, _, f in os.walk(tree) if "CloudTrail-Digest" in d for _ in f)
        if got:
            check("every log object fetched once, no digest", got.get("objects_fetched") == nobj - digests and
                  got.get("cache_hits") == 0, str(got))
            check("no secret in the output", SECRET not in p.stdout + p.stderr)
        again, p = stats(ctview, [f"s3://{BUCKET}/"], env)
        check("a second run fetches nothing", again is not None and again.get("objects_fetched") == 0 and
              again.get("cache_hits") == nobj - digests and again["events"] == want["events"], str(again))

        # pruning: one day, one account, one region
        aws = os.path.join(tree, "logs", "AWSLogs")
        accounts = sorted(d for d in os.listdir(aws) if d.isdigit())
        acct = accounts[0]
        regions = sorted(os.listdir(os.path.join(aws, acct, "CloudTrail")))
        region = regions[0]
        days = []
        local = os.path.join(aws, acct, "CloudTrail", region)
        for d, _, f in os.walk(local):
            if f:
                days.append(os.path.relpath(d, local))
        day = sorted(days)[0].replace("/", "-")
        rng = ["--since", day, "--until", day]
        want1, _ = stats(ctview, rng + [local], env)
        got1, p = stats(ctview, rng + ["--account", acct, "--region", region, "--no-cache", f"s3://{BUCKET}/"], env)
        check("one day, one account, one region: the same events as that folder on disk",
              got1 is not None and got1["shown"] == want1["shown"] and got1["shown"] > 0, f"{got1} {want1} {p.stderr}")
        if got1:
            # the root, logs/, AWSLogs/, the account, CloudTrail/, and the day and the day after
            check("only the prefixes needed were listed", got1.get("list_requests", 99) <= 7, str(got1))
            print(f"note: one day, one account, one region: {got1.get('requests')} requests "
                  f"({got1.get('list_requests')} listings, {got1.get('objects_fetched')} objects fetched) "
                  f"for {nobj} objects in the bucket")
            check("--no-cache fetched every object of that day", got1.get("cache_hits") == 0)

        # the cache cap: a load over another account evicts the first's files (least recently used), never
        # its own; --no-cache leaves no folder behind
        capped = dict(env, XDG_CACHE_HOME=os.path.join(work, "cache-cap"))
        stats(ctview, ["--account", accounts[0], f"s3://{BUCKET}/"], capped)
        time.sleep(2.1)  # the cap keeps what the current run used: its files are newer than its start
        got7, p = stats(ctview, ["--account", accounts[1], "--cache-size", "1K", f"s3://{BUCKET}/"], capped)
        held = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(work, "cache-cap")) for f in fs]
        check("--cache-size evicts the least recently used objects, never the load's own",
              got7 is not None and not any(f"/{accounts[0]}/" in h for h in held) and
              any(f"/{accounts[1]}/" in h for h in held), f"{p.stderr[-200:]} {len(held)}")
        again7, _ = stats(ctview, ["--account", accounts[0], f"s3://{BUCKET}/"], capped)
        check("an evicted object is fetched again", again7 is not None and again7.get("objects_fetched", 0) > 0)
        before = set(n for n in os.listdir("/tmp") if n.startswith("ctview-s3-") and n != os.path.basename(work))
        stats(ctview, ["--no-cache", "--account", accounts[0], f"s3://{BUCKET}/"], env)
        after = set(n for n in os.listdir("/tmp") if n.startswith("ctview-s3-") and n != os.path.basename(work))
        check("--no-cache leaves no folder behind", after <= before, str(after - before))

        # credentials: a wrong key id, a profile in a credentials file, a credential_process
        bad = dict(env, AWS_ACCESS_KEY_ID="AKIAWRONGKEY")
        p = run(ctview, ["--stats", f"s3://{BUCKET}/"], bad)
        check("a wrong key id is refused with S3's code and a non-zero exit",
              p.returncode != 0 and "InvalidAccessKeyId" in p.stderr, f"{p.returncode} {p.stderr[-300:]}")
        creds = os.path.join(home, "creds")
        open(creds, "w").write(f"[dev]\naws_access_key_id = S3RVER\naws_secret_access_key = {SECRET}\n")
        prof = {k: v for k, v in env.items() if not k.startswith("AWS_ACCESS") and not k.startswith("AWS_SECRET")}
        prof.update(AWS_PROFILE="dev", AWS_SHARED_CREDENTIALS_FILE=creds)
        got2, p = stats(ctview, [f"s3://{BUCKET}/"], prof)
        check("credentials from a profile in a credentials file", got2 is not None and got2["events"] == want["events"],
              p.stderr[-300:])
        script = os.path.join(home, "creds.sh")
        open(script, "w").write("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"S3RVER\", "
                                f"\"SecretAccessKey\": \"{SECRET}\"}}'\n")
        os.chmod(script, 0o700)
        config = os.path.join(home, "config")
        open(config, "w").write(f"[profile proc]\ncredential_process = {script}\nregion = us-east-1\n")
        proc = dict(prof, AWS_PROFILE="proc", AWS_CONFIG_FILE=config)
        got3, p = stats(ctview, ["--no-cache", f"s3://{BUCKET}/"], proc)
        check("credentials from a credential_process", got3 is not None and got3["events"] == want["events"],
              p.stderr[-300:])
        check("no secret in any message", SECRET not in p.stdout + p.stderr)

        # faults: every event still loads
        proxy = fault_proxy(port)
        faulty = dict(env, AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{proxy.server_address[1]}",
                      XDG_CACHE_HOME=os.path.join(work, "cache-faults"))
        got4, p = stats(ctview, [f"s3://{BUCKET}/"], faulty)
        check("with faults injected every event loads (retries)",
              got4 is not None and got4["events"] == want["events"] and got4["problems"] == want["problems"] and
              got4.get("retries", 0) > 0, f"{got4} {p.stderr[-300:]}")
        proxy.shutdown()

        # a missing object is a problem, the rest loads, the exit says so
        lst = os.path.join(work, "list.txt")
        some = sorted(os.path.relpath(os.path.join(d, f), tree) for d, _, fs in os.walk(tree) for f in fs
                      if "Digest" not in d)[:3]
        open(lst, "w").write("".join(f"s3://{BUCKET}/{k}\n" for k in some) + f"s3://{BUCKET}/AWSLogs/missing.json.gz\n")
        want5, _ = stats(ctview, [os.path.join(tree, k) for k in some], env)
        got5, p = stats(ctview, ["--paths-from", lst], env)
        check("--paths-from reads s3:// URLs", got5 is not None and got5["events"] == want5["events"], p.stderr[-300:])

        # pagination: more than 10,000 objects under one prefix
        many = os.path.join(work, "many")
        one = None
        for k in sorted(os.path.relpath(os.path.join(d, f), tree) for d, _, fs in os.walk(tree) for f in fs
                        if "Digest" not in d):
            try:
                body = gzip.open(os.path.join(tree, k)).read()
                if json.loads(body)["Records"]:
                    one = body
                    break
            except (OSError, ValueError, KeyError):
                pass
        sub = os.path.join(many, "AWSLogs", "999999999999", "CloudTrail", "eu-west-1", "2024", "01", "01")
        os.makedirs(sub)
        for i in range(10050):
            with open(os.path.join(sub, f"999999999999_CloudTrail_eu-west-1_20240101T0000Z_{i:06d}.json"), "wb") as f:
                f.write(one)
        upload(port, many)
        want6, _ = stats(ctview, [many], env)
        got6, p = stats(ctview, ["--account", "999999999999", "--region", "eu-west-1", f"s3://{BUCKET}/"], env)
        check("pagination: 10,050 objects listed and read", got6 is not None and got6.get("objects_listed", 0) >= 10050 and
              got6["files"] == 10050 and got6["events"] == want6["events"] and
              got6["duplicates"] == want6["duplicates"], f"{got6} {p.stderr[-300:]}")

        index_checks(ctview, env, port, tree, work)
        interface_checks(ctview, env, port, tree, work, want)
    finally:
        for p in procs:
            p.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(f"s3: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
