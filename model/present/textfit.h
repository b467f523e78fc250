/* textfit: text cut to a number of terminal columns, the cut always shown. The caller draws one
 * ellipsis column where textfit says (tui/draw.c: "…", or "~" on a terminal that is not UTF-8), so no
 * value, path or message is ever cut silently:
 *   - a value keeps its head, the ellipsis in its last column ("ConsoleLog…");
 *   - a path keeps its tail, the file name, from a '/' when one fits ("…/ctview-export-1.json");
 *   - a message is wrapped at spaces over lines, the last line it may use cut at a word boundary, and a
 *     word wider than a line (a path) keeps its tail.
 * Columns are those of the escaped text (model/present/textsafe.h: textsafe_next_unit), so the locale's
 * LC_CTYPE must be set. */
#ifndef CTVIEW_TEXTFIT_H
#define CTVIEW_TEXTFIT_H

#include <stddef.h>

/* Display columns s[0..len) takes once escaped. */
int textfit_width(const char *s, size_t len);

/* Bytes of s[0..len) to draw from its start in width columns: all of it when it fits (*cut = 0), else
 * the longest start that fits width - 1 columns, the last one left for the ellipsis (*cut = 1). */
size_t textfit_head(const char *s, size_t len, int width, int *cut);

/* Offset in s[0..len) from which its tail fits width columns: 0 when all of it fits (*cut = 0), else
 * (*cut = 1) the tail fits width - 1 columns after the ellipsis, starting at a '/' when one is in it. */
size_t textfit_tail(const char *s, size_t len, int width, int *cut);

/* One line of wrapped text: s[start..start + len), with an ellipsis before it (lead) or after it
 * (trail). Its width with the ellipses is at most the width asked. */
struct textfit_line {
    size_t start, len;
    int lead, trail;
};

/* Wraps s[0..len) (one paragraph: a newline or other control character counts as a character) into at
 * most max lines of width columns (width >= 2, max >= 1), breaking at spaces; a word wider than a line
 * keeps its tail on a line of its own (textfit_tail); what does not fit in max lines is cut at a word
 * boundary at the end of the last line (trail). Returns the lines written into lines[0..max). */
size_t textfit_wrap(const char *s, size_t len, int width, struct textfit_line *lines, size_t max);

#endif
