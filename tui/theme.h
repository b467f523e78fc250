/* theme: what each part of the screen looks like, in colour or (NO_COLOR, monochrome terminals) in
 * attributes alone. Every role stays distinguishable without colour. */
#ifndef CTVIEW_THEME_H
#define CTVIEW_THEME_H

#include <curses.h>

enum role {
    R_NORMAL,
    R_HEADER,       /* column headers */
    R_SELECTED,     /* the selected row in the focused pane */
    R_SELECTED_DIM, /* the selected row in a pane without focus */
    R_STATUS,       /* the status line */
    R_ERROR,        /* error cells, problem rows */
    R_TITLE,        /* pane titles */
    R_J_KEY,
    R_J_STRING,
    R_J_NUMBER,
    R_J_LITERAL,
    R_J_PUNCT,
    R_ESCAPED, /* characters shown escaped because they came from a log and are unsafe */
    /* Sigma levels: drawn with the level's name or initial, so colour is never the only sign */
    R_LEVEL_INFO,
    R_LEVEL_LOW,
    R_LEVEL_MEDIUM,
    R_LEVEL_HIGH,
    R_LEVEL_CRITICAL,
    R__COUNT
};

/* Sets the roles up; call after initscr. Attributes alone when mono is set or NO_COLOR is (any non-empty
 * value). */
void theme_init(int mono);

/* Attributes (colour pair included) for a role. */
attr_t theme_attr(enum role r);

#endif
