#!/bin/sh
# Screen tests of the background work the loop runs between keys (tui/jobs.c): what waits for the first
# load, and that the user's F overrides --follow. The load is held open with logs on a pipe (stdin) that
# the test closes when it wants the load to end, so no check depends on how fast the machine is. Drives
# the real TUI in tmux like run.sh: every check waits for a condition with a generous deadline, never a
# fixed time; absence is asserted only after the program showed it handled every key sent before.
# Usage: jobs.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-jobs-$$"
sock=$base
n=0
tmp=$(mktemp -d)
fails=0
passes=0
writer=
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
unset NO_COLOR
command -v tmux >/dev/null || { echo "SKIP: screen tests: tmux is not installed"; exit 77; }
T() { tmux -L "$sock" "$@"; }
cleanup() {
    T kill-server 2>/dev/null
    [ -n "$writer" ] && kill "$writer" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

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

# hold_stdin: a pipe whose writer sends one log file and then keeps it open until release_stdin
pasted="$tests/sample/pasted/iam-sts-examples.json"
hold_stdin() {
    rm -f "$tmp/pipe" "$tmp/release"
    mkfifo "$tmp/pipe"
    (
        cat "$pasted"
        while [ ! -e "$tmp/release" ]; do sleep 0.05; done
    ) >"$tmp/pipe" &
    writer=$!
}
release_stdin() {
    touch "$tmp/release"
    wait "$writer" 2>/dev/null
    writer=
}

mkdir -p "$tmp/follow"

# --- --follow: the directories are watched once the first load is done, not before
hold_stdin
start 120 30 "$ctview --no-state --follow $tmp/follow - <$tmp/pipe"
expect "the load waits for the end of stdin" "(q quits)"
expect_not "... and following waits for the load" "following  list"
release_stdin
wait_gone "(q quits)"
ok "the load ends with stdin" $?
expect "then following starts by itself" "following  list"
keys q
expect "q quits" "CTVIEW-EXITED 0"

# --- F during the load: the user's word stands, --follow does not start a second watch at its end
hold_stdin
start 120 30 "$ctview --no-state --follow $tmp/follow - <$tmp/pipe"
expect "the load waits for the end of stdin" "(q quits)"
keys F
expect "F during the load follows at once" "following: new log files load as they arrive"
keys F
expect "F again stops following" "stopped following"
release_stdin
wait_gone "(q quits)"
ok "the load ends with stdin" $?
expect_not "following stays stopped after the load" "following  list"
keys q
expect "q quits" "CTVIEW-EXITED 0"

echo "screen jobs: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
