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
