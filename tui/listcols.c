/* listcols: the event list's chosen columns. See listcols.h. */
#include "tui/listcols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/identity/origin.h"
#include "model/query/columns.h"
#include "model/state/colstate.h"
#include "tui/app.h"
#include "tui/listsort.h"
#include "tui/draw.h"
#include "tui/theme.h"

/* Widest a column grows to fit its content; a cell wider is cut with an ellipsis. */
#define COL_CAP 48
#define COL_MIN 3

struct listcols *listcols_of(const struct app *a)
{
    return app_pane_state(a, PANE_LIST);
}

/* Parses spec into lc; returns 0, or -1 with err filled. */
static int apply(struct listcols *lc, const char *spec, char *err, size_t cap)
{
    const char *p = spec;
    while (*p == ' ')
        p++;
    struct field *cols = NULL;
    size_t n = 0;
    if (*p) {
        struct field_error ferr;
        if (field_list_parse(p, &cols, &n, &ferr) != 0) {
            snprintf(err, cap, "%s", ferr.message);
            return -1;
        }
    }
    field_list_free(lc->cols, lc->ncols);
    lc->cols = cols;
    lc->ncols = n;
    lc->first = 0;
    strlcpy(lc->spec, p, sizeof lc->spec);
    return 0;
}

static void remember(struct app *a, const char *spec)
{
    char *path = a->no_state ? NULL : colstate_path(), *err = NULL;
    if (path && colstate_save(path, spec, &err) != 0)
        app_message(a, "%s", err ? err : "cannot remember the columns");
    free(err);
    free(path);
}

int listcols_init(struct app *a, struct listcols *lc)
{
    path_values_init(&lc->v);
    char *path = a->no_state ? NULL : colstate_path(), *err = NULL;
    char spec[PROMPT_MAX], why[400];
    if (path && colstate_load(path, spec, sizeof spec, &err) == 0) {
        if (spec[0] && apply(lc, spec, why, sizeof why) != 0)
            app_message(a, "remembered columns ignored: %s", why);
    } else if (path) {
        app_message(a, "%s", err ? err : "cannot read the remembered columns");
    }
    free(err);
    free(path);
    return 0;
}

void listcols_release(struct listcols *lc)
{
    field_list_free(lc->cols, lc->ncols);
    lc->cols = NULL;
    lc->ncols = 0;
    path_values_free(&lc->v);
}

int listcols_set(struct app *a, const char *spec, char *err, size_t cap)
{
    struct listcols *lc = listcols_of(a);
    if (!lc || apply(lc, spec, err, cap) != 0)
        return -1;
    remember(a, lc->spec);
    listsort_refresh(a); /* a default column sorts by what it shows, a chosen one by the field's values */
    return 0;
}

int listcols_add(struct app *a, const char *name, char *err, size_t cap)
{
    struct listcols *lc = listcols_of(a);
    if (!lc)
        return -1;
    /* the default layout's columns first, by their fields' short names, when it was in force */
    char spec[PROMPT_MAX] = "";
    size_t used = 0;
    for (int c = 0; !lc->ncols && c < COL_SHOWN; c++)
        used +=
            (size_t)snprintf(spec + used, sizeof spec - used, "%s,", column_get((enum column_id)c)->field);
    int n = snprintf(spec + used, sizeof spec - used, "%s%s%s", lc->ncols ? lc->spec : "",
                     lc->ncols ? "," : "", name);
    n += (int)used;
    if (n < 0 || (size_t)n >= sizeof spec) {
        snprintf(err, cap, "too many columns");
        return -1;
    }
    if (listcols_set(a, spec, err, cap) != 0)
        return -1;
    /* show the new column: scroll so it is the last on screen at least */
    lc->first = lc->ncols > 1 ? lc->ncols - 1 : 0;
    return 0;
}

/* The title of column c into buf: its name, and the zone of a time ("time Europe/Paris", as the
 * default layout's Time column). Returns its length. */
static size_t col_title(const struct app *a, const struct listcols *lc, size_t c, char *buf, size_t cap)
{
    int n = field_is_time(&lc->cols[c]) && !a->tz.utc
                ? snprintf(buf, cap, "%s %s", lc->cols[c].name, a->tz.name)
                : snprintf(buf, cap, "%s", lc->cols[c].name);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The cell text of column c for event ev: the field's text (borrowed from lc->v), "" when missing or
 * unreadable. */
static const char *cell(struct app *a, struct listcols *lc, size_t c, size_t ev, size_t *len)
{
    if (field_is_time(&lc->cols[c])) {
        /* in the zone shown, its offset said (only the thread that draws calls this) */
        static char when[TZ_BUF];
        tz_format_full(&a->tz, a->store->events[ev].time_ms, when);
        *len = strlen(when);
        return when;
    }
    char *err = NULL;
    int n = field_text(a->store, ev, &lc->cols[c], &lc->v, len, &err);
    free(err);
    return n > 0 ? lc->v.text : "";
}

void listcols_layout(struct app *a, struct listcols *lc, const size_t *rows, size_t nrows, int w, int *widths)
{
    /* an origin column reads the store's origins: current for the events loaded so far (as origin:) */
    for (size_t c = 0; c < lc->ncols; c++)
        if ((field_needs(&lc->cols[c]) & FIELD_NEEDS_ORIGINS) && origins_ensure(a->store, NULL) != 0) {
            app_message(a, "out of memory while tracing origins");
            break;
        }
    if (lc->first >= lc->ncols)
        lc->first = lc->ncols ? lc->ncols - 1 : 0;
    int x = 0;
    for (size_t c = 0; c < lc->ncols; c++) {
        widths[c] = 0;
        if (c < lc->first || x >= w)
            continue;
        /* the header, and the sort's mark after it (one column) */
        char title[PATH_MAX_LEN + TZ_NAME_MAX + 8];
        int want = draw_width(title, col_title(a, lc, c, title, sizeof title)) +
                   (listsort_mark(a, &lc->cols[c], -1) != NULL);
        for (size_t r = 0; r < nrows && want < COL_CAP; r++) {
            size_t len;
            const char *t = cell(a, lc, c, rows[r], &len);
            int cw = draw_width(t, len);
            want = cw > want ? cw : want;
        }
        want = want > COL_CAP ? COL_CAP : want < COL_MIN ? COL_MIN : want;
        int room = w - x;
        if (room < COL_MIN)
            break;
        widths[c] = want < room ? want : room;
        x += widths[c] + 1;
    }
}

void listcols_draw_header(struct app *a, struct listcols *lc, int y, int x, int w, const int *widths)
{
    (void)w;
    attr_t head = theme_attr(R_HEADER);
    for (size_t c = 0; c < lc->ncols; c++) {
        if (!widths[c])
            continue;
        const char *mark = listsort_mark(a, &lc->cols[c], -1);
        char title[PATH_MAX_LEN + TZ_NAME_MAX + 16];
        size_t tl = col_title(a, lc, c, title, sizeof title);
        snprintf(title + tl, sizeof title - tl, "%s", mark ? mark : "");
        draw_cut(a->win, y, x, widths[c], title, strlen(title), head, NULL);
        x += widths[c] + 1;
    }
}

void listcols_draw_row(struct app *a, struct listcols *lc, size_t ev, int y, int x, const int *widths,
                       attr_t attr)
{
    for (size_t c = 0; c < lc->ncols; c++) {
        if (!widths[c])
            continue;
        size_t len;
        const char *t = cell(a, lc, c, ev, &len);
        struct draw_marks m = {&a->bar.marks, t, len};
        draw_cut(a->win, y, x, widths[c], t, len, attr, &m);
        x += widths[c] + 1;
    }
}
