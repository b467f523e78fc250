#!/bin/sh
# Screen tests of an investigator's habits (issue 20): time zones, the ':' command line, saved state, the
# config file, keys, search, clipboard, pager and editor, honest counts, following. Drives the real TUI in
# tmux like run.sh (same rules: every check waits for a condition with a generous deadline, never a fixed
# time; absence is asserted only after the program showed it handled every key sent before).
# Usage: habits.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
sample=$tests/sample
base="ctview-habits-$$"
sock=$base
n=0
tmp=$(mktemp -d)
fails=0
passes=0
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
unset NO_COLOR PAGER EDITOR
command -v tmux >/dev/null || { echo "SKIP: screen tests: tmux is not installed"; exit 77; }
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# start WIDTH HEIGHT COMMAND...: a fresh server and session running the command; when it ends the shell
# prints its status
start() {
    T kill-server 2>/dev/null
    n=$((n + 1))
    sock="$base-$n"
    w=$1 h=$2
    shift 2
    T -f /dev/null new-session -d -s t -x "$w" -y "$h" "$*; echo CTVIEW-EXITED \$?; sleep 600"
    T set-option -t t status off >/dev/null
    T set-option -g default-terminal xterm-256color >/dev/null
}
screen() { T capture-pane -p -t t; }
keys() { T send-keys -t t "$@"; }
now() { date +%s; }
wait_until() {
    deadline=$(($(now) + ${2:-30}))
    while ! eval "$1"; do
        [ "$(now)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
    return 0
}
on_screen() { screen | grep -qF -- "$1"; }
wait_for() {
    wait_text=$1
    wait_until 'on_screen "$wait_text"' "${2:-30}"
}
wait_gone() {
    wait_text=$1
    wait_until '! on_screen "$wait_text"' "${2:-30}"
}
ok() {
    if [ "$2" -eq 0 ]; then
        passes=$((passes + 1))
    else
        fails=$((fails + 1))
        echo "FAIL: $1"
        screen | sed 's/^/    | /'
    fi
}
expect() { wait_for "$2" "${3:-30}"; ok "$1" $?; }
# settle: F11/F12 are bound to nothing and the program says so; once the message shows, every key sent
# before has been handled
marker=F12
settle() {
    if [ $marker = F12 ]; then marker=F11; else marker=F12; fi
    keys $marker
    wait_for "$marker: not a key here" && wait_gone "filtering "
}
expect_not() {
    if settle; then
        ! on_screen "$2"
        ok "$1" $?
    else
        ok "$1 (the screen did not settle)" 1
    fi
}
# the line of the screen that holds TEXT
line_of() { screen | grep -F -- "$1" | head -1; }
quit() { keys q; wait_for "CTVIEW-EXITED"; }

# --- time zones: UTC by default and named in the header; --tz; a config file; relative times
start 120 30 "$ctview $sample"
expect "UTC by default, named in the header" "Time UTC            Account"
expect "times in UTC" "2014-07-08 17:35:27 111122223333"
quit
start 120 30 "$ctview --tz Europe/Paris $sample"
expect "--tz names the zone in the header" "Time Europe/Paris   Account"
expect "--tz shows the zone's wall clock (CEST in July)" "2014-07-08 19:35:27 111122223333"
quit
"$ctview" --tz Mars/Olympus "$sample" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "unknown time zone 'Mars/Olympus'" "$tmp/err"; ok "--tz with an unknown zone exits 1 and says why" $?
"$ctview" --tz UTC --list "$sample" >/dev/null 2>&1; [ $? -eq 1 ]; ok "--tz is for the interface" $?
mkdir -p "$XDG_CONFIG_HOME/ctview"
printf '# defaults\ntz = America/New_York\n' >"$XDG_CONFIG_HOME/ctview/config"
start 120 30 "$ctview $sample"
expect "the config file sets the zone (cut to the column)" "Time America/New_Yo Account"
expect "... and the times follow it (EDT)" "2014-07-08 13:35:27 111122223333"
quit
start 120 30 "$ctview --tz UTC $sample"
expect "--tz wins over the config file" "Time UTC            Account"
quit
printf 'time = relative\n' >"$XDG_CONFIG_HOME/ctview/config"
start 120 30 "$ctview $sample"
expect "relative times as an option" "Time (ago)"
expect "... as ages" "12y ago             111122223333"
quit
printf 'tz = UTC\ncolour = red\n' >"$XDG_CONFIG_HOME/ctview/config"
start 120 30 "$ctview $sample"
expect "a bad config entry stops the interface before it opens, naming the file and the line" \
    "ctview: $XDG_CONFIG_HOME/ctview/config:2: unknown key 'colour' (keys: tz, theme, mouse, time)"
expect "... with exit status 1" "CTVIEW-EXITED 1"
rm -f "$XDG_CONFIG_HOME/ctview/config"

echo "screen habits: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
