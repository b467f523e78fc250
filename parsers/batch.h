/* batch: everything one input yields, read without touching the store, so inputs can be read on worker
 * threads and then merged into the store one at a time, in input order (the same input gives the same
 * list, whatever the threads did).
 *
 * batch_read() does the expensive part: read, gunzip, split, scan each record, cut its pieces, hash
 * every string. batch_merge() does what must be serial: add the source, intern the strings (with the
 * hashes already made), dedupe, and append the problems and counts. */
#ifndef CTVIEW_BATCH_H
#define CTVIEW_BATCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/problems.h"
#include "model/store/store.h"
#include "parsers/walk.h"

struct batch_event {
    int64_t time_ms;
    uint64_t raw_off;
    uint64_t content_hash; /* see store_content_hash; 0 when the event needs none */
    uint32_t raw_len;
    uint32_t first; /* its first string: EF__COUNT fields, then nres resources, then npieces pieces */
    uint16_t flags;
    uint8_t nres, npieces;
    struct event_binary binary; /* store_binary_take's: UUIDs parsed here rather than in the merge */
};

struct batch_str {
    size_t off; /* in bytes */
    uint32_t len;
    uint32_t hash; /* intern_hash */
};

/* What decides an input's verdict once all of it is read (see batch_big_end). */
struct batch_tally {
    uint64_t records;
    uint64_t digests;    /* digest records */
    uint64_t not_events; /* objects that hold no CloudTrail event */
    size_t first_not_event;
};

struct batch {
    char *path;      /* owned: the name the store will show ("-" for stdin) */
    int has_source;  /* the input was read: the store gets a source for it */
    int in_memory;   /* the store keeps the decoded bytes (stdin, load_buffer) */
    int ranged;      /* a large input: the store re-reads each event's bytes alone (SOURCE_RANGE) */
    int same_source; /* a later part of a large input: its events belong to the source added last */
    struct batch_tally tally;
    int gzip;
    int64_t size, mtime;
    char account[13]; /* trail account from the path, "" if none */
    char *data;       /* in_memory: the decoded bytes, handed to the store */
    size_t data_len;
    struct batch_event *events;
    size_t nevents, events_cap;
    struct batch_str *strs;
    size_t nstrs, strs_cap;
    char *bytes; /* the strings' text */
    size_t nbytes, bytes_cap;
    struct problems problems;  /* in the order they happened */
    struct load_counts counts; /* files, skipped_files, records, bad_records, skipped_records, bytes */
    int nomem;
};

/* Reads one walked input into b (zeroed first). Thread-safe: touches nothing shared. Problems with the
 * input are in b->problems; returns -1 only when out of memory. stop (may be NULL): once another thread
 * sets it, the read ends early and b is left partial, for batch_free only. */
int batch_read(struct batch *b, const struct walk_file *f, atomic_int *stop);

/* The same for bytes already in memory, named name (load_buffer). */
int batch_read_buffer(struct batch *b, const char *name, const char *data, size_t len);

/* A large input, read in parts (parsers/bigread.h) on several threads and merged in order: the head
 * (the source, no events), then each chunk's records, then the end (the damage and the verdict, from
 * the tallies of all the chunks summed with batch_tally_add). Each fills b like batch_read. */
struct stream;
struct chunk;
struct bigread_end;
int batch_big_head(struct batch *b, const struct walk_file *f, const struct stream *st);
int batch_read_chunk(struct batch *b, const char *path, const struct chunk *c);
int batch_big_end(struct batch *b, const char *path, const struct bigread_end *end,
                  const struct batch_tally *t);
void batch_tally_add(struct batch_tally *sum, const struct batch_tally *t);

/* Moves b into s: source, events, problems, counts. Frees what b holds. Returns 0 or -1 (out of memory). */
int batch_merge(struct store *s, struct batch *b);

void batch_free(struct batch *b);

#endif
