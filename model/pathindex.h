/* pathindex: the values of one JSON path for every event, extracted from the stored bytes on first use
 * and kept, so the next filter, column or count on that path costs a table lookup per event.
 *
 * The store owns its path indexes (one per distinct path text). Filters and fields hold the ones they
 * use (pathindex_get / pathindex_release); the store keeps a few unused built ones as a cache and frees
 * the rest. An index is built in steps (pathindex_build) so a terminal stays responsive; it covers
 * events [0, covered), and goes back to covering none when the store's event order changes. Values are
 * interned in the index's own table: an id per distinct value, stable for the index's life. */
#ifndef CTVIEW_PATHINDEX_H
#define CTVIEW_PATHINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "model/intern.h"
#include "model/path.h"
#include "model/store.h"

struct pathindex {
    struct path path;      /* owned */
    struct intern *values; /* owned: distinct values; intern id 0 is "" (a present empty string) */
    uint32_t *slot;        /* owned, per event: 0 missing; id + 1 for one value; else PATHINDEX_MULTI |
                              offset into multi, where multi[offset] = count and the ids follow */
    size_t slot_cap;
    uint32_t *multi; /* owned */
    size_t nmulti, multi_cap;
    size_t covered;    /* events [0, covered) are indexed */
    unsigned users;    /* holders: filters' path terms, prepared fields */
    uint64_t used;     /* when last taken, for dropping the oldest unused */
    size_t unreadable; /* events whose bytes could not be read (counted as missing) */
    struct path_values scratch;
};

#define PATHINDEX_MULTI 0x80000000u

/* The store's index for path p (found by its text, or created empty), held by the caller until
 * pathindex_release, which must come before store_free. NULL when out of memory. */
struct pathindex *pathindex_get(struct store *s, const struct path *p);
void pathindex_release(struct store *s, struct pathindex *x);

/* The store's index for path p if one exists, else NULL. Not held: valid until the next call that
 * changes the store (loading, sorting, another release). */
struct pathindex *pathindex_find(const struct store *s, const struct path *p);

/* Indexes up to `work` more events (at least one). Returns 1 once every event of the store is covered,
 * 0 when more remain, -1 when out of memory. */
int pathindex_build(struct store *s, struct pathindex *x, size_t work);

/* Builds until events [0, n) are covered. Returns 0, or -1 when out of memory. */
int pathindex_cover(struct store *s, struct pathindex *x, size_t n);

/* The value ids of event i (i < covered): returns their count and sets *ids (borrowed); for one value,
 * *one receives it and *ids points at it. */
static inline size_t pathindex_ids(const struct pathindex *x, size_t i, const uint32_t **ids, uint32_t *one)
{
    uint32_t v = x->slot[i];
    if (v == 0)
        return 0;
    if (!(v & PATHINDEX_MULTI)) {
        *one = v - 1;
        *ids = one;
        return 1;
    }
    const uint32_t *m = x->multi + (v & ~PATHINDEX_MULTI);
    *ids = m + 1;
    return m[0];
}

/* Bytes an index holds (slots, lists, value strings). */
size_t pathindex_bytes(const struct pathindex *x);

/* The store's event order changed: held indexes go back to covering no event, unused ones are freed. */
void pathindex_reset(struct store *s);

/* Frees every index (store_free). */
void pathindex_free_all(struct store *s);

/* Forgets what the indexes hold past event n (the events from n on were reordered among themselves). */
void pathindex_truncate(struct store *s, size_t n);

#endif
