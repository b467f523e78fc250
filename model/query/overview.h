/* overview: the shape of a set of events: a time histogram with errors counted apart, and the most
 * frequent values of the fields investigators ask about first (fieldtop over the field model, as --top
 * counts). Computed over the shown events (store indexes in time order). */
#ifndef CTVIEW_OVERVIEW_H
#define CTVIEW_OVERVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "model/query/field.h"
#include "model/query/fieldtop.h"
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

/* The sections: each is a field of the field model (model/query/field.h), counted as --top counts it. */
struct summary {
    size_t total;                     /* events counted */
    struct field fields[SUM__COUNT];  /* short names: they own nothing */
    struct fieldtop tops[SUM__COUNT]; /* owned: the top values of each, most frequent first */
};

/* Title of a section ("Events", "Identities", ...) and the short name of its field. */
const char *summary_title(enum summary_field f);
const char *summary_field_name(enum summary_field f);

/* Counts the field of every section over idx[0..n) (NULL: all events), keeping the top `top` of each.
 * Returns 0, or -1 when out of memory. Release with summary_free. */
int summary_build(const struct store *s, const uint32_t *idx, size_t n, size_t top, struct summary *sum);
void summary_free(struct summary *sum);

#endif
