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

#include "model/index/pathindex.h"
#include "model/store/store.h"

struct pathbuild;

/* Starts reading the events of s that x does not hold yet on `threads` worker threads (0: cores_count).
 * The store and x must outlive the build (pathbuild_free first). NULL when out of memory or when no
 * thread could start. */
struct pathbuild *pathbuild_start(const struct store *s, const struct pathindex *x, int threads);

/* Waits up to `seconds` (< 0: as long as it takes) for the workers; once they are done, merges what
 * they read into x. Returns 1 when merged (free b then), 0 when not done yet, -1 when out of memory. */
int pathbuild_wait(struct pathbuild *b, struct store *s, struct pathindex *x, double seconds);

/* Percent of the build's events read so far. */
int pathbuild_percent(const struct pathbuild *b);

/* The events the build reads moved; the store now has n events. See pathindex_remap; moved may be NULL:
 * [0, from) stayed, the events from `from` on moved among themselves and are left to the next build. */
void pathbuild_remap(struct pathbuild *b, size_t from, const uint32_t *moved, size_t n);

/* Stops the workers (each after the source it is reading), waits for them and frees b. NULL is a no-op. */
void pathbuild_free(struct pathbuild *b);

#endif
