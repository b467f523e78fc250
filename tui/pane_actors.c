/* The actors view (a): the origins behind the shown events, the principal at the start of every chain,
 * one row each with its events, sessions, source IPs, errors, first and last time, the accounts its
 * events were logged in and the roles it assumed; most events first. It follows the filter. Enter
 * filters the list to everything the origin under the cursor did, through any role, in any account. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/filterquote.h"
#include "model/identity/actors.h"
#include "model/identity/origin.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/rows.h"
#include "tui/theme.h"

/* The pane's state: the actors of the shown set, the cursor in them, and the sideways scroll. */
struct actors_pane {
    struct actor_table t;
    int valid; /* t is of the shown set as it is */
    struct scroll s;
    size_t first; /* the first column on screen (h/l) */
};

/* The columns on screen, in this order (the cells are model/actors', as --actors prints them); the
 * identity first, the lists last, where a narrow screen cuts them. */
static const enum actor_col shown_cols[] = {AC_EVENTS,  AC_SESSIONS, AC_IPS,  AC_ERRORS,   AC_TYPE, AC_ACTOR,
                                            AC_ACCOUNT, AC_FIRST,    AC_LAST, AC_ACCOUNTS, AC_ROLES};
#define NCOLS     (sizeof shown_cols / sizeof *shown_cols)
#define ACTOR_MAX 56 /* columns at most for the ARN: longer ones are cut */
#define GAP       2  /* blanks between two columns */

/* When the columns do not all fit, these give up room first, in this order, down to their narrowest
 * (at least their title): the lists, the times (to their date) and then the ARN are cut with an ellipsis
 * rather than the last columns (ACCOUNTS, ROLES) being pushed off the screen; h/l scroll to read them
 * whole. */
static const struct {
    enum actor_col col;
    int min;
} narrowing[] = {{AC_ACCOUNTS, 16}, {AC_FIRST, 11}, {AC_LAST, 11},  {AC_ROLES, 0},
                 {AC_ACTOR, 24},    {AC_TYPE, 8},   {AC_ACTOR, 0},  {AC_ACCOUNTS, 0},
                 {AC_TYPE, 0},      {AC_FIRST, 0},  {AC_LAST, 0}};
#define LAST_WANT 16 /* the last column takes the room left; it asks for this much of it */

/* Narrows width[first..NCOLS) (measured: each column's widest cell and title, title[] the titles'
 * widths) so that the columns fit in room, as narrowing says; the last column keeps at least its title. */
static void fit_columns(int *width, const int *title, size_t first, int room)
{
    if (width[NCOLS - 1] > LAST_WANT)
        width[NCOLS - 1] = title[NCOLS - 1] > LAST_WANT ? title[NCOLS - 1] : LAST_WANT;
    int need = 0;
    for (size_t c = first; c < NCOLS; c++)
        need += width[c] + (c > first ? GAP : 0);
    for (size_t i = 0; i < sizeof narrowing / sizeof *narrowing && need > room; i++)
        for (size_t c = first; c < NCOLS; c++) {
            if (shown_cols[c] != narrowing[i].col)
                continue;
            int floor = narrowing[i].min > title[c] ? narrowing[i].min : title[c];
            int give = width[c] - floor < need - room ? width[c] - floor : need - room;
            if (give > 0) {
                width[c] -= give;
                need -= give;
            }
        }
}

static void forget(struct actors_pane *ap)
{
    actors_free(&ap->t);
    ap->valid = 0;
}

/* Releases what the state owns (the loop frees the state itself). */
static void actors_pane_free(void *st)
{
    forget(st);
}

/* Computed again at the next draw. */
static void actors_changed(struct app *a, void *st, unsigned what)
{
    (void)a;
    (void)what;
    forget(st);
}

/* Recomputes when the shown set changed: origins once for the store, then the table. */
static int sync_actors(struct app *a, struct actors_pane *ap)
{
    if (ap->valid)
        return 0;
    forget(ap);
    if (origins_ensure(a->store, NULL) != 0 ||
        actors_build(a->store, a->shown.idx, app_count(a), &ap->t) != 0) {
        app_message(a, "out of memory for the actors");
        return -1;
    }
    ap->valid = 1;
    return 0;
}

/* What a line of the table is drawn from: the actors' rows (NULL: the titles) in the widths measured,
 * from column first on. */
struct actors_line {
    const struct actor_row *rows;
    const int *width;
    size_t first;
};

static void actor_row(struct app *a, void *ctx, const struct rows_item *it)
{
    const struct actors_line *l = ctx;
    char buf[1024];
    int x = it->x + 1;
    if (l->first && !l->rows)
        draw_str(a->win, it->y, it->x, 1, "<", it->at); /* columns scrolled off to the left */
    for (size_t c = l->first; c < NCOLS && x < it->x + it->w; c++) {
        const char *v = !l->rows ? actors_col_title(shown_cols[c])
                                 : actors_cell_tz(a->store, &l->rows[it->i], shown_cols[c], &a->tz, buf,
                                                  sizeof buf);
        int w = draw_width(v, strlen(v)), room = it->x + it->w - x;
        int cw = c + 1 == NCOLS ? room : l->width[c] < room ? l->width[c] : room;
        int lead = actors_col_numeric(shown_cols[c]) && w < cw ? cw - w : 0;
        draw_cut(a->win, it->y, x + lead, cw - lead, v, strlen(v), it->at, NULL);
        x += cw + GAP;
    }
}

static void actors_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct actors_pane *ap = st;
    attr_t title = theme_attr(R_HEADER);
    draw_fill(a->win, r.y, r.x, r.w, title);
    if (sync_actors(a, ap) != 0) {
        draw_str(a->win, r.y, r.x, r.w, " Actors: out of memory", title);
        return;
    }
    char head[200];
    snprintf(head, sizeof head,
             " Actors: %zu origin%s behind %zu shown event%s   Enter: everything it did  Esc: back", ap->t.n,
             ap->t.n == 1 ? "" : "s", app_count(a), app_count(a) == 1 ? "" : "s");
    draw_str(a->win, r.y, r.x, r.w, head, title);
    if (r.h < 3)
        return;
    /* column widths: the widest cell of the rows on screen and the title */
    int page = r.h - 2;
    scroll_clamp(&ap->s, ap->t.n, page); /* before measuring the rows on screen */
    int width[NCOLS], title_w[NCOLS];
    char buf[1024];
    for (size_t c = 0; c < NCOLS; c++) {
        const char *t = actors_col_title(shown_cols[c]);
        width[c] = title_w[c] = draw_width(t, strlen(t));
        for (int row = 0; row < page && ap->s.top + (size_t)row < ap->t.n; row++) {
            const char *v =
                actors_cell_tz(a->store, &ap->t.rows[ap->s.top + (size_t)row], shown_cols[c], &a->tz, buf,
                               sizeof buf);
            int w = draw_width(v, strlen(v));
            width[c] = w > width[c] ? w : width[c];
        }
        if (shown_cols[c] == AC_ACTOR && width[c] > ACTOR_MAX)
            width[c] = ACTOR_MAX;
    }
    if (ap->first >= NCOLS)
        ap->first = NCOLS - 1;
    fit_columns(width, title_w, ap->first, r.w - 1);
    struct actors_line titles = {NULL, width, ap->first};
    draw_fill(a->win, r.y + 1, r.x, r.w, theme_attr(R_TITLE));
    actor_row(a, &titles, &(struct rows_item){0, r.y + 1, r.x, r.w, theme_attr(R_TITLE), 0});
    struct actors_line rows = {ap->t.rows, width, ap->first};
    struct rows v = {&ap->s, ap->t.n, {r.y + 2, r.x, page, r.w}, theme_attr(R_SELECTED)};
    rows_draw(a, &v, actor_row, &rows);
}

/* Enter: the list filtered to every event whose origin is the row's (its ARN, quoted for the filter). */
static enum reaction filter_to(struct app *a, const struct actors_pane *ap)
{
    if (ap->s.cur >= ap->t.n)
        return RE_UNHANDLED;
    const char *arn = actors_name(a->store, &ap->t.rows[ap->s.cur]);
    char *expr = filterquote_term_dup("origin", arn, strlen(arn));
    if (!expr) {
        app_message(a, "out of memory");
        return RE_REDRAW;
    }
    enum reaction re = filterbar_set(a, expr);
    free(expr);
    return re;
}

static enum reaction actors_key(struct app *a, void *st, const struct keypress *k)
{
    struct actors_pane *ap = st;
    if (k->act == ACT_ENTER)
        return filter_to(a, ap);
    if (k->act == ACT_LEFT || k->act == ACT_RIGHT) {
        /* sideways by a column: the cut lists (ACCOUNTS, ROLES) read whole */
        if (k->act == ACT_LEFT && ap->first > 0)
            ap->first--;
        else if (k->act == ACT_RIGHT && ap->first + 1 < NCOLS)
            ap->first++;
        return RE_REDRAW;
    }
    return scroll_move(&ap->s, ap->t.n, k->page - 1, k->act);
}

const struct pane_ops pane_actors_ops = {
    .name = "actors",
    .place = PLACE_OVERLAY,
    .toggle = ACT_ACTORS,
    .size = sizeof(struct actors_pane),
    .free = actors_pane_free,
    .draw = actors_draw,
    .key = actors_key,
    .changed = actors_changed,
};
