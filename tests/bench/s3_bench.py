#!/usr/bin/env python3
"""S3 on loopback against local disk (the README's Performance target: a 100k-event tree opened from
s3:// takes at most 1.5x the local time with a cold cache, 1.1x with a warm one). The server is the
suite's (tests/test_s3.py: s3rver on 127.0.0.1); each figure is the median of RUNS whole-process wall
times of `ctview --stats`, the three kinds interleaved run by run so a noisy machine hits them alike.
Beside them, what the server alone needs to hand out every log object (curl, 32 transfers at a time, the
bodies thrown away): s3rver is one Node.js process on the same cores, and no client fetches faster.
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
    t = time.monotonic()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}: {p.stderr[-300:]}")
    return time.monotonic() - t


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
        local, cold, warm, floor = [], [], [], []
        url = f"s3://{test_s3.BUCKET}/AWSLogs/"
        curl = shutil.which("curl")
        if curl:
            logs = os.path.join(tree, "logs")
            keys = [os.path.relpath(os.path.join(d, f), logs) for d, _, fs in os.walk(logs) for f in fs
                    if "CloudTrail-Digest" not in d]
            config = os.path.join(work, "curl.cfg")
            with open(config, "w") as f:
                for k in keys:
                    f.write(f'url = "http://127.0.0.1:{port}/{test_s3.BUCKET}/{k}"\noutput = "/dev/null"\n')
        for i in range(runs):
            if curl:
                floor.append(timed([curl, "-s", "--parallel", "--parallel-max", "32", "-K", config], env))
            cache = os.path.join(work, f"cache{i}")
            local.append(timed([ctview, "--stats", os.path.join(tree, "logs")], env))
            cold.append(timed([ctview, "--stats", url], dict(env, XDG_CACHE_HOME=cache)))
            warm.append(timed([ctview, "--stats", url], dict(env, XDG_CACHE_HOME=cache)))
            shutil.rmtree(cache, ignore_errors=True)
        m = {k: statistics.median(v) for k, v in (("local", local), ("cold", cold), ("warm", warm), ("floor", floor))
             if v}
        print(f"s3 on loopback, {events} events, {nobj} objects, median of {runs} (load average "
              f"{os.getloadavg()[0]:.1f}):")
        print(f"  local disk  {m['local']:.3f} s")
        print(f"  s3 cold     {m['cold']:.3f} s  = {m['cold'] / m['local']:.2f}x local (target <= 1.5x)")
        print(f"  s3 cached   {m['warm']:.3f} s  = {m['warm'] / m['local']:.2f}x local (target <= 1.1x)")
        if "floor" in m:
            print(f"  the server alone: every log object to curl, 32 at a time: {m['floor']:.3f} s "
                  f"= {m['floor'] / m['local']:.2f}x local; s3 cold = {m['cold'] / m['floor']:.2f}x that")
    finally:
        if srv:
            srv.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
