/* listsort: the list sorted by a column. See listsort.h. */
#include "tui/listsort.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model/query/columns.h"
#include "model/query/rowsort.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/listcols.h"

/* The default layout's columns, in the order they are drawn (model/query/columns' ids), are sorted by
 * their fields' short names; the default layout sorts by the text its cells show (tui/pane_list.c). */
#define NDEFAULT COL_SHOWN

static const char *default_name(size_t c)
{
    return column_get((enum column_id)c)->field;
}

/* Whether the two fields are the same column: short names ignoring case, paths by their text. */
static int same_field(const struct field *x, const struct field *y)
{
    if ((x->kind == FIELD_SHORT) != (y->kind == FIELD_SHORT))
        return 0;
    if (x->kind == FIELD_SHORT)
        return strcasecmp(x->name, y->name) == 0;
    return strcmp(x->path.text, y->path.text) == 0;
}

static int chosen_layout(const struct app *a)
{
    const struct listcols *lc = listcols_of(a);
    return lc && lc->ncols;
}

/* The default layout's column the sort's field is (its cells give the values), else -1 (the field's
 * own values: a chosen layout, or a field the default layout does not show). */
static int default_column(const struct app *a)
{
    const struct listsort *ls = &a->sort;
    if (!ls->name[0] || chosen_layout(a) || ls->field.kind != FIELD_SHORT)
        return -1;
    for (size_t c = 0; c < NDEFAULT; c++)
        if (strcasecmp(ls->field.name, default_name(c)) == 0)
            return (int)c;
    return -1;
}

static void drop_order(struct listsort *ls)
{
    free(ls->order);
    free(ls->row_of);
    ls->order = ls->row_of = NULL;
    ls->n = 0;
}

static void drop_ranks(struct listsort *ls)
{
    free(ls->ranks);
    ls->ranks = NULL;
    ls->nranks = 0;
}

static int ranks_valid(const struct app *a, int column)
{
    const struct listsort *ls = &a->sort;
    return ls->ranks && ls->ranks_gen == a->store_gen && ls->ranks_column == column;
}

/* Ranks of every store event, kept: worth it once the shown list is a good part of the store (a small
 * filtered list sorts faster by itself). Returns 0, or -1 when out of memory. */
static int store_ranks(struct app *a, const struct rowsort_by *by, int column)
{
    struct listsort *ls = &a->sort;
    if (ranks_valid(a, column))
        return 0;
    drop_ranks(ls);
    size_t n = a->store->nevents;
    if (!(ls->ranks = malloc((n ? n : 1) * sizeof *ls->ranks)))
        return -1;
    if (rowsort_ranks(a->store, by, NULL, n, ls->ranks, &ls->nranks) != 0) {
        drop_ranks(ls);
        return -1;
    }
    ls->ranks_gen = a->store_gen;
    ls->ranks_column = column;
    return 0;
}

void listsort_reorder(struct app *a)
{
    struct listsort *ls = &a->sort;
    drop_order(ls);
    ls->pending = 0;
    if (!ls->name[0])
        return;
    int ready = field_prepare(a->store, &ls->field, 1);
    if (ready == 0) {
        ls->pending = 1; /* listsort_work builds the path's index between keys, then sorts */
        return;
    }
    size_t n = app_count(a);
    int column = default_column(a);
    struct rowsort_by by = {column < 0 ? &ls->field : NULL, column < 0 ? COL_TIME : (enum column_id)column};
    uint32_t *order = malloc((n ? n : 1) * sizeof *order), *row_of = malloc((n ? n : 1) * sizeof *row_of);
    int rc = ready < 0 || !order || !row_of ? -1 : 0;
    if (rc == 0 && (ranks_valid(a, column) || n * 4 >= a->store->nevents))
        rc = store_ranks(a, &by, column) == 0
                 ? rowsort_by_rank(ls->ranks, a->shown.idx, n, ls->nranks, ls->desc, order)
                 : -1;
    else if (rc == 0)
        rc = rowsort_order(a->store, &by, a->shown.idx, n, ls->desc, order);
    if (rc != 0) {
        free(order);
        free(row_of);
        app_message(a, "out of memory while sorting: the list is in time order");
        return;
    }
    for (size_t k = 0; k < n; k++)
        row_of[order[k]] = (uint32_t)k;
    ls->order = order;
    ls->row_of = row_of;
    ls->n = n;
}

/* Puts the selection back on store event sel (else the next one in time order) at the screen row it
 * had; the search's hits are rows, which moved. */
static void place(struct app *a, size_t sel, size_t row_on_screen)
{
    size_t n = app_count(a);
    size_t cur = sel == SIZE_MAX ? 0 : app_row_of(a, sel);
    if (cur >= n)
        cur = n ? n - 1 : 0;
    a->list.cur = cur;
    a->list.top = cur > row_on_screen ? cur - row_on_screen : 0;
    a->bar.hits.valid = 0;
}

void listsort_refresh(struct app *a)
{
    if (!a->sort.name[0])
        return;
    size_t sel = app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX;
    size_t row_on_screen = a->list.cur - a->list.top;
    listsort_reorder(a);
    place(a, sel, row_on_screen);
}

static const char *arrow(int desc)
{
    int utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    return desc ? (utf8 ? "\xe2\x96\xbc" : "v") : (utf8 ? "\xe2\x96\xb2" : "^"); /* U+25BC, U+25B2 */
}

static void say(struct app *a)
{
    const struct listsort *ls = &a->sort;
    if (!ls->name[0])
        app_message(a, "time order");
    else if (ls->pending)
        app_message(a, "sorting by %s: indexing the path first", ls->name);
    else
        app_message(a, "sorted by %s %s (%s)", ls->name, arrow(ls->desc),
                    ls->desc ? "descending" : "ascending");
}

int listsort_set(struct app *a, const char *name, int desc, char *err, size_t cap)
{
    struct listsort *ls = &a->sort;
    const char *p = name ? name : "";
    while (*p == ' ')
        p++;
    size_t len = strlen(p);
    while (len && p[len - 1] == ' ')
        len--;
    size_t sel = app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX;
    size_t row_on_screen = a->list.cur - a->list.top;
    if (!len || strlen(ls->name) != len || strncmp(ls->name, p, len) != 0) {
        struct field f;
        struct field_error ferr;
        if (len && field_parse(p, len, &f, &ferr) != 0) {
            snprintf(err, cap, "%s", ferr.message);
            return -1;
        }
        if (ls->name[0])
            field_free(&ls->field);
        drop_ranks(ls);
        ls->name[0] = '\0';
        if (len) {
            ls->field = f;
            strlcpy(ls->name, f.name, sizeof ls->name);
        }
    }
    ls->desc = len && desc;
    listsort_reorder(a);
    place(a, sel, row_on_screen);
    say(a);
    return 0;
}

enum reaction listsort_step(struct app *a, int dir)
{
    struct listsort *ls = &a->sort;
    char err[400];
    if (dir == 0) {
        listsort_set(a, ls->name[0] ? ls->name : "time", ls->name[0] ? !ls->desc : 1, err, sizeof err);
        return RE_REDRAW;
    }
    /* the list's columns, and the one sorted by (-1: none) */
    const struct listcols *lc = listcols_of(a);
    int chosen = chosen_layout(a);
    size_t ncols = chosen ? lc->ncols : NDEFAULT;
    long at = -1;
    for (size_t c = 0; c < ncols && ls->name[0] && at < 0; c++)
        if (chosen ? same_field(&lc->cols[c], &ls->field)
                   : ls->field.kind == FIELD_SHORT && strcasecmp(ls->field.name, default_name(c)) == 0)
            at = (long)c;
    long next = at < 0 ? (dir > 0 ? 0 : (long)ncols - 1) : at + dir;
    const char *name = next < 0 || next >= (long)ncols ? ""
                       : chosen                        ? lc->cols[next].name
                                                       : default_name((size_t)next);
    if (listsort_set(a, name, 0, err, sizeof err) != 0)
        app_message(a, "%s", err);
    return RE_REDRAW;
}

const char *listsort_mark(const struct app *a, const struct field *field, int column)
{
    const struct listsort *ls = &a->sort;
    if (!ls->name[0] || ls->pending)
        return NULL;
    if (field)
        return same_field(field, &ls->field) ? arrow(ls->desc) : NULL;
    return column >= 0 && column == default_column(a) ? arrow(ls->desc) : NULL;
}

int listsort_sign(const struct app *a, char *buf, size_t cap)
{
    const struct listsort *ls = &a->sort;
    if (!ls->name[0] || ls->pending || cap == 0)
        return 0;
    snprintf(buf, cap, " sorted by %s %s ", ls->name, arrow(ls->desc));
    return draw_width(buf, strlen(buf));
}

int listsort_busy(const struct app *a)
{
    return a->sort.pending;
}

int listsort_percent(const struct app *a)
{
    const struct listsort *ls = &a->sort;
    size_t n = a->store->nevents;
    if (!ls->pending || !ls->field.px || !n)
        return 0;
    return (int)(ls->field.px->covered * 100 / n);
}

int listsort_work(struct app *a, double seconds)
{
    struct listsort *ls = &a->sort;
    if (!ls->pending)
        return 1;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r;
    do {
        r = field_prepare(a->store, &ls->field, 16384);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while (r == 0 && (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < seconds);
    if (r == 0)
        return 0;
    if (r < 0) {
        char err[8];
        listsort_set(a, "", 0, err, sizeof err);
        app_message(a, "out of memory while indexing the path: the list is in time order");
        return 1;
    }
    size_t sel = app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX;
    size_t row_on_screen = a->list.cur - a->list.top;
    listsort_reorder(a);
    place(a, sel, row_on_screen);
    say(a);
    return 1;
}

void listsort_free(struct app *a)
{
    struct listsort *ls = &a->sort;
    if (ls->name[0])
        field_free(&ls->field);
    ls->name[0] = '\0';
    drop_order(ls);
    drop_ranks(ls);
}
