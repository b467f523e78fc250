#!/bin/sh
# Runs the whole test suite twice: a normal build, and a build with AddressSanitizer and
# UndefinedBehaviorSanitizer; the unit tests under valgrind; cppcheck; then every libFuzzer target for
# FUZZ_SECONDS (default 60) each. Ends with the line "N passed, N failed, N skipped" (every meson test
# of both builds, each valgrind run and each fuzz target counts once; every test, or block of a test,
# that could not run here counts as skipped and is listed with its reason above that line).
cd "$(dirname "$0")/.."
sh tests/setup.sh clang libclang-rt-dev valgrind cppcheck strace || exit 1
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
ninja -C build-asan >/dev/null || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for b in build build-asan; do
    echo "== $b"
    meson test -C "$b" --print-errorlogs --no-rebuild || status=1
done
# valgrind: the unit tests, leaks and invalid accesses fatal
: >build/valgrind.txt
for t in model filter parsers trace path field pathbuild sigma rowsort fieldindex case s3; do
    args=""
    [ "$t" = parsers ] && args="tests tests/data/logs"
    if CTVIEW_NO_JIT=1 valgrind -q --leak-check=full --error-exitcode=1 build/tests/test_$t $args >/dev/null 2>build/valgrind-$t.log; then
        echo "valgrind $t: OK" >>build/valgrind.txt
    else
        echo "valgrind $t: FAIL" >>build/valgrind.txt
        cat build/valgrind-$t.log
        status=1
    fi
done
# valgrind: the command line on real and broken inputs (the TUI needs a terminal; its code paths under
# ASan are the screen tests)
vtmp=$(mktemp -d)
i=0
for args in "--stats tests/sample tests/data/logs tests/fixtures" \
    "--list -f user:alice tests/sample" \
    "--stats --json --since 2014-07-01 --until 2014-08-01 tests/sample" \
    "--trace 777788889999:dEXAMPLE-265a-41e0-9352-4401bEXAMPLE --json tests/sample" \
    "--actors --json -f origin:bob tests/sample tests/data/logs" \
    "--actors -f ro:true tests/data/logs" \
    "--export $vtmp/out.json.gz --gzip -f user:Bob tests/sample" \
    "--list --columns name,requestParameters.roleArn,resources.ARN -f resources.type:* tests/sample" \
    "--top resources.type --json -f requestParameters:* tests/sample" \
    "--sql -f requestParameters.roleArn:*Admin* --since 2024-03-01 --select paths" \
    "--list --json tests/fixtures/shapes/athena-console.csv tests/fixtures/shapes/athena-unload.json" \
    "--findings --json --rules tests/data/sigma/rules --rules tests/data/sigma/unsupported tests/data/logs/stratus-red-team" \
    "--list -f level:>=medium tests/sample tests/data/logs/stratus-red-team"; do
    i=$((i + 1))
    # shellcheck disable=SC2086 # the arguments are split on purpose
    CTVIEW_NO_JIT=1 valgrind -q --leak-check=full --error-exitcode=99 build/ctview $args >/dev/null 2>build/valgrind-cli$i.log
    if [ $? -ne 99 ]; then
        echo "valgrind cli$i: OK" >>build/valgrind.txt
    else
        echo "valgrind cli$i: FAIL" >>build/valgrind.txt
        echo "    ctview $args"
        cat build/valgrind-cli$i.log
        status=1
    fi
done
rm -rf "$vtmp"
# static analysis: zero findings, or a justified inline suppression
if cppcheck --quiet --enable=warning,performance,portability --inline-suppr --error-exitcode=1 -D_GNU_SOURCE -I. \
    model parsers tui >build/cppcheck.log 2>&1; then
    echo "cppcheck: OK" >>build/valgrind.txt
else
    echo "cppcheck: FAIL" >>build/valgrind.txt
    cat build/cppcheck.log
    status=1
fi
cat build/valgrind.txt
sh tests/fuzz/run.sh "${FUZZ_SECONDS:-60}" | tee build/fuzz.txt
python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json build/valgrind.txt build/fuzz.txt <<'PY'
import json, sys
passed = failed = 0
skips = []  # why each skipped test or block did not run
for path in sys.argv[1:3]:
    build = path.split("/")[0]
    for line in open(path):
        r = json.loads(line)
        said = [l[6:] for l in r.get("stdout", "").splitlines() if l.startswith("SKIP: ")]
        if r.get("result") == "SKIP":
            skips += [f"{build} {r['name']}: {w}" for w in said or ["(no reason given)"]]
            continue
        if r.get("result") in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
        skips += [f"{build} {r['name']}: {w}" for w in said]
for line in open(sys.argv[3]):
    passed += line.rstrip().endswith(": OK")
    failed += line.rstrip().endswith(": FAIL")
fuzz_done = False
for line in open(sys.argv[4]):
    if line.startswith("fuzz_"):
        passed += "no crash" in line
        failed += "CRASHED" in line
    fuzz_done = fuzz_done or (line.startswith("fuzz: ") and " targets, " in line)
if not fuzz_done:  # no clang, or the fuzz build failed: a failure, not silence
    failed += 1
    print("failed: fuzzing did not run (see build/fuzz.txt)")
for why in skips:
    print("skipped:", why)
print(f"{passed} passed, {failed} failed, {len(skips)} skipped")
PY
[ "$(tail -1 build/fuzz.txt | sed -n 's/.* \([0-9]*\) crashed$/\1/p')" = 0 ] || status=1
exit $status
