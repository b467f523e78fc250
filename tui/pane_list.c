/* The event list: one row per event, columns from model/query/columns (fields of the field model), or
 * the chosen ones (listcols), selection and scrolling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/present/colfit.h"
#include "model/query/columns.h"
#include "model/detect/findings.h"
#include "model/query/evcase.h"
#include "model/base/tz.h"
#include "tui/draw.h"
#include "tui/listcols.h"
#include "tui/marks.h"
#include "tui/listsort.h"
#include "tui/pane_findings.h"
#include "tui/rows.h"
#include "tui/theme.h"
#include "tui/app.h"

/* The default layout: the columns model/query/columns shows on screen, in id order. */
#define NSHOWN   COL_SHOWN
#define shown(i) ((enum column_id)(i))

/* "2014-07-15T21:40:14Z" reads better on screen as "2014-07-15 21:40:14". */
static void screen_time(char *t)
{
    size_t n = strlen(t);
    if (n >= 19 && t[10] == 'T')
        t[10] = ' ';
    if (n && t[n - 1] == 'Z')
        t[n - 1] = '\0';
}

/* A gutter before the columns holds 'n' for an event with a note in the case ('N' when it is marked
 * too: a marked row is bold), else the mark, else the initial of the highest Sigma level among the
 * event's findings (c h m l i), or 'a' in that level's colour when the findings are attempts (the call
 * failed: findings_event_attempt): a character, so each shows without colour too. */
#define GUTTER 1

static void draw_gutter(struct app *a, int y, int x, size_t ev, int marked, int sel, attr_t base)
{
    const struct findings *fd = findings_of(a->store);
    int level = fd ? findings_event_level(fd, ev) : -1;
    const struct case_entry *ce = evcase_entry(a->store, ev);
    if (ce && ce->nnotes) {
        draw_str(a->win, y, x, GUTTER, marked ? "N" : "n", base);
    } else if (marked) {
        draw_str(a->win, y, x, GUTTER, "*", base);
    } else if (level >= 0) {
        char mark[2] = {findings_event_attempt(fd, ev) ? 'a' : sigma_level_name((enum sigma_level)level)[0],
                        '\0'};
        draw_str(a->win, y, x, GUTTER, mark, sel ? base : theme_attr(pane_findings_level_role(level)));
    }
}

/* What both layouts draw first on list row it: the line (bold when the event is marked) and the
 * gutter. Sets *ev to the row's event; returns the attribute of its cells. */
static attr_t row_start(struct app *a, const struct rows_item *it, size_t *ev)
{
    *ev = app_event(a, it->i);
    int marked = marks_on(a, *ev);
    attr_t base = it->at;
    if (marked) {
        base |= A_BOLD;
        draw_fill(a->win, it->y, it->x, it->w, base);
    }
    draw_gutter(a, it->y, it->x, *ev, marked, it->selected, base);
    return base;
}

/* The selected row: bright in the focused list, dim below a pane that has the focus. */
static struct rows list_rows(struct app *a, struct rect r, int focused)
{
    return (struct rows){&a->list, app_count(a), {r.y + 1, r.x, r.h - 1, r.w},
                         theme_attr(focused ? R_SELECTED : R_SELECTED_DIM)};
}

struct chosen_line {
    struct listcols *lc;
    const int *widths;
};

static void chosen_row(struct app *a, void *ctx, const struct rows_item *it)
{
    const struct chosen_line *l = ctx;
    size_t ev;
    attr_t base = row_start(a, it, &ev);
    listcols_draw_row(a, l->lc, ev, it->y, it->x + GUTTER, l->widths, base);
}

/* The chosen columns (listcols): sized to the rows on screen. */
static void chosen_draw(struct app *a, struct listcols *lc, struct rect r, int focused)
{
    int page = r.h - 1;
    size_t n = app_count(a);
    scroll_clamp(&a->list, n, page);
    size_t rows[512];
    size_t nrows = 0;
    for (int row = 0; row < page && nrows < sizeof rows / sizeof *rows; row++)
        if (a->list.top + (size_t)row < n)
            rows[nrows++] = app_event(a, a->list.top + (size_t)row);
    int *widths = calloc(lc->ncols, sizeof *widths);
    if (!widths)
        return;
    listcols_layout(a, lc, rows, nrows, r.w - GUTTER, widths);
    attr_t head = theme_attr(R_HEADER);
    draw_fill(a->win, r.y, r.x, r.w, head);
    if (lc->first)
        draw_str(a->win, r.y, r.x, GUTTER, "<", head); /* columns scrolled off to the left */
    listcols_draw_header(a, lc, r.y, r.x + GUTTER, r.w - GUTTER, widths);
    if (n == 0 && a->store->nevents)
        draw_str(a->win, r.y + 1, r.x, r.w, " no event matches the filter", theme_attr(R_TITLE));
    struct chosen_line l = {lc, widths};
    struct rows v = list_rows(a, r, focused);
    rows_draw(a, &v, chosen_row, &l);
    free(widths);
}

/* The text of shown column i for event e (times in the chosen zone, or relative to now_ms). */
static const char *shown_text(struct app *a, const struct event *e, size_t i, int64_t now_ms, char *buf)
{
    if (shown(i) == COL_TIME && a->relative_time)
        return tz_relative(e->time_ms, now_ms, buf);
    if (shown(i) == COL_TIME) {
        tz_format(&a->tz, e->time_ms, buf);
        screen_time(buf);
        return buf;
    }
    return column_text(a->store, e, shown(i), buf);
}

/* The widths of the shown columns for a list total columns wide (0: hidden), measured over the rows on
 * screen (model/colfit): each wants its widest cell, header included, up to the table's cap; the
 * table's floor, raised to the widest part that is never cut, is what it keeps before a column of
 * lower priority is hidden. Fills titles (the time's names the zone). */
static void measure(struct app *a, int total, int page, int64_t now_ms, char titles[NSHOWN][TZ_NAME_MAX + 24],
                    int widths[NSHOWN])
{
    struct store *s = a->store;
    struct colfit fit[NSHOWN];
    int whole[NSHOWN] = {0};
    for (size_t i = 0; i < NSHOWN; i++) {
        const struct column *c = column_get(shown(i));
        const char *mark = listsort_mark(a, NULL, (int)shown(i)); /* the sort's column, and which way */
        if (shown(i) == COL_TIME) /* the zone is named where the times are (relative: the same everywhere) */
            snprintf(titles[i], sizeof titles[i], "%s%s %s", c->title, mark ? mark : "",
                     a->relative_time ? "(ago)" : a->tz.name);
        else
            snprintf(titles[i], sizeof titles[i], "%s%s", c->title, mark ? mark : "");
        fit[i] = (struct colfit){
            draw_width(titles[i], strlen(titles[i])), c->floor, c->last, c->min, c->prio, c->grow};
    }
    size_t n = app_count(a);
    for (int row = 0; row < page && a->list.top + (size_t)row < n; row++) {
        const struct event *e = &s->events[app_event(a, a->list.top + (size_t)row)];
        for (size_t i = 0; i < NSHOWN; i++) {
            char buf[COLUMN_BUF];
            const char *text = shown_text(a, e, i, now_ms, buf);
            int w = draw_width(text, strlen(text));
            fit[i].want = w > fit[i].want ? w : fit[i].want;
            text = column_whole(s, e, shown(i), buf);
            if (text) {
                w = draw_width(text, strlen(text));
                whole[i] = w > whole[i] ? w : whole[i];
            }
        }
    }
    for (size_t i = 0; i < NSHOWN; i++) {
        int cap = column_get(shown(i))->width;
        fit[i].want = fit[i].want < cap ? fit[i].want : cap;
        fit[i].floor = whole[i] > fit[i].floor ? whole[i] : fit[i].floor;
    }
    colfit_layout(fit, NSHOWN, total, widths);
}

struct default_line {
    const int *widths;
    int64_t now_ms;
};

static void default_row(struct app *a, void *ctx, const struct rows_item *it)
{
    const struct default_line *l = ctx;
    size_t ev;
    attr_t base = row_start(a, it, &ev);
    const struct event *e = &a->store->events[ev];
    int x = it->x + GUTTER;
    for (size_t i = 0; i < NSHOWN; i++) {
        if (!l->widths[i])
            continue;
        char buf[COLUMN_BUF];
        const char *text = shown_text(a, e, i, l->now_ms, buf);
        attr_t at = base;
        if (shown(i) == COL_ERROR && !it->selected)
            at = theme_attr(R_ERROR);
        struct draw_marks m = {&a->bar.marks, text, strlen(text)};
        draw_cut(a->win, it->y, x, l->widths[i], text, m.len, at, &m);
        x += l->widths[i] + 1;
    }
}

static void list_draw(struct app *a, void *st, struct rect r, int focused)
{
    struct listcols *lc = st;
    if (lc && lc->ncols) {
        chosen_draw(a, lc, r, focused);
        return;
    }
    struct store *s = a->store;
    int page = r.h - 1;
    size_t n = app_count(a);
    scroll_clamp(&a->list, n, page);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;

    char titles[NSHOWN][TZ_NAME_MAX + 24];
    int widths[NSHOWN];
    measure(a, r.w - GUTTER, page, now_ms, titles, widths);
    int x = r.x + GUTTER;
    attr_t head = theme_attr(R_HEADER);
    draw_fill(a->win, r.y, r.x, r.w, head);
    for (size_t i = 0; i < NSHOWN; i++) {
        if (!widths[i])
            continue;
        draw_cut(a->win, r.y, x, widths[i], titles[i], strlen(titles[i]), head, NULL);
        x += widths[i] + 1;
    }
    if (n == 0 && s->nevents) {
        draw_str(a->win, r.y + 1, r.x, r.w, " no event matches the filter", theme_attr(R_TITLE));
        return;
    }
    struct default_line l = {widths, now_ms};
    struct rows v = list_rows(a, r, focused);
    rows_draw(a, &v, default_row, &l);
}

static enum reaction list_key(struct app *a, void *st, const struct keypress *k)
{
    struct listcols *lc = st;
    if (lc && lc->ncols && (k->act == ACT_LEFT || k->act == ACT_RIGHT)) {
        if (k->act == ACT_LEFT && lc->first > 0)
            lc->first--;
        else if (k->act == ACT_RIGHT && lc->first + 1 < lc->ncols)
            lc->first++;
        return RE_REDRAW;
    }
    if (k->act == ACT_ENTER) {
        if (!app_count(a))
            return RE_UNHANDLED;
        app_open(a, PANE_DETAIL);
        return RE_REDRAW;
    }
    if (k->act == ACT_CLOSE && !a->lower_open && a->shown.expr && a->shown.expr[0]) {
        /* Esc on the list clears the filter; Up in / brings it back */
        prompt_history_add(&a->bar.filter_hist, a->shown.expr);
        filterbar_set(a, "");
        app_message(a, "filter cleared (/ then Up brings it back)");
        return RE_REDRAW;
    }
    enum reaction r = scroll_move(&a->list, app_count(a), k->page, k->act);
    if (a->list.cur + 1 >= app_count(a))
        a->follow_new = 0; /* the new events are in view */
    return r;
}

static int list_create(struct app *a, void *st)
{
    return listcols_init(a, st);
}

static void list_free(void *st)
{
    listcols_release(st);
}

const struct pane_ops pane_list_ops = {
    .name = "list",
    .place = PLACE_MAIN,
    .size = sizeof(struct listcols),
    .create = list_create,
    .free = list_free,
    .draw = list_draw,
    .key = list_key,
};
