/* The trace pane: the selected event's identity chain as an indented tree, from the origin principal
 * through every STS call to the event, then the other events of its session. It follows the selection;
 * Enter on a line with an event selects that event in the list; T filters the list to the chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/identity/trace.h"
#include "model/identity/trace_tree.h"
#include "tui/draw.h"
#include "tui/rows.h"
#include "tui/theme.h"
#include "tui/app.h"

/* The pane's state: the trace of one event, laid out as model/trace_tree lays it out for --trace too,
 * and the cursor in its lines. */
struct tpane {
    struct trace_index *index; /* owned, built at the first trace */
    struct trace t;
    size_t event;           /* the event t is for, SIZE_MAX for none */
    struct trace_tree tree; /* owned */
    struct scroll s;
    int hscroll; /* columns scrolled sideways */
    char zone[TZ_NAME_MAX]; /* the zone the tree's times are in (:tz lays it out again) */
};

/* At most this many session events are listed (the count is always given; T filters to them all). */
#define SESSION_LINES 500

/* Releases what the state owns (the loop frees the state, or zeroes it and calls tpane_create). */
static void tpane_free(void *st)
{
    struct tpane *tp = st;
    trace_free(&tp->t);
    trace_tree_free(&tp->tree);
    trace_index_free(tp->index);
}

/* Rebuilds the trace when the selection moved. Returns 0, or -1 (out of memory, said in the status). */
static int sync_trace(struct app *a, struct tpane *tp)
{
    if (!app_count(a))
        return -1;
    size_t ev = app_event(a, a->list.cur);
    if (tp->event == ev && strcmp(tp->zone, a->tz.name) == 0)
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
    if (trace_tree_build_tz(a->store, &tp->t, SESSION_LINES, &a->tz, &tp->tree) != 0) {
        trace_free(&tp->t);
        tp->event = SIZE_MAX;
        app_message(a, "out of memory for the trace");
        return -1;
    }
    tp->event = ev;
    strlcpy(tp->zone, a->tz.name, sizeof tp->zone);
    /* start on the selected event's line */
    tp->s = (struct scroll){0, 0};
    for (size_t i = 0; i < tp->tree.n; i++)
        if (tp->tree.lines[i].kind == TREE_SELECTED) {
            tp->s.cur = i;
            break;
        }
    return 0;
}

static int tpane_create(struct app *a, void *st)
{
    (void)a;
    ((struct tpane *)st)->event = SIZE_MAX;
    return 0;
}

static void tree_row(struct app *a, void *st, const struct rows_item *it)
{
    const struct tpane *tp = st;
    const struct tree_line *l = &tp->tree.lines[it->i];
    static const enum role kind_role[] = {
        [TREE_HEAD] = R_TITLE,     [TREE_ORIGIN] = R_J_KEY,  [TREE_CALL] = R_NORMAL,
        [TREE_NOTE] = R_J_STRING,  [TREE_MISSING] = R_ERROR, [TREE_SELECTED] = R_J_LITERAL,
        [TREE_SESSION] = R_NORMAL, [TREE_CONFLICT] = R_ERROR,
    };
    attr_t at = it->selected ? it->at : theme_attr(kind_role[l->kind]);
    /* indent, marker (ours) and text (from logs: draw_text escapes it), scrolled sideways as one */
    char full[sizeof l->text + 160];
    int depth = l->depth < 64 ? l->depth : 64;
    snprintf(full, sizeof full, "%*s%s%s", 2 * depth, "", trace_tree_marker(l->kind), l->text);
    draw_text(a->win, it->y, it->x + 1, it->w - 1, full, strlen(full), at, tp->hscroll, 0);
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
    struct rows v = {&tp->s, tp->tree.n, {r.y + 1, r.x, r.h - 1, r.w}, focused ? theme_attr(R_SELECTED) : 0};
    rows_draw(a, &v, tree_row, tp);
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
        if (tp->s.cur >= tp->tree.n)
            return RE_UNHANDLED;
        size_t ev = tp->tree.lines[tp->s.cur].event;
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
    return scroll_move(&tp->s, tp->tree.n, k->page, k->act);
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
