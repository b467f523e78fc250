/* listcols: the columns the event list shows when the user chose them (the column chooser, the detail
 * pane's add-a-column key, or the layout remembered from the last run): short names and JSON paths
 * (model/query/field.h), sized to what is on screen, cut with an ellipsis, scrolled sideways. Without a
 * choice the list keeps its default layout. The state is the list pane's (created with it). */
#ifndef CTVIEW_LISTCOLS_H
#define CTVIEW_LISTCOLS_H

#include <stddef.h>

#include <curses.h>

#include "model/query/field.h"
#include "tui/prompt.h"

struct app;

struct listcols {
    struct field *cols; /* owned; NULL: the default layout */
    size_t ncols;
    char spec[PROMPT_MAX]; /* the columns as --columns takes them; "" for the default layout */
    size_t first;          /* the first column on screen after column 0, which stays (sideways scroll) */
    size_t reveal;         /* a column to bring into view at the next layout (just added), or SIZE_MAX */
    struct path_values v;  /* scratch for cell values */
};

/* Sets up zeroed state with the layout remembered from the last run (a bad or unreadable file is said
 * in the status line and ignored). Returns 0. listcols_release frees what it owns (not lc itself). */
int listcols_init(struct app *a, struct listcols *lc);
void listcols_release(struct listcols *lc);

/* The list's columns (borrowed), or NULL before the list pane exists. */
struct listcols *listcols_of(const struct app *a);

/* Shows the columns of spec ("" or blank: the default layout) and remembers them for the next run.
 * Returns 0, or -1 with the reason in err (cap bytes) when spec names a bad field or path (nothing
 * changes then). */
int listcols_set(struct app *a, const char *spec, char *err, size_t cap);

/* Adds a column at the end (the default layout's columns first, when it was in force), scrolled into
 * view with the least scroll, column 0 staying. Returns as listcols_set. */
int listcols_add(struct app *a, const char *name, char *err, size_t cap);

/* h (dir -1) and l (dir 1): scrolls the columns after column 0 sideways; 1 when they moved. */
int listcols_scroll(struct listcols *lc, int dir);
/* Whether columns are scrolled off to the left (between column 0 and the first on screen). */
int listcols_scrolled(const struct listcols *lc);

/* Draws the chosen columns' header and rows in the list's rectangle (from row 0, header first). */
void listcols_draw_header(struct app *a, struct listcols *lc, int y, int x, int w, const int *widths);

/* Works out the width of column 0 and of each column from `first` on for the events on screen
 * (rows[0..nrows), store indexes): content-sized, capped, 0 for columns that do not fit or are
 * scrolled off. */
void listcols_layout(struct app *a, struct listcols *lc, const size_t *rows, size_t nrows, int w,
                     int *widths);

/* Draws one event's cells with the widths from listcols_layout, cut with an ellipsis. */
void listcols_draw_row(struct app *a, struct listcols *lc, size_t ev, int y, int x, const int *widths,
                       attr_t attr);

#endif
