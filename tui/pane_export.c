/* The export dialog (e): which events leave ctview, where, and how.
 *
 * The dialog sits above the status line: a path (editable, defaulting to a time-stamped name in the
 * current directory whose extension follows the format until the user edits it), the format, gzip,
 * and what is exported: the marked events, or every shown event when none is marked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/query/export.h"
#include "tui/draw.h"
#include "tui/marks.h"
#include "tui/theme.h"
#include "tui/app.h"
#include "tui/casefile.h"

enum { ROW_PATH, ROW_FORMAT, ROW_GZIP, ROWS };

/* The pane's state: the dialog's fields. */
struct exp {
    struct prompt path;
    char base[64]; /* the default name without extension */
    int path_edited;
    int format; /* enum export_format */
    int gzip;
    int row;     /* the field being changed */
    int confirm; /* asking whether to overwrite */
    char error[400];
};

static void default_path(struct exp *dlg)
{
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(dlg->base, sizeof dlg->base, "ctview-export-%s", stamp);
}

/* Keeps the default name's extension in step with the format until the user edits the path. */
static void update_path(struct exp *dlg)
{
    if (dlg->path_edited)
        return;
    char path[PROMPT_MAX];
    snprintf(path, sizeof path, "%s%s", dlg->base, export_extension(dlg->format, dlg->gzip));
    prompt_open(&dlg->path, path, NULL);
}

static int exp_open(struct app *a, void *st)
{
    struct exp *dlg = st;
    if (!app_count(a) && !a->nmarked) {
        app_message(a, "nothing to export: no event is shown");
        return -1;
    }
    dlg->row = ROW_PATH;
    dlg->confirm = 0;
    dlg->error[0] = '\0';
    if (!dlg->base[0] || !dlg->path_edited) {
        default_path(dlg);
        dlg->path_edited = 0;
        update_path(dlg);
    }
    curs_set(1);
    return 0;
}

static void exp_close(struct app *a, void *st)
{
    (void)a;
    struct exp *dlg = st;
    dlg->confirm = 0;
    curs_set(0);
}

static void write_now(struct app *a, struct exp *dlg, int force)
{
    size_t n;
    uint32_t *idx = marks_chosen(a, &n);
    if (!idx) {
        snprintf(dlg->error, sizeof dlg->error, "out of memory");
        return;
    }
    const char *path = dlg->path.buf;
    struct export_opts o = {dlg->format, dlg->gzip, force, app_case()};
    char *err = NULL;
    enum export_status r = export_events(a->store, idx, n, path, &o, &err);
    free(idx);
    if (r == EXPORT_EXISTS) {
        dlg->confirm = 1;
        dlg->error[0] = '\0';
        return;
    }
    if (r == EXPORT_FAILED) {
        dlg->confirm = 0;
        snprintf(dlg->error, sizeof dlg->error, "%s", err ? err : "out of memory");
        free(err);
        return;
    }
    app_close(a, PANE_EXPORT);
    if (r == EXPORT_PARTIAL)
        app_message(a, "wrote %s (%s%s), %s", path, export_format_name(o.format), o.gzip ? ", gzip" : "",
                    err ? err : "left out some events");
    else
        app_message(a, "wrote %zu event%s to %s (%s%s)", n, n == 1 ? "" : "s", path,
                    export_format_name(o.format), o.gzip ? ", gzip" : "");
    free(err);
}

static enum reaction exp_key(struct app *a, void *st, const struct keypress *k)
{
    struct exp *dlg = st;
    int ch = k->ch;
    if (dlg->confirm) {
        if (ch == 'y' || ch == 'Y')
            write_now(a, dlg, 1);
        else
            dlg->confirm = 0;
        return RE_REDRAW;
    }
    switch (ch) {
    case 27:
        app_close(a, PANE_EXPORT);
        return RE_REDRAW;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (!dlg->path.buf[0]) {
            snprintf(dlg->error, sizeof dlg->error, "give a file name");
            return RE_REDRAW;
        }
        if (prompt_cut(&dlg->path)) { /* a cut name would write somewhere else than typed */
            snprintf(dlg->error, sizeof dlg->error, "the name is longer than %d bytes: nothing is written",
                     PROMPT_MAX - 1);
            return RE_REDRAW;
        }
        write_now(a, dlg, 0);
        return RE_REDRAW;
    case KEY_UP:
    case KEY_BTAB:
        dlg->row = (dlg->row + ROWS - 1) % ROWS;
        return RE_REDRAW;
    case KEY_DOWN:
    case '\t':
        dlg->row = (dlg->row + 1) % ROWS;
        return RE_REDRAW;
    default:
        break;
    }
    dlg->error[0] = '\0';
    if (dlg->row == ROW_PATH) {
        enum prompt_result r = prompt_key(&dlg->path, ch);
        if (r == PR_EDITED)
            dlg->path_edited = 1;
        if (r == PR_FULL)
            snprintf(dlg->error, sizeof dlg->error,
                     "the name is longer than %d bytes: characters were refused", PROMPT_MAX - 1);
        return r == PR_NONE ? RE_UNHANDLED : RE_REDRAW;
    }
    int dir = (ch == KEY_LEFT || ch == 'h') ? -1 : (ch == KEY_RIGHT || ch == 'l' || ch == ' ') ? 1 : 0;
    if (!dir)
        return RE_UNHANDLED;
    if (dlg->row == ROW_FORMAT)
        dlg->format = (enum export_format)((dlg->format + EXPORT__COUNT + dir) % EXPORT__COUNT);
    else
        dlg->gzip = !dlg->gzip;
    update_path(dlg);
    return RE_REDRAW;
}

static void exp_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct exp *dlg = st;
    int y = r.y;
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
        draw_str(a->win, y + 1 + r, 0, 8, labels[r], dlg->row == r ? sel : title);
    int x = 9;
    for (int f = 0; f < EXPORT__COUNT; f++) {
        char item[32];
        int on = (int)dlg->format == f;
        snprintf(item, sizeof item, on ? "[%s]" : " %s ", export_format_name((enum export_format)f));
        x += draw_text(a->win, y + 2, x, a->cols - x, item, strlen(item), on ? title : normal, 0, 0) + 1;
    }
    draw_str(a->win, y + 3, 9, a->cols - 9, dlg->gzip ? "[x] on" : "[ ] off", normal);
    const char *help =
        dlg->confirm ? NULL : " Enter: write   Tab/Up/Down: field   Left/Right/Space: change   Esc: cancel";
    if (dlg->confirm) {
        char q[PROMPT_MAX + 64];
        snprintf(q, sizeof q, " %s exists. Overwrite it? (y/n)", dlg->path.buf);
        draw_text(a->win, y + 4, 0, a->cols, q, strlen(q), theme_attr(R_ERROR), 0, 1);
    } else if (dlg->error[0]) {
        draw_str(a->win, y + 4, 0, a->cols, dlg->error, theme_attr(R_ERROR));
    }
    if (help)
        draw_str(a->win, y + 5, 0, a->cols, help, title);
    /* the path last, so the cursor ends up in it */
    prompt_draw(&dlg->path, a->win, y + 1, 9, a->cols - 9, "", dlg->row == ROW_PATH ? normal : normal);
    if (dlg->row != ROW_PATH || dlg->confirm)
        wmove(a->win, y + 1 + dlg->row, 0);
}

const struct pane_ops pane_export_ops = {
    .name = "export",
    .place = PLACE_DIALOG,
    .toggle = ACT_EXPORT,
    .height = 6,
    .size = sizeof(struct exp),
    .open = exp_open,
    .close = exp_close,
    .draw = exp_draw,
    .key = exp_key,
};
