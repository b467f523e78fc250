#!/bin/sh
# Per-file cost of a folder of many small files (an organization trail's shape): reading a file the walk
# found costs open, read and close, no other system call (no fstat, fcntl, pread or poll per file), and
# the files are handed to the reading threads in runs, not one wake-up each. Counted with strace; skipped
# (77) where strace cannot trace. Usage: test_perfile.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
command -v strace >/dev/null 2>&1 || { echo "SKIP: no strace"; exit 77; }
strace -f -qq -o /dev/null true 2>/dev/null || { echo "SKIP: strace cannot trace here"; exit 77; }
# LeakSanitizer cannot run under ptrace (a sanitizer build): the leak check is the other tests' job
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }

# 300 small gzip log files, each its own event, under the S3 layout
one=$(find "$tests/sample" -name '*.json.gz' | sort | head -n 1)
[ -n "$one" ] || { echo "FAIL: no sample .json.gz"; exit 1; }
n=300
dir=$tmp/logs/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01
mkdir -p "$dir"
i=0
while [ $i -lt $n ]; do
    i=$((i + 1))
    printf '{"Records":[{"eventVersion":"1.08","eventTime":"2024-03-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","eventID":"e-%d","recipientAccountId":"111122223333"}]}' "$i" |
        gzip -c >"$dir/111122223333_CloudTrail_us-east-1_20240301T0000Z_$i.json.gz"
done
strace -f -qq -e trace=newfstatat,fstat,fcntl,pread64,poll,futex -o "$tmp/trace" "$ctview" --stats --json "$tmp/logs" >"$tmp/out" || fail "ctview --stats exited non-zero"
grep -q "\"events\": $n," "$tmp/out" || fail "all $n events loaded: $(cat "$tmp/out")"
# fstat of an open descriptor (glibc's is newfstatat(fd, "", ..., AT_EMPTY_PATH)); the walk's stat by name is
# the one per file the list needs (size, time, type); the rest (the libraries loaded, each folder opened) is
# a few dozen whatever the count of files
extra=$(grep -cE '(newfstatat\([0-9]+, ""|fstat\(|fcntl\(|pread64\(|poll\()' "$tmp/trace")
[ "$extra" -lt $((n / 3)) ] || fail "fstat/fcntl/pread/poll calls for $n files: $extra (expected none per file)"
futex=$(grep -c 'futex(' "$tmp/trace")
[ "$futex" -lt "$n" ] || fail "futex calls for $n files: $futex (expected fewer than one a file)"
[ "$fails" -eq 0 ] && echo "ok: $extra fstat/fcntl/pread/poll and $futex futex calls for $n files"
exit "$fails"
