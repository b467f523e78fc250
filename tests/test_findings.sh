#!/bin/sh
# --findings and --rules on the command line: output formats, refusals, -f, the shipped rules found beside
# the binary, and every stratus-red-team technique the shipped rules claim flagged by the rule that claims it.
# Usage: test_findings.sh CTVIEW TESTS_DIR [SHARED_DIR]
ctview=$1
tests=$2
shared=${3:-$tests/data}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # description, then the command's status must be 0
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}

stratus=$shared/logs/stratus-red-team
sigmahq=$shared/sigma/rules
unsupported=$shared/sigma/unsupported

# a small tree of rules: one good, one broken YAML, one aggregation, one for another log source
mkdir -p "$tmp/rules/sub"
cat >"$tmp/rules/good.yml" <<'EOF'
title: Trail stopped
id: t-1
level: high
author: tests
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventName: StopLogging
    condition: selection
EOF
printf 'title: [broken\n  level: : :\n' >"$tmp/rules/sub/broken.yml"
cat >"$tmp/rules/sub/count.yaml" <<'EOF'
title: Many calls
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventName: GetObject
    condition: selection | count() by userIdentity.arn > 10
EOF
cat >"$tmp/rules/sub/windows.yml" <<'EOF'
title: Not ours
logsource:
    product: windows
detection:
    selection:
        EventID: 1
    condition: selection
EOF
echo 'not a rule, not read' >"$tmp/rules/notes.txt"

if [ -d "$stratus" ]; then
    "$ctview" --findings --json --rules "$tmp/rules" "$stratus" >"$tmp/out.json" 2>"$tmp/err"
    check "--findings --json exits 0" $?
    python3 - "$tmp/out.json" "$tmp/rules" <<'EOF'
import json, sys
out = json.load(open(sys.argv[1]))
rules = sys.argv[2]
assert list(out) == ["rules_loaded", "rules_refused", "findings"], list(out)
assert out["rules_loaded"] == 1, out["rules_loaded"]
refused = {r["file"]: r for r in out["rules_refused"]}
assert sorted(refused) == [rules + "/sub/broken.yml", rules + "/sub/count.yaml"], sorted(refused)
assert "YAML" in refused[rules + "/sub/broken.yml"]["reason"]
assert refused[rules + "/sub/count.yaml"]["line"] == 8, refused
assert "aggregation" in refused[rules + "/sub/count.yaml"]["reason"]
assert len(out["findings"]) == 1
f = out["findings"][0]
assert list(f) == ["id", "title", "level", "events", "failed"] and f["id"] == "t-1" and f["level"] == "high"
assert f["events"] == ["143434273843:10163ed2-2253-469d-a5ee-cbc6651f8934"], f["events"]
assert f["failed"] == [], f["failed"]
EOF
    check "--findings --json: the exact object, refusals with file and line" $?
    # the exact bytes of one object
    "$ctview" --findings --json --rules "$tmp/rules/good.yml" "$stratus/aws.defense-evasion.cloudtrail-stop.json" \
        >"$tmp/one.json"
    printf '%s\n' '{"rules_loaded":1,"rules_refused":[],"findings":[{"id":"t-1","title":"Trail stopped","level":"high","events":["143434273843:10163ed2-2253-469d-a5ee-cbc6651f8934"],"failed":[]}]}' |
        cmp -s - "$tmp/one.json"
    check "--findings --json prints the object byte for byte" $?
    "$ctview" --findings --rules "$tmp/rules" "$stratus" >"$tmp/out.txt" 2>"$tmp/err"
    check "--findings exits 0" $?
    printf 'high\t1\tTrail stopped\n' | cmp -s - "$tmp/out.txt"
    check "--findings prints LEVEL<TAB>COUNT<TAB>TITLE" $?
    grep -q "^ctview: rule refused: $tmp/rules/sub/count.yaml:8: condition: aggregations" "$tmp/err"
    check "--findings names refused rules on stderr with file and line" $?
    grep -q "1 rule for other log sources ignored" "$tmp/err"
    check "--findings counts rules for other log sources" $?
    # -f applies: only the shown events are counted
    "$ctview" --findings --rules "$tmp/rules" -f "acct:000000000000" "$stratus" >"$tmp/none.txt" 2>/dev/null
    test ! -s "$tmp/none.txt"
    check "--findings -f: a filter that hides the event hides the finding" $?
    # rule:/REGEX/ tries the rules' ids and titles as rule:GLOB does
    "$ctview" --list --rules "$tmp/rules" -f 'rule:/^trail\s+stop/' "$stratus" | cut -f9 >"$tmp/re.txt"
    "$ctview" --list --rules "$tmp/rules" -f 'rule:/^t-[0-9]$/ -rule:/^nothing$/' "$stratus" | cut -f9 >>"$tmp/re.txt"
    printf '10163ed2-2253-469d-a5ee-cbc6651f8934\n10163ed2-2253-469d-a5ee-cbc6651f8934\n' | cmp -s - "$tmp/re.txt"
    check "rule:/REGEX/ selects by a rule's title or id" $?
    # a denied call is an attempt: listed under "failed" (a subset of "events", same order), and counted
    # after the title in the text
    leave=$stratus/aws.defense-evasion.organizations-leave.json
    "$ctview" --findings --json "$leave" >"$tmp/leave.json"
    python3 - "$tmp/leave.json" <<'EOF'
import json, sys
out = json.load(open(sys.argv[1]))
key = "307578594326:16903cbd-fdff-4818-82f2-d66ad09aaf57"
f = [f for f in out["findings"] if f["title"] == "Account left its organization"]
assert len(f) == 1 and f[0]["events"] == [key] and f[0]["failed"] == [key], out
assert len(out["findings"]) == 1, [f["title"] for f in out["findings"]]  # no rule about a success fires
EOF
    check "--findings --json: the denied LeaveOrganization is listed under failed, and no other rule fires" $?
    "$ctview" --findings "$leave" >"$tmp/leave.txt"
    printf 'critical\t1\tAccount left its organization (1 failed)\n' | cmp -s - "$tmp/leave.txt"
    check "--findings: LEVEL<TAB>COUNT<TAB>TITLE (N failed) when some calls failed" $?
    "$ctview" --findings --json "$stratus" >"$tmp/all.json"
    python3 - "$tmp/all.json" <<'EOF'
import json, sys
out = json.load(open(sys.argv[1]))
some = 0
for f in out["findings"]:
    it = iter(f["events"])
    assert all(k in it for k in f["failed"]), f  # a subset, in the same order
    some += len(f["failed"])
assert some > 0, "no attempt among the detonations"
EOF
    check "--findings --json: each finding's failed is an ordered subset of its events" $?
    "$ctview" --list -f 'rule:* outcome:failed' "$stratus" | cut -f5 | sort -u >"$tmp/attempts.txt"
    printf 'DescribeInstanceAttribute\nGetPasswordData\nLeaveOrganization\nRunInstances\n' | cmp -s - "$tmp/attempts.txt"
    check "outcome:failed with rule:* lists the detonations' attempts" $?
    # the shipped rules, found beside the binary
    "$ctview" --findings "$stratus" >"$tmp/shipped.txt" 2>"$tmp/err"
    test "$(wc -l <"$tmp/shipped.txt")" -ge 20 && ! grep -q refused "$tmp/err"
    check "--findings without --rules uses the shipped rules, all loaded" $?
    # each technique and the shipped rule that claims it
    while IFS='|' read -r technique title; do
        "$ctview" --findings "$stratus/$technique.json" 2>/dev/null | cut -f3 | sed 's/ ([0-9]* failed)$//' |
            grep -qxF "$title"
        check "shipped rules flag $technique ($title)" $?
    done <<'EOF'
aws.credential-access.ec2-get-password-data|EC2 Windows password data requested
aws.credential-access.ec2-steal-instance-credentials|Instance role credentials used from outside AWS
aws.credential-access.secretsmanager-batch-retrieve-secrets|Secrets Manager secret values read
aws.credential-access.secretsmanager-retrieve-secrets|Secrets Manager secret values read
aws.credential-access.ssm-retrieve-securestring-parameters|SSM SecureString parameters read decrypted
aws.defense-evasion.cloudtrail-delete|CloudTrail trail stopped, deleted or its logging changed
aws.defense-evasion.cloudtrail-event-selectors|CloudTrail trail stopped, deleted or its logging changed
aws.defense-evasion.cloudtrail-stop|CloudTrail trail stopped, deleted or its logging changed
aws.defense-evasion.dns-delete-logs|VPC flow logs or DNS query logs deleted
aws.defense-evasion.organizations-leave|Account left its organization
aws.defense-evasion.vpc-remove-flow-logs|VPC flow logs or DNS query logs deleted
aws.discovery.ec2-download-user-data|EC2 user data read or changed
aws.execution.ec2-launch-unusual-instances|GPU or other unusual instance types launched or switched to
aws.execution.ec2-user-data|EC2 user data read or changed
aws.execution.ssm-send-command|Command or session started on an instance through SSM
aws.execution.ssm-start-session|Command or session started on an instance through SSM
aws.exfiltration.ec2-security-group-open-port-22-ingress|Security group opened to the internet on a remote access port
aws.exfiltration.ec2-share-ami|Snapshot or machine image shared outside the account
aws.exfiltration.ec2-share-ebs-snapshot|Snapshot or machine image shared outside the account
aws.exfiltration.rds-share-snapshot|Snapshot or machine image shared outside the account
aws.impact.bedrock-invoke-model|Bedrock model access enabled or a model invoked by an IAM user
aws.initial-access.console-login-without-mfa|Console sign-in without MFA
aws.lateral-movement.ec2-instance-connect|SSH key pushed to an instance or its serial console
aws.lateral-movement.ec2-serial-console-send-ssh-public-key|SSH key pushed to an instance or its serial console
aws.persistence.iam-backdoor-role|Role trust policy opened to another account or to everyone
aws.persistence.iam-backdoor-user|Access key created for another IAM user
aws.persistence.iam-create-admin-user|Administrator policy given to a user, group or role
aws.persistence.iam-create-backdoor-role|Role trust policy opened to another account or to everyone
aws.persistence.iam-create-user-login-profile|Console password created or changed for an IAM user
aws.persistence.lambda-backdoor-function|Lambda function opened to everyone, or its code or layers replaced
aws.persistence.lambda-layer-extension|Lambda function opened to everyone, or its code or layers replaced
aws.persistence.lambda-overwrite-code|Lambda function opened to everyone, or its code or layers replaced
aws.persistence.rolesanywhere-create-trust-anchor|IAM Roles Anywhere trust anchor created or changed
aws.persistence.sts-federation-token|Federation token issued to an IAM user
aws.privilege-escalation.iam-update-user-login-profile|Console password created or changed for an IAM user
EOF
else
    echo "SKIP: $stratus not found (stratus checks)"
fi

if [ -d "$sigmahq" ] && [ -d "$unsupported" ]; then
    "$ctview" --findings --json --rules "$sigmahq" --rules "$unsupported" "$tests/sample" >"$tmp/hq.json"
    check "--rules may be repeated" $?
    python3 - "$tmp/hq.json" <<'EOF'
import json, sys
out = json.load(open(sys.argv[1]))
assert out["rules_loaded"] == 57, out["rules_loaded"]
refused = out["rules_refused"]
assert len(refused) == 8 and all("/unsupported/" in r["file"] and r["reason"] and r["line"] > 0 for r in refused), refused
EOF
    check "all 57 SigmaHQ CloudTrail rules load; the 8 unsupported ones are refused with file, line and reason" $?
else
    echo "SKIP: SigmaHQ rules not found under $shared/sigma"
fi

# a missing rules path is one refusal, not a failure of the rest
"$ctview" --findings --json --rules "$tmp/nothere" --rules "$tmp/rules/good.yml" "$tests/sample" >"$tmp/miss.json"
check "--rules with a missing path exits 0" $?
grep -q '"rules_loaded":1,"rules_refused":\[{"file":"'"$tmp"'/nothere","line":0,"reason":"cannot read: No such file or directory"}\]' "$tmp/miss.json"
check "a missing rules path is refused with its reason" $?
"$ctview" --findings --list "$tests/sample" 2>/dev/null
test $? -eq 1
check "--findings and --list cannot be combined (exit 1)" $?

echo "findings: $fails failed"
[ "$fails" -eq 0 ]
