/* rows: what every pane showing a scrolling list of rows does the same way. The selection and the first
 * row on screen (struct scroll) are kept in view, each row's line is filled, the selected one in the
 * selection's colours, and the pane draws what is on each visible row. */
#ifndef CTVIEW_ROWS_H
#define CTVIEW_ROWS_H

#include <curses.h>
#include <stddef.h>

#include "tui/pane.h"
#include "tui/scroll.h"

struct app;

/* One row on the screen, as handed to the pane's row function. */
struct rows_item {
    size_t i;     /* the row's index (< n) */
    int y, x, w;  /* its line: row y, columns x .. x + w - 1 */
    attr_t at;    /* what the line was filled with: sel on the highlighted row, else normal */
    int selected; /* it is the highlighted row */
};

/* Draws row it->i of the pane; ctx is the pane's (borrowed). */
typedef void rows_row_fn(struct app *a, void *ctx, const struct rows_item *it);

struct rows {
    struct scroll *s; /* the pane's selection, moved into view (borrowed) */
    size_t n;         /* rows in all */
    struct rect r;    /* where they go: one row a line */
    attr_t sel;       /* the selected row's line: theme_attr(R_SELECTED) in most panes; 0 when no row is
                         highlighted (a pane without the focus, or without a cursor) */
};

/* Keeps v->s in view of v->r.h lines, then for each row on screen, top to bottom, fills its line and
 * calls row. Returns the rows drawn. */
int rows_draw(struct app *a, const struct rows *v, rows_row_fn *row, void *ctx);

#endif
