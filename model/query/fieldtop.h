/* fieldtop: the most frequent values of any field or path over a set of events, for --top and the
 * overview's chosen sections.
 *
 * An event with several values counts once per distinct value; an event without one counts as
 * missing. Rows are ordered by count, descending, then by value text, ascending (bytes). */
#ifndef CTVIEW_FIELDTOP_H
#define CTVIEW_FIELDTOP_H

#include <stddef.h>
#include <stdint.h>

#include "model/query/field.h"
#include "model/store/store.h"

struct fieldtop_row {
    uint64_t key; /* field_key_text gives its text */
    uint32_t count;
};

struct fieldtop {
    size_t events;             /* events counted */
    size_t distinct;           /* different values seen */
    size_t missing;            /* events without a value */
    struct fieldtop_row *rows; /* owned: the top values */
    size_t nrows;
};

/* Counts field f (field_prepare done) over the events idx[0..n) (NULL: events 0..n-1), keeping the top
 * `top`. Returns 0, or -1 when out of memory (t is then empty). Release with fieldtop_free. */
int fieldtop_build(const struct store *s, const struct field *f, const uint32_t *idx, size_t n, size_t top,
                   struct fieldtop *t);
void fieldtop_free(struct fieldtop *t);

#endif
