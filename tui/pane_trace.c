/* The trace pane: the selected event's identity chain as an indented tree, from the origin principal
 * through every STS call to the event, then the other events of its session. It follows the selection;
 * Enter on a line with an event selects that event in the list; T filters the list to the chain. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/trace.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/app.h"

enum line_kind { L_HEAD, L_ORIGIN, L_CALL, L_NOTE, L_MISSING, L_SELECTED, L_SESSION };

struct trace_line {
    enum line_kind kind;
    int depth;
    size_t event; /* TRACE_NONE for lines that name no loaded event */
    char text[512];
};

/* The pane's state: the trace of one event, laid out as lines, and the cursor in them. */
struct tpane {
    struct trace_index *index; /* owned, built at the first trace */
    struct trace t;
    size_t event;             /* the event t is for, SIZE_MAX for none */
    struct trace_line *lines; /* owned */
    size_t nlines;
    struct scroll s;
    int hscroll; /* columns scrolled sideways */
};

/* At most this many session events are listed (the count is always given). */
#define SESSION_LINES 500

static int add(struct tpane *tp, size_t *cap, enum line_kind kind, int depth, size_t event, const char *fmt,
               ...) __attribute__((format(printf, 6, 7)));
static int add(struct tpane *tp, size_t *cap, enum line_kind kind, int depth, size_t event, const char *fmt,
               ...)
{
    if (tp->nlines == *cap) {
        size_t n = *cap ? *cap * 2 : 32;
        struct trace_line *l = realloc(tp->lines, n * sizeof *l);
        if (!l)
            return -1;
        tp->lines = l;
        *cap = n;
    }
    struct trace_line *l = &tp->lines[tp->nlines++];
    l->kind = kind;
    l->depth = depth;
    l->event = event;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    return 0;
}

/* Releases what the state owns (the loop frees the state, or zeroes it and calls tpane_create). */
static void tpane_free(void *st)
{
    struct tpane *tp = st;
    trace_free(&tp->t);
    free(tp->lines);
    trace_index_free(tp->index);
}

static const char *str(const struct app *a, uint32_t id)
{
    return intern_str(a->store->strings, id);
}

/* Lays the trace out as lines. */
static void build_lines(struct app *a, struct tpane *tp)
{
    struct store *s = a->store;
    const struct trace *t = &tp->t;
    size_t cap = 0;
    char ev[256];
    tp->nlines = 0;
    add(tp, &cap, L_HEAD, 0, TRACE_NONE, "%zu hop%s from the origin; %zu event%s in this session", t->nhops,
        t->nhops == 1 ? "" : "s", t->nsession, t->nsession == 1 ? "" : "s");
    if (t->origin_type)
        add(tp, &cap, L_ORIGIN, 0, t->origin_event, "origin: %s %s (account %s)", str(a, t->origin_type),
            str(a, t->origin_arn), str(a, t->origin_account));
    else
        add(tp, &cap, L_MISSING, 0, TRACE_NONE, "origin: unknown principal, its records are not loaded (%s)",
            str(a, t->origin_arn));
    for (size_t k = 0; k < t->nhops; k++) {
        const struct trace_hop *h = &t->hops[k];
        int d = (int)k + 1;
        if (h->issuer != TRACE_NONE)
            add(tp, &cap, L_CALL, d, h->issuer, "%s", trace_event_text(s, h->issuer, ev, sizeof ev));
        else
            add(tp, &cap, L_MISSING, d, TRACE_NONE,
                "the call that issued this session is not in the loaded logs");
        const struct event *is = h->issuer != TRACE_NONE ? &s->events[h->issuer] : NULL;
        add(tp, &cap, L_NOTE, d + 1, TRACE_NONE, "role %s  session %s  key %s%s%s%s%s%s%s",
            str(a, h->role_arn), str(a, h->session_arn), h->access_key ? str(a, h->access_key) : "-",
            h->source_identity ? "  source identity " : "", str(a, h->source_identity),
            is && (is->flags & EVF_MFA) ? "  caller used MFA" : "",
            is && is->f[EF_UI_INVOKED_BY] ? "  invoked by " : "", is ? str(a, is->f[EF_UI_INVOKED_BY]) : "",
            h->inferred ? "  (inferred: session ARN + creation time)" : "");
        if (h->crosses && h->twin != TRACE_NONE)
            add(tp, &cap, L_CALL, d + 1, h->twin, "twin in account %s: %s",
                str(a, trace_event_account(s, h->twin)), trace_event_text(s, h->twin, ev, sizeof ev));
        else if (h->crosses)
            add(tp, &cap, L_MISSING, d + 1, TRACE_NONE,
                "twin: the other account's record is not loaded (shared %s)", str(a, h->shared_id));
    }
    add(tp, &cap, L_SELECTED, (int)t->nhops + 1, t->event, "%s",
        trace_event_text(s, t->event, ev, sizeof ev));
    if (t->cycle)
        add(tp, &cap, L_MISSING, 0, TRACE_NONE, "stopped: the chain loops back on itself");
    if (t->truncated)
        add(tp, &cap, L_MISSING, 0, TRACE_NONE, "stopped: more than %d hops", TRACE_MAX_HOPS);
    if (t->insight_twin != TRACE_NONE)
        add(tp, &cap, L_CALL, 0, t->insight_twin, "insight pair: %s",
            trace_event_text(s, t->insight_twin, ev, sizeof ev));
    const struct event *sel = &s->events[t->event];
    if (sel->f[EF_UI_KEY]) {
        add(tp, &cap, L_HEAD, 0, TRACE_NONE, "session: %zu event%s with key %s, newest first", t->nsession,
            t->nsession == 1 ? "" : "s", str(a, sel->f[EF_UI_KEY]));
        for (size_t k = 0; k < t->nsession && k < SESSION_LINES; k++)
            add(tp, &cap, t->session[k] == t->event ? L_SELECTED : L_SESSION, 1, t->session[k], "%s",
                trace_event_text(s, t->session[k], ev, sizeof ev));
        if (t->nsession > SESSION_LINES)
            add(tp, &cap, L_NOTE, 1, TRACE_NONE, "… %zu more (T filters the list to the whole chain)",
                t->nsession - SESSION_LINES);
    } else {
        add(tp, &cap, L_NOTE, 0, TRACE_NONE, "session: the event names no access key");
    }
}

/* Rebuilds the trace when the selection moved. Returns 0, or -1 (out of memory, said in the status). */
static int sync_trace(struct app *a, struct tpane *tp)
{
    if (!app_count(a))
        return -1;
    size_t ev = app_event(a, a->list.cur);
    if (tp->event == ev)
        return 0;
    if (!tp->index && !(tp->index = trace_index_new(a->store))) {
        app_message(a, "out of memory for the trace");
        return -1;
    }
    trace_free(&tp->t);
    if (trace_build(tp->index, ev, &tp->t) != 0) {
        app_message(a, "out of memory for the trace");
        return -1;
    }
    tp->event = ev;
    build_lines(a, tp);
    /* start on the selected event's line */
    tp->s = (struct scroll){0, 0};
    for (size_t i = 0; i < tp->nlines; i++)
        if (tp->lines[i].kind == L_SELECTED) {
            tp->s.cur = i;
            break;
        }
    return 0;
}

static const char *const markers[] = {
    [L_HEAD] = "",      [L_ORIGIN] = "◆ ",   [L_CALL] = "└ ",    [L_NOTE] = "",
    [L_MISSING] = "? ", [L_SELECTED] = "▶ ", [L_SESSION] = "· ",
};

static int tpane_create(struct app *a, void *st)
{
    (void)a;
    ((struct tpane *)st)->event = SIZE_MAX;
    return 0;
}

static void tpane_draw(struct app *a, void *st, struct rect r, int focused)
{
    struct tpane *tp = st;
    attr_t title = theme_attr(focused ? R_HEADER : R_TITLE);
    draw_fill(a->win, r.y, r.x, r.w, title);
    if (sync_trace(a, tp) != 0) {
        draw_str(a->win, r.y, r.x, r.w, " Trace: no event", title);
        return;
    }
    char head[160];
    snprintf(head, sizeof head, " Trace of event %zu/%zu   Enter: select  T: filter to the chain",
             a->list.cur + 1, app_count(a));
    draw_str(a->win, r.y, r.x, r.w, head, title);
    int page = r.h - 1;
    scroll_clamp(&tp->s, tp->nlines, page);
    for (int row = 0; row < page; row++) {
        size_t i = tp->s.top + (size_t)row;
        if (i >= tp->nlines)
            break;
        const struct trace_line *l = &tp->lines[i];
        int y = r.y + 1 + row, cursor = focused && i == tp->s.cur;
        attr_t at = theme_attr(l->kind == L_MISSING    ? R_ERROR
                               : l->kind == L_HEAD     ? R_TITLE
                               : l->kind == L_NOTE     ? R_J_STRING
                               : l->kind == L_ORIGIN   ? R_J_KEY
                               : l->kind == L_SELECTED ? R_J_LITERAL
                                                       : R_NORMAL);
        if (cursor)
            at = theme_attr(R_SELECTED);
        draw_fill(a->win, y, r.x, r.w, cursor ? at : theme_attr(R_NORMAL));
        /* indent, marker (ours) and text (from logs: draw_text escapes it), scrolled sideways as one */
        char full[sizeof l->text + 160];
        int depth = l->depth < 64 ? l->depth : 64;
        snprintf(full, sizeof full, "%*s%s%s", 2 * depth, "", markers[l->kind], l->text);
        draw_text(a->win, y, r.x + 1, r.w - 1, full, strlen(full), at, tp->hscroll, 0);
    }
}

/* T: filters the list to the selected event's whole chain (the trace the pane holds, built if needed). */
static enum reaction restrict_to_chain(struct app *a, struct tpane *tp)
{
    if (sync_trace(a, tp) != 0)
        return app_count(a) ? RE_REDRAW : RE_UNHANDLED;
    char *expr = trace_chain_filter(a->store, &tp->t);
    if (expr)
        filterbar_set(a, expr);
    else
        app_message(a, "out of memory for the trace");
    free(expr);
    return RE_REDRAW;
}

static enum reaction tpane_key(struct app *a, void *st, const struct keypress *k)
{
    struct tpane *tp = st;
    if (k->act == ACT_TRACE_FILTER)
        return restrict_to_chain(a, tp);
    if (k->act == ACT_ENTER) {
        if (tp->s.cur >= tp->nlines)
            return RE_UNHANDLED;
        size_t ev = tp->lines[tp->s.cur].event;
        if (ev == TRACE_NONE) {
            app_message(a, "this line names no loaded event");
            return RE_REDRAW;
        }
        app_select_event(a, ev);
        return RE_REDRAW;
    }
    if (k->act == ACT_LEFT || k->act == ACT_RIGHT) {
        /* long ARNs and keys: sideways, as the detail pane */
        tp->hscroll += k->act == ACT_RIGHT ? 8 : -8;
        if (tp->hscroll < 0)
            tp->hscroll = 0;
        return RE_REDRAW;
    }
    return scroll_move(&tp->s, tp->nlines, k->page, k->act);
}

static const enum action background[] = {ACT_TRACE_FILTER, ACT_NONE};

const struct pane_ops pane_trace_ops = {
    .name = "trace",
    .place = PLACE_LOWER,
    .toggle = ACT_TRACE,
    .background = background,
    .size = sizeof(struct tpane),
    .create = tpane_create,
    .free = tpane_free,
    .draw = tpane_draw,
    .key = tpane_key,
    .reset_on = CHANGED_STORE, /* the index and every event index held are void */
};
