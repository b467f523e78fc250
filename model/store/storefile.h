/* storefile: a loaded store as bytes and back, for the saved index (what a load built, kept so the next
 * open of the same logs reads it instead of parsing them).
 *
 * The bytes hold the strings, the events in their sorted order, the id list, the dedupe set and the
 * duplicates dropped, the sources, the problems and counts, and one row per input file: who it was
 * (device, inode, size, modification time; or an S3 object's ETag and size), which source and problem rows it
 * gave and what it added to the counts, so a tree where some files changed can take the others' events from
 * here. Nothing here opens a file: the caller writes what storefile_write hands it and reads the bytes back.
 *
 * Never trusted: a fixed head (magic, version, the record's size, body length, CRC-32 of the body
 * (libdeflate's, the same as zlib's)), then the key the caller saved it under (another tree's file is
 * refused), and every count, offset, length and id bounds-checked before use. A file that fails any check is
 * refused with a reason, never crashes. */
#ifndef CTVIEW_STOREFILE_H
#define CTVIEW_STOREFILE_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"

#define STOREFILE_VERSION 3
#define STOREFILE_HEAD    32

enum storefile_file_flag {
    STOREFILE_STALE = 1,   /* changed between its read and the save: never taken from here */
    STOREFILE_FRAGILE = 2, /* some of its events dedupe by content, which the index does not keep */
};

/* One input file of the load, in load order. */
struct storefile_file {
    char *path; /* owned */
    char *etag; /* owned: an S3 object's ETag (the path is its file in the S3 cache), "" for a local file;
                   a row with an ETag is matched by it and its size, not by the other fields (all 0) */
    uint64_t dev, ino;
    int64_t size, mtime_ns;
    int64_t ctime_ns; /* status change time: set by any write, and unlike mtime not settable (touch -r) */
    uint32_t source;  /* its source in the store, UINT32_MAX when it gave none (skipped, unreadable) */
    uint32_t flags;   /* enum storefile_file_flag */
    uint64_t prob_first, prob_count; /* its rows in the store's problems */
    struct load_counts counts;       /* what it added (events and duplicates aside: the dedupe decides) */
};

struct storefile {
    struct store *store; /* owned; its events may be left packed (storefile_event, storefile_unpack) */
    size_t nevents;      /* the events saved, packed or not */
    const unsigned char *packed; /* NULL, or the events as saved, in the mapping store->strings holds */
    uint32_t nstrings;
    struct storefile_file *files; /* owned */
    size_t nfiles;
    /* what the walk of the inputs gave before the first file: its problem rows (the store's first),
     * entries skipped and pruned */
    uint64_t walk_problems, walk_skipped, walk_pruned;
};

/* Writes s and x's rows (x->store is not read: s is) as the body, key first, through put (returning
 * nonzero stops the write and is returned), and fills head, which the caller writes before the body.
 * Returns 0, the first nonzero put, or -1 when out of memory. s must hold no source kept in memory. */
typedef int (*storefile_put_fn)(void *ctx, const void *p, size_t n);
int storefile_write(const struct store *s, const struct storefile *x, const char *key, storefile_put_fn put,
                    void *ctx, unsigned char head[STOREFILE_HEAD]);

/* Reads bytes[0..len) (head and body) saved under key into a new *out (free with storefile_free).
 * mapped: bytes are a private read-only mapping of a whole file (mmap), which the read takes over: the
 * strings stay in it (the store's string table unmaps it when freed), the pages of the rest are dropped
 * once copied out (madvise), and it is unmapped at once when refused; 0 for any other memory (copied).
 * Returns 0, or -1 with *err set (owned by the caller; NULL when out of memory) saying why it is refused: not
 * an index, another version, damaged, truncated, another key. */
int storefile_read(const char *bytes, size_t len, const char *key, int mapped, struct storefile **out,
                   char **err);

/* Event i of x (checked again: its source, ids and strings in bounds) into *e. 0, or -1. A packed event
 * is read from the mapping the store's strings hold: valid while they live, wherever they are moved. */
int storefile_event(const struct storefile *x, size_t i, struct event *e);

/* Makes x->store's event array from the packed events (a reopen restoring the whole store). 0, or -1. */
int storefile_unpack(struct storefile *x);

/* Drops the pages of the packed events from memory (the file's, read again if touched) and forgets them:
 * once they are not needed, while the strings holding the mapping live. */
void storefile_drop_packed(struct storefile *x);

/* Frees x, its store and rows (and the mapping, when its own strings still hold it). NULL is a no-op. */
void storefile_free(struct storefile *x);

#endif
