/* scroll: the cursor and first shown line of a line-oriented pane, moved by the movement actions. */
#ifndef CTVIEW_SCROLL_H
#define CTVIEW_SCROLL_H

#include <stddef.h>

#include "tui/keys.h"
#include "tui/pane.h"

struct scroll {
    size_t cur, top;
};

/* Moves s by one action over n lines with a page of page lines; returns RE_REDRAW when the action was a
 * movement, RE_UNHANDLED otherwise. */
enum reaction scroll_move(struct scroll *s, size_t n, int page, enum action act);

/* Keeps the cursor inside the window of page lines. */
void scroll_clamp(struct scroll *s, size_t n, int page);

#endif
