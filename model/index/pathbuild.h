/* pathbuild: fills a path index on worker threads, one decoded source at a time.
 *
 * The first use of a path reads it in every event: every source decoded again (a gzip file each) and
 * the path found in each record, seconds of one core on a million events. A build hands the sources to
 * worker threads (cores_count of them); each decodes a source through the store's reader, reads the
 * path in that source's records and interns the values in a table of its own. Once every source is
 * read, the caller's thread merges the results into the index in event order, so the index is the one
 * a one-thread build gives, value ids included.
 *
 * The workers never touch the store: they get a copy of what they read (the sources, each record's
 * place), so the caller may load more events and reorder them meanwhile (pathbuild_remap follows the
 * order). Events added after the start are left to the next build. */
#ifndef CTVIEW_PATHBUILD_H
#define CTVIEW_PATHBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "model/json/path.h"
#include "model/store/intern.h"
#include "model/store/store.h"

struct pathbuild;

/* Where a build writes what it reads: given by the index it fills (model/index/pathindex.c), so a
 * build knows no index. */
struct pathbuild_sink {
    void *index;           /* borrowed: passed to the functions below */
    struct intern *values; /* borrowed: the index's distinct values, the ids set() receives */
    int (*has)(const void *index, size_t i); /* event i is indexed already: not read */
    /* Records ids[0..n) of values as event i's values. 0, or -1 when out of memory. */
    int (*set)(void *index, size_t i, const uint32_t *ids, size_t n);
    /* Records that event i could not be read (err: why, taken over, may be NULL). */
    void (*set_unreadable)(void *index, size_t i, char *err);
};

/* Starts reading path p in the events of s that `to` does not hold yet, on `threads` worker threads
 * (0: cores_count). p and *to are copied; the store and to's index must outlive the build (pathbuild_free
 * first). NULL when out of memory or when no thread could start. */
struct pathbuild *pathbuild_start(const struct store *s, const struct path *p,
                                  const struct pathbuild_sink *to, int threads);

/* Waits up to `seconds` (< 0: as long as it takes) for the workers; once they are done, writes what
 * they read through the sink, event by event in the store's order. Returns 1 when written (free b
 * then), 0 when not done yet, -1 when out of memory. */
int pathbuild_wait(struct pathbuild *b, struct store *s, double seconds);

/* Percent of the build's events read so far. */
int pathbuild_percent(const struct pathbuild *b);

/* The events the build reads moved; the store now has n events. See pathindex_remap; moved may be NULL:
 * [0, from) stayed, the events from `from` on moved among themselves and are left to the next build. */
void pathbuild_remap(struct pathbuild *b, size_t from, const uint32_t *moved, size_t n);

/* Stops the workers (each after the source it is reading), waits for them and frees b. NULL is a no-op. */
void pathbuild_free(struct pathbuild *b);

#endif
