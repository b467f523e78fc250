#!/bin/sh
# Runs the whole test suite twice: a normal build, and a build with AddressSanitizer and
# UndefinedBehaviorSanitizer. Ends with the line "N passed, N failed" (meson tests, both builds).
cd "$(dirname "$0")/.."
sh tests/setup.sh || exit 1
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
ninja -C build-asan >/dev/null || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for b in build build-asan; do
    echo "== $b"
    meson test -C "$b" --print-errorlogs --no-rebuild || status=1
done
python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY'
import json, sys
passed = failed = 0
for path in sys.argv[1:]:
    for line in open(path):
        r = json.loads(line)
        if r.get("result") in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r.get("result") != "SKIP":
            failed += 1
print(f"{passed} passed, {failed} failed")
PY
exit $status
