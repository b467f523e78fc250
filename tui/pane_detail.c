/* The detail pane: the selected event's original JSON, laid out, coloured, foldable and scrollable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/detect/findings.h"
#include "model/query/evcase.h"
#include "model/store/evtext.h"
#include "model/json/jsonfmt.h"
#include "model/base/timefmt.h"
#include "tui/draw.h"
#include "tui/pane_findings.h"
#include "tui/rows.h"
#include "tui/theme.h"
#include "tui/app.h"
#include "tui/listcols.h"
#include "tui/yank.h"

static const enum role class_roles[] = {
    [JC_PUNCT] = R_J_PUNCT,   [JC_KEY] = R_J_KEY,         [JC_STRING] = R_J_STRING,
    [JC_NUMBER] = R_J_NUMBER, [JC_LITERAL] = R_J_LITERAL, [JC_OTHER] = R_ERROR,
};

/* The pane's state: the document of one event, its folds and the cursor in it. */
struct detail {
    size_t event; /* store index of the event the doc was made for, SIZE_MAX for none */
    struct json_doc doc;
    char *error;           /* why the event's bytes could not be shown (owned) */
    unsigned char *folded; /* owned: one flag per doc line */
    size_t *visible;       /* owned: doc line of each visible line, after folding */
    size_t nvisible;
    struct scroll s;
    int hscroll;
};

/* Releases the document (rebuilt at the next draw). */
static void forget(void *st)
{
    struct detail *d = st;
    jsonfmt_free(&d->doc);
    free(d->error);
    free(d->folded);
    free(d->visible);
    d->error = NULL;
    d->folded = NULL;
    d->visible = NULL;
    d->nvisible = 0;
    d->event = SIZE_MAX;
}

/* Recomputes which doc lines show, given the folds. */
static void refold(struct detail *d)
{
    const struct json_doc *doc = &d->doc;
    d->nvisible = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        d->visible[d->nvisible++] = i;
        if (d->folded[i] && doc->lines[i].close > (int32_t)i)
            i = (size_t)doc->lines[i].close;
    }
}

static int detail_create(struct app *a, void *st)
{
    (void)a;
    ((struct detail *)st)->event = SIZE_MAX;
    return 0;
}

/* Rebuilds the document for the selected event when the selection changed. */
static void detail_sync(struct app *a, struct detail *d)
{
    struct store *s = a->store;
    if (!app_count(a) || d->event == app_event(a, a->list.cur))
        return;
    forget(d);
    d->event = app_event(a, a->list.cur);
    d->s = (struct scroll){0, 0};
    d->hscroll = 0;
    size_t len;
    char *err = NULL;
    const char *raw = store_raw(s, &s->events[d->event], &len, &err);
    if (!raw) {
        d->error = err ? err : strdup("cannot read the event");
        return;
    }
    if (jsonfmt_pretty(raw, len, 2, &d->doc) != 0) {
        d->error = strdup("out of memory");
        return;
    }
    size_t n = d->doc.nlines;
    d->folded = calloc(n ? n : 1, 1);
    d->visible = malloc((n ? n : 1) * sizeof *d->visible);
    if (!d->folded || !d->visible) {
        size_t ev = d->event;
        forget(d);
        d->event = ev;
        d->error = strdup("out of memory");
        return;
    }
    refold(d);
}

static void json_row(struct app *a, void *st, const struct rows_item *it)
{
    const struct detail *det = st;
    const struct json_doc *d = &det->doc;
    size_t line = det->visible[it->i];
    const struct json_line *l = &d->lines[line];
    attr_t sel = it->selected ? A_REVERSE : 0;
    int y = it->y;
    struct rect r = {it->y, it->x, 1, it->w};
    /* draw runs of one class at a time, keeping track of the columns already used */
    int col = 0, skip = det->hscroll;
    /* matches are found in the whole line: one may cross colours (a value and its quotes) */
    struct draw_marks marks = {&a->bar.marks, d->text + l->off, l->len};
    size_t i = 0;
    while (i < l->len && col < r.w) {
        unsigned char c = d->cls[l->off + i];
        size_t j = i;
        while (j < l->len && d->cls[l->off + j] == c)
            j++;
        const char *text = d->text + l->off + i;
        int w = draw_width(text, j - i);
        if (skip >= w) {
            skip -= w;
        } else {
            col += draw_text_marked(a->win, y, r.x + col, r.w - col, text, j - i,
                                    theme_attr(class_roles[c]) | sel, skip, 0, &marks);
            skip = 0;
        }
        i = j;
    }
    if (det->folded[line] && l->close > (int32_t)line && col < r.w) {
        char note[48];
        snprintf(note, sizeof note, " … %d lines", l->close - (int32_t)line);
        draw_text(a->win, y, r.x + col, r.w - col, note, strlen(note), theme_attr(R_TITLE) | sel, 0, 0);
    }
}

/* The Sigma rules event ev matched, one line under the title ("Sigma: high Title; low Title"), when
 * there are any; "Sigma, attempted (failed: ERROR):" when the call failed (findings_event_attempt).
 * Returns the lines drawn. */
static int draw_rules(struct app *a, size_t ev, struct rect r)
{
    const struct findings *f = findings_of(a->store);
    size_t n;
    const uint32_t *rules = f ? findings_event_rules(f, ev, &n) : NULL;
    if (!rules || !n || r.h < 3)
        return 0;
    const struct sigma_set *set = findings_set(f);
    draw_fill(a->win, r.y, r.x, r.w, theme_attr(R_NORMAL));
    char head[96] = " Sigma:";
    if (findings_event_attempt(f, ev)) /* the error as the list's column shows it, cut */
        snprintf(head, sizeof head,
                 " Sigma, attempted (failed: %.40s):", evtext_error(a->store, &a->store->events[ev]));
    int x = r.x + draw_text(a->win, r.y, r.x, r.w, head, strlen(head), theme_attr(R_TITLE), 0, 0);
    /* the highest level first */
    for (int level = SIGMA__LEVELS - 1; level >= 0; level--)
        for (size_t k = 0; k < n && x < r.x + r.w; k++) {
            const struct sigma_rule *rule = sigma_set_rule(set, rules[k]);
            if ((int)sigma_rule_level(rule) != level)
                continue;
            char lvl[24];
            snprintf(lvl, sizeof lvl, " %s ", sigma_level_name((enum sigma_level)level));
            x += draw_text(a->win, r.y, x, r.x + r.w - x, lvl, strlen(lvl),
                           theme_attr(pane_findings_level_role(level)), 0, 0);
            const char *title = sigma_rule_title(rule);
            x += draw_text(a->win, r.y, x, r.x + r.w - x, title, strlen(title), theme_attr(R_NORMAL), 0, 0);
            x += draw_text(a->win, r.y, x, r.x + r.w - x, ";", 1, theme_attr(R_NORMAL), 0, 0);
        }
    return 1;
}

/* The case's tags and notes on event ev (tui/casefile.h), under the findings: "Tags: a b" on one line,
 * then one line a note, at most a third of the pane (the JSON stays in view), the rest counted. Returns
 * the lines drawn. */
static int draw_case(struct app *a, size_t ev, struct rect r)
{
    const struct case_entry *e = evcase_entry(a->store, ev);
    if (!e || (!e->ntags && !e->nnotes) || r.h < 4)
        return 0;
    int y = r.y, room = r.h / 3 > 1 ? r.h / 3 : 1;
    attr_t title = theme_attr(R_TITLE), normal = theme_attr(R_NORMAL);
    if (e->ntags) {
        draw_fill(a->win, y, r.x, r.w, normal);
        int x = r.x + draw_text(a->win, y, r.x, r.w, " Tags:", 6, title, 0, 0);
        for (size_t k = 0; k < e->ntags && x < r.x + r.w - 1; k++) {
            x += draw_text(a->win, y, x, r.x + r.w - x, " ", 1, normal, 0, 0);
            const char *t = e->tags[k];
            x += draw_text(a->win, y, x, r.x + r.w - x, t, strlen(t), theme_attr(R_HEADER), 0, 0);
        }
        y++;
    }
    for (size_t k = 0; k < e->nnotes && y < r.y + room; k++) {
        draw_fill(a->win, y, r.x, r.w, normal);
        int last = y + 1 == r.y + room && k + 1 < e->nnotes;
        char more[48];
        snprintf(more, sizeof more, " Note (+%zu more):", e->nnotes - k - 1);
        const char *head = " Note:";
        if (last)
            head = more;
        int x = r.x + draw_text(a->win, y, r.x, r.w, head, strlen(head), title, 0, 0);
        x += draw_text(a->win, y, x, r.x + r.w - x, " ", 1, normal, 0, 0);
        draw_cut(a->win, y, x, r.x + r.w - x, e->notes[k], strlen(e->notes[k]), normal, NULL);
        y++;
    }
    return y - r.y;
}

static void detail_draw(struct app *a, void *st, struct rect r, int focused)
{
    struct store *s = a->store;
    struct detail *d = st;
    detail_sync(a, d);
    attr_t title = theme_attr(focused ? R_HEADER : R_TITLE);
    draw_fill(a->win, r.y, r.x, r.w, title);
    if (!app_count(a)) {
        draw_str(a->win, r.y, r.x, r.w, " no event", title);
        return;
    }
    const struct event *e = &s->events[d->event];
    const struct source *src = &s->sources[e->source];
    char head[512];
    snprintf(head, sizeof head, " Event %zu/%zu  byte %llu of ", a->list.cur + 1, app_count(a),
             (unsigned long long)e->raw_off);
    int hw = draw_text(a->win, r.y, r.x, r.w, head, strlen(head), title, 0, 0);
    if (hw < r.w) /* a long path keeps its file name */
        draw_tail(a->win, r.y, r.x + hw, r.w - hw, src->path, strlen(src->path), title);
    if (d->error) {
        draw_str(a->win, r.y + 1, r.x, r.w, d->error, theme_attr(R_ERROR));
        return;
    }
    int top = r.y + 1 + draw_rules(a, d->event, (struct rect){r.y + 1, r.x, r.h - 1, r.w});
    top += draw_case(a, d->event, (struct rect){top, r.x, r.h - (top - r.y), r.w});
    int page = r.h - (top - r.y);
    if (page < 1)
        return;
    /* the cursor's line in reverse video over the JSON's colours */
    attr_t cursor = focused ? theme_attr(R_NORMAL) | A_REVERSE : 0;
    struct rows v = {&d->s, d->nvisible, {top, r.x, page, r.w}, cursor};
    rows_draw(a, &v, json_row, d);
}

static enum reaction detail_key(struct app *a, void *st, const struct keypress *k)
{
    struct detail *d = st;
    enum action act = k->act;
    if (d->error || !d->nvisible)
        return RE_UNHANDLED;
    switch (act) {
    case ACT_ENTER: {
        size_t line = d->visible[d->s.cur];
        if (d->doc.lines[line].close <= (int32_t)line)
            return RE_NONE;
        d->folded[line] = !d->folded[line];
        refold(d);
        return RE_REDRAW;
    }
    case ACT_FILTER_IN:
    case ACT_FILTER_OUT: {
        size_t line = d->visible[d->s.cur];
        const char *v;
        size_t vlen;
        enum json_class cls;
        if (jsonfmt_line_value(&d->doc, line, &v, &vlen, &cls) != 0) {
            app_message(a, "no value on this line");
            return RE_REDRAW;
        }
        char path[256], term[600];
        jsonfmt_line_path(&d->doc, line, path, sizeof path);
        filter_term_for(path, v, vlen, cls == JC_STRING, act == ACT_FILTER_OUT, term, sizeof term);
        return filterbar_add_term(a, term);
    }
    case ACT_YANK: {
        /* the value under the cursor, not the whole event (y in the list copies that) */
        char *v;
        size_t vlen;
        int got = jsonfmt_line_copy(&d->doc, d->visible[d->s.cur], &v, &vlen);
        if (got <= 0) {
            app_message(a, got < 0 ? "out of memory" : "no value on this line");
            return RE_REDRAW;
        }
        enum reaction r = yank_text(a, v, vlen, "the value");
        free(v);
        return r;
    }
    case ACT_ADD_COLUMN: {
        char path[PATH_MAX_LEN + 1], why[400];
        if (!jsonfmt_line_path(&d->doc, d->visible[d->s.cur], path, sizeof path)) {
            app_message(a, "no key on this line");
            return RE_REDRAW;
        }
        if (listcols_add(a, path, why, sizeof why) != 0)
            app_message(a, "cannot add %s: %s", path, why);
        else
            app_message(a, "column added: %s (C: choose columns)", path);
        return RE_REDRAW;
    }
    case ACT_LEFT:
        d->hscroll = d->hscroll > 8 ? d->hscroll - 8 : 0;
        return RE_REDRAW;
    case ACT_RIGHT:
        d->hscroll += 8;
        return RE_REDRAW;
    default:
        return scroll_move(&d->s, d->nvisible, k->page, act);
    }
}

const struct pane_ops pane_detail_ops = {
    .name = "detail",
    .place = PLACE_LOWER,
    .size = sizeof(struct detail),
    .create = detail_create,
    .free = forget,
    .draw = detail_draw,
    .key = detail_key,
    .reset_on = CHANGED_STORE, /* the document is of an index that may now be another event */
};
