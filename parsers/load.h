/* load: read the user's paths into a store. The one entry point the CLI, the TUI and tests share.
 *
 * Never aborts on bad input: every file not read, every record not loaded, is a problem row in the
 * store with file, position and reason, and the counts always reconcile:
 *   records == events + duplicates + bad_records. */
#ifndef CTVIEW_LOAD_H
#define CTVIEW_LOAD_H

#include <stddef.h>

#include "model/store/store.h"
#include "parsers/s3open.h"

struct load_progress {
    size_t files_done, files_total;
    uint64_t bytes; /* decoded bytes so far */
    int remote;     /* some path is s3://: the objects' figures say how far fetching is */
    uint64_t objects_listed, objects_done, bytes_fetched;
};

/* Called after each file; return nonzero to stop loading early (the store keeps what was loaded). */
typedef int (*load_progress_fn)(void *ctx, const struct load_progress *p);

/* Loads paths[0..n) ("-" is stdin) into s on worker threads, then sorts it (store_finish). Installs the
 * store's reader so original bytes can be fetched later. Returns 0, or -1 when out of memory. */
int load_paths(struct store *s, const char *const *paths, size_t n, load_progress_fn progress, void *ctx);

/* The same, leaving unopened the folders and files whose S3-layout names put them outside
 * [since_ms, until_ms) (counted in counts.pruned). Events inside opened files are all loaded: the
 * caller filters them exactly. */
int load_paths_range(struct store *s, const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms,
                     load_progress_fn progress, void *ctx);

/* The same within scope: its range, the S3 layout's accounts and regions (local folders of others are
 * left unopened, counted in pruned), and how s3:// paths are opened: their objects are decoded as they
 * come in. Returns 0; -1 when out of memory, or when an s3:// path could not be opened at all, with
 * *err (owned) saying why (what was loaded stays in s). */
int load_paths_scope(struct store *s, const char *const *paths, size_t n, const struct s3open_opts *scope,
                     load_progress_fn progress, void *ctx, char **err);

/* A load running on worker threads (one per core; CTVIEW_THREADS=N overrides), for a caller that wants
 * to show the store while it fills. The workers read inputs ahead; loader_merge moves them into the
 * store strictly in input order, so the result is the same as load_paths_range's. paths must outlive
 * the loader. */
struct loader;

/* Starts the walk and the workers. Returns NULL when out of memory. The store given to loader_merge must
 * be new (store_new): an unchanged input tree's store is restored whole from the saved index. */
struct loader *loader_start(const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms);

/* The same within scope (see load_paths_scope; copied, its strings borrowed: they must outlive it). */
struct loader *loader_start_scope(const char *const *paths, size_t n, const struct s3open_opts *scope);

/* Why an s3:// path could not be opened (borrowed, valid until loader_free), once the walk is done;
 * NULL when every path could be. */
const char *loader_error(struct loader *l);

/* Merges the inputs read so far into s (appended unsorted: see store_merge_tail), for at most budget
 * seconds; budget < 0 waits for the workers until everything is in. Returns 1 when every input is in,
 * 0 when more is to come, -1 when out of memory. */
int loader_merge(struct loader *l, struct store *s, double budget);

void loader_progress(struct loader *l, struct load_progress *p);

/* The load is complete and s finished (store_finish, or merged into time order): saves what it built
 * as the saved index (parsers/savedidx.h), when that is on, for the next load of the same inputs. */
void loader_save(struct loader *l, const struct store *s);

/* Stops the workers (after the input each is reading) and frees the loader; what was merged stays. */
void loader_free(struct loader *l);

/* Loads one more file into a store that was already finished (a followed directory grew): the new
 * events are appended, not sorted (see store_merge_tail). Returns 0, or -1 when out of memory. */
int load_more(struct store *s, const char *path);

/* Loads one in-memory input as if it were a file called name (tests, fuzzing). The store copies data. */
int load_buffer(struct store *s, const char *name, const char *data, size_t len);

#endif
