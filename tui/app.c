#include "tui/app.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/problems.h"
#include "parsers/load.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/view.h"

#define MIN_COLS 40
#define MIN_ROWS 10

static const struct pane_ops *const panes[PANE__COUNT] = {
    [PANE_LIST] = &pane_list_ops,         [PANE_DETAIL] = &pane_detail_ops,
    [PANE_TRACE] = &pane_trace_ops,       [PANE_OVERVIEW] = &pane_overview_ops,
    [PANE_PROBLEMS] = &pane_problems_ops, [PANE_HELP] = &pane_help_ops,
};

void app_message(struct app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
}

void scroll_clamp(struct scroll *s, size_t n, int page)
{
    size_t p = page > 0 ? (size_t)page : 1;
    if (n == 0) {
        s->cur = s->top = 0;
        return;
    }
    if (s->cur >= n)
        s->cur = n - 1;
    if (s->cur < s->top)
        s->top = s->cur;
    if (s->cur >= s->top + p)
        s->top = s->cur - p + 1;
    if (s->top + p > n)
        s->top = n > p ? n - p : 0;
}

enum reaction scroll_move(struct scroll *s, size_t n, int page, enum action act)
{
    size_t p = page > 1 ? (size_t)page - 1 : 1;
    switch (act) {
    case ACT_UP:
        if (s->cur > 0)
            s->cur--;
        break;
    case ACT_DOWN:
        if (s->cur + 1 < n)
            s->cur++;
        break;
    case ACT_PAGE_UP:
        s->cur = s->cur > p ? s->cur - p : 0;
        s->top = s->top > p ? s->top - p : 0;
        break;
    case ACT_PAGE_DOWN:
        s->cur = s->cur + p < n ? s->cur + p : (n ? n - 1 : 0);
        s->top += p;
        break;
    case ACT_TOP:
        s->cur = 0;
        break;
    case ACT_BOTTOM:
        s->cur = n ? n - 1 : 0;
        break;
    default:
        return RE_UNHANDLED;
    }
    scroll_clamp(s, n, page);
    return RE_REDRAW;
}

static void draw_status(struct app *a, int y)
{
    const struct store *s = a->store;
    size_t problems =
        problems_count(&s->problems, PROBLEM_FILE) + problems_count(&s->problems, PROBLEM_RECORD);
    size_t n = app_count(a);
    char left[256], right[160], busy[48] = "", marked[32] = "";
    if (a->nmarked)
        snprintf(marked, sizeof marked, "  %zu marked", a->nmarked);
    if (filter_busy(a)) {
        size_t total = s->nevents ? s->nevents : 1;
        snprintf(busy, sizeof busy, "  filtering %zu%%", a->job.run.next * 100 / total);
    }
    snprintf(left, sizeof left, " %zu/%zu shown  #%zu%s  %llu files  %zu problem%s%s", n, s->nevents,
             n ? a->list.cur + 1 : 0, marked, (unsigned long long)s->counts.files, problems,
             problems == 1 ? "" : "s", busy);
    snprintf(right, sizeof right, "%s%s  ?:help q:quit ", a->follow.on ? "following  " : "",
             a->overlay != PANE__COUNT ? panes[a->overlay]->name : panes[a->focus]->name);
    attr_t at = theme_attr(R_STATUS);
    draw_fill(a->win, y, 0, a->cols, at);
    int rw = (int)strlen(right);
    int lw = draw_text(a->win, y, 0, a->cols, left, strlen(left), at, 0, 0);
    /* then the message, else the filter in force; both come from logs or the user: drawn escaped */
    const char *extra = a->message[0] ? a->message : (a->shown.expr && a->shown.expr[0]) ? a->shown.expr : "";
    if (extra[0] && lw + 4 < a->cols - rw) {
        const char *sep = a->message[0] ? "  | " : "  / ";
        lw += draw_text(a->win, y, lw, a->cols - lw - rw - 1, sep, strlen(sep), at, 0, 0);
        draw_text(a->win, y, lw, a->cols - lw - rw - 1, extra, strlen(extra), at, 0, 0);
    }
    if (rw < a->cols - lw)
        draw_str(a->win, y, a->cols - rw, rw, right, at);
}

/* Rows above the status line (and the bar, when open). */
static int body_rows(const struct app *a)
{
    return a->rows - 1 - (a->load.loader != NULL) - (a->bar.kind != BAR_CLOSED) -
           (a->bar.kind != BAR_CLOSED && a->bar.error[0]) - export_rows(a);
}

static void draw_all(struct app *a)
{
    werase(a->win);
    if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
        char msg[80];
        snprintf(msg, sizeof msg, "terminal too small (%dx%d, need %dx%d)", a->cols, a->rows, MIN_COLS,
                 MIN_ROWS);
        draw_str(a->win, 0, 0, a->cols, msg, theme_attr(R_ERROR));
        wnoutrefresh(a->win);
        doupdate();
        return;
    }
    int body = body_rows(a);
    if (a->overlay != PANE__COUNT) {
        panes[a->overlay]->draw(a, (struct rect){0, 0, body, a->cols}, 1);
    } else if (!a->detail_open) {
        panes[PANE_LIST]->draw(a, (struct rect){0, 0, body, a->cols}, 1);
    } else if (body < 20) {
        /* too short to split: the focused pane takes the screen */
        panes[a->focus]->draw(a, (struct rect){0, 0, body, a->cols}, 1);
    } else {
        int list_h = body * 2 / 5;
        panes[PANE_LIST]->draw(a, (struct rect){0, 0, list_h, a->cols}, a->focus == PANE_LIST);
        panes[a->lower]->draw(a, (struct rect){list_h, 0, body - list_h, a->cols}, a->focus == a->lower);
    }
    draw_status(a, a->rows - 1);
    if (a->load.loader)
        loading_draw(a, a->rows - 2);
    if (a->bar.kind != BAR_CLOSED)
        bar_draw(a, body);
    if (a->exp.open)
        export_draw(a, body);
    wnoutrefresh(a->win);
    doupdate();
}

/* Lines of body available to the focused pane, for paging. */
static int pane_page(const struct app *a, enum pane_id p)
{
    int body = body_rows(a);
    if (a->overlay != PANE__COUNT || !a->detail_open || body < 20)
        return body - 1;
    int list_h = body * 2 / 5;
    return (p == PANE_LIST ? list_h : body - list_h) - 1;
}

void app_open_lower(struct app *a, enum pane_id p)
{
    a->detail_open = 1;
    a->lower = p;
    a->focus = p;
}

static enum reaction global_key(struct app *a, enum action act)
{
    switch (act) {
    case ACT_QUIT:
        return RE_QUIT;
    case ACT_HELP:
        a->overlay = a->overlay == PANE_HELP ? PANE__COUNT : PANE_HELP;
        return RE_REDRAW;
    case ACT_PROBLEMS:
        a->overlay = a->overlay == PANE_PROBLEMS ? PANE__COUNT : PANE_PROBLEMS;
        return RE_REDRAW;
    case ACT_CLOSE:
        if (a->overlay != PANE__COUNT)
            a->overlay = PANE__COUNT;
        else if (a->detail_open) {
            a->detail_open = 0;
            a->focus = PANE_LIST;
        }
        return RE_REDRAW;
    case ACT_NEXT_PANE:
        if (a->overlay != PANE__COUNT)
            return RE_NONE;
        if (!a->detail_open)
            app_open_lower(a, a->lower);
        else
            a->focus = a->focus == PANE_LIST ? a->lower : PANE_LIST;
        return RE_REDRAW;
    case ACT_OVERVIEW:
        a->overlay = a->overlay == PANE_OVERVIEW ? PANE__COUNT : PANE_OVERVIEW;
        return RE_REDRAW;
    case ACT_TRACE:
        if (a->overlay != PANE__COUNT)
            return RE_NONE;
        if (a->detail_open && a->lower == PANE_TRACE) {
            a->detail_open = 0;
            a->focus = PANE_LIST;
        } else {
            app_open_lower(a, PANE_TRACE);
        }
        return RE_REDRAW;
    case ACT_TRACE_FILTER:
        return trace_filter_chain(a);
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        return RE_REDRAW;
    case ACT_FILTER:
        a->overlay = PANE__COUNT;
        return bar_open(a, BAR_FILTER);
    case ACT_SEARCH:
        a->overlay = PANE__COUNT;
        return bar_open(a, BAR_SEARCH);
    case ACT_FOLLOW:
        if (a->follow.on) {
            follow_stop(a);
            app_message(a, "stopped following");
        } else if (follow_start(a, a->paths, a->npaths) == 0) {
            app_message(a, "following: new log files load as they arrive");
        }
        return RE_REDRAW;
    case ACT_MARK:
        return a->overlay == PANE__COUNT ? marks_toggle(a) : RE_NONE;
    case ACT_MARK_ALL:
        return a->overlay == PANE__COUNT ? marks_all_shown(a) : RE_NONE;
    case ACT_UNMARK_ALL:
        return marks_clear(a);
    case ACT_EXPORT:
        a->overlay = PANE__COUNT;
        return export_open(a);
    case ACT_SEARCH_NEXT:
    case ACT_SEARCH_PREV:
        if (a->overlay != PANE__COUNT)
            return RE_NONE;
        return search_jump(a, act == ACT_SEARCH_NEXT ? 1 : -1);
    default:
        return RE_NONE;
    }
}

/* Curses on the terminal even when stdin is the log stream ("-"). */
static SCREEN *open_terminal(FILE **tty)
{
    *tty = NULL;
    if (isatty(STDIN_FILENO))
        return newterm(NULL, stdout, stdin);
    *tty = fopen("/dev/tty", "r");
    if (!*tty)
        return NULL;
    return newterm(NULL, stdout, *tty);
}

int app_run(const char *const *paths, size_t npaths, const struct app_start *start)
{
    if (!isatty(STDOUT_FILENO)) {
        fprintf(stderr, "ctview: the interface needs a terminal on standard output; use --list or --stats\n");
        return 1;
    }
    setlocale(LC_ALL, "");
    struct app a = {.focus = PANE_LIST, .overlay = PANE__COUNT, .lower = PANE_DETAIL};
    a.detail.event = SIZE_MAX;
    a.trace.event = SIZE_MAX;
    a.follow.fd = -1;
    a.paths = paths;
    a.npaths = npaths;
    a.store = store_new();
    if (!a.store) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    /* stdin carrying logs loads in the background like any file (a slow pipe shows its progress and q
     * still quits): keys then come from /dev/tty */
    FILE *tty = NULL;
    SCREEN *scr = open_terminal(&tty);
    if (!scr) {
        fprintf(stderr, "ctview: cannot open the terminal\n");
        store_free(a.store);
        return 1;
    }
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    theme_init();
    a.win = stdscr;
    getmaxyx(stdscr, a.rows, a.cols);
    int rc = 0;
    if (loading_start(&a, paths, npaths, start->since_ms, start->until_ms) != 0) {
        endwin();
        delscreen(scr);
        if (tty)
            fclose(tty);
        fprintf(stderr, "ctview: out of memory\n");
        store_free(a.store);
        return 2;
    }
    if (start->filter && start->filter[0]) {
        filter_set(&a, start->filter);
        while (filter_busy(&a) && !filter_work(&a, 1.0))
            ;
    }
    if (!a.load.loader && a.store->nevents == 0)
        app_message(&a, "no events loaded%s", a.store->problems.count ? ": press p for the problems" : "");
    int follow_pending = start->follow;
    for (;;) {
        if (follow_pending && !a.load.loader) {
            follow_pending = 0;
            if (follow_start(&a, paths, npaths) == 0)
                app_message(&a, "following: new log files load as they arrive");
        }
        draw_all(&a);
        /* A running filter gets the time between keys, in slices short enough that a key never waits
         * for more than one. */
        int ch;
        if (a.load.loader) {
            /* loading: keys first, then a slice of merging (it waits for the workers at most that long) */
            timeout(0);
            ch = getch();
            timeout(-1);
            if (ch == ERR) {
                if (filter_busy(&a))
                    filter_work(&a, 0.02);
                loading_step(&a, 0.05);
                continue;
            }
        } else if (a.follow.on && !filter_busy(&a)) {
            /* wake up for new files: a short wait for a key, then a look at the directories */
            timeout(250);
            ch = getch();
            timeout(-1);
            if (ch == ERR) {
                if (a.bar.kind == BAR_CLOSED && !a.exp.open)
                    follow_poll(&a);
                continue;
            }
        } else if (filter_busy(&a)) {
            timeout(0);
            ch = getch();
            timeout(-1);
            if (ch == ERR) {
                filter_work(&a, 0.04);
                continue;
            }
        } else {
            ch = getch();
        }
        if (ch == KEY_RESIZE || ch == ERR) {
            getmaxyx(stdscr, a.rows, a.cols);
            continue;
        }
        a.message[0] = '\0';
        if (a.rows < MIN_ROWS || a.cols < MIN_COLS) {
            if (keys_action(ch) == ACT_QUIT)
                break;
            continue;
        }
        if (a.bar.kind != BAR_CLOSED) {
            bar_key(&a, ch);
            continue;
        }
        /* Outside the prompt, a key acts on the list the filter is making: finish it first, so that
         * M, e or n never see the list as it was before Enter. */
        while (filter_busy(&a) && !filter_work(&a, 1.0))
            ;
        if (a.exp.open) {
            export_key(&a, ch);
            continue;
        }
        enum action act = keys_action(ch);
        enum pane_id target = a.overlay != PANE__COUNT ? a.overlay : a.focus;
        enum reaction r = panes[target]->key(&a, act, pane_page(&a, target));
        if (r == RE_UNHANDLED)
            r = global_key(&a, act);
        if (r & RE_QUIT)
            break;
    }
    endwin();
    delscreen(scr);
    if (tty)
        fclose(tty);
    detail_free(&a);
    filter_state_free(&a);
    trace_state_free(&a);
    overview_free(&a);
    follow_stop(&a);
    loading_stop(&a);
    free(a.marks);
    store_free(a.store);
    return rc;
}
