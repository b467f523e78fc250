/* gunzip: the one gzip decoder of the readers, every member of a file in turn (S3 writes one; `cat`
 * joins several; some tools pad the end with zeros).
 *
 * Compressed bytes come from a function (a buffer in memory a gigabyte at a time, or a file read a
 * megabyte at a time); decoded bytes go out a window at a time, so the caller may look at a stop flag
 * and a size limit between windows. Damage ends the output with a warning that says where; what decoded
 * before it is kept. */
#ifndef CTVIEW_GUNZIP_H
#define CTVIEW_GUNZIP_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* Sets *data and *len to the next compressed bytes (borrowed until the next call; at most UINT_MAX;
 * *len 0 at the end). Returns 0, or -1 with *err set (owned by the caller). */
typedef int (*gunzip_input_fn)(void *ctx, const unsigned char **data, size_t *len, char **err);

struct gunzip {
    z_stream z;
    gunzip_input_fn input;
    void *ctx;
    uint64_t size;   /* compressed bytes in all, as the messages name them */
    uint64_t before; /* compressed bytes handed in before the current chunk */
    size_t chunk;    /* the current chunk's length */
    int input_done;  /* the input said it has no more */
    uint64_t decoded;
    size_t members;         /* members ended so far */
    int ended;              /* no more output: the end, or the damage */
    char *warning;          /* owned: why the output ended early, NULL when it did not */
    int64_t warning_offset; /* the decoded offset where */
};

/* Starts decoding the gzip data input gives (size bytes in all). Returns 0, or -1 when zlib could not
 * start (out of memory); gunzip_end follows either way. */
int gunzip_init(struct gunzip *g, uint64_t size, gunzip_input_fn input, void *ctx);

/* Decodes up to cap bytes into buf and sets *got; fewer only once g->ended. Returns 0, or -1 with *err
 * set when the input failed. */
int gunzip_read(struct gunzip *g, char *buf, size_t cap, size_t *got, char **err);

void gunzip_end(struct gunzip *g);

#endif
