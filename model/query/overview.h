/* overview: the shape of a set of events: a time histogram with errors counted apart, and the most
 * frequent values of the fields investigators ask about first. Computed over the shown events (store
 * indexes in time order), by sorting interned ids: no per-value allocation, fast on a million events. */
#ifndef CTVIEW_OVERVIEW_H
#define CTVIEW_OVERVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"

struct histogram {
    int64_t start_ms;  /* start of the first bucket (aligned to the bucket size, UTC) */
    int64_t bucket_ms; /* bucket size, one of a fixed list of round durations */
    size_t nbuckets;
    uint32_t *total;  /* owned: events per bucket */
    uint32_t *errors; /* owned: of which failed (errorCode, errorMessage or a failed sign-in) */
    uint32_t max;     /* the largest bucket */
    size_t untimed;   /* events without an eventTime, not in any bucket */
};

/* Buckets the events idx[0..n) (NULL: all events) into at most max_buckets buckets of a round size.
 * Returns 0, or -1 when out of memory. Release with histogram_free. */
int histogram_build(const struct store *s, const uint32_t *idx, size_t n, size_t max_buckets,
                    struct histogram *h);
void histogram_free(struct histogram *h);

/* "1 min", "6 h", "1 day": a bucket size for people. */
const char *histogram_bucket_name(int64_t bucket_ms);

enum summary_field { SUM_NAME, SUM_IDENTITY, SUM_IP, SUM_ACCOUNT, SUM_REGION, SUM_ERROR, SUM__COUNT };

struct summary_row {
    uint32_t id; /* interned value */
    uint32_t count;
};

struct summary {
    size_t total;                         /* events counted */
    struct summary_row *rows[SUM__COUNT]; /* owned: the top values of each field, most frequent first */
    size_t nrows[SUM__COUNT];
    size_t distinct[SUM__COUNT]; /* different values seen */
    size_t missing[SUM__COUNT];  /* events without a value */
};

/* Title of a field ("Events", "Identities", ...) and the filter field that selects a value of it. */
const char *summary_title(enum summary_field f);
const char *summary_filter_field(enum summary_field f);

/* Counts the values of every field over idx[0..n) (NULL: all events), keeping the top `top` of each.
 * Returns 0, or -1 when out of memory. Release with summary_free. */
int summary_build(const struct store *s, const uint32_t *idx, size_t n, size_t top, struct summary *sum);
void summary_free(struct summary *sum);

#endif
