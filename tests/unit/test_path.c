/* Unit tests for JSON paths: syntax, which words are paths, and the values of a path in an event's
 * bytes (nesting, arrays, null, missing, numbers, booleans, escapes, damaged text). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/json/path.h"

static void test_parse(void)
{
    static const struct {
        const char *text;
        int ok;
        size_t nsteps;
        const char *error; /* a part of the message */
    } cases[] = {
        {"requestParameters.roleArn", 1, 2, NULL},
        {"userIdentity.sessionContext.sessionIssuer.userName", 1, 4, NULL},
        {"eventCategory", 1, 1, NULL},
        {"a.b-c.d_e.x-amz-id-2.$x.0", 1, 6, NULL},
        {"", 0, 0, "empty path"},
        {"a..b", 0, 0, "empty key at byte 3"},
        {".a", 0, 0, "empty key at byte 1"},
        {"a.", 0, 0, "empty key at byte 3"},
        {"a.b c", 0, 0, "' ' at byte 4"},
        {"a:b", 0, 0, "':' at byte 2"},
        {"a.*", 0, 0, "'*' at byte 3"},
        {"a.\"b\"", 0, 0, "'\"' at byte 3"},
        {"a\x1b[2J", 0, 0, "control character at byte 2"},
        {"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F.G", 0, 0, "more than 32 keys"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct path p;
        struct path_error err;
        int rc = path_parse(cases[i].text, strlen(cases[i].text), &p, &err);
        CHECK_INT(rc, cases[i].ok ? 0 : -1);
        if (cases[i].ok) {
            CHECK_INT(p.nsteps, cases[i].nsteps);
            CHECK_STR(p.text, cases[i].text);
        } else {
            CHECK(strstr(err.message, cases[i].error) != NULL);
            if (!strstr(err.message, cases[i].error))
                fprintf(stderr, "  message: %s\n", err.message);
            CHECK(strchr(err.message, '\x1b') == NULL);
        }
        path_free(&p);
    }
    char longp[PATH_MAX_LEN + 2];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    struct path p;
    struct path_error err;
    CHECK_INT(path_parse(longp, strlen(longp), &p, &err), -1);
    CHECK(strstr(err.message, "longer than") != NULL);
    path_free(&p);

    struct path q;
    CHECK_INT(path_parse("resources.ARN", 13, &q, &err), 0);
    CHECK_INT(q.steps[0].len, 9);
    CHECK(memcmp(q.steps[1].key, "ARN", 3) == 0);
    path_free(&q);
}

static void test_words(void)
{
    CHECK(path_is_word("requestParameters", 17));
    CHECK(path_is_word("eventCategory", 13));
    CHECK(path_is_word("tlsDetails", 10));
    CHECK(path_is_word("insightDetails", 14));
    CHECK(path_is_word("a.b", 3));
    CHECK(!path_is_word("usr", 3));
    CHECK(!path_is_word("requestparameters", 17)); /* keys are case-sensitive */
    CHECK(!path_is_word("eventTim", 8));
    CHECK(path_is_record_key("recipientAccountId", 18));
    CHECK(!path_is_record_key("a.b", 3));
}

/* The values of path in json, joined by '|', or "(none)". */
static void check_values(const char *json, const char *path, const char *want)
{
    struct path p;
    struct path_error err;
    if (path_parse(path, strlen(path), &p, &err) != 0) {
        CHECK(!"path parses");
        return;
    }
    struct path_values v;
    path_values_init(&v);
    int n = path_get(&p, json, strlen(json), &v);
    char got[1024] = "";
    size_t at = 0;
    for (int k = 0; k < n; k++) {
        size_t len;
        const char *s = path_value(&v, (size_t)k, &len);
        at += (size_t)snprintf(got + at, sizeof got - at, "%s%.*s", k ? "|" : "", (int)len, s);
    }
    if (n == 0)
        snprintf(got, sizeof got, "(none)");
    CHECK_STR(got, want);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "  path %s\n", path);
    path_free(&p);
    path_values_free(&v);
}

static const char event[] =
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\",\"sessionContext\":"
    "{\"sessionIssuer\":{\"userName\":\"Admin\"},\"attributes\":{\"mfaAuthenticated\":\"false\"}}},"
    " \"requestParameters\" : { \"roleArn\" : \"arn:aws:iam::111122223333:role/EC2-dev\" ,"
    "\"durationSeconds\": 3600, \"ratio\": -1.50e+3, \"flag\": true, \"off\": false, \"gone\": null,"
    "\"empty\": \"\", \"obj\": { \"k\" : [ 1, 2 , {\"z\": null} ] }, \"list\": [],"
    "\"text\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" a\\/b\\\\\", \"esc\\u0061ped\": \"yes\","
    "\"dup\": 1, \"dup\": 2},"
    "\"resources\":[{\"ARN\":\"arn:1\",\"type\":\"AWS::IAM::Role\"},{\"type\":\"AWS::S3::Bucket\"},"
    "{\"ARN\":null},{\"ARN\":\"arn:3\"}],"
    "\"nested\":[[{\"a\":1}],[{\"a\":2},{\"a\":[3,4]}]],"
    "\"readOnly\":false,\"eventCategory\":\"Management\"}";

static void test_values(void)
{
    check_values(event, "requestParameters.roleArn", "arn:aws:iam::111122223333:role/EC2-dev");
    check_values(event, "userIdentity.sessionContext.sessionIssuer.userName", "Admin");
    check_values(event, "userIdentity.sessionContext.attributes.mfaAuthenticated", "false");
    check_values(event, "requestParameters.durationSeconds", "3600");
    check_values(event, "requestParameters.ratio", "-1.50e+3");
    check_values(event, "requestParameters.flag", "true");
    check_values(event, "requestParameters.off", "false");
    check_values(event, "readOnly", "false");
    check_values(event, "requestParameters.gone", "(none)");
    check_values(event, "requestParameters.nothere", "(none)");
    check_values(event, "nothere.at.all", "(none)");
    check_values(event, "requestParameters.roleArn.deeper", "(none)");
    check_values(event, "requestParameters.empty", "");
    check_values(event, "requestParameters.obj", "{\"k\":[1,2,{\"z\":null}]}");
    check_values(event, "requestParameters.obj.k", "[1,2,{\"z\":null}]");
    check_values(event, "requestParameters.obj.k.z", "(none)");
    check_values(event, "requestParameters.list", "[]");
    check_values(event, "requestParameters.text", "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" a/b\\");
    check_values(event, "requestParameters.escaped", "yes");
    check_values(event, "requestParameters.dup", "1");
    check_values(event, "resources.ARN", "arn:1|arn:3");
    check_values(event, "resources.type", "AWS::IAM::Role|AWS::S3::Bucket");
    check_values(event, "nested.a", "1|2|[3,4]");
    check_values(event, "eventCategory", "Management");
    check_values(event, "eventcategory", "(none)");
    check_values(event, "userIdentity.type", "AssumedRole");

    /* damaged text: what comes before the damage, and never past the end */
    check_values("{\"a\":\"x\",\"b\":", "a", "x");
    check_values("{\"a\":\"x\",\"b\":", "b", "(none)");
    check_values("{\"a\":{\"b\":\"unclosed", "a.b", "(none)");
    check_values("{\"a\":}", "a", "(none)");
    check_values("{\"a\" 1, \"b\": 2}", "b", "(none)");
    check_values("[{\"a\":1},{\"a\":2}]", "a", "1|2");
    check_values("", "a", "(none)");
    check_values("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{\"b\":1}]]]]]]]]]]"
                 "]]]]]]]]]]]]"
                 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
                 "a.b", "(none)");
    check_values("{\"a\":[[[{\"b\":7}]]]}", "a.b", "7");
}

static void test_vector(void)
{
    struct path_values v;
    path_values_init(&v);
    for (int i = 0; i < 1000; i++)
        CHECK_INT(path_values_push(&v, "value", 5), 0);
    CHECK_INT(v.n, 1000);
    size_t len;
    CHECK_STR(path_value(&v, 999, &len), "value");
    CHECK_INT(len, 5);
    path_values_clear(&v);
    CHECK_INT(v.n, 0);
    CHECK_INT(path_values_push(&v, "a\0b", 3), 0);
    path_value(&v, 0, &len);
    CHECK_INT(len, 3);
    path_values_free(&v);
}

int main(void)
{
    test_parse();
    test_words();
    test_values();
    test_vector();
    return harness_done("path");
}
