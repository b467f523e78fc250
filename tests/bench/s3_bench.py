#!/usr/bin/env python3
"""S3 on loopback against local disk (the README's Performance target: a 100k-event tree opened from
s3:// takes at most 1.5x the local time with a cold cache, 1.1x with a warm one). The server is the
suite's (tests/test_s3.py: s3rver on 127.0.0.1); each figure is the median of RUNS whole-process wall
times of `ctview --stats`, every kind interleaved run by run so a noisy machine hits them alike.

Like for like: every figure of the ratios is a first load, nothing read from the saved index
(parsers/savedidx.h, which makes the second open of an unchanged local tree near-instant):
  - local: a fresh XDG_CACHE_HOME each run (nothing to read; the index is written, as a first open does);
  - s3 cold: a fresh XDG_CACHE_HOME each run (no object cached);
  - s3 warm: the cold run's cache with its saved index removed first: every object from the object cache.
Apart, the reopen of an unchanged tree with everything a previous open left (the saved index too), for
both sides (s3: the listing, then the store from the saved index, no object read). Beside them, what the server alone needs to hand out every log object (curl, 32 transfers at
a time, the bodies thrown away): s3rver is one Node.js process on the same cores, and no client fetches
faster. CPU: user+sys of ctview (from wait4), and of the server (/proc/PID/stat) during the cold runs.
The work folder is made under TMPDIR (default /tmp): creating the cache's files costs what that
file system's state makes it cost, which varies widely with its churn (see the note in the loop).
usage: s3_bench.py CTVIEW [EVENTS] [RUNS]"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import test_s3  # noqa: E402  the server, the upload and the environment


def timed(cmd, env):
    """Wall seconds and the child's CPU seconds (user+sys)."""
    t = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}: {err[-300:]}")
    return wall, ru.ru_utime + ru.ru_stime


def proc_cpu(pid):
    """CPU seconds (user+sys) process pid used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ctview = os.path.abspath(sys.argv[1])
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    node = test_s3.server_dir()
    work = tempfile.mkdtemp(prefix="ctview-s3-bench-")
    srv = None
    try:
        tree = os.path.join(work, "tree")
        subprocess.run([sys.executable, os.path.join(test_s3.HERE, "gen_corpus.py"), "--events", str(events),
                        "--out", tree, "--seed", "3"], check=True, capture_output=True)
        data = os.path.join(work, "s3data")
        os.makedirs(data)
        srv, port = test_s3.start_server(node, data)
        nobj = test_s3.upload(port, os.path.join(tree, "logs"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(HOME=work, AWS_EC2_METADATA_DISABLED="true", AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{port}",
                   AWS_ACCESS_KEY_ID="S3RVER", AWS_SECRET_ACCESS_KEY="bench", AWS_REGION="us-east-1")
        kinds = ("local", "cold", "warm", "local_reopen", "s3_reopen", "floor")
        wall = {k: [] for k in kinds}
        cpu = {k: [] for k in kinds}
        server_cpu = []
        url = f"s3://{test_s3.BUCKET}/AWSLogs/"
        logs = os.path.join(tree, "logs")
        curl = shutil.which("curl")
        if curl:
            keys = [os.path.relpath(os.path.join(d, f), logs) for d, _, fs in os.walk(logs) for f in fs
                    if "CloudTrail-Digest" not in d]
            config = os.path.join(work, "curl.cfg")
            with open(config, "w") as f:
                for k in keys:
                    f.write(f'url = "http://127.0.0.1:{port}/{test_s3.BUCKET}/{k}"\noutput = "/dev/null"\n')

        def run(kind, cmd, cache):
            w, c = timed(cmd, dict(env, XDG_CACHE_HOME=cache))
            wall[kind].append(w)
            cpu[kind].append(c)

        for i in range(runs):
            if curl:
                run("floor", [curl, "-s", "--parallel", "--parallel-max", "32", "-K", config], work)
            lcache, scache = os.path.join(work, f"local{i}"), os.path.join(work, f"cache{i}")
            run("local", [ctview, "--stats", logs], lcache)
            s0 = proc_cpu(srv.pid)
            run("cold", [ctview, "--stats", url], scache)
            server_cpu.append(proc_cpu(srv.pid) - s0)
            shutil.rmtree(os.path.join(scache, "ctview", "index"), ignore_errors=True)  # objects only
            run("warm", [ctview, "--stats", url], scache)
            run("local_reopen", [ctview, "--stats", logs], lcache)
            run("s3_reopen", [ctview, "--stats", url], scache)
            # the caches stay until the end: on ext4 without a journal a file is not given an inode
            # freed in the last minutes, so creating the next run's 1,500 files right after deleting
            # this run's costs a scan past each of those per file (recently_deleted in perf)
        m = {k: statistics.median(v) for k, v in wall.items() if v}
        c = {k: statistics.median(v) for k, v in cpu.items() if v}
        print(f"s3 on loopback, {events} events, {nobj} objects, median of {runs} (load average "
              f"{os.getloadavg()[0]:.1f}); first loads, no saved index read on either side:")
        print(f"  local disk  {m['local']:.3f} s (cpu {c['local']:.2f} s)")
        print(f"  s3 cold     {m['cold']:.3f} s (cpu {c['cold']:.2f} s, server cpu "
              f"{statistics.median(server_cpu):.2f} s) = {m['cold'] / m['local']:.2f}x local (target <= 1.5x)")
        print(f"  s3 cached   {m['warm']:.3f} s (cpu {c['warm']:.2f} s) = {m['warm'] / m['local']:.2f}x local "
              f"(target <= 1.1x)")
        if "floor" in m:
            print(f"  the server alone: every log object to curl, 32 at a time: {m['floor']:.3f} s "
                  f"= {m['floor'] / m['local']:.2f}x local; s3 cold = {m['cold'] / m['floor']:.2f}x that")
        print("reopen of the unchanged tree, with what the first open left (saved index, object cache):")
        print(f"  local       {m['local_reopen']:.3f} s (cpu {c['local_reopen']:.2f} s)")
        print(f"  s3          {m['s3_reopen']:.3f} s (cpu {c['s3_reopen']:.2f} s)")
    finally:
        if srv:
            srv.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
