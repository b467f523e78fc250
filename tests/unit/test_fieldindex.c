/* Unit tests for the field indexes (model/index/fieldindex.h) and the filter terms answered from them
 * (model/query/filter_index.c): on a generated corpus with per-event distinct ids, keys, IPv4 and IPv6
 * addresses, case variants and ARNs, many random expressions (wildcards, CIDRs, negation, OR, parentheses,
 * free text, paths) must select exactly the events the plain per-event evaluation (filter_match on a
 * filter that was never run) selects; runs are made in random slices as the TUI makes them; then events
 * are added and merged in time order as when following a directory, and the same must hold again. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "model/index/fieldindex.h"
#include "model/query/filter.h"
#include "parsers/load.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (uint32_t)(rng % n) : 0;
}

static const char *pick(const char *const *a, size_t n)
{
    return a[rnd((uint32_t)n)];
}
#define PICK(a) pick(a, sizeof a / sizeof *a)

struct buf {
    char *s;
    size_t n, cap;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = b->cap ? b->cap * 2 : 4096;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
}

static void hex(char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = "0123456789abcdef"[rnd(16)];
    out[n] = '\0';
}

static void uuid(char *out, int upper)
{
    static const int dash[] = {8, 13, 18, 23};
    for (int i = 0, d = 0; i < 36; i++) {
        if (d < 4 && i == dash[d]) {
            out[i] = '-';
            d++;
            continue;
        }
        out[i] = (upper ? "0123456789ABCDEF" : "0123456789abcdef")[rnd(16)];
    }
    out[36] = '\0';
}

static const char *const names[] = {"AssumeRole",  "assumerole",      "ASSUMEROLE",   "GetObject",
                                    "ListBuckets", "CreateAccessKey", "ConsoleLogin", "AssumeRoleWithSAML"};
static const char *const sources[] = {"sts.amazonaws.com", "STS.AMAZONAWS.COM", "s3.amazonaws.com",
                                      "iam.amazonaws.com", "signin.amazonaws.com"};
static const char *const regions[] = {"us-east-1", "eu-west-1", "eu-central-1", "EU-WEST-1", "ap-south-1"};
static const char *const users[] = {"alice", "Alice", "bob", "mallory", "svc-deploy", "carol:x"};
static const char *const roles[] = {"Admin", "ReadOnly", "deploy/ci", "Alice"};

/* One address: IPv4 in a few networks or anywhere, IPv6 in a few /64s (mixed case), or a service name. */
static void address(char *out, size_t cap)
{
    switch (rnd(7)) {
    case 0:
        snprintf(out, cap, "203.%u.%u.%u", rnd(4), rnd(256), rnd(256));
        break;
    case 1:
        snprintf(out, cap, "10.0.%u.%u", rnd(3), rnd(256));
        break;
    case 2:
        snprintf(out, cap, "%u.%u.%u.%u", rnd(256), rnd(256), rnd(256), rnd(256));
        break;
    case 3:
        snprintf(out, cap, "2001:db8:%x:%x::%x", rnd(3), rnd(3), rnd(0x10000));
        break;
    case 4:
        snprintf(out, cap, "2001:DB8:%X:0:%X::1", rnd(3), rnd(0x10000));
        break;
    case 5:
        snprintf(out, cap, "%s", rnd(2) ? "AWS Internal" : "ec2.amazonaws.com");
        break;
    default:
        snprintf(out, cap, "fe80::%x:%x", rnd(4), rnd(0x10000));
        break;
    }
}

/* A CloudTrail file of n events with times from day (out of order). */
static char *corpus(int n, int day, size_t *len)
{
    struct buf b = {0};
    put(&b, "{\"Records\":[");
    for (int i = 0; i < n; i++) {
        char id[40], req[40], key[24], ip[64], sess[9];
        uuid(id, i % 7 == 0); /* eventIDs and requestIDs held as binary UUIDs, some written in upper case */
        if (i % 11 == 0)
            snprintf(id, sizeof id, "%s",
                     i % 2 ? "0f0f0f0f-aaaa-4bbb-8ccc-0123456789ab" : "0F0F0F0F-AAAA-4BBB-8CCC-0123456789AB");
        uuid(req, 0);
        if (i % 13 == 0)
            hex(req, 20); /* not a UUID: interned */
        hex(sess, 8);
        snprintf(key, sizeof key, "%s%s", rnd(3) ? "ASIA" : "AKIA", sess);
        if (rnd(4) == 0)
            snprintf(key, sizeof key, "ASIAFIXED%u", rnd(5));
        address(ip, sizeof ip);
        const char *user = PICK(users), *role = PICK(roles);
        unsigned acct = 100000000u + rnd(3);
        put(&b,
            "%s{\"eventTime\":\"2024-03-%02dT%02u:%02u:%02uZ\",\"eventName\":\"%s\",\"eventSource\":\"%s\",",
            i ? "," : "", day, rnd(24), rnd(60), rnd(60), PICK(names), PICK(sources));
        put(&b, "\"awsRegion\":\"%s\",\"recipientAccountId\":\"%u\",\"eventID\":\"%s\",\"requestID\":\"%s\",",
            PICK(regions), acct, rnd(50) ? id : "ID-SHARED", req);
        put(&b, "\"sourceIPAddress\":\"%s\",\"readOnly\":%s,", ip, rnd(2) ? "true" : "false");
        if (rnd(2))
            put(&b,
                "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::%u:user/"
                "%s\",\"accountId\":\"%u\","
                "\"principalId\":\"AIDA%s\",\"userName\":\"%s\",\"accessKeyId\":\"%s\"},",
                acct, user, acct, sess, user, key);
        else if (rnd(4))
            put(&b,
                "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::%u:assumed-role/%s/s-%s\","
                "\"principalId\":\"AROA%s:s-%s\",\"accessKeyId\":\"%s\",\"sessionContext\":{"
                "\"sessionIssuer\":"
                "{\"arn\":\"arn:aws:iam::%u:role/%s\"}}},",
                acct, role, sess, sess, sess, key, acct, role);
        if (rnd(6) == 0)
            put(&b, "\"errorCode\":\"%s\",\"errorMessage\":\"denied %s\",",
                rnd(2) ? "AccessDenied" : "accessdenied", sess);
        if (rnd(3) == 0)
            put(&b,
                "\"requestParameters\":{\"bucketName\":\"bkt-%s\",\"roleArn\":\"arn:aws:iam::%u:role/%s\"},",
                sess, acct, role);
        if (rnd(5) == 0)
            put(&b, "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA%s\"}},", id);
        put(&b, "\"userAgent\":\"agent/%u\",\"eventType\":\"AwsApiCall\"}", rnd(30));
    }
    put(&b, "]}");
    *len = b.n;
    return b.s;
}

/* A value for field `field` taken from a random event, mutated into a pattern. */
static void value_for(const struct store *s, enum event_field ef, char *out, size_t cap)
{
    const char *v = s->nevents ? store_str(s, &s->events[rnd((uint32_t)s->nevents)], ef) : "";
    size_t len = strlen(v);
    if (len == 0 || len > 100) {
        snprintf(out, cap, "%s", rnd(2) ? "*" : "nothing-like-this");
        return;
    }
    size_t cut = 1 + rnd((uint32_t)len);
    switch (rnd(7)) {
    case 0:
    case 1:
        snprintf(out, cap, "%s", v);
        break;
    case 2: /* other case */
        for (size_t i = 0; i <= len && i < cap; i++)
            out[i] = (char)((v[i] >= 'a' && v[i] <= 'z')   ? v[i] - 32
                            : (v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32
                                                           : v[i]);
        break;
    case 3:
        snprintf(out, cap, "%.*s*", (int)cut, v);
        break;
    case 4:
        snprintf(out, cap, "*%s", v + len - cut);
        break;
    case 5:
        snprintf(out, cap, "*%.*s*", (int)(cut < 4 ? cut : 4), v + (len - cut));
        break;
    default: {
        const char *tail = strrchr(v, '/');
        snprintf(out, cap, "%s", tail ? tail + 1 : v);
        break;
    }
    }
    if (!*out || strchr(out, '"') || strchr(out, ' ') || strchr(out, '(') || strchr(out, ')'))
        snprintf(out, cap, "*");
}

/* An ip: value: a CIDR around a real address, the address itself, or a pattern. */
static void ip_value(const struct store *s, char *out, size_t cap)
{
    char v[160];
    value_for(s, EF_IP, v, sizeof v);
    struct ipnet net;
    if (rnd(3) == 0 || ipnet_parse(v, strlen(v), &net) != 0) {
        snprintf(out, cap, "%s", rnd(4) ? v : "2001:db8::/32");
        return;
    }
    int max = net.family == 4 ? 32 : 128;
    snprintf(out, cap, "%s/%u", v, rnd((uint32_t)max + 1));
}

static const struct {
    const char *name;
    enum event_field ef;
} fields[] = {
    {"name", EF_NAME},          {"src", EF_SOURCE},
    {"user", EF_UI_ARN},        {"user", EF_UI_USER},
    {"user", EF_UI_PRINCIPAL},  {"acct", EF_ACCOUNT},
    {"region", EF_REGION},      {"type", EF_UI_TYPE},
    {"key", EF_UI_KEY},         {"key", EF_ISSUED_KEY},
    {"id", EF_EVENT_ID},        {"req", EF_REQUEST_ID},
    {"error", EF_ERROR_CODE},   {"error", EF_ERROR_MESSAGE},
    {"role", EF_UI_ISSUER_ARN}, {"ua", EF_UA},
    {"eventName", EF_NAME},     {"userIdentity.accessKeyId", EF_UI_KEY},
    {"sourceIPAddress", EF_IP},
};

static void term(const struct store *s, struct buf *b)
{
    char v[160];
    int r = (int)rnd(24);
    if (r < 4) {
        ip_value(s, v, sizeof v);
        put(b, "%s:%s", rnd(4) ? "ip" : "sourceIPAddress", v);
    } else if (r == 4) {
        put(b, "ro:%s", rnd(2) ? "true" : "false");
    } else if (r == 5) {
        put(b, "%s", rnd(2) ? "error:*" : "alice");
    } else if (r == 6) {
        put(b, "requestParameters.bucketName:%s", rnd(2) ? "bkt-*" : "*a*");
    } else if (r == 7) {
        put(b, "origin:%s", rnd(2) ? "alice" : "*");
    } else if (r == 8) {
        static const char *const short_sources[] = {"sts", "STS", "s3", "iam*", "*.amazonaws.com"};
        put(b, "src:%s", PICK(short_sources));
    } else {
        size_t k = rnd(sizeof fields / sizeof *fields);
        value_for(s, fields[k].ef, v, sizeof v);
        put(b, "%s:%s", fields[k].name, v);
    }
}

static void expr(const struct store *s, struct buf *b, int depth)
{
    int n = 1 + (int)rnd(3);
    for (int i = 0; i < n; i++) {
        if (i)
            put(b, rnd(3) ? " " : " OR ");
        if (rnd(4) == 0)
            put(b, "-");
        if (depth < 2 && rnd(4) == 0) {
            put(b, "(");
            expr(s, b, depth + 1);
            put(b, ")");
        } else {
            term(s, b);
        }
    }
}

/* The indexed run (in slices of random size) against filter_match on a filter never run; then
 * filter_match on the run filter (its bits read at any offset) against the same. */
static int differ(struct store *s, const char *text)
{
    struct filter_error err;
    struct filter *a = filter_compile(text, s, &err), *b = filter_compile(text, s, &err);
    if (!a || !b) {
        fprintf(stderr, "does not compile: %s: %s\n", text, err.message);
        filter_free(a);
        filter_free(b);
        return 1;
    }
    struct filter_run run;
    filter_run_init(&run, a);
    size_t work = 1 + rnd(rnd(2) ? 100 : 70000);
    while (!filter_run_step(&run, work))
        ;
    int bad = run.failed;
    size_t j = 0;
    for (size_t i = 0; i < s->nevents && !bad; i++) {
        int want = filter_match(b, i);
        int got = j < run.nshown && run.shown[j] == i;
        j += (size_t)got;
        if (want != got || (rnd(8) == 0 && filter_match(a, i) != want)) {
            fprintf(stderr, "event %zu: plain %d, indexed %d for %s\n", i, want, got, text);
            bad = 1;
        }
    }
    bad |= j != run.nshown;
    filter_run_free(&run);
    filter_free(a);
    filter_free(b);
    return bad;
}

static void random_expressions(struct store *s, int count)
{
    int bad = 0;
    for (int i = 0; i < count && bad < 5; i++) {
        struct buf b = {0};
        expr(s, &b, 0);
        bad += differ(s, b.s);
        free(b.s);
    }
    CHECK_INT(bad, 0);
}

static size_t run_count(struct store *s, const char *text)
{
    struct filter_error err;
    struct filter *f = filter_compile(text, s, &err);
    struct filter_run run;
    if (!f)
        return SIZE_MAX;
    filter_run_init(&run, f);
    size_t n = filter_run_all(&run) == 0 ? run.nshown : SIZE_MAX;
    filter_run_free(&run);
    filter_free(f);
    return n;
}

/* Events shown, run twice: a field's first use is tested event by event, the second from the index. */
static size_t count_of(struct store *s, const char *text)
{
    size_t first = run_count(s, text), second = run_count(s, text);
    return first == second ? second : SIZE_MAX - 1;
}

/* Hand-checked answers, and the indexes the run built. */
static void test_known(void)
{
    static const char json[] =
        "{\"Records\":["
        "{\"eventTime\":\"2024-03-05T10:00:00Z\",\"eventID\":\"E1\",\"sourceIPAddress\":\"203.0.113.5\","
        "\"userIdentity\":{\"arn\":\"arn:aws:iam::1:user/alice\"},\"eventSource\":\"sts.amazonaws.com\"},"
        "{\"eventTime\":\"2024-03-05T09:00:00Z\",\"eventID\":\"e1\",\"sourceIPAddress\":\"2001:DB8::1\","
        "\"userIdentity\":{\"arn\":\"arn:aws:iam::1:user/Alice\"},\"eventSource\":\"STS.AMAZONAWS.COM\"},"
        "{\"eventTime\":\"2024-03-05T11:00:00Z\",\"eventID\":\"E2\",\"sourceIPAddress\":\"2001:db8:0:1::1\"},"
        "{\"eventTime\":\"2024-03-05T08:00:00Z\",\"eventID\":\"E3\",\"sourceIPAddress\":\"203.0.114.1\"}]}";
    struct store *s = store_new();
    CHECK(s != NULL);
    CHECK_INT(load_buffer(s, "known.json", json, sizeof json - 1), 0);
    CHECK_INT(s->nevents, 4);
    CHECK_INT(run_count(s, "id:e1"), 2);
    CHECK(fieldindex_get(s, EF_EVENT_ID, FX_VALUE) == NULL); /* not for one use */
    CHECK_INT(count_of(s, "id:e1"), 2);                      /* both cases, one group marked mixed */
    CHECK_INT(count_of(s, "id:E2"), 1);
    CHECK_INT(count_of(s, "id:E*"), 4);
    CHECK_INT(count_of(s, "id:nope"), 0);
    const struct fieldindex *x = fieldindex_get(s, EF_EVENT_ID, FX_VALUE);
    CHECK(x != NULL);
    if (x) {
        CHECK_INT(x->m, 4);
        CHECK_INT(x->ngroups, 3);
    }
    CHECK_INT(count_of(s, "ip:203.0.113.0/24"), 1);
    CHECK_INT(count_of(s, "ip:203.0.0.0/8"), 2);
    CHECK_INT(count_of(s, "ip:2001:db8::/32"), 2);
    CHECK_INT(count_of(s, "ip:2001:db8::/64"), 1);
    CHECK_INT(count_of(s, "ip:2001:db8::1"), 1);
    CHECK_INT(count_of(s, "ip:2001:db8::/127"), 1);
    CHECK_INT(count_of(s, "ip:0.0.0.0/0"), 2);
    CHECK_INT(count_of(s, "-ip:0.0.0.0/0"), 2);
    CHECK(fieldindex_get(s, EF_IP, FX_ADDR) != NULL);
    CHECK_INT(count_of(s, "user:alice"), 2);
    CHECK_INT(count_of(s, "src:sts"), 1); /* the suffix is compared as logged: the mixed group is split */
    CHECK_INT(count_of(s, "src:STS.amazonaws.com"), 2);
    CHECK(fieldindex_get(s, EF_SOURCE, FX_VALUE) != NULL);
    CHECK(fieldindex_get(s, EF_UI_ARN, FX_VALUE) != NULL);
    CHECK(store_bytes(s) > 0);
    store_free(s);
}

/* The differential check, then events merged in as when following, and again. */
static void test_random(void)
{
    struct store *s = store_new();
    CHECK(s != NULL);
    size_t len;
    char *json = corpus(3000, 5, &len);
    CHECK_INT(load_buffer(s, "a.json", json, len), 0);
    free(json);
    size_t binary = 0;
    for (size_t i = 0; i < s->nevents; i++)
        binary += store_str_id(s, &s->events[i], EF_EVENT_ID) == STORE_NO_ID;
    CHECK(binary > s->nevents / 2); /* the UUIDs held in binary are compared by their text */
    random_expressions(s, 600);
    CHECK(fieldindex_get(s, EF_EVENT_ID, FX_VALUE) != NULL);
    CHECK(fieldindex_get(s, EF_IP, FX_ADDR) != NULL);

    /* a build left half-way, then more events, earlier ones among them, loaded as when following a
     * directory: the merge moves events */
    fieldindex_drop(s);
    static const enum event_field arn[] = {EF_UI_ARN};
    CHECK_INT(fieldindex_build(s, arn, 1, FX_VALUE, 7), 0);
    char path[] = "/tmp/ctview-fieldindex-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    json = corpus(700, 4, &len);
    CHECK(fd >= 0 && write(fd, json, len) == (ssize_t)len);
    free(json);
    if (fd >= 0)
        close(fd);
    size_t from = s->nevents;
    CHECK_INT(load_more(s, path), 0);
    unlink(path);
    CHECK(s->nevents > from);
    CHECK(fieldindex_get(s, EF_EVENT_ID, FX_VALUE) == NULL); /* stale: the store has more events */
    uint32_t *moved = NULL;
    CHECK_INT(store_merge_tail(s, from, &moved), 0);
    CHECK(moved != NULL);
    free(moved);
    random_expressions(s, 300);

    /* more events out of order, sorted by store_finish: built indexes are dropped and rebuilt */
    CHECK(fieldindex_get(s, EF_EVENT_ID, FX_VALUE) != NULL);
    json = corpus(200, 3, &len);
    CHECK_INT(load_buffer(s, "c.json", json, len), 0);
    free(json);
    CHECK(fieldindex_get(s, EF_EVENT_ID, FX_VALUE) == NULL);
    random_expressions(s, 200);
    store_free(s);
}

/* A store past the sample's minimum: fields with few values stay event by event, the others are indexed. */
static void test_few_values(void)
{
    struct store *s = store_new();
    CHECK(s != NULL);
    size_t len;
    char *json = corpus(5000, 6, &len);
    CHECK_INT(load_buffer(s, "big.json", json, len), 0);
    free(json);
    CHECK(s->nevents >= 4096);
    CHECK(count_of(s, "region:eu-west-1") > 0);
    CHECK(count_of(s, "id:ID-SHARED") > 0);
    CHECK(count_of(s, "user:alice region:eu-*") > 0);
    CHECK(fieldindex_get(s, EF_REGION, FX_VALUE) == NULL);
    CHECK(fieldindex_get(s, EF_EVENT_ID, FX_VALUE) != NULL);
    CHECK(fieldindex_get(s, EF_UI_ARN, FX_VALUE) != NULL);
    CHECK(fieldindex_get(s, EF_UI_USER, FX_VALUE) !=
          NULL); /* few values, but indexed with its term's others */
    random_expressions(s, 150);
    store_free(s);
}

static void test_empty(void)
{
    struct store *s = store_new();
    CHECK(s != NULL);
    CHECK_INT(count_of(s, "id:x"), 0);
    CHECK_INT(count_of(s, "ip:10.0.0.0/8 OR user:*"), 0);
    store_free(s);
}

int main(void)
{
    test_known();
    test_random();
    test_few_values();
    test_empty();
    return harness_done("fieldindex");
}
