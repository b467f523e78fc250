/* The findings view: every Sigma rule that matched, by level then title, with its counts apart, done (the
 * call succeeded) and attempted (it failed: findings_event_attempt), and its author (DRL: the author stays
 * with the rule shown); Enter filters the list to the rule's events. Also the rules' run over the store
 * (pane_findings.h). */
#include "tui/pane_findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/base/filterquote.h"
#include "model/detect/findings.h"
#include "tui/app.h"
#include "tui/cli.h"
#include "tui/draw.h"
#include "tui/rows.h"
#include "tui/loading.h"

struct findings_pane {
    struct sigma_set *set; /* owned: read at the first run */
    struct sigma_loader *loader; /* owned: while the rule files are read, a file per step */
    struct findings *run;  /* owned: in progress, or complete (then also the store's findings) */
    int failed;            /* the rules could not run (out of memory): not tried again */
    uint32_t *order;       /* owned: the rules that matched, as findings_sorted orders them */
    size_t norder;
    struct scroll s;
};

static const enum role level_roles[SIGMA__LEVELS] = {
    [SIGMA_INFORMATIONAL] = R_LEVEL_INFO, [SIGMA_LOW] = R_LEVEL_LOW,
    [SIGMA_MEDIUM] = R_LEVEL_MEDIUM,      [SIGMA_HIGH] = R_LEVEL_HIGH,
    [SIGMA_CRITICAL] = R_LEVEL_CRITICAL,
};

enum role pane_findings_level_role(int level)
{
    return level >= 0 && level < SIGMA__LEVELS ? level_roles[level] : R_NORMAL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drops the run (and the store's pointer to it). */
static void drop_run(struct app *a, struct findings_pane *fp)
{
    if (a && findings_of(a->store) == fp->run)
        findings_attach(a->store, NULL);
    findings_free(fp->run);
    fp->run = NULL;
    free(fp->order);
    fp->order = NULL;
    fp->norder = 0;
}

static void findings_free_state(void *st)
{
    struct findings_pane *fp = st;
    drop_run(NULL, fp);
    sigma_loader_free(fp->loader);
    sigma_set_free(fp->set);
}

/* Events were added and re-sorted: every index the run holds is void; run again over the whole store. */
static void findings_changed(struct app *a, void *st, unsigned what)
{
    if (what & CHANGED_STORE)
        drop_run(a, st);
}

static struct findings_pane *state(const struct app *a)
{
    return app_pane_state(a, PANE_FINDINGS);
}

int pane_findings_busy(const struct app *a)
{
    struct findings_pane *fp = state(a);
    if (!fp || fp->failed || loading_on(a) || !a->store->nevents)
        return 0;
    return !fp->run || !findings_done(fp->run);
}

int pane_findings_percent(const struct app *a)
{
    const struct findings_pane *fp = state(a);
    if (!fp || !fp->run || findings_done(fp->run))
        return -1;
    return findings_permille(fp->run) / 10;
}

/* The run completed: the list, the detail and the filters see it now. */
static void publish(struct app *a, struct findings_pane *fp)
{
    const struct sigma_set *set = fp->set;
    fp->order = malloc((sigma_set_count(set) ? sigma_set_count(set) : 1) * sizeof *fp->order);
    fp->norder = fp->order ? findings_sorted(fp->run, fp->order) : 0;
    if (findings_attach(a->store, fp->run) != 0)
        app_message(a, "out of memory while keeping the findings: rule: and level: match nothing");
    /* No message: the status line keeps the filter in force (the view, f, has the counts). */
    /* a filter naming rule: or level: was waiting for these */
    if (a->shown.expr && a->shown.expr[0])
        filterbar_refresh(a, app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX);
}

int pane_findings_work(struct app *a, double seconds)
{
    struct findings_pane *fp = state(a);
    if (!pane_findings_busy(a))
        return 1;
    double end = now() + seconds;
    if (!fp->set && (!(fp->set = sigma_set_new()) ||
                     !(fp->loader = cli_rules_loader(fp->set, a->rule_paths, a->nrule_paths)))) {
        fp->failed = 1;
        app_message(a, "out of memory while reading the rules");
        return 1;
    }
    if (fp->loader) {
        /* a file at a time between keys: a folder of large rules never holds q back */
        int rc;
        do
            rc = sigma_loader_step(fp->loader);
        while (rc == 0 && now() < end);
        if (rc == 0)
            return 0;
        sigma_loader_free(fp->loader);
        fp->loader = NULL;
        if (rc < 0) {
            fp->failed = 1;
            app_message(a, "out of memory while reading the rules");
            return 1;
        }
        return 0;
    }
    if (!fp->run && !(fp->run = findings_new(fp->set, a->store))) {
        fp->failed = 1;
        app_message(a, "out of memory while running the rules");
        return 1;
    }
    int rc;
    do
        rc = findings_step(fp->run, 20000);
    while (rc == 0 && now() < end);
    if (rc < 0)
        app_message(a, "out of memory while running the rules: the findings are incomplete");
    if (rc != 0)
        publish(a, fp);
    return rc != 0;
}

/* A rule that matched (level, events, title and author), then the refused rules, with why. */
static void finding_row(struct app *a, void *st, const struct rows_item *it)
{
    const struct findings_pane *fp = st;
    const struct sigma_set *set = fp->set;
    attr_t base = it->at;
    int sel = it->selected;
    char line[1024];
    if (it->i >= fp->norder) {
        const struct sigma_refusal *f = sigma_set_refusal(set, it->i - fp->norder);
        snprintf(line, sizeof line, " refused       %s:%d: %s", f->file, f->line, f->reason);
        draw_text(a->win, it->y, it->x, it->w, line, strlen(line), sel ? base : theme_attr(R_ERROR), 0, 0);
        return;
    }
    const struct sigma_rule *rule = sigma_set_rule(set, fp->order[it->i]);
    size_t n, attempts = findings_rule_attempts(fp->run, fp->order[it->i]);
    findings_rule_events(fp->run, fp->order[it->i], &n);
    /* the level as a word, so it reads without colour too */
    char lvl[16];
    snprintf(lvl, sizeof lvl, " %-13s", sigma_level_name(sigma_rule_level(rule)));
    attr_t lvl_at = sel ? base : theme_attr(pane_findings_level_role((int)sigma_rule_level(rule)));
    int x = it->x + draw_text(a->win, it->y, it->x, it->w, lvl, strlen(lvl), lvl_at, 0, 0);
    const char *author = sigma_rule_author(rule);
    snprintf(line, sizeof line, "%7zu %10zu  %s%s%s", n - attempts, attempts, sigma_rule_title(rule),
             author[0] ? "  by " : "", author);
    draw_text(a->win, it->y, x, it->w - (x - it->x), line, strlen(line), base, 0, 0);
}

static void findings_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct findings_pane *fp = st;
    const struct sigma_set *set = fp->set;
    char head[256];
    if (!fp->run || !findings_done(fp->run))
        snprintf(head, sizeof head, " Findings: the rules are running (%d%%)   Esc: back",
                 fp->run ? findings_permille(fp->run) / 10 : 0);
    else
        snprintf(head, sizeof head,
                 " Findings: %zu of %zu rules matched (%zu refused, %zu for other logs)   Enter: filter  "
                 "Esc: back",
                 fp->norder, sigma_set_count(set), sigma_set_refused(set), sigma_set_ignored(set));
    draw_str(a->win, r.y, r.x, r.w, head, theme_attr(R_HEADER));
    if (!fp->run || !findings_done(fp->run))
        return;
    size_t nref = sigma_set_refused(set), lines = fp->norder + nref;
    if (!lines) {
        draw_str(a->win, r.y + 1, r.x, r.w, " No rule matched.", theme_attr(R_NORMAL));
        return;
    }
    /* the titles of the columns the rows below fill: " %-13s%7zu %10zu  %s" */
    draw_str(a->win, r.y + 1, r.x, r.w, " level           done  attempted  rule", theme_attr(R_TITLE));
    struct rows v = {&fp->s, lines, {r.y + 2, r.x, r.h - 2, r.w}, theme_attr(R_SELECTED)};
    rows_draw(a, &v, finding_row, fp);
}

static enum reaction findings_key(struct app *a, void *st, const struct keypress *k)
{
    struct findings_pane *fp = st;
    if (!fp->run || !findings_done(fp->run))
        return RE_UNHANDLED;
    size_t lines = fp->norder + sigma_set_refused(fp->set);
    if (k->act == ACT_ENTER) {
        if (fp->s.cur >= fp->norder)
            return RE_NONE;
        const struct sigma_rule *rule = sigma_set_rule(fp->set, fp->order[fp->s.cur]);
        const char *id = sigma_rule_id(rule);
        const char *name = id[0] ? id : sigma_rule_title(rule);
        char *expr = filterquote_term_dup("rule", name, strlen(name));
        if (!expr) {
            app_message(a, "out of memory");
            return RE_REDRAW;
        }
        app_close(a, PANE_FINDINGS);
        enum reaction re = filterbar_set(a, expr) | RE_REDRAW;
        free(expr);
        return re;
    }
    return scroll_move(&fp->s, lines, k->page, k->act);
}

const struct pane_ops pane_findings_ops = {
    .name = "findings",
    .place = PLACE_OVERLAY,
    .toggle = ACT_FINDINGS,
    .size = sizeof(struct findings_pane),
    .free = findings_free_state,
    .draw = findings_draw,
    .key = findings_key,
    .changed = findings_changed,
};
