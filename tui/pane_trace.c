/* The trace pane: the selected event's identity chain as an indented tree, from the origin principal
 * through every STS call to the event, then the other events of its session. It follows the selection;
 * Enter on a line with an event selects that event in the list; T filters the list to the chain. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/view.h"

enum line_kind { L_HEAD, L_ORIGIN, L_CALL, L_NOTE, L_MISSING, L_SELECTED, L_SESSION };

struct trace_line {
    enum line_kind kind;
    int depth;
    size_t event; /* TRACE_NONE for lines that name no loaded event */
    char text[512];
};

/* At most this many session events are listed (the count is always given). */
#define SESSION_LINES 500

static int add(struct app *a, size_t *cap, enum line_kind kind, int depth, size_t event, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int add(struct app *a, size_t *cap, enum line_kind kind, int depth, size_t event, const char *fmt, ...)
{
    if (a->trace.nlines == *cap) {
        size_t n = *cap ? *cap * 2 : 32;
        struct trace_line *l = realloc(a->trace.lines, n * sizeof *l);
        if (!l)
            return -1;
        a->trace.lines = l;
        *cap = n;
    }
    struct trace_line *l = &a->trace.lines[a->trace.nlines++];
    l->kind = kind;
    l->depth = depth;
    l->event = event;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    return 0;
}

void trace_state_free(struct app *a)
{
    trace_free(&a->trace.t);
    free(a->trace.lines);
    a->trace.lines = NULL;
    a->trace.nlines = 0;
    a->trace.event = SIZE_MAX;
    trace_index_free(a->trace.index);
    a->trace.index = NULL;
}

static const char *str(struct app *a, uint32_t id)
{
    return intern_str(a->store->strings, id);
}

/* Lays the trace out as lines. */
static void build_lines(struct app *a)
{
    struct store *s = a->store;
    const struct trace *t = &a->trace.t;
    size_t cap = 0;
    char ev[256];
    a->trace.nlines = 0;
    add(a, &cap, L_HEAD, 0, TRACE_NONE, "%zu hop%s from the origin; %zu event%s in this session", t->nhops,
        t->nhops == 1 ? "" : "s", t->nsession, t->nsession == 1 ? "" : "s");
    if (t->origin_type)
        add(a, &cap, L_ORIGIN, 0, t->origin_event, "origin: %s %s (account %s)", str(a, t->origin_type),
            str(a, t->origin_arn), str(a, t->origin_account));
    else
        add(a, &cap, L_MISSING, 0, TRACE_NONE, "origin: unknown principal, its records are not loaded (%s)",
            str(a, t->origin_arn));
    for (size_t k = 0; k < t->nhops; k++) {
        const struct trace_hop *h = &t->hops[k];
        int d = (int)k + 1;
        if (h->issuer != TRACE_NONE)
            add(a, &cap, L_CALL, d, h->issuer, "%s", trace_event_text(s, h->issuer, ev, sizeof ev));
        else
            add(a, &cap, L_MISSING, d, TRACE_NONE,
                "the call that issued this session is not in the loaded logs");
        const struct event *is = h->issuer != TRACE_NONE ? &s->events[h->issuer] : NULL;
        add(a, &cap, L_NOTE, d + 1, TRACE_NONE, "role %s  session %s  key %s%s%s%s%s%s%s",
            str(a, h->role_arn), str(a, h->session_arn), h->access_key ? str(a, h->access_key) : "-",
            h->source_identity ? "  source identity " : "", str(a, h->source_identity),
            is && (is->flags & EVF_MFA) ? "  caller used MFA" : "",
            is && is->f[EF_UI_INVOKED_BY] ? "  invoked by " : "", is ? str(a, is->f[EF_UI_INVOKED_BY]) : "",
            h->inferred ? "  (inferred: session ARN + creation time)" : "");
        if (h->crosses && h->twin != TRACE_NONE)
            add(a, &cap, L_CALL, d + 1, h->twin, "twin in account %s: %s",
                str(a, trace_event_account(s, h->twin)), trace_event_text(s, h->twin, ev, sizeof ev));
        else if (h->crosses)
            add(a, &cap, L_MISSING, d + 1, TRACE_NONE,
                "twin: the other account's record is not loaded (shared %s)", str(a, h->shared_id));
    }
    add(a, &cap, L_SELECTED, (int)t->nhops + 1, t->event, "%s", trace_event_text(s, t->event, ev, sizeof ev));
    if (t->cycle)
        add(a, &cap, L_MISSING, 0, TRACE_NONE, "stopped: the chain loops back on itself");
    if (t->truncated)
        add(a, &cap, L_MISSING, 0, TRACE_NONE, "stopped: more than %d hops", TRACE_MAX_HOPS);
    if (t->insight_twin != TRACE_NONE)
        add(a, &cap, L_CALL, 0, t->insight_twin, "insight pair: %s",
            trace_event_text(s, t->insight_twin, ev, sizeof ev));
    const struct event *sel = &s->events[t->event];
    if (sel->f[EF_UI_KEY]) {
        add(a, &cap, L_HEAD, 0, TRACE_NONE, "session: %zu event%s with key %s, newest first", t->nsession,
            t->nsession == 1 ? "" : "s", str(a, sel->f[EF_UI_KEY]));
        for (size_t k = 0; k < t->nsession && k < SESSION_LINES; k++)
            add(a, &cap, t->session[k] == t->event ? L_SELECTED : L_SESSION, 1, t->session[k], "%s",
                trace_event_text(s, t->session[k], ev, sizeof ev));
        if (t->nsession > SESSION_LINES)
            add(a, &cap, L_NOTE, 1, TRACE_NONE, "… %zu more (T filters the list to the whole chain)",
                t->nsession - SESSION_LINES);
    } else {
        add(a, &cap, L_NOTE, 0, TRACE_NONE, "session: the event names no access key");
    }
}

/* Rebuilds the trace when the selection moved. Returns 0, or -1 (out of memory, said in the status). */
static int trace_sync(struct app *a)
{
    if (!app_count(a))
        return -1;
    size_t ev = app_event(a, a->list.cur);
    if (a->trace.event == ev)
        return 0;
    if (!a->trace.index && !(a->trace.index = trace_index_new(a->store))) {
        app_message(a, "out of memory for the trace");
        return -1;
    }
    trace_free(&a->trace.t);
    if (trace_build(a->trace.index, ev, &a->trace.t) != 0) {
        app_message(a, "out of memory for the trace");
        return -1;
    }
    a->trace.event = ev;
    build_lines(a);
    /* start on the selected event's line */
    a->trace.s = (struct scroll){0, 0};
    for (size_t i = 0; i < a->trace.nlines; i++)
        if (a->trace.lines[i].kind == L_SELECTED) {
            a->trace.s.cur = i;
            break;
        }
    return 0;
}

static const char *const markers[] = {
    [L_HEAD] = "",      [L_ORIGIN] = "◆ ",   [L_CALL] = "└ ",    [L_NOTE] = "",
    [L_MISSING] = "? ", [L_SELECTED] = "▶ ", [L_SESSION] = "· ",
};

static void trace_draw(struct app *a, struct rect r, int focused)
{
    attr_t title = theme_attr(focused ? R_HEADER : R_TITLE);
    draw_fill(a->win, r.y, r.x, r.w, title);
    if (trace_sync(a) != 0) {
        draw_str(a->win, r.y, r.x, r.w, " Trace: no event", title);
        return;
    }
    char head[160];
    snprintf(head, sizeof head, " Trace of event %zu/%zu   Enter: select  T: filter to the chain",
             a->list.cur + 1, app_count(a));
    draw_str(a->win, r.y, r.x, r.w, head, title);
    int page = r.h - 1;
    scroll_clamp(&a->trace.s, a->trace.nlines, page);
    for (int row = 0; row < page; row++) {
        size_t i = a->trace.s.top + (size_t)row;
        if (i >= a->trace.nlines)
            break;
        const struct trace_line *l = &a->trace.lines[i];
        int y = r.y + 1 + row, cursor = focused && i == a->trace.s.cur;
        attr_t at = theme_attr(l->kind == L_MISSING    ? R_ERROR
                               : l->kind == L_HEAD     ? R_TITLE
                               : l->kind == L_NOTE     ? R_J_STRING
                               : l->kind == L_ORIGIN   ? R_J_KEY
                               : l->kind == L_SELECTED ? R_J_LITERAL
                                                       : R_NORMAL);
        if (cursor)
            at = theme_attr(R_SELECTED);
        draw_fill(a->win, y, r.x, r.w, cursor ? at : theme_attr(R_NORMAL));
        int x = r.x + 1 + 2 * l->depth;
        if (x >= r.x + r.w)
            continue;
        /* markers are ours; the text comes from logs and goes through draw_text's escaping */
        x += draw_text(a->win, y, x, r.x + r.w - x, markers[l->kind], strlen(markers[l->kind]), at, 0, 0);
        draw_text(a->win, y, x, r.x + r.w - x, l->text, strlen(l->text), at, 0, 0);
    }
}

enum reaction trace_filter_chain(struct app *a)
{
    if (trace_sync(a) != 0)
        return app_count(a) ? RE_REDRAW : RE_NONE;
    char *expr = trace_chain_filter(a->store, &a->trace.t);
    if (expr)
        filter_set(a, expr);
    else
        app_message(a, "out of memory for the trace");
    free(expr);
    return RE_REDRAW;
}

void app_select_event(struct app *a, size_t ev)
{
    size_t n = app_count(a), lo = app_row_of(a, ev);
    if (lo < n && app_event(a, lo) == ev) {
        a->list.cur = lo;
        return;
    }
    /* hidden by the filter: show everything rather than refuse */
    filter_set(a, "");
    a->list.cur = ev;
    app_message(a, "the filter hid that event: cleared");
}

static enum reaction trace_key(struct app *a, enum action act, int page)
{
    if (act == ACT_ENTER) {
        if (a->trace.s.cur >= a->trace.nlines)
            return RE_NONE;
        size_t ev = a->trace.lines[a->trace.s.cur].event;
        if (ev == TRACE_NONE)
            return RE_NONE;
        app_select_event(a, ev);
        return RE_REDRAW;
    }
    return scroll_move(&a->trace.s, a->trace.nlines, page, act);
}

const struct pane_ops pane_trace_ops = {"trace", trace_draw, trace_key};
