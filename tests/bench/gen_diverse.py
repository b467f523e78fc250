#!/usr/bin/env python3
"""A diverse CloudTrail corpus in S3 delivery layout, shaped like real logs, for the benchmark.

tests/gen_corpus.py writes a corpus whose ground truth the tests check; its calls repeat a few request
parameters, agents and addresses, so interned strings stay few. Real trails do not: most calls carry
their own bucket keys, instance ids, ARNs with random parts, session names and request ids. This one
does, so the benchmark measures what real logs cost:
  - calls of 30 kinds, most with per-call requestParameters / responseElements / resources values
  - IAM users, role sessions (botocore, instance-profile, federated and SDK session names) that live
    for a while and then expire, AWS services acting for an account
  - thousands of user agents (SDK, CLI, console, tool names and versions), IPv4 and IPv6 addresses
  - per-account/region delivery every 5 minutes; a file's record count drawn from a log-normal
    distribution (median 50, from 1 to 400); windows with no activity deliver no file
  - S3 request ids (16 hex), other services' UUIDs, data and management events, errors

Layout (as the project corpus): OUT/logs/AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz.
No ground truth: OUT/meta.json (written last, so its presence means the corpus is complete) holds the
event count, file count, and values the benchmark queries by (an eventID, an issued session key).

--org: the same events delivered as an organization trail is, many small files:
  - OUT/logs/AWSLogs/o-<org>/<acct>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz
  - one file per account, region and 5-minute window with activity, about 24 files per thousand events,
    records per file skewed (log-normal, median about 50, from 1 to 400)
  - global service events (IAM) happen in any region's stream and are logged in us-east-1; a copy of each
    reaches the same window's file of every region of the account (a file is written for a region that had
    nothing else), as organization trails deliver them; the copies are the same record (same eventID)
  - a digest file per account, region and hour in CloudTrail-Digest/, listing that hour's log files
  meta.json then also holds "records" (copies included), "copies" and "digests"; "events" counts distinct
  events (what a load that removes the copies finds).

Usage: gen_diverse.py --events N --out DIR [--seed S] [--org]
"""
import argparse
import base64
import gzip
import json
import math
import os
import random
from datetime import datetime, timedelta, timezone

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
FIRST = ["alice", "bob", "carol", "dave", "mallory", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mike", "nina", "oscar", "peggy", "quentin", "rupert", "sybil", "trent", "victor", "walter", "yusuf",
         "zoe", "amir", "bea", "chen", "dmitri", "elif", "fatima", "goran", "hana", "igor", "jun", "kofi"]
ROLE_NAMES = ["Admin", "ReadOnly", "Deploy", "Audit", "DataPipeline", "LambdaExec", "EcsTask", "Ci",
              "Terraform", "SecurityScanner", "Billing", "Support", "BackupOperator", "EksNode", "Glue"]
SERVICES_BY = ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "s3.amazonaws.com",
               "cloudformation.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"]
APPS = ["billing", "orders", "search", "auth", "ingest", "reports", "media", "ml", "web", "etl"]
ENVS = ["prod", "staging", "dev", "qa"]
CIPHERS = ["TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_256_GCM_SHA384"]
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class R:
    """Random values, deterministic from the seed."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def hex(self, n):
        return f"{self.r.getrandbits(4 * n):0{n}x}"

    def uuid(self):
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def key(self, prefix):
        return prefix + "".join(self.r.choices(B32, k=16))

    def alnum(self, n):
        return "".join(self.r.choices(ALNUM, k=n))

    def b64(self, n):
        return base64.b64encode(self.r.randbytes(n)).decode()

    def digits(self, n):
        return str(self.r.randrange(10 ** (n - 1), 10 ** n))

    def ipv4(self):
        a = self.r.choice([203, 198, 52, 54, 3, 18, 35, 81, 91, 185, 10, 172])
        return f"{a}.{self.r.randrange(256)}.{self.r.randrange(256)}.{self.r.randrange(1, 255)}"

    def ipv6(self):
        head = self.r.choice(["2600:1f18", "2a05:d018", "2001:db8", "2406:da1c"])
        return head + ":" + ":".join(f"{self.r.getrandbits(16):x}" for _ in range(6))

    def ip(self):
        return self.ipv6() if self.r.random() < 0.2 else self.ipv4()

    def agent(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return (f"Boto3/1.{r.randint(26, 34)}.{r.randint(0, 90)} md/Botocore#1.{r.randint(29, 34)}.{r.randint(0, 90)} "
                    f"ua/2.0 os/linux#{r.choice(['5.10', '6.1', '6.5'])}.{r.randint(0, 200)} md/arch#x86_64 "
                    f"lang/python#3.{r.randint(8, 12)}.{r.randint(0, 12)} md/pyimpl#CPython cfg/retry-mode#"
                    f"{r.choice(['legacy', 'standard', 'adaptive'])} Botocore/1.{r.randint(29, 34)}.{r.randint(0, 90)}")
        if k < 0.5:
            return (f"aws-cli/2.{r.randint(9, 17)}.{r.randint(0, 40)} Python/3.11.{r.randint(0, 9)} "
                    f"{r.choice(['Linux/6.1.0-18-amd64', 'Darwin/23.4.0', 'Windows/10'])} "
                    f"exe/{r.choice(['x86_64', 'arm64'])}.{r.choice(['debian.12', 'ubuntu.22', 'macos', 'windows'])} "
                    f"prompt/off command/{r.choice(['s3.cp', 's3.ls', 'ec2.describe-instances', 'sts.get-caller-identity', 'logs.tail'])}")
        if k < 0.65:
            return (f"aws-sdk-go-v2/1.{r.randint(18, 26)}.{r.randint(0, 9)} os/linux lang/go#1.{r.randint(19, 22)}.{r.randint(0, 9)} "
                    f"md/GOOS#linux md/GOARCH#{r.choice(['amd64', 'arm64'])} api/{r.choice(['s3', 'sts', 'ec2', 'kms', 'dynamodb'])}"
                    f"#1.{r.randint(20, 60)}.{r.randint(0, 9)}")
        if k < 0.75:
            return (f"aws-sdk-java/2.{r.randint(17, 25)}.{r.randint(0, 300)} Linux/{r.choice(['5.10', '6.1'])}.{r.randint(0, 200)}-amzn2 "
                    f"OpenJDK_64-Bit_Server_VM/{r.choice(['17', '21'])}.0.{r.randint(1, 12)}+{r.randint(1, 9)}-LTS "
                    f"Java/{r.choice(['17', '21'])}.0.{r.randint(1, 12)} vendor/Amazon.com_Inc. exec-env/AWS_Lambda_java17")
        if k < 0.85:
            return (f"Mozilla/5.0 ({r.choice(['X11; Linux x86_64', 'Macintosh; Intel Mac OS X 10_15_7', 'Windows NT 10.0; Win64; x64'])}) "
                    f"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{r.randint(110, 124)}.0.{r.randint(0, 6400)}.{r.randint(0, 200)} Safari/537.36")
        if k < 0.92:
            return (f"terraform-provider-aws/5.{r.randint(10, 45)}.{r.randint(0, 3)} (+https://registry.terraform.io/providers/hashicorp/aws) "
                    f"aws-sdk-go-v2/1.{r.randint(20, 26)}.{r.randint(0, 9)} os/linux lang/go#1.22.{r.randint(0, 3)}")
        return r.choice(["AWS Internal", "console.amazonaws.com", "s3.amazonaws.com", "lambda.amazonaws.com",
                         "cloudformation.amazonaws.com", "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]"])


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Account:
    def __init__(self, g, acct):
        r = g.r
        self.id = acct
        self.users = []
        for name in r.sample(FIRST, 12):
            self.users.append({"type": "IAMUser", "principalId": "AIDA" + "".join(r.choices(B32, k=17)),
                               "arn": f"arn:aws:iam::{acct}:user/{name}", "accountId": acct,
                               "accessKeyId": g.key("AKIA"), "userName": name, "_ip": g.ip(), "_ua": g.agent()})
        self.roles = [(name, "AROA" + "".join(r.choices(B32, k=17))) for name in r.sample(ROLE_NAMES, 10)]
        self.buckets = [f"{r.choice(APPS)}-{r.choice(ENVS)}-{g.hex(8)}" for _ in range(8)]
        self.tables = [f"{r.choice(APPS)}-{r.choice(['users', 'orders', 'events', 'sessions', 'jobs'])}" for _ in range(6)]
        self.functions = [f"{r.choice(APPS)}-{r.choice(['handler', 'worker', 'cron', 'api', 'resize'])}-{g.alnum(6)}" for _ in range(10)]
        self.kms = [g.uuid() for _ in range(4)]
        self.sessions = []

    def session(self, g, t):
        """A live role session, now and then a new one (expired ones dropped)."""
        r = g.r
        self.sessions = [s for s in self.sessions if s["_expires"] > t]
        if len(self.sessions) < 40 or r.random() < 0.02:
            role, rid = r.choice(self.roles)
            k = r.random()
            if k < 0.35:
                name = f"botocore-session-{g.digits(10)}"
            elif k < 0.6:
                name = f"i-{g.hex(17)}"
            elif k < 0.75:
                name = f"{r.choice(FIRST)}.{r.choice(FIRST)}@example.com"
            elif k < 0.9:
                name = f"aws-go-sdk-{g.digits(19)}"
            else:
                name = f"{r.choice(['gha', 'jenkins', 'argo'])}-{g.alnum(12)}"
            created = t - timedelta(seconds=r.randrange(3600))
            s = {"type": "AssumedRole", "principalId": f"{rid}:{name}",
                 "arn": f"arn:aws:sts::{self.id}:assumed-role/{role}/{name}", "accountId": self.id,
                 "accessKeyId": g.key("ASIA"),
                 "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid,
                                                      "arn": f"arn:aws:iam::{self.id}:role/{role}",
                                                      "accountId": self.id, "userName": role},
                                    "webIdFederationData": {},
                                    "attributes": {"creationDate": iso(created),
                                                   "mfaAuthenticated": "true" if r.random() < 0.1 else "false"}},
                 "_ip": g.ip(), "_ua": g.agent(), "_expires": created + timedelta(hours=1), "_role": role}
            if r.random() < 0.2:
                s["sessionContext"]["sourceIdentity"] = r.choice(FIRST)
            self.sessions.append(s)
            return s
        return r.choice(self.sessions)


def public(ident):
    return {k: v for k, v in ident.items() if not k.startswith("_")}


def s3_object(g, a, region, name):
    r = g.r
    b = r.choice(a.buckets)
    key = f"{r.choice(APPS)}/{r.choice(['raw', 'out', 'tmp', 'img'])}/2024/{r.randint(1, 12):02}/{g.hex(12)}.{r.choice(['json', 'parquet', 'jpg', 'csv.gz'])}"
    req = {"bucketName": b, "Host": f"{b}.s3.{region}.amazonaws.com", "key": key}
    resp = {"x-amz-server-side-encryption": "aws:kms", "x-amz-version-id": g.alnum(32)} if name == "PutObject" else None
    extra = {"SignatureVersion": "SigV4", "CipherSuite": r.choice(CIPHERS),
             "bytesTransferredIn": r.randrange(0, 5 << 20) if name == "PutObject" else 0,
             "AuthenticationMethod": "AuthHeader", "x-amz-id-2": g.b64(56),
             "bytesTransferredOut": r.randrange(0, 5 << 20) if name == "GetObject" else 0}
    res = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{b}/{key}"},
           {"accountId": a.id, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{b}"}]
    return req, resp, res, extra


def s3_list(g, a, region, name):
    b = g.r.choice(a.buckets)
    req = {"list-type": "2", "bucketName": b, "prefix": f"{g.r.choice(APPS)}/{g.hex(6)}/", "Host": f"{b}.s3.{region}.amazonaws.com"}
    return req, None, [{"accountId": a.id, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{b}"}], \
        {"SignatureVersion": "SigV4", "x-amz-id-2": g.b64(56), "bytesTransferredOut": g.r.randrange(200, 90000)}


def ec2_describe(g, a, region, name):
    items = [{"instanceId": f"i-{g.hex(17)}"} for _ in range(g.r.randint(1, 3))]
    return {"instancesSet": {"items": items}, "filterSet": {}, "includeAllInstances": False}, None, None, None


def ec2_run(g, a, region, name):
    r = g.r
    iid = f"i-{g.hex(17)}"
    req = {"instancesSet": {"items": [{"imageId": f"ami-{g.hex(17)}", "minCount": 1, "maxCount": 1}]},
           "instanceType": r.choice(["t3.micro", "m6i.large", "c7g.xlarge"]), "subnetId": f"subnet-{g.hex(17)}",
           "clientToken": g.uuid()}
    resp = {"requestId": g.uuid(), "reservationId": f"r-{g.hex(17)}", "ownerId": a.id,
            "instancesSet": {"items": [{"instanceId": iid, "privateIpAddress": f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}",
                                        "networkInterfaceSet": {"items": [{"networkInterfaceId": f"eni-{g.hex(17)}", "macAddress": ":".join(g.hex(2) for _ in range(6))}]}}]}}
    return req, resp, [{"accountId": a.id, "type": "AWS::EC2::Instance", "ARN": f"arn:aws:ec2:{region}:{a.id}:instance/{iid}"}], None


def ec2_tags(g, a, region, name):
    ids = [f"{g.r.choice(['i', 'vol', 'snap', 'sg'])}-{g.hex(17)}" for _ in range(g.r.randint(1, 2))]
    return {"resourcesSet": {"items": [{"resourceId": i} for i in ids]},
            "tagSet": {"items": [{"key": "owner", "value": g.r.choice(FIRST)}, {"key": "run", "value": g.hex(10)}]}}, \
        {"requestId": g.uuid(), "_return": True}, None, None


def sts_assume(g, a, region, name):
    r = g.r
    role, rid = r.choice(a.roles)
    sess = f"{r.choice(['botocore-session', 'aws-go-sdk', 'deploy', 'scan'])}-{g.digits(10)}"
    arn = f"arn:aws:iam::{a.id}:role/{role}"
    req = {"roleArn": arn, "roleSessionName": sess, "durationSeconds": r.choice([900, 3600, 43200])}
    resp = {"credentials": {"accessKeyId": g.key("ASIA"), "sessionToken": "IQoJb3JpZ2luX2Vj" + g.b64(180),
                            "expiration": "2024-03-06T00:00:00Z"},
            "assumedRoleUser": {"assumedRoleId": f"{rid}:{sess}", "arn": f"arn:aws:sts::{a.id}:assumed-role/{role}/{sess}"}}
    return req, resp, [{"accountId": a.id, "type": "AWS::IAM::Role", "ARN": arn}], None


def kms(g, a, region, name):
    r = g.r
    kid = r.choice(a.kms)
    ctx = r.choice([{"aws:s3:arn": f"arn:aws:s3:::{r.choice(a.buckets)}/{g.hex(16)}"},
                    {"aws:lambda:FunctionArn": f"arn:aws:lambda:{region}:{a.id}:function:{r.choice(a.functions)}"},
                    {"SecretARN": f"arn:aws:secretsmanager:{region}:{a.id}:secret:{r.choice(APPS)}/{g.alnum(6)}", "SecretVersionId": g.uuid()}])
    req = {"encryptionContext": ctx, "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
           "keyId": f"arn:aws:kms:{region}:{a.id}:key/{kid}"}
    if name == "GenerateDataKey":
        req["keySpec"] = "AES_256"
    return req, None, [{"accountId": a.id, "type": "AWS::KMS::Key", "ARN": f"arn:aws:kms:{region}:{a.id}:key/{kid}"}], None


def lam(g, a, region, name):
    fn = g.r.choice(a.functions)
    arn = f"arn:aws:lambda:{region}:{a.id}:function:{fn}"
    return {"functionName": arn, "invocationType": "RequestResponse", "qualifier": "$LATEST"}, None, \
        [{"accountId": a.id, "type": "AWS::Lambda::Function", "ARN": arn}], {"functionVersion": f"{arn}:$LATEST"}


def ddb(g, a, region, name):
    t = g.r.choice(a.tables)
    req = {"tableName": t, "key": {"pk": f"{g.r.choice(['USER', 'ORDER', 'JOB'])}#{g.uuid()}", "sk": g.hex(8)}}
    if name == "Query":
        req = {"tableName": t, "keyConditionExpression": "pk = :v", "limit": g.r.randint(1, 500)}
    return req, None, [{"accountId": a.id, "type": "AWS::DynamoDB::Table", "ARN": f"arn:aws:dynamodb:{region}:{a.id}:table/{t}"}], None


def ssm(g, a, region, name):
    return {"name": f"/{g.r.choice(APPS)}/{g.r.choice(ENVS)}/{g.r.choice(['db', 'api', 'feature'])}-{g.hex(8)}", "withDecryption": True}, None, None, None


def logs(g, a, region, name):
    fn = g.r.choice(a.functions)
    return {"logGroupName": f"/aws/lambda/{fn}", "logStreamName": f"2024/03/04/[$LATEST]{g.hex(32)}"}, None, None, None


def secrets(g, a, region, name):
    return {"secretId": f"arn:aws:secretsmanager:{region}:{a.id}:secret:{g.r.choice(APPS)}/{g.r.choice(ENVS)}/db-{g.alnum(6)}"}, None, None, None


def sqs(g, a, region, name):
    q = f"https://sqs.{region}.amazonaws.com/{a.id}/{g.r.choice(APPS)}-{g.r.choice(['jobs', 'dlq', 'events'])}"
    return {"queueUrl": q, "messageBody": "HIDDEN_DUE_TO_SECURITY_REASONS"}, {"mD5OfMessageBody": g.hex(32), "messageId": g.uuid()}, None, None


def iam_read(g, a, region, name):
    if name == "GetRole":
        return {"roleName": g.r.choice(a.roles)[0]}, None, None, None
    return {"maxItems": 100}, None, None, None


def iam_key(g, a, region, name):
    u = g.r.choice(a.users)["userName"]
    return {"userName": u}, {"accessKey": {"userName": u, "accessKeyId": g.key("AKIA"), "status": "Active",
                                            "createDate": "Mar 4, 2024 10:00:00 AM"}}, None, None


def iam_attach(g, a, region, name):
    return {"roleName": g.r.choice(a.roles)[0],
            "policyArn": f"arn:aws:iam::{a.id}:policy/{g.r.choice(APPS)}-{g.alnum(8)}"}, None, None, None


def nothing(g, a, region, name):
    return None, None, None, None


def cw(g, a, region, name):
    return {"namespace": f"{g.r.choice(APPS)}/{g.r.choice(['latency', 'errors', 'queue'])}"}, None, None, None


def ecr(g, a, region, name):
    return {"repositoryName": f"{g.r.choice(APPS)}/{g.r.choice(['api', 'worker'])}", "imageIds": [{"imageTag": f"sha-{g.hex(12)}"}]}, None, None, None


# (weight, source, name, readOnly, data event, global, maker)
CALLS = [
    (14, "s3.amazonaws.com", "GetObject", True, True, False, s3_object),
    (8, "s3.amazonaws.com", "PutObject", False, True, False, s3_object),
    (3, "s3.amazonaws.com", "HeadObject", True, True, False, s3_object),
    (3, "s3.amazonaws.com", "ListObjects", True, True, False, s3_list),
    (7, "kms.amazonaws.com", "Decrypt", True, False, False, kms),
    (4, "kms.amazonaws.com", "GenerateDataKey", True, False, False, kms),
    (7, "ec2.amazonaws.com", "DescribeInstances", True, False, False, ec2_describe),
    (1, "ec2.amazonaws.com", "RunInstances", False, False, False, ec2_run),
    (2, "ec2.amazonaws.com", "CreateTags", False, False, False, ec2_tags),
    (4, "sts.amazonaws.com", "AssumeRole", True, False, False, sts_assume),
    (3, "sts.amazonaws.com", "GetCallerIdentity", True, False, False, nothing),
    (4, "dynamodb.amazonaws.com", "GetItem", True, True, False, ddb),
    (3, "dynamodb.amazonaws.com", "PutItem", False, True, False, ddb),
    (2, "dynamodb.amazonaws.com", "Query", True, True, False, ddb),
    (5, "lambda.amazonaws.com", "Invoke", False, True, False, lam),
    (4, "logs.amazonaws.com", "CreateLogStream", False, False, False, logs),
    (4, "ssm.amazonaws.com", "GetParameter", True, False, False, ssm),
    (3, "secretsmanager.amazonaws.com", "GetSecretValue", True, False, False, secrets),
    (4, "sqs.amazonaws.com", "SendMessage", False, True, False, sqs),
    (2, "monitoring.amazonaws.com", "PutMetricData", False, False, False, cw),
    (2, "ecr.amazonaws.com", "BatchGetImage", True, False, False, ecr),
    (1, "iam.amazonaws.com", "ListUsers", True, False, True, iam_read),
    (2, "iam.amazonaws.com", "GetRole", True, False, True, iam_read),
    (1, "iam.amazonaws.com", "CreateAccessKey", False, False, True, iam_key),
    (1, "iam.amazonaws.com", "AttachRolePolicy", False, False, True, iam_attach),
]
CALL_WEIGHTS = [c[0] for c in CALLS]


def make_event(g, a, region, t, org=False):
    r = g.r
    w, source, name, ro, data, glob, maker = r.choices(CALLS, CALL_WEIGHTS)[0]
    if glob and region != "us-east-1" and not org:
        w, source, name, ro, data, glob, maker = CALLS[0]
    k = r.random()
    if k < 0.08 and source in ("kms.amazonaws.com", "s3.amazonaws.com", "sts.amazonaws.com", "lambda.amazonaws.com"):
        by = r.choice(SERVICES_BY)
        ident = {"type": "AWSService", "invokedBy": by}
        ip, ua = by, by
    else:
        ident = r.choice(a.users) if k < 0.35 else a.session(g, t)
        ip = ident["_ip"] if r.random() < 0.8 else g.ip()
        ua = ident["_ua"] if r.random() < 0.7 else g.agent()
    req, resp, res, extra = maker(g, a, region, name)
    host = f"{source.split('.')[0]}.{region}.amazonaws.com"
    ev = {"eventVersion": "1.09" if not data else "1.10", "userIdentity": public(ident), "eventTime": iso(t),
          "eventSource": source, "eventName": name, "awsRegion": "us-east-1" if glob else region,
          "sourceIPAddress": ip, "userAgent": ua, "requestParameters": req, "responseElements": resp}
    if extra:
        ev["additionalEventData"] = extra
    ev["requestID"] = g.hex(16).upper() if source == "s3.amazonaws.com" else g.uuid()
    ev["eventID"] = g.uuid()
    ev["readOnly"] = ro
    if res:
        ev["resources"] = res
    ev["eventType"] = "AwsApiCall"
    ev["managementEvent"] = not data
    ev["recipientAccountId"] = a.id
    if data and r.random() < 0.1:
        ev["sharedEventID"] = g.uuid()
    ev["eventCategory"] = "Data" if data else "Management"
    if r.random() < 0.05:
        ev["errorCode"] = r.choice(["AccessDenied", "ThrottlingException", "NoSuchKey", "ResourceNotFoundException"])
        arn = ident.get("arn", ident.get("invokedBy", ""))
        ev["errorMessage"] = f"User: {arn} is not authorized to perform: {source.split('.')[0]}:{name} on resource: {g.hex(12)}"
        ev["responseElements"] = None
    if ip not in SERVICES_BY:
        ev["tlsDetails"] = {"tlsVersion": r.choice(["TLSv1.2", "TLSv1.3"]), "cipherSuite": r.choice(CIPHERS),
                            "clientProvidedHostHeader": host}
    return ev


def write_gz(path, body):
    with open(path, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="", compresslevel=6) as z:
            z.write(body)


def records_body(recs):
    return ('{"Records":[' + ",".join(recs) + "]}").encode()


class Sample:
    """The values the benchmark queries by: an eventID half-way, an issued session key a third of the way."""

    def __init__(self, total):
        self.total, self.event_id, self.session_key = total, None, None

    def see(self, ev, at, at_key=None):
        if self.event_id is None and at >= self.total // 2:
            self.event_id = ev["eventID"]
        at_key = at if at_key is None else at_key
        if self.session_key is None and ev["userIdentity"].get("type") == "AssumedRole" and at_key >= self.total // 3:
            self.session_key = ev["userIdentity"]["accessKeyId"]


def write_meta(out, start, sample, **counts):
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(dict(counts, sample_event_id=sample.event_id, sample_session_key=sample.session_key,
                       first_day=start.strftime("%Y-%m-%d")), f, indent=1)


def account_trail(g, args, accounts, start):
    window = timedelta(minutes=5)
    streams = [(acc, reg) for acc in accounts for reg in REGIONS]
    events = files = 0
    sample = Sample(args.events)
    w = 0
    mu = math.log(50)
    while events < args.events:
        t0 = start + w * window
        w += 1
        for acc, reg in streams:
            if events >= args.events:
                break
            if g.r.random() >= 0.2:
                continue  # no activity in this window: CloudTrail delivers no file
            n = min(400, max(1, round(math.exp(g.r.gauss(mu, 0.9)))))
            n = min(n, args.events - events)
            times = sorted(t0 + timedelta(seconds=g.r.randrange(300)) for _ in range(n))
            recs = []
            for t in times:
                ev = make_event(g, acc, reg, t)
                sample.see(ev, events + len(recs), events)
                recs.append(json.dumps(ev, separators=(",", ":")))
            events += n
            deliver = t0 + window + timedelta(minutes=g.r.randint(0, 10))
            d = os.path.join(args.out, "logs", "AWSLogs", acc.id, "CloudTrail", reg, deliver.strftime("%Y/%m/%d"))
            os.makedirs(d, exist_ok=True)
            fname = f"{acc.id}_CloudTrail_{reg}_{deliver.strftime('%Y%m%dT%H%MZ')}_{g.alnum(16)}.json.gz"
            write_gz(os.path.join(d, fname), records_body(recs))
            files += 1
    write_meta(args.out, start, sample, events=events, files=files)


def write_digests(g, args, org, logs_by_hour):
    """One digest per account, region and hour: the hour's log files, as CloudTrail-Digest/ holds them."""
    n = 0
    for (acct, reg, hour), names in sorted(logs_by_hour.items()):
        end = hour + timedelta(hours=1)
        d = os.path.join(args.out, "logs", "AWSLogs", org, acct, "CloudTrail-Digest", reg, end.strftime("%Y/%m/%d"))
        os.makedirs(d, exist_ok=True)
        body = {"awsAccountId": acct, "digestStartTime": iso(hour), "digestEndTime": iso(end),
                "digestS3Bucket": "org-trail-logs", "digestS3Object": "", "digestPublicKeyFingerprint": g.hex(32),
                "digestSignatureAlgorithm": "SHA256withRSA", "newestEventTime": iso(end - timedelta(seconds=1)),
                "oldestEventTime": iso(hour), "previousDigestS3Bucket": "org-trail-logs",
                "previousDigestHashValue": g.hex(64), "previousDigestHashAlgorithm": "SHA-256",
                "previousDigestSignature": g.hex(512),
                "logFiles": [{"s3Bucket": "org-trail-logs", "s3Object": name, "hashValue": g.hex(64),
                              "hashAlgorithm": "SHA-256", "newestEventTime": iso(end), "oldestEventTime": iso(hour)}
                             for name in names]}
        fname = f"{acct}_CloudTrail-Digest_{reg}_org-trail_us-east-1_{end.strftime('%Y%m%dT%H%M%SZ')}.json.gz"
        write_gz(os.path.join(d, fname), json.dumps(body, separators=(",", ":")).encode())
        n += 1
    return n


def org_trail(g, args, accounts, start):
    """Many small files: every account/region/window with activity is a file, global events copied to all
    of the account's regions (see the module's comment)."""
    org = "o-" + "".join(g.r.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=10))
    window = timedelta(minutes=5)
    events = records = copies = files = 0
    sample = Sample(args.events)
    logs_by_hour = {}
    w = 0
    mu = math.log(42)
    while events < args.events:
        t0 = start + w * window
        w += 1
        for acc in accounts:
            if events >= args.events:
                break
            # each region's own events in this window; the global ones are set aside for every region
            own, glob = {}, []
            for reg in REGIONS:
                if g.r.random() >= 0.8 or events >= args.events:
                    continue
                n = min(400, max(1, round(math.exp(g.r.gauss(mu, 0.7)))), args.events - events)
                evs = []
                for t in sorted(t0 + timedelta(seconds=g.r.randrange(300)) for _ in range(n)):
                    ev = make_event(g, acc, reg, t, org=True)
                    sample.see(ev, events)
                    events += 1
                    (glob if ev["eventSource"] == "iam.amazonaws.com" else evs).append(ev)
                own[reg] = evs
            for reg in REGIONS:
                evs = own.get(reg, []) + glob
                if not evs:
                    continue
                evs.sort(key=lambda e: e["eventTime"])
                copies += len(glob) if reg != "us-east-1" else 0
                records += len(evs)
                deliver = t0 + window + timedelta(minutes=g.r.randint(0, 10))
                d = os.path.join(args.out, "logs", "AWSLogs", org, acc.id, "CloudTrail", reg, deliver.strftime("%Y/%m/%d"))
                os.makedirs(d, exist_ok=True)
                fname = f"{acc.id}_CloudTrail_{reg}_{deliver.strftime('%Y%m%dT%H%MZ')}_{g.alnum(16)}.json.gz"
                write_gz(os.path.join(d, fname), records_body(json.dumps(e, separators=(",", ":")) for e in evs))
                files += 1
                hour = deliver.replace(minute=0, second=0)
                logs_by_hour.setdefault((acc.id, reg, hour), []).append(os.path.relpath(os.path.join(d, fname), os.path.join(args.out, "logs")))
    digests = write_digests(g, args, org, logs_by_hour)
    write_meta(args.out, start, sample, events=events, records=records, copies=copies, files=files, digests=digests)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--org", action="store_true", help="many small files, as an organization trail delivers them")
    a = ap.parse_args()
    g = R(a.seed)
    accounts = [Account(g, f"{g.r.randrange(10 ** 11, 10 ** 12)}") for _ in range(12)]
    start = datetime(2024, 3, 3, tzinfo=timezone.utc)
    (org_trail if a.org else account_trail)(g, a, accounts, start)


if __name__ == "__main__":
    main()
