/* view: what the app loop and the panes share. A pane is a table of operations; the loop owns layout,
 * resize and focus, and hands each action to the focused pane first. */
#ifndef CTVIEW_VIEW_H
#define CTVIEW_VIEW_H

#include <curses.h>
#include <stddef.h>

#include "model/jsonfmt.h"
#include "model/store.h"
#include "tui/keys.h"

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

enum pane_id { PANE_LIST, PANE_DETAIL, PANE_PROBLEMS, PANE_HELP, PANE__COUNT };

struct app;

struct pane_ops {
    const char *name;
    void (*draw)(struct app *a, struct rect r, int focused);
    enum reaction (*key)(struct app *a, enum action act, int page);
};

/* Scroll state of a line-oriented pane: cursor line and first line shown. */
struct scroll {
    size_t cur, top;
};

struct app {
    struct store *store;
    WINDOW *win;
    int rows, cols;
    enum pane_id focus;   /* PANE_LIST or PANE_DETAIL on the main screen */
    enum pane_id overlay; /* PANE_PROBLEMS or PANE_HELP when one covers the main screen, else PANE__COUNT */
    int detail_open;
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
    struct scroll problems;
    int problems_hscroll;
    struct scroll help;
    char message[256]; /* shown in the status line until the next key */
};

extern const struct pane_ops pane_list_ops, pane_detail_ops, pane_problems_ops, pane_help_ops;

/* Moves a scroll state by one action over n lines with a page of page lines; returns RE_REDRAW when
 * the action was a movement, RE_UNHANDLED otherwise. */
enum reaction scroll_move(struct scroll *s, size_t n, int page, enum action act);

/* Keeps the cursor inside the window of page lines. */
void scroll_clamp(struct scroll *s, size_t n, int page);

/* Sets the status message (printf-style). */
void app_message(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Releases the detail pane's document (the pane rebuilds it when it next draws). */
void detail_free(struct app *a);

#endif
