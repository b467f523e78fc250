#!/usr/bin/env python3
"""Deterministic CloudTrail corpus in S3 delivery layout, with its own ground truth.

What it writes under OUT:
  logs/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<id>.json.gz
  logs/AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/..._CloudTrail-Digest_....json.gz
  truth.json   what a correct loader must report on logs/, and the identity chains it must find

Shapes it covers: regional API calls by IAM users and role sessions, global events (IAM, global STS,
sign-in) written by every regional trail of the account, cross-account AssumeRole pairs sharing
eventID and sharedEventID, role chains of one to three hops whose sessions use the issued keys, failed
AssumeRole calls that issue no key, errors, failed ConsoleLogin (errorMessage only), malformed records.

With --identities it also writes every other identity shape, each with its truth (identities.py):
IAM users and root on temporary keys (GetSessionToken, console sessions, with and without the call
loaded), sourceIdentity carried along a role chain, federated users, SAML and web-identity users, AWS
services and service-linked roles, a role owner's record whose caller's record is missing, Identity
Center users (IdentityCenterUser and onBehalfOf), masked sign-ins, sessions whose issuer is missing;
readOnly written as a string and empty errorCode values. truth.json then holds "origins": for every event
("ACCOUNT:EVENTID") its origin {type, arn, account} and the roles assumed along its chain. Without the
option the output is byte for byte what it was before it existed.

Usage: gen_corpus.py --events N --out DIR [--seed S] [--bad K] [--identities]
"""
import argparse
import gzip
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

ACCOUNTS = ["111111111111", "222222222222", "333333333333"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]
USERS = ["alice", "bob", "carol", "dave", "mallory"]
ROLES = ["Admin", "ReadOnly", "Deploy", "Audit"]
REGIONAL_CALLS = [
    ("ec2.amazonaws.com", "DescribeInstances", True), ("ec2.amazonaws.com", "RunInstances", False),
    ("s3.amazonaws.com", "GetObject", True), ("s3.amazonaws.com", "PutObject", False),
    ("lambda.amazonaws.com", "Invoke", False), ("kms.amazonaws.com", "Decrypt", True),
    ("dynamodb.amazonaws.com", "Query", True), ("ssm.amazonaws.com", "GetParameter", True),
    ("logs.amazonaws.com", "PutLogEvents", False), ("cloudtrail.amazonaws.com", "LookupEvents", True),
]
GLOBAL_CALLS = [("iam.amazonaws.com", "ListUsers", True), ("iam.amazonaws.com", "CreateAccessKey", False),
                ("iam.amazonaws.com", "GetRole", True), ("sts.amazonaws.com", "GetCallerIdentity", True)]
AGENTS = ["aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off command/ec2.describe-instances",
          "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
          "terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64"]


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import identities  # noqa: E402  (beside this file)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.n = 0

    def hexid(self, k):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(k))

    def uuid(self):
        h = self.hexid(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def key(self, prefix):
        return prefix + "".join(self.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))

    def ip(self):
        return f"{self.r.choice([198, 203, 192])}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def user_identity(account, user, key):
    return {"type": "IAMUser", "principalId": "AIDA" + account[:4] + user.upper().ljust(12, "X")[:12],
            "arn": f"arn:aws:iam::{account}:user/{user}", "accountId": account, "accessKeyId": key, "userName": user}


def session_identity(account, role, session, key, created):
    return {"type": "AssumedRole", "principalId": f"AROA{account[:4]}{role.upper().ljust(12, 'X')[:12]}:{session}",
            "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}", "accountId": account, "accessKeyId": key,
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": f"AROA{account[:4]}{role.upper()}",
                                                 "arn": f"arn:aws:iam::{account}:role/{role}", "accountId": account,
                                                 "userName": role},
                               "webIdFederationData": {},
                               "attributes": {"creationDate": iso(created), "mfaAuthenticated": "false"}}}


def base_event(g, t, source, name, region, ident, ip, recipient, read_only):
    return {"eventVersion": "1.09", "userIdentity": ident, "eventTime": iso(t), "eventSource": source,
            "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": g.r.choice(AGENTS),
            "requestParameters": {"maxResults": g.r.randint(1, 1000), "filterSet": {"items": [{"name": "tag:team", "valueSet": {"items": [{"value": g.r.choice(USERS)}]}}]}},
            "responseElements": None, "requestID": g.uuid(), "eventID": g.uuid(), "readOnly": read_only,
            "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": recipient,
            "eventCategory": "Management",
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com"}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=5000, help="approximate number of unique events")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--bad", type=int, default=3, help="malformed records to inject")
    ap.add_argument("--per-file", type=int, default=100, help="events per log file (before duplication)")
    ap.add_argument("--days", type=int, default=0, help="days the events span (default: ~20k events a day)")
    ap.add_argument("--identities", action="store_true", help="every identity shape, and every event's origin")
    a = ap.parse_args()
    g = Gen(a.seed)
    start = datetime(2024, 3, 1, tzinfo=timezone.utc)
    span = a.days or max(1, a.events // 20000 + 1)  # days; ~20k events a day
    step = timedelta(days=span) / max(1, a.events)

    # what each trail (account, region) receives: list of (time, json text)
    trails = {(acct, reg): [] for acct in ACCOUNTS for reg in REGIONS}
    truth = {"unique_events": 0, "records": 0, "duplicates": 0, "bad_records": 0, "chains": [],
             "failed_assume_role": 0, "global_events": 0, "login_failures": 0, "errors": 0}
    user_keys = {(acct, u): g.key("AKIA") for acct in ACCOUNTS for u in USERS}
    sessions = []  # live sessions: (account, role, session name, key, created, chain id)
    t = start

    origins = {}  # with --identities: "ACCOUNT:EVENTID" -> origin and roles
    chain_info = {}  # id(chain dict) -> (origin type, arn, account, roles along the chain)

    def emit(ev, global_, origin=None):
        if a.identities:
            typ, arn, acct, roles = origin[:4]
            o = {"type": typ, "arn": arn, "account": acct, "roles": sorted(set(roles))}
            o.update(origin[4] if len(origin) > 4 else {})  # an Identity Center user's name and store
            origins[ev["recipientAccountId"] + ":" + ev["eventID"]] = o
        text = json.dumps(ev, separators=(",", ":"))
        truth["unique_events"] += 1
        acct = ev["recipientAccountId"]
        if global_:
            truth["global_events"] += 1
            for reg in REGIONS:
                trails.setdefault((acct, reg), []).append((ev["eventTime"], text, ev["eventID"] + acct, len(REGIONS)))
            truth["records"] += len(REGIONS)
            truth["duplicates"] += len(REGIONS) - 1
        else:
            trails.setdefault((acct, ev["awsRegion"]), []).append((ev["eventTime"], text, ev["eventID"] + acct, 1))
            truth["records"] += 1

    while truth["unique_events"] < a.events:
        t += step
        if a.identities and g.r.random() < 0.08:
            identities.scenario(g, t, emit, user_keys)
            continue
        kind = g.r.random()
        if kind < 0.04:
            # AssumeRole by a user or by a live session (role chaining), possibly cross-account
            if sessions and g.r.random() < 0.4:
                sacct, srole, sname, skey, screated, chain = g.r.choice(sessions)
                caller = session_identity(sacct, srole, sname, skey, screated)
                hop = chain["hops"] + 1
                chain["session_events"] += 1  # the session's own AssumeRole is made with its key
            else:
                sacct = g.r.choice(ACCOUNTS)
                user = g.r.choice(USERS)
                caller = user_identity(sacct, user, user_keys[(sacct, user)])
                chain = {"origin_arn": caller["arn"], "hops": 0, "issuer_event_ids": [], "session_keys": []}
                chain_info[id(chain)] = ("IAMUser", caller["arn"], sacct, [])
                hop = 1
            tacct = g.r.choice(ACCOUNTS)
            role = g.r.choice(ROLES)
            session = f"s{g.hexid(8)}"
            ev = base_event(g, t, "sts.amazonaws.com", "AssumeRole", "us-east-1", caller, g.ip(), sacct, True)
            ev["requestParameters"] = {"roleArn": f"arn:aws:iam::{tacct}:role/{role}", "roleSessionName": session,
                                       "durationSeconds": 3600}
            ev["resources"] = [{"accountId": tacct, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{tacct}:role/{role}"}]
            ev["tlsDetails"]["clientProvidedHostHeader"] = "sts.amazonaws.com"
            if g.r.random() < 0.1:
                ev["errorCode"] = "AccessDenied"
                ev["errorMessage"] = f"User: {caller['arn']} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{tacct}:role/{role}"
                truth["failed_assume_role"] += 1
                truth["errors"] += 1
                emit(ev, True, chain_info[id(chain)])
                continue
            key = g.key("ASIA")
            ev["responseElements"] = {"credentials": {"accessKeyId": key, "sessionToken": "IQoJb3JpZ2luX2VjE" + g.hexid(64),
                                                      "expiration": iso(t + timedelta(hours=1))},
                                      "assumedRoleUser": {"assumedRoleId": f"AROA{tacct[:4]}{role.upper()}:{session}",
                                                          "arn": f"arn:aws:sts::{tacct}:assumed-role/{role}/{session}"}}
            ev["sharedEventID"] = g.uuid() if tacct != sacct else None
            if ev["sharedEventID"] is None:
                del ev["sharedEventID"]
            typ, oarn, oacct, roles = chain_info[id(chain)]
            assumed = (typ, oarn, oacct, roles + [ev["requestParameters"]["roleArn"]])
            emit(ev, True, assumed)
            if tacct != sacct:
                # the role owner's record of the same call: same eventID and sharedEventID
                owner = dict(ev)
                owner["userIdentity"] = {"type": "AWSAccount", "principalId": caller["principalId"], "accountId": sacct}
                owner["recipientAccountId"] = tacct
                emit(owner, True, assumed)
            new_chain = {"origin_arn": chain["origin_arn"], "hops": hop,
                         "issuer_event_ids": chain["issuer_event_ids"] + [ev["eventID"]],
                         "session_keys": chain["session_keys"] + [key], "session_events": 0}
            truth["chains"].append(new_chain)
            chain_info[id(new_chain)] = assumed
            sessions.append((tacct, role, session, key, t, new_chain))
            if len(sessions) > 50:
                sessions.pop(0)
            continue
        if kind < 0.08:
            acct = g.r.choice(ACCOUNTS)
            user = g.r.choice(USERS)
            ident = {"type": "IAMUser", "principalId": "AIDA" + user.upper(), "arn": f"arn:aws:iam::{acct}:user/{user}",
                     "accountId": acct, "userName": user}
            ev = base_event(g, t, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", ident, g.ip(), acct, False)
            ev["eventType"] = "AwsConsoleSignin"
            ev["requestParameters"] = None
            ev["additionalEventData"] = {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "No"}
            if g.r.random() < 0.3:
                ev["errorMessage"] = "Failed authentication"
                ev["responseElements"] = {"ConsoleLogin": "Failure"}
                truth["login_failures"] += 1
            else:
                ev["responseElements"] = {"ConsoleLogin": "Success"}
            emit(ev, True, ("IAMUser", ident["arn"], acct, []))
            continue
        # an ordinary call, by a user or by a live session
        if sessions and g.r.random() < 0.5:
            acct, role, sname, key, created, chain = g.r.choice(sessions)
            ident = session_identity(acct, role, sname, key, created)
            chain["session_events"] += 1
            origin = chain_info[id(chain)]
        else:
            acct = g.r.choice(ACCOUNTS)
            user = g.r.choice(USERS)
            ident = user_identity(acct, user, user_keys[(acct, user)])
            origin = ("IAMUser", ident["arn"], acct, [])
        global_ = g.r.random() < 0.15
        source, name, ro = g.r.choice(GLOBAL_CALLS if global_ else REGIONAL_CALLS)
        region = "us-east-1" if global_ else g.r.choice(REGIONS)
        ev = base_event(g, t, source, name, region, ident, g.ip(), acct, ro)
        if g.r.random() < 0.05:
            ev["errorCode"] = "AccessDenied"
            ev["errorMessage"] = "User is not authorized to perform this operation"
            truth["errors"] += 1
        emit(ev, global_, origin)

    # Malformed records: a missing comma, as in the seed document, in the first files written.
    bad_left = a.bad
    bad_copies = {}  # event key -> (copies written, copies made malformed)
    files = digests = 0
    for (acct, reg), recs in sorted(trails.items()):
        recs.sort(key=lambda x: x[0])
        for i in range(0, len(recs), a.per_file):
            chunk = [r[1] for r in recs[i:i + a.per_file]]
            if bad_left and chunk:
                chunk[0] = chunk[0].replace('","eventSource"', '" "eventSource"', 1)
                bad_left -= 1
                truth["bad_records"] += 1
                _, _, ekey, copies = recs[i]
                c, b = bad_copies.get(ekey, (copies, 0))
                bad_copies[ekey] = (c, b + 1)
            # named, like CloudTrail's, by when it is delivered: a few minutes after its last event
            last = recs[min(i + a.per_file, len(recs)) - 1][0]
            stamp_t = datetime.strptime(last, "%Y-%m-%dT%H:%M:%SZ") + timedelta(minutes=5)
            stamp = stamp_t.strftime("%Y%m%dT%H%MZ")
            d = os.path.join(a.out, "logs", "AWSLogs", acct, "CloudTrail", reg, stamp_t.strftime("%Y/%m/%d"))
            os.makedirs(d, exist_ok=True)
            name = f"{acct}_CloudTrail_{reg}_{stamp}_{g.hexid(16)}.json.gz"
            body = ('{"Records":[' + ",".join(chunk) + "]}").encode()
            with open(os.path.join(d, name), "wb") as f:
                with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="", compresslevel=6) as z:
                    z.write(body)
            files += 1
            if i % (a.per_file * 24) == 0:
                dd = os.path.join(a.out, "logs", "AWSLogs", acct, "CloudTrail-Digest", reg, stamp_t.strftime("%Y/%m/%d"))
                os.makedirs(dd, exist_ok=True)
                digest = {"awsAccountId": acct, "digestStartTime": recs[i][0], "digestEndTime": recs[i][0],
                          "digestSignatureAlgorithm": "SHA256withRSA", "logFiles": []}
                with gzip.open(os.path.join(dd, f"{acct}_CloudTrail-Digest_{reg}_trail_{reg}_{stamp}00Z.json.gz"), "wb") as z:
                    z.write(json.dumps(digest).encode())
                digests += 1

    # A malformed copy of a global event costs a duplicate while another copy loads; an event whose
    # every copy is malformed is lost. The counts below are what a correct loader must report.
    events, duplicates = truth["unique_events"], truth["duplicates"]
    for copies, bad in bad_copies.values():
        if bad >= copies:
            events -= 1
            duplicates -= copies - 1
        else:
            duplicates -= bad
    truth["files"] = files
    truth["skipped_files"] = digests
    truth["expected_stats"] = {
        "files": files, "skipped_files": digests, "records": truth["records"], "events": events,
        "duplicates": duplicates, "bad_records": truth["bad_records"], "skipped_records": 0,
    }
    if a.identities:
        truth["origins"] = origins
    with open(os.path.join(a.out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)


if __name__ == "__main__":
    main()
