/* The overview (o): a time histogram of the shown events with failures stacked apart, and the most
 * frequent event names, identities, source IPs, accounts, regions and errors. Both follow the filter.
 * Enter on a bucket keeps only its time range; Enter on a value adds field:value to the filter. f puts
 * any field or JSON path in the selected section instead (requestParameters.roleArn: which roles were
 * assumed); an empty answer gives the section back its own field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/query/field.h"
#include "model/query/fieldtop.h"
#include "model/query/overview.h"
#include "model/index/pathindex.h"
#include "model/base/timefmt.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/app.h"

#define HIST_ROWS 8
#define TOP       50

/* The pane's state: the histogram and summary of the shown set, and the cursor in them. */
struct ov {
    struct histogram h;
    struct summary sum;
    int valid, width, focus; /* valid: h and sum are of the shown set; focus: 0 histogram, 1 summary */
    size_t bucket, row;
    int field, rows_each;
    /* sections showing a chosen field or path instead of their own */
    struct field chosen[SUM__COUNT]; /* owned when has[] */
    int has[SUM__COUNT];
    struct fieldtop top[SUM__COUNT]; /* owned: of the shown set, when has[] and valid and not pending[] */
    int pending[SUM__COUNT];         /* the chosen path's index is being built (first use): top[] empty */
    int asking;                      /* the prompt for a section's field is open */
    struct prompt ask;
};

static void forget(void *st)
{
    struct ov *ov = st;
    histogram_free(&ov->h);
    summary_free(&ov->sum);
    for (int f = 0; f < SUM__COUNT; f++) {
        fieldtop_free(&ov->top[f]);
        ov->pending[f] = 0;
    }
    ov->valid = 0;
}

/* Section f's field and its counts: its own, or the chosen field's. */
static struct field *section_field(struct ov *ov, int f)
{
    return ov->has[f] ? &ov->chosen[f] : &ov->sum.fields[f];
}

static const struct fieldtop *section_top(const struct ov *ov, int f)
{
    return ov->has[f] ? &ov->top[f] : &ov->sum.tops[f];
}

static size_t section_rows(const struct ov *ov, int f)
{
    return section_top(ov, f)->nrows;
}

/* What the state owns, when the pane goes: the computed sections and the chosen fields. */
static void ov_release(void *st)
{
    struct ov *ov = st;
    forget(ov);
    for (int f = 0; f < SUM__COUNT; f++)
        if (ov->has[f])
            field_free(&ov->chosen[f]);
}

/* Computed again at the next draw. */
static void ov_changed(struct app *a, void *st, unsigned what)
{
    (void)a;
    (void)what;
    forget(st);
}

/* Counts the chosen field of section f, unless its path's index is still being built (a first use, on
 * worker threads): then the section waits, and the loop draws again soon. 0, or -1 when out of memory. */
static int sync_chosen(struct app *a, struct ov *ov, int f)
{
    int r = field_prepare(a->store, &ov->chosen[f], 1 << 20);
    ov->pending[f] = r == 0;
    if (r == 0)
        a->redraw_soon = 1;
    if (r != 1)
        return r;
    return fieldtop_build(a->store, &ov->chosen[f], a->shown.idx, app_count(a), TOP, &ov->top[f]);
}

/* Recomputes when the shown set (see ov_changed) or the width changed. */
static int sync_overview(struct app *a, struct ov *ov, int width)
{
    int failed = 0;
    if (ov->valid && ov->width == width) {
        for (int f = 0; f < SUM__COUNT && !failed; f++)
            if (ov->has[f] && ov->pending[f])
                failed = sync_chosen(a, ov, f) != 0;
    } else {
        forget(ov);
        const uint32_t *idx = a->shown.idx;
        size_t n = app_count(a);
        failed = histogram_build(a->store, idx, n, (size_t)(width > 1 ? width : 1), &ov->h) != 0 ||
                 summary_build(a->store, idx, n, TOP, &ov->sum) != 0;
        for (int f = 0; f < SUM__COUNT && !failed; f++)
            if (ov->has[f])
                failed = sync_chosen(a, ov, f) != 0;
    }
    if (failed) {
        forget(ov);
        app_message(a, "out of memory for the overview");
        return -1;
    }
    ov->valid = 1;
    ov->width = width;
    if (ov->bucket >= ov->h.nbuckets)
        ov->bucket = ov->h.nbuckets ? ov->h.nbuckets - 1 : 0;
    return 0;
}

static void draw_histogram(struct app *a, const struct ov *ov, int y, int x, int w, int focused)
{
    const struct histogram *h = &ov->h;
    const char *full = draw_utf8() ? "█" : "#", *fail = draw_utf8() ? "▒" : "!";
    attr_t ok_at = theme_attr(R_J_KEY), err_at = theme_attr(R_ERROR);
    for (size_t b = 0; b < h->nbuckets && (int)b < w; b++) {
        int tot = h->max ? (int)((h->total[b] * (uint64_t)HIST_ROWS + h->max - 1) / h->max) : 0;
        int err = h->max ? (int)((h->errors[b] * (uint64_t)HIST_ROWS + h->max - 1) / h->max) : 0;
        int cursor = focused && b == ov->bucket;
        for (int r = 0; r < HIST_ROWS; r++) {
            int level = HIST_ROWS - r; /* from the top row down */
            const char *glyph = level <= err ? fail : level <= tot ? full : " ";
            attr_t at = level <= err ? err_at : ok_at;
            if (cursor)
                at |= A_REVERSE;
            draw_text(a->win, y + r, x + (int)b, 1, glyph, strlen(glyph), at, 0, 0);
        }
    }
}

/* The summary sections in two columns of three; the cursor walks them in reading order. */
static void section_place(int f, int top, int rows_each, int half, int *y, int *x)
{
    *y = top + (f % 3) * (rows_each + 1);
    *x = f < 3 ? 0 : half;
}

/* A section row's value: a time in the zone shown, its offset said; else the field's text. */
static const char *row_label(struct app *a, const struct field *fld, uint64_t key, char *buf, size_t *len)
{
    if (!field_is_time(fld))
        return field_key_text(a->store, fld, key, buf, len);
    tz_format_full(&a->tz, (int64_t)key, buf);
    *len = strlen(buf);
    return buf;
}

static void draw_summary(struct app *a, struct ov *ov, int top, int h, int w, int focused)
{
    const struct summary *sum = &ov->sum;
    int rows_each = h / 3 - 1, half = w / 2;
    if (rows_each < 1)
        return;
    ov->rows_each = rows_each;
    for (int f = 0; f < SUM__COUNT; f++) {
        int y, x;
        section_place(f, top, rows_each, half, &y, &x);
        const struct fieldtop *t = section_top(ov, f);
        char head[PATH_MAX_LEN + 96];
        if (ov->has[f] && ov->pending[f])
            snprintf(head, sizeof head, "%s (indexing %d%%)", ov->chosen[f].name,
                     ov->chosen[f].px ? pathindex_percent(a->store, ov->chosen[f].px) : 0);
        else
            snprintf(head, sizeof head, "%s (%zu different%s)",
                     ov->has[f] ? ov->chosen[f].name : summary_title((enum summary_field)f), t->distinct,
                     t->missing ? ", some events have none" : "");
        draw_text(a->win, y, x + 1, half - 2, head, strlen(head), theme_attr(R_TITLE), 0, 0);
        int digits = 1, lwant = 0; /* the widest count (the first row's) and label shown */
        for (unsigned c = t->nrows ? t->rows[0].count : 0; c >= 10; c /= 10)
            digits++;
        for (int r = 0; r < rows_each && (size_t)r < t->nrows; r++) {
            char kbuf[FIELD_KEY_BUF];
            size_t llen;
            const char *label = row_label(a, section_field(ov, f), t->rows[r].key, kbuf, &llen);
            int lw = draw_width(label, llen);
            lwant = lw > lwant ? lw : lwant;
        }
        for (int r = 0; r < rows_each && (size_t)r < t->nrows; r++) {
            const struct fieldtop_row *row = &t->rows[r];
            char kbuf[FIELD_KEY_BUF];
            size_t llen;
            const char *label = row_label(a, section_field(ov, f), row->key, kbuf, &llen);
            int cursor = focused && ov->field == f && ov->row == (size_t)r;
            attr_t at = theme_attr(cursor ? R_SELECTED : R_NORMAL);
            int yy = y + 1 + r;
            draw_fill(a->win, yy, x, half - 1, at);
            double pct = sum->total ? 100.0 * row->count / (double)sum->total : 0;
            char num[48];
            snprintf(num, sizeof num, "%*u %5.1f%% ", digits, row->count, pct);
            int used = draw_text(a->win, yy, x + 1, half - 2, num, strlen(num), at, 0, 0);
            /* the bar gives up columns (down to 5) before a label is cut: an account id stays whole */
            int bw = half - 2 - used - 1 - lwant;
            bw = bw > 10 ? 10 : bw < 5 ? 5 : bw;
            int bar = (int)(pct * bw / 100 + 0.5);
            if (half - 2 - used > bw + 8) {
                for (int k = 0; k < bw; k++)
                    draw_text(a->win, yy, x + 1 + used + k, 1, k < bar ? (draw_utf8() ? "■" : "=") : " ",
                              k < bar ? (draw_utf8() ? 3 : 1) : 1, cursor ? at : theme_attr(R_J_KEY), 0, 0);
                used += bw + 1;
            }
            draw_text(a->win, yy, x + 1 + used, half - 2 - used, label, llen, at, 0, 0);
        }
    }
}

static void ov_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct ov *ov = st;
    int w = r.w - 2;
    attr_t head = theme_attr(R_HEADER);
    draw_fill(a->win, r.y, r.x, r.w, head);
    if (sync_overview(a, ov, w) != 0)
        return;
    char line[256];
    snprintf(line, sizeof line,
             " Overview of %zu shown events   Tab: histogram/summary  Enter: filter  f: any field  o: back",
             app_count(a));
    draw_str(a->win, r.y, r.x, r.w, line, head);
    const struct histogram *h = &ov->h;
    char from[TZ_BUF], to[TZ_BUF];
    if (h->nbuckets) {
        /* in the zone shown, each time with its offset */
        snprintf(line, sizeof line, " Time, one column = %s, %s to %s   %s events  %s failed%s",
                 histogram_bucket_name(h->bucket_ms), tz_format_full(&a->tz, h->start_ms, from),
                 tz_format_full(&a->tz, h->start_ms + (int64_t)h->nbuckets * h->bucket_ms, to),
                 draw_utf8() ? "█" : "#", draw_utf8() ? "▒" : "!", h->untimed ? "  (some have no time)" : "");
    } else {
        snprintf(line, sizeof line, " Time: no shown event has an eventTime");
    }
    draw_str(a->win, r.y + 1, r.x, r.w, line, theme_attr(R_TITLE));
    int y = r.y + 2;
    if (h->nbuckets) {
        draw_histogram(a, ov, y, r.x + 1, w, ov->focus == 0);
        size_t b = ov->bucket;
        int64_t t0 = h->start_ms + (int64_t)b * h->bucket_ms;
        snprintf(line, sizeof line, " %s + %s: %u events, %u failed", tz_format_full(&a->tz, t0, from),
                 histogram_bucket_name(h->bucket_ms), h->total[b], h->errors[b]);
        draw_str(a->win, y + HIST_ROWS, r.x, r.w, line, theme_attr(ov->focus == 0 ? R_J_LITERAL : R_NORMAL));
    }
    int top = y + HIST_ROWS + 2;
    draw_summary(a, ov, top, r.y + r.h - top - (ov->asking ? 1 : 0), r.w, ov->focus == 1);
    if (ov->asking)
        prompt_draw(&ov->ask, a->win, r.y + r.h - 1, r.x, r.w,
                    " field or path for this section: ", theme_attr(R_NORMAL));
}

/* The answer to the section's prompt: a field for section ov->field, or its own back when empty. */
static enum reaction choose(struct app *a, struct ov *ov)
{
    int f = ov->field;
    const char *text = ov->ask.buf;
    while (*text == ' ')
        text++;
    struct field fld;
    struct field_error err;
    if (*text && field_parse(text, strlen(text), &fld, &err) != 0) {
        app_message(a, "%s", err.message);
        return RE_REDRAW;
    }
    ov->asking = 0;
    curs_set(0);
    if (ov->has[f])
        field_free(&ov->chosen[f]);
    ov->has[f] = *text != '\0';
    if (ov->has[f])
        ov->chosen[f] = fld;
    ov->row = 0;
    forget(ov);
    return RE_REDRAW;
}

static enum reaction ov_key(struct app *a, void *st, const struct keypress *k)
{
    struct ov *ov = st;
    enum action act = k->act;
    if (ov->asking) {
        if (k->ch == 27) {
            ov->asking = 0;
            curs_set(0);
            return RE_REDRAW;
        }
        enum prompt_result r = prompt_key(&ov->ask, k->ch);
        if (r == PR_ACCEPT)
            return choose(a, ov);
        if (r == PR_CANCEL) {
            ov->asking = 0;
            curs_set(0);
        }
        return RE_REDRAW; /* every key goes to the prompt while it is open */
    }
    if (!ov->valid)
        return RE_UNHANDLED;
    if (act == ACT_SECTION_FIELD) {
        ov->focus = 1;
        ov->asking = 1;
        prompt_open(&ov->ask, ov->has[ov->field] ? ov->chosen[ov->field].name : "", NULL);
        curs_set(1);
        return RE_REDRAW;
    }
    if (act == ACT_NEXT_PANE) {
        ov->focus = !ov->focus;
        return RE_REDRAW;
    }
    if (ov->focus == 0) {
        size_t n = ov->h.nbuckets;
        switch (act) {
        case ACT_LEFT:
        case ACT_UP:
            if (ov->bucket > 0)
                ov->bucket--;
            return RE_REDRAW;
        case ACT_RIGHT:
        case ACT_DOWN:
            if (ov->bucket + 1 < n)
                ov->bucket++;
            return RE_REDRAW;
        case ACT_TOP:
            ov->bucket = 0;
            return RE_REDRAW;
        case ACT_BOTTOM:
            ov->bucket = n ? n - 1 : 0;
            return RE_REDRAW;
        case ACT_ENTER: {
            if (!n)
                return RE_UNHANDLED;
            int64_t t0 = ov->h.start_ms + (int64_t)ov->bucket * ov->h.bucket_ms;
            char from[TIMEFMT_BUF], to[TIMEFMT_BUF], term[160];
            snprintf(term, sizeof term, "after:%s before:%s", timefmt_format(t0, from),
                     timefmt_format(t0 + ov->h.bucket_ms, to));
            return filterbar_add_term(a, term);
        }
        default:
            return RE_UNHANDLED;
        }
    }
    size_t rows = section_rows(ov, ov->field) < (size_t)ov->rows_each ? section_rows(ov, ov->field)
                                                                      : (size_t)ov->rows_each;
    switch (act) {
    case ACT_UP:
        if (ov->row > 0) {
            ov->row--;
        } else if (ov->field % 3 > 0) {
            ov->field--;
            size_t r = section_rows(ov, ov->field) < (size_t)ov->rows_each ? section_rows(ov, ov->field)
                                                                           : (size_t)ov->rows_each;
            ov->row = r ? r - 1 : 0;
        }
        return RE_REDRAW;
    case ACT_DOWN:
        if (ov->row + 1 < rows) {
            ov->row++;
        } else if (ov->field % 3 < 2) {
            ov->field++;
            ov->row = 0;
        }
        return RE_REDRAW;
    case ACT_LEFT:
    case ACT_RIGHT:
        ov->field = (ov->field + 3) % SUM__COUNT;
        ov->row = 0;
        return RE_REDRAW;
    case ACT_ENTER: {
        int f = ov->field;
        if (ov->row >= section_rows(ov, f))
            return RE_UNHANDLED;
        char term[3 * PATH_MAX_LEN + 600];
        const struct field *fld = section_field(ov, f);
        if (field_key_term(a->store, fld, section_top(ov, f)->rows[ov->row].key, term, sizeof term) == 0) {
            app_message(a, "'%s' is not a filter field", fld->name);
            return RE_REDRAW;
        }
        ov->row = 0;
        return filterbar_add_term(a, term);
    }
    default:
        return RE_UNHANDLED;
    }
}

const struct pane_ops pane_overview_ops = {
    .name = "overview",
    .place = PLACE_OVERLAY,
    .toggle = ACT_OVERVIEW,
    .size = sizeof(struct ov),
    .free = ov_release,
    .draw = ov_draw,
    .key = ov_key,
    .changed = ov_changed,
};
