/* listsort: the event list sorted by a column (`<` `>` pick the column, `I` inverts, `:sort`), on top of
 * the shown list, which stays the filter's set in time order.
 *
 * Sorted, row r of the list is the shown event at position order[r] of the time-ordered shown list;
 * row_of is the inverse. Every change of the shown list (filter, follow, load) re-sorts it at once, so
 * new events are placed by the sort. The ranks of every store event for the sort's column are kept
 * between sorts (until the store changes), so re-sorting after a filter costs two linear passes.
 * Sorting by a JSON path first builds the store's index for that path, in slices between keys; the
 * list stays in time order (and says "sorting N%") until it is built. The order itself is model/rowsort. */
#ifndef CTVIEW_LISTSORT_H
#define CTVIEW_LISTSORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/query/field.h"
#include "tui/pane.h"

struct listsort {
    char name[PATH_MAX_LEN + 1]; /* the field sorted by, as typed; "" in time order */
    int desc;
    struct field field; /* owned while name[0] */
    uint32_t *order;    /* owned: list row -> position in the shown list; NULL: time order */
    uint32_t *row_of;   /* owned: position in the shown list -> list row */
    size_t n;           /* rows ordered */
    int pending;        /* the path's index is being built: time order until it is */
    uint32_t *ranks;    /* owned: a rank per store event, kept between sorts; NULL when not kept */
    uint32_t nranks;
    uint64_t ranks_gen; /* the store_gen ranks are for */
    int ranks_column;   /* the default column (or -1) ranks are for */
};

struct app;

/* Sorts the list by the field called name (a short name or a JSON path; "" or NULL: back to time
 * order), descending when desc, keeping the selection on its event. Returns 0, or -1 with the reason
 * in err (cap bytes) for a bad name (nothing changes then). */
int listsort_set(struct app *a, const char *name, int desc, char *err, size_t cap);

/* `<` (dir -1) and `>` (dir 1): sort by the previous / next column of the list (past either end: time
 * order); `I` (dir 0): invert the order (in time order: newest first). */
enum reaction listsort_step(struct app *a, int dir);

/* Re-sorts the shown list after it changed (tui/filterbar.c's one place where it does); the caller
 * then places the selection (app_row_of reads the new order). */
void listsort_reorder(struct app *a);

/* Re-sorts the list in place, keeping the selection on its event (the columns changed). */
void listsort_refresh(struct app *a);

/* The sort's header mark for a column: the field of a chosen column, or (field NULL) the default
 * layout's column id. "▲"/"▼" (ASCII "^"/"v" when the locale is not UTF-8), or NULL when the list is
 * not sorted by that column. */
const char *listsort_mark(const struct app *a, const struct field *field, int column);

/* The sort as words for a list whose columns on screen do not show it (" sorted by NAME ▲ "), in buf
 * (cap bytes); returns its width in screen columns, or 0 (buf untouched) in time order or while the
 * path's index is built. */
int listsort_sign(const struct app *a, char *buf, size_t cap);

/* A path's index is being built for the sort; listsort_work builds it for about that long and sorts
 * when it is done (returns 1 then). listsort_percent says how far it is. */
int listsort_busy(const struct app *a);
int listsort_work(struct app *a, double seconds);
int listsort_percent(const struct app *a);

/* Releases what the sort owns (the app's end). */
void listsort_free(struct app *a);

#endif
