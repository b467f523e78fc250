/* view: what the app loop and the panes share. A pane is a table of operations; the loop owns layout,
 * resize and focus, and hands each action to the focused pane first. */
#ifndef CTVIEW_VIEW_H
#define CTVIEW_VIEW_H

#include <curses.h>
#include <stddef.h>

#include "model/filter.h"
#include "model/jsonfmt.h"
#include "model/overview.h"
#include "model/store.h"
#include "parsers/load.h"
#include "model/trace.h"
#include "tui/keys.h"
#include "tui/prompt.h"

/* What a handler asks of the loop, instead of drawing itself. */
enum reaction {
    RE_UNHANDLED = 0, /* not mine: let the loop try */
    RE_NONE = 1,      /* handled, nothing to redraw */
    RE_REDRAW = 2,
    RE_QUIT = 4,
};

struct rect {
    int y, x, h, w;
};

enum pane_id { PANE_LIST, PANE_DETAIL, PANE_TRACE, PANE_OVERVIEW, PANE_PROBLEMS, PANE_HELP, PANE__COUNT };

struct app;
struct trace_line;
struct watch;

struct pane_ops {
    const char *name;
    void (*draw)(struct app *a, struct rect r, int focused);
    enum reaction (*key)(struct app *a, enum action act, int page);
};

/* Scroll state of a line-oriented pane: cursor line and first line shown. */
struct scroll {
    size_t cur, top;
};

/* The events the list shows: store indexes in time order, and the filter that chose them. */
struct shown {
    uint32_t *idx; /* owned; NULL when every event shows */
    size_t n;
    char *expr; /* owned; NULL or "" for no filter */
};

enum bar_kind { BAR_CLOSED, BAR_FILTER, BAR_SEARCH };

struct app {
    struct store *store;
    struct shown shown;
    uint64_t shown_gen; /* changes whenever shown does */
    WINDOW *win;
    int rows, cols;
    enum pane_id focus;   /* PANE_LIST or PANE_DETAIL on the main screen */
    enum pane_id overlay; /* PANE_PROBLEMS or PANE_HELP when one covers the main screen, else PANE__COUNT */
    int detail_open;      /* the lower pane is open */
    enum pane_id lower;   /* which pane is below the list: PANE_DETAIL or PANE_TRACE */
    struct scroll list;
    struct {
        size_t event; /* index of the event the doc was made for, SIZE_MAX for none */
        struct json_doc doc;
        char *error;           /* why the event's bytes could not be shown (owned) */
        unsigned char *folded; /* one flag per doc line */
        size_t *visible;       /* doc line of each visible line, after folding */
        size_t nvisible;
        struct scroll s;
        int hscroll;
    } detail;
    struct {
        struct trace_index *index; /* owned, built at the first trace */
        struct trace t;
        size_t event;             /* the event t is for, SIZE_MAX for none */
        struct trace_line *lines; /* owned */
        size_t nlines;
        struct scroll s;
    } trace;
    struct {
        struct histogram h;
        struct summary sum;
        int valid, width, focus; /* focus: 0 histogram, 1 summary */
        uint64_t gen;
        size_t bucket, row;
        int field, rows_each;
    } ov;
    struct scroll problems;
    int problems_hscroll;
    struct scroll help;
    char message[256]; /* shown in the status line until the next key */
    struct {
        enum bar_kind kind;
        struct prompt line;
        struct shown saved; /* the filter in force when the filter prompt opened, restored by Esc */
        struct scroll saved_list;
        char error[320]; /* why the text in the prompt is not a valid expression */
    } bar;
    struct {
        struct filter *f; /* owned while a filter runs over the store, else NULL */
        struct filter_run run;
        char *expr; /* owned */
    } job;
    struct history filter_hist, search_hist;
    unsigned char *marks; /* owned: one flag per store event, allocated at the first mark */
    size_t nmarked;
    struct {
        int open;
        struct prompt path;
        char base[64]; /* the default name without extension */
        int path_edited;
        int format; /* enum export_format */
        int gzip;
        int row;     /* the field being changed */
        int confirm; /* asking whether to overwrite */
        char error[400];
    } exp;
    struct {
        int on, fd;            /* following the directories given (inotify), fd -1 when not */
        struct watch *watches; /* owned */
        size_t nwatches;
        size_t added; /* events that arrived while following */
    } follow;
    struct {
        struct loader *loader; /* owned while the first load runs in the background, else NULL */
        double started, last_absorb, absorb_cost; /* seconds (monotonic) */
        struct load_progress progress;
        size_t absorbed; /* events already merged into time order and shown */
        int failed;      /* out of memory: the load stopped, what came in stays */
    } load;
    const char *const *paths; /* borrowed: what the user asked to open */
    size_t npaths;
    struct filter *search; /* owned: the compiled search of n/N, or NULL */
    char *search_expr;     /* owned */
};

/* Number of events the list shows. */
static inline size_t app_count(const struct app *a)
{
    return a->shown.idx ? a->shown.n : a->store->nevents;
}

/* Store index of the event on list row `row` (< app_count). */
static inline size_t app_event(const struct app *a, size_t row)
{
    return a->shown.idx ? a->shown.idx[row] : row;
}

extern const struct pane_ops pane_list_ops, pane_detail_ops, pane_trace_ops, pane_overview_ops,
    pane_problems_ops, pane_help_ops;

void overview_free(struct app *a);

/* The first list row whose store event index is >= ev (the list is in store order). */
size_t app_row_of(const struct app *a, size_t ev);

/* Puts the list's selection on store event ev, clearing the filter when it hides ev. */
void app_select_event(struct app *a, size_t ev);

/* Opens the lower pane with p (PANE_DETAIL or PANE_TRACE) and focuses it. */
void app_open_lower(struct app *a, enum pane_id p);

void trace_state_free(struct app *a);

/* Filters the list to the selected event's whole chain (the trace the pane holds, built if needed). */
enum reaction trace_filter_chain(struct app *a);

/* Moves a scroll state by one action over n lines with a page of page lines; returns RE_REDRAW when
 * the action was a movement, RE_UNHANDLED otherwise. */
enum reaction scroll_move(struct scroll *s, size_t n, int page, enum action act);

/* Keeps the cursor inside the window of page lines. */
void scroll_clamp(struct scroll *s, size_t n, int page);

/* Sets the status message (printf-style). */
void app_message(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Releases the detail pane's document (the pane rebuilds it when it next draws). */
void detail_free(struct app *a);

/* The filter and search bar (tui/filterbar.c). */
enum reaction bar_open(struct app *a, enum bar_kind kind);
enum reaction bar_key(struct app *a, int ch);   /* while the bar is open: every key goes here */
void bar_draw(struct app *a, int y);            /* the prompt on line y, its error on y + 1 */
int filter_busy(const struct app *a);           /* a filter is running over the store */
int filter_work(struct app *a, double seconds); /* runs it for about that long; 1 when it finished */
enum reaction filter_add_term(struct app *a, const char *term); /* ANDs term to the filter in force */
enum reaction filter_set(struct app *a, const char *expr);      /* replaces the filter in force */
enum reaction search_jump(struct app *a, int dir);
void filter_state_free(struct app *a);
void filter_refresh(struct app *a,
                    size_t sel); /* re-runs the filter in force (the store grew), selects sel */

/* The first load, in the background (tui/loading.c): the list fills while keys work. */
int loading_start(struct app *a, const char *const *paths, size_t npaths, int64_t since_ms, int64_t until_ms);
void loading_step(struct app *a, double budget); /* merges what the workers read; ends the load when done */
void loading_draw(struct app *a, int y);         /* the progress line */
void loading_stop(struct app *a);
double app_now(void); /* monotonic seconds */

/* Merges events appended from index from into time order, moving selection and marks (tui/follow.c). */
void app_absorb(struct app *a, size_t from);

/* Following directories (tui/follow.c). */
int follow_start(struct app *a, const char *const *paths, size_t npaths);
void follow_stop(struct app *a);
int follow_poll(struct app *a); /* loads what arrived; 1 when something changed */

/* Marks and the export dialog (tui/exportdlg.c). */
int marks_ensure(struct app *a);
enum reaction marks_toggle(struct app *a); /* the selected event, then moves down */
enum reaction marks_all_shown(struct app *a);
enum reaction marks_clear(struct app *a);
enum reaction export_open(struct app *a);
enum reaction export_key(struct app *a, int ch); /* while the dialog is open: every key goes here */
int export_rows(const struct app *a);            /* lines the dialog takes above the status line */
void export_draw(struct app *a, int y);

#endif
