#!/bin/sh
# Screen tests of the Sigma findings in the interface: the findings view (levels as words, in colour and
# with NO_COLOR; done and attempted counts apart), Enter filtering the list to a rule's events, the gutter
# mark in the list (an attempt as 'a'), the rules named in the detail pane (an attempt as one), and rules
# run again on events that arrive while following.
# Usage: findings.sh CTVIEW TESTS_DIR [SHARED_DIR]. Waits for conditions with generous deadlines, never a
# fixed time.
ctview=$1
tests=$2
shared=${3:-$tests/data}
stratus=$shared/logs/stratus-red-team
sock="ctview-findings-$$"
tmp=$(mktemp -d)
fails=0
passes=0
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
command -v tmux >/dev/null || { echo "SKIP: findings screen tests: tmux is not installed"; exit 77; }
[ -d "$stratus" ] || { echo "SKIP: findings screen tests: $stratus not found"; exit 77; }
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

n=0
start() { # WIDTH HEIGHT COMMAND...
    T kill-server 2>/dev/null
    n=$((n + 1))
    sock="ctview-findings-$$-$n"
    w=$1 h=$2
    shift 2
    T -f /dev/null new-session -d -s t -x "$w" -y "$h" "$*; echo CTVIEW-EXITED \$?; sleep 600"
    T set-option -t t status off >/dev/null
}
screen() { T capture-pane -p -t t; }
keys() { T send-keys -t t "$@"; }
now() { date +%s; }
wait_until() { # COMMAND [SECONDS]
    deadline=$(($(now) + ${2:-60}))
    while ! eval "$1"; do
        [ "$(now)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}
on_screen() { screen | grep -qF -- "$1"; }
on_screen_re() { screen | grep -qE -- "$1"; }
ok() { # name, status
    if [ "$2" -eq 0 ]; then
        passes=$((passes + 1))
    else
        fails=$((fails + 1))
        echo "FAIL: $1"
        screen | sed 's/^/    | /'
    fi
}
expect() { wait_text=$2; wait_until 'on_screen "$wait_text"' "${3:-60}"; ok "$1" $?; }
expect_re() { wait_re=$2; wait_until 'on_screen_re "$wait_re"' "${3:-60}"; ok "$1" $?; }

for color in colour mono; do
    if [ $color = mono ]; then env="NO_COLOR=1"; else env="NO_COLOR="; fi
    start 120 30 "env $env $ctview $stratus"
    # the gutter: the initial of the highest level before the time, 'a' when the call failed (an attempt)
    # (the initial of a done finding: the following test below, h for StopLogging)
    expect_re "$color: the list marks a finding on a denied call as an attempt (a)" '^a2024-07-30 21:31:16 .*GetPasswordData'
    keys d
    expect "$color: f opens the findings view" "Findings: 23 of 27 rules matched (0 refused, 0 for other logs)"
    # levels as words, done and attempted counts apart, titles and authors: readable without colour
    # the titles right-aligned over the counts
    expect "$color: the counts' column titles" " level           done  attempted  rule"
    expect "$color: a denied call counts as attempted, not done" " critical           0          1  Account left its organization  by ctview contributors"
    expect_re "$color: ordered by level then title, done counted apart" '^ high +2 +0  Administrator policy given to a user, group or role'
    expect_re "$color: a rule with both" '^ medium +1 +15  EC2 user data read or changed'
    keys Enter
    expect "$color: Enter filters the list to the rule's events" "1/310 shown"
    expect "$color: ... the rule's event" "LeaveOrganization"
    keys Enter
    expect "$color: the detail pane names the rules of a failed call as attempted" "Sigma, attempted (failed: AccessDenied): critical Account left its organization;"
    keys q
    expect "$color: q quits" "CTVIEW-EXITED 0"
done

# a filter on the findings typed before the rules finish applies once they have
start 120 30 "$ctview $stratus"
keys / 'level:>=high' Enter
expect "level:>=high shows the events of high and critical rules" "14/310 shown"
keys q

# following: new events are evaluated as they arrive
mkdir -p "$tmp/logs"
cp "$stratus/aws.credential-access.ec2-get-password-data.json" "$tmp/logs/"
start 120 30 "$ctview --follow $tmp/logs"
expect "following: the first file loads" "34/34 shown"
keys d
expect "following: the rules run on the first file" "Findings: 1 of 27 rules matched"
keys Escape
cp "$stratus/aws.defense-evasion.cloudtrail-stop.json" "$tmp/new.json"
mv "$tmp/new.json" "$tmp/logs/stop.json"
keys G
expect "following: the new events join the list" "35/35 shown"
keys d
expect "following: the rules run again on the events that arrived" "Findings: 2 of 27 rules matched"
keys Escape G
expect_re "following: the new event has its gutter mark" '^h2024-.*StopLogging'
keys Enter
expect "following: the detail pane names the rules of a call that succeeded as done" "Sigma: high CloudTrail trail stopped"
keys q

# --rules in the interface, with a refusal listed in the view
mkdir -p "$tmp/rules"
cp "$tests/../rules/ct_trail_stopped_or_deleted.yml" "$tmp/rules/"
printf 'title: [broken\n' >"$tmp/rules/broken.yml"
start 120 30 "$ctview --rules $tmp/rules $stratus"
keys d
expect "--rules: the interface runs the given rules; the view counts the refused ones" "Findings: 1 of 1 rules matched (1 refused, 0 for other logs)"
expect_re "the findings view lists a refused rule with its file, line and reason" "refused +$tmp/rules/broken.yml:[0-9]+: not valid YAML"
keys q

echo "findings screen: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
