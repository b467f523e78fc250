#include "parsers/bigread.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"

/* Record bytes a chunk gathers before it is handed over: large enough that handing over costs nothing,
 * small enough that the chunks in flight (a few per worker) stay a few MiB. */
#define CHUNK_BYTES ((size_t)1 << 20)
/* The first window; it grows only for a record longer than itself. */
#define WINDOW_BYTES ((size_t)4 << 20)

struct cutter {
    const char *win; /* the window being walked and the input offset of its first byte */
    uint64_t base;
    struct chunk *c;   /* being filled, NULL between chunks */
    uint64_t span_end; /* input offset where the last chunk handed over ended */
    bigread_publish_fn publish;
    void *ctx;
    int stopped; /* publish said stop */
    int nomem;
};

void chunk_free(struct chunk *c)
{
    if (!c)
        return;
    free(c->data);
    free(c->items);
    free(c);
}

static struct chunk_item *add_item(struct cutter *k, enum chunk_item_kind kind, size_t off, size_t index,
                                   const char *reason)
{
    if (k->stopped || k->nomem)
        return NULL;
    if (!k->c && !(k->c = calloc(1, sizeof *k->c))) {
        k->nomem = 1;
        return NULL;
    }
    struct chunk *c = k->c;
    if (grow_array((void **)&c->items, &c->items_cap, c->n + 1, sizeof *c->items) != 0) {
        k->nomem = 1;
        return NULL;
    }
    struct chunk_item *it = &c->items[c->n++];
    *it = (struct chunk_item){kind, off, 0, 0, index, reason};
    return it;
}

/* Hands the chunk over once it is full, or at the end (end_at: the input offset its span runs to). */
static void hand_over(struct cutter *k, uint64_t end_at, int full_only)
{
    struct chunk *c = k->c;
    if (!c || (full_only && c->len < CHUNK_BYTES) || k->stopped)
        return;
    c->span = end_at - k->span_end;
    k->span_end = end_at;
    k->c = NULL;
    if (k->publish(k->ctx, c) != 0)
        k->stopped = 1;
}

static void on_record(void *ctx, size_t off, size_t len, size_t index)
{
    struct cutter *k = ctx;
    struct chunk_item *it = add_item(k, CHUNK_RECORD, off, index, NULL);
    if (!it)
        return;
    struct chunk *c = k->c;
    if (grow_array((void **)&c->data, &c->cap, c->len + len, 1) != 0) {
        k->nomem = 1;
        return;
    }
    memcpy(c->data + c->len, k->win + (off - k->base), len);
    it->len = len;
    it->pos = c->len;
    c->len += len;
    hand_over(k, off + len, 1);
}

static void on_bad(void *ctx, size_t off, size_t index, const char *reason)
{
    add_item(ctx, CHUNK_BAD_RECORD, off, index, reason);
}

static void on_junk(void *ctx, size_t off, const char *reason)
{
    add_item(ctx, CHUNK_JUNK, off, 0, reason);
}

void bigread_run(struct stream *st, atomic_int *stop, bigread_publish_fn publish, void *ctx,
                 struct bigread_end *end)
{
    memset(end, 0, sizeof *end);
    struct cutter k = {.publish = publish, .ctx = ctx};
    struct split_sink sink = {&k, on_record, on_bad, on_junk, stop, NULL};
    struct split_state sp;
    split_init(&sp);
    size_t cap = WINDOW_BYTES, have = 0, at = 0;
    char *win = malloc(cap);
    int eof = 0;
    if (!win)
        k.nomem = 1;
    while (!k.nomem && !k.stopped) {
        if (!eof) {
            size_t got;
            char *err = NULL;
            if (stream_read(st, win + have, cap - have, &got, stop, &err) != 0) {
                /* a read that failed half way: what was read loads, as after gzip damage */
                end->warning = err;
                end->warning_offset = (int64_t)(k.base + have);
                got = 0;
            }
            have += got;
            eof = got == 0;
        }
        k.win = win;
        size_t ret = split_feed(&sp, win, have, k.base, at, eof, &sink);
        if (split_done(&sp) || eof)
            break;
        size_t keep_from = ret > 0 ? ret - 1 : 0; /* split_feed looks at the byte before ret */
        if (keep_from == 0 && have == cap) {
            /* a record longer than the window */
            if (grow_array((void **)&win, &cap, cap + 1, 1) != 0) {
                k.nomem = 1;
                break;
            }
            continue;
        }
        memmove(win, win + keep_from, have - keep_from);
        have -= keep_from;
        k.base += keep_from;
        at = ret - keep_from;
    }
    end->decoded = k.base + have;
    hand_over(&k, end->decoded, 0);
    chunk_free(k.c);
    end->tail = end->decoded - k.span_end;
    end->result = sp.result;
    end->nomem = k.nomem;
    if (!end->warning) {
        const char *w = stream_warning(st, &end->warning_offset);
        end->warning = w ? strdup(w) : NULL;
    }
    free(win);
}
