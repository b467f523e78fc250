/* s3: requests to S3 (or an S3-compatible store) many at a time over one libcurl multi handle: signed
 * ListObjectsV2 pages and object downloads, retried with exponential backoff and jitter on 500, 503
 * (SlowDown), connection resets, short bodies and time-outs; a bucket in another region followed from
 * S3's answer. One thread drives it (s3_run); what each request yields goes to its callback. */
#ifndef CTVIEW_S3_H
#define CTVIEW_S3_H

#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>

#include "parsers/awscreds.h"
#include "parsers/s3xml.h"

struct s3;

struct s3_stats {
    uint64_t requests, retries, list_requests, objects_listed, objects_fetched, bytes_fetched;
};

/* What a finished request says. status: the HTTP status (0 when none came); code: S3's error <Code>,
 * or curl's reason, when it failed (borrowed until the callback returns). */
struct s3_result {
    long status;
    const char *code;
};

/* A listing page arrived (page NULL on failure: r says why). */
typedef void (*s3_list_fn)(struct s3 *s, void *ctx, const char *prefix, const struct s3_page *page,
                           const struct s3_result *r);
/* An object arrived in the file given to s3_get (ok 1), or failed (ok 0, r says why; the file is then
 * incomplete and the caller removes it). */
typedef void (*s3_get_fn)(struct s3 *s, void *ctx, const char *key, int ok, const struct s3_result *r);

/* A client for bucket with the credentials found by awscreds_find (taken over). Returns NULL with *err
 * (owned) when libcurl cannot start. parallel: requests in flight at once. */
struct s3 *s3_new(const char *bucket, struct awscreds *creds, int parallel, char **err);
void s3_free(struct s3 *s);

/* Queues one ListObjectsV2 listing of prefix (every page: the callback runs once a page); delimiter
 * "/" or NULL. */
int s3_list(struct s3 *s, const char *prefix, const char *delimiter, s3_list_fn fn, void *ctx);

/* Queues a download of key into the file at path (created, or emptied, mode 0600, when the transfer
 * starts: queued downloads hold no descriptor). etag, when it is a single-part ETag (32 hex digits), is
 * checked against the MD5 of the bytes; size, when not 0, against their length. */
int s3_get(struct s3 *s, const char *key, const char *etag, uint64_t size, const char *path, s3_get_fn fn,
           void *ctx);

/* Runs until every queued request (and those the callbacks queue) finished. Returns 0, or -1 when out
 * of memory. */
int s3_run(struct s3 *s);

/* Makes s3_run start nothing more once *stop is nonzero (borrowed; NULL: never): the requests in
 * flight finish (their callbacks run), those queued are dropped by s3_free. */
void s3_set_stop(struct s3 *s, const atomic_int *stop);

const struct s3_stats *s3_stats(const struct s3 *s);
const char *s3_bucket(const struct s3 *s);

#endif
