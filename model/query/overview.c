#include "model/query/overview.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/timefmt.h"

static const struct {
    int64_t ms;
    const char *name;
} bucket_sizes[] = {
    {1000, "1 s"},
    {5000, "5 s"},
    {10000, "10 s"},
    {30000, "30 s"},
    {60000, "1 min"},
    {300000, "5 min"},
    {600000, "10 min"},
    {900000, "15 min"},
    {1800000, "30 min"},
    {3600000, "1 h"},
    {3 * 3600000, "3 h"},
    {6 * 3600000, "6 h"},
    {12 * 3600000, "12 h"},
    {86400000, "1 day"},
    {7 * 86400000LL, "7 days"},
    {30 * 86400000LL, "30 days"},
    {365 * 86400000LL, "365 days"},
};
#define NSIZES (sizeof bucket_sizes / sizeof *bucket_sizes)

const char *histogram_bucket_name(int64_t bucket_ms)
{
    for (size_t i = 0; i < NSIZES; i++)
        if (bucket_sizes[i].ms == bucket_ms)
            return bucket_sizes[i].name;
    return "?";
}

static int failed(const struct store *s, const struct event *e)
{
    return store_event_failed(s, e);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int histogram_build(const struct store *s, const uint32_t *idx, size_t n, size_t max_buckets,
                    struct histogram *h)
{
    memset(h, 0, sizeof *h);
    if (max_buckets == 0)
        max_buckets = 1;
    /* events are in time order, those without a time last: the span is first .. last timed event */
    size_t timed = n;
    while (timed > 0 && s->events[idx ? idx[timed - 1] : timed - 1].time_ms == TIME_NONE)
        timed--;
    h->untimed = n - timed;
    if (timed == 0)
        return 0;
    int64_t lo = s->events[idx ? idx[0] : 0].time_ms,
            hi = s->events[idx ? idx[timed - 1] : timed - 1].time_ms;
    size_t k = 0;
    while (k + 1 < NSIZES && (uint64_t)(floor_div(hi, bucket_sizes[k].ms) -
                                        floor_div(lo, bucket_sizes[k].ms) + 1) > max_buckets)
        k++;
    h->bucket_ms = bucket_sizes[k].ms;
    h->start_ms = floor_div(lo, h->bucket_ms) * h->bucket_ms;
    h->nbuckets = (size_t)(floor_div(hi, h->bucket_ms) - floor_div(lo, h->bucket_ms) + 1);
    h->total = calloc(h->nbuckets, sizeof *h->total);
    h->errors = calloc(h->nbuckets, sizeof *h->errors);
    if (!h->total || !h->errors) {
        histogram_free(h);
        return -1;
    }
    for (size_t i = 0; i < timed; i++) {
        const struct event *e = &s->events[idx ? idx[i] : i];
        size_t b = (size_t)((e->time_ms - h->start_ms) / h->bucket_ms);
        if (b >= h->nbuckets)
            b = h->nbuckets - 1;
        h->total[b]++;
        h->errors[b] += failed(s, e);
    }
    for (size_t b = 0; b < h->nbuckets; b++)
        if (h->total[b] > h->max)
            h->max = h->total[b];
    return 0;
}

void histogram_free(struct histogram *h)
{
    free(h->total);
    free(h->errors);
    h->total = h->errors = NULL;
    h->nbuckets = 0;
}

static const char *const titles[SUM__COUNT] = {"Events",   "Identities", "Source IPs",
                                               "Accounts", "Regions",    "Errors"};
static const char *const field_names[SUM__COUNT] = {"name", "identity", "ip", "acct", "region", "error"};

const char *summary_title(enum summary_field f)
{
    return f < SUM__COUNT ? titles[f] : "";
}

const char *summary_field_name(enum summary_field f)
{
    return f < SUM__COUNT ? field_names[f] : "";
}

int summary_build(const struct store *s, const uint32_t *idx, size_t n, size_t top, struct summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sum->total = n;
    for (int f = 0; f < SUM__COUNT; f++) {
        struct field_error err;
        if (field_parse(field_names[f], strlen(field_names[f]), &sum->fields[f], &err) != 0 ||
            fieldtop_build(s, &sum->fields[f], idx, n, top, &sum->tops[f]) != 0) {
            summary_free(sum);
            return -1;
        }
    }
    return 0;
}

void summary_free(struct summary *sum)
{
    for (int f = 0; f < SUM__COUNT; f++) {
        fieldtop_free(&sum->tops[f]);
        field_free(&sum->fields[f]);
    }
}
