#include "tui/app.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/query/filter.h"
#include "model/json/path.h"
#include "model/base/problems.h"
#include "tui/casefile.h"
#include "tui/draw.h"
#include "tui/follow.h"
#include "tui/jobs.h"
#include "tui/loading.h"
#include "tui/marks.h"
#include "tui/session.h"
#include "tui/signals.h"
#include "tui/yank.h"
#include "tui/theme.h"

#define MIN_COLS 40
#define MIN_ROWS 10

void app_message(struct app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
}

void *app_pane_state(const struct app *a, enum pane_id p)
{
    return a->pane_state[p];
}

size_t app_row_of(const struct app *a, size_t ev)
{
    /* a binary search of the shown list, which is in time order, then the row the sort gave it */
    size_t n = app_count(a), lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((a->shown.idx ? a->shown.idx[mid] : mid) < ev)
            lo = mid + 1;
        else
            hi = mid;
    }
    return a->sort.row_of && lo < a->sort.n ? a->sort.row_of[lo] : lo;
}

void app_select_event(struct app *a, size_t ev)
{
    size_t n = app_count(a), lo = app_row_of(a, ev);
    if (lo < n && app_event(a, lo) == ev) {
        a->list.cur = lo;
        return;
    }
    /* hidden by the filter: show everything rather than refuse */
    filterbar_set(a, "");
    a->list.cur = app_row_of(a, ev);
    app_message(a, "the filter hid that event: cleared");
}

void app_absorb(struct app *a, size_t from)
{
    size_t sel = app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX;
    uint32_t *moved = NULL;
    marks_from_case(a, from); /* before the merge: the flags move with their events */
    if (store_merge_tail(a->store, from, &moved) != 0) {
        app_message(a, "out of memory while following");
        return;
    }
    if (moved) { /* the marks moved with their events (EVF_MARKED) */
        if (sel != SIZE_MAX && sel < from)
            sel = moved[sel];
        free(moved);
    }
    a->store_gen++; /* the loop tells the panes, which drop what they held by index (reset_on, changed) */
    filterbar_refresh(a, sel);
}

/* Tells every pane what changed since they last heard (the loop calls this before it draws or hands
 * out a key). Returns 1 when something had changed. */
static int tell_panes(struct app *a)
{
    unsigned what = (a->store_gen != a->told_store_gen ? CHANGED_STORE : 0) |
                    (a->shown_gen != a->told_shown_gen ? CHANGED_SHOWN : 0);
    if (!what)
        return 0;
    for (int p = 0; p < PANE__COUNT; p++) {
        const struct pane_ops *o = pane_get((enum pane_id)p);
        void *st = a->pane_state[p];
        if (st && (o->reset_on & what)) {
            if (o->free)
                o->free(st);
            memset(st, 0, o->size);
            if (o->create && o->create(a, st) != 0)
                app_message(a, "out of memory");
        }
        if (o->changed)
            o->changed(a, st, what);
    }
    a->told_store_gen = a->store_gen;
    a->told_shown_gen = a->shown_gen;
    return 1;
}

static int is_open(const struct app *a, enum pane_id p)
{
    switch (pane_get(p)->place) {
    case PLACE_MAIN:
        return 1;
    case PLACE_LOWER:
        return a->lower_open && a->lower == p;
    case PLACE_OVERLAY:
        return a->overlay == p;
    case PLACE_DIALOG:
        return a->dialog == p;
    }
    return 0;
}

void app_close(struct app *a, enum pane_id p)
{
    const struct pane_ops *o = pane_get(p);
    if (o->place == PLACE_MAIN || !is_open(a, p))
        return;
    if (o->close)
        o->close(a, a->pane_state[p]);
    if (o->place == PLACE_LOWER) {
        a->lower_open = 0;
        a->focus = PANE_LIST;
    } else if (o->place == PLACE_OVERLAY) {
        a->overlay = PANE__COUNT;
    } else {
        a->dialog = PANE__COUNT;
    }
}

int app_open(struct app *a, enum pane_id p)
{
    const struct pane_ops *o = pane_get(p);
    if (is_open(a, p) && o->place != PLACE_LOWER)
        return 0;
    if (o->open && o->open(a, a->pane_state[p]) != 0)
        return -1;
    switch (o->place) {
    case PLACE_MAIN:
        a->focus = p;
        break;
    case PLACE_LOWER:
        if (a->lower_open && a->lower != p)
            app_close(a, a->lower);
        a->lower_open = 1;
        a->lower = p;
        a->focus = p;
        break;
    case PLACE_OVERLAY:
        if (a->overlay != PANE__COUNT)
            app_close(a, a->overlay);
        a->overlay = p;
        break;
    case PLACE_DIALOG:
        a->dialog = p;
        break;
    }
    return 0;
}

/* The status line's two ends: counts and progress on the left, the focused pane and the keys on the
 * right. */
static void status_ends(const struct app *a, char *left, size_t lcap, char *right, size_t rcap)
{
    const struct store *s = a->store;
    /* the same two numbers, with the same words, as the Problems view's title */
    size_t problems =
        problems_count(&s->problems, PROBLEM_FILE) + problems_count(&s->problems, PROBLEM_RECORD);
    size_t skipped = problems_count(&s->problems, PROBLEM_NOTE);
    size_t n = app_count(a);
    char busy[PATH_MAX_LEN + 32] = "", progress[PATH_MAX_LEN + 24];
    char marked[32] = "", skip[32] = "", following[48] = "";
    if (a->nmarked)
        snprintf(marked, sizeof marked, "  %zu marked", a->nmarked);
    if (jobs_progress(a, progress, sizeof progress))
        snprintf(busy, sizeof busy, "  %s", progress);
    if (skipped)
        snprintf(skip, sizeof skip, "  %zu skipped", skipped);
    if (follow_on(a) && a->follow_new)
        snprintf(following, sizeof following, "following, %zu new  ", a->follow_new);
    else if (follow_on(a))
        snprintf(following, sizeof following, "following  ");
    snprintf(left, lcap, " %zu/%zu shown  #%zu%s  %llu files  %zu problem%s%s%s", n, s->nevents,
             n ? a->list.cur + 1 : 0, marked, (unsigned long long)s->counts.files, problems,
             problems == 1 ? "" : "s", skip, busy);
    snprintf(right, rcap, "%s%s  ?:help q:quit ", following,
             pane_get(a->overlay != PANE__COUNT ? a->overlay : a->focus)->name);
}

#define MESSAGE_SEP "  | "

/* Lines the status message takes above the status line: 0 when it fits in the status line beside
 * the counts, else it is wrapped over lines of its own (at most a third of the screen), so no message
 * is cut mid-word and a path in it keeps its file name. */
static int message_lines(const struct app *a)
{
    if (!a->message[0])
        return 0;
    char left[PATH_MAX_LEN + 256], right[160];
    status_ends(a, left, sizeof left, right, sizeof right);
    int room = a->cols - draw_width(left, strlen(left)) - (int)strlen(right) - 1;
    if (draw_width(MESSAGE_SEP, strlen(MESSAGE_SEP)) + draw_width(a->message, strlen(a->message)) <= room)
        return 0;
    return draw_wrap_rows(a->message, a->cols - 1, a->rows / 3 > 1 ? a->rows / 3 : 1);
}

static void draw_status(struct app *a, int y)
{
    char left[PATH_MAX_LEN + 256], right[160];
    status_ends(a, left, sizeof left, right, sizeof right);
    attr_t at = theme_attr(R_STATUS);
    draw_fill(a->win, y, 0, a->cols, at);
    int rw = (int)strlen(right);
    int lw = draw_text(a->win, y, 0, a->cols, left, strlen(left), at, 0, 0);
    /* then the message (when it fits here, else on lines of its own above), else the filter in force;
     * both come from logs or the user: drawn escaped */
    int lines = message_lines(a);
    if (lines)
        draw_wrapped(a->win, y - jobs_lines(a) - lines, 0, a->cols - 1, lines, a->message, at);
    int inline_message = a->message[0] && !lines;
    const char *extra = inline_message ? a->message : a->shown.expr && a->shown.expr[0] ? a->shown.expr : "";
    if (extra[0] && lw + 4 < a->cols - rw) {
        const char *sep = inline_message ? MESSAGE_SEP : "  / ";
        lw += draw_text(a->win, y, lw, a->cols - lw - rw - 1, sep, strlen(sep), at, 0, 0);
        lw += draw_text(a->win, y, lw, a->cols - lw - rw - 1, extra, strlen(extra), at, 0, 0);
    }
    /* the search in force stays in view (its matches are highlighted), after the filter */
    const char *term = a->bar.search_expr;
    if (!inline_message && term && term[0] && lw + 10 < a->cols - rw) {
        lw += draw_text(a->win, y, lw, a->cols - lw - rw - 1, "  search ", 9, at, 0, 0);
        draw_text(a->win, y, lw, a->cols - lw - rw - 1, term, strlen(term), at, 0, 0);
    }
    if (rw < a->cols - lw)
        draw_str(a->win, y, a->cols - rw, rw, right, at);
}

/* Rows above the status line, the progress line, the message, the prompt and a dialog. */
static int body_rows(const struct app *a)
{
    return a->rows - 1 - jobs_lines(a) - message_lines(a) - filterbar_rows(a) -
           (a->dialog != PANE__COUNT ? pane_get(a->dialog)->height : 0);
}

static void draw_pane(struct app *a, enum pane_id p, struct rect r, int focused)
{
    pane_get(p)->draw(a, a->pane_state[p], r, focused);
}

static void draw_all(struct app *a)
{
    a->redraw_soon = 0; /* a pane that still waits for other threads sets it again as it draws */
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
        draw_pane(a, a->overlay, (struct rect){0, 0, body, a->cols}, 1);
    } else if (!a->lower_open) {
        draw_pane(a, PANE_LIST, (struct rect){0, 0, body, a->cols}, 1);
    } else if (body < 20) {
        /* too short to split: the focused pane takes the screen */
        draw_pane(a, a->focus, (struct rect){0, 0, body, a->cols}, 1);
    } else {
        int list_h = body * 2 / 5;
        draw_pane(a, PANE_LIST, (struct rect){0, 0, list_h, a->cols}, a->focus == PANE_LIST);
        draw_pane(a, a->lower, (struct rect){list_h, 0, body - list_h, a->cols}, a->focus == a->lower);
    }
    draw_status(a, a->rows - 1);
    jobs_draw_lines(a, a->rows - 1 - jobs_lines(a));
    if (a->bar.kind != BAR_CLOSED)
        filterbar_draw(a, body);
    if (a->dialog != PANE__COUNT) /* last: a dialog leaves the cursor where it edits */
        draw_pane(a, a->dialog, (struct rect){body, 0, pane_get(a->dialog)->height, a->cols}, 1);
    wnoutrefresh(a->win);
    doupdate();
}

/* Lines of body available to pane p, for paging. */
static int pane_page(const struct app *a, enum pane_id p)
{
    int body = body_rows(a);
    if (a->overlay != PANE__COUNT || !a->lower_open || body < 20)
        return body - 1;
    int list_h = body * 2 / 5;
    return (p == PANE_LIST ? list_h : body - list_h) - 1;
}

/* Opens or closes pane p from its toggle action. */
static enum reaction toggle(struct app *a, enum pane_id p)
{
    switch (pane_get(p)->place) {
    case PLACE_LOWER:
        if (a->overlay != PANE__COUNT)
            return RE_UNHANDLED; /* the lower panes follow the list, which an overlay hides */
        /* fall through */
    case PLACE_OVERLAY:
        if (is_open(a, p))
            app_close(a, p);
        else
            app_open(a, p);
        return RE_REDRAW;
    case PLACE_DIALOG:
        if (a->overlay != PANE__COUNT)
            app_close(a, a->overlay);
        app_open(a, p);
        return RE_REDRAW;
    case PLACE_MAIN:
        break;
    }
    return RE_UNHANDLED;
}

/* Actions of no pane: the layout, the prompt, marks, following, quitting. */
static enum reaction global_key(struct app *a, enum action act)
{
    int main_screen = a->overlay == PANE__COUNT;
    switch (act) {
    case ACT_QUIT:
        return RE_QUIT;
    case ACT_CLOSE:
        if (!main_screen)
            app_close(a, a->overlay);
        else if (a->lower_open)
            app_close(a, a->lower);
        else
            return RE_UNHANDLED;
        return RE_REDRAW;
    case ACT_NEXT_PANE:
        if (!main_screen)
            return RE_UNHANDLED;
        if (!a->lower_open)
            app_open(a, a->lower);
        else
            a->focus = a->focus == PANE_LIST ? a->lower : PANE_LIST;
        return RE_REDRAW;
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        return RE_REDRAW;
    case ACT_FILTER:
    case ACT_SEARCH:
        if (!main_screen)
            app_close(a, a->overlay);
        return filterbar_open(a, act == ACT_FILTER ? BAR_FILTER : BAR_SEARCH);
    case ACT_FOLLOW:
        a->follow_asked = 0; /* the user's word overrides --follow's, which would start a second watch */
        if (follow_on(a)) {
            follow_stop(a);
            app_message(a, "stopped following");
        } else if (follow_start(a, a->paths, a->npaths) == 0) {
            app_message(a, "following: new log files load as they arrive");
        }
        return RE_REDRAW;
    case ACT_MARK:
        return main_screen ? marks_toggle(a) : RE_UNHANDLED;
    case ACT_MARK_ALL:
        return main_screen ? marks_all_shown(a) : RE_UNHANDLED;
    case ACT_UNMARK_ALL:
        return marks_clear(a);
    case ACT_EDITOR:
        return main_screen ? yank_edit_marked(a) : RE_UNHANDLED;
    case ACT_YANK:
    case ACT_PAGER:
        if (!main_screen || !app_count(a))
            return RE_UNHANDLED;
        return act == ACT_YANK ? yank_event(a, app_event(a, a->list.cur))
                               : yank_page_event(a, app_event(a, a->list.cur));
    case ACT_SORT_NEXT:
    case ACT_SORT_PREV:
    case ACT_SORT_INVERT:
        if (!main_screen)
            return RE_UNHANDLED;
        return listsort_step(a, act == ACT_SORT_NEXT ? 1 : act == ACT_SORT_PREV ? -1 : 0);
    case ACT_MARK_NEXT:
    case ACT_MARK_PREV:
        return main_screen ? marks_jump(a, act == ACT_MARK_NEXT ? 1 : -1) : RE_UNHANDLED;
    case ACT_SEARCH_NEXT:
    case ACT_SEARCH_PREV:
        if (!main_screen)
            return RE_UNHANDLED;
        return filterbar_search_jump(a, act == ACT_SEARCH_NEXT ? 1 : -1);
    default:
        return RE_UNHANDLED;
    }
}

/* The panes that take act even when not in front (the trace pane's T). */
static enum reaction background_key(struct app *a, struct keypress *k, enum pane_id front)
{
    for (int p = 0; p < PANE__COUNT; p++) {
        const struct pane_ops *o = pane_get((enum pane_id)p);
        if (p == (int)front || !o->background)
            continue;
        for (const enum action *b = o->background; *b != ACT_NONE; b++) {
            if (*b != k->act)
                continue;
            k->background = 1;
            enum reaction r = o->key(a, a->pane_state[p], k);
            k->background = 0;
            if (r != RE_UNHANDLED)
                return r;
        }
    }
    return RE_UNHANDLED;
}

/* A key that does nothing here says so, rather than being silently dropped. */
static enum reaction say_unhandled(struct app *a, int ch)
{
    char name[32];
    keys_name(ch, name, sizeof name);
    if (keys_action(ch) == ACT_NONE)
        app_message(a, "%s: not a key here (? lists them)", name);
    else
        app_message(a, "%s: nothing to do here", name);
    return RE_REDRAW;
}

/* Hands a key to the dialog when one is open, else to the pane in front, then to the panes that take
 * it in the background, then to the pane it toggles, then to the global actions. */
/* The mouse on the main screen: a click on a list row selects it, the wheel scrolls the pane under it
 * (the list, or the lower pane below it: the detail, the trace). */
static enum reaction mouse(struct app *a)
{
    MEVENT m;
    if (getmouse(&m) != OK || a->overlay != PANE__COUNT || a->dialog != PANE__COUNT)
        return RE_NONE;
    int list_rows = pane_page(a, PANE_LIST); /* below the header */
    size_t n = app_count(a);
    if ((m.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) && a->lower_open && m.y > list_rows) {
        struct keypress k = {0, m.bstate & BUTTON4_PRESSED ? ACT_UP : ACT_DOWN, pane_page(a, a->lower), 0};
        for (int i = 0; i < 3; i++)
            pane_get(a->lower)->key(a, a->pane_state[a->lower], &k);
        return RE_REDRAW;
    }
    if (m.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        for (int i = 0; i < 3; i++)
            scroll_move(&a->list, n, list_rows + 1, m.bstate & BUTTON4_PRESSED ? ACT_UP : ACT_DOWN);
        return RE_REDRAW;
    }
    if ((m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) && m.y >= 1 && m.y <= list_rows &&
        a->list.top + (size_t)(m.y - 1) < n &&
        (!a->lower_open || a->focus == PANE_LIST || m.y <= list_rows)) {
        a->list.cur = a->list.top + (size_t)(m.y - 1);
        a->focus = PANE_LIST;
        return RE_REDRAW;
    }
    return RE_NONE;
}

static enum reaction dispatch(struct app *a, int ch)
{
    if (ch == KEY_MOUSE)
        return mouse(a);
    struct keypress k = {ch, keys_action(ch), 0, 0};
    enum reaction r;
    if (a->dialog != PANE__COUNT) {
        k.page = pane_get(a->dialog)->height;
        r = pane_get(a->dialog)->key(a, a->pane_state[a->dialog], &k);
    } else {
        enum pane_id front = a->overlay != PANE__COUNT ? a->overlay : a->focus;
        k.page = pane_page(a, front);
        r = pane_get(front)->key(a, a->pane_state[front], &k);
        if (r == RE_UNHANDLED)
            r = background_key(a, &k, front);
        enum pane_id t = pane_by_toggle(k.act);
        if (r == RE_UNHANDLED && t != PANE__COUNT)
            r = toggle(a, t);
        if (r == RE_UNHANDLED)
            r = global_key(a, k.act);
    }
    return r == RE_UNHANDLED ? say_unhandled(a, ch) : r;
}

/* Curses on the terminal even when stdin is the log stream ("-"). */
static SCREEN *open_terminal(FILE **tty)
{
    *tty = NULL;
    if (isatty(STDIN_FILENO)) {
        signals_save_modes(STDIN_FILENO); /* as curses found them: restored by a fatal signal */
        return newterm(NULL, stdout, stdin);
    }
    *tty = fopen("/dev/tty", "r");
    if (!*tty)
        return NULL;
    signals_save_modes(fileno(*tty));
    return newterm(NULL, stdout, *tty);
}

static void free_panes(struct app *a)
{
    for (int p = 0; p < PANE__COUNT; p++) {
        if (a->pane_state[p] && pane_get((enum pane_id)p)->free)
            pane_get((enum pane_id)p)->free(a->pane_state[p]);
        free(a->pane_state[p]);
        a->pane_state[p] = NULL;
    }
}

/* Each pane's private state, sized by its ops (as tig sizes a view's). Returns 0, or -1 when out of
 * memory (nothing is then left allocated). */
static int create_panes(struct app *a)
{
    for (int p = 0; p < PANE__COUNT; p++) {
        const struct pane_ops *o = pane_get((enum pane_id)p);
        if (!o->size)
            continue;
        if (!(a->pane_state[p] = calloc(1, o->size)) || (o->create && o->create(a, a->pane_state[p]) != 0)) {
            free_panes(a);
            return -1;
        }
    }
    return 0;
}

/* Saves the case after a key changed it (marks, :note, :tag), so a crash or a kill loses nothing; a
 * failure is said in the status line. */
static void case_flush(struct app *a)
{
    char *err = NULL;
    if (casefile_flush(&err) != 0)
        app_message(a, "the case was not saved: %s", err ? err : "out of memory");
    free(err);
}

/* Waits for a key for at most ms milliseconds (-1: for ever); ERR when none came. */
static int key_within(int ms)
{
    timeout(ms);
    int ch = getch();
    timeout(-1);
    return ch;
}

int app_run(const char *const *paths, size_t npaths, const struct app_start *start)
{
    if (!isatty(STDOUT_FILENO)) {
        fprintf(stderr, "ctview: the interface needs a terminal on standard output; use --list or --stats\n");
        return 1;
    }
    setlocale(LC_ALL, "");
    struct app a = {.focus = PANE_LIST, .overlay = PANE__COUNT, .lower = PANE_DETAIL, .dialog = PANE__COUNT};
    a.paths = paths;
    a.no_state = start->no_state; /* before the panes: the list reads its remembered columns */
    a.npaths = npaths;
    a.since_ms = start->since_ms;
    a.scope = start->scope;
    a.poll_s = start->poll_s;
    a.until_ms = start->until_ms;
    a.rule_paths = start->rules;
    a.nrule_paths = start->nrules;
    a.store = store_new();
    if (a.store && casefile_attach(a.store) != 0) {
        store_free(a.store);
        a.store = NULL;
    }
    if (!a.store || create_panes(&a) != 0) {
        fprintf(stderr, "ctview: out of memory\n");
        store_free(a.store);
        return 2;
    }
    int src = session_start(&a, start);
    if (src != 0) {
        session_end(&a);
        free_panes(&a);
        store_free(a.store);
        return src;
    }
    /* stdin carrying logs loads in the background like any file (a slow pipe shows its progress and q
     * still quits): keys then come from /dev/tty */
    FILE *tty = NULL;
    signals_install();
    SCREEN *scr = open_terminal(&tty);
    if (!scr) {
        fprintf(stderr, "ctview: cannot open the terminal\n");
        session_end(&a);
        free_panes(&a);
        store_free(a.store);
        return 1;
    }
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    if (a.mouse) { /* off (config mouse = off, --no-mouse): the terminal keeps its own selection */
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(0);
    }
    curs_set(0);
    signals_terminal_on(tty ? fileno(tty) : STDIN_FILENO, STDOUT_FILENO, a.mouse);
    signals_graceful(1);
    theme_init(a.mono);
    a.win = stdscr;
    getmaxyx(stdscr, a.rows, a.cols);
    int rc = 0;
    if (loading_start(&a, paths, npaths, start->since_ms, start->until_ms, start->scope) != 0) {
        endwin();
        signals_terminal_off();
        delscreen(scr);
        if (tty)
            fclose(tty);
        fprintf(stderr, "ctview: out of memory\n");
        free_panes(&a);
        store_free(a.store);
        return 2;
    }
    if (start->filter && start->filter[0]) {
        filterbar_set(&a, start->filter);
        jobs_finish(&a, NULL);
    }
    if (!loading_on(&a) && a.store->nevents == 0)
        app_message(&a, "no events loaded%s", a.store->problems.count ? ": press p for the problems" : "");
    if (casefile_warning()) /* the case stays as it is on disk: the user's work is in it */
        app_message(&a, "the case cannot be read, changes are not saved: %s", casefile_warning());
    else if (casefile_notice()) /* the rest of the case is read and saved */
        app_message(&a, "the case: %s", casefile_notice());
    a.follow_asked = start->follow;
    int dirty = 1; /* the screen no longer shows the state: draw before waiting */
    for (;;) {
        if (signals_quit_requested())
            break; /* ^C, SIGTERM, SIGHUP: quit as q does, histories saved */
        if (tell_panes(&a))
            dirty = 1;
        if (dirty)
            draw_all(&a);
        dirty = 0;
        /* Background work (tui/jobs.c) gets the time between keys, in slices short enough that a key
         * never waits for more than one; with none, the loop sleeps until a key comes. */
        int wait = jobs_wait_ms(&a);
        int ch = key_within(wait);
        if (ch == ERR && wait >= 0) {
            if (jobs_step(&a))
                dirty = 1;
            continue;
        }
        if (ch == KEY_RESIZE || ch == ERR) {
            getmaxyx(stdscr, a.rows, a.cols);
            dirty = 1;
            continue;
        }
        int had_message = a.message[0] != '\0';
        a.message[0] = '\0';
        if (a.rows < MIN_ROWS || a.cols < MIN_COLS) {
            if (keys_action(ch) == ACT_QUIT)
                break;
            continue;
        }
        enum reaction r;
        if (a.bar.kind != BAR_CLOSED) {
            r = filterbar_key(&a, ch);
            if (r == RE_UNHANDLED)
                r = say_unhandled(&a, ch);
        } else {
            /* Outside the prompt, a key acts on the list the filter is making: finish it first, so
             * that M, e or n never see the list as it was before Enter; its progress stays in view.
             * Quitting needs no list, nor does opening the filter line to replace the filter that runs:
             * neither waits. */
            if (keys_action(ch) != ACT_QUIT && keys_action(ch) != ACT_FILTER)
                jobs_finish(&a, draw_all);
            if (tell_panes(&a))
                dirty = 1;
            r = dispatch(&a, ch);
        }
        case_flush(&a);
        if (r & RE_QUIT)
            break;
        if ((r & RE_REDRAW) || had_message || a.message[0])
            dirty = 1;
    }
    endwin();
    signals_terminal_off();
    delscreen(scr);
    if (tty)
        fclose(tty);
    session_end(&a);
    signals_graceful(0);
    if (signals_quit_requested())
        rc = 128 + signals_quit_requested(); /* as the shell reports a program the signal ended */
    jobs_cancel(&a);
    filterbar_free(&a);
    listsort_free(&a); /* its field holds a path index of the store */
    free_panes(&a);
    store_free(a.store);
    return rc;
}
