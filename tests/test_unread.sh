#!/bin/sh
# A path named on the command line that cannot be read: every mode says why on stderr and exits 3, and
# still processes the readable paths. Usage: test_unread.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
sample=$tests/sample
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # description, then the command's status must be 0
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}

missing=$tmp/nonexistent
ln -s "$tmp/nowhere" "$tmp/dangling"
event=777788889999:dEXAMPLE-265a-41e0-9352-4401bEXAMPLE

# mode name | its arguments (word-split on purpose; no spaces in them)
while IFS='|' read -r name args; do
    [ -n "$name" ] || continue
    rm -f "$tmp/out.json"
    # shellcheck disable=SC2086
    "$ctview" $args "$missing" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -ne 0 ]; check "$name on a missing path exits non-zero (got $rc)" $?
    grep -q "^ctview: $missing: not read: No such file or directory\$" "$tmp/err"
    check "$name on a missing path names it with the reason on stderr" $?

    # with a readable path too: exit 3, and the readable one is processed exactly as alone
    rm -f "$tmp/out.json" "$tmp/alone.json"
    # shellcheck disable=SC2086
    "$ctview" $args "$sample" >"$tmp/alone" 2>/dev/null
    [ -f "$tmp/out.json" ] && mv "$tmp/out.json" "$tmp/alone.json"
    # shellcheck disable=SC2086
    "$ctview" $args "$missing" "$sample" "$tmp/dangling" >"$tmp/both" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 3 ]; check "$name with a missing and a readable path exits 3 (got $rc)" $?
    [ "$(grep -c '^ctview: .*: not read: ' "$tmp/err")" -eq 2 ] && grep -q "^ctview: $tmp/dangling: not read: dangling symbolic link\$" "$tmp/err"
    check "$name names each unreadable path once" $?
    if [ -f "$tmp/alone.json" ]; then
        cmp -s "$tmp/alone.json" "$tmp/out.json"; check "$name writes the readable path's events" $?
    else
        # load time, memory and the problem counts differ; the events do not
        strip='s/"(skipped_files|problems|load_seconds|peak_rss_bytes)": [0-9.]+//g'
        grep -v '^problem\|^load seconds\|^peak RSS\|^files skipped' "$tmp/alone" | sed -E "$strip" >"$tmp/a"
        grep -v '^problem\|^load seconds\|^peak RSS\|^files skipped' "$tmp/both" | sed -E "$strip" >"$tmp/b"
        [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; check "$name prints the readable path's results" $?
    fi
done <<MODES
--list|--list
--list --json|--list --json
--stats|--stats
--stats --json|--stats --json
--export|--export $tmp/out.json --force
--export csv|--export $tmp/out.json --force --format csv
--trace|--trace $event
--trace --json|--trace $event --json
--top|--top name
--top --json|--top name --json
--list --columns|--list --columns time,name,requestParameters.roleArn
MODES

# every other failure keeps its own status: a bad filter is 1, even with a missing path
"$ctview" --list -f 'usr:x' "$missing" >/dev/null 2>&1; [ $? -eq 1 ]; check "a bad filter still exits 1" $?
# a readable path alone exits 0; a named directory with an unreadable file inside is a problem, not 3
"$ctview" --list "$sample" >/dev/null 2>"$tmp/err"; [ $? -eq 0 ] && [ ! -s "$tmp/err" ]
check "readable paths exit 0 and print nothing on stderr" $?
mkdir "$tmp/dir" && cp "$sample/pasted/iam-sts-examples.json" "$tmp/dir/" && ln -s "$tmp/nowhere" "$tmp/dir/dangling"
"$ctview" --list "$tmp/dir" >"$tmp/out" 2>"$tmp/err"; [ $? -eq 0 ] && [ -s "$tmp/out" ]
check "an unreadable file inside a named directory does not change the exit status" $?
"$ctview" --stats "$tmp/dir" | grep -q "problem: $tmp/dir/dangling: not read: dangling symbolic link"
check "... and is listed as a problem" $?
# stdin is never an unreadable path
"$ctview" --list - <"$sample/pasted/iam-sts-examples.json" >/dev/null 2>&1; [ $? -eq 0 ]; check "stdin exits 0" $?

echo "unread: $fails failed"
[ "$fails" -eq 0 ]
