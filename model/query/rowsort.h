/* rowsort: the order of the event list's rows when sorted by a column, for the TUI's sorted list.
 *
 * The rows are events in time order (the shown list); sorting gives each row a rank and orders the rows
 * by it, stably, so rows with equal values stay in time order, in either direction. Values compare as
 * numbers when both are numbers (JSON number syntax: -12, 3.5, 1e3), else as text ignoring ASCII case;
 * numbers come before words. A missing or empty value sorts last, in either direction. An event with
 * several values (a path through an array) sorts by its first, in document order.
 *
 * Speed: every distinct value is ranked once (its text compared by an 8-byte folded prefix first), then
 * the rows are placed by a counting sort on their ranks, so sorting a million rows costs a pass to read
 * the values, a sort of the distinct values and two linear passes. */
#ifndef CTVIEW_ROWSORT_H
#define CTVIEW_ROWSORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/query/columns.h"
#include "model/query/field.h"
#include "model/store/store.h"
#include "model/base/timefmt.h"

/* The rank of a missing value: after every other. */
#define ROWSORT_MISSING UINT32_MAX

/* Ranks texts: rank[i] is the dense rank of vals[i] in the order above (0 first; equal values share a
 * rank), ROWSORT_MISSING for NULL or "". The pointers are the values' identity: equal pointers are one
 * value, read once (interned strings give that for free); different pointers to equal text are equal.
 * Sets *nranks to the number of ranks used. Returns 0, or -1 when out of memory. */
int rowsort_rank_texts(const char *const *vals, size_t n, uint32_t *rank, uint32_t *nranks);

/* Ranks numbers: rank[i] is the dense rank of vals[i] (smaller first), ROWSORT_MISSING where
 * missing[i] is set (missing may be NULL). Sets *nranks. Returns 0, or -1 when out of memory. */
int rowsort_rank_numbers(const int64_t *vals, const unsigned char *missing, size_t n, uint32_t *rank,
                         uint32_t *nranks);

/* Orders rows by rank: order[k] is the row shown k-th (rows are 0..n-1; row i has rank[idx[i]], or
 * rank[i] when idx is NULL), by rank ascending (desc: descending), missing last, equal ranks in row
 * order. Returns 0, or -1 when out of memory. */
int rowsort_by_rank(const uint32_t *rank, const uint32_t *idx, size_t n, uint32_t nranks, int desc,
                    uint32_t *order);

/* What the rows are sorted by: a field's values (field_prepare done for a path), or when field is NULL
 * the text a column of the default list shows (its time, as a number, for COL_TIME). */
struct rowsort_by {
    const struct field *field; /* borrowed */
    enum column_id column;
};

/* Ranks the events idx[0..n) (store indexes; NULL: events 0..n-1) by `by`: rank[i] for idx[i], as
 * above. Returns 0, or -1 when out of memory. */
int rowsort_ranks(const struct store *s, const struct rowsort_by *by, const uint32_t *idx, size_t n,
                  uint32_t *rank, uint32_t *nranks);

/* Orders the events idx[0..n) by `by`: order[k] is the index into idx of the event shown k-th
 * (rowsort_ranks, then rowsort_by_rank). Returns 0, or -1 when out of memory. */
int rowsort_order(const struct store *s, const struct rowsort_by *by, const uint32_t *idx, size_t n, int desc,
                  uint32_t *order);

/* Whether text[0..len) is a number as rowsort compares numbers (JSON number syntax); sets *value. */
int rowsort_number(const char *text, size_t len, double *value);

#endif
