#include "tui/yank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/json/jsonfmt.h"
#include "model/present/osc52.h"
#include "tui/app.h"
#include "tui/external.h"
#include "tui/marks.h"

/* The event's original bytes, minified into a new buffer (owned by the caller), or NULL after saying
 * why in the status line. */
static char *minified(struct app *a, size_t ev, size_t *len)
{
    char *err = NULL;
    size_t n;
    const char *raw = store_raw(a->store, &a->store->events[ev], &n, &err);
    if (!raw) {
        app_message(a, "%s", err ? err : "cannot read the event");
        free(err);
        return NULL;
    }
    char *min = malloc(n + 1);
    if (!min) {
        app_message(a, "out of memory");
        return NULL;
    }
    *len = jsonfmt_minify(raw, n, min);
    min[*len] = '\0';
    return min;
}

enum reaction yank_text(struct app *a, const char *text, size_t len, const char *what)
{
    size_t slen;
    char *seq = osc52_encode(text, len, &slen);
    if (!seq) {
        app_message(a, "too large for the clipboard (%zu bytes; at most %d)", len, OSC52_MAX);
        return RE_REDRAW;
    }
    /* straight to the terminal, between two screen updates: curses has flushed what it drew */
    fflush(stdout);
    size_t off = 0;
    while (off < slen) {
        ssize_t w = write(STDOUT_FILENO, seq + off, slen - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    free(seq);
    app_message(a, "copied %s to the clipboard (%zu bytes, OSC 52)", what, len);
    return RE_REDRAW;
}

enum reaction yank_event(struct app *a, size_t ev)
{
    size_t len;
    char *min = minified(a, ev, &len);
    if (!min)
        return RE_REDRAW;
    enum reaction r = yank_text(a, min, len, "the event's JSON");
    free(min);
    return r;
}

struct page_ctx {
    const char *raw;
    size_t len;
};

static int write_pretty(void *ctx, FILE *f)
{
    const struct page_ctx *p = ctx;
    struct json_doc doc;
    if (jsonfmt_pretty(p->raw, p->len, 2, &doc) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < doc.nlines && rc == 0; i++) {
        rc = external_put_safe(f, doc.text + doc.lines[i].off, doc.lines[i].len);
        fputc('\n', f);
    }
    jsonfmt_free(&doc);
    return rc;
}

enum reaction yank_page_event(struct app *a, size_t ev)
{
    char *err = NULL;
    size_t n;
    const char *raw = store_raw(a->store, &a->store->events[ev], &n, &err);
    if (!raw) {
        app_message(a, "%s", err ? err : "cannot read the event");
        free(err);
        return RE_REDRAW;
    }
    /* store_raw's pointer lasts until its next call: nothing else reads the store meanwhile */
    struct page_ctx ctx = {raw, n};
    char msg[300];
    if (external_show("PAGER", "less", "event.json", write_pretty, &ctx, msg, sizeof msg) != 0)
        app_message(a, "%s", msg);
    return RE_REDRAW;
}

struct marked_ctx {
    struct store *s;
    const uint32_t *idx;
    size_t n;
};

/* The marked events as one CloudTrail log file, each event's pretty JSON in the Records array. */
static int write_marked(void *ctx, FILE *f)
{
    const struct marked_ctx *m = ctx;
    fputs("{\"Records\": [\n", f);
    for (size_t i = 0; i < m->n; i++) {
        char *err = NULL;
        size_t len;
        const char *raw = store_raw(m->s, &m->s->events[m->idx[i]], &len, &err);
        free(err);
        if (!raw)
            return -1;
        struct page_ctx p = {raw, len};
        if (write_pretty(&p, f) != 0)
            return -1;
        if (i + 1 < m->n)
            fputs(",\n", f);
    }
    fputs("]}\n", f);
    return ferror(f) ? -1 : 0;
}

enum reaction yank_edit_marked(struct app *a)
{
    if (!a->nmarked) {
        app_message(a, "no event is marked (Space marks; E opens the marked events in $EDITOR)");
        return RE_REDRAW;
    }
    size_t n;
    uint32_t *idx = marks_chosen(a, &n);
    if (!idx) {
        app_message(a, "out of memory");
        return RE_REDRAW;
    }
    struct marked_ctx ctx = {a->store, idx, n};
    char msg[300];
    if (external_show("EDITOR", "vi", "marked-events.json", write_marked, &ctx, msg, sizeof msg) != 0)
        app_message(a, "%s", msg);
    free(idx);
    return RE_REDRAW;
}
