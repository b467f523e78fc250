/* bigread: a large input read a window at a time and cut into chunks of whole records, which worker threads
 * parse (batch_read_chunk) while the reading goes on, so that a single large file loads on every core and is
 * never held whole in memory.
 *
 * The records, problems and offsets are exactly those of the whole input read at once (split_feed). */
#ifndef CTVIEW_BIGREAD_H
#define CTVIEW_BIGREAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers/split.h"
#include "parsers/stream.h"

enum chunk_item_kind { CHUNK_RECORD, CHUNK_BAD_RECORD, CHUNK_JUNK };

struct chunk_item {
    enum chunk_item_kind kind;
    size_t off;         /* in the decoded input */
    size_t len, pos;    /* CHUNK_RECORD: its length, and where its bytes are in the chunk's data */
    size_t index;       /* records before it in the input */
    const char *reason; /* static text: CHUNK_BAD_RECORD, CHUNK_JUNK */
};

struct chunk {
    char *data; /* owned: the bytes of the chunk's records, back to back */
    size_t len, cap;
    struct chunk_item *items; /* owned, in input order */
    size_t n, items_cap;
    uint64_t span; /* decoded bytes of the input this chunk accounts for (progress and counts) */
};

void chunk_free(struct chunk *c); /* frees c too */

/* Takes c (owned from then on, whatever it returns). Returns 0, or -1 to stop the reading (quitting). */
typedef int (*bigread_publish_fn)(void *ctx, struct chunk *c);

struct bigread_end {
    enum split_result result;
    uint64_t decoded; /* bytes of the decoded input */
    uint64_t tail;    /* of them, after the last chunk's span */
    char
        *warning; /* owned: why the input ended early (gzip damage, the size limit, a failed read), or NULL */
    int64_t warning_offset;
    int nomem;
};

/* Reads st to its end, handing the chunks to publish in order. stop: once set, ends within one read step. */
void bigread_run(struct stream *st, atomic_int *stop, bigread_publish_fn publish, void *ctx,
                 struct bigread_end *end);

#endif
