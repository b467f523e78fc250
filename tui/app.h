/* app: the terminal interface. Owns the screen, the layout, focus and the key loop; holds only what the
 * panes share (the store, the shown list and its generation, the selection, marks, the layout, the
 * prompt and the status message). Each pane's own state is private to it (tui/pane.h). */
#ifndef CTVIEW_APP_H
#define CTVIEW_APP_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "model/base/problems.h"

#include "model/query/filter.h"
#include "model/store/store.h"
#include "model/base/tz.h"
#include "tui/filterbar.h"
#include "tui/listsort.h"
#include "tui/pane.h"
#include "tui/prompt.h"
#include "tui/scroll.h"
#include "tui/shown.h"

/* What the interface starts with besides the paths: a time range that prunes folders and files, and
 * a filter in force from the first screen (NULL for none). */
struct s3open_opts;

struct app_start {
    int64_t since_ms, until_ms; /* INT64_MIN / INT64_MAX for none */
    const char *filter;
    int follow;               /* watch the directories for new files */
    int poll_s;               /* --poll: seconds between listings of followed s3:// paths (0: 60) */
    const char *const *rules; /* --rules paths (borrowed), nrules of them; none: the shipped rules */
    size_t nrules;
    const char *tz; /* --tz: the zone times are shown in (NULL: the config's, else UTC) */
    int no_state;   /* --no-state: neither read nor write the state file */
    int no_mouse;   /* --no-mouse: leave the mouse to the terminal */
    const struct s3open_opts *scope; /* borrowed: --account, --region and how s3:// paths are opened */
};

/* Loads paths and runs the interface until the user quits. Returns the process exit status. */
int app_run(const char *const *paths, size_t npaths, const struct app_start *start);

struct follow;
struct loading;

struct app {
    struct store *store; /* owned */
    uint64_t store_gen;  /* changes whenever events are added and re-sorted */
    struct shown shown;
    uint64_t shown_gen;   /* changes whenever shown does */
    struct listsort sort; /* the list's order when sorted by a column (tui/listsort.c) */
    struct scroll list;   /* the selection: list row of the selected event, first row on screen */
    WINDOW *win;
    int rows, cols;
    /* layout */
    enum pane_id focus;   /* PANE_LIST or the lower pane */
    enum pane_id overlay; /* a PLACE_OVERLAY pane covering the main screen, or PANE__COUNT */
    enum pane_id lower;   /* the PLACE_LOWER pane below the list (shown when lower_open) */
    int lower_open;
    enum pane_id dialog;           /* the PLACE_DIALOG pane open above the status line, or PANE__COUNT */
    void *pane_state[PANE__COUNT]; /* owned, each by its pane's ops */
    uint64_t told_store_gen, told_shown_gen; /* what the panes' changed hooks last heard */
    char message[1024];                      /* shown in the status line until the next key */
    struct filterbar bar;                    /* the prompt, and the filter and search it runs */
    size_t nmarked; /* events marked (their EVF_MARKED flag, tui/marks.c) */
    struct follow *follow;   /* owned by tui/follow.c while following, else NULL */
    struct loading *loading; /* owned by tui/loading.c while the first load runs, else NULL */
    size_t follow_new;       /* events that arrived while following with the selection off the last row */
    int follow_asked;        /* --follow: following starts once the first load is done (tui/jobs.c) */
    const char *const *rule_paths; /* borrowed: the Sigma rules to run (--rules), or none: the shipped */
    size_t nrule_paths;
    const char *const *paths; /* borrowed: what the user asked to open */
    size_t npaths;
    int64_t since_ms, until_ms; /* the range the load pruned by (app_start), for reading the tree again */
    const struct s3open_opts *scope; /* borrowed (app_start): accounts, regions, how s3:// paths open */
    int poll_s;                      /* app_start's */
    /* the user's preferences (tui/session.c: config file, then options) */
    struct tz tz;            /* the zone times are shown in */
    int relative_time;       /* the list shows "3h ago" */
    int mono, mouse;         /* no colours; mouse events on */
    struct history cmd_hist; /* the ':' command line's */
    char *state_path;        /* owned: where the histories are kept, NULL when not kept */
    int no_state;            /* --no-state: nothing is read from or written to the state directory */
    int redraw_soon;         /* a pane drawn waits for work on other threads (a path's index): the loop
                                draws again shortly rather than wait for a key (tui/jobs.c) */
};

/* Number of events the list shows. */
static inline size_t app_count(const struct app *a)
{
    return a->shown.idx ? a->shown.n : a->store->nevents;
}

/* Store index of the event on list row `row` (< app_count): the shown list's, in time order, or in the
 * sort's order when the list is sorted by a column. */
static inline size_t app_event(const struct app *a, size_t row)
{
    /* rows past those sorted: events the load added since, at the end until the next re-sort */
    size_t pos = a->sort.order && row < a->sort.n ? a->sort.order[row] : row;
    return a->shown.idx ? a->shown.idx[pos] : pos;
}

/* The list row of the first shown event, in time order, whose store index is >= ev (app_count when
 * none): ev's own row when it is shown, wherever a sort put it. */
size_t app_row_of(const struct app *a, size_t ev);

/* The private state of pane p (borrowed; NULL for a pane without state): for a pane's companion module
 * (tui/listcols.c holds the list pane's columns). */
void *app_pane_state(const struct app *a, enum pane_id p);

/* Puts the list's selection on store event ev, clearing the filter when it hides ev. */
void app_select_event(struct app *a, size_t ev);

/* Opens pane p in its place and focuses it; returns nonzero when the pane refused (it said why). */
int app_open(struct app *a, enum pane_id p);

/* Closes pane p when it is open. */
void app_close(struct app *a, enum pane_id p);

/* Sets the status message (printf-style). */
void app_message(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Merges events appended from index from into time order, moving the selection and the marks, and
 * re-shows the filter in force. The panes hear of it through their changed hook. */
void app_absorb(struct app *a, size_t from);

#endif
