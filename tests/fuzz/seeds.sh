#!/bin/sh
# Fills the fuzzers' seed folders in tests/.cache/fuzz/seeds: every small input file we have (files/), and
# the filter expressions of the unit tests (filter/). Used by run.sh and long.sh.
cd "$(dirname "$0")/../.."
work=tests/.cache/fuzz
mkdir -p "$work/seeds/files" "$work/seeds/filter" "$work/artifacts"
find tests/sample tests/fixtures ../shared/data -type f -size -64k 2>/dev/null | while read -r f; do
    cp "$f" "$work/seeds/files/$(printf '%s' "$f" | md5sum | cut -c1-16)"
done
grep -o '{"[^"]*", [0-9]*, ' tests/unit/test_filter.c | sed 's/^{"\(.*\)", [0-9]*, $/\1/' | while read -r e; do
    printf '%s' "$e" >"$work/seeds/filter/$(printf '%s' "$e" | md5sum | cut -c1-16)"
done
