/* libFuzzer: the record splitter alone, checking that every record it reports lies inside the input, and
 * that the same input fed a few bytes at a time (split_feed, as a large input is read) reports exactly the
 * same records and problems at the same offsets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/pieces.h"
#include "parsers/split.h"

struct item {
    int kind;
    size_t off, len, index;
    const char *reason;
};

struct ctx {
    const char *buf;
    size_t len;
    struct pieces_scratch ps;
    struct item *items;
    size_t n, cap;
};

static void add(struct ctx *c, struct item it)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->items = realloc(c->items, c->cap * sizeof *c->items);
        if (!c->items)
            abort();
    }
    c->items[c->n++] = it;
}

static void on_record(void *vctx, size_t off, size_t len, size_t index)
{
    struct ctx *c = vctx;
    if (off > c->len || len > c->len - off || c->buf[off] != '{')
        abort();
    pieces_split(c->buf + off, len, NULL, 0, &c->ps);
    add(c, (struct item){0, off, len, index, NULL});
}

static void on_bad(void *vctx, size_t off, size_t index, const char *reason)
{
    struct ctx *c = vctx;
    if (off > c->len)
        abort();
    add(c, (struct item){1, off, 0, index, reason});
}

static void on_junk(void *vctx, size_t off, const char *reason)
{
    struct ctx *c = vctx;
    if (off > c->len)
        abort();
    add(c, (struct item){2, off, 0, 0, reason});
}

/* Feeds data step bytes at a time through a window that keeps only what split_feed asks for, in a buffer of
 * its own so that a read outside the window is caught. */
static enum split_result feed(const char *data, size_t size, size_t step, const struct split_sink *sink)
{
    struct split_state st;
    split_init(&st);
    size_t base = 0, at = 0, read = 0;
    for (;;) {
        read += size - read < step ? size - read : step;
        size_t len = read - base;
        char *win = malloc(len ? len : 1);
        if (!win)
            abort();
        memcpy(win, data + base, len);
        size_t ret = split_feed(&st, win, len, base, at, read == size, sink);
        free(win);
        if (split_done(&st))
            return st.result;
        if (read == size)
            abort(); /* everything was in hand, and the walk did not end */
        if (ret == at)
            step *= 2; /* no progress: a value longer than the window, which grows as the loader's does */
        size_t keep_from = ret > 0 ? ret - 1 : 0;
        base += keep_from;
        at = ret - keep_from;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ctx whole = {(const char *)data, size, {0}, NULL, 0, 0};
    struct split_sink sink = {&whole, on_record, on_bad, on_junk, NULL, NULL};
    enum split_result r1 = split_records((const char *)data, size, &sink);
    struct ctx parts = {(const char *)data, size, {0}, NULL, 0, 0};
    sink.ctx = &parts;
    enum split_result r2 = feed((const char *)data, size, size ? 1 + data[0] % 16 : 1, &sink);
    if (r1 != r2 || whole.n != parts.n)
        abort();
    for (size_t i = 0; i < whole.n; i++) {
        const struct item *a = &whole.items[i], *b = &parts.items[i];
        if (a->kind != b->kind || a->off != b->off || a->len != b->len || a->index != b->index ||
            a->reason != b->reason)
            abort();
    }
    pieces_scratch_free(&whole.ps);
    pieces_scratch_free(&parts.ps);
    free(whole.items);
    free(parts.items);
    return 0;
}
