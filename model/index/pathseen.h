/* pathseen: the JSON paths that occur in a sample of events, most common first, for completing a path
 * as the user types one (the column chooser). */
#ifndef CTVIEW_PATHSEEN_H
#define CTVIEW_PATHSEEN_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"

struct pathseen {
    struct intern *names; /* owned: the paths */
    uint32_t *ids;        /* owned: path ids, most events first, then by name */
    uint32_t *count;      /* owned, per path id: events that have it */
    size_t n;
};

/* Collects the paths of up to max_events events spread evenly over idx[0..n) (NULL: the store's
 * events): every key path, objects and leaves alike, arrays stepped through, keys that a path cannot
 * name (with '.', ':', spaces...) left out. Events whose bytes cannot be read are skipped. Returns 0, or
 * -1 when out of memory (ps is then empty). Release with pathseen_free. */
int pathseen_collect(struct store *s, const uint32_t *idx, size_t n, size_t max_events, struct pathseen *ps);
void pathseen_free(struct pathseen *ps);

/* Path k (k < ps->n) in frequency order: borrowed. */
const char *pathseen_name(const struct pathseen *ps, size_t k);

#endif
