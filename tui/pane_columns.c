/* The column chooser (C): the list's columns as a comma-separated line of short names and JSON paths,
 * edited in a prompt above the status line. Tab completes the name being typed from the short names,
 * then the paths seen in the shown events, most common first (Tab again: the next one). Enter shows the
 * columns and remembers them for the next run; an empty line goes back to the default layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/query/field.h"
#include "model/index/pathseen.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/listcols.h"
#include "tui/theme.h"

/* Events sampled for the paths seen: enough for the rare paths of common calls, quick on any store. */
#define SAMPLE 2000

struct chooser {
    struct prompt line;
    struct pathseen seen;
    int have_seen;
    char stem[PROMPT_MAX]; /* the name being completed, as typed before the first Tab */
    size_t stem_at;        /* where that name starts in the line */
    size_t next;           /* the candidate the next Tab takes */
    int completing;
    char error[400];
};

static void cols_free(void *st)
{
    struct chooser *c = st;
    if (c->have_seen)
        pathseen_free(&c->seen);
    c->have_seen = 0;
}

static int cols_open(struct app *a, void *st)
{
    struct chooser *c = st;
    struct listcols *lc = listcols_of(a);
    prompt_open(&c->line, lc ? lc->spec : "", NULL);
    c->error[0] = '\0';
    c->completing = 0;
    if (c->have_seen)
        pathseen_free(&c->seen);
    c->have_seen = pathseen_collect(a->store, a->shown.idx, app_count(a), SAMPLE, &c->seen) ==
                   0; /* none: no completion */
    curs_set(1);
    return 0;
}

static void cols_close(struct app *a, void *st)
{
    (void)a;
    (void)st;
    curs_set(0);
}

/* Candidate k for stem (short names first, then the paths seen), or NULL past the last. */
static const char *candidate(const struct chooser *c, const char *stem, size_t k)
{
    size_t len = strlen(stem);
    const char *names = field_short_names();
    for (const char *p = names; *p;) {
        size_t n = strcspn(p, " ");
        if (n >= len && strncasecmp(p, stem, len) == 0 && k-- == 0) {
            static char word[32];
            snprintf(word, sizeof word, "%.*s", (int)n, p);
            return word;
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    for (size_t i = 0; c->have_seen && i < c->seen.n; i++) {
        const char *path = pathseen_name(&c->seen, i);
        if (strncmp(path, stem, len) == 0 && k-- == 0)
            return path;
    }
    return NULL;
}

/* Tab: replaces the name being typed (after the last ',') by the next candidate. */
static void complete(struct chooser *c)
{
    if (!c->completing) {
        const char *comma = strrchr(c->line.buf, ',');
        c->stem_at = comma ? (size_t)(comma - c->line.buf) + 1 : 0;
        snprintf(c->stem, sizeof c->stem, "%s", c->line.buf + c->stem_at);
        c->next = 0;
        c->completing = 1;
    }
    const char *cand = candidate(c, c->stem, c->next);
    if (!cand) {
        c->next = 0; /* past the last: back to what was typed */
        cand = c->stem;
    } else {
        c->next++;
    }
    char text[2 * PROMPT_MAX]; /* prompt_open keeps what fits */
    snprintf(text, sizeof text, "%.*s%s", (int)c->stem_at, c->line.buf, cand);
    prompt_open(&c->line, text, NULL);
}

static enum reaction cols_key(struct app *a, void *st, const struct keypress *k)
{
    struct chooser *c = st;
    switch (k->ch) {
    case 27:
        app_close(a, PANE_COLUMNS);
        return RE_REDRAW;
    case '\t':
        complete(c);
        return RE_REDRAW;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (listcols_set(a, c->line.buf, c->error, sizeof c->error) != 0)
            return RE_REDRAW;
        app_close(a, PANE_COLUMNS);
        struct listcols *lc = listcols_of(a);
        app_message(a, lc && lc->ncols ? "%zu columns (h/l scroll sideways; remembered)" : "default columns",
                    lc ? lc->ncols : 0);
        return RE_REDRAW;
    default:
        break;
    }
    c->completing = 0;
    c->error[0] = '\0';
    return prompt_key(&c->line, k->ch) == PR_NONE ? RE_UNHANDLED : RE_REDRAW;
}

static void cols_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct chooser *c = st;
    attr_t normal = theme_attr(R_NORMAL), title = theme_attr(R_TITLE);
    for (int i = 0; i < 3; i++)
        draw_fill(a->win, r.y + i, 0, a->cols, normal);
    draw_str(a->win, r.y, 0, a->cols,
             " Columns: short names and JSON paths, comma-separated   Tab: complete   Enter: show   "
             "empty: default   Esc: cancel",
             theme_attr(R_HEADER));
    if (c->error[0]) {
        draw_str(a->win, r.y + 2, 0, a->cols, c->error, theme_attr(R_ERROR));
    } else {
        /* what Tab offers for the name being typed */
        const char *comma = strrchr(c->line.buf, ',');
        const char *stem = c->completing ? c->stem : comma ? comma + 1 : c->line.buf;
        char list[1024];
        size_t at = (size_t)snprintf(list, sizeof list, " ");
        for (size_t i = 0; at < sizeof list - 1 && i < 12; i++) {
            const char *cand = candidate(c, stem, i);
            if (!cand)
                break;
            at += (size_t)snprintf(list + at, sizeof list - at, "%s  ", cand);
        }
        draw_text(a->win, r.y + 2, 0, a->cols, list,
                  strlen(list) < sizeof list ? strlen(list) : sizeof list - 1, title, 0, 0);
    }
    prompt_draw(&c->line, a->win, r.y + 1, 0, a->cols, " columns: ", normal);
}

const struct pane_ops pane_columns_ops = {
    .name = "columns",
    .place = PLACE_DIALOG,
    .toggle = ACT_COLUMNS,
    .height = 3,
    .size = sizeof(struct chooser),
    .free = cols_free,
    .open = cols_open,
    .close = cols_close,
    .draw = cols_draw,
    .key = cols_key,
};
