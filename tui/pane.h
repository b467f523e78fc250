/* pane: what a pane is to the app loop, and the table of every pane.
 *
 * A pane is a table of operations over its own private state (created by the pane, never looked into by
 * anyone else). The loop owns layout, focus and resize, hands each key to the pane in front first, and
 * acts on the reaction it returns. Adding a pane: one new file tui/pane_NAME.c that defines
 * pane_NAME_ops, one line in PANES below, and its actions in tui/keys.h. */
#ifndef CTVIEW_PANE_H
#define CTVIEW_PANE_H

#include <stddef.h>

#include "tui/keys.h"

/* X(id, ops): every pane, in no particular order. */
#define PANES(X)                                                                                             \
    X(PANE_LIST, pane_list_ops)                                                                              \
    X(PANE_DETAIL, pane_detail_ops)                                                                          \
    X(PANE_TRACE, pane_trace_ops)                                                                            \
    X(PANE_OVERVIEW, pane_overview_ops)                                                                      \
    X(PANE_ACTORS, pane_actors_ops)                                                                          \
    X(PANE_PROBLEMS, pane_problems_ops)                                                                      \
    X(PANE_HELP, pane_help_ops)                                                                              \
    X(PANE_EXPORT, pane_export_ops)                                                                          \
    X(PANE_FINDINGS, pane_findings_ops)                                                                      \
    X(PANE_COLUMNS, pane_columns_ops)                                                                        \
    X(PANE_COMMAND, pane_command_ops)                                                                        \
    X(PANE_CASE, pane_case_ops)                                                                              \
    /* a new pane: one more line above this one */

enum pane_id {
#define X(id, ops) id,
    PANES(X)
#undef X
        PANE__COUNT /* also "no pane" in a layout slot */
};

/* What a handler asks of the loop, instead of drawing itself. Flags. */
enum reaction {
    RE_UNHANDLED = 0, /* not mine: the loop offers the key elsewhere, else says it does nothing here */
    RE_NONE = 1,      /* handled, nothing to redraw */
    RE_REDRAW = 2,
    RE_QUIT = 4,
};

/* Where a pane shows when its action opens it. */
enum pane_place {
    PLACE_MAIN,    /* the list: always there under everything */
    PLACE_LOWER,   /* below the list, sharing the screen and the focus with it */
    PLACE_OVERLAY, /* covers the main screen until closed */
    PLACE_DIALOG,  /* lines above the status line; takes every key while open */
};

/* What changed since the loop last told the panes (flags of the changed hook). */
enum pane_change {
    CHANGED_SHOWN = 1, /* the shown set (filter, or new events shown) */
    CHANGED_STORE = 2, /* events were added and the store re-sorted: every event index held is void */
};

struct rect {
    int y, x, h, w;
};

struct keypress {
    int ch;          /* the curses key code, for panes that edit text */
    enum action act; /* what the key table binds ch to, ACT_NONE for nothing */
    int page;        /* lines of the pane's body, for paging */
    int background;  /* the pane is not in front: it gets this key as one of its background actions */
};

struct app;

struct pane_ops {
    const char *name; /* as shown in the status line */
    enum pane_place place;
    enum action toggle;            /* opens and closes the pane (ACT_NONE: opened by other means) */
    const enum action *background; /* taken even when not in front, ACT_NONE-terminated; may be NULL */
    int height;                    /* PLACE_DIALOG: lines taken above the status line */

    size_t size; /* of the private state, which the loop allocates zeroed and frees; 0 for none */
    /* Sets up the zeroed state; nonzero when out of memory. May be NULL. */
    int (*create)(struct app *a, void *st);
    void (*free)(void *st); /* releases what the state owns, not the state itself; may be NULL */
    /* Called when the pane opens; nonzero refuses (it said why with app_message). May be NULL. */
    int (*open)(struct app *a, void *st);
    void (*close)(struct app *a, void *st); /* may be NULL */
    void (*draw)(struct app *a, void *st, struct rect r, int focused);
    enum reaction (*key)(struct app *a, void *st, const struct keypress *k);
    /* The store or the shown set changed (enum pane_change flags): drop what was computed from them.
     * May be NULL for a pane that keeps nothing derived, or that only needs reset_on. */
    void (*changed)(struct app *a, void *st, unsigned what);
    unsigned reset_on; /* enum pane_change flags on which the loop frees the state and creates it again */
};

#define X(id, ops) extern const struct pane_ops ops;
PANES(X)
#undef X

/* The operations of pane p (< PANE__COUNT). */
const struct pane_ops *pane_get(enum pane_id p);

/* The pane whose toggle is act, or PANE__COUNT. */
enum pane_id pane_by_toggle(enum action act);

#endif
