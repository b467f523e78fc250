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

/* The pane's state: the actors of the shown set, and the cursor in them. */
struct actors_pane {
    struct actor_table t;
    int valid; /* t is of the shown set as it is */
    struct scroll s;
};

/* The columns on screen, in this order (the cells are model/actors', as --actors prints them); the
 * identity first, the lists last, where a narrow screen cuts them. */
static const enum actor_col shown_cols[] = {AC_EVENTS,  AC_SESSIONS, AC_IPS,  AC_ERRORS,   AC_TYPE, AC_ACTOR,
                                            AC_ACCOUNT, AC_FIRST,    AC_LAST, AC_ACCOUNTS, AC_ROLES};
#define NCOLS     (sizeof shown_cols / sizeof *shown_cols)
#define ACTOR_MAX 56 /* columns at most for the ARN: longer ones are cut */

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

/* What a line of the table is drawn from: the actors' rows (NULL: the titles) in the widths measured. */
struct actors_line {
    const struct actor_row *rows;
    const int *width;
};

static void actor_row(struct app *a, void *ctx, const struct rows_item *it)
{
    const struct actors_line *l = ctx;
    char buf[1024];
    int x = it->x + 1;
    for (size_t c = 0; c < NCOLS && x < it->x + it->w; c++) {
        const char *v = !l->rows ? actors_col_title(shown_cols[c])
                                 : actors_cell_tz(a->store, &l->rows[it->i], shown_cols[c], &a->tz, buf,
                                                  sizeof buf);
        int w = draw_width(v, strlen(v)), room = it->x + it->w - x;
        int cw = c + 1 == NCOLS ? room : l->width[c] < room ? l->width[c] : room;
        int lead = actors_col_numeric(shown_cols[c]) && w < cw ? cw - w : 0;
        draw_text(a->win, it->y, x + lead, cw - lead, v, strlen(v), it->at, 0, 0);
        x += cw + 2;
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
    int width[NCOLS];
    char buf[1024];
    for (size_t c = 0; c < NCOLS; c++) {
        const char *t = actors_col_title(shown_cols[c]);
        width[c] = draw_width(t, strlen(t));
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
    struct actors_line titles = {NULL, width};
    draw_fill(a->win, r.y + 1, r.x, r.w, theme_attr(R_TITLE));
    actor_row(a, &titles, &(struct rows_item){0, r.y + 1, r.x, r.w, theme_attr(R_TITLE), 0});
    struct actors_line rows = {ap->t.rows, width};
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
