/* pathindex: the values of one JSON path for every event, extracted from the stored bytes on first use
 * and kept, so the next filter, column or count on that path costs a table lookup per event.
 *
 * The store keeps its path indexes (one per distinct path text) as derived data (store_derived_set),
 * without knowing them: they follow the events when they move and are freed with the store. Filters and
 * fields hold the ones they use (pathindex_get / pathindex_release); a few unused built ones are kept as
 * a cache and the rest freed. Values are interned in the index's own table: an id per distinct value,
 * stable for the index's life.
 *
 * A large build runs on worker threads (model/index/pathbuild.h) while pathindex_build returns at once, so a
 * terminal stays responsive and shows its progress; a small one (the events a followed directory added)
 * runs on the caller's thread in steps. An index knows which events it holds (a bit each): when the
 * store's order changes it follows its events to their new places and only the events
 * added since are read, rather than all of them again. */
#ifndef CTVIEW_PATHINDEX_H
#define CTVIEW_PATHINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/intern.h"
#include "model/json/path.h"
#include "model/store/store.h"

struct pathbuild;

struct pathindex {
    struct path path;      /* owned */
    struct intern *values; /* owned: distinct values; intern id 0 is "" (a present empty string) */
    uint32_t *slot;        /* owned, per event: 0 missing; id + 1 for one value; else PATHINDEX_MULTI |
                              offset into multi, where multi[offset] = count and the ids follow */
    size_t slot_cap;
    uint32_t *multi; /* owned */
    size_t nmulti, multi_cap;
    uint64_t *done; /* owned, a bit per event: indexed (slot[i] is meaningful) */
    size_t done_words;
    size_t covered;        /* events [0, covered) are indexed; later ones may be too (done) */
    size_t ndone;          /* events indexed */
    unsigned users;        /* holders: filters' path terms, prepared fields */
    uint64_t used;         /* when last taken, for dropping the oldest unused */
    size_t unreadable;     /* events whose bytes could not be read (indexed as missing) */
    char *error;           /* owned: why the first of them could not be read, or NULL */
    struct pathbuild *job; /* owned: the build running on worker threads, or NULL */
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

/* Indexes up to `work` more events (at least one) on the caller's thread, or, when many are missing,
 * starts a build on worker threads and waits for it at most PATHINDEX_WAIT seconds. Returns 1 once
 * every event of the store is covered, 0 when more remain, -1 when out of memory. */
int pathindex_build(struct store *s, struct pathindex *x, size_t work);
#define PATHINDEX_WAIT 0.01

/* The same with a choice of threads: 1 reads every event on the caller's thread (the reference the
 * threaded build is checked against); n >= 2 always builds on n worker threads; 0 is pathindex_build's
 * choice (worker threads, one per core, when at least PATHINDEX_THREADED events are missing). wait:
 * seconds to wait for worker threads (< 0: until they are done). */
int pathindex_build_with(struct store *s, struct pathindex *x, size_t work, int threads, double wait);
#define PATHINDEX_THREADED 256

/* Builds until events [0, n) are covered (waiting for worker threads). Returns 0, or -1 when out of
 * memory. */
int pathindex_cover(struct store *s, struct pathindex *x, size_t n);

/* Percent of the store's events indexed (a build's progress counted in). */
int pathindex_percent(const struct store *s, const struct pathindex *x);

/* Records ids[0..n) (ids of x->values) as the values of event i, which is not indexed yet. Returns 0,
 * or -1 when out of memory. */
int pathindex_set(struct pathindex *x, size_t i, const uint32_t *ids, size_t n);

/* Records that event i could not be read (err: why; taken over, may be NULL): indexed as missing. */
void pathindex_set_unreadable(struct pathindex *x, size_t i, char *err);

/* Whether event i is indexed. */
static inline int pathindex_has(const struct pathindex *x, size_t i)
{
    return i / 64 < x->done_words && (x->done[i / 64] >> (i % 64) & 1);
}

/* The value ids of event i (pathindex_has(x, i), e.g. i < covered): returns their count and sets *ids
 * (borrowed); for one value, *one receives it and *ids points at it. */
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

/* How many indexes the store keeps (held and cached). */
size_t pathindex_count(const struct store *s);

/* The first reason an event of a path index could not be read (borrowed), and how many events of the
 * store's indexes were not; NULL when every event was read. */
const char *pathindex_problem(const struct store *s, size_t *unreadable);

#endif
