/* Unit tests for the filter language: matching primitives, the parser (valid and invalid expressions
 * with the columns their errors point at), evaluation on a small hand-made store, the "apply as filter"
 * terms, and the searchable pieces of a record. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "model/base/filterquote.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"
#include "model/query/filter.h"
#include "model/query/goto.h"
#include "model/json/jsonfmt.h"
#include "model/index/match.h"
#include "parsers/load.h"
#include "parsers/pieces.h"

static void test_glob(void)
{
    static const struct {
        const char *pat, *s;
        int glob, contains;
    } cases[] = {
        {"AssumeRole", "AssumeRole", 1, 1},
        {"assumerole", "AssumeRole", 1, 1},
        {"Assume", "AssumeRole", 0, 1},
        {"AssumeRole*", "AssumeRoleWithSAML", 1, 1},
        {"*SAML", "AssumeRoleWithSAML", 1, 1},
        {"*role*", "AssumeRoleWithSAML", 1, 1},
        {"a*b*c", "axxbyyc", 1, 1},
        {"a*b*c", "axxcyyb", 0, 0},
        {"*", "", 1, 1},
        {"*", "x", 1, 1},
        {"**", "x", 1, 1},
        {"ab*ab", "ab", 0, 0},
        {"ab*ab", "abab", 1, 1},
        {"", "", 1, 1},
        {"x", "", 0, 0},
        {"eu-*", "us-east-1", 0, 0},
        {"Ä", "ä", 0, 0}, /* only ASCII folds */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *p = cases[i].pat, *s = cases[i].s;
        CHECK_INT(match_glob(p, strlen(p), s, strlen(s)), cases[i].glob);
        CHECK_INT(match_contains(p, strlen(p), s, strlen(s)), cases[i].contains);
    }
}

/* Case-insensitive substring, the plain way: the reference for match_contains on a literal. */
static int naive_contains(const char *p, size_t plen, const char *s, size_t slen)
{
    for (size_t i = 0; i + plen <= slen; i++) {
        size_t k = 0;
        while (k < plen && tolower((unsigned char)p[k]) == tolower((unsigned char)s[i + k]))
            k++;
        if (k == plen)
            return 1;
    }
    return 0;
}

/* match_contains tries 16 positions at a time: random strings of every length around the block size,
 * from an alphabet with both cases and the bytes beside the letters ('@', '[', '`', '{'). */
static void test_contains_random(void)
{
    static const char alphabet[] = "aAbB@[`{";
    unsigned seed = 16;
    char s[80], p[6];
    int mismatches = 0;
    for (int round = 0; round < 200000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t slen = (seed >> 8) % 70, plen = 1 + (seed >> 20) % 5;
        for (size_t i = 0; i < slen; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = alphabet[(seed >> 16) % 8];
        }
        for (size_t i = 0; i < plen; i++) {
            seed = seed * 1103515245u + 12345u;
            p[i] = alphabet[(seed >> 16) % 8];
        }
        if (match_contains(p, plen, s, slen) != naive_contains(p, plen, s, slen))
            mismatches++;
    }
    CHECK_INT(mismatches, 0);
}

static void test_ipnet(void)
{
    struct ipnet n;
    CHECK_INT(ipnet_parse("192.0.2.0/24", 12, &n), 0);
    CHECK(ipnet_contains(&n, "192.0.2.200", 11));
    CHECK(!ipnet_contains(&n, "192.0.3.1", 9));
    CHECK(!ipnet_contains(&n, "2001:db8::1", 11));
    CHECK(!ipnet_contains(&n, "AWS Internal", 12));
    CHECK_INT(ipnet_parse("10.0.0.0/7", 10, &n), 0);
    CHECK(ipnet_contains(&n, "11.255.0.1", 10));
    CHECK(!ipnet_contains(&n, "12.0.0.1", 8));
    CHECK_INT(ipnet_parse("2001:db8::/32", 13, &n), 0);
    CHECK(ipnet_contains(&n, "2001:DB8:0:1::5", 15));
    CHECK(!ipnet_contains(&n, "2001:db9::1", 11));
    CHECK_INT(ipnet_parse("0.0.0.0/0", 9, &n), 0);
    CHECK(ipnet_contains(&n, "8.8.8.8", 7));
    CHECK_INT(ipnet_parse("1.2.3.4", 7, &n), 0);
    CHECK_INT(n.prefix, 32);
    CHECK_INT(ipnet_parse("1.2.3.4/33", 10, &n), -1);
    CHECK_INT(ipnet_parse("1.2.3.4/", 8, &n), -1);
    CHECK_INT(ipnet_parse("1.2.3/8", 7, &n), -1);
    CHECK_INT(ipnet_parse("::/129", 6, &n), -1);
    CHECK_INT(ipnet_parse("1.2.3.4/2x", 10, &n), -1);
    CHECK_INT(ipnet_parse("1.2.3.256", 9, &n), -1);
    CHECK_INT(ipnet_parse("01.2.3.4", 8, &n), -1);
    CHECK_INT(ipnet_parse("1.2.3.4.5", 9, &n), -1);
    CHECK_INT(ipnet_parse("1.2.3", 5, &n), -1);
    CHECK_INT(ipnet_parse("::ffff:1.2.3.4", 14, &n), 0);
    CHECK_INT(n.family, 6);
    CHECK_INT(ipnet_parse("255.255.255.255", 15, &n), 0);
    CHECK_INT(ipnet_parse("0.0.0.0", 7, &n), 0);
}

/* Expressions and where their errors point: column 0 means valid. */
static const struct {
    const char *expr;
    int column;
    const char *message; /* a part of the error message */
} syntax_cases[] = {
    {"", 0, NULL},
    {"   ", 0, NULL},
    {"name:AssumeRole*", 0, NULL},
    {"NAME:x SRC:sts", 0, NULL},
    {"a OR b c", 0, NULL},
    {"-(a OR b) -c", 0, NULL},
    {"((a))", 0, NULL},
    {"user:\"John Smith\"", 0, NULL},
    {"\"two words\" x", 0, NULL},
    {"\"a \\\"quoted\\\" word\"", 0, NULL},
    {"arn:aws:iam::1:role/x", 1, "unknown field 'arn'"},
    {"\"arn:aws:iam::1:role/x\"", 0, NULL},
    {"2024-03-01T10:00", 0, NULL}, /* not a field name: a word */
    {"ip:10.0.0.0/8 ip:2001:db8::/32 ip:1.2.3.4 ip:AWS* ip:cloudtrail.amazonaws.com", 0, NULL},
    {"after:2024-03-01 before:2024-03-01T10:00 after:2024-03-01T10:00:05Z before:2024-03-01 10:00", 0, NULL},
    {"ro:true ro:FALSE error:* res:arn:aws:iam::*:role/*", 0, NULL},
    {"usr:bob", 1, "unknown field 'usr' in 'usr:bob'"},
    {"name:x  usr:bob", 9, "unknown field 'usr'"},
    {"é usr:bob", 3, "unknown field 'usr'"}, /* columns count characters, not bytes */
    {"(name:x", 1, "unclosed '('"},
    {"a (b (c)", 3, "unclosed '('"},
    {"a)", 2, "unexpected ')'"},
    {"()", 1, "empty '()'"},
    {"OR a", 1, "'OR' needs a term before it"},
    {"a OR", 3, "'OR' needs a term after it"},
    {"a OR OR b", 3, "'OR' needs a term after it"},
    {"a OR )", 3, "'OR' needs a term after it"},
    {"a - b", 3, "'-' needs a term after it"},
    {"name:", 1, "missing value after 'name:'"},
    {"ip:10.0.0.0/33", 1, "bad CIDR '10.0.0.0/33'"},
    {"x ip:1.2.3.4/", 3, "bad CIDR"},
    {"ip:nonsense/8", 1, "bad CIDR"},
    {"after:2024-13-01", 1, "bad date '2024-13-01'"},
    {"before:yesterday", 1, "bad date"},
    {"after:2024-03-01T12", 1, "bad date"},
    {"ro:maybe", 1, "'ro' takes true or false"},
    {"\"open", 1, "unclosed '\"'"},
    {"user:\"open", 6, "unclosed '\"'"},
    {"requestParameters.roleArn:*EC2-dev resources.type:AWS::IAM::Role", 0, NULL},
    {"requestParameters:* eventCategory:Management tlsDetails.tlsVersion:TLSv1.2", 0, NULL},
    {"userIdentity.arn:\"a b\" 10.0.0.1:443", 0, NULL}, /* a word with a '.' is a path */
    {"a..b:x", 1, "bad path 'a..b': empty key at byte 3"},
    {"name:x requestParameters.:y", 8, "bad path 'requestParameters.': empty key"},
    {"*.amazonaws.com:x", 1, "bad path"},
    {"eventname:x", 1, "unknown field 'eventname'"}, /* record keys are case-sensitive */
    {"requestParameters.roleArn:", 1, "missing value after 'requestParameters.roleArn:'"},
    {"a.b:\"open", 5, "unclosed '\"'"},
    /* regular expressions: /REGEX/ as a value or a bare word, \/ for a '/' inside */
    {"name:/^Assume/ /mall[o0]ry/ -user:/^ali/ requestParameters.bucketName:/^prod-/", 0, NULL},
    {"(/a (b) c/ OR ua:/x (y)/) rule:/^aws_/", 0, NULL},
    {"name:/a\\/b/ res:/\\\\/", 0, NULL},
    {"name:/(/", 8, "bad regular expression '(': missing closing parenthesis"},
    {"x /a[/", 6, "bad regular expression 'a[': missing terminating ]"},
    {"name:/a", 6, "unclosed '/' of a regular expression"},
    {"name:/a\\/", 6, "unclosed '/'"},
    {"/aws/lambda", 6, "a regular expression ends at its closing '/'"},
    {"name://", 6, "empty regular expression"},
    {"ro:/true/", 1, "'ro' takes true or false, not a regular expression"},
    {"x after:/2024/", 3, "'after' takes a date, not a regular expression"},
    {"outcome:/ok/", 1, "'outcome' takes failed or ok"},
    {"level:/high/", 1, "'level' takes a level"},
};

static void test_syntax(struct store *s)
{
    for (size_t i = 0; i < sizeof syntax_cases / sizeof *syntax_cases; i++) {
        struct filter_error err;
        struct filter *f = filter_compile(syntax_cases[i].expr, s, &err);
        int col = f ? 0 : err.column;
        if (col != syntax_cases[i].column)
            fprintf(stderr, "expression %s: %s\n", syntax_cases[i].expr, f ? "(valid)" : err.message);
        CHECK_INT(col, syntax_cases[i].column);
        if (syntax_cases[i].message) {
            CHECK(!f && strstr(err.message, syntax_cases[i].message) != NULL);
            char where[32];
            snprintf(where, sizeof where, "column %d", syntax_cases[i].column);
            CHECK(!f && strstr(err.message, where) != NULL);
        }
        filter_free(f);
    }
    /* deep nesting is refused, not a stack overflow */
    char deep[400];
    memset(deep, '(', 200);
    strcpy(deep + 200, "x");
    struct filter_error err;
    struct filter *f = filter_compile(deep, s, &err);
    CHECK(f == NULL && strstr(err.message, "nested too deeply"));
    filter_free(f);
}

/* Events with every shape the fields care about; ids e1..e9 in time order. */
static const char events_json[] =
    "{\"Records\":["
    "{\"eventID\":\"e1\",\"eventTime\":\"2024-03-01T09:59:59Z\",\"eventSource\":\"sts.amazonaws.com\","
    "\"eventName\":\"AssumeRole\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111122223333\","
    "\"sourceIPAddress\":\"192.0.2.10\",\"readOnly\":true,\"eventType\":\"AwsApiCall\","
    "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"Alice\",\"arn\":\"arn:aws:iam::111122223333:user/"
    "Alice\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAALICE\"},"
    "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::444455556666:role/Admin\",\"roleSessionName\":\"s1\"},"
    "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIASESSION1\"}},"
    "\"resources\":[{\"ARN\":\"arn:aws:iam::444455556666:role/Admin\",\"type\":\"AWS::IAM::Role\"}],"
    "\"sharedEventID\":\"shared-1\",\"requestID\":\"req-1\"},"
    "{\"eventID\":\"e2\",\"eventTime\":\"2024-03-01T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\","
    "\"eventName\":\"DeleteBucket\",\"awsRegion\":\"eu-west-1\",\"recipientAccountId\":\"444455556666\","
    "\"sourceIPAddress\":\"2001:db8::7\",\"readOnly\":false,\"errorCode\":\"AccessDenied\","
    "\"errorMessage\":\"not authorized\",\"userAgent\":\"Terraform/1.7\","
    "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::444455556666:assumed-role/Admin/s1\","
    "\"principalId\":\"AROAADMIN:s1\",\"accountId\":\"444455556666\",\"accessKeyId\":\"ASIASESSION1\","
    "\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::444455556666:role/Admin\"},"
    "\"sourceIdentity\":\"alice-laptop\"}},\"requestParameters\":{\"bucketName\":\"secret-bucket\"}},"
    "{\"eventID\":\"e3\",\"eventTime\":\"2024-03-01T10:00:01Z\",\"eventSource\":\"signin.amazonaws.com\","
    "\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111122223333\","
    "\"sourceIPAddress\":\"198.51.100.1\",\"errorMessage\":\"Failed authentication\","
    "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"HIDDEN_DUE_TO_SECURITY_REASONS\","
    "\"accountId\":\"111122223333\"},\"responseElements\":{\"ConsoleLogin\":\"Failure\"}},"
    "{\"eventID\":\"e4\",\"eventTime\":\"2024-03-02T00:00:00Z\",\"eventSource\":\"signin.amazonaws.com\","
    "\"eventName\":\"ConsoleLogin\",\"recipientAccountId\":\"111122223333\",\"sourceIPAddress\":\"AWS "
    "Internal\","
    "\"userIdentity\":{\"type\":\"Root\",\"arn\":\"arn:aws:iam::111122223333:root\","
    "\"accountId\":\"111122223333\"},\"responseElements\":{\"ConsoleLogin\":\"Success\"}},"
    "{\"eventID\":\"e5\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"RunInstances\","
    "\"recipientAccountId\":\"111122223333\",\"note\":\"no eventTime\"}"
    "]}";

static void expect_ids(struct store *s, const char *expr, const char *want)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, s, &err);
    if (!f) {
        fprintf(stderr, "%s: %s\n", expr, err.message);
        CHECK(f != NULL);
        return;
    }
    struct filter_run run;
    filter_run_init(&run, f);
    /* small steps, as the TUI takes them, must give the same result as one big one */
    while (!filter_run_step(&run, 1))
        ;
    char got[256] = "";
    for (size_t i = 0; i < run.nshown; i++) {
        strcat(got, i ? " " : "");
        strcat(got, store_str(s, &s->events[run.shown[i]], EF_EVENT_ID));
    }
    if (strcmp(got, want) != 0)
        fprintf(stderr, "filter %s\n", expr);
    CHECK_STR(got, want);
    for (size_t i = 0; i < s->nevents; i++) {
        int shown = 0;
        for (size_t k = 0; k < run.nshown; k++)
            shown |= run.shown[k] == i;
        CHECK_INT(filter_match(f, i), shown);
    }
    filter_run_free(&run);
    filter_free(f);
}

static void test_eval(struct store *s)
{
    expect_ids(s, "", "e1 e2 e3 e4 e5");
    expect_ids(s, "name:assumerole", "e1");
    expect_ids(s, "name:*Login", "e3 e4");
    expect_ids(s, "src:sts", "e1");
    expect_ids(s, "src:STS.amazonaws.com", "e1");
    expect_ids(s, "src:sign*", "e3 e4");
    expect_ids(s, "user:alice", "e1");
    expect_ids(s, "user:s1", "e2"); /* session name, from the assumed-role ARN and the principal id */
    expect_ids(s, "user:root", "e4");
    expect_ids(s, "user:HIDDEN*", "e3");
    expect_ids(s, "acct:444455556666", "e2");
    expect_ids(s, "acct:1111*", "e1 e3 e4 e5");
    expect_ids(s, "region:eu-*", "e2");
    expect_ids(s, "-region:*", "e4 e5");
    expect_ids(s, "type:assumedrole", "e2");
    expect_ids(s, "ip:192.0.2.0/24", "e1");
    expect_ids(s, "ip:2001:db8::/32", "e2");
    expect_ids(s, "ip:2001:DB8:0::7", "e2");
    expect_ids(s, "ip:0.0.0.0/0", "e1 e3");
    expect_ids(s, "ip:aws*", "e4");
    expect_ids(s, "ip:198.51.100.1", "e3");
    expect_ids(s, "key:ASIASESSION1", "e1 e2"); /* the key an STS call issued, and its use */
    expect_ids(s, "id:E2", "e2");
    expect_ids(s, "shared:shared-1", "e1");
    expect_ids(s, "req:req-*", "e1");
    expect_ids(s, "error:*", "e2 e3");
    expect_ids(s, "-error:*", "e1 e4 e5");
    expect_ids(s, "error:accessdenied", "e2");
    expect_ids(s, "error:*authentication", "e3");
    expect_ids(s, "requestParameters.roleArn:*Admin", "e1");
    expect_ids(s, "requestParameters.roleArn:\"arn:aws:iam::444455556666:role/Admin\"", "e1");
    expect_ids(s, "requestParameters.bucketName:SECRET-*", "e2");
    expect_ids(s, "requestParameters.bucketName:*", "e2");
    expect_ids(s, "-requestParameters.bucketName:*", "e1 e3 e4 e5");
    expect_ids(s, "requestParameters:*", "e1 e2");
    expect_ids(s, "requestParameters:*secret*", "e2"); /* an object's value is its minified JSON */
    expect_ids(s, "resources.type:AWS::IAM::Role", "e1");
    expect_ids(s, "resources.ARN:*:role/admin", "e1");
    expect_ids(s, "readOnly:FALSE", "e2");
    expect_ids(s, "readOnly:*", "e1 e2");
    expect_ids(s, "eventName:ConsoleLogin", "e3 e4");
    expect_ids(s, "userIdentity.sessionContext.sourceIdentity:alice*", "e2");
    expect_ids(s, "responseElements.ConsoleLogin:failure", "e3");
    expect_ids(s, "responseElements.credentials.accessKeyId:ASIA* OR requestParameters.bucketName:*",
               "e1 e2");
    expect_ids(s, "no.such.path:*", "");
    expect_ids(s, "RequestParameters.bucketName:*", ""); /* keys are case-sensitive */
    expect_ids(s, "ro:true", "e1");
    expect_ids(s, "ro:false", "e2");
    expect_ids(s, "ua:terraform*", "e2");
    expect_ids(s, "res:arn:aws:iam::*:role/*", "e1");
    expect_ids(s, "etype:AwsApiCall", "e1");
    expect_ids(s, "role:*role/Admin", "e1 e2");
    expect_ids(s, "srcid:alice-*", "e2");
    expect_ids(s, "after:2024-03-01T10:00", "e2 e3 e4"); /* inclusive */
    expect_ids(s, "before:2024-03-01T10:00", "e1");      /* exclusive */
    expect_ids(s, "after:2024-03-01 before:2024-03-02", "e1 e2 e3");
    expect_ids(s, "-after:2000-01-01", "e5"); /* no eventTime: neither after nor before anything */
    expect_ids(s, "secret-bucket", "e2");     /* a value only in requestParameters */
    expect_ids(s, "bucketName", "e2");        /* a key */
    expect_ids(s, "\"no eventtime\"", "e5");  /* a member the index does not know */
    expect_ids(s, "ALICE", "e1 e2");
    expect_ids(s, "2024-03-01T10:00", "e2 e3"); /* the eventTime text */
    expect_ids(s, "secret*bucket", "e2");
    expect_ids(s, "src:sts OR src:s3", "e1 e2");
    expect_ids(s, "name:ConsoleLogin error:* OR ip:AWS*", "e3 e4");
    expect_ids(s, "(name:ConsoleLogin error:*) OR src:sts", "e1 e3");
    expect_ids(s, "-(src:sts OR src:s3) -name:RunInstances", "e3 e4");
    expect_ids(s, "--src:sts", "e1");
    expect_ids(s, "nothing-like-this", "");
}

/* Regex terms: every kind of field, paths, free text; each run twice, as the second run of a field
 * reads its index (filter_index.c), which must not take an expression for a literal. */
static void test_regex(struct store *s)
{
    static const struct {
        const char *expr, *want;
    } cases[] = {
        {"name:/^assume/", "e1"},
        {"name:/login$/", "e3 e4"},
        {"name:/AssumeRole/", "e1"},
        {"src:/^sts$/", "e1"}, /* the short form too, as src:sts */
        {"user:/^alice$/", "e1"},
        {"user:/^s\\d$/", "e2"}, /* the session name after the last ':' or '/' */
        {"-user:/^alice$/", "e2 e3 e4 e5"},
        {"ip:/^192\\.0\\.2\\./", "e1"},
        {"ip:/:db8:/", "e2"},
        {"error:/denied|authentication/", "e2 e3"},
        {"res:/role\\/admin$/", "e1"},
        {"ua:/TERRAFORM\\/1\\.7/", "e2"},
        {"requestParameters.bucketName:/^secret-[a-z]+$/", "e2"},
        {"resources.ARN:/:role\\/Admin$/", "e1"},
        {"requestParameters:/\"bucketName\":\"secret/", "e2"},
        {"eventName:/^c.*n$/", "e3 e4"},
        {"/secret-buck/", "e2"},
        {"/^alice$/", "e1"},                   /* a whole value */
        {"/2024-03-01T10:00:0[01]/", "e2 e3"}, /* the eventTime text */
        {"/no\\seventtime/", "e5"},
        {"name:/assume/ OR /secret/", "e1 e2"},
        {"-/alice/ -name:/^run/", "e3 e4"},
        {"(/ed auth/ OR name:/(delete)bucket/)", "e2 e3"},
        {"name:/^$/", ""}, /* an empty value is no value */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        expect_ids(s, cases[i].expr, cases[i].want);
        expect_ids(s, cases[i].expr, cases[i].want);
    }
    /* the longest expression taken, and one byte more */
    char big[FILTER_RE_MAX_LEN + 16];
    struct filter_error err;
    for (int extra = 0; extra < 2; extra++) {
        size_t n = FILTER_RE_MAX_LEN + (size_t)extra;
        memcpy(big, "ua:/", 4);
        memset(big + 4, 'a', n);
        strcpy(big + 4 + n, "/");
        struct filter *f = filter_compile(big, s, &err);
        CHECK(extra ? f == NULL &&
                          strstr(err.message, "column 4: regular expression of 1001 bytes: at most 1000")
                    : f != NULL);
        filter_free(f);
    }
    /* the longest filter taken (blanks between two terms), and one byte more: refused whole, never cut */
    char *line = malloc(FILTER_MAX_LEN + 2);
    for (int extra = 0; extra < 2; extra++) {
        size_t n = FILTER_MAX_LEN + (size_t)extra;
        memset(line, ' ', n);
        memcpy(line, "name:x", 6);
        memcpy(line + n - 7, "-name:x", 7);
        line[n] = '\0';
        struct filter *f = filter_compile(line, s, &err);
        CHECK(extra ? f == NULL && strstr(err.message, "a filter of 16001 bytes: at most 16000") : f != NULL);
        filter_free(f);
    }
    free(line);
}

/* A catastrophic expression over long values gives up within its bounds, fast, counts as no match and
 * is counted (once per distinct value: the eight values here are one interned string). */
static void test_regex_bounds(void)
{
    struct store *s = store_new();
    size_t cap = 200000, n = 0;
    char *buf = malloc(cap);
    n += (size_t)snprintf(buf + n, cap - n, "{\"Records\":[");
    for (int e = 0; e < 8; e++) {
        n += (size_t)snprintf(buf + n, cap - n,
                              "%s{\"eventID\":\"x%d\",\"eventName\":\"Get\",\"userAgent\":\"", e ? "," : "",
                              e);
        memset(buf + n, 'a', 5000);
        n += 5000;
        n += (size_t)snprintf(buf + n, cap - n, "!\"}");
    }
    n += (size_t)snprintf(buf + n, cap - n, "]}");
    CHECK_INT(load_buffer(s, "long.json", buf, n), 0);
    free(buf);
    static const char *const exprs[] = {"ua:/(a+)+$/", "/(a|aa)+$/", "name:/get/ ua:/^(\\w|a)+$/"};
    for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct filter_error err;
        struct filter *f = filter_compile(exprs[i], s, &err);
        CHECK(f != NULL);
        if (!f)
            continue;
        struct filter_run run;
        filter_run_init(&run, f);
        CHECK_INT(filter_run_all(&run), 0);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (secs > 2)
            fprintf(stderr, "%s took %.1f s\n", exprs[i], secs);
        CHECK(secs < 2);
        CHECK_INT((int)run.nshown, 0);
        char what[16];
        size_t gave_up = filter_regex_gave_up(f, what, sizeof what);
        CHECK(gave_up >= 1);
        CHECK(what[0] == '/' && what[strlen(what) - 1] == '/' && strlen(what) < sizeof what);
        filter_run_free(&run);
        filter_free(f);
    }
    /* an expression that never gives up says nothing */
    struct filter_error err;
    struct filter *f = filter_compile("ua:/a!$/", s, &err);
    struct filter_run run;
    filter_run_init(&run, f);
    CHECK_INT(filter_run_all(&run), 0);
    CHECK_INT((int)run.nshown, 8);
    char what[16];
    CHECK_INT((int)filter_regex_gave_up(f, what, sizeof what), 0);
    filter_run_free(&run);
    filter_free(f);
    store_free(s);
}

static void test_term_for(void)
{
    char out[256];
    filter_term_for("eventName", "\"AssumeRole\"", 12, 1, 0, out, sizeof out);
    CHECK_STR(out, "name:AssumeRole");
    filter_term_for("userIdentity.arn", "\"arn:aws:iam::1:user/Bob\"", 25, 1, 1, out, sizeof out);
    CHECK_STR(out, "-user:arn:aws:iam::1:user/Bob");
    filter_term_for("userAgent", "\"a (b) \\\"c\\\"\"", 13, 1, 0, out, sizeof out);
    CHECK_STR(out, "ua:\"a (b) \\\"c\\\"\"");
    filter_term_for("readOnly", "false", 5, 0, 0, out, sizeof out);
    CHECK_STR(out, "ro:false");
    filter_term_for("requestParameters.bucketName", "\"b\"", 3, 1, 0, out, sizeof out);
    CHECK_STR(out, "\"b\"");
    filter_term_for("resources.ARN", "\"arn:x\"", 7, 1, 0, out, sizeof out);
    CHECK_STR(out, "res:arn:x");
    filter_term_for("userAgent", "\"/x/\"", 5, 1, 0, out, sizeof out); /* not a regular expression */
    CHECK_STR(out, "ua:\"/x/\"");
}

/* Values that would end the quotes or read as syntax: each quoted term selects exactly its own event,
 * not the one whose value only starts the same. */
static void test_quote_roundtrip(void)
{
    static const char *const values[] = {
        "a\"b",   "back\\slash", "trail\\", "trail\\x", "two words",     "OR",        "a OR b", "-neg",
        "(paren", "x) OR (y",    "\\\"",    "\"",       "-(x) OR \"y\"", "tab\there", "star*",
    };
    size_t nv = sizeof values / sizeof *values;
    char json[4096];
    size_t n = (size_t)snprintf(json, sizeof json, "{\"Records\":[");
    for (size_t i = 0; i < nv; i++) {
        n += (size_t)snprintf(json + n, sizeof json - n, "%s{\"eventID\":\"q%zu\",\"eventName\":\"",
                              i ? "," : "", i);
        for (const char *p = values[i]; *p; p++)
            n += (size_t)snprintf(json + n, sizeof json - n,
                                  *p == '"' || *p == '\\' ? "\\%c"
                                  : *p == '\t'            ? "\\t%.0d"
                                                          : "%c",
                                  *p == '\t' ? 0 : *p);
        n += (size_t)snprintf(json + n, sizeof json - n, "\"}");
    }
    n += (size_t)snprintf(json + n, sizeof json - n, "]}");
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "quote.json", json, n), 0);
    CHECK_INT(s->nevents, nv);
    for (size_t i = 0; i < nv; i++) {
        char *term = filterquote_term_dup("name", values[i], strlen(values[i]));
        char small[8];
        CHECK_INT(filterquote_term("name", values[i], strlen(values[i]), small, sizeof small), strlen(term));
        CHECK(strncmp(small, term, sizeof small - 1) == 0 && strlen(small) < sizeof small);
        struct filter_error err;
        struct filter *f = filter_compile(term, s, &err);
        if (!f)
            fprintf(stderr, "%s: %s\n", term, err.message);
        CHECK(f != NULL);
        for (size_t k = 0; f && k < s->nevents; k++) {
            const char *name = store_str(s, &s->events[k], EF_NAME);
            /* '*' stays a wildcard inside quotes: "star*" also selects longer names, none here */
            int want = strcmp(name, values[i]) == 0;
            if (filter_match(f, k) != want)
                fprintf(stderr, "%s on %s: expected %d\n", term, name, want);
            CHECK_INT(filter_match(f, k), want);
        }
        filter_free(f);
        free(term);
    }
    store_free(s);
}

static void test_line_path(void)
{
    const char *j = "{\"a\":1,\"userIdentity\":{\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"x\"}}},"
                    "\"resources\":[{\"ARN\":\"r\"}]}";
    struct json_doc d;
    CHECK_INT(jsonfmt_pretty(j, strlen(j), 2, &d), 0);
    char path[128];
    size_t found = 0;
    for (size_t i = 0; i < d.nlines; i++) {
        const char *v;
        size_t len;
        enum json_class c;
        if (jsonfmt_line_value(&d, i, &v, &len, &c) != 0)
            continue;
        jsonfmt_line_path(&d, i, path, sizeof path);
        if (len == 3 && memcmp(v, "\"x\"", 3) == 0) {
            CHECK_STR(path, "userIdentity.sessionContext.sessionIssuer.arn");
            found++;
        }
        if (len == 3 && memcmp(v, "\"r\"", 3) == 0) {
            CHECK_STR(path, "resources.ARN");
            found++;
        }
    }
    CHECK_INT(found, 2);
    jsonfmt_free(&d);
}

static void test_pieces(void)
{
    struct pieces_scratch ps = {0};
    const char *rec = "{ \"eventVersion\": \"1.08\",\n  \"eventName\": \"X\",\n  \"userIdentity\": {\n"
                      "    \"type\": \"Root\" },\n  \"note\": \"a \\\" b\" }";
    size_t n = pieces_split(rec, strlen(rec), NULL, 0, &ps);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK(ps.refs[0].len == 30 && memcmp(ps.refs[0].s, "\"userIdentity\":{\"type\":\"Root\"}", 30) == 0);
        const char *misc = "\"eventVersion\":\"1.08\",\"eventName\",\"note\":\"a \\\" b\"";
        CHECK(ps.refs[1].len == strlen(misc) && memcmp(ps.refs[1].s, misc, ps.refs[1].len) == 0);
        if (ps.refs[1].len != strlen(misc))
            fprintf(stderr, "misc piece: %.*s\n", (int)ps.refs[1].len, ps.refs[1].s);
    }
    CHECK_INT(pieces_split("[1,2]", 5, NULL, 0, &ps), 0);
    CHECK_INT(pieces_split("{\"a\":{\"b\":", 10, NULL, 0, &ps), 1); /* cut short: what there is */
    pieces_scratch_free(&ps);
}

/* The ids of the events filter_compile_tz(expr, z) shows, space-separated, into got. */
static void ids_tz(struct store *s, const char *expr, const struct tz *z, char *got, size_t cap)
{
    struct filter_error err;
    struct filter *f = filter_compile_tz(expr, s, z, &err);
    got[0] = '\0';
    if (!f) {
        snprintf(got, cap, "error: %.200s", err.message);
        return;
    }
    for (size_t i = 0; i < s->nevents; i++)
        if (filter_match(f, i) > 0)
            snprintf(got + strlen(got), cap - strlen(got), "%s%s", got[0] ? " " : "",
                     store_str(s, &s->events[i], EF_EVENT_ID));
    filter_free(f);
}

/* after:/before: without a zone of their own are read in the zone given (the interface's), with one in
 * it; filter_compile reads UTC. CET-1 is a fixed +01:00 (a POSIX TZ string: no zoneinfo needed). */
static void test_tz_terms(struct store *s)
{
    struct tz cet, utc;
    char err[200], got[400];
    tz_utc(&utc);
    CHECK_INT(tz_set(&cet, "CET-1", err, sizeof err), 0);
    ids_tz(s, "after:2024-03-01T11:00", &cet, got, sizeof got); /* 10:00Z */
    CHECK_STR(got, "e2 e3 e4");
    ids_tz(s, "after:2024-03-01T11:00", &utc, got, sizeof got);
    CHECK_STR(got, "e4");
    ids_tz(s, "after:2024-03-01T11:00", NULL, got, sizeof got);
    CHECK_STR(got, "e4");
    ids_tz(s, "after:2024-03-01T10:00Z", &cet, got, sizeof got);
    CHECK_STR(got, "e2 e3 e4");
    ids_tz(s, "after:2024-03-01T12:00+02:00", &cet, got, sizeof got);
    CHECK_STR(got, "e2 e3 e4");
    ids_tz(s, "before:2024-03-01T11:00:01", &cet, got, sizeof got);
    CHECK_STR(got, "e1 e2");
    ids_tz(s, "before:2024-03-02", &cet, got, sizeof got); /* midnight in CET: 23:00Z */
    CHECK_STR(got, "e1 e2 e3");
    ids_tz(s, "after:2024-03-01T25:00", &cet, got, sizeof got);
    CHECK(strstr(got, "bad date") && strstr(got, "in CET-1 unless it ends with Z or +HH:MM"));
    tz_set(&cet, "UTC", err, sizeof err);
}

/* A wall-clock time in z, as UTC text ("bad" when tz_parse refuses it). */
static const char *utc_of(const struct tz *z, const char *wall, char *buf)
{
    int64_t ms;
    if (tz_parse(z, wall, strlen(wall), &ms) != 0)
        return "bad";
    return timefmt_format(ms, buf);
}

/* Times the zone skips or repeats (Paris's rules as a POSIX TZ string: no zoneinfo needed). A time in
 * the spring-forward gap is the end of the gap (02:30 as 02:00: 03:00 CEST, 01:00Z), so after: keeps the
 * events shown at 03:00; one in the autumn's repeated hour is its first occurrence (CEST), always. */
static void test_tz_gaps(void)
{
    struct tz paris;
    char err[200], buf[TIMEFMT_BUF], got[400];
    CHECK_INT(tz_set(&paris, "CET-1CEST,M3.5.0,M10.5.0/3", err, sizeof err), 0);
    CHECK_STR(utc_of(&paris, "2024-03-31T01:59", buf), "2024-03-31T00:59:00Z");
    CHECK_STR(utc_of(&paris, "2024-03-31T02:00", buf), "2024-03-31T01:00:00Z");
    CHECK_STR(utc_of(&paris, "2024-03-31T02:30", buf), "2024-03-31T01:00:00Z");
    CHECK_STR(utc_of(&paris, "2024-03-31T02:59:59.500", buf), "2024-03-31T01:00:00Z");
    CHECK_STR(utc_of(&paris, "2024-03-31T03:00", buf), "2024-03-31T01:00:00Z");
    CHECK_STR(utc_of(&paris, "2024-03-31T03:20", buf), "2024-03-31T01:20:00Z");
    CHECK_STR(utc_of(&paris, "2024-10-27T01:59", buf), "2024-10-26T23:59:00Z");
    CHECK_STR(utc_of(&paris, "2024-10-27T02:00", buf), "2024-10-27T00:00:00Z"); /* not 01:00Z (CET) */
    CHECK_STR(utc_of(&paris, "2024-10-27T02:30", buf), "2024-10-27T00:30:00Z");
    CHECK_STR(utc_of(&paris, "2024-10-27T02:30", buf), "2024-10-27T00:30:00Z"); /* again: the same */
    CHECK_STR(utc_of(&paris, "2024-10-27T03:00", buf), "2024-10-27T02:00:00Z");
    CHECK_STR(utc_of(&paris, "2024-07-01T12:00", buf), "2024-07-01T10:00:00Z");
    CHECK_STR(utc_of(&paris, "2024-01-01T12:00", buf), "2024-01-01T11:00:00Z");
    /* :goto reads the same way */
    struct goto_target t;
    CHECK_INT(goto_parse("2024-03-31T02:30", &paris, &t, err, sizeof err), 0);
    CHECK_INT(t.kind == GOTO_TIME && t.value == 1711846800000LL, 1); /* 2024-03-31T01:00Z */
    /* and after: through filter_compile_tz keeps the events shown at 03:00 and 03:20 */
    static const char night[] = "{\"Records\":["
                                "{\"eventID\":\"n1\",\"eventTime\":\"2024-03-31T00:59:00Z\"},"
                                "{\"eventID\":\"n2\",\"eventTime\":\"2024-03-31T01:00:00Z\"},"
                                "{\"eventID\":\"n3\",\"eventTime\":\"2024-03-31T01:20:00Z\"}]}";
    struct store *ns = store_new();
    CHECK_INT(load_buffer(ns, "night.json", night, sizeof night - 1), 0);
    ids_tz(ns, "after:2024-03-31T02:30", &paris, got, sizeof got);
    CHECK_STR(got, "n2 n3");
    ids_tz(ns, "after:2024-03-31T02:00", &paris, got, sizeof got);
    CHECK_STR(got, "n2 n3");
    ids_tz(ns, "before:2024-03-31T02:30", &paris, got, sizeof got);
    CHECK_STR(got, "n1");
    store_free(ns);
    tz_set(&paris, "UTC", err, sizeof err);
}

int main(void)
{
    test_glob();
    test_contains_random();
    test_ipnet();
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "filter.json", events_json, sizeof events_json - 1), 0);
    CHECK_INT(s->nevents, 5);
    test_syntax(s);
    test_eval(s);
    test_tz_terms(s);
    test_regex(s);
    store_free(s);
    test_regex_bounds();
    test_tz_gaps();
    test_term_for();
    test_quote_roundtrip();
    test_line_path();
    test_pieces();
    return harness_done("filter");
}
