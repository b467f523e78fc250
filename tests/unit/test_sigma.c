/* Unit tests of the Sigma engine alone: rules read from text, events given as (path, value) lists through
 * the engine's field function; every modifier, the wildcard escapes, each condition form, and refusals. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/detect/sigma.h"
#include "model/detect/sigma_impl.h"

/* A hand-made event: up to 8 (path, value) pairs; a path may repeat (a list); type SV_NULL for null. */
struct kv {
    const char *path, *value;
    enum sigma_vtype type;
};
struct tev {
    struct kv kv[8];
    const char *text; /* for keywords */
};

struct tsrc {
    const struct sigma_set *set;
    const struct tev *events;
    struct sigma_value vals[8];
    int later; /* answer SIGMA_FETCH_LATER to cheap asks for paths other than "eventName" */
};

static enum sigma_fetch tfetch(void *ctx, size_t ev, int path_id, int cheap, const struct sigma_value **vals,
                               size_t *n)
{
    struct tsrc *t = ctx;
    const struct tev *e = &t->events[ev];
    *vals = t->vals;
    *n = 0;
    if (path_id < 0) {
        if (cheap && t->later)
            return SIGMA_FETCH_LATER;
        t->vals[0] = (struct sigma_value){e->text, strlen(e->text), SV_STRING};
        *n = 1;
        return SIGMA_FETCH_OK;
    }
    const char *path = sigma_set_path(t->set, (size_t)path_id);
    if (cheap && t->later && strcmp(path, "eventName") != 0)
        return SIGMA_FETCH_LATER;
    for (size_t k = 0; k < 8 && e->kv[k].path; k++)
        if (strcmp(e->kv[k].path, path) == 0)
            t->vals[(*n)++] = (struct sigma_value){e->kv[k].value, strlen(e->kv[k].value), e->kv[k].type};
    return SIGMA_FETCH_OK;
}

static struct sigma_set *rule_set(const char *yaml)
{
    struct sigma_set *set = sigma_set_new();
    CHECK(set != NULL);
    CHECK(sigma_set_add_text(set, "t.yml", yaml, strlen(yaml)) == 0);
    return set;
}

/* A rule around a detection block (indented four spaces). */
static char *wrap(const char *detection)
{
    char *y = NULL;
    if (asprintf(&y,
                 "title: t\nid: x-1\nlevel: high\nlogsource:\n    product: aws\n    service: cloudtrail\n"
                 "detection:\n%s",
                 detection) < 0)
        abort();
    return y;
}

/* Whether the rule (given by its detection) matches event e; -1 when it is refused. */
static int matches(const char *detection, const struct tev *e)
{
    char *y = wrap(detection);
    struct sigma_set *set = rule_set(y);
    free(y);
    int r = -1;
    if (sigma_set_count(set) == 1) {
        struct tsrc t = {set, e, {{0}}, 0};
        struct sigma_source src = {&t, tfetch, NULL};
        r = sigma_rule_eval(sigma_set_rule(set, 0), &src, 0, 0) == SIGMA_YES;
        /* the cheap pass, then the full one for what it left, give the same answer */
        t.later = 1;
        enum sigma_result c = sigma_rule_eval(sigma_set_rule(set, 0), &src, 0, 1);
        if (c != SIGMA_LATER)
            CHECK_INT(c == SIGMA_YES, r);
    } else if (sigma_set_refused(set)) {
        fprintf(stderr, "  (refused: %s)\n", sigma_set_refusal(set, 0)->reason);
    }
    sigma_set_free(set);
    return r;
}

/* The refusal reason for a whole rule text, or NULL when it loads. */
static char refusal[400];
static int refusal_line;
static const char *refused(const char *yaml)
{
    struct sigma_set *set = rule_set(yaml);
    const char *r = NULL;
    if (sigma_set_refused(set) == 1) {
        snprintf(refusal, sizeof refusal, "%s", sigma_set_refusal(set, 0)->reason);
        refusal_line = sigma_set_refusal(set, 0)->line;
        r = refusal;
    }
    CHECK_INT(sigma_set_count(set) + sigma_set_refused(set) + sigma_set_ignored(set), 1);
    sigma_set_free(set);
    return r;
}

static const char *refused_det(const char *detection)
{
    char *y = wrap(detection);
    const char *r = refused(y);
    free(y);
    return r;
}

static const struct tev ev_login = {{{"eventName", "ConsoleLogin", SV_STRING},
                                     {"eventSource", "signin.amazonaws.com", SV_STRING},
                                     {"userIdentity.arn", "arn:aws:iam::1:user/Bob", SV_STRING},
                                     {"sourceIPAddress", "192.0.2.10", SV_STRING},
                                     {"requestParameters.userName", "bob", SV_STRING},
                                     {"additionalEventData.MFAUsed", "No", SV_STRING},
                                     {"errorCode", "", SV_NULL},
                                     {"tags", "a*b?c\\d", SV_STRING}},
                                    "{\"eventName\":\"ConsoleLogin\",\"note\":\"Evil Thing\"}"};

static void test_plain_and_case(void)
{
    CHECK_INT(matches("    s:\n        eventName: consolelogin\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        eventName: ConsoleLog\n    condition: s\n", &ev_login), 0);
    CHECK_INT(
        matches(
            "    s:\n        eventName:\n            - Foo\n            - CONSOLELOGIN\n    condition: s\n",
            &ev_login),
        1);
    /* a map is AND, a list of maps OR */
    CHECK_INT(matches("    s:\n        eventName: ConsoleLogin\n        eventSource: x\n    condition: s\n",
                      &ev_login),
              0);
    CHECK_INT(matches("    s:\n        - eventName: x\n        - eventSource: signin.*\n    condition: s\n",
                      &ev_login),
              1);
    /* a field holding a list matches when any element does */
    struct tev multi = {{{"resources.ARN", "arn:a", SV_STRING}, {"resources.ARN", "arn:b", SV_STRING}}, ""};
    CHECK_INT(matches("    s:\n        resources.ARN: arn:b\n    condition: s\n", &multi), 1);
    CHECK_INT(matches("    s:\n        resources.ARN|all:\n            - arn:a\n            - arn:b\n    "
                      "condition: s\n",
                      &multi),
              1);
    /* numbers compare as their text */
    struct tev num = {{{"requestParameters.port", "22", SV_NUMBER}}, ""};
    CHECK_INT(matches("    s:\n        requestParameters.port: 22\n    condition: s\n", &num), 1);
    CHECK_INT(matches("    s:\n        requestParameters.port: 2\n    condition: s\n", &num), 0);
    /* an object leaf is its JSON text */
    struct tev obj = {{{"requestParameters", "{\"instanceType\":\"p4d.24xlarge\"}", SV_JSON}}, ""};
    CHECK_INT(matches("    s:\n        requestParameters|contains: '\"p4d.'\n    condition: s\n", &obj), 1);
}

static void test_wildcards(void)
{
    /* '*' any run, '?' one character */
    CHECK_INT(matches("    s:\n        eventName: Con*Login\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        eventName: Console?ogin\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        eventName: Console??ogin\n    condition: s\n", &ev_login), 0);
    /* tags holds a*b?c\d: escaped wildcards are plain, a lone backslash is plain */
    CHECK_INT(matches("    s:\n        tags: 'a\\*b\\?c\\d'\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        tags: 'a\\*b\\?c\\\\d'\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        tags: 'a\\*x\\?c\\d'\n    condition: s\n", &ev_login), 0);
    struct tev star = {{{"f", "a*", SV_STRING}, {"g", "ab", SV_STRING}, {"h", "a\\b", SV_STRING}}, ""};
    CHECK_INT(matches("    s:\n        f: 'a\\*'\n    condition: s\n", &star), 1);
    CHECK_INT(matches("    s:\n        g: 'a\\*'\n    condition: s\n", &star), 0);
    /* \\* is a backslash, then a wildcard */
    CHECK_INT(matches("    s:\n        h: 'a\\\\*'\n    condition: s\n", &star), 1);
    CHECK_INT(matches("    s:\n        g: 'a\\\\*'\n    condition: s\n", &star), 0);
    /* '?' takes a whole UTF-8 character */
    struct tev utf = {{{"f", "caf\xc3\xa9", SV_STRING}}, ""};
    CHECK_INT(matches("    s:\n        f: caf?\n    condition: s\n", &utf), 1);
    CHECK_INT(matches("    s:\n        f: caf??\n    condition: s\n", &utf), 0);
}

static void test_modifiers(void)
{
    CHECK_INT(matches("    s:\n        eventSource|contains: GNIN.ama\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        eventSource|startswith: signin\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        eventSource|startswith: amazonaws\n    condition: s\n", &ev_login), 0);
    CHECK_INT(matches("    s:\n        eventSource|endswith: .COM\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        eventSource|endswith: signin\n    condition: s\n", &ev_login), 0);
    CHECK_INT(matches("    s:\n        eventSource|contains|all:\n            - signin\n            - aws\n"
                      "    condition: s\n",
                      &ev_login),
              1);
    CHECK_INT(matches("    s:\n        eventSource|contains|all:\n            - signin\n            - azure\n"
                      "    condition: s\n",
                      &ev_login),
              0);
    /* re: a search, case-sensitive unless re|i */
    CHECK_INT(matches("    s:\n        userIdentity.arn|re: ':user/B[a-z]+$'\n    condition: s\n", &ev_login),
              1);
    CHECK_INT(matches("    s:\n        userIdentity.arn|re: ':USER/'\n    condition: s\n", &ev_login), 0);
    CHECK_INT(matches("    s:\n        userIdentity.arn|re|i: ':USER/'\n    condition: s\n", &ev_login), 1);
    /* cidr */
    CHECK_INT(matches("    s:\n        sourceIPAddress|cidr: 192.0.2.0/24\n    condition: s\n", &ev_login),
              1);
    CHECK_INT(matches("    s:\n        sourceIPAddress|cidr: 198.51.100.0/24\n    condition: s\n", &ev_login),
              0);
    /* exists; null = missing or null */
    CHECK_INT(matches("    s:\n        eventName|exists: true\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        nothere|exists: true\n    condition: s\n", &ev_login), 0);
    CHECK_INT(matches("    s:\n        nothere|exists: false\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        errorCode|exists: true\n    condition: s\n", &ev_login), 0);
    CHECK_INT(matches("    s:\n        errorCode: null\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        nothere: null\n    condition: s\n", &ev_login), 1);
    CHECK_INT(matches("    s:\n        eventName: null\n    condition: s\n", &ev_login), 0);
    CHECK_INT(matches("    s:\n        nothere: ''\n    condition: s\n", &ev_login), 0);
    /* fieldref: the other field's value, as a literal */
    CHECK_INT(matches("    s:\n        userIdentity.arn|fieldref|endswith: requestParameters.userName\n"
                      "    condition: s\n",
                      &ev_login),
              1);
    CHECK_INT(
        matches("    s:\n        userIdentity.arn|fieldref: requestParameters.userName\n    condition: s\n",
                &ev_login),
        0);
    struct tev same = {{{"a", "Bob", SV_STRING}, {"b", "bob", SV_STRING}, {"c", "b*", SV_STRING}}, ""};
    CHECK_INT(matches("    s:\n        a|fieldref: b\n    condition: s\n", &same), 1);
    CHECK_INT(matches("    s:\n        a|fieldref: c\n    condition: s\n", &same), 0);
    CHECK_INT(matches("    s:\n        a|fieldref|cased: b\n    condition: s\n", &same), 0);
    CHECK_INT(matches("    s:\n        a|cased: bob\n    condition: s\n", &same), 0);
    CHECK_INT(matches("    s:\n        a|cased: Bob\n    condition: s\n", &same), 1);
    /* keywords: anywhere in the event's text; '|all' needs every one */
    CHECK_INT(matches("    k:\n        - 'evil thing'\n        - nope\n    condition: k\n", &ev_login), 1);
    CHECK_INT(matches("    k:\n        - nope\n    condition: k\n", &ev_login), 0);
    CHECK_INT(
        matches("    k:\n        '|all':\n            - evil\n            - consolelogin\n    condition: k\n",
                &ev_login),
        1);
    CHECK_INT(matches("    k:\n        '|all':\n            - evil\n            - nope\n    condition: k\n",
                      &ev_login),
              0);
}

static void test_conditions(void)
{
    const char *ids =
        "    sel_a:\n        eventName: ConsoleLogin\n    sel_b:\n        eventSource: nope\n"
        "    filter_x:\n        sourceIPAddress: 192.0.2.10\n    _hidden:\n        eventName: nope\n";
    static const struct {
        const char *cond;
        int want;
    } cases[] = {
        {"sel_a", 1},
        {"sel_b", 0},
        {"sel_a and sel_b", 0},
        {"sel_a or sel_b", 1},
        {"not sel_b", 1},
        {"sel_a and not filter_x", 0},
        {"NOT sel_a OR filter_x", 1},
        {"sel_b or sel_a and filter_x", 1}, /* and binds tighter */
        {"(sel_b or sel_a) and not filter_x", 0},
        {"not (sel_b or sel_a)", 0},
        {"1 of sel_*", 1},
        {"all of sel_*", 0},
        {"all of sel_a*", 1},
        {"1 of them", 1},
        {"all of them", 0}, /* sel_b fails */
        {"all of sel_a and 1 of filter*", 1},
        {"not 1 of sel_b*", 1},
        {"1 of *_x", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char det[1024];
        snprintf(det, sizeof det, "%s    condition: %s\n", ids, cases[i].cond);
        int got = matches(det, &ev_login);
        if (got != cases[i].want)
            fprintf(stderr, "  condition '%s'\n", cases[i].cond);
        CHECK_INT(got, cases[i].want);
    }
    /* them leaves out identifiers starting with '_' */
    CHECK_INT(matches("    a:\n        eventName: ConsoleLogin\n    _b:\n        eventName: x\n"
                      "    condition: all of them\n",
                      &ev_login),
              1);
    /* a list of conditions: any of them */
    CHECK_INT(matches("    a:\n        eventName: x\n    b:\n        eventName: ConsoleLogin\n"
                      "    condition:\n        - a\n        - b\n",
                      &ev_login),
              1);
}

static void test_refusals(void)
{
    const char *r;
    CHECK((r = refused_det(
               "    s:\n        eventName: x\n    condition: s | count() by userIdentity.arn > 3\n")) &&
          strstr(r, "aggregation"));
    CHECK((r = refused_det("    s:\n        eventName: x\n    timeframe: 1h\n    condition: s\n")) &&
          strstr(r, "timeframe"));
    CHECK((r = refused_det("    s:\n        eventName|base64: x\n    condition: s\n")) &&
          strstr(r, "base64"));
    CHECK((r = refused_det("    s:\n        eventName|frobnicate: x\n    condition: s\n")) &&
          strstr(r, "unknown modifier 'frobnicate'"));
    CHECK_INT(refusal_line, 9);
    CHECK((r = refused_det("    s:\n        eventName|re: '(['\n    condition: s\n")) &&
          strstr(r, "regular expression"));
    CHECK((r = refused_det("    s:\n        eventName|cidr: nope\n    condition: s\n")) &&
          strstr(r, "network"));
    CHECK((r = refused_det("    s:\n        eventName|exists: maybe\n    condition: s\n")) &&
          strstr(r, "exists"));
    CHECK((r = refused_det("    s:\n        eventName|contains|re: x\n    condition: s\n")) &&
          strstr(r, "do not go together"));
    CHECK((r = refused_det("    s:\n        eventName|i: x\n    condition: s\n")) && strstr(r, "'re'"));
    CHECK((r = refused_det("    s:\n        eventName: x\n    condition: nothere\n")) &&
          strstr(r, "unknown search identifier"));
    CHECK((r = refused_det("    s:\n        eventName: x\n    condition: 1 of zz*\n")) &&
          strstr(r, "no search identifier"));
    CHECK((r = refused_det("    s:\n        eventName: x\n    condition: 2 of s*\n")) && strstr(r, "'1 of'"));
    CHECK((r = refused_det("    s:\n        eventName: x\n    condition: s and (s\n")) && strstr(r, "')'"));
    CHECK((r = refused_det("    s:\n        eventName: x\n    condition: s s\n")) && strstr(r, "expected"));
    CHECK((r = refused_det("    s:\n        eventName: x\n")) && strstr(r, "no condition"));
    CHECK((r = refused_det("    s:\n        eventName: []\n    condition: s\n")) && strstr(r, "empty"));
    CHECK((r = refused_det("    s:\n        - a\n        - x: 1\n    condition: s\n")) && strstr(r, "mixes"));
    CHECK((r = refused("title: [\n")) && strstr(r, "YAML"));
    CHECK((r = refused("title: a\n---\ntitle: b\n")) && strstr(r, "several"));
    CHECK((r = refused("title: t\ncorrelation:\n  type: event_count\n")) && strstr(r, "correlation"));
    CHECK((r = refused("title: t\nlevel: severe\nlogsource:\n  product: aws\n  service: cloudtrail\n"
                       "detection:\n  s:\n    a: 1\n  condition: s\n")) &&
          strstr(r, "level"));
    /* another log source is ignored, not refused */
    struct sigma_set *set = rule_set("title: t\nlogsource:\n  product: windows\ndetection:\n  s:\n    a: 1\n"
                                     "  condition: s\n");
    CHECK_INT(sigma_set_ignored(set), 1);
    CHECK_INT(sigma_set_refused(set), 0);
    CHECK_INT(sigma_set_count(set), 0);
    sigma_set_free(set);
    /* a refused rule does not stop the next */
    set = sigma_set_new();
    char *good = wrap("    s:\n        eventName: x\n    condition: s\n");
    CHECK(sigma_set_add_text(set, "bad.yml", "{{{", 3) == 0);
    CHECK(sigma_set_add_text(set, "good.yml", good, strlen(good)) == 0);
    CHECK_INT(sigma_set_refused(set), 1);
    CHECK_INT(sigma_set_count(set), 1);
    CHECK_STR(sigma_set_refusal(set, 0)->file, "bad.yml");
    CHECK_STR(sigma_rule_title(sigma_set_rule(set, 0)), "t");
    CHECK_INT(sigma_rule_level(sigma_set_rule(set, 0)), SIGMA_HIGH);
    free(good);
    sigma_set_free(set);
}

static void test_cheap_pass(void)
{
    /* With only eventName known cheaply, a rule that fails on it is decided; one that needs more waits. */
    char *y = wrap(
        "    s:\n        eventName: ConsoleLogin\n        sourceIPAddress: 192.0.2.10\n    condition: s\n");
    struct sigma_set *set = rule_set(y);
    free(y);
    struct tev other = {{{"eventName", "Other", SV_STRING}}, ""};
    struct tev evs[2] = {ev_login, other};
    struct tsrc t = {set, evs, {{0}}, 1};
    struct sigma_source src = {&t, tfetch, NULL};
    CHECK_INT(sigma_rule_eval(sigma_set_rule(set, 0), &src, 0, 1), SIGMA_LATER);
    CHECK_INT(sigma_rule_eval(sigma_set_rule(set, 0), &src, 1, 1), SIGMA_NO);
    CHECK_INT(sigma_rule_eval(sigma_set_rule(set, 0), &src, 0, 0), SIGMA_YES);
    sigma_set_free(set);
}

/* Gates: the tests on one field a rule cannot match without. */
static size_t gates_of(const char *detection, const char *field)
{
    char *y = wrap(detection);
    struct sigma_set *set = rule_set(y);
    free(y);
    size_t n = 0;
    for (size_t p = 0; p < sigma_set_paths(set); p++)
        if (strcmp(sigma_set_path(set, p), field) == 0 && sigma_set_count(set) == 1) {
            const struct sigma_test *g[8];
            n = sigma_rule_gates(sigma_set_rule(set, 0), (int)p, g, 8);
            struct sigma_value v = {"cloudtrail.amazonaws.com", 24, SV_STRING},
                               w = {"x.amazonaws.com", 15, SV_STRING};
            int any_v = 0, any_w = 0;
            for (size_t k = 0; k < n; k++) {
                any_v |= sigma_test_holds(g[k], &v, 1);
                any_w |= sigma_test_holds(g[k], &w, 1);
            }
            /* every rule below that has gates names cloudtrail and not x */
            if (n)
                CHECK(any_v && !any_w);
        }
    sigma_set_free(set);
    return n;
}

static void test_gates(void)
{
    const char *src = "eventSource";
    CHECK_INT(
        gates_of(
            "    s:\n        eventSource: cloudtrail.amazonaws.com\n        eventName: X\n    condition: s\n",
            src),
        1);
    CHECK_INT(gates_of("    s:\n        eventSource: cloudtrail.amazonaws.com\n    f:\n        eventName: X\n"
                       "    condition: s and not f\n",
                       src),
              1);
    CHECK_INT(gates_of("    s:\n        - eventSource: cloudtrail.amazonaws.com\n        - "
                       "eventSource|startswith: cloudt\n"
                       "    condition: s\n",
                       src),
              2);
    /* a map without the field, an OR side without it, a NOT: no gate */
    CHECK_INT(gates_of("    s:\n        - eventSource: cloudtrail.amazonaws.com\n        - eventName: X\n    "
                       "condition: s\n",
                       src),
              0);
    CHECK_INT(gates_of("    s:\n        eventSource: cloudtrail.amazonaws.com\n    f:\n        eventName: X\n"
                       "    condition: s or f\n",
                       src),
              0);
    CHECK_INT(gates_of("    s:\n        eventSource: x.amazonaws.com\n    condition: not s\n", src), 0);
    CHECK_INT(
        gates_of(
            "    s_a:\n        eventSource: cloudtrail.amazonaws.com\n    s_b:\n        eventSource: cloud*\n"
            "    condition: 1 of s_*\n",
            src),
        2);
    CHECK_INT(
        gates_of("    s_a:\n        eventName: X\n    s_b:\n        eventSource: cloudtrail.amazonaws.com\n"
                 "    condition: all of s_*\n",
                 src),
        1);
    /* a fieldref depends on another field: not a gate */
    CHECK_INT(gates_of("    s:\n        eventSource|fieldref: eventName\n    condition: s\n", src), 0);
}

int main(void)
{
    test_gates();
    test_plain_and_case();
    test_wildcards();
    test_modifiers();
    test_conditions();
    test_refusals();
    test_cheap_pass();
    printf("%d checks, %d failed\n", harness_checks, harness_failures);
    return harness_failures != 0;
}
