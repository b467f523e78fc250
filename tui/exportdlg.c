/* The export dialog (e) and marks (space, M, U): which events leave ctview, where, and how.
 *
 * The dialog sits above the status line: a path (editable, defaulting to a time-stamped name in the
 * current directory whose extension follows the format until the user edits it), the format, gzip,
 * and what is exported: the marked events, or every shown event when none is marked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/export.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/view.h"

enum { ROW_PATH, ROW_FORMAT, ROW_GZIP, ROWS };

int marks_ensure(struct app *a)
{
    if (!a->marks && a->store->nevents)
        a->marks = calloc(a->store->nevents, 1);
    return a->marks || !a->store->nevents ? 0 : -1;
}

enum reaction marks_toggle(struct app *a)
{
    size_t n = app_count(a);
    if (!n || marks_ensure(a) != 0)
        return RE_NONE;
    size_t ev = app_event(a, a->list.cur);
    a->marks[ev] = !a->marks[ev];
    a->nmarked += a->marks[ev] ? 1 : (size_t)-1;
    if (a->list.cur + 1 < n)
        a->list.cur++;
    return RE_REDRAW;
}

enum reaction marks_all_shown(struct app *a)
{
    size_t n = app_count(a);
    if (!n || marks_ensure(a) != 0)
        return RE_NONE;
    for (size_t row = 0; row < n; row++) {
        size_t ev = app_event(a, row);
        if (!a->marks[ev]) {
            a->marks[ev] = 1;
            a->nmarked++;
        }
    }
    app_message(a, "%zu marked", a->nmarked);
    return RE_REDRAW;
}

enum reaction marks_clear(struct app *a)
{
    if (a->marks)
        memset(a->marks, 0, a->store->nevents);
    a->nmarked = 0;
    app_message(a, "marks cleared");
    return RE_REDRAW;
}

static void default_path(struct app *a)
{
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(a->exp.base, sizeof a->exp.base, "ctview-export-%s", stamp);
}

/* Keeps the default name's extension in step with the format until the user edits the path. */
static void update_path(struct app *a)
{
    if (a->exp.path_edited)
        return;
    char path[PROMPT_MAX];
    snprintf(path, sizeof path, "%s%s", a->exp.base, export_extension(a->exp.format, a->exp.gzip));
    prompt_open(&a->exp.path, path, NULL);
}

enum reaction export_open(struct app *a)
{
    if (!app_count(a) && !a->nmarked) {
        app_message(a, "nothing to export: no event is shown");
        return RE_REDRAW;
    }
    a->exp.open = 1;
    a->exp.row = ROW_PATH;
    a->exp.confirm = 0;
    a->exp.error[0] = '\0';
    if (!a->exp.base[0] || !a->exp.path_edited) {
        default_path(a);
        a->exp.path_edited = 0;
        update_path(a);
    }
    curs_set(1);
    return RE_REDRAW;
}

static void export_close(struct app *a)
{
    a->exp.open = 0;
    a->exp.confirm = 0;
    curs_set(0);
}

/* The events to write, in time order: the marked ones, else the shown ones. Owned by the caller. */
static uint32_t *chosen(struct app *a, size_t *n)
{
    size_t count = a->nmarked ? a->nmarked : app_count(a);
    uint32_t *idx = malloc((count ? count : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    *n = 0;
    if (a->nmarked) {
        for (size_t ev = 0; ev < a->store->nevents && *n < count; ev++)
            if (a->marks[ev])
                idx[(*n)++] = (uint32_t)ev;
    } else {
        for (size_t row = 0; row < count; row++)
            idx[(*n)++] = (uint32_t)app_event(a, row);
    }
    return idx;
}

static void write_now(struct app *a, int force)
{
    size_t n;
    uint32_t *idx = chosen(a, &n);
    if (!idx) {
        snprintf(a->exp.error, sizeof a->exp.error, "out of memory");
        return;
    }
    const char *path = a->exp.path.buf;
    struct export_opts o = {a->exp.format, a->exp.gzip, force};
    char *err = NULL;
    enum export_status r = export_events(a->store, idx, n, path, &o, &err);
    free(idx);
    if (r == EXPORT_EXISTS) {
        a->exp.confirm = 1;
        a->exp.error[0] = '\0';
        return;
    }
    if (r == EXPORT_FAILED) {
        a->exp.confirm = 0;
        snprintf(a->exp.error, sizeof a->exp.error, "%s", err ? err : "out of memory");
        free(err);
        return;
    }
    export_close(a);
    app_message(a, "wrote %zu event%s to %s (%s%s)", n, n == 1 ? "" : "s", path, export_format_name(o.format),
                o.gzip ? ", gzip" : "");
}

enum reaction export_key(struct app *a, int ch)
{
    if (a->exp.confirm) {
        if (ch == 'y' || ch == 'Y')
            write_now(a, 1);
        else
            a->exp.confirm = 0;
        return RE_REDRAW;
    }
    switch (ch) {
    case 27:
        export_close(a);
        return RE_REDRAW;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (!a->exp.path.buf[0]) {
            snprintf(a->exp.error, sizeof a->exp.error, "give a file name");
            return RE_REDRAW;
        }
        write_now(a, 0);
        return RE_REDRAW;
    case KEY_UP:
    case KEY_BTAB:
        a->exp.row = (a->exp.row + ROWS - 1) % ROWS;
        return RE_REDRAW;
    case KEY_DOWN:
    case '\t':
        a->exp.row = (a->exp.row + 1) % ROWS;
        return RE_REDRAW;
    default:
        break;
    }
    a->exp.error[0] = '\0';
    if (a->exp.row == ROW_PATH) {
        if (prompt_key(&a->exp.path, ch) == PR_EDITED)
            a->exp.path_edited = 1;
        return RE_REDRAW;
    }
    int dir = (ch == KEY_LEFT || ch == 'h') ? -1 : (ch == KEY_RIGHT || ch == 'l' || ch == ' ') ? 1 : 0;
    if (!dir)
        return RE_NONE;
    if (a->exp.row == ROW_FORMAT)
        a->exp.format = (enum export_format)((a->exp.format + EXPORT__COUNT + dir) % EXPORT__COUNT);
    else
        a->exp.gzip = !a->exp.gzip;
    update_path(a);
    return RE_REDRAW;
}

int export_rows(const struct app *a)
{
    return a->exp.open ? 6 : 0;
}

void export_draw(struct app *a, int y)
{
    attr_t normal = theme_attr(R_NORMAL), title = theme_attr(R_TITLE), sel = theme_attr(R_SELECTED);
    for (int i = 0; i < 6; i++)
        draw_fill(a->win, y + i, 0, a->cols, normal);
    char head[160];
    size_t shown = app_count(a);
    if (a->nmarked)
        snprintf(head, sizeof head, " Export the %zu marked event%s", a->nmarked, a->nmarked == 1 ? "" : "s");
    else
        snprintf(head, sizeof head, " Export all %zu shown event%s (nothing is marked)", shown,
                 shown == 1 ? "" : "s");
    draw_str(a->win, y, 0, a->cols, head, theme_attr(R_HEADER));
    static const char *const labels[ROWS] = {" Path   ", " Format ", " Gzip   "};
    for (int r = 0; r < ROWS; r++)
        draw_str(a->win, y + 1 + r, 0, 8, labels[r], a->exp.row == r ? sel : title);
    int x = 9;
    for (int f = 0; f < EXPORT__COUNT; f++) {
        char item[32];
        int on = (int)a->exp.format == f;
        snprintf(item, sizeof item, on ? "[%s]" : " %s ", export_format_name((enum export_format)f));
        x += draw_text(a->win, y + 2, x, a->cols - x, item, strlen(item), on ? title : normal, 0, 0) + 1;
    }
    draw_str(a->win, y + 3, 9, a->cols - 9, a->exp.gzip ? "[x] on" : "[ ] off", normal);
    const char *help =
        a->exp.confirm ? NULL : " Enter: write   Tab/Up/Down: field   Left/Right/Space: change   Esc: cancel";
    if (a->exp.confirm) {
        char q[PROMPT_MAX + 64];
        snprintf(q, sizeof q, " %s exists. Overwrite it? (y/n)", a->exp.path.buf);
        draw_text(a->win, y + 4, 0, a->cols, q, strlen(q), theme_attr(R_ERROR), 0, 1);
    } else if (a->exp.error[0]) {
        draw_str(a->win, y + 4, 0, a->cols, a->exp.error, theme_attr(R_ERROR));
    }
    if (help)
        draw_str(a->win, y + 5, 0, a->cols, help, title);
    /* the path last, so the cursor ends up in it */
    prompt_draw(&a->exp.path, a->win, y + 1, 9, a->cols - 9, "", a->exp.row == ROW_PATH ? normal : normal);
    if (a->exp.row != ROW_PATH || a->exp.confirm)
        wmove(a->win, y + 1 + a->exp.row, 0);
}
