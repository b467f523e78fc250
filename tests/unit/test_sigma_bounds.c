/* The bounds of the Sigma rule reader and matcher: YAML nesting and alias expansion refused fast, a
 * regular expression that gives up counted (never a silent non-match). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "model/detect/sigma.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char head[] = "title: t\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n";

/* Reads text as one rule file; returns the refusal's reason ("" when accepted) in why and the seconds
 * it took. */
static double read_rule(const char *text, size_t len, char *why, size_t whylen)
{
    struct sigma_set *set = sigma_set_new();
    CHECK(set != NULL);
    double t0 = now();
    CHECK_INT(sigma_set_add_text(set, "t.yml", text, len), 0);
    double took = now() - t0;
    snprintf(why, whylen, "%s", sigma_set_refused(set) == 1 ? sigma_set_refusal(set, 0)->reason : "");
    sigma_set_free(set);
    return took;
}

/* A growing buffer for generated rules. */
struct buf {
    char *p;
    size_t len;
    FILE *f;
};

static void buf_open(struct buf *b)
{
    b->p = NULL;
    b->f = open_memstream(&b->p, &b->len);
    if (!b->f)
        abort();
    fputs(head, b->f);
}

static void buf_close(struct buf *b)
{
    if (fclose(b->f) != 0)
        abort();
}

static void test_alias_fanout(void)
{
    /* one anchor of 2,000 keys referenced 20,000 times: 134 KB expanding to 40 million tests */
    struct buf b;
    buf_open(&b);
    fputs("    base: &a {", b.f);
    for (int i = 0; i < 2000; i++)
        fprintf(b.f, "%skey%04d: v", i ? ", " : "", i);
    fputs("}\n    sel: [", b.f);
    for (int i = 0; i < 20000; i++)
        fputs(i ? ", *a" : "*a", b.f);
    fputs("]\n    condition: sel\n", b.f);
    buf_close(&b);
    char why[300];
    double took = read_rule(b.p, b.len, why, sizeof why);
    fprintf(stderr, "  alias fan-out (%zu bytes): %.3f s: %s\n", b.len, took, why);
    CHECK(strstr(why, "aliases expanded") != NULL);
    CHECK(took < 0.5);
    free(b.p);

    /* an alias inside its own anchor */
    const char *self = "title: t\nlogsource: {product: aws, service: cloudtrail}\n"
                       "detection:\n    sel: &a {k: [*a]}\n    condition: sel\n";
    read_rule(self, strlen(self), why, sizeof why);
    CHECK(why[0] != '\0');

    /* aliases a rule may use stay accepted */
    const char *fine = "title: t\nlogsource: {product: aws, service: cloudtrail}\n"
                       "detection:\n    a: &names [x, y]\n    sel:\n        eventName: *names\n"
                       "    condition: sel\n";
    read_rule(fine, strlen(fine), why, sizeof why);
    CHECK_STR(why, "");
}

static void test_nesting(void)
{
    /* 100,000 levels, in flow style and in block style */
    static const char *const opens[] = {"[", "- "};
    for (size_t k = 0; k < 2; k++) {
        struct buf b;
        buf_open(&b);
        fputs(k == 0 ? "    sel: " : "    sel:\n        ", b.f);
        for (int i = 0; i < 100000; i++)
            fputs(opens[k], b.f);
        fputs(k == 0 ? "x" : "x\n", b.f);
        if (k == 0)
            for (int i = 0; i < 100000; i++)
                fputc(']', b.f);
        fputs("\n    condition: sel\n", b.f);
        buf_close(&b);
        char why[300];
        double took = read_rule(b.p, b.len, why, sizeof why);
        fprintf(stderr, "  nesting %s x100000: %.3f s: %s\n", opens[k], took, why);
        CHECK(strstr(why, "nested more than") != NULL);
        CHECK(took < 0.5);
        free(b.p);
    }
}

static void test_condition(void)
{
    /* 100,000 nested parentheses and a chain of 100,000 'and': refused at once */
    static const char *const shapes[] = {"(", "sel and "};
    for (size_t k = 0; k < 2; k++) {
        struct buf b;
        buf_open(&b);
        fputs("    sel:\n        eventName: x\n    condition: ", b.f);
        for (int i = 0; i < 100000; i++)
            fputs(shapes[k], b.f);
        fputs("sel", b.f);
        if (k == 0)
            for (int i = 0; i < 100000; i++)
                fputc(')', b.f);
        fputs("\n", b.f);
        buf_close(&b);
        char why[300];
        double took = read_rule(b.p, b.len, why, sizeof why);
        fprintf(stderr, "  condition %s x100000: %.3f s: %s\n", shapes[k], took, why);
        CHECK(why[0] != '\0');
        CHECK(took < 0.5);
        free(b.p);
    }
}

struct one_value {
    const char *s;
};

static enum sigma_fetch one(void *ctx, size_t ev, int path_id, int cheap, const struct sigma_value **vals,
                            size_t *n)
{
    (void)ev;
    (void)path_id;
    (void)cheap;
    static struct sigma_value v;
    const struct one_value *o = ctx;
    v = (struct sigma_value){o->s, strlen(o->s), SV_STRING};
    *vals = &v;
    *n = 1;
    return SIGMA_FETCH_OK;
}

static void test_regex_limits(void)
{
    const char *rule = "title: t\nlogsource: {product: aws, service: cloudtrail}\n"
                       "detection:\n    sel:\n        userAgent|re: '(a|aa)+$'\n    condition: sel\n";
    struct sigma_set *set = sigma_set_new();
    CHECK(set != NULL);
    CHECK_INT(sigma_set_add_text(set, "t.yml", rule, strlen(rule)), 0);
    CHECK_INT(sigma_set_count(set), 1);
    if (sigma_set_count(set) != 1) {
        sigma_set_free(set);
        return;
    }
    char *v = malloc(5002);
    if (!v)
        abort();
    memset(v, 'a', 5000);
    v[5000] = '\0';
    struct one_value o = {v};
    size_t gave_up = 0;
    struct sigma_source src = {&o, one, &gave_up};
    /* a long value the pattern matches: matched, not given up on */
    CHECK_INT(sigma_rule_eval(sigma_set_rule(set, 0), &src, 0, 0), SIGMA_YES);
    CHECK_INT(gave_up, 0);
    /* one it does not match backtracks exponentially: given up within the limits, and counted */
    v[5000] = 'b';
    v[5001] = '\0';
    double t0 = now();
    CHECK_INT(sigma_rule_eval(sigma_set_rule(set, 0), &src, 0, 0), SIGMA_NO);
    double took = now() - t0;
    fprintf(stderr, "  (a|aa)+$ on 5,000 a's and a b: %.3f s, gave up %zu\n", took, gave_up);
    CHECK_INT(gave_up, 1);
    CHECK(took < 1.0);
    free(v);
    sigma_set_free(set);
}

int main(void)
{
    test_alias_fanout();
    test_nesting();
    test_condition();
    test_regex_limits();
    printf("%d checks, %d failed\n", harness_checks, harness_failures);
    return harness_failures != 0;
}
