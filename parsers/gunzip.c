/* gunzip: multi-member gzip decoding. See gunzip.h. */
#include "parsers/gunzip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/errmsg.h"

/* Ends the output at what decoded so far; the caller says why in g->warning. */
static char **end_here(struct gunzip *g)
{
    g->ended = 1;
    g->warning_offset = (int64_t)g->decoded;
    return &g->warning;
}

int gunzip_init(struct gunzip *g, uint64_t size, gunzip_input_fn input, void *ctx)
{
    memset(g, 0, sizeof *g);
    g->input = input;
    g->ctx = ctx;
    g->size = size;
    if (inflateInit2(&g->z, 15 + 16) != Z_OK) {
        g->input = NULL; /* nothing to end */
        return -1;
    }
    return 0;
}

/* Compressed bytes read so far (those before next_in). */
static uint64_t position(const struct gunzip *g)
{
    return g->before + (g->chunk - g->z.avail_in);
}

/* More compressed input, when z has used what it had. 0, or -1 when the input failed. */
static int refill(struct gunzip *g, char **err)
{
    if (g->z.avail_in > 0 || g->input_done)
        return 0;
    g->before += g->chunk;
    g->chunk = 0;
    const unsigned char *data;
    size_t len;
    if (g->input(g->ctx, &data, &len, err) != 0)
        return -1;
    g->input_done = len == 0;
    g->z.next_in = (Bytef *)data;
    g->z.avail_in = (uInt)len;
    g->chunk = len;
    return 0;
}

/* What follows a member: another member, zeros, or garbage (said once). Returns 1 to go on, 0 at the
 * end, -1 when the input failed. */
static int next_member(struct gunzip *g, char **err)
{
    g->members++;
    uint64_t rest = g->size - position(g);
    int zeros = 0;
    for (;;) {
        if (refill(g, err) != 0)
            return -1;
        if (g->z.avail_in == 0)
            return 0;
        if (!zeros && g->z.next_in[0] == 0x1f && (g->z.avail_in < 2 || g->z.next_in[1] == 0x8b)) {
            inflateReset(&g->z);
            return 1;
        }
        zeros = 1;
        while (g->z.avail_in > 0 && g->z.next_in[0] == 0) {
            g->z.next_in++;
            g->z.avail_in--;
        }
        if (g->z.avail_in > 0) {
            /* Padding of zeros is common after the last member; anything else is worth a word. */
            errmsg_set(end_here(g), "%llu bytes of trailing garbage after gzip member %zu ignored",
                       (unsigned long long)rest, g->members);
            return 0;
        }
    }
}

int gunzip_read(struct gunzip *g, char *buf, size_t cap, size_t *got, char **err)
{
    *got = 0;
    if (cap > UINT_MAX)
        cap = UINT_MAX;
    g->z.next_out = (Bytef *)buf;
    g->z.avail_out = (uInt)cap;
    while (g->z.avail_out > 0 && !g->ended) {
        if (refill(g, err) != 0)
            return -1;
        int rc = inflate(&g->z, Z_NO_FLUSH);
        g->decoded += cap - g->z.avail_out - *got;
        *got = cap - g->z.avail_out;
        if (rc == Z_STREAM_END) {
            int more = next_member(g, err);
            if (more < 0)
                return -1;
            if (!more)
                g->ended = 1;
            continue;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && g->z.avail_in == 0 && g->input_done) {
            errmsg_set(end_here(g), "gzip stream truncated (compressed file ends at byte %llu)",
                       (unsigned long long)g->size);
            break;
        }
        if (rc == Z_BUF_ERROR && g->z.avail_in == 0)
            continue;
        errmsg_set(end_here(g), "corrupt gzip data at compressed byte %llu: %s",
                   (unsigned long long)position(g), g->z.msg ? g->z.msg : "inflate failed");
    }
    return 0;
}

void gunzip_end(struct gunzip *g)
{
    if (g->input)
        inflateEnd(&g->z);
    free(g->warning);
    memset(g, 0, sizeof *g);
}
