# The tmux harness the screen tests share: start a session, capture it, send keys, wait for a condition
# (never a fixed time), count passes and failures. Sourced after ctview, tests and base are set.
sock=$base
n=0
tmp=$(mktemp -d)
fails=0
passes=0
writer=
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
unset NO_COLOR
command -v tmux >/dev/null || { echo "SKIP: screen tests: tmux is not installed"; exit 77; }
T() { tmux -L "$sock" "$@"; }
cleanup() {
    T kill-server 2>/dev/null
    [ -n "$writer" ] && kill "$writer" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# start WIDTH HEIGHT COMMAND...: a fresh server each time (a server still shutting down cannot take the
# new session); the shell prints the program's status and the time it ended
start() {
    T kill-server 2>/dev/null
    n=$((n + 1))
    sock="$base-$n"
    w=$1 h=$2
    shift 2
    T -f /dev/null new-session -d -s t -x "$w" -y "$h" "$*; echo CTVIEW-EXITED \$? at \$(date +%s.%N); sleep 600"
    T set-option -t t status off >/dev/null
    T set-option -g default-terminal xterm-256color >/dev/null
}
screen() { T capture-pane -p -t t; }
keys() { T send-keys -t t "$@"; }
now() { date +%s; }
# wait_until COMMAND [SECONDS]: until COMMAND succeeds (30 s at most by default)
wait_until() {
    deadline=$(($(now) + ${2:-30}))
    while ! eval "$1"; do
        [ "$(now)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
    return 0
}
on_screen() { screen | grep -qF -- "$1"; }
# wait_for TEXT [SECONDS]: until TEXT is on the screen
wait_for() {
    wait_text=$1
    wait_until 'on_screen "$wait_text"' "${2:-30}"
}
# wait_gone TEXT [SECONDS]: until TEXT has left the screen (for what goes by itself, like a progress line)
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
# expect_not NAME TEXT: TEXT is not on the screen once every key sent before was handled
expect_not() {
    if settle; then
        ! on_screen "$2"
        ok "$1" $?
    else
        ok "$1 (the screen did not settle)" 1
    fi
}
# quit_time: seconds from sending q to the shell seeing the program end (it prints the time it ended,
# so slow screen captures do not count), or nothing when it did not end
quit_time() {
    t0=$(date +%s.%N)
    keys q
    wait_for "CTVIEW-EXITED 0 at" || return 1
    t1=$(screen | sed -n 's/.*CTVIEW-EXITED 0 at \([0-9.]*\).*/\1/p' | tail -1)
    python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$t0" "$t1"
}
# quits_at_once NAME: q, then the program must have exited within a second of what quitting an idle
# program took here just before (on a busy machine tmux, the shell and the scheduler add their own
# delay, which is not the program's)
quit_base() { # on a server of its own, beside the session under test
    saved_sock=$sock
    sock="$base-quit"
    T kill-server 2>/dev/null
    T -f /dev/null new-session -d -s t -x 80 -y 24 "$ctview $tests/sample; echo CTVIEW-EXITED \$? at \$(date +%s.%N); sleep 600"
    wait_for "9/9 shown" && quit_time || echo 0
    T kill-server 2>/dev/null
    sock=$saved_sock
}
base_took=0 # set with base_took=$(quit_base) before starting the session that quits_at_once ends
quits_at_once() {
    if took=$(quit_time); then
        python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 1.0 + float(sys.argv[2]) else 1)' "$took" "$base_took"
        r=$?
        [ $r -ne 0 ] && echo "    quit took $took s; an idle program took $base_took s"
        ok "$1" $r
    else
        ok "$1" 1
    fi
}
