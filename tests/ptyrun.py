#!/usr/bin/env python3
# Runs argv[1:] with standard output on a pseudo-terminal; writes what reached it to stdout (binary),
# the exit status to stderr's last line.
import os, pty, sys, subprocess
m, s = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=s, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
os.close(s)
out = b''
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
err = p.stderr.read()
rc = p.wait()
sys.stdout.buffer.write(out)
sys.stderr.buffer.write(err)
sys.stderr.write('rc=%d\n' % rc)
