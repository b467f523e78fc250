/* Unit tests for the identity trace: the seed's cross-account pair and its session event, chains,
 * missing twins and issuers (and the inferred fallback), a failed AssumeRole, GetSessionToken, cycles,
 * Insights pairs, finding events by id, and the chain filter. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/identity/actors.h"
#include "model/query/filter.h"
#include "model/identity/origin.h"
#include "model/identity/trace.h"
#include "parsers/load.h"
#include <stdio.h>

static struct store *load(const char *name, const char *json)
{
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, name, json, strlen(json)), 0);
    return s;
}

static size_t find(struct store *s, const char *spec)
{
    size_t found = TRACE_NONE, cand[4];
    size_t n = trace_find_event(s, spec, &found, cand, 4);
    if (n != 1)
        fprintf(stderr, "find %s: %zu matches\n", spec, n);
    CHECK_INT(n, 1);
    return found;
}

static const char *id_of(struct store *s, size_t ev)
{
    return ev == TRACE_NONE ? "(none)" : store_str(s, &s->events[ev], EF_EVENT_ID);
}

static const char *str(struct store *s, uint32_t id)
{
    return intern_str(s->strings, id);
}

/* The seed's pair, as AWS prints it (the session event's key is the example key the pair issued). */
static void test_seed_pair(void)
{
    struct store *s = load(
        "seed.json",
        "{\"Records\":["
        "{\"eventVersion\":\"1.05\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":"
        "\"AIDAQRSTUVWXYZEXAMPLE\","
        "\"arn\":\"arn:aws:iam::777788889999:user/Bob\",\"accountId\":\"777788889999\",\"accessKeyId\":"
        "\"AKIAQRSTUVWXYZEXAMPLE\",\"userName\":\"Bob\"},\"eventTime\":\"2014-07-18T15:07:39Z\","
        "\"eventSource\":"
        "\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\",\"awsRegion\":\"us-east-2\","
        "\"requestParameters\":"
        "{\"roleArn\":\"arn:aws:iam::111122223333:role/EC2-dev\",\"roleSessionName\":\"Bob-EC2-dev\"},"
        "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAEXAMPLESESSION1\"},\"assumedRoleUser\":"
        "{\"arn\":\"arn:aws:sts::111122223333:assumed-role/EC2-dev/Bob-EC2-dev\"}},\"eventID\":\"pair-1\","
        "\"sharedEventID\":\"shared-1\",\"recipientAccountId\":\"777788889999\"},"
        "{\"eventVersion\":\"1.05\",\"userIdentity\":{\"type\":\"AWSAccount\",\"principalId\":"
        "\"AIDAQRSTUVWXYZEXAMPLE\","
        "\"accountId\":\"777788889999\"},\"eventTime\":\"2014-07-18T15:07:39Z\",\"eventSource\":\"sts."
        "amazonaws.com\","
        "\"eventName\":\"AssumeRole\",\"awsRegion\":\"us-east-2\",\"requestParameters\":{\"roleArn\":"
        "\"arn:aws:iam::111122223333:role/EC2-dev\"},\"responseElements\":{\"credentials\":{\"accessKeyId\":"
        "\"ASIAEXAMPLESESSION1\"}},\"eventID\":\"pair-1\",\"sharedEventID\":\"shared-1\","
        "\"recipientAccountId\":\"111122223333\"},"
        "{\"eventVersion\":\"1.04\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAX:Bob-"
        "EC2-dev\","
        "\"arn\":\"arn:aws:sts::111122223333:assumed-role/EC2-dev/"
        "Bob-EC2-dev\",\"accountId\":\"111122223333\","
        "\"accessKeyId\":\"ASIAEXAMPLESESSION1\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":"
        "\"arn:aws:iam::111122223333:role/EC2-dev\"},\"sourceIdentity\":\"bob@example.com\"}},"
        "\"eventTime\":\"2014-07-18T15:20:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":"
        "\"DeleteBucket\","
        "\"awsRegion\":\"us-east-2\",\"eventID\":\"del-1\",\"recipientAccountId\":\"111122223333\"},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/"
        "EC2-dev/"
        "Bob-EC2-dev\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLESESSION1\"},"
        "\"eventTime\":\"2014-07-18T15:30:00Z\",\"eventName\":\"ListBuckets\",\"eventID\":\"list-1\","
        "\"recipientAccountId\":\"111122223333\"}"
        "]}");
    CHECK_INT(s->nevents, 4);
    struct trace_index *x = trace_index_new(s);
    struct trace t;

    /* the id alone names two records */
    size_t found, cand[4];
    CHECK_INT(trace_find_event(s, "pair-1", &found, cand, 4), 2);
    CHECK_INT(trace_find_event(s, "111122223333:pair-1", &found, cand, 4), 1);
    CHECK_STR(str(s, trace_event_account(s, found)), "111122223333");
    CHECK_INT(trace_find_event(s, "999:pair-1", &found, cand, 4), 0);
    CHECK_INT(trace_find_event(s, "nope", &found, cand, 4), 0);

    CHECK_INT(trace_build(x, find(s, "del-1"), &t), 0);
    CHECK_STR(str(s, t.origin_type), "IAMUser");
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::777788889999:user/Bob");
    CHECK_STR(str(s, t.origin_account), "777788889999");
    CHECK_INT(t.nhops, 1);
    const struct trace_hop *h = &t.hops[0];
    CHECK_STR(str(s, trace_event_account(s, h->issuer)), "777788889999"); /* the caller's record */
    CHECK_STR(str(s, trace_event_account(s, h->twin)), "111122223333");   /* the owner's */
    CHECK_STR(id_of(s, h->twin), "pair-1");
    CHECK_INT(h->crosses, 1);
    CHECK_INT(h->inferred, 0);
    CHECK_STR(str(s, h->role_arn), "arn:aws:iam::111122223333:role/EC2-dev");
    CHECK_STR(str(s, h->session_arn), "arn:aws:sts::111122223333:assumed-role/EC2-dev/Bob-EC2-dev");
    CHECK_STR(str(s, h->access_key), "ASIAEXAMPLESESSION1");
    CHECK_STR(str(s, h->source_identity), "bob@example.com");
    CHECK_INT(t.nsession, 2); /* newest first */
    CHECK_STR(id_of(s, t.session[0]), "list-1");
    CHECK_STR(id_of(s, t.session[1]), "del-1");
    char *f = trace_chain_filter(s, &t);
    CHECK_STR(f, "key:\"ASIAEXAMPLESESSION1\"");
    struct filter_error err;
    struct filter *flt = filter_compile(f, s, &err);
    CHECK(flt != NULL);
    int n = 0;
    for (size_t i = 0; flt && i < s->nevents; i++)
        n += filter_match(flt, i) == 1;
    CHECK_INT(n, 4); /* both records of the call and the two session events */
    filter_free(flt);
    free(f);
    trace_free(&t);

    /* the owner's record names only an account: the caller's record of the same call names Bob */
    CHECK_INT(trace_build(x, find(s, "111122223333:pair-1"), &t), 0);
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::777788889999:user/Bob");
    CHECK_INT(t.nhops, 0);
    trace_free(&t);
    trace_index_free(x);
    store_free(s);
}

/* Sessions whose issuing call is missing, or found only by ARN and creation time. */
static void test_missing(void)
{
    struct store *s = load(
        "missing.json",
        "{\"Records\":["
        /* a cross-account AssumeRole whose owner-side twin is not loaded */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/carol\",\"accountId\":\"1\","
        "\"accessKeyId\":\"AKIACAROL\"},\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"AssumeRole\","
        "\"eventID\":\"a1\",\"sharedEventID\":\"sh-1\",\"recipientAccountId\":\"1\",\"responseElements\":"
        "{\"credentials\":{\"accessKeyId\":\"ASIAONE\"},\"assumedRoleUser\":{\"arn\":\"arn:aws:sts::2:"
        "assumed-role/R/c\"}}},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::2:assumed-role/R/"
        "c\",\"accountId\":\"2\","
        "\"accessKeyId\":\"ASIAONE\"},\"eventTime\":\"2024-01-01T00:01:00Z\",\"eventName\":\"GetObject\","
        "\"eventID\":\"g1\",\"recipientAccountId\":\"2\"},"
        /* a session whose key matches nothing, but whose ARN and creation date match a loaded call */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/dan\",\"accountId\":\"1\","
        "\"accessKeyId\":\"AKIADAN\"},\"eventTime\":\"2024-01-01T01:00:00Z\",\"eventName\":\"AssumeRole\","
        "\"eventID\":\"a2\",\"recipientAccountId\":\"1\",\"responseElements\":{\"assumedRoleUser\":"
        "{\"arn\":\"arn:aws:sts::1:assumed-role/R/d\"}}},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/R/"
        "d\",\"accountId\":\"1\","
        "\"sessionContext\":{\"attributes\":{\"creationDate\":\"2024-01-01T01:00:01Z\"},\"sessionIssuer\":"
        "{\"arn\":\"arn:aws:iam::1:role/"
        "R\"}}},\"eventTime\":\"2024-01-01T01:05:00Z\",\"eventName\":\"ConsoleX\","
        "\"eventID\":\"c1\",\"recipientAccountId\":\"1\"},"
        /* a session nothing issued that is loaded */
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::3:assumed-role/Ghost/"
        "x\",\"accountId\":"
        "\"3\",\"accessKeyId\":\"ASIAGHOST\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::3:"
        "role/"
        "Ghost\"}}},\"eventTime\":\"2024-01-01T02:00:00Z\",\"eventName\":\"ListUsers\",\"eventID\":\"l1\","
        "\"recipientAccountId\":\"3\"},"
        /* a failed AssumeRole issued no key: sessions never link to it */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/eve\",\"accountId\":\"1\","
        "\"accessKeyId\":\"AKIAEVE\"},\"eventTime\":\"2024-01-01T03:00:00Z\",\"eventName\":\"AssumeRole\","
        "\"errorCode\":\"AccessDenied\",\"eventID\":\"f1\",\"recipientAccountId\":\"1\"},"
        /* GetSessionToken: an IAM user with a temporary key */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/fay\",\"accountId\":\"1\","
        "\"accessKeyId\":\"AKIAFAY\"},\"eventTime\":\"2024-01-01T04:00:00Z\",\"eventName\":"
        "\"GetSessionToken\","
        "\"eventID\":\"t1\",\"recipientAccountId\":\"1\",\"responseElements\":{\"credentials\":{"
        "\"accessKeyId\":"
        "\"ASIAFAY\"}}},"
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/fay\",\"accountId\":\"1\","
        "\"accessKeyId\":\"ASIAFAY\"},\"eventTime\":\"2024-01-01T04:01:00Z\",\"eventName\":\"ListRoles\","
        "\"eventID\":\"u1\",\"recipientAccountId\":\"1\"}"
        "]}");
    struct trace_index *x = trace_index_new(s);
    struct trace t;

    CHECK_INT(trace_build(x, find(s, "g1"), &t), 0);
    CHECK_INT(t.nhops, 1);
    CHECK_STR(id_of(s, t.hops[0].issuer), "a1");
    CHECK_INT(t.hops[0].crosses, 1);
    CHECK(t.hops[0].twin == TRACE_NONE); /* said plainly by the views */
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/carol");
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "c1"), &t), 0);
    CHECK_INT(t.nhops, 1);
    CHECK_STR(id_of(s, t.hops[0].issuer), "a2");
    CHECK_INT(t.hops[0].inferred, 1);
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/dan");
    CHECK_INT(t.nsession, 0); /* no key, no session list */
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "l1"), &t), 0);
    CHECK_INT(t.nhops, 1);
    CHECK(t.hops[0].issuer == TRACE_NONE);
    CHECK_INT(t.hops[0].inferred, 0); /* nothing was matched: the issuer is missing */
    CHECK_INT(t.origin_type, 0);      /* unknown principal */
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::3:role/Ghost");
    CHECK_STR(str(s, t.hops[0].role_arn), "arn:aws:iam::3:role/Ghost");
    CHECK_STR(str(s, t.hops[0].access_key), "ASIAGHOST");
    CHECK_INT(t.nsession, 1);
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "f1"), &t), 0);
    CHECK_INT(t.nhops, 0);
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/eve");
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "u1"), &t), 0);
    CHECK_INT(t.nhops, 1);
    CHECK_STR(id_of(s, t.hops[0].issuer), "t1");
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/fay");
    trace_free(&t);
    trace_index_free(x);
    store_free(s);
}

/* Logs that contradict themselves: two sessions each issued by the other. */
static void test_cycle(void)
{
    struct store *s = load(
        "cycle.json",
        "{\"Records\":["
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/A/"
        "a\",\"accessKeyId\":"
        "\"ASIAA\"},\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"AssumeRole\",\"eventID\":\"x1\","
        "\"recipientAccountId\":\"1\",\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAB\"}}},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/B/"
        "b\",\"accessKeyId\":"
        "\"ASIAB\"},\"eventTime\":\"2024-01-01T00:01:00Z\",\"eventName\":\"AssumeRole\",\"eventID\":\"x2\","
        "\"recipientAccountId\":\"1\",\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAA\"}}},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/A/"
        "a\",\"accessKeyId\":"
        "\"ASIAA\"},\"eventTime\":\"2024-01-01T00:02:00Z\",\"eventName\":\"GetObject\",\"eventID\":\"x3\","
        "\"recipientAccountId\":\"1\"},"
        "{\"eventType\":\"AwsCloudTrailInsight\",\"eventID\":\"in-start\",\"sharedEventID\":\"ins-1\","
        "\"eventTime\":\"2024-01-01T05:00:00Z\",\"recipientAccountId\":\"1\"},"
        "{\"eventType\":\"AwsCloudTrailInsight\",\"eventID\":\"in-end\",\"sharedEventID\":\"ins-1\","
        "\"eventTime\":\"2024-01-01T05:10:00Z\",\"recipientAccountId\":\"1\"}"
        "]}");
    struct trace_index *x = trace_index_new(s);
    struct trace t;
    CHECK_INT(trace_build(x, find(s, "x3"), &t), 0);
    CHECK_INT(t.cycle, 1);
    CHECK(t.nhops >= 1 && t.nhops <= 3);
    CHECK_INT(t.origin_type, 0);
    trace_free(&t);
    CHECK_INT(trace_build(x, find(s, "in-start"), &t), 0);
    CHECK_STR(id_of(s, t.insight_twin), "in-end");
    trace_free(&t);
    CHECK_INT(trace_build(x, find(s, "in-end"), &t), 0);
    CHECK_STR(id_of(s, t.insight_twin), "in-start");
    trace_free(&t);
    trace_index_free(x);
    store_free(s);
}

/* Every identity shape on its own: where the walk ends, what it says of a missing call, twins only across
 * accounts, an STS call's forward list, Identity Center, masked sign-ins, readOnly as a string, "" error. */
static void test_shapes(void)
{
    struct store *s = load(
        "shapes.json",
        "{\"Records\":["
        /* an IAM user's temporary key, its GetSessionToken loaded */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/ann\",\"accountId\":\"1\","
        "\"accessKeyId\":\"AKIAANN\"},\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":"
        "\"GetSessionToken\","
        "\"eventID\":\"gst\",\"recipientAccountId\":\"1\",\"responseElements\":{\"credentials\":{"
        "\"accessKeyId\":"
        "\"ASIAANN\"}}},"
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/ann\",\"accountId\":\"1\","
        "\"accessKeyId\":\"ASIAANN\"},\"eventTime\":\"2024-01-01T00:01:00Z\",\"eventName\":\"ListRoles\","
        "\"eventID\":\"ann1\",\"recipientAccountId\":\"1\",\"readOnly\":\"True\",\"errorCode\":\"\"},"
        /* a console session: the ConsoleLogin found by the user's ARN and sign-in time */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/ben\",\"accountId\":\"1\"},"
        "\"eventTime\":\"2024-01-01T01:00:00Z\",\"eventName\":\"ConsoleLogin\",\"eventID\":\"login\","
        "\"recipientAccountId\":\"1\",\"responseElements\":{\"ConsoleLogin\":\"Success\"}},"
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/ben\",\"accountId\":\"1\","
        "\"accessKeyId\":\"ASIABEN\",\"sessionContext\":{\"attributes\":{\"creationDate\":\"2024-01-01T01:00:"
        "00Z\"}}},"
        "\"eventTime\":\"2024-01-01T01:02:00Z\",\"eventName\":\"DescribeInstances\",\"eventID\":\"ben1\","
        "\"recipientAccountId\":\"1\",\"readOnly\":\"false\"},"
        /* an IAM user's temporary key whose call is not loaded: the user, no hop */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/cat\",\"accountId\":\"1\","
        "\"accessKeyId\":\"ASIACAT\"},\"eventTime\":\"2024-01-01T02:00:00Z\",\"eventName\":\"GetObject\","
        "\"eventID\":\"cat1\",\"recipientAccountId\":\"1\"},"
        /* a federated user whose GetFederationToken is not loaded: the IAM user its issuer names */
        "{\"userIdentity\":{\"type\":\"FederatedUser\",\"arn\":\"arn:aws:sts::1:federated-user/f\","
        "\"accountId\":\"1\",\"accessKeyId\":\"ASIAFED\",\"sessionContext\":{\"sessionIssuer\":{\"type\":"
        "\"IAMUser\","
        "\"arn\":\"arn:aws:iam::1:user/"
        "dee\"}}},\"eventTime\":\"2024-01-01T03:00:00Z\",\"eventName\":\"GetObject\","
        "\"eventID\":\"fed1\",\"recipientAccountId\":\"1\"},"
        /* an instance profile: a service's AssumeRole in one account, with a sharedEventID */
        "{\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"ec2.amazonaws.com\"},\"eventTime\":"
        "\"2024-01-01T04:00:00Z\",\"eventName\":\"AssumeRole\",\"eventID\":\"svc\",\"sharedEventID\":\"sh-"
        "svc\","
        "\"recipientAccountId\":\"1\",\"requestParameters\":{\"roleArn\":\"arn:aws:iam::1:role/Inst\"},"
        "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAINST\"},\"assumedRoleUser\":{\"arn\":"
        "\"arn:aws:sts::1:assumed-role/Inst/i-1\"}}},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/Inst/"
        "i-1\",\"accountId\":"
        "\"1\",\"accessKeyId\":\"ASIAINST\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:"
        "role/"
        "Inst\"}}},\"eventTime\":\"2024-01-01T04:01:00Z\",\"eventName\":\"DescribeTags\",\"eventID\":"
        "\"inst1\","
        "\"recipientAccountId\":\"1\"},"
        /* a service-linked role's session, its call not loaded */
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/"
        "AWSServiceRoleForSSM/"
        "SSM\",\"accountId\":\"1\",\"accessKeyId\":\"ASIASSM\",\"sessionContext\":{\"sessionIssuer\":{"
        "\"arn\":"
        "\"arn:aws:iam::1:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForSSM\"}}},\"eventSource\":"
        "\"ssm.amazonaws.com\",\"eventTime\":\"2024-01-01T05:00:00Z\",\"eventName\":"
        "\"UpdateInstanceInformation\","
        "\"eventID\":\"ssm1\",\"recipientAccountId\":\"1\"},"
        /* Identity Center: a call by the user, and a role session on its behalf */
        "{\"userIdentity\":{\"type\":\"IdentityCenterUser\",\"accountId\":\"1\",\"onBehalfOf\":{\"userId\":"
        "\"u-42\",\"identityStoreArn\":\"arn:aws:identitystore::1:identitystore/d-1\"}},\"eventTime\":"
        "\"2024-01-01T06:00:00Z\",\"eventName\":\"Chat\",\"eventID\":\"ic1\",\"recipientAccountId\":\"1\"},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/Web/"
        "w\",\"accountId\":"
        "\"1\",\"accessKeyId\":\"ASIAWEB\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:"
        "role/Web\"}},"
        "\"onBehalfOf\":{\"userId\":\"u-42\",\"identityStoreArn\":\"arn:aws:identitystore::1:identitystore/"
        "d-1\"}},"
        "\"eventTime\":\"2024-01-01T06:01:00Z\",\"eventName\":\"GetObject\",\"eventID\":\"ic2\","
        "\"recipientAccountId\":\"1\"},"
        /* Identity Center without onBehalfOf: a permission set's role session, its sign-in not here */
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/"
        "AWSReservedSSO_Admin_0123/eve@example.com\",\"principalId\":\"AROASSO:eve@example.com\","
        "\"accountId\":\"1\",\"accessKeyId\":\"ASIASSO\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":"
        "\"arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123\"}}},"
        "\"eventTime\":\"2024-01-01T06:30:00Z\",\"eventName\":\"ListBuckets\",\"eventID\":\"sso1\","
        "\"recipientAccountId\":\"1\"},"
        /* a role named like one but not under aws-reserved: no Identity Center user */
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/"
        "AWSReservedSSO_Fake/x\",\"principalId\":\"AROAFAKE:x\",\"accountId\":\"1\",\"accessKeyId\":"
        "\"ASIAFAKE\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:role/"
        "AWSReservedSSO_Fake\"}}},\"eventTime\":\"2024-01-01T06:40:00Z\",\"eventName\":\"ListBuckets\","
        "\"eventID\":\"fake1\",\"recipientAccountId\":\"1\"},"
        /* a masked sign-in */
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"1\",\"accessKeyId\":\"\",\"userName\":"
        "\"HIDDEN_DUE_TO_SECURITY_REASONS\"},\"eventTime\":\"2024-01-01T07:00:00Z\",\"eventName\":"
        "\"ConsoleLogin\","
        "\"eventID\":\"masked\",\"recipientAccountId\":\"1\",\"responseElements\":{\"ConsoleLogin\":"
        "\"Failure\"}}"
        "]}");
    struct trace_index *x = trace_index_new(s);
    struct trace t;

    CHECK_INT(trace_build(x, find(s, "ann1"), &t), 0);
    CHECK_STR(t.origin_type_name, "IAMUser");
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/ann");
    CHECK_INT(t.nhops, 1);
    CHECK_STR(id_of(s, t.hops[0].issuer), "gst");
    CHECK_INT(t.hops[0].kind, HOP_SESSION_TOKEN);
    CHECK_INT(t.hops[0].session_arn, 0); /* the user's ARN is no session ARN */
    CHECK_INT(t.hops[0].inferred, 0);
    CHECK(s->events[find(s, "ann1")].flags & EVF_READONLY_TRUE); /* "True" */
    CHECK(!store_event_failed(s, &s->events[find(s, "ann1")]));  /* errorCode "" */
    CHECK(s->events[find(s, "ben1")].flags & EVF_READONLY_FALSE);
    trace_free(&t);

    /* tracing the GetSessionToken call lists what its key did */
    CHECK_INT(trace_build(x, find(s, "gst"), &t), 0);
    CHECK_INT(t.session_issued, 1);
    CHECK_STR(str(s, t.session_key), "ASIAANN");
    CHECK_INT(t.nsession, 1);
    CHECK_STR(id_of(s, t.session[0]), "ann1");
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "ben1"), &t), 0);
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/ben");
    CHECK_INT(t.nhops, 1);
    CHECK_STR(id_of(s, t.hops[0].issuer), "login");
    CHECK_INT(t.hops[0].inferred, 1); /* matched on the user's ARN and sign-in time */
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "cat1"), &t), 0);
    CHECK_STR(t.origin_type_name, "IAMUser");
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/cat");
    CHECK_INT(t.nhops, 0);
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "fed1"), &t), 0);
    CHECK_STR(t.origin_type_name, "IAMUser");
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/dee");
    CHECK_INT(t.origin_known, 1);
    CHECK_INT(t.nhops, 1);
    CHECK(t.hops[0].issuer == TRACE_NONE);
    CHECK_INT(t.hops[0].kind, HOP_FEDERATION);
    CHECK_INT(t.hops[0].inferred, 0);
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "inst1"), &t), 0);
    CHECK_STR(t.origin_type_name, "AWSService");
    CHECK_STR(str(s, t.origin_arn), "ec2.amazonaws.com");
    CHECK_STR(id_of(s, t.hops[0].issuer), "svc");
    CHECK_INT(t.hops[0].crosses, 0); /* one account: no twin to speak of */
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "ssm1"), &t), 0);
    CHECK_STR(t.origin_type_name, "AWSService");
    CHECK_STR(str(s, t.origin_arn), "ssm.amazonaws.com");
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "ic1"), &t), 0);
    CHECK_STR(t.origin_type_name, "IdentityCenterUser");
    CHECK_STR(str(s, t.origin_arn), "u-42");
    CHECK_STR(str(s, t.origin_store), "arn:aws:identitystore::1:identitystore/d-1");
    trace_free(&t);
    CHECK_INT(trace_build(x, find(s, "ic2"), &t), 0);
    CHECK_STR(t.origin_type_name, "IdentityCenterUser");
    CHECK_STR(str(s, t.origin_arn), "u-42");
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "sso1"), &t), 0);
    CHECK_STR(t.origin_type_name, "IdentityCenterUser");
    CHECK_INT(t.origin_known, 1);
    CHECK_INT(t.origin_sso_session, 1);
    CHECK_STR(str(s, t.origin_arn), "AROASSO:eve@example.com");
    CHECK_INT(t.nhops, 1);
    CHECK_STR(str(s, t.hops[0].role_arn),
              "arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123");
    trace_free(&t);
    CHECK_INT(trace_build(x, find(s, "fake1"), &t), 0);
    CHECK_STR(t.origin_type_name, "Unknown");
    CHECK_INT(t.origin_sso_session, 0);
    trace_free(&t);

    CHECK_INT(trace_build(x, find(s, "masked"), &t), 0);
    CHECK_INT(t.origin_masked, 1);
    CHECK_STR(str(s, t.origin_arn), "HIDDEN_DUE_TO_SECURITY_REASONS");
    trace_free(&t);

    /* the same origins for the whole store, and the filter on them */
    CHECK_INT(origins_ensure(s, x), 0);
    struct filter_error err;
    const char *const exprs[] = {"origin:ann", "origin:u-42", "origin:ec2.amazonaws.com", "origin:dee",
                                 "user:u-42"};
    const int counts[] = {2, 2, 2, 1, 2};
    for (size_t k = 0; k < sizeof exprs / sizeof *exprs; k++) {
        struct filter *f = filter_compile(exprs[k], s, &err);
        CHECK(f != NULL);
        int n = 0;
        for (size_t i = 0; f && i < s->nevents; i++)
            n += filter_match(f, i) == 1;
        if (n != counts[k])
            fprintf(stderr, "%s: %d events\n", exprs[k], n);
        CHECK_INT(n, counts[k]);
        filter_free(f);
    }
    trace_index_free(x);
    store_free(s);
}

/* The actors of a store whose only chain (chain 0) has a role list it: the first chain counts too. */
static void test_actor_roles(void)
{
    struct store *s = load(
        "sso.json",
        "{\"Records\":[{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/"
        "AWSReservedSSO_Admin_0123/eve\",\"principalId\":\"AROASSO:eve\",\"accountId\":\"1\","
        "\"accessKeyId\":\"ASIASSO\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:"
        "role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123\"}}},\"eventTime\":"
        "\"2024-01-01T06:30:00Z\",\"eventName\":\"ListBuckets\",\"eventID\":\"sso1\","
        "\"recipientAccountId\":\"1\"}]}");
    CHECK_INT(origins_ensure(s, NULL), 0);
    struct actor_table t = {0};
    CHECK_INT(actors_build(s, NULL, 0, &t), 0);
    CHECK_INT(t.n, 1);
    if (t.n == 1) {
        CHECK_INT(t.rows[0].nroles, 1);
        if (t.rows[0].nroles == 1)
            CHECK_STR(str(s, t.rows[0].roles[0]),
                      "arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123");
    }
    actors_free(&t);
    store_free(s);
}

/* A log can put anything in an identity: a session key and ARN holding '"' and '\' still trace to their
 * chain, and the chain filter selects exactly that chain (not the session whose key only starts alike). */
static void test_quoted_identity(void)
{
    struct store *s = load(
        "quoted.json",
        "{\"Records\":["
        "{\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/"
        "b\\\"o\\\\b\",\"accountId\":\"1\","
        "\"accessKeyId\":\"AKIAQ\"},\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventSource\":\"sts.amazonaws."
        "com\","
        "\"eventName\":\"AssumeRole\",\"requestParameters\":{\"roleArn\":\"arn:aws:iam::1:role/R\","
        "\"roleSessionName\":\"s\"},\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA\\\"Q\\\\\"}"
        ","
        "\"assumedRoleUser\":{\"arn\":\"arn:aws:sts::1:assumed-role/R/s\\\"\\\\\"}},\"eventID\":\"call-1\","
        "\"recipientAccountId\":\"1\"},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/R/s\\\"\\\\\","
        "\"accountId\":\"1\",\"accessKeyId\":\"ASIA\\\"Q\\\\\",\"sessionContext\":{\"sessionIssuer\":{"
        "\"arn\":"
        "\"arn:aws:iam::1:role/R\"}}},\"eventTime\":\"2024-01-01T00:01:00Z\",\"eventName\":\"ListBuckets\","
        "\"eventID\":\"use-1\",\"recipientAccountId\":\"1\"},"
        "{\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/R/other\","
        "\"accountId\":\"1\",\"accessKeyId\":\"ASIA\\\"Q\\\\X\"},\"eventTime\":\"2024-01-01T00:02:00Z\","
        "\"eventName\":\"ListBuckets\",\"eventID\":\"use-2\",\"recipientAccountId\":\"1\"}"
        "]}");
    CHECK_INT(s->nevents, 3);
    struct trace_index *x = trace_index_new(s);
    struct trace t;
    CHECK_INT(trace_build(x, find(s, "use-1"), &t), 0);
    CHECK_STR(str(s, t.origin_arn), "arn:aws:iam::1:user/b\"o\\b");
    CHECK_INT(t.nhops, 1);
    if (t.nhops == 1)
        CHECK_STR(str(s, t.hops[0].access_key), "ASIA\"Q\\");
    char *f = trace_chain_filter(s, &t);
    CHECK_STR(f, "key:\"ASIA\\\"Q\\\\\"");
    struct filter_error err;
    struct filter *flt = f ? filter_compile(f, s, &err) : NULL;
    if (!flt)
        fprintf(stderr, "chain filter %s: %s\n", f ? f : "(null)", flt ? "" : err.message);
    CHECK(flt != NULL);
    for (size_t i = 0; flt && i < s->nevents; i++) /* the call that issued the key, and its use */
        CHECK_INT(filter_match(flt, i), strcmp(id_of(s, i), "use-2") != 0);
    filter_free(flt);
    free(f);
    trace_free(&t);
    trace_index_free(x);
    store_free(s);
}

/* With paths: every event's origin as the origins computation gives it (what origin: and --actors use)
 * against its own trace (what --trace prints), for every event; prints each disagreement. */
static int agree(const char *const *paths, size_t n)
{
    struct store *s = store_new();
    if (load_paths(s, paths, n, NULL, NULL) < 0 || origins_ensure(s, NULL) != 0) {
        fprintf(stderr, "agree: cannot load\n");
        return 2;
    }
    struct trace_index *x = trace_index_new(s);
    size_t bad = 0;
    for (size_t i = 0; x && i < s->nevents; i++) {
        struct trace t;
        trace_build_back(x, i, &t);
        struct origin_actor want;
        origin_actor_of_trace(&t, &want);
        const struct origin_actor *got = &origins_of(s)->actors[origins_actor_of(origins_of(s), i)];
        if (strcmp(got->type, want.type) != 0 || strcmp(got->key, want.key) != 0 ||
            got->account != want.account || got->store != want.store || got->uncertain != want.uncertain ||
            got->masked != want.masked) {
            if (bad++ < 10)
                fprintf(stderr, "event %s: origins say %s %s, its trace %s %s\n", id_of(s, i), got->type,
                        got->key, want.type, want.key);
        }
    }
    printf("agree: %zu events, %zu disagree\n", s->nevents, bad);
    trace_index_free(x);
    store_free(s);
    return x && !bad ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return agree((const char *const *)argv + 1, (size_t)argc - 1);
    test_seed_pair();
    test_missing();
    test_cycle();
    test_shapes();
    test_actor_roles();
    test_quoted_identity();
    return harness_done("trace");
}
