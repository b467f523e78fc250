/* libFuzzer: the record splitter alone, checking that every record it reports lies inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "parsers/pieces.h"
#include "parsers/split.h"

struct ctx {
    const char *buf;
    size_t len;
    struct pieces_scratch ps;
};

static void on_record(void *vctx, size_t off, size_t len, size_t index)
{
    struct ctx *c = vctx;
    (void)index;
    if (off > c->len || len > c->len - off || c->buf[off] != '{')
        abort();
    pieces_split(c->buf + off, len, NULL, 0, &c->ps);
}

static void on_bad(void *vctx, size_t off, size_t index, const char *reason)
{
    struct ctx *c = vctx;
    (void)index;
    (void)reason;
    if (off > c->len)
        abort();
}

static void on_junk(void *vctx, size_t off, const char *reason)
{
    on_bad(vctx, off, 0, reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ctx c = {(const char *)data, size, {0}};
    struct split_sink sink = {&c, on_record, on_bad, on_junk, NULL};
    split_records((const char *)data, size, &sink);
    pieces_scratch_free(&c.ps);
    return 0;
}
