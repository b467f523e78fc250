/* The case view (:case): every event the case holds (tui/casefile.h), those loaded first in time order,
 * then those this run has not loaded, which the case keeps: the mark, the tags and the notes of each.
 * Enter on a loaded one selects it in the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/query/evcase.h"
#include "tui/app.h"
#include "tui/casefile.h"
#include "tui/draw.h"
#include "tui/rows.h"
#include "tui/theme.h"

/* The pane's state: the rows, made at the first draw after the store changed. */
struct case_pane {
    struct scroll s;
    int hscroll;
    int built;
    size_t *entry; /* owned: the case entry of each row */
    size_t *ev;    /* owned: its store event, SIZE_MAX when not loaded */
    size_t n, loaded;
};

static void case_pane_free(void *st)
{
    struct case_pane *cp = st;
    free(cp->entry);
    free(cp->ev);
    cp->entry = cp->ev = NULL;
    cp->n = cp->loaded = 0;
    cp->built = 0;
}

/* The rows: one pass over the store finds the loaded entries (in time order), then the others. */
static int build(struct app *a, struct case_pane *cp, const struct ctcase *c)
{
    case_pane_free(cp);
    cp->built = 1;
    size_t *ev_of = malloc((c->n ? c->n : 1) * sizeof *ev_of);
    cp->entry = malloc((c->n ? c->n : 1) * sizeof *cp->entry);
    cp->ev = malloc((c->n ? c->n : 1) * sizeof *cp->ev);
    if (!ev_of || !cp->entry || !cp->ev) {
        free(ev_of);
        return -1;
    }
    for (size_t i = 0; i < c->n; i++)
        ev_of[i] = SIZE_MAX;
    for (size_t ev = 0; ev < a->store->nevents; ev++) {
        const struct case_entry *e = evcase_entry(a->store, ev);
        if (e && ev_of[e - c->v] == SIZE_MAX) {
            ev_of[e - c->v] = ev;
            cp->entry[cp->n] = (size_t)(e - c->v);
            cp->ev[cp->n++] = ev;
        }
    }
    cp->loaded = cp->n;
    for (size_t i = 0; i < c->n; i++)
        if (ev_of[i] == SIZE_MAX && case_get(c, c->v[i].event)) {
            cp->entry[cp->n] = i;
            cp->ev[cp->n++] = SIZE_MAX;
        }
    free(ev_of);
    return 0;
}

static void case_row(struct app *a, void *st, const struct rows_item *it)
{
    const struct case_pane *cp = st;
    const struct case_entry *e = &app_case()->v[cp->entry[it->i]];
    char line[4096];
    size_t n = (size_t)snprintf(line, sizeof line, "%s %-50s %s", e->marked ? "*" : " ", e->event,
                                cp->ev[it->i] == SIZE_MAX ? "(not loaded) " : "");
    for (size_t k = 0; k < e->ntags && n < sizeof line; k++)
        n += (size_t)snprintf(line + n, sizeof line - n, "#%s ", e->tags[k]);
    for (size_t k = 0; k < e->nnotes && n < sizeof line; k++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s\"%s\"", k ? " " : "", e->notes[k]);
    n = n < sizeof line ? n : sizeof line - 1;
    attr_t at = it->selected ? it->at : theme_attr(cp->ev[it->i] == SIZE_MAX ? R_TITLE : R_NORMAL);
    draw_text(a->win, it->y, it->x, it->w, line, n, at, cp->hscroll, 1);
}

static void case_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct case_pane *cp = st;
    const struct ctcase *c = app_case();
    if (c && !cp->built && build(a, cp, c) != 0)
        app_message(a, "out of memory");
    char head[320];
    snprintf(head, sizeof head, " Case '%s': %zu event%s, %zu not loaded%s   Enter: select   Esc: back",
             c ? c->name : "-", cp->n, cp->n == 1 ? "" : "s", cp->n - cp->loaded,
             casefile_saves() ? "" : " (not saved)");
    draw_str(a->win, r.y, r.x, r.w, head, theme_attr(R_HEADER));
    if (!cp->n) {
        draw_str(a->win, r.y + 1, r.x, r.w, " No mark, tag or note yet: Space, :note, :tag.",
                 theme_attr(R_NORMAL));
        return;
    }
    struct rows v = {&cp->s, cp->n, {r.y + 1, r.x, r.h - 1, r.w}, theme_attr(R_SELECTED)};
    rows_draw(a, &v, case_row, cp);
}

static enum reaction case_key(struct app *a, void *st, const struct keypress *k)
{
    struct case_pane *cp = st;
    if (k->act == ACT_LEFT || k->act == ACT_RIGHT) {
        cp->hscroll += k->act == ACT_RIGHT ? 8 : -8;
        if (cp->hscroll < 0)
            cp->hscroll = 0;
        return RE_REDRAW;
    }
    if (k->act == ACT_ENTER && cp->s.cur < cp->n) {
        size_t ev = cp->ev[cp->s.cur];
        if (ev == SIZE_MAX) {
            app_message(a, "not loaded by this run: the case keeps it");
            return RE_REDRAW;
        }
        app_close(a, PANE_CASE);
        app_select_event(a, ev);
        return RE_REDRAW;
    }
    return scroll_move(&cp->s, cp->n, k->page, k->act);
}

static int case_open(struct app *a, void *st)
{
    (void)a;
    case_pane_free(st); /* the case may have changed since: made again at the draw */
    return 0;
}

const struct pane_ops pane_case_ops = {
    .name = "case",
    .place = PLACE_OVERLAY,
    .toggle = ACT_NONE,
    .size = sizeof(struct case_pane),
    .free = case_pane_free,
    .open = case_open,
    .draw = case_draw,
    .key = case_key,
    .reset_on = CHANGED_STORE, /* the rows hold event indexes */
};
