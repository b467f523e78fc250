#!/bin/sh
# Signals and the interface, in tmux: every signal that ends ctview leaves the terminal as it found it
# (alternate screen off, mouse off, cursor on, keypad off, as tmux tracks them); ^C, SIGTERM and SIGHUP
# save the histories; a pager that runs is ended with ctview and its temporary copy removed; q quits
# within half a second while rules load. Usage: signals.sh CTVIEW TESTS_DIR
ctview=$1
tests=$2
base="ctview-sig-$$"
. "$(dirname "$0")/harness.sh"
logs="$tests/data/logs/trailscraper"
# start COMMAND...: a fresh server running the command under sh, its pid in $tmp/pid; when it ends the
# shell prints its status
start() {
    T kill-server 2>/dev/null
    n=$((n + 1))
    sock="$base-$n"
    rm -f "$tmp/pid"
    T -f /dev/null new-session -d -s t -x 120 -y 30 \
        "sh -c 'echo \$\$ >$tmp/pid; exec $*'; echo CTVIEW-EXITED \$?; sleep 600"
    T set-option -t t status off >/dev/null
    T set-option -g default-terminal xterm-256color >/dev/null
}
# the terminal modes tmux tracks for the pane, as curses left them
modes() { T display -p -t t 'alt=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} kpcursor=#{keypad_cursor_flag} mouse=#{mouse_any_flag}'; }
clean_modes='alt=0 cursor=1 keypad=0 kpcursor=0 mouse=0'

for sig in HUP TERM INT QUIT ABRT SEGV; do
    rm -rf "$tmp/state"
    start "$ctview" "$logs"
    wait_for "shown"; ok "$sig: the list is shown" $?
    [ "$(modes)" != "$clean_modes" ]; ok "$sig: curses has set its modes (the check can fail)" $?
    keys / e v e n t N a m e : S i g $sig Enter
    wait_for "eventName:Sig$sig"; ok "$sig: the filter is applied" $?
    kill -"$sig" "$(cat "$tmp/pid")"
    wait_for "CTVIEW-EXITED" 10; ok "$sig: ctview ends" $?
    [ "$(modes)" = "$clean_modes" ]; ok "$sig: the terminal is restored ($(modes))" $?
    case $sig in
    HUP | TERM | INT)
        grep -qx "filter eventName:Sig$sig" "$tmp/state/ctview/state" 2>/dev/null
        ok "$sig: the filter history is saved" $?
        ;;
    esac
done

# A pager that runs when ctview is ended: ended too, its temporary copy removed (graceful and fatal).
cat >"$tmp/pager" <<EOF
#!/bin/sh
echo \$\$ >"$tmp/pager.pid"
echo "\$1" >"$tmp/pager.file"
exec sleep 300
EOF
chmod +x "$tmp/pager"
# (SIGQUIT and ^C belong to the pager while it runs, as with system())
for sig in TERM HUP ABRT; do
    rm -f "$tmp/pager.pid" "$tmp/pager.file"
    start env PAGER="$tmp/pager" TMPDIR="$tmp" "$ctview" "$logs"
    wait_for "shown"; ok "pager $sig: the list is shown" $?
    keys v
    wait_until '[ -s "$tmp/pager.file" ] && [ -s "$tmp/pager.pid" ]' 10; ok "pager $sig: the pager runs" $?
    copy=$(cat "$tmp/pager.file")
    [ -f "$copy" ]; ok "pager $sig: its copy is on disk (the check can fail)" $?
    kill -"$sig" "$(cat "$tmp/pid")"
    wait_for "CTVIEW-EXITED" 10; ok "pager $sig: ctview ends" $?
    wait_until '! kill -0 "$(cat "$tmp/pager.pid")" 2>/dev/null' 5; ok "pager $sig: the pager is ended" $?
    [ ! -e "$copy" ] && [ ! -e "$(dirname "$copy")" ]; ok "pager $sig: its copy is removed" $?
    [ "$(modes)" = "$clean_modes" ]; ok "pager $sig: the terminal is restored ($(modes))" $?
done

# q while the rules load: 12 rule files of 49,000 values each take seconds to read; q quits within half a
# second all the same (the files are read one at a time between keys).
mkdir "$tmp/rules"
python3 - "$tmp/rules" <<'EOF'
import sys
head = "title: t%d\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n    sel:\n        eventName:\n"
body = "".join("            - '*v%d*'\n" % i for i in range(49000)) + "    condition: sel\n"
for k in range(12):
    open('%s/r%02d.yml' % (sys.argv[1], k), 'w').write(head % k + body)
EOF
# quit_ms ID ARGS...: milliseconds from sending q, once the list is shown, to the end of ctview ARGS
quit_ms() {
    T kill-server 2>/dev/null
    sock="$base-q$1" # run in a subshell: its own server name
    shift
    T -f /dev/null new-session -d -s t -x 120 -y 30 \
        "$ctview $*; echo CTVIEW-EXITED \$? at \$(date +%s%N); sleep 600"
    T set-option -t t status off >/dev/null
    wait_for "shown" || { echo -1; return; }
    sent=$(date +%s%N)
    keys q
    wait_for "CTVIEW-EXITED" 30 || { echo -1; return; }
    ended=$(screen | sed -n 's/.*CTVIEW-EXITED [0-9]* at \([0-9]*\).*/\1/p')
    echo $(((${ended:-0} - sent) / 1000000))
}
# a loaded machine delays any key by itself: the same quit without rules is the baseline
base_ms=$(quit_ms 1 "$logs")
ms=$(quit_ms 2 --rules "$tmp/rules" "$logs")
sock="$base-q2"
echo "q while the rules load: quit after $ms ms (without rules: $base_ms ms)"
[ "$ms" -ge 0 ] && { [ "$ms" -lt 500 ] || [ "$ms" -lt $((base_ms + 500)) ]; }
ok "rules loading: q quits within 0.5 s ($ms ms, without rules $base_ms ms)" $?

if [ "$fails" -ne 0 ]; then
    echo "$fails failed, $passes passed"
    exit 1
fi
echo "all $passes passed"
