/* Unit tests for the field accessor: short names and paths, their values and keys for one event, the
 * store's path index (built in steps, the same answers as reading the bytes), and its reset when the
 * store's order changes. */
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "harness.h"
#include "model/query/field.h"
#include "model/state/colstate.h"
#include "model/query/fieldtop.h"
#include "model/index/pathseen.h"
#include "model/query/filter.h"
#include "parsers/load.h"

static const char events_json[] =
    "{\"Records\":["
    "{\"eventID\":\"e1\",\"eventTime\":\"2024-03-01T09:59:59Z\",\"eventSource\":\"sts.amazonaws.com\","
    "\"eventName\":\"AssumeRole\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111122223333\","
    "\"readOnly\":true,\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"Alice\","
    "\"arn\":\"arn:aws:iam::111122223333:user/Alice\",\"accessKeyId\":\"AKIAALICE\"},"
    "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::444455556666:role/Admin\",\"durationSeconds\":3600,"
    "\"tags\":[{\"key\":\"a\",\"value\":\"caf\\u00e9\"},{\"key\":\"b\",\"value\":null}]},"
    "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIASESSION1\"}},"
    "\"resources\":[{\"ARN\":\"arn:r1\"},{\"ARN\":\"arn:r2\"}]},"
    "{\"eventID\":\"e2\",\"eventTime\":\"2024-03-01T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\","
    "\"eventName\":\"GetObject\",\"readOnly\":false,\"errorCode\":\"AccessDenied\","
    "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::4:assumed-role/Admin/s1\"},"
    "\"requestParameters\":{\"bucketName\":\"b\",\"tags\":[]},\"eventName2\":\"\"},"
    "{\"eventID\":\"e3\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"RunInstances\","
    "\"requestParameters\":null}"
    "]}";

/* The values of field name for event id, joined by '|', "(none)" when missing. */
static void check_field(struct store *s, const char *name, size_t i, const char *want)
{
    struct field f;
    struct field_error err;
    if (field_parse(name, strlen(name), &f, &err) != 0) {
        fprintf(stderr, "%s: %s\n", name, err.message);
        CHECK(!"field parses");
        return;
    }
    struct path_values v;
    path_values_init(&v);
    char *e = NULL;
    int n = field_values(s, i, &f, &v, &e);
    char got[512] = "";
    size_t at = 0;
    for (int k = 0; k < n; k++) {
        size_t len;
        const char *t = path_value(&v, (size_t)k, &len);
        at += (size_t)snprintf(got + at, sizeof got - at, "%s%s", k ? "|" : "", t);
    }
    if (n == 0)
        snprintf(got, sizeof got, "(none)");
    if (strcmp(got, want) != 0)
        fprintf(stderr, "field %s event %zu\n", name, i);
    CHECK_STR(got, want);

    /* the keys give the same texts, once any path index is built (in single steps) */
    int r;
    while ((r = field_prepare(s, &f, 1)) == 0)
        ;
    CHECK_INT(r, 1);
    struct field_keys keys = {0};
    int nk = field_keys(s, &f, i, &keys);
    CHECK_INT(nk, n);
    char again[512] = "";
    at = 0;
    for (int k = 0; k < nk; k++) {
        char buf[64];
        size_t len;
        const char *t = field_key_text(s, &f, keys.k[k], buf, &len);
        at += (size_t)snprintf(again + at, sizeof again - at, "%s%s", k ? "|" : "", t);
    }
    if (nk == 0)
        snprintf(again, sizeof again, "(none)");
    CHECK_STR(again, want);
    /* and reading after the index exists goes through it */
    n = field_values(s, i, &f, &v, &e);
    CHECK_INT(n, nk);
    field_keys_free(&keys);
    path_values_free(&v);
    field_free(&f);
}

static void test_parse(void)
{
    static const struct {
        const char *name;
        int ok;
        enum field_kind kind;
        const char *error;
    } cases[] = {
        {"time", 1, FIELD_SHORT, NULL},
        {"NAME", 1, FIELD_SHORT, NULL},
        {"identity", 1, FIELD_SHORT, NULL},
        {"role", 1, FIELD_SHORT, NULL},
        {"eventName", 1, FIELD_INDEXED, NULL},
        {"userIdentity.arn", 1, FIELD_INDEXED, NULL},
        {"requestParameters.roleArn", 1, FIELD_INDEXED, NULL},
        {"requestParameters.bucketName", 1, FIELD_PATH, NULL},
        {"requestParameters", 1, FIELD_PATH, NULL},
        {"readOnly", 1, FIELD_PATH, NULL},
        {"usr", 0, 0, "unknown field 'usr'"},
        {"eventname", 0, 0, "unknown field 'eventname'"},
        {"a..b", 0, 0, "bad path 'a..b'"},
        {"x\x1b", 0, 0, "control character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct field f;
        struct field_error err;
        int rc = field_parse(cases[i].name, strlen(cases[i].name), &f, &err);
        CHECK_INT(rc, cases[i].ok ? 0 : -1);
        if (cases[i].ok)
            CHECK_INT(f.kind, cases[i].kind);
        else
            CHECK(strstr(err.message, cases[i].error) != NULL);
        field_free(&f);
    }
    /* every filter field is a field: a column and a --top field */
    char names[512];
    snprintf(names, sizeof names, "%s", filter_field_names());
    for (char *save = NULL, *w = strtok_r(names, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (!field_is_short(w, strlen(w)))
            fprintf(stderr, "filter field %s is no field\n", w);
        CHECK(field_is_short(w, strlen(w)));
    }
    CHECK(field_is_short("acct", 4));
    CHECK(!field_is_short("eventName", 9));
}

static void test_values(struct store *s)
{
    check_field(s, "name", 0, "AssumeRole");
    check_field(s, "time", 0, "2024-03-01T09:59:59Z");
    check_field(s, "time", 2, "(none)");
    check_field(s, "identity", 0, "arn:aws:iam::111122223333:user/Alice");
    check_field(s, "user", 0, "Alice|arn:aws:iam::111122223333:user/Alice");
    check_field(s, "key", 0, "AKIAALICE|ASIASESSION1");
    check_field(s, "res", 0, "arn:r1|arn:r2");
    check_field(s, "res", 1, "(none)");
    check_field(s, "ro", 0, "true");
    check_field(s, "ro", 1, "false");
    check_field(s, "ro", 2, "(none)");
    check_field(s, "error", 1, "AccessDenied");
    check_field(s, "error", 0, "(none)");
    check_field(s, "src", 1, "s3.amazonaws.com");
    check_field(s, "eventName", 1, "GetObject");
    check_field(s, "requestParameters.roleArn", 0, "arn:aws:iam::444455556666:role/Admin");
    check_field(s, "requestParameters.durationSeconds", 0, "3600");
    check_field(s, "requestParameters.tags.value", 0, "caf\xc3\xa9");
    check_field(s, "requestParameters.tags.key", 0, "a|b");
    check_field(s, "requestParameters.tags", 1, "[]");
    check_field(s, "requestParameters.bucketName", 1, "b");
    check_field(s, "requestParameters.bucketName", 0, "(none)");
    check_field(s, "requestParameters", 2, "(none)");
    check_field(s, "readOnly", 0, "true");
    check_field(s, "resources.ARN", 0, "arn:r1|arn:r2");
    check_field(s, "eventName2.x", 1, "(none)");
}

/* The top rows of name over the store as "value=count ..." plus the totals. */
static void check_top(struct store *s, const char *name, size_t top, const char *want)
{
    struct field f;
    struct field_error err;
    CHECK_INT(field_parse(name, strlen(name), &f, &err), 0);
    while (field_prepare(s, &f, 2) == 0)
        ;
    struct fieldtop t;
    CHECK_INT(fieldtop_build(s, &f, NULL, s->nevents, top, &t), 0);
    char got[512];
    size_t at = (size_t)snprintf(got, sizeof got, "events=%zu distinct=%zu missing=%zu:", t.events,
                                 t.distinct, t.missing);
    for (size_t i = 0; i < t.nrows; i++) {
        char buf[64];
        size_t len;
        const char *v = field_key_text(s, &f, t.rows[i].key, buf, &len);
        at += (size_t)snprintf(got + at, sizeof got - at, " %s=%u", v, t.rows[i].count);
    }
    CHECK_STR(got, want);
    fieldtop_free(&t);
    field_free(&f);
}

static void test_top(struct store *s)
{
    check_top(s, "name", 10, "events=3 distinct=3 missing=0: AssumeRole=1 GetObject=1 RunInstances=1");
    check_top(s, "name", 2, "events=3 distinct=3 missing=0: AssumeRole=1 GetObject=1");
    check_top(s, "ro", 10, "events=3 distinct=2 missing=1: false=1 true=1");
    check_top(s, "requestParameters.tags.key", 10, "events=3 distinct=2 missing=2: a=1 b=1");
    check_top(s, "requestParameters.tags", 10,
              "events=3 distinct=2 missing=1: []=1 [{\"key\":\"a\",\"value\":\"caf\\u00e9\"},{\"key\":\"b\","
              "\"value\":null}]=1");
    check_top(s, "time", 1, "events=3 distinct=2 missing=1: 2024-03-01T09:59:59Z=1");
    check_top(s, "key", 10, "events=3 distinct=2 missing=2: AKIAALICE=1 ASIASESSION1=1");
}

static void test_index_reset(void)
{
    /* events out of time order: store_finish sorts them, and an index built before must not survive */
    static const char json[] =
        "{\"Records\":["
        "{\"eventID\":\"late\",\"eventTime\":\"2024-03-02T00:00:00Z\",\"x\":{\"v\":\"L\"}},"
        "{\"eventID\":\"early\",\"eventTime\":\"2024-03-01T00:00:00Z\",\"x\":{\"v\":\"E\"}}"
        "]}";
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "reset.json", json, sizeof json - 1), 0);
    CHECK_INT(s->nevents, 2);
    check_field(s, "x.v", 0, strcmp(store_str(s, &s->events[0], EF_EVENT_ID), "early") == 0 ? "E" : "L");
    s->sorted = 0;
    /* swap the two events by hand and re-sort: positions change, the index must go */
    struct event t = s->events[0];
    s->events[0] = s->events[1];
    s->events[1] = t;
    store_finish(s);
    CHECK_INT(pathindex_count(s), 0);
    CHECK_STR(store_str(s, &s->events[0], EF_EVENT_ID), "early");
    check_field(s, "x.v", 0, "E");
    check_field(s, "x.v", 1, "L");
    store_free(s);
}

static size_t run_count(struct filter *f)
{
    struct filter_run run;
    filter_run_init(&run, f);
    filter_run_all(&run);
    size_t n = run.nshown;
    filter_run_free(&run);
    return n;
}

/* The store keeps built indexes as a cache for later filters, a bounded number of unused ones, none
 * that was never built, and every held one across a change of order (rebuilt on next use). */
static void test_index_cache(void)
{
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "cache.json", events_json, sizeof events_json - 1), 0);
    struct filter_error err;
    struct filter *f = filter_compile("requestParameters.bucketName:b", s, &err);
    CHECK(f != NULL);
    CHECK_INT(pathindex_count(s), 1);
    filter_free(f); /* never run: nothing built, nothing kept */
    CHECK_INT(pathindex_count(s), 0);
    f = filter_compile("requestParameters.bucketName:b", s, &err);
    CHECK_INT(run_count(f), 1);
    filter_free(f);
    CHECK_INT(pathindex_count(s), 1);
    struct path bucket;
    struct path_error berr;
    CHECK_INT(path_parse("requestParameters.bucketName", 28, &bucket, &berr), 0);
    CHECK(pathindex_find(s, &bucket) != NULL && pathindex_find(s, &bucket)->covered == s->nevents);
    path_free(&bucket);
    for (int i = 0; i < 40; i++) {
        char expr[64];
        snprintf(expr, sizeof expr, "requestParameters.p%d:*", i);
        f = filter_compile(expr, s, &err);
        CHECK_INT(run_count(f), 0);
        filter_free(f);
    }
    CHECK(pathindex_count(s) <= 16);
    /* a held index across a new order: still there, covering nothing, right again after a run */
    f = filter_compile("requestParameters.tags.key:a", s, &err);
    CHECK_INT(run_count(f), 1);
    struct path p;
    struct path_error perr;
    CHECK_INT(path_parse("requestParameters.tags.key", 26, &p, &perr), 0);
    struct pathindex *x = pathindex_find(s, &p);
    CHECK(x != NULL && x->users == 1);
    s->sorted = 0;
    store_finish(s);
    CHECK(pathindex_find(s, &p) == x);
    CHECK_INT(x->covered, 0);
    CHECK_INT(run_count(f), 1);
    filter_free(f);
    path_free(&p);
    store_free(s);
}

/* Paths seen in the events, most common first; keys a path cannot name are left out. */
static void test_pathseen(void)
{
    static const char json[] = "{\"Records\":["
                               "{\"eventID\":\"a\",\"x\":{\"y\":1,\"z\":[{\"w\":2}]},\"odd.key\":{\"in\":1}},"
                               "{\"eventID\":\"b\",\"x\":{\"y\":[3,4]},\"caf\\u00e9\":true}"
                               "]}";
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "seen.json", json, sizeof json - 1), 0);
    struct pathseen ps;
    CHECK_INT(pathseen_collect(s, NULL, s->nevents, 100, &ps), 0);
    char got[256] = "";
    for (size_t k = 0; k < ps.n; k++) {
        strcat(got, k ? " " : "");
        strcat(got, pathseen_name(&ps, k));
    }
    CHECK_STR(got, "eventID x x.y caf\xc3\xa9 x.z x.z.w");
    pathseen_free(&ps);
    store_free(s);
}

/* The remembered layout: written atomically with mode 0600 in new directories, read back. */
static void test_colstate(void)
{
    char dir[] = "/tmp/ctview-colstate-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[128], spec[256];
    snprintf(path, sizeof path, "%s/a/b/columns", dir);
    char *err = NULL;
    CHECK_INT(colstate_load(path, spec, sizeof spec, &err), 0); /* missing: the default */
    CHECK_STR(spec, "");
    CHECK_INT(colstate_save(path, "time,requestParameters.roleArn", &err), 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK_INT(colstate_load(path, spec, sizeof spec, &err), 0);
    CHECK_STR(spec, "time,requestParameters.roleArn");
    CHECK_INT(colstate_save(path, "", &err), 0);
    CHECK_INT(colstate_load(path, spec, sizeof spec, &err), 0);
    CHECK_STR(spec, "");
    setenv("XDG_STATE_HOME", "/xdg", 1);
    char *p = colstate_path();
    CHECK_STR(p, "/xdg/ctview/columns");
    free(p);
    setenv("XDG_STATE_HOME", "relative", 1); /* invalid: ignored */
    setenv("HOME", "/home/u", 1);
    p = colstate_path();
    CHECK_STR(p, "/home/u/.local/state/ctview/columns");
    free(p);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_INT(system(cmd), 0);
}

/* The computed fields: one identity (a masked sign-in's label, a service, an Identity Center user),
 * error and outcome by the one failure rule, user as user: compares, origin from the store's origins,
 * a label counted by --top like any value, and the filter term that selects each value. */
static void test_computed(void)
{
    static const char json[] =
        "{\"Records\":["
        /* 0: a masked sign-in that failed, with a message */
        "{\"eventID\":\"m1\",\"eventTime\":\"2024-03-01T00:00:00Z\",\"eventName\":\"ConsoleLogin\","
        "\"errorMessage\":\"No username found\",\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
        "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"}},"
        /* 1: another, failed with neither code nor message */
        "{\"eventID\":\"m2\",\"eventTime\":\"2024-03-01T00:00:01Z\",\"eventName\":\"ConsoleLogin\","
        "\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
        "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"}},"
        /* 2: a service */
        "{\"eventID\":\"s1\",\"eventTime\":\"2024-03-01T00:00:02Z\",\"eventName\":\"Decrypt\","
        "\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"ec2.amazonaws.com\"}},"
        /* 3: an Identity Center user */
        "{\"eventID\":\"i1\",\"eventTime\":\"2024-03-01T00:00:03Z\",\"eventName\":\"Chat\","
        "\"errorCode\":\"\",\"userIdentity\":{\"type\":\"IdentityCenterUser\",\"accountId\":\"1\","
        "\"onBehalfOf\":{\"userId\":\"u-1\",\"identityStoreArn\":\"arn:aws:identitystore::1:identitystore/"
        "d-1\"}}}"
        "]}";
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "computed.json", json, sizeof json - 1), 0);
    CHECK_INT(s->nevents, 4);
    check_field(s, "identity", 0, "(masked user)");
    check_field(s, "identity", 2, "ec2.amazonaws.com");
    check_field(s, "identity", 3, "u-1");
    check_field(s, "user", 3, "u-1"); /* as user:u-1 matches */
    check_field(s, "user", 0, "HIDDEN_DUE_TO_SECURITY_REASONS");
    check_field(s, "error", 0, "No username found");
    check_field(s, "error", 1, "Failure");
    check_field(s, "error", 3, "(none)"); /* "" is no error */
    check_field(s, "outcome", 0, "failed");
    check_field(s, "outcome", 1, "failed");
    check_field(s, "outcome", 3, "ok");
    /* origin is missing until the origins are computed (field_prepare does) */
    struct field o;
    struct field_error oerr;
    struct path_values ov;
    path_values_init(&ov);
    char *why = NULL;
    CHECK_INT(field_parse("origin", 6, &o, &oerr), 0);
    CHECK_INT(field_needs(&o), FIELD_NEEDS_ORIGINS);
    CHECK_INT(field_values(s, 0, &o, &ov, &why), 0);
    CHECK_INT(field_prepare(s, &o, 1), 1);
    path_values_free(&ov);
    field_free(&o);
    check_field(s, "origin", 0, "(masked user)");
    check_field(s, "origin", 3, "u-1");
    check_field(s, "rule", 0, "(none)"); /* no findings in this store */
    check_top(s, "identity", 10, "events=4 distinct=3 missing=0: (masked user)=2 ec2.amazonaws.com=1 u-1=1");
    check_top(s, "error", 10, "events=4 distinct=2 missing=2: Failure=1 No username found=1");
    check_top(s, "outcome", 10, "events=4 distinct=2 missing=0: failed=2 ok=2");

    /* the filter term of each value selects the events that have it */
    static const struct {
        const char *field;
        size_t ev;
        size_t want; /* events the term selects */
    } terms[] = {
        {"identity", 0, 2}, {"identity", 2, 1}, {"identity", 3, 1}, {"error", 1, 1}, {"error", 0, 1},
        {"outcome", 0, 2},  {"outcome", 3, 2},  {"origin", 0, 2},   {"name", 0, 2},
    };
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++) {
        struct field f;
        struct field_error ferr;
        CHECK_INT(field_parse(terms[i].field, strlen(terms[i].field), &f, &ferr), 0);
        CHECK_INT(field_prepare(s, &f, 1), 1);
        struct field_keys k = {0};
        CHECK_INT(field_keys(s, &f, terms[i].ev, &k), 1);
        char term[512];
        CHECK(field_key_term(s, &f, k.k[0], term, sizeof term) > 0);
        struct filter_error err;
        struct filter *flt = filter_compile(term, s, &err);
        CHECK(flt != NULL);
        size_t got = 0;
        for (size_t e = 0; flt && e < s->nevents; e++) {
            int m = filter_match(flt, e);
            got += m == 1;
            /* the event the value came from is among them */
            if (e == terms[i].ev)
                CHECK_INT(m, 1);
        }
        if (got != terms[i].want)
            fprintf(stderr, "%s of event %zu: %s\n", terms[i].field, terms[i].ev, term);
        CHECK_INT(got, terms[i].want);
        filter_free(flt);
        field_keys_free(&k);
        field_free(&f);
    }
    /* time takes ranges: no term for one value */
    struct field t;
    struct field_error ferr;
    CHECK_INT(field_parse("time", 4, &t, &ferr), 0);
    char term[64];
    CHECK_INT(field_key_term(s, &t, 1709251200000u, term, sizeof term), 0);
    store_free(s);
}

int main(void)
{
    test_parse();
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "field.json", events_json, sizeof events_json - 1), 0);
    CHECK_INT(s->nevents, 3);
    test_values(s);
    test_top(s);
    store_free(s);
    test_computed();
    test_index_reset();
    test_index_cache();
    test_pathseen();
    test_colstate();
    return harness_done("field");
}
