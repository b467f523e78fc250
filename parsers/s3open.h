/* s3open: s3://BUCKET[/PREFIX] arguments turned into local files the loader reads like any other, each
 * handed on as it comes in (the loader decodes it while the rest are fetched).
 *
 * The CloudTrail delivery layout AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ is pruned before
 * it is listed: the organization folder, accounts and regions are discovered with delimiter listings
 * (only the accounts of --account and the regions of --region are entered), a --since/--until range
 * of at most S3OPEN_MAX_DAYS days becomes one listing per day (and the day after it: a file may be
 * written up to a day after its events), digest folders are never listed.
 * Objects are downloaded many at a time into the cache, $XDG_CACHE_HOME/ctview/s3/BUCKET/KEY (folders
 * mode 0700, files 0600), beside an index of each object's ETag and size: an object whose ETag has not
 * changed is not fetched again. The cache is capped (least recently used files go first); with
 * no_cache the objects go to a private folder removed at exit. A cached file keeps the object's exact
 * bytes and its key's folders, so the loader's time pruning, the detail and the exports read it as
 * they read a local file. With no_cache the index is kept in this process's memory instead, so that a
 * second open in the same process (--follow's polls) fetches only what changed, as with the cache. */
#ifndef CTVIEW_S3OPEN_H
#define CTVIEW_S3OPEN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/problems.h"

#define S3OPEN_MAX_DAYS      400
#define S3OPEN_DEFAULT_CACHE (10ull << 30)

struct s3open_opts {
    int64_t since_ms, until_ms; /* INT64_MIN / INT64_MAX: unbounded */
    const char *accounts;       /* comma-separated, or NULL: all */
    const char *regions;        /* comma-separated, or NULL: all */
    int no_cache;
    uint64_t cache_cap; /* bytes; 0: S3OPEN_DEFAULT_CACHE */
    int parallel;       /* requests in flight; 0: 32 */
};

struct s3open_totals {
    uint64_t objects_listed, objects_fetched, bytes_fetched, cache_hits, requests, list_requests, retries;
    uint64_t objects_failed; /* log objects not fetched (each a problem) */
    int used;                /* an s3:// path was opened */
};

/* Whether path names S3 (starts with "s3://"). */
int s3open_is_s3(const char *path);

/* How far an open is, for a progress line; updated as objects are listed and come in. */
struct s3open_live {
    atomic_uint_fast64_t listed; /* log objects listed (digests are not) */
    atomic_uint_fast64_t done;   /* of those, in the cache or failed */
    atomic_uint_fast64_t bytes;  /* bytes fetched */
};

/* Takes each object's local file (path owned by the callee, size its bytes, etag its ETag as listed,
 * borrowed; replaced: the cache, or
 * this process, held the object under another ETag: its key was rewritten since, and what was read of
 * the file before is not its content any more); nonzero when out of memory. */
typedef int (*s3open_file_fn)(void *ctx, char *path, uint64_t size, const char *etag, int replaced);

/* Opens one s3:// URL: lists it with the layout pruned, fetches what the cache lacks, and hands each
 * object's local file to sink as soon as it and every object before it are in: listings in the order
 * of their prefixes, each in key order, so the same bucket is handed on in the same order every time.
 * stop (or NULL): once set, nothing more is asked of S3. live (or NULL): how far it is. An object that
 * could not be fetched is a row in problems (its s3:// URL and S3's error code). Returns 0; -1 when
 * the URL could not be opened at all (no credentials, no bucket, a listing refused, no network), with
 * *err (owned) saying which and why. */
int s3open_stream(const char *url, const struct s3open_opts *o, const atomic_int *stop,
                  struct s3open_live *live, s3open_file_fn sink, void *ctx, struct problems *problems,
                  char **err);

/* Replaces each s3:// entry of paths[0..n) by the local files of its objects (in key order), keeping
 * local paths where they are. *out (owned, each string owned; free with s3open_paths_free) and *nout
 * get the result; *replaced (owned, one flag per path; NULL: not wanted) says which objects were
 * rewritten under the same key (see s3open_file_fn). An object that could not be fetched is a row in problems
 * (the object's s3:// URL and S3's error code). Returns 0; -1 when an s3:// path could not be opened at all
 * (no credentials, no bucket, a listing refused, no network), with *err (owned) saying which and why. */
int s3open_expand(const char *const *paths, size_t n, const struct s3open_opts *o, const atomic_int *stop,
                  char ***out, size_t *nout, unsigned char **replaced, struct problems *problems, char **err);
void s3open_paths_free(char **paths, size_t n);

/* What this process's s3:// opens did so far. */
const struct s3open_totals *s3open_totals(void);

#endif
