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
static const char *const filter_fields[SUM__COUNT] = {"name", "user", "ip", "acct", "region", "error"};

const char *summary_title(enum summary_field f)
{
    return f < SUM__COUNT ? titles[f] : "";
}

const char *summary_filter_field(enum summary_field f)
{
    return f < SUM__COUNT ? filter_fields[f] : "";
}

/* The value of field f for an event: an interned id, 0 for none. */
static uint32_t value_of(const struct store *s, const struct event *e, enum summary_field f)
{
    switch (f) {
    case SUM_NAME:
        return store_field(s, e, EF_NAME);
    case SUM_IDENTITY:
        return store_field(s, e, EF_UI_ARN)    ? store_field(s, e, EF_UI_ARN)
               : store_field(s, e, EF_UI_USER) ? store_field(s, e, EF_UI_USER)
                                               : store_field(s, e, EF_UI_PRINCIPAL);
    case SUM_IP:
        return store_field(s, e, EF_IP);
    case SUM_ACCOUNT:
        return store_field(s, e, EF_ACCOUNT) ? store_field(s, e, EF_ACCOUNT)
                                             : store_field(s, e, EF_UI_ACCOUNT);
    case SUM_REGION:
        return store_field(s, e, EF_REGION);
    case SUM_ERROR:
        return store_field(s, e, EF_ERROR_CODE) ? store_field(s, e, EF_ERROR_CODE)
                                                : store_field(s, e, EF_ERROR_MESSAGE);
    default:
        return 0;
    }
}

/* LSD radix sort of 32-bit values, two passes of 16 bits; tmp holds n values. */
static void radix_sort(uint32_t *v, uint32_t *tmp, size_t n, size_t *count)
{
    for (int shift = 0; shift < 32; shift += 16) {
        memset(count, 0, 65537 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((v[i] >> shift) & 0xffff) + 1]++;
        for (size_t d = 0; d < 65536; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++)
            tmp[count[(v[i] >> shift) & 0xffff]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
}

int summary_build(const struct store *s, const uint32_t *idx, size_t n, size_t top, struct summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sum->total = n;
    uint32_t *vals = malloc((n ? n : 1) * sizeof *vals);
    uint32_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    size_t *count = malloc(65537 * sizeof *count);
    int rc = vals && tmp && count ? 0 : -1;
    for (int f = 0; f < SUM__COUNT && rc == 0; f++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t v = value_of(s, &s->events[idx ? idx[i] : i], (enum summary_field)f);
            if (v)
                vals[m++] = v;
        }
        sum->missing[f] = n - m;
        radix_sort(vals, tmp, m, count);
        sum->rows[f] = malloc((top ? top : 1) * sizeof *sum->rows[f]);
        if (!sum->rows[f]) {
            rc = -1;
            break;
        }
        /* runs of equal ids; keep the top ones in a small sorted array (ties: lower id first) */
        size_t kept = 0;
        for (size_t i = 0; i < m;) {
            size_t j = i;
            while (j < m && vals[j] == vals[i])
                j++;
            sum->distinct[f]++;
            struct summary_row r = {vals[i], (uint32_t)(j - i)};
            if (kept < top || (kept && r.count > sum->rows[f][kept - 1].count)) {
                size_t at = kept < top ? kept++ : kept - 1;
                while (at > 0 && sum->rows[f][at - 1].count < r.count) {
                    sum->rows[f][at] = sum->rows[f][at - 1];
                    at--;
                }
                sum->rows[f][at] = r;
            }
            i = j;
        }
        sum->nrows[f] = kept;
    }
    free(vals);
    free(tmp);
    free(count);
    if (rc != 0)
        summary_free(sum);
    return rc;
}

void summary_free(struct summary *sum)
{
    for (int f = 0; f < SUM__COUNT; f++) {
        free(sum->rows[f]);
        sum->rows[f] = NULL;
        sum->nrows[f] = 0;
    }
}
