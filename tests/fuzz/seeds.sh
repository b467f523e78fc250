#!/bin/sh
# Fills the fuzzers' seed folders in tests/.cache/fuzz/seeds: every small input file we have (files/), and
# the filter expressions of the unit tests (filter/). Used by run.sh and long.sh.
cd "$(dirname "$0")/../.."
work=tests/.cache/fuzz
mkdir -p "$work/seeds/files" "$work/seeds/index" "$work/seeds/s3xml" "$work/seeds/filter" "$work/seeds/sigma_rule" "$work/seeds/sigma_cond" "$work/artifacts"
find tests/sample tests/fixtures tests/data/logs -type f -size -64k 2>/dev/null | while read -r f; do
    cp "$f" "$work/seeds/files/$(printf '%s' "$f" | md5sum | cut -c1-16)"
done
# Sigma: the shipped rules and SigmaHQ's (rule reader); their conditions and the unit tests' (condition parser)
for f in rules/*.yml tests/data/sigma/rules/*.yml tests/data/sigma/unsupported/*.yml; do
    [ -f "$f" ] || continue
    cp "$f" "$work/seeds/sigma_rule/$(printf '%s' "$f" | md5sum | cut -c1-16)"
    sed -n 's/^ *condition: *//p' "$f" | while read -r c; do
        printf '%s' "$c" >"$work/seeds/sigma_cond/$(printf '%s' "$c" | md5sum | cut -c1-16)"
    done
done
grep -o '{"[^"]*", [01]}' tests/unit/test_sigma.c | sed 's/^{"\(.*\)", [01]}$/\1/' | while read -r c; do
    printf '%s' "$c" >"$work/seeds/sigma_cond/$(printf '%s' "$c" | md5sum | cut -c1-16)"
done
grep -o '{"[^"]*", [0-9]*, ' tests/unit/test_filter.c | sed 's/^{"\(.*\)", [0-9]*, $/\1/' | while read -r e; do
    printf '%s' "$e" >"$work/seeds/filter/$(printf '%s' "$e" | md5sum | cut -c1-16)"
done
# S3 answers (ListObjectsV2 pages, errors): the shapes S3 documents
cp tests/fuzz/s3xml/*.xml "$work/seeds/s3xml/"
# the regex terms of the unit tests' evaluation table ({"expr", "ids"}), C escapes undone
grep -o '{"[^"]*", "[^"]*"}' tests/unit/test_filter.c | sed 's/^{"\(.*\)", "[^"]*"}$/\1/; s/\\\\/\\/g' | while read -r e; do
    printf '%s' "$e" >"$work/seeds/filter/$(printf '%s' "$e" | md5sum | cut -c1-16)"
done
# saved indexes (model/store/storefile.c) of the sample tree and of a few of its files, written by ctview
for b in build-fuzz/ctview build/ctview; do
    [ -x "$b" ] || continue
    rm -rf "$work/idxcache"
    XDG_CACHE_HOME="$PWD/$work/idxcache" "$b" --stats tests/sample >/dev/null 2>&1
    XDG_CACHE_HOME="$PWD/$work/idxcache" "$b" --stats tests/sample/AWSLogs/444455556666 >/dev/null 2>&1
    XDG_CACHE_HOME="$PWD/$work/idxcache" "$b" --stats tests/sample/pasted >/dev/null 2>&1
    cp "$work"/idxcache/ctview/index/*.idx "$work/seeds/index/" 2>/dev/null
    break
done
