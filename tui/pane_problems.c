/* The Problems view: every file or record that was not loaded, with where and why; skipped files too. */
#include <stdio.h>
#include <string.h>

#include "model/base/problems.h"
#include "tui/draw.h"
#include "tui/rows.h"
#include "tui/theme.h"
#include "tui/app.h"

static const char *const kind_names[] = {
    [PROBLEM_FILE] = "file",
    [PROBLEM_RECORD] = "record",
    [PROBLEM_NOTE] = "skipped",
};

/* The pane's state: the cursor and the horizontal scroll. */
struct problems_pane {
    struct scroll s;
    int hscroll;
};

static void problem_row(struct app *a, void *st, const struct rows_item *it)
{
    const struct problems_pane *pp = st;
    const struct problem *pr = &a->store->problems.rows[it->i];
    attr_t at = it->selected ? it->at : theme_attr(pr->kind == PROBLEM_NOTE ? R_NORMAL : R_ERROR);
    char where[96] = "";
    int n = 0;
    if (pr->offset >= 0)
        n = snprintf(where, sizeof where, " byte %lld", (long long)pr->offset);
    if (pr->record >= 0 && n >= 0 && (size_t)n < sizeof where)
        snprintf(where + n, sizeof where - (size_t)n, " record %lld", (long long)pr->record);
    char line[2048];
    /* the reason first: it is what the user reads, and a long path would push it off the screen */
    const char *reason = pr->reason;
    if (pr->kind == PROBLEM_NOTE && strncmp(reason, "skipped: ", 9) == 0)
        reason += 9; /* the kind says it already */
    snprintf(line, sizeof line, "%-7s %s  (%s%s)", kind_names[pr->kind], reason, pr->file, where);
    draw_text(a->win, it->y, it->x, it->w, line, strlen(line), at, pp->hscroll, 1);
}

static void problist_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct problems_pane *pp = st;
    const struct problems *p = &a->store->problems;
    char head[160];
    /* the status line counts the same way: problems (files and records not loaded) apart from what was
     * skipped on purpose */
    size_t records = problems_count(p, PROBLEM_RECORD), files = problems_count(p, PROBLEM_FILE);
    snprintf(head, sizeof head, " %zu problem%s (%zu bad record%s, %zu file%s), %zu skipped   Esc: back",
             records + files, records + files == 1 ? "" : "s", records, records == 1 ? "" : "s", files,
             files == 1 ? "" : "s", problems_count(p, PROBLEM_NOTE));
    draw_str(a->win, r.y, r.x, r.w, head, theme_attr(R_HEADER));
    if (!p->count) {
        draw_str(a->win, r.y + 1, r.x, r.w, " Every file and record loaded.", theme_attr(R_NORMAL));
        return;
    }
    struct rows v = {&pp->s, p->count, {r.y + 1, r.x, r.h - 1, r.w}, theme_attr(R_SELECTED)};
    rows_draw(a, &v, problem_row, pp);
}

static enum reaction problist_key(struct app *a, void *st, const struct keypress *k)
{
    struct problems_pane *pp = st;
    if (k->act == ACT_LEFT || k->act == ACT_RIGHT) {
        pp->hscroll += k->act == ACT_RIGHT ? 8 : -8;
        if (pp->hscroll < 0)
            pp->hscroll = 0;
        return RE_REDRAW;
    }
    return scroll_move(&pp->s, a->store->problems.count, k->page, k->act);
}

const struct pane_ops pane_problems_ops = {
    .name = "problems",
    .place = PLACE_OVERLAY,
    .toggle = ACT_PROBLEMS,
    .size = sizeof(struct problems_pane),
    .draw = problist_draw,
    .key = problist_key,
};
