/* savedidx: the saved index on disk, for the loader (parsers/load.c). After a load, what was built is
 * written to $XDG_CACHE_HOME/ctview/index/ (else ~/.cache/ctview/index/) under a key made of the
 * canonical inputs and the options that change the load; the next load of the same inputs reads it
 * (model/store/storefile.h) instead of parsing: all of it when every file is as it was, else the files
 * that are still the same, by device, inode, size and modification time (an s3:// object: by its key,
 * ETag and size as listed, which the listing gives without reading its cached file), while the others
 * are read.
 *
 * A file is read again too when a record it dropped as a duplicate has no kept copy before it any more,
 * which is known when its turn comes to be merged (in load order); and a file whose events dedupe by
 * content, which the index does not keep. An index that cannot be read, fails its
 * checks or was saved for other inputs is ignored and written anew. The folder holds at most the cap
 * (savedidx_configure), the least recently used indexes removed first. */
#ifndef CTVIEW_SAVEDIDX_H
#define CTVIEW_SAVEDIDX_H

#include <stddef.h>
#include <stdint.h>

#include "model/base/problems.h"
#include "model/store/store.h"
#include "parsers/walk.h"

/* 1/4 of the S3 cache's default (parsers/s3open.h): a million diverse events take about 300 MB. */
#define SAVEDIDX_DEFAULT_CAP ((uint64_t)10 << 30 >> 2)

/* Turns the saved index on (off until called: tests and tools that load get no files written) with a
 * cap in bytes (0: SAVEDIDX_DEFAULT_CAP); options (copied; NULL: none) names the options that change the
 * load but that the loader is not given (--account, --region), for the key. For the whole process. */
void savedidx_configure(int on, uint64_t cap, const char *options);

struct savedidx;

/* The index for loading paths[0..n) with these options, or NULL when it is off, an input is standard
 * input, there is no cache folder or out of memory (the load then goes on without). */
struct savedidx *savedidx_begin(const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms,
                                int64_t big_bytes);

/* The loader reads list's files as they come (s3:// objects, one by one as they are listed and fetched)
 * rather than once the walk is done: when an index is saved for these inputs, returns 0 and changes
 * nothing (the loader should wait for the whole list and plan, so that the unchanged objects come from
 * the index); else 1: nothing will be taken from an index, and the files merged are recorded (in order,
 * the list growing meanwhile; list borrowed, whole by savedidx_save) so that one is saved. */
int savedidx_stream(struct savedidx *x, const struct walk_list *list);

/* Once the walk is done (list and walk_problems borrowed; list must outlive x): reads the index and
 * decides what comes from it. Runs on a worker thread; x is not shared until it returns. */
void savedidx_plan(struct savedidx *x, const struct walk_list *list, const struct problems *walk_problems);

/* Every input is as saved: savedidx_restore gives the whole store, no file is read. */
int savedidx_full(const struct savedidx *x);

/* Walk file k is taken from the index (savedidx_replay) rather than read. */
int savedidx_reuse(const struct savedidx *x, size_t k);

/* Moves the saved store into s, which holds nothing but the walk's problems and counts (replaced by the
 * saved ones, found equal). 0, or -1 (nothing moved). */
int savedidx_restore(struct savedidx *x, struct store *s);

/* After the walk was merged into s (nothing else yet): when some files come from the index, hands s its
 * strings. Records the walk's part for the save. 0, or -1 when out of memory. */
int savedidx_walk_merged(struct savedidx *x, struct store *s);

/* Appends walk file k's events, duplicates, problems and counts as saved. 0; 1 when it must be read
 * instead (a record it dropped as a duplicate has no kept copy before it any more: that copy's file
 * changed or went away), nothing added; -1 when out of memory. */
int savedidx_replay(struct savedidx *x, struct store *s, size_t k);

/* The load is complete: when some files came from the index, puts s's events in time order (what
 * store_finish gives) by merging the few read into the order the index kept, rather than sorting them
 * all; s->sorted tells whether it did. s holds no derived data. */
void savedidx_order(struct savedidx *x, struct store *s);

/* Walk file k was merged into s (read or replayed): records what it added, for the save. */
void savedidx_file_merged(struct savedidx *x, const struct store *s, size_t k);

/* The load is complete and s finished (sorted): writes the index (atomically, 0600 in a 0700 folder)
 * unless it came whole from the one there, or only a few files differ from it (at most 1/16 of the files
 * and records: the next open reads them again), when it is only marked used; then trims the folder to the
 * cap. Errors leave no index, never a part of one. */
void savedidx_save(struct savedidx *x, const struct store *s);

void savedidx_free(struct savedidx *x);

#endif
