#!/bin/sh
# Regenerates screenshots/*.png: the real ctview on real data in tmux at a pinned size, captured with
# its colours, rendered to HTML and photographed by headless Chromium.
# Needs: tmux, python3, chromium (apt-get install chromium fonts-dejavu-core).
set -e
cd "$(dirname "$0")/.."
ctview=build/ctview
[ -x "$ctview" ] || sh tests/setup.sh
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
unset NO_COLOR
sock=ctview-shots-$$
tmp=$(mktemp -d)
trap 'tmux -L $sock kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
cols=132
rows=36
n=0

# shot NAME: capture the pane and render it
shot() {
    sleep 0.6
    tmux -L $sock capture-pane -e -p -t s >"$tmp/$1.ansi"
    python3 screenshots/ansi2html.py "ctview $1" <"$tmp/$1.ansi" >"$tmp/$1.html"
    w=$(( $2 * 9 + 16 )); h=$(( $3 * 19 + 16 ))
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --hide-scrollbars \
        --window-size="$w,$h" --screenshot="screenshots/$1.png" "file://$tmp/$1.html" >/dev/null 2>&1
    echo "screenshots/$1.png"
}
# session COLS ROWS COMMAND: a fresh tmux session running ctview
session() {
    tmux -L $sock kill-server 2>/dev/null || true
    n=$((n + 1))
    sock=ctview-shots-$$-$n # a fresh server each time: one still shutting down cannot take a session
    tmux -L $sock -f /dev/null new-session -d -s s -x "$1" -y "$2" "$3; sleep 60"
    tmux -L $sock set-option -g default-terminal xterm-256color >/dev/null
    tmux -L $sock set-option -t s status off >/dev/null
    sleep 1 # loaded
}

session $cols $rows "$ctview tests/sample"
shot list $cols $rows
tmux -L $sock send-keys -t s j j j j Enter
shot detail $cols $rows
tmux -L $sock send-keys -t s p
shot problems $cols $rows
tmux -L $sock send-keys -t s Escape '?'
shot help $cols $rows

session $cols $rows "$ctview ../shared/data/stratus-red-team"
tmux -L $sock send-keys -t s G k k Enter
shot stratus-detail $cols $rows

# the filter prompt, typed live: the list already shows what the expression selects
session $cols $rows "$ctview ../shared/data/stratus-red-team"
tmux -L $sock send-keys -t s / && tmux -L $sock send-keys -t s -l 'src:secretsmanager OR name:GetPasswordData -error:* '
shot filter $cols $rows
tmux -L $sock send-keys -t s Enter Enter
shot filter-detail $cols $rows
tmux -L $sock send-keys -t s / && tmux -L $sock send-keys -t s -l ' (user:christophe OR'
shot filter-error $cols $rows

# the overview of a generated corpus (deterministic: same seed, same screen)
python3 tests/gen_corpus.py --events 2000 --out "$tmp/gc" --bad 0 --per-file 60 --seed 5 >/dev/null
session $cols $rows "$ctview $tmp/gc/logs"
tmux -L $sock send-keys -t s o Tab
shot overview $cols $rows

# the identity trace of the seed's session event
session $cols $rows "$ctview tests/sample"
tmux -L $sock send-keys -t s G t
shot trace $cols $rows

# marks and the export dialog
session $cols $rows "$ctview tests/sample"
tmux -L $sock send-keys -t s j Space j Space Space j j Space e
shot export $cols $rows

# the Sigma findings of the real detonations (the shipped rules), then Enter on the first rule
session $cols $rows "$ctview ../shared/data/stratus-red-team"
tmux -L $sock send-keys -t s d
shot findings $cols $rows
tmux -L $sock send-keys -t s Enter Enter
shot findings-detail $cols $rows

# the actors behind the detonations and the seed's cross-account examples
session $cols $rows "$ctview ../shared/data/stratus-red-team tests/sample"
tmux -L $sock send-keys -t s a
shot actors $cols $rows

# columns chosen by the user: the role each AssumeRole asked for and who asked
session $cols $rows "XDG_STATE_HOME=$tmp/state $ctview ../shared/data tests/sample"
tmux -L $sock send-keys -t s / && tmux -L $sock send-keys -t s -l 'name:AssumeRole*' && tmux -L $sock send-keys -t s Enter
tmux -L $sock send-keys -t s C C-u && tmux -L $sock send-keys -t s -l 'time,name,requestParameters.roleArn,requestParameters.roleSessionName,identity'
tmux -L $sock send-keys -t s Enter
shot columns $cols $rows

# the detonations sorted by identity (:sort), then the order inverted with I: the header marks the column
session $cols $rows "$ctview ../shared/data/stratus-red-team"
tmux -L $sock send-keys -t s : && tmux -L $sock send-keys -t s -l 'sort identity' && tmux -L $sock send-keys -t s Enter I
shot sorted $cols $rows
session 40 10 "$ctview tests/sample"
shot narrow 40 10

# a large tree loading in the background: the list is already usable, the progress line counts
big=tests/.cache/corpus-1000000/logs
threads=""
if [ ! -d "$big" ]; then
    python3 tests/gen_corpus.py --events 100000 --out "$tmp/big" --seed 11 --bad 0 >/dev/null
    big=$tmp/big/logs
    threads="CTVIEW_THREADS=1"
fi
session $cols $rows "$threads $ctview $big"
tmux -L $sock send-keys -t s j j j
shot loading $cols $rows
