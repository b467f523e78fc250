#!/bin/sh
# Hostile and broken input that the unit tests cannot build in memory: deep nesting, a huge string,
# a directory of 100,000 files, unreadable files for an unprivileged user, --list on a terminal.
# Each must load what is good, report what is not, and never crash. Usage: test_hostile.sh CTVIEW
ctview=$1
fails=0
skips=0
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
check() {
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}
skip() { # why: a block that cannot run here is reported, not passed
    echo "SKIP: $1"
    skips=$((skips + 1))
}
stats() { "$ctview" --stats --json "$@" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["events"], s["bad_records"], s["problems"])'; }
good='{"eventID":"ok-%s","eventTime":"2024-01-01T00:00:0%sZ","eventName":"Good"}'

# 10,000 levels of nesting inside one record: that record is reported, its neighbours load
python3 - "$tmp/deep.json" "$good" <<'PY'
import sys
good = sys.argv[2]
deep = '{"eventID":"deep","requestParameters":' + "[" * 10000 + "]" * 10000 + "}"
open(sys.argv[1], "w").write('{"Records":[' + good % (1, 1) + "," + deep + "," + good % (2, 2) + "]}")
PY
[ "$(stats "$tmp/deep.json")" = "2 1 1" ]; check "10,000 levels of nesting: one bad record, two events" $?

# a 100 MB string in a field: the event loads, the list stays one line
python3 - "$tmp/big.json" "$good" <<'PY'
import sys
open(sys.argv[1], "w").write('{"Records":[' + sys.argv[2] % (1, 1) + ',{"eventID":"big","eventTime":"2024-01-01T00:00:05Z","userAgent":"' + "A" * (100 << 20) + '"}]}')
PY
[ "$(stats "$tmp/big.json")" = "2 0 0" ]; check "a 100 MB string: both events load" $?
[ "$("$ctview" --list "$tmp/big.json" | wc -l)" -eq 2 ]; check "a 100 MB string: --list prints two lines" $?
rm -f "$tmp/big.json"

# invalid UTF-8, NUL escapes, duplicate keys, numbers where strings belong: loaded, shown escaped
printf '{"eventID":"u1","eventName":"bad\377\376utf","userAgent":"nul\\u0000here","eventSource":"a","eventSource":"b","recipientAccountId":111122223333}\n' >"$tmp/odd.json"
[ "$(stats "$tmp/odd.json")" = "1 0 0" ]; check "invalid UTF-8, NUL, duplicate keys, numeric account: the event loads" $?
"$ctview" --list "$tmp/odd.json" | grep -q 'bad\\xff\\xfeutf'; check "invalid UTF-8 is shown escaped" $?
"$ctview" --list -f acct:111122223333 "$tmp/odd.json" | grep -q u1; check "a numeric account id matches as text" $?

# a directory of 100,000 small files
python3 - "$tmp/many" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(100):
    os.makedirs(f"{root}/{d:02d}")
    for f in range(1000):
        with open(f"{root}/{d:02d}/{f:03d}.json", "w") as fh:
            fh.write('{"eventID":"e%d-%d","eventTime":"2024-01-01T00:00:00Z","eventName":"Many"}' % (d, f))
PY
[ "$(stats "$tmp/many")" = "100000 0 0" ]; check "100,000 small files: every event loads" $?
rm -rf "$tmp/many"

# unreadable files and folders, read by an unprivileged user: reported, the rest loads
mkdir -p "$tmp/perm/closed"
printf "$good" 1 1 >"$tmp/perm/ok.json"
printf "$good" 2 2 >"$tmp/perm/secret.json"
printf "$good" 3 3 >"$tmp/perm/closed/inner.json"
chmod 644 "$tmp/perm/ok.json"
chmod 000 "$tmp/perm/secret.json" "$tmp/perm/closed"
as=""
[ "$(id -u)" -eq 0 ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ -z "$as" ] || command -v setpriv >/dev/null; then
    $as "$ctview" --stats "$tmp/perm" >"$tmp/perm.out" 2>&1
    grep -q "events loaded      1" "$tmp/perm.out"; check "unreadable entries: the readable event loads" $?
    grep -q "secret.json: .*Permission denied" "$tmp/perm.out"; check "an unreadable file is reported" $?
    grep -q "closed: cannot open directory: Permission denied" "$tmp/perm.out"; check "an unreadable folder is reported" $?
else
    skip "hostile: unreadable files: running as root without setpriv to drop privileges"
fi

# --list writes escapes, not control characters, when its output is a terminal
printf '{"eventID":"t1","eventName":"\\u001b]0;PWNED\\u0007"}' >"$tmp/evil.json"
if command -v script >/dev/null; then
    script -qec "$ctview --list $tmp/evil.json" /dev/null >"$tmp/tty.out" 2>&1
    ! grep -q "$(printf '\033')]0;PWNED" "$tmp/tty.out" && grep -q 'x1b\]0;PWNED' "$tmp/tty.out"
    check "--list on a terminal shows escapes, sends no control characters" $?
else
    skip "hostile: --list on a terminal: script(1) is not installed"
fi

echo "hostile: $fails failed, $skips skipped"
[ "$fails" -eq 0 ]
