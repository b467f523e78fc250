#!/usr/bin/env python3
"""Soak test of following a live tree (issue 28). A writer process changes a tree for a bounded time: adds
files (JSON, gzip, JSON Lines), writes some in two steps, renames others into place from a temporary name,
truncates and rewrites, deletes, and, while the interface has a prompt open (polling paused), writes a
burst of thousands of files at once. ctview --follow watches it in tmux. At the end the status line's
counts are those of --stats --json of the final tree, and an export of every event re-opens to the same
events as the tree (--list of both, as sets of lines).

Every check waits for a condition with a deadline, never a fixed time (the writer's own pauses shape the
workload; they are not waits for ctview). Usage: soak.py CTVIEW TESTS_DIR [SECONDS]"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

CTVIEW, TESTS = sys.argv[1], sys.argv[2]
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 12
sys.path.insert(0, os.path.join(TESTS, "screen"))
import logfile  # noqa: E402

WRITER = len(sys.argv) > 5 and sys.argv[4] == "--writer"
tmp = os.path.dirname(sys.argv[6]) if WRITER else tempfile.mkdtemp()
logs = os.path.join(tmp, "logs")
sock = "ctview-soak-%d" % os.getpid()
env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC", XDG_STATE_HOME=tmp + "/state",
           XDG_CONFIG_HOME=tmp + "/config", XDG_DATA_HOME=tmp + "/data")
failures = []


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", sock] + list(args), env=env, check=check, capture_output=True,
                          text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "t", check=False)


def keys(*k):
    tmux("send-keys", "-t", "t", *k)


def wait(cond, seconds):
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def check(what, good):
    print(("ok: " if good else "FAIL: ") + what)
    if not good:
        failures.append(what)
        print("\n".join("    | " + l for l in screen().rstrip().split("\n")[-4:]))


def status():
    lines = [l for l in screen().split("\n") if " shown  #" in l]
    return lines[-1] if lines else ""


def stats():
    out = subprocess.run([CTVIEW, "--stats", "--json", logs], env=env, capture_output=True, text=True).stdout
    return json.loads(out)


def expected(d):
    p = d["problems"]
    return (" %d/%d shown" % (d["events"], d["events"]), "%d files  %d problem%s" % (d["files"], p, "" if p == 1 else "s"))


class Writer:
    """The changes, in one process apart from the test's (its own file handles, closes and renames)."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.tag = 100000 * seed
        self.files = []  # what a step may rewrite, truncate or delete: the files the writers added
        fmts = {".json": "json", ".gz": "gz", ".jsonl": "jsonl"}
        for top, _, names in os.walk(logs):
            for n in sorted(names):
                if n.startswith("w") and os.path.splitext(n)[1] in fmts:
                    self.files.append((os.path.join(top, n), fmts[os.path.splitext(n)[1]]))

    def new_name(self, ext):
        self.tag += 1
        sub = os.path.join(logs, "d%d" % self.rng.randrange(3))
        os.makedirs(sub, exist_ok=True)
        return os.path.join(sub, "w%06d%s" % (self.tag, ext)), self.tag

    def write(self, path, count, tag, fmt, part=""):
        data = logfile.content(count, tag, fmt)
        half = len(data) // 2
        with open(path, "ab" if part == "tail" else "wb") as f:
            f.write(data[:half] if part == "head" else data[half:] if part == "tail" else data)

    def step(self):
        op = self.rng.choice(["add", "add", "two", "rename", "rewrite", "truncate", "delete"])
        fmt = self.rng.choice(["json", "gz", "jsonl"])
        ext = {"json": ".json", "gz": ".json.gz", "jsonl": ".jsonl"}[fmt]
        count = self.rng.randrange(1, 30)
        if op == "add" or not self.files and op in ("rewrite", "truncate", "delete"):
            path, tag = self.new_name(ext)
            self.write(path, count, tag, fmt)
            self.files.append((path, fmt))
        elif op == "two":
            path, tag = self.new_name(ext)
            self.write(path, count, tag, fmt, "head")
            time.sleep(self.rng.random() * 0.3)  # the workload: a writer slow to finish
            self.write(path, count, tag, fmt, "tail")
            self.files.append((path, fmt))
        elif op == "rename":
            path, tag = self.new_name(ext)
            self.write(path + ".tmp", count, tag, fmt)
            os.rename(path + ".tmp", path)
            self.files.append((path, fmt))
        elif op in ("rewrite", "truncate"):
            path, fmt = self.rng.choice(self.files)
            self.tag += 1
            open(path, "wb").close()
            if op == "rewrite" or self.rng.random() < 0.5:
                self.write(path, count, self.tag, fmt)
        else:
            path, fmt = self.files.pop(self.rng.randrange(len(self.files)))
            os.remove(path)

    def burst(self, n):
        d = os.path.join(logs, "burst")
        os.makedirs(d, exist_ok=True)
        for i in range(n):
            self.tag += 1
            self.write(os.path.join(d, "b%05d.json" % i), 1, self.tag, "json")


def writer_main(seconds, seed):
    w = Writer(seed)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        w.step()
        time.sleep(w.rng.random() * 0.05)  # the workload's pace


def main():
    if shutil.which("tmux") is None:
        print("SKIP: tmux is not installed")
        return 77
    if WRITER:
        writer_main(SECONDS, int(sys.argv[5]))
        return 0
    os.makedirs(logs)
    logfile_path = os.path.join(logs, "first.json")
    with open(logfile_path, "wb") as f:
        f.write(logfile.content(20, 1, "json"))
    try:
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "160", "-y", "30",
             "%s --no-state --follow %s; echo CTVIEW-EXITED $?; sleep 600" % (CTVIEW, logs))
        tmux("set-option", "-t", "t", "status", "off")
        check("ctview follows the tree", wait(lambda: "following" in screen(), 60))

        def writer(seconds, seed):
            return subprocess.Popen([sys.executable, __file__, CTVIEW, TESTS, str(seconds), "--writer", str(seed),
                                     logs])

        # the writer at work, then a burst while the prompt is open, then the writer again
        w = writer(SECONDS / 2, 1)
        check("the writer's first half ends", w.wait(timeout=SECONDS * 4) == 0)
        keys("/")
        check("the prompt opens", wait(lambda: "/" in screen().split("\n")[-2], 30))
        Writer(2).burst(9000)  # past the kernel's queue of 16384 events: it overflows
        keys("Escape")
        w = writer(SECONDS / 2, 3)
        check("the writer's second half ends", w.wait(timeout=SECONDS * 4) == 0)

        d = stats()
        a, b = expected(d)
        check("the status line's counts are --stats --json's of the final tree (%s, %s)" % (a.strip(), b),
              wait(lambda: a in status() and b in status(), 90))
        export = os.path.join(tmp, "all.json")
        keys("M")
        check("M marks every event", wait(lambda: " %d marked" % d["events"] in status(), 30))
        keys(":")
        wait(lambda: ":" in screen(), 10)
        keys("-l", "export " + export)
        keys("Enter")
        check("export of every event", wait(lambda: "wrote %d marked events" % d["events"] in screen(), 60))

        def listing(path):
            out = subprocess.run([CTVIEW, "--list", path], env=env, capture_output=True, text=True).stdout
            return sorted(out.split("\n"))

        check("the export re-opens to the tree's events", listing(export) == listing(logs))
        keys("q")
        check("ctview quits cleanly", wait(lambda: "CTVIEW-EXITED 0" in screen(), 30))
    finally:
        tmux("kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    print("soak: %d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
