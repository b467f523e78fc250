/* Unit tests for the overview's model (model/overview): the time histogram (bucket size, start, counts,
 * failures, events without a time, a subset) and the summary of top values, both against a plain
 * counting of the same events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/query/overview.h"
#include "model/base/timefmt.h"
#include "parsers/load.h"

static struct store *load(const char *json)
{
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "test.json", json, strlen(json)), 0);
    return s;
}

static void test_histogram_small(void)
{
    /* 00:00:10, 00:00:20 (failed), 00:01:05 (failed sign-in), one without a time */
    struct store *s =
        load("{\"Records\":["
             "{\"eventID\":\"1\",\"eventTime\":\"2024-03-01T00:00:10Z\",\"eventName\":\"A\"},"
             "{\"eventID\":\"2\",\"eventTime\":\"2024-03-01T00:00:20Z\",\"eventName\":\"B\","
             "\"errorCode\":\"AccessDenied\"},"
             "{\"eventID\":\"3\",\"eventTime\":\"2024-03-01T00:01:05Z\",\"eventName\":\"ConsoleLogin\","
             "\"responseElements\":{\"ConsoleLogin\":\"Failure\"}},"
             "{\"eventID\":\"4\",\"eventName\":\"C\"}]}");
    CHECK_INT(s->nevents, 4);
    int64_t t0;
    CHECK_INT(timefmt_parse("2024-03-01T00:00:00Z", 20, &t0), 0);
    struct histogram h;
    /* room for every second: 1 s buckets from the first event to the last timed one */
    CHECK_INT(histogram_build(s, NULL, s->nevents, 100, &h), 0);
    CHECK_INT(h.bucket_ms, 1000);
    CHECK_INT(h.start_ms, t0 + 10000);
    CHECK_INT(h.nbuckets, 56);
    CHECK_INT(h.untimed, 1);
    CHECK_INT(h.total[0], 1);
    CHECK_INT(h.total[10], 1);
    CHECK_INT(h.errors[10], 1);
    CHECK_INT(h.total[55], 1);
    CHECK_INT(h.errors[55], 1); /* a failed sign-in counts as failed */
    CHECK_INT(h.max, 1);
    histogram_free(&h);
    /* two buckets at most: 1 s (56), 5 s (12), 10 s (6), 30 s (3) are too many; 1 min fits, aligned */
    CHECK_INT(histogram_build(s, NULL, s->nevents, 2, &h), 0);
    CHECK_INT(h.bucket_ms, 60000);
    CHECK_STR(histogram_bucket_name(h.bucket_ms), "1 min");
    CHECK_INT(h.start_ms, t0);
    CHECK_INT(h.nbuckets, 2);
    CHECK_INT(h.total[0], 2);
    CHECK_INT(h.errors[0], 1);
    CHECK_INT(h.total[1], 1);
    CHECK_INT(h.max, 2);
    histogram_free(&h);
    /* a subset: the first and the untimed one */
    uint32_t idx[] = {0, 3};
    CHECK_INT(histogram_build(s, idx, 2, 10, &h), 0);
    CHECK_INT(h.nbuckets, 1);
    CHECK_INT(h.total[0], 1);
    CHECK_INT(h.errors[0], 0);
    CHECK_INT(h.untimed, 1);
    histogram_free(&h);
    /* nothing timed: no buckets */
    uint32_t untimed[] = {3};
    CHECK_INT(histogram_build(s, untimed, 1, 10, &h), 0);
    CHECK_INT(h.nbuckets, 0);
    CHECK_INT(h.untimed, 1);
    histogram_free(&h);
    CHECK_STR(histogram_bucket_name(12345), "?");
    store_free(s);
}

/* Events over about ten days with repeated values, some fields missing, some failed. */
static struct store *load_many(size_t n)
{
    size_t cap = n * 400 + 64, len = 0;
    char *json = malloc(cap);
    len += (size_t)snprintf(json + len, cap - len, "{\"Records\":[");
    for (size_t i = 0; i < n; i++) {
        unsigned r = (unsigned)(i * 2654435761u);
        len += (size_t)snprintf(
            json + len, cap - len,
            "%s{\"eventID\":\"e%zu\",\"eventTime\":\"2024-03-%02uT%02u:%02u:%02uZ\",\"eventName\":\"Op%u\","
            "\"awsRegion\":\"r%u\",\"recipientAccountId\":\"1000%u\"%s%s%s,"
            "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/u%u\"}}",
            i ? "," : "", i, 1 + r % 10, (r >> 4) % 24, (r >> 9) % 60, (r >> 15) % 60, (r >> 3) % 7,
            (r >> 5) % 4, (r >> 7) % 3, (r % 5) ? ",\"sourceIPAddress\":\"10.0.0." : "", (r % 5) ? "1\"" : "",
            (r % 6 == 0) ? ",\"errorCode\":\"Denied\"" : "", (r >> 11) % 13);
    }
    snprintf(json + len, cap - len, "]}");
    struct store *s = load(json);
    free(json);
    return s;
}

/* The histogram of idx[0..n) against a plain count: the smallest round size that fits, and every
 * bucket's totals. */
static void check_histogram(const struct store *s, const uint32_t *idx, size_t n, size_t max_buckets)
{
    struct histogram h;
    CHECK_INT(histogram_build(s, idx, n, max_buckets, &h), 0);
    CHECK(h.nbuckets >= 1 && h.nbuckets <= max_buckets);
    uint32_t *total = calloc(h.nbuckets, sizeof *total), *errors = calloc(h.nbuckets, sizeof *errors);
    size_t untimed = 0, counted = 0;
    for (size_t i = 0; i < n; i++) {
        const struct event *e = &s->events[idx ? idx[i] : i];
        if (e->time_ms == TIME_NONE) {
            untimed++;
            continue;
        }
        CHECK(e->time_ms >= h.start_ms && e->time_ms < h.start_ms + (int64_t)h.nbuckets * h.bucket_ms);
        size_t b = (size_t)((e->time_ms - h.start_ms) / h.bucket_ms);
        if (b < h.nbuckets) {
            total[b]++;
            errors[b] += store_field(s, e, EF_ERROR_CODE) != 0;
            counted++;
        }
    }
    CHECK_INT(h.untimed, untimed);
    CHECK_INT(h.start_ms % h.bucket_ms, 0);
    uint32_t max = 0;
    int same = 1;
    for (size_t b = 0; b < h.nbuckets; b++) {
        same &= total[b] == h.total[b] && errors[b] == h.errors[b];
        max = total[b] > max ? total[b] : max;
    }
    CHECK(same);
    CHECK_INT(h.max, max);
    CHECK_INT(counted, n - untimed);
    free(total);
    free(errors);
    histogram_free(&h);
}

/* Section f of the summary against a plain count of the interned ids value() gives: distinct, missing,
 * and the top rows in count order (ties: the smaller text first) with the counts a full count gives. */
static void check_summary_field(const struct store *s, const uint32_t *idx, size_t n,
                                const struct summary *sum, enum summary_field f,
                                uint32_t (*value)(const struct store *, const struct event *))
{
    const struct fieldtop *t = &sum->tops[f];
    size_t nids = s->strings ? intern_count(s->strings) + 1 : 1;
    uint32_t *count = calloc(nids, sizeof *count);
    size_t missing = 0, distinct = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = value(s, &s->events[idx ? idx[i] : i]);
        if (!v)
            missing++;
        else if (count[v]++ == 0)
            distinct++;
    }
    CHECK_INT(t->missing, missing);
    CHECK_INT(t->distinct, distinct);
    for (size_t r = 0; r < t->nrows; r++) {
        const struct fieldtop_row *row = &t->rows[r];
        CHECK(row->key < nids);
        CHECK_INT(row->count, count[row->key]);
        if (r > 0) {
            const struct fieldtop_row *prev = &t->rows[r - 1];
            CHECK(prev->count > row->count ||
                  (prev->count == row->count &&
                   strcmp(intern_str(s->strings, (uint32_t)prev->key), intern_str(s->strings, (uint32_t)row->key)) <
                       0));
        }
    }
    /* nothing left out counts more than the last row kept */
    if (t->nrows) {
        const struct fieldtop_row *last = &t->rows[t->nrows - 1];
        for (size_t r = 0; r < t->nrows; r++)
            count[t->rows[r].key] = 0;
        for (size_t v = 1; v < nids; v++)
            CHECK(count[v] < last->count ||
                  (count[v] == last->count &&
                   strcmp(intern_str(s->strings, (uint32_t)v), intern_str(s->strings, (uint32_t)last->key)) > 0));
    }
    free(count);
}

static uint32_t v_name(const struct store *s, const struct event *e)
{
    return store_field(s, e, EF_NAME);
}
static uint32_t v_ip(const struct store *s, const struct event *e)
{
    return store_field(s, e, EF_IP);
}
static uint32_t v_region(const struct store *s, const struct event *e)
{
    return store_field(s, e, EF_REGION);
}
/* errorCode, else errorMessage (the data has no failed sign-in without either) */
static uint32_t v_error(const struct store *s, const struct event *e)
{
    return store_field(s, e, EF_ERROR_CODE) ? store_field(s, e, EF_ERROR_CODE)
                                            : store_field(s, e, EF_ERROR_MESSAGE);
}
/* recipientAccountId, else the trail's account */
static uint32_t v_account(const struct store *s, const struct event *e)
{
    if (store_field(s, e, EF_ACCOUNT))
        return store_field(s, e, EF_ACCOUNT);
    return e->source < s->nsources ? s->sources[e->source].trail_account : 0;
}
/* the ARN, else userName, invokedBy, onBehalfOf.userId, type (the data masks no name) */
static uint32_t v_identity(const struct store *s, const struct event *e)
{
    static const enum event_field order[] = {EF_UI_ARN, EF_UI_USER, EF_UI_INVOKED_BY, EF_UI_OBO_USER,
                                             EF_UI_TYPE};
    for (size_t j = 0; j < sizeof order / sizeof *order; j++)
        if (store_field(s, e, order[j]))
            return store_field(s, e, order[j]);
    return 0;
}

static void test_against_counting(void)
{
    struct store *s = load_many(3000);
    CHECK_INT(s->nevents, 3000);
    check_histogram(s, NULL, s->nevents, 120);
    check_histogram(s, NULL, s->nevents, 7);
    check_histogram(s, NULL, s->nevents, 100000);
    /* every third event */
    uint32_t *idx = malloc(1000 * sizeof *idx);
    for (size_t i = 0; i < 1000; i++)
        idx[i] = (uint32_t)(i * 3);
    check_histogram(s, idx, 1000, 50);
    for (int pass = 0; pass < 2; pass++) {
        const uint32_t *sel = pass ? idx : NULL;
        size_t n = pass ? 1000 : s->nevents;
        struct summary sum;
        CHECK_INT(summary_build(s, sel, n, 3, &sum), 0);
        CHECK_INT(sum.total, n);
        for (int f = 0; f < SUM__COUNT; f++)
            CHECK(sum.tops[f].nrows <= 3);
        CHECK_INT(sum.tops[SUM_NAME].nrows, 3);
        check_summary_field(s, sel, n, &sum, SUM_NAME, v_name);
        check_summary_field(s, sel, n, &sum, SUM_IP, v_ip);
        check_summary_field(s, sel, n, &sum, SUM_REGION, v_region);
        check_summary_field(s, sel, n, &sum, SUM_ERROR, v_error);
        check_summary_field(s, sel, n, &sum, SUM_ACCOUNT, v_account);
        check_summary_field(s, sel, n, &sum, SUM_IDENTITY, v_identity);
        CHECK(sum.tops[SUM_IP].missing > 0 && sum.tops[SUM_ERROR].missing > 0); /* the data has gaps */
        summary_free(&sum);
    }
    free(idx);
    store_free(s);
}

static void test_summary_names(void)
{
    CHECK_STR(summary_title(SUM_IDENTITY), "Identities");
    CHECK_STR(summary_field_name(SUM_IDENTITY), "identity");
    CHECK_STR(summary_field_name(SUM_ERROR), "error");
    CHECK_STR(summary_title(SUM__COUNT), "");
    /* no events: nothing counted, nothing kept */
    struct store *s = store_new();
    struct summary sum;
    CHECK_INT(summary_build(s, NULL, 0, 5, &sum), 0);
    CHECK_INT(sum.total, 0);
    CHECK_INT(sum.tops[SUM_NAME].nrows, 0);
    summary_free(&sum);
    store_free(s);
}

int main(void)
{
    test_histogram_small();
    test_against_counting();
    test_summary_names();
    return harness_done("test_overview");
}
