/* The filter prompt (/), the search prompt (s) and n/N, and running filters without blocking keys.
 *
 * While the filter prompt is open every edit that completes a term (a blank after it, or Enter) compiles
 * the line: a valid expression starts a run over the store (dropping the previous run), an invalid one
 * leaves the list as it was and says why under the prompt. A term still being typed is not applied (a
 * half-typed `usr` on the way to `usr:x` is a valid word that would empty the list); the list keeps the
 * last complete filter and the line under the prompt says so. Runs go in slices between keystrokes (see
 * app.c), so typing never waits for a filter. */
#include "tui/filterbar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/filterquote.h"
#include "model/identity/origin.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/app.h"

/* Puts next in place of the shown set (taking it over) and selects store event sel (SIZE_MAX: the
 * first row), else the next event after it, at the screen row the selection had. */
static void install_shown(struct app *a, struct shown *next, size_t sel)
{
    size_t row_on_screen = a->list.cur - a->list.top;
    shown_free(&a->shown);
    a->shown = *next;
    a->shown_gen++;
    *next = (struct shown){0};
    listsort_reorder(a); /* a sorted list stays sorted: new rows are placed by the sort */
    size_t n = app_count(a);
    size_t cur = sel == SIZE_MAX ? 0 : app_row_of(a, sel);
    if (cur >= n)
        cur = n ? n - 1 : 0;
    a->list.cur = cur;
    a->list.top = cur > row_on_screen ? cur - row_on_screen : 0;
}

/* Puts next in place of the shown set, keeping the selection on the same event when it survives. */
static void replace_shown(struct app *a, struct shown *next)
{
    install_shown(a, next, app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX);
}

static void job_stop(struct app *a)
{
    filter_run_free(&a->bar.job.run);
    filter_free(a->bar.job.f);
    free(a->bar.job.expr);
    a->bar.job.f = NULL;
    a->bar.job.expr = NULL;
}

/* filter_compile, and the store's origins computed first when the expression has an origin: term (once;
 * again after the store changed). NULL with err filled when either fails. */
static struct filter *compile_for(struct app *a, const char *text, const struct store *s,
                                  struct filter_error *err)
{
    struct filter *f = filter_compile_tz(text, s, &a->tz, err);
    if (f && filter_uses_origins(f) && origins_ensure(a->store, NULL) != 0) {
        filter_free(f);
        err->column = 0;
        snprintf(err->message, sizeof err->message, "out of memory while tracing origins");
        return NULL;
    }
    return f;
}

/* Starts running expr (already compiled into f, taken over). An expression that shows everything
 * needs no run. */
static void job_start(struct app *a, struct filter *f, const char *expr)
{
    job_stop(a);
    if (filter_is_all(f)) {
        filter_free(f);
        struct shown all = {0};
        all.expr = strdup("");
        replace_shown(a, &all);
        return;
    }
    a->bar.job.f = f;
    a->bar.job.expr = strdup(expr);
    filter_run_init(&a->bar.job.run, f);
}

int filterbar_busy(const struct app *a)
{
    return a->bar.job.f != NULL;
}

/* Says, once a run is over, that one of its regular expressions gave up on some values (a bound of
 * model/query/filter.h reached): the events they would decide are left out, under a '-' too
 * (filter_regex_bound). After the message already shown, if any. */
static void say_gave_up(struct app *a, const struct filter *f)
{
    char re[60];
    size_t gave_up = filter_regex_gave_up(f, re, sizeof re);
    if (!gave_up)
        return;
    size_t n = strlen(a->message);
    snprintf(a->message + n, sizeof a->message - n,
             "%s%s gave up on %zu values (a PCRE2 limit): the events they decide are left out", n ? "; " : "",
             re, gave_up);
}

int filterbar_work(struct app *a, double seconds)
{
    if (!a->bar.job.f)
        return 1;
    if (!filter_run_for(&a->bar.job.run, seconds))
        return 0;
    if (a->bar.job.run.failed) {
        app_message(a, "out of memory while filtering: the previous filter stays");
    } else {
        struct shown next = {0};
        next.idx = filter_run_take(&a->bar.job.run, &next.n);
        if (!next.idx)
            next.idx = malloc(sizeof *next.idx); /* an empty result is still a filtered list */
        next.expr = a->bar.job.expr;
        a->bar.job.expr = NULL;
        if (next.idx)
            replace_shown(a, &next);
        shown_free(&next);
        say_gave_up(a, a->bar.job.f);
    }
    job_stop(a);
    return 1;
}

/* Compiles text; on success starts it and clears the bar's error, else keeps the error. */
static int try_filter(struct app *a, const char *text)
{
    struct filter_error err;
    struct filter *f = compile_for(a, text, a->store, &err);
    if (!f) {
        strlcpy(a->bar.error, err.message, sizeof a->bar.error);
        return -1;
    }
    a->bar.error[0] = '\0';
    job_start(a, f, text);
    return 0;
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Whether the cursor of the filter line touches a term still being typed: one that ends at the cursor
 * or has it inside (quoted text and a /regular expression/, blanks included, are one term, as the
 * filter's lexer reads them; unclosed ones run to the end). */
static int typing_term(const struct prompt *p)
{
    const char *s = p->buf;
    size_t i = 0;
    while (i < p->len) {
        if (blank(s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < p->len && !blank(s[i])) {
            int regex = s[i] == '/' && (i == start || strchr(":-(", s[i - 1]));
            if (s[i] != '"' && !regex) {
                i++;
                continue;
            }
            size_t qlen;
            const char *end = regex ? filterquote_regex_end(s + i) : filterquote_read(s + i, NULL, &qlen);
            i = end ? (size_t)(end - s) : p->len;
        }
        if (start < p->cur && p->cur <= i)
            return 1;
    }
    return 0;
}

/* The filter line as it is applied: without trailing blanks (they only end a term). */
static void applied_text(const struct prompt *p, char *out, size_t cap)
{
    size_t n = p->len;
    while (n && blank(p->buf[n - 1]))
        n--;
    snprintf(out, cap, "%.*s", (int)n, p->buf);
}

/* Applies the filter line unless it is the filter already in force or running. Returns as try_filter. */
static int apply_line(struct app *a)
{
    char text[PROMPT_MAX];
    applied_text(&a->bar.line, text, sizeof text);
    const char *cur = a->bar.job.expr ? a->bar.job.expr : a->shown.expr ? a->shown.expr : "";
    if (strcmp(text, cur) == 0) {
        a->bar.error[0] = '\0';
        return 0;
    }
    return try_filter(a, text);
}

/* An edit of the filter line: applied when it leaves no term half-typed, else only checked, so that a
 * bad expression is said at once while the list keeps the last complete filter. */
static void filter_edited(struct app *a)
{
    a->bar.typing = typing_term(&a->bar.line);
    if (!a->bar.typing) {
        apply_line(a);
        return;
    }
    struct filter_error err;
    struct filter *f = compile_for(a, a->bar.line.buf, a->store, &err);
    if (f)
        a->bar.error[0] = '\0';
    else
        strlcpy(a->bar.error, err.message, sizeof a->bar.error);
    filter_free(f);
}

enum reaction filterbar_open(struct app *a, enum bar_kind kind)
{
    if (kind == BAR_FILTER) {
        if (shown_copy(&a->bar.saved, &a->shown) != 0) {
            app_message(a, "out of memory");
            return RE_REDRAW;
        }
        a->bar.saved_list = a->list;
        prompt_open(&a->bar.line, a->shown.expr, &a->bar.filter_hist);
    } else {
        /* a new search starts empty (typing used to append to the old term); Up brings the old one */
        prompt_open(&a->bar.line, "", &a->bar.search_hist);
    }
    a->bar.kind = kind;
    a->bar.error[0] = '\0';
    a->bar.typing = 0;
    curs_set(1);
    return RE_REDRAW;
}

static void close_bar(struct app *a)
{
    a->bar.kind = BAR_CLOSED;
    a->bar.error[0] = '\0';
    a->bar.typing = 0;
    shown_free(&a->bar.saved);
    curs_set(0);
}

static enum reaction search_accept(struct app *a)
{
    const char *text = a->bar.line.buf;
    struct filter_error err;
    struct filter *f = compile_for(a, text, a->store, &err);
    if (!f) {
        strlcpy(a->bar.error, err.message, sizeof a->bar.error);
        return RE_REDRAW;
    }
    filter_free(a->bar.search);
    free(a->bar.search_expr);
    a->bar.search = NULL;
    a->bar.hits.valid = 0;
    a->bar.search_expr = strdup(text);
    if (highlight_compile(&a->bar.marks, text) != 0) {
        highlight_free(&a->bar.marks);
        app_message(a, "out of memory: search matches are not highlighted");
    }
    prompt_history_add(&a->bar.search_hist, text);
    close_bar(a);
    if (filter_is_all(f)) {
        filter_free(f);
        return RE_REDRAW;
    }
    a->bar.search = f;
    return filterbar_search_jump(a, 1);
}

_Static_assert(PROMPT_MAX > FILTER_MAX_LEN, "the filter line holds the longest filter");

/* Says under the prompt that the line lost characters for want of room (prompt_cut): never applied. */
static void say_cut(struct app *a)
{
    snprintf(a->bar.error, sizeof a->bar.error,
             "the line is longer than %d bytes: characters were refused, nothing is applied (^U clears it)",
             PROMPT_MAX - 1);
}

enum reaction filterbar_key(struct app *a, int ch)
{
    enum prompt_result r = prompt_key(&a->bar.line, ch);
    if (r == PR_NONE)
        return RE_UNHANDLED; /* the loop says the key does nothing here */
    if (r == PR_FULL || (r == PR_EDITED && prompt_cut(&a->bar.line))) {
        a->bar.typing = 0;
        say_cut(a);
        return RE_REDRAW;
    }
    if (a->bar.kind == BAR_SEARCH) {
        if (r == PR_CANCEL)
            close_bar(a);
        else if (r == PR_ACCEPT)
            return search_accept(a);
        else if (r == PR_EDITED)
            a->bar.error[0] = '\0';
        return RE_REDRAW;
    }
    switch (r) {
    case PR_EDITED:
        filter_edited(a);
        break;
    case PR_ACCEPT: {
        a->bar.typing = 0;
        if (apply_line(a) != 0)
            break; /* an invalid expression cannot be kept: fix it or Esc */
        char text[PROMPT_MAX];
        applied_text(&a->bar.line, text, sizeof text);
        prompt_history_add(&a->bar.filter_hist, text);
        close_bar(a);
        break;
    }
    case PR_CANCEL: {
        job_stop(a);
        struct shown saved = a->bar.saved;
        a->bar.saved = (struct shown){0};
        replace_shown(a, &saved);
        a->list = a->bar.saved_list;
        close_bar(a);
        break;
    }
    default:
        break;
    }
    return RE_REDRAW;
}

int filterbar_rows(const struct app *a)
{
    /* an error is wrapped under the prompt, so it is read in full (up to a third of the screen) */
    int most = a->rows / 3 > 1 ? a->rows / 3 : 1;
    if (a->bar.kind == BAR_CLOSED)
        return 0;
    if (a->bar.error[0])
        return 1 + draw_wrap_rows(a->bar.error, a->cols, most);
    return a->bar.typing ? 2 : 1;
}

void filterbar_draw(struct app *a, int y)
{
    const char *label = a->bar.kind == BAR_FILTER ? "filter: " : "search: ";
    if (a->bar.error[0])
        draw_wrapped(a->win, y + 1, 0, a->cols, filterbar_rows(a) - 1, a->bar.error, theme_attr(R_ERROR));
    else if (a->bar.typing) {
        char note[120];
        snprintf(note, sizeof note, "typing%s the term at the cursor applies after a blank or Enter",
                 strcmp(draw_ellipsis(), "…") == 0 ? "…" : "...");
        draw_str(a->win, y + 1, 0, a->cols, note, theme_attr(R_TITLE));
    }
    prompt_draw(&a->bar.line, a->win, y, 0, a->cols, label, theme_attr(R_NORMAL));
}

enum reaction filterbar_set(struct app *a, const char *expr)
{
    if (try_filter(a, expr) != 0)
        app_message(a, "%s", a->bar.error);
    else
        prompt_history_add(&a->bar.filter_hist, expr);
    a->bar.error[0] = '\0';
    return RE_REDRAW;
}

enum reaction filterbar_add_term(struct app *a, const char *term)
{
    const char *cur = a->bar.job.expr ? a->bar.job.expr : a->shown.expr ? a->shown.expr : "";
    size_t n = strlen(cur) + strlen(term) + 2;
    char *expr = malloc(n);
    if (!expr) {
        app_message(a, "out of memory");
        return RE_REDRAW;
    }
    snprintf(expr, n, "%s%s%s", cur, cur[0] ? " " : "", term);
    filterbar_set(a, expr);
    free(expr);
    return RE_REDRAW;
}

/* Fills bar.hits for the search and the shown list in force. Returns 0, or -1 when out of memory. */
static int search_hits(struct app *a)
{
    if (a->bar.hits.valid && a->bar.hits.shown_gen == a->shown_gen)
        return 0;
    size_t n = app_count(a), nhits = 0;
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    if (!rows)
        return -1;
    for (size_t row = 0; row < n; row++) {
        int m = filter_match(a->bar.search, app_event(a, row));
        if (m < 0) {
            free(rows);
            return -1;
        }
        if (m)
            rows[nhits++] = row;
    }
    free(a->bar.hits.rows);
    a->bar.hits.rows = rows;
    a->bar.hits.n = nhits;
    a->bar.hits.shown_gen = a->shown_gen;
    a->bar.hits.valid = 1;
    return 0;
}

enum reaction filterbar_search_jump(struct app *a, int dir)
{
    if (!a->bar.search) {
        app_message(a, "no search: press s to search");
        return RE_REDRAW;
    }
    if (!app_count(a))
        return RE_NONE;
    if (search_hits(a) != 0) {
        app_message(a, "out of memory while searching");
        return RE_REDRAW;
    }
    const size_t *hit = a->bar.hits.rows;
    size_t nhits = a->bar.hits.n, cur = a->list.cur;
    if (!nhits) {
        app_message(a, "no shown event matches: %s", a->bar.search_expr);
        say_gave_up(a, a->bar.search);
        return RE_REDRAW;
    }
    /* the first hit after the selection (n) or the last before it (N), wrapping */
    size_t lo = 0, hi = nhits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dir > 0 ? hit[mid] <= cur : hit[mid] < cur)
            lo = mid + 1;
        else
            hi = mid;
    }
    int wrapped = dir > 0 ? lo == nhits : lo == 0;
    size_t k = dir > 0 ? (wrapped ? 0 : lo) : (wrapped ? nhits - 1 : lo - 1);
    a->list.cur = hit[k];
    app_message(a, "%s%zu of %zu: %s", wrapped ? "search wrapped: " : "", k + 1, nhits, a->bar.search_expr);
    say_gave_up(a, a->bar.search); /* what a hit count cannot show: some values were not answered */
    return RE_REDRAW;
}

void filterbar_refresh(struct app *a, size_t sel)
{
    struct filter_error err;
    if (a->bar.search_expr) {
        filter_free(a->bar.search);
        a->bar.search = compile_for(a, a->bar.search_expr, a->store, &err);
        a->bar.hits.valid = 0;
    }
    job_stop(a);
    const char *expr = a->shown.expr ? a->shown.expr : "";
    struct filter *f = compile_for(a, expr, a->store, &err);
    struct shown next = {0};
    next.expr = strdup(expr);
    int ok = f && next.expr;
    if (ok && !filter_is_all(f)) {
        struct filter_run run;
        filter_run_init(&run, f);
        ok = filter_run_all(&run) == 0;
        next.idx = filter_run_take(&run, &next.n);
        if (ok && !next.idx)
            next.idx = malloc(sizeof *next.idx);
        ok = ok && next.idx;
        filter_run_free(&run);
        if (ok)
            say_gave_up(a, f);
    }
    filter_free(f);
    if (!ok) {
        shown_free(&next);
        app_message(a, "out of memory while following");
        return;
    }
    install_shown(a, &next, sel);
}

void filterbar_free(struct app *a)
{
    job_stop(a);
    shown_free(&a->shown);
    shown_free(&a->bar.saved);
    filter_free(a->bar.search);
    free(a->bar.search_expr);
    highlight_free(&a->bar.marks);
    free(a->bar.hits.rows);
    prompt_history_clear(&a->bar.filter_hist);
    prompt_history_clear(&a->bar.search_hist);
}
