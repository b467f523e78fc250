/* The detail pane: the selected event's original JSON, laid out, coloured, foldable and scrollable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/timefmt.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/view.h"

static const enum role class_roles[] = {
    [JC_PUNCT] = R_J_PUNCT,   [JC_KEY] = R_J_KEY,         [JC_STRING] = R_J_STRING,
    [JC_NUMBER] = R_J_NUMBER, [JC_LITERAL] = R_J_LITERAL, [JC_OTHER] = R_ERROR,
};

void detail_free(struct app *a)
{
    jsonfmt_free(&a->detail.doc);
    free(a->detail.error);
    free(a->detail.folded);
    free(a->detail.visible);
    a->detail.error = NULL;
    a->detail.folded = NULL;
    a->detail.visible = NULL;
    a->detail.nvisible = 0;
    a->detail.event = SIZE_MAX;
}

/* Recomputes which doc lines show, given the folds. */
static void refold(struct app *a)
{
    const struct json_doc *d = &a->detail.doc;
    a->detail.nvisible = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        a->detail.visible[a->detail.nvisible++] = i;
        if (a->detail.folded[i] && d->lines[i].close > (int32_t)i)
            i = (size_t)d->lines[i].close;
    }
}

/* Rebuilds the document for the selected event when the selection changed. */
static void detail_sync(struct app *a)
{
    struct store *s = a->store;
    if (!app_count(a) || a->detail.event == app_event(a, a->list.cur))
        return;
    detail_free(a);
    a->detail.event = app_event(a, a->list.cur);
    a->detail.s = (struct scroll){0, 0};
    a->detail.hscroll = 0;
    size_t len;
    char *err = NULL;
    const char *raw = store_raw(s, &s->events[a->detail.event], &len, &err);
    if (!raw) {
        a->detail.error = err ? err : strdup("cannot read the event");
        return;
    }
    if (jsonfmt_pretty(raw, len, 2, &a->detail.doc) != 0) {
        a->detail.error = strdup("out of memory");
        return;
    }
    size_t n = a->detail.doc.nlines;
    a->detail.folded = calloc(n ? n : 1, 1);
    a->detail.visible = malloc((n ? n : 1) * sizeof *a->detail.visible);
    if (!a->detail.folded || !a->detail.visible) {
        size_t ev = a->detail.event;
        detail_free(a);
        a->detail.event = ev;
        a->detail.error = strdup("out of memory");
        return;
    }
    refold(a);
}

static void draw_line(struct app *a, int y, struct rect r, size_t line, int cursor)
{
    const struct json_doc *d = &a->detail.doc;
    const struct json_line *l = &d->lines[line];
    attr_t sel = cursor ? A_REVERSE : 0;
    draw_fill(a->win, y, r.x, r.w, theme_attr(R_NORMAL) | sel);
    /* draw runs of one class at a time, keeping track of the columns already used */
    int col = 0, skip = a->detail.hscroll;
    size_t i = 0;
    while (i < l->len && col < r.w) {
        unsigned char c = d->cls[l->off + i];
        size_t j = i;
        while (j < l->len && d->cls[l->off + j] == c)
            j++;
        const char *text = d->text + l->off + i;
        int w = draw_width(text, j - i);
        if (skip >= w) {
            skip -= w;
        } else {
            col += draw_text(a->win, y, r.x + col, r.w - col, text, j - i, theme_attr(class_roles[c]) | sel,
                             skip, 0);
            skip = 0;
        }
        i = j;
    }
    if (a->detail.folded[line] && l->close > (int32_t)line && col < r.w) {
        char note[48];
        snprintf(note, sizeof note, " … %d lines", l->close - (int32_t)line);
        draw_text(a->win, y, r.x + col, r.w - col, note, strlen(note), theme_attr(R_TITLE) | sel, 0, 0);
    }
}

static void detail_draw(struct app *a, struct rect r, int focused)
{
    struct store *s = a->store;
    detail_sync(a);
    attr_t title = theme_attr(focused ? R_HEADER : R_TITLE);
    draw_fill(a->win, r.y, r.x, r.w, title);
    if (!app_count(a)) {
        draw_str(a->win, r.y, r.x, r.w, " no event", title);
        return;
    }
    const struct event *e = &s->events[a->detail.event];
    const struct source *src = &s->sources[e->source];
    char head[512];
    snprintf(head, sizeof head, " Event %zu/%zu  byte %llu of %s", a->list.cur + 1, app_count(a),
             (unsigned long long)e->raw_off, src->path);
    draw_text(a->win, r.y, r.x, r.w, head, strlen(head), title, 0, 1);
    if (a->detail.error) {
        draw_str(a->win, r.y + 1, r.x, r.w, a->detail.error, theme_attr(R_ERROR));
        return;
    }
    int page = r.h - 1;
    scroll_clamp(&a->detail.s, a->detail.nvisible, page);
    for (int row = 0; row < page; row++) {
        size_t v = a->detail.s.top + (size_t)row;
        if (v >= a->detail.nvisible)
            break;
        draw_line(a, r.y + 1 + row, r, a->detail.visible[v], focused && v == a->detail.s.cur);
    }
}

static enum reaction detail_key(struct app *a, enum action act, int page)
{
    if (a->detail.error || !a->detail.nvisible)
        return RE_UNHANDLED;
    switch (act) {
    case ACT_ENTER: {
        size_t line = a->detail.visible[a->detail.s.cur];
        if (a->detail.doc.lines[line].close <= (int32_t)line)
            return RE_NONE;
        a->detail.folded[line] = !a->detail.folded[line];
        refold(a);
        return RE_REDRAW;
    }
    case ACT_FILTER_IN:
    case ACT_FILTER_OUT: {
        size_t line = a->detail.visible[a->detail.s.cur];
        const char *v;
        size_t vlen;
        enum json_class cls;
        if (jsonfmt_line_value(&a->detail.doc, line, &v, &vlen, &cls) != 0) {
            app_message(a, "no value on this line");
            return RE_REDRAW;
        }
        char path[256], term[600];
        jsonfmt_line_path(&a->detail.doc, line, path, sizeof path);
        filter_term_for(path, v, vlen, cls == JC_STRING, act == ACT_FILTER_OUT, term, sizeof term);
        return filter_add_term(a, term);
    }
    case ACT_LEFT:
        a->detail.hscroll = a->detail.hscroll > 8 ? a->detail.hscroll - 8 : 0;
        return RE_REDRAW;
    case ACT_RIGHT:
        a->detail.hscroll += 8;
        return RE_REDRAW;
    default:
        return scroll_move(&a->detail.s, a->detail.nvisible, page, act);
    }
}

const struct pane_ops pane_detail_ops = {"detail", detail_draw, detail_key};
