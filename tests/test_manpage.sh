#!/bin/sh
# The man page names every option --help lists, in its SYNOPSIS and in OPTIONS, and renders as plain
# ASCII without losing a word (groff drops characters ASCII has not, such as the sort arrows).
# usage: test_manpage.sh CTVIEW MANPAGE
ctview=$1 man=$2
fail=0
opts=$("$ctview" --help | grep -oE -- '(^|[ ,])--[a-z][a-z-]*' | sed 's/^[ ,]*//' | sort -u)
[ -n "$opts" ] || { echo "FAIL: --help lists no option"; exit 1; }
synopsis=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$man" | sed 's/\\-/-/g')
options=$(sed -n '/^\.SH OPTIONS/,/^\.SH FILTERS/p' "$man" | sed 's/\\-/-/g')
for o in $opts; do
    case $o in --help | --version) continue ;; esac
    printf '%s\n' "$synopsis" | grep -q -- "$o\b" || { echo "FAIL: $o is not in the SYNOPSIS"; fail=1; }
    printf '%s\n' "$options" | grep -q -- "$o\b" || { echo "FAIL: $o is not in OPTIONS"; fail=1; }
done
if command -v groff >/dev/null 2>&1; then
    ascii=$(groff -man -Tascii "$man" 2>"${TMPDIR:-/tmp}/manpage-$$.err")
    # a character ASCII has not (a \[uXXXX] escape) is dropped with a warning: use \(ua, \(da or words
    if grep -q "special character" "${TMPDIR:-/tmp}/manpage-$$.err"; then
        echo "FAIL: characters lost in the ASCII rendering:"
        cat "${TMPDIR:-/tmp}/manpage-$$.err"
        fail=1
    fi
    rm -f "${TMPDIR:-/tmp}/manpage-$$.err"
    printf '%s\n' "$ascii" | tr -s ' \n' ' ' | grep -qE "upward triangle(,| .)? ascending" || {
        echo "FAIL: the sort direction is not readable in the ASCII rendering"
        fail=1
    }
fi
[ $fail -eq 0 ] && echo "OK: $(printf '%s\n' "$opts" | wc -l) options in the man page"
exit $fail
