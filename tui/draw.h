/* draw: put log text on the screen safely. Every string from a log goes through draw_text, which shows
 * unsafe characters escaped (\x1b, \u202e), measures display columns (wide characters take two) and
 * never writes past the given width. */
#ifndef CTVIEW_DRAW_H
#define CTVIEW_DRAW_H

#include <curses.h>
#include <stddef.h>

/* Draws s[0..len) at (y, x) in at most width columns with attribute attr, skipping the first skip
 * columns (horizontal scroll), then pads with spaces to width when pad is set. Returns the columns used. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr, int skip, int pad);

/* Same for a NUL-terminated string. */
int draw_str(WINDOW *w, int y, int x, int width, const char *s, attr_t attr);

/* Draws s[0..len) in width columns like draw_text; when it does not fit, its start and an ellipsis
 * (never a silent cut). Returns the columns used. */
int draw_cut(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr);

/* Display columns s[0..len) takes once escaped. */
int draw_width(const char *s, size_t len);

/* Fills width columns at (y, x) with spaces in attr. */
void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr);

#endif
