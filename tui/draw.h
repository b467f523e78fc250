/* draw: put log text on the screen safely. Every string from a log goes through draw_text, which shows
 * unsafe characters escaped (\x1b, \u202e), measures display columns (wide characters take two) and
 * never writes past the given width. */
#ifndef CTVIEW_DRAW_H
#define CTVIEW_DRAW_H

#include <curses.h>
#include <stddef.h>

/* Draws s[0..len) at (y, x) in at most width columns with attribute attr, skipping the first skip
 * columns (horizontal scroll), then pads with spaces to width when pad is set. What does not fit is
 * never cut silently: the last column shows draw_ellipsis(). Returns the columns used. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr, int skip, int pad);

struct highlight;

/* The search matches to show in a text drawn in one or more pieces (a JSON line drawn one colour at a
 * time): matches are found in the whole text, so one may cross pieces. */
struct draw_marks {
    const struct highlight *h; /* borrowed; NULL or no needles: nothing is marked */
    const char *text;          /* borrowed: the whole text; each piece drawn lies inside it */
    size_t len;
};

/* draw_text, with the characters inside m's matches in draw_marked_attr (m may be NULL). Matches are
 * found in the log's bytes; what is drawn for them is the escaped text, in the match's attribute. */
int draw_text_marked(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr, int skip,
                     int pad, const struct draw_marks *m);

/* The attribute of matched text drawn over attr: reverse video flipped, bold. */
attr_t draw_marked_attr(attr_t attr);

/* Same for a NUL-terminated string. */
int draw_str(WINDOW *w, int y, int x, int width, const char *s, attr_t attr);

/* draw_text_marked at the start of a cell (m may be NULL): when it does not fit, its start and
 * draw_ellipsis() in the last column. Returns the columns used. */
int draw_cut(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr,
             const struct draw_marks *m);

/* Draws s[0..len) in width columns keeping its tail: a path keeps its file name ("…/name.json",
 * model/present/textfit.h). Returns the columns used. */
int draw_tail(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr);

/* Most lines a wrapped text takes. */
#define DRAW_WRAP_MAX 16

/* Draws the NUL-terminated s wrapped at spaces over at most rows lines (and DRAW_WRAP_MAX) of width
 * columns from (y, x), each filled with attr; what does not fit ends the last line cut at a word
 * boundary with draw_ellipsis(), a word wider than a line keeps its tail. Returns the lines used. */
int draw_wrapped(WINDOW *w, int y, int x, int width, int rows, const char *s, attr_t attr);

/* The lines draw_wrapped would use, without drawing. */
int draw_wrap_rows(const char *s, int width, int rows);

/* Whether the terminal's locale is UTF-8 (nl_langinfo, after setlocale): else box and block characters
 * and the ellipsis fall back to ASCII. */
int draw_utf8(void);

/* The mark ending a cut text: "…" (U+2026, one column) in a UTF-8 locale, else "~". Static storage. */
const char *draw_ellipsis(void);

/* Display columns s[0..len) takes once escaped. */
int draw_width(const char *s, size_t len);

/* Fills width columns at (y, x) with spaces in attr. */
void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr);

#endif
