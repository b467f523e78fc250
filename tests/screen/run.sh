#!/bin/sh
# Screen tests: drive the real TUI in tmux with a pinned size and locale, and assert on what is on the
# screen. Usage: run.sh CTVIEW TESTS_DIR. With UPDATE_GOLDEN=1, whole-screen comparisons rewrite their
# expected screens (tests/screen/golden/) instead of comparing.
#
# No check waits a fixed time: each waits for a condition with a generous deadline that only a failure
# waits out (so a busy machine makes the suite slower, not red). A check that something is absent
# first makes the program show that it has handled every key sent before (see settle).
ctview=$1
tests=$2
base="ctview-test-$$"
. "$(dirname "$0")/harness.sh"
# golden NAME: the whole screen is tests/screen/golden/NAME.txt (waits for it; a difference prints a diff)
golden() {
    g="$tests/screen/golden/$1.txt"
    if [ -n "$UPDATE_GOLDEN" ]; then
        sleep 2 # rewriting by hand, not a check: give the screen time
        screen >"$g"
        echo "golden $1: written"
        return
    fi
    if wait_until 'screen | cmp -s - "$g"' 30; then
        ok "whole screen: $1" 0
    else
        echo "FAIL: whole screen: $1 differs from $g:"
        screen | diff -u "$g" - | sed 's/^/    /'
        fails=$((fails + 1))
    fi
}

# --- open, move, status line
start 120 50 "$ctview $tests/sample"
expect "list header" "Time UTC            Account      Region    Service Event                     Identity                Error"
expect "first event in time order" "2014-07-08 17:35:27 111122223333 us-east-2 signin  ConsoleLogin              user/Alice"
expect "status counts" "9/9 shown  #1  11 files  2 problems  1 skipped"
screen | grep "2014-07-08 17:35:27" | grep -qF "Failed authent"; ok "error column shows errorMessage when there is no errorCode" $?
expect "masked user shown as masked" "(masked user)"
keys j j
expect "j moves down" "9/9 shown  #3 "
keys k
expect "k moves up" "9/9 shown  #2 "
keys G
expect "G goes to the end" "9/9 shown  #9 "
keys g
expect "g goes to the top" "9/9 shown  #1 "
keys Down Down Down
expect "arrow keys move" "9/9 shown  #4 "
keys End
expect "End goes to the end" "9/9 shown  #9 "
keys Home
expect "Home goes to the top" "9/9 shown  #1 "

# --- detail pane
keys Down Down Down Down Enter
expect "Enter opens the detail pane" "Event 5/9"
expect "detail shows the JSON" '"roleSessionName": "Bob-EC2-dev",'
# the whole path, or (too long for the header) its tail after the ellipsis: the file name is always there
wait_until 'screen | grep -qE "byte 12 of (…|$tests/sample)/[^ ]*777788889999_CloudTrail_us-east-2_20140718T1510Z_b1b2c3d4e5f60001\.json\.gz"'
ok "detail names the source file" $?
expect "status names the focused pane" "detail  ?:help"
keys Enter
expect "Enter on the opening brace folds the record" "{ … "
keys Enter
expect "Enter again unfolds it" '"eventVersion": "1.05",'
keys Tab
expect "Tab moves focus to the list" "list  ?:help"
keys j
expect "the detail follows the selection" "Event 6/9"
expect "the new event is shown" "HIDDEN_DUE_TO_SECURITY_REASONS"
keys Escape
expect_not "Esc closes the detail pane" "Event 6/9"

# --- problems and help
keys p
expect "p opens the problems view" "2 problems (2 bad records, 0 files), 1 skipped"
expect "a problem has its reason first, then file, byte and record" "record  malformed JSON at byte 1594 (record starts at byte 925)  ($tests/sample/pasted/iam-sts-ex"
expect "a skipped digest is listed" "skipped CloudTrail digest file  ($tests/sample/AWSLogs/111122223333/CloudTrail-Digest/"
keys Escape
expect "Esc returns to the list" "9/9 shown  #6 "
keys '?'
expect "? opens help" "Move down one line"
expect "help lists every key of an action" "Down j"
expect "help lists quit" "Quit"
keys G # the key table is longer than the screen
expect "help summarises the filter language with its fields" "fields: name src user acct region"
keys Escape
expect "Esc closes help" "Time UTC            Account      Region"

# --- resize
T resize-window -t t -x 40 -y 10
expect "40x10 still draws the list" "Time UTC            Event      Identity"
T resize-window -t t -x 39 -y 9
expect "below 40x10 says so" "terminal too small (39x9, need 40x10)"
T resize-window -t t -x 100 -y 24
expect "growing again redraws" "9/9 shown  #6 "
keys Enter
T resize-window -t t -x 60 -y 15
expect "a short terminal shows the focused pane alone" "Event 6/9"

keys q
expect "q quits with status 0" "CTVIEW-EXITED 0"

# --- the default columns are sized to the rows on screen, capped (model/columns' table): a cut cell ends
# with an ellipsis, a region is whole or hidden, an error code is whole at 100 columns and more, and
# narrowing hides Source IP, Service, Region, Account, then Error; resizing redraws at each width
# no_cut_region: no region on screen ends with an ellipsis (they are whole, or the column is hidden)
no_cut_region() { ! screen | grep -Eq '(us|eu|ap)-[a-z0-9-]*…'; }
start 200 14 "$ctview $tests/sample"
expect "200: every column, the source IP in spare width" "Time UTC            Account      Region    Service Event                     Identity                          Source IP            Error"
expect "200: the longest message whole" "192.0.2.101          No username found in supplied account"
expect_not "200: nothing is cut" "…"
T resize-window -t t -x 160 -y 14
expect "160: the source IP goes first" "Time UTC            Account      Region    Service Event                     Identity                          Error"
expect "160: the identity whole" "s3      DeleteBucket              assumed-role/AssumeNothing/devdsk"
T resize-window -t t -x 120 -y 14
expect "120: all but the IP, the identity and the error message share the rest" "Time UTC            Account      Region    Service Event                     Identity                Error"
expect "120: a cut error message ends with an ellipsis" "(masked user)           No username found…"
expect "120: a cut identity ends with an ellipsis" "DeleteBucket              assumed-role/AssumeNot…"
no_cut_region; ok "120: the region is whole" $?
T resize-window -t t -x 100 -y 14
expect "100: seven columns, the event name cut before any is hidden" "Time UTC            Account      Region    Service Event              Identity         Error"
expect "100: a cut event name ends with an ellipsis" "sts     AssumeRoleWithWeb… <id of user>"
expect "100: the region is whole" "777788889999 us-east-2 s3      DeleteBucket"
T resize-window -t t -x 80 -y 14
expect "80: Service, then Region go" "Time UTC            Account      Event            Identity         Error"
expect "80: the account stays" "2016-11-14 17:25:45 777788889999 DeleteBucket     assumed-role/As…"
T resize-window -t t -x 60 -y 14
expect "60: then Account, then Error" "Time UTC            Event                  Identity"
wait_gone " Error"
ok "60: Error is gone" $?
T resize-window -t t -x 40 -y 14
expect "40: the event and identity shrink, cut with an ellipsis" "2016-11-14 17:25:45 DeleteBuc… assumed…"
T resize-window -t t -x 200 -y 14
expect "back to 200: every column again" "Time UTC            Account      Region    Service Event                     Identity                          Source IP            Error"
expect_not "back to 200: nothing is cut" "…"
keys q
expect "resizing through every width exits cleanly" "CTVIEW-EXITED 0"
# long regions, services and error codes: whole at 100 columns, or hidden; the code cut only below
cat >"$tmp/codes.json" <<'JSON'
{"Records":[
{"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","eventSource":"organizations.amazonaws.com","eventName":"DescribeOrganization","awsRegion":"ap-southeast-2","sourceIPAddress":"198.51.100.7","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/Carol","accountId":"123456789012","userName":"Carol"},"errorCode":"Client.InvalidPermission.NotFound","errorMessage":"x","eventID":"e1","recipientAccountId":"123456789012"},
{"eventVersion":"1.08","eventTime":"2024-03-01T10:00:01Z","eventSource":"s3.amazonaws.com","eventName":"GetBucketEncryption","awsRegion":"us-isof-south-1","sourceIPAddress":"config.amazonaws.com","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForConfig/AWSConfig-Describe","accountId":"123456789012"},"errorCode":"ServerSideEncryptionConfigurationNotFoundError","errorMessage":"The server side encryption configuration was not found","eventID":"e2","recipientAccountId":"123456789012"},
{"eventVersion":"1.08","eventTime":"2024-03-01T10:00:02Z","eventSource":"elasticloadbalancing.amazonaws.com","eventName":"DescribeLoadBalancers","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.8","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/Dan","accountId":"123456789012","userName":"Dan"},"eventID":"e3","recipientAccountId":"123456789012"}
]}
JSON
start 200 12 "$ctview $tmp/codes.json"
expect "200: the longest region, a long service and long error codes whole" "123456789012 us-isof-south-1 s3                   GetBucketEncryption   assumed-role/AWSServiceRoleForConfig/AWSConfig-Describe ServerSideEncryptionConfigurationNotFoundError"
expect "200: ... and the other code" "ap-southeast-2  organizations        DescribeOrganization  user/Carol"
expect_not "200: ... and nothing is cut" "…"
T resize-window -t t -x 100 -y 12
expect "100: Service, Region and Account go so that the codes stay whole" "Time UTC            Event           Identity         Error"
expect "100: the longest S3 error code whole" "ServerSideEncryptionConfigurationNotFoundError"
expect "100: ... and the other" "Client.InvalidPermission.NotFound"
T resize-window -t t -x 80 -y 12
expect "80: below 100 columns a code may be cut, with an ellipsis" "assumed-role/AWSSer… ServerSideEncry…"
keys q
# where the locale is not UTF-8, a cut ends with ~ (as the overview's bars fall back to ASCII)
start 60 14 "env LANG=C LC_ALL=C $ctview $tests/sample"
expect "C locale: a cut cell ends with ~" "2016-11-14 17:25:45 DeleteBucket           assumed-role/As~"
! on_screen "…" # the list is drawn (the check above waited for it), and no key was sent
ok "C locale: no ellipsis" $?
keys q

# --- whole screens against the expected text in tests/screen/golden (TERM, size, LANG, TZ pinned; the
# sample is opened by a relative path so that the paths on the screen do not depend on the checkout)
abs_ctview=$(cd "$(dirname "$ctview")" && pwd)/$(basename "$ctview")
start 100 30 "cd $tests && TERM=xterm-256color $abs_ctview sample"
expect "the sample loads" "9/9 shown  #1 "
golden list
keys '?'
golden help
keys Escape p
golden problems
keys Escape G t
golden trace
keys q

# --- the filter prompt: live re-filtering, Enter keeps, Esc restores, errors, history
start 120 30 "$ctview $tests/sample"
expect "the sample loads" "9/9 shown  #1 "
keys /
expect "/ opens the filter prompt" "filter:"
keys -l "name:AssumeRole"
expect "a term being typed is not applied yet, and the prompt says so" "typing"
keys Space
expect "a blank completes it: the list re-filters as the user types (exact name)" "2/9 shown"
keys BSpace
keys -l "*"
expect "... typing again" "typing"
keys Space
expect "a wildcard widens it live" "4/9 shown"
expect_not "events that do not match leave the list" "ConsoleLogin"
keys Enter
expect "Enter keeps the filter; the status line shows it" "4/9 shown  #1  11 files  2 problems  1 skipped  / name:AssumeRole*"
expect_not "Enter closes the prompt" "filter:"
keys j j /
expect "/ prefills the prompt with the filter in force" "filter: name:AssumeRole*"
keys -l " ("
expect "an unclosed parenthesis is reported at its column" "column 18: unclosed '('"
expect "the previous filter stays in force meanwhile" "4/9 shown"
keys BSpace BSpace
keys -l " usr:bob"
expect "a bad field is named with its term and column under the prompt" "column 18: unknown field 'usr' in 'usr:bob'"
keys Enter
expect "Enter on a bad expression keeps the prompt open" "filter: name:AssumeRole* usr:bob"
keys Escape
expect "Esc restores the previous filter" "4/9 shown  #3  11 files  2 problems  1 skipped  / name:AssumeRole*"
expect_not "Esc closes the prompt" "filter:"
keys / C-u
expect "clearing the prompt shows every event again" "9/9 shown"
keys -l "type:IAMUser -error:*"
keys Enter
expect "negation and field terms combine" "3/9 shown"
keys / C-u Up
expect "Up recalls the newest filter" "filter: type:IAMUser -error:*"
keys Up
expect "Up again recalls the older one" "filter: name:AssumeRole*"
keys Down
expect "Down walks back" "filter: type:IAMUser -error:*"
keys Escape / C-u
keys -l "ip:10.0.0.0/33"
expect "a bad CIDR is reported" "column 1: bad CIDR '10.0.0.0/33'"
keys Escape
expect "Esc after an error restores the list" "3/9 shown"
# the selection stays on the same event when it survives
keys / C-u Enter G
expect "last of the three" "9/9 shown  #9 "
keys k k k
expect "on the Bob AssumeRole" "9/9 shown  #6 "
keys /
keys -l " user:bob"
keys Enter
expect "the selected event survives: it stays selected" "2/9 shown  #2 "

# --- apply as filter from the detail pane, and search
start 200 40 "$ctview $tests/sample"
expect "the sample loads" "9/9 shown  #1 "
keys Enter
expect "detail open" "Event 1/9"
keys j j j j j j j j j j j j j j
keys +
expect "+ keeps events with the value under the cursor, quoted when needed" '/ ua:"Mozilla/5.0 (Windows NT 6.1; WOW64'
expect "three events from that browser" "3/9 shown"
keys k k k k -
expect "- hides events with the value under the cursor" 'rv:24.0) Gecko/20100101 Firefox/24.0" -src:signin.amazonaws.com'
expect "none left" "no event matches the filter"
keys Tab / C-u Enter
expect "cleared" "9/9 shown"
keys s
expect "s opens the search prompt" "search:"
keys -l "AssumeNothing"
keys Enter
expect "Enter jumps to the first match" "9/9 shown  #9 "
keys g n
expect "n finds it again from the top" "9/9 shown  #9 "
keys s C-u
keys -l "Bob"
keys Enter
expect "search for a word" "9/9 shown  #3 "
expect "the status says which match of how many" "1 of 3: Bob"
keys n
expect "n goes to the next match" "9/9 shown  #4 "
expect "... and counts it" "2 of 3: Bob"
keys N N
expect "N goes back, wrapping" "search wrapped: 3 of 3: Bob"

# --- marks and the export dialog
mkdir -p "$tmp/out"
start 140 30 "cd $tmp/out && $abs_ctview $(cd "$tests" && pwd)/sample"
expect "the sample loads" "9/9 shown  #1 "
keys Space
expect "space marks and moves down" "9/9 shown  #2  1 marked"
screen | grep -q "^\*2014-07-08 17:35:27"; ok "a marked row shows a * (not colour alone)" $?
keys Space Space k Space
expect "space again unmarks" "9/9 shown  #4  2 marked"
screen | grep -q "^[^*]2014-07-16 15:49:27"; ok "the unmarked row lost its *" $? # (its gutter may hold a finding's level)
keys U
expect "U clears every mark" "marks cleared"
expect_not "no marks left" "marked"
keys / 
keys -l "src:sts"
keys Enter M
expect "M marks every shown event" "4/9 shown  #1  4 marked"
keys / C-u Enter
expect "marks survive a filter change (the selection stays on its event)" "9/9 shown  #4  4 marked"
keys e
expect "e opens the export dialog for the marked events" "Export the 4 marked events"
expect "a default name in the current directory" "Path    ctview-export-"
expect "records is the default format" "Format  [records]"
keys Tab Right Right
expect "the format changes" "[csv]"
expect "the default name follows the format" ".csv"
keys Tab Space
expect "gzip toggles" "[x] on"
expect "the name follows gzip" ".csv.gz"
keys Tab C-u
keys -l "marked.csv"
keys Enter
expect "Enter writes and says what it wrote" "wrote 4 events to marked.csv (csv, gzip)"
zcat "$tmp/out/marked.csv" 2>/dev/null | grep -c "sts.amazonaws.com" | grep -qx 4; ok "the file holds the 4 marked events" $?
keys e C-u
keys -l "marked.csv"
keys Enter
expect "an existing file asks before overwriting" "marked.csv exists. Overwrite it? (y/n)"
keys n
expect_not "n keeps it" "Overwrite it?"
keys Enter y
expect "y overwrites" "wrote 4 events to marked.csv"
keys U e C-u
keys -l "no/such/dir/x.json"
keys Enter
expect "nothing marked: all shown events are offered" "Export all 9 shown events (nothing is marked)"
expect "a failed export shows the exact error" "cannot create a file in no/such/dir: No such file or directory"
keys Escape
expect_not "Esc closes the dialog" "Export all"

# --- the identity trace pane
start 140 40 "$ctview $tests/sample"
expect "the sample loads" "9/9 shown  #1 "
keys G t
expect "t opens the trace of the selected event" "Trace of event 9/9"
expect "the origin is the IAM user who assumed the role, with doubt" "origin: IAMUser arn:aws:iam::777788889999:user/Bob (account 777788889999)  (uncertain"
expect "the seed's session names another session than the key was issued to: a conflict" "! conflict: the event's own ARN names another session"
expect "the issuing call, indented" "  └ 2014-07-18T15:07:39Z 777788889999 us-east-2 AssumeRole by user/Bob"
expect "the role and the session it started" "role arn:aws:iam::111122223333:role/EC2-dev  session arn:aws:sts::111122223333:assumed-role/EC2-dev/Bob-EC2-dev"
expect "the twin record in the role's account" "twin in account 111122223333: 2014-07-18T15:07:39Z 111122223333 us-east-2 AssumeRole by AWSAccount"
expect "the selected event closes the chain" "▶ 2016-11-14T17:25:45Z 777788889999 us-east-2 DeleteBucket"
expect "the session's events are counted" "session: 2 events with key AKIAQRSTUVWXYZEXAMPLE, newest first"
keys k k k k Enter
expect "Enter on a node selects its event in the list" "9/9 shown  #5 "
expect "the trace follows the selection" "0 hops from the origin"
keys Tab k
expect "moving in the list moves the trace" "Trace of event 4/9"
keys j j j j j Tab T
expect "T filters the list to the whole chain" '/ key:"AKIAQRSTUVWXYZEXAMPLE"'
expect "every session event and both records of the call" "3/9 shown"
keys t
expect_not "t closes the trace" "Trace of event"
start 120 30 "$ctview $tests/sample"
expect "the sample loads" "9/9 shown  #1 "
keys / 
keys -l "name:DeleteBucket"
keys Enter t
expect "trace of a filtered list" "Trace of event 1/1"
keys k k k k Enter
expect "a node hidden by the filter clears it" "the filter hid that event: cleared"
expect "and is selected" "9/9 shown  #5 "
# origin: in the interface: everything Bob caused, through the role, in both accounts
keys /
keys -l "origin:bob"
keys Enter
expect "origin: filters the list to what its origin did" "4/9 shown"
# --- the actors view: one row per origin over the shown events; Enter filters to everything it did
start 160 30 "$ctview $tests/sample"
wait_for "9/9 shown  #1 "
keys a
expect "a opens the actors view over the shown events" "Actors: 8 origins behind 9 shown events"
expect "the origin with the most events first, its chain's accounts counted" "     2         1    1       0  IAMUser          arn:aws:iam::777788889999:user/Bob  "
expect "the seed's contradicted session is Bob's only with doubt: its own row" "arn:aws:iam::777788889999:user/Bob (uncertain)"
expect "a masked sign-in is its own actor, with the one masked label" "IAMUser          (masked user)"
keys Enter
expect "Enter filters the list to everything that origin did" '3/9 shown  #1  11 files  2 problems  1 skipped  / origin:"arn:aws:iam::777788889999:user/Bob"'
expect "and the view recomputes with the filter" "Actors: 2 origins behind 3 shown events"
keys Escape / C-u
keys -l "name:ConsoleLogin"
keys Enter a
expect "the view follows the filter in force" "Actors: 3 origins behind 3 shown events"
keys j j Enter
expect "Enter on another row: everything it did" '1/9 shown  #1  11 files  2 problems  1 skipped  / origin:"arn:aws:iam::111122223333:user/Bob"'

# --- the overview: histogram and summary, counted against an independent reading of a generated corpus
python3 "$tests/gen_corpus.py" --events 3000 --out "$tmp/gc" --bad 0 --per-file 60 --seed 5 >/dev/null
python3 - "$tmp/gc/logs" >"$tmp/gc/expect" <<'PY'
import collections, gzip, json, os, sys
seen = {}
for root, _, files in os.walk(sys.argv[1]):
    if "CloudTrail-Digest" in root:
        continue
    for f in files:
        for ev in json.loads(gzip.open(os.path.join(root, f)).read())["Records"]:
            seen.setdefault((ev["eventID"], ev["recipientAccountId"]), ev)
names = collections.Counter(ev["eventName"] for ev in seen.values())
(top, n), = names.most_common(1)
failed = sum(1 for ev in seen.values() if ev.get("errorCode") or ev.get("errorMessage"))
regions = collections.Counter(ev["awsRegion"] for ev in seen.values())
print(len(seen), top, n, failed, regions["us-east-1"])
PY
read total top topn failed east <"$tmp/gc/expect"
start 140 44 "$ctview $tmp/gc/logs"
expect "the generated corpus loads" "$total/$total shown" 120
keys o
expect "o opens the overview of the shown events" "Overview of $total shown events"
expect "the histogram names its bucket size and span" "Time, one column = 15 min, 2024-03-01T00:00:00Z"
# a section's counts are as wide as its largest (so a value is cut as little as can be)
wait_until 'screen | grep -qE " $topn +[0-9.]+% "'
ok "the top event name is counted as the corpus says" $?
screen | grep -qE " $topn +[0-9.]+% .*$top"; ok "the top event name and its count share a row" $?
screen | grep -q "$(printf '%8d' "$east").*us-east-1"; ok "the region counts agree with the corpus" $?
keys Tab Enter
expect "Enter on a value filters to it" "/ name:\"$top\""
expect "the overview follows the filter" "Overview of $topn shown events"
keys Tab End Enter
expect "Enter on a bucket filters to its time range" "after:2024-03-01T23:"
keys o
expect_not "o closes the overview" "Overview of"

# --- a time range at start: the interface opens with it as the filter in force
start 120 30 "$ctview --since 2014-07-16 --until 2014-07-18 $tests/sample"
expect "--since/--until is the filter in force at start" "3/9 shown  #1  4 files  2 problems  1 skipped  / after:2014-07-16T00:00:00Z before:2014-07-19T00:"

# --- --follow: files dropped into a watched directory join the list
mkdir -p "$tmp/follow"
cp "$tests/fixtures/shapes/shipped.jsonl" "$tmp/follow/a.jsonl"
start 130 30 "$ctview --follow $tmp/follow"
expect "--follow says it is following" "following  list"
expect "the first file's events" "3/3 shown  #1 "
keys j
expect "the selection is on the second event" "3/3 shown  #2 "
cp "$tests/fixtures/shapes/events.jsonl" "$tmp/follow/b.part" && mv "$tmp/follow/b.part" "$tmp/follow/b.jsonl"
expect "a file moved in loads (its DeleteBucket is a duplicate)" "following: 6 new events"
# (the shipped events have no eventTime: they sort last, after the new file's events)
expect "the list grew; the selection stayed on its event, now eighth (no eventTime: last)" "9/9 shown  #8 "
screen | sed -n 9p | grep -q "^ -  .*AssumeRole  *AWSAccount"; ok "the eighth row is that event" $?
mkdir -p "$tmp/follow/2024/03"
cp "$tests/sample/pasted/iam-sts-examples.json" "$tmp/follow/2024/03/c.json"
expect "a new folder is watched and its files load" "3 files"
keys F
expect "F stops following" "stopped following"
expect_not "the status line no longer says following" "following  list"

# the trace pane hears that the store changed: events that arrive earlier move every index, and a
# trace index kept from before would name the wrong issuer (Alice's ConsoleLogin, which takes its place)
mkdir -p "$tmp/follow2"
B=$tests/sample/AWSLogs
cp "$B"/777788889999/CloudTrail/us-east-2/2014/07/18/*.gz "$B"/777788889999/CloudTrail/us-east-2/2016/11/14/*.gz \
    "$B"/111122223333/CloudTrail/us-east-2/2014/07/18/*.gz "$tmp/follow2/"
start 130 30 "$ctview --follow $tmp/follow2"
expect "following Bob's files" "3/3 shown  #1 "
keys G t
expect "the trace of the DeleteBucket names Bob's AssumeRole" "└ 2014-07-18T15:07:39Z 777788889999 us-east-2 AssumeRole by user/Bob"
cp "$B"/111122223333/CloudTrail/us-east-2/2014/07/08/*.gz "$tmp/follow2/early.part"
mv "$tmp/follow2/early.part" "$tmp/follow2/early.json.gz"
expect "an earlier event arrives" "4/4 shown  #4 "
expect "the trace still names Bob's AssumeRole" "└ 2014-07-18T15:07:39Z 777788889999 us-east-2 AssumeRole by user/Bob"

# --- logs on stdin, keys from the terminal
start 100 15 "cat $tests/sample/pasted/iam-sts-examples.json | $ctview -"
expect "stdin: events load" "7/7 shown  #1  1 files  2 problems"
keys j
expect "stdin: keys come from the terminal" "7/7 shown  #2 "
keys q
expect "stdin: q quits" "CTVIEW-EXITED 0"
# a pipe that stays open: the load shows its progress and q does not wait for the end of input
mkfifo "$tmp/pipe"
(cat "$tests/sample/pasted/iam-sts-examples.json"; sleep 30) >"$tmp/pipe" &
writer=$!
base_took=$(quit_base)
start 100 15 "$ctview - <$tmp/pipe"
expect "stdin still open: the load is in progress" "0/1 files"
quits_at_once "stdin still open: q quits within a second"
kill $writer 2>/dev/null

# --- hostile strings: escapes shown, never sent raw to the terminal
printf '%s\n' '{"Records":[{"eventID":"evil-1","eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"\u001b]0;PW\u0007","recipientAccountId":"111122223333","awsRegion":"us-east-1","sourceIPAddress":"\u202e1.2.3.4","errorCode":"\u001b[2J\u009b31m","userIdentity":{"type":"IAMUser","userName":"eve","arn":"arn:aws:iam::111122223333:user/日本語\u200bx"},"userAgent":"\u001b[31mred"}]}' >"$tmp/evil.json"
start 200 20 "$ctview $tmp/evil.json"
T pipe-pane -t t -o "cat >>$tmp/raw"
expect "OSC in a field is shown escaped" '\x1b]0;PW\x07'
expect "CSI and C1 are shown escaped" '\x1b[2J\x9b31m'
expect "a BiDi override is shown escaped" '\u202e1.2.3.4'
expect "wide characters are shown, zero-width escaped" 'user/日本語\u200bx'
keys Enter
expect "the detail shows the JSON escapes as logged" '"eventName": "\u001b]0;PW\u0007",'
keys t
expect "the trace's event line escapes the name" 'us-east-1 \x1b]0;PW\x07 by user/日本語\u200bx'
keys o
expect "the overview escapes the values it counts" '\x1b[2J\x9b31m'
keys o s
keys -l "PW"
keys Enter
expect "a search over hostile text works and the status stays clean" "search wrapped"
keys q
expect "q quits" "CTVIEW-EXITED 0"
touch "$tmp/raw"
! grep -q "$(printf '\033')]0;PW" "$tmp/raw"; ok "no raw OSC reached the terminal" $?
! grep -q "$(printf '\342\200\256')" "$tmp/raw"; ok "no raw BiDi override reached the terminal" $?
! grep -q "$(printf '\302\233')" "$tmp/raw"; ok "no raw C1 CSI reached the terminal" $?

# --- a large tree loads in the background: first screen at once, list filling, keys working, q quits
python3 "$tests/gen_corpus.py" --events 100000 --out "$tmp/big" --seed 11 --bad 0 >/dev/null
big_total=$("$ctview" --stats --json "$tmp/big/logs" | sed -n 's/.*"events": *\([0-9]*\).*/\1/p')
start 120 30 "CTVIEW_THREADS=1 $ctview --no-cache $tmp/big/logs"
expect "the first screen shows the load's progress" "(q quits)"
# the list has events on it while the load still runs
loading_with_events() { s=$(screen) && printf '%s' "$s" | grep -qF "(q quits)" && printf '%s' "$s" | grep -q "^ 2024-"; }
wait_until loading_with_events 120; ok "events are listed while loading" $?
wait_until 'screen | grep -Eq "Loading +[0-9]+%  [0-9]+/[0-9]+ files  [0-9]+ events  [0-9]+ MB/s"' 10
ok "progress: percent, files, events, MB/s" $?
# (a key that moves the selection proves nothing here: the load itself moves it as earlier events come in)
keys '?'
help_while_loading() { s=$(screen) && printf '%s' "$s" | grep -qF "(q quits)" && printf '%s' "$s" | grep -qF "Move down one line"; }
wait_until help_while_loading 60; ok "keys work during the load" $?
keys Escape
expect "the whole tree is in once loaded" "$big_total/$big_total shown" 600
wait_gone "(q quits)" 60; ok "the progress line goes when done" $?
base_took=$(quit_base)
start 120 30 "CTVIEW_THREADS=1 $ctview --no-cache $tmp/big/logs"
expect "the load is under way" "(q quits)"
quits_at_once "q during the load quits within a second"
# the same tree as one large file (an export): q does not wait for the file to be read to the end
find "$tmp/big/logs" -name '*.json.gz' -exec cat {} + >"$tmp/one.json.gz"
base_took=$(quit_base)
start 120 30 "CTVIEW_THREADS=1 $ctview $tmp/one.json.gz"
expect "the large file is loading" "(q quits)"
quits_at_once "q while one large file loads quits within a second"
# the same, read in parts on every core (CTVIEW_BIG_BYTES=1: any file counts as large)
base_took=$(quit_base)
start 120 30 "CTVIEW_THREADS=1 CTVIEW_BIG_BYTES=1 $ctview $tmp/one.json.gz"
expect "the large file is loading in parts" "(q quits)"
quits_at_once "q while one large file loads in parts quits within a second"

# --- chosen columns: the chooser with completion, sizing and ellipsis, sideways scroll, the detail
# pane's add-a-column key, the layout remembered across runs, and back to the default
start 140 24 "$ctview $tests/sample"
expect "the sample loads with the default columns" "Time UTC            Account      Region"
keys C C-u
keys -l "time,name,req"
expect "C opens the chooser" " columns: time,name,req"
# the first Tab offers the short name (the same text as typed: no screen change to wait for), the
# second the most common path seen
keys Tab Tab
expect "Tab twice: the short name, then the paths seen, most common first" " columns: time,name,requestParameters"
expect "the candidates are listed under the line" "requestParameters  requestID  requestParameters.roleArn"
keys C-u
keys -l "time,nme"
keys Enter
expect "a bad name is refused under the line" "unknown field 'nme'"
keys C-u
keys -l "time,name,requestParameters.roleArn,userIdentity.arn,eventID"
keys Enter
expect "the chosen columns are the header" " time                 name                      requestParameters.roleArn"
expect "columns sized to their content, long values cut with an ellipsis" "role/FederatedWebIden…"
expect "a path's value in its column" "arn:aws:iam::111122223333:role/EC2-dev"
keys l
expect "l scrolls sideways by a column, the first (time) staying" "<time                 requestParameters.roleArn"
keys h
expect "h scrolls back" " time                 name"
[ "$(stat -c %a "$XDG_STATE_HOME/ctview/columns")" = 600 ]; ok "the layout file is mode 0600" $?
grep -qx "time,name,requestParameters.roleArn,userIdentity.arn,eventID" "$XDG_STATE_HOME/ctview/columns"
ok "the layout is written as --columns takes it" $?
keys q
start 100 20 "$ctview $tests/sample"
expect "the layout is remembered across runs" " time                 name                      requestParameters.roleArn"
expect "a column that does not fit is cut with an ellipsis, its header too" "requestParameters.roleArn                        us…"
keys Enter j j j j c
expect "c in the detail pane adds the path under the cursor" "column added: userIdentity"
keys Escape
expect "the added column is shown, after the time column" "<time                 userIdentity.principalId"
keys C C-u Enter
expect "an empty line goes back to the default columns" "Time UTC            Account      Region    Service Event"
[ "$(cat "$XDG_STATE_HOME/ctview/columns")" = "" ]; ok "the default layout is remembered too" $?
keys q

# --- the overview's sections take any field or path (f)
start 140 40 "$ctview $tests/sample"
expect "the sample loads" "9/9 shown  #1 "
keys o Tab f C-u
keys -l "requestParameters.roleArn"
expect "f asks for the selected section's field" " field or path for this section: requestParameters.roleArn"
keys Enter
expect "the section counts the path's values" "requestParameters.roleArn (4 different, some events have n"
expect "its values are listed" "arn:aws:iam::444455556666:role/"
keys Enter
expect "Enter on a value filters on the path" '/ requestParameters.roleArn:"arn:aws:iam:: 111122223333:r'
expect "one event has that role" "1/9 shown"
keys f C-u
keys -l "nope"
keys Enter
expect "an unknown field is refused" "unknown field 'nope'"
keys Escape
keys q

# --- NO_COLOR: attributes only
start 100 20 "NO_COLOR=1 $ctview $tests/sample"
expect "the sample loads" "9/9 shown  #1 "
! T capture-pane -p -e -t t | grep -Eq "$(printf '\033')\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;|48;)"
ok "NO_COLOR: no colours, attributes only" $?
T capture-pane -p -e -t t | grep -q "$(printf '\033')\[0;7m"; ok "NO_COLOR: the selection is in reverse video" $?
keys q

echo "screen: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
