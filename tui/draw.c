#include "tui/draw.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "model/present/highlight.h"
#include "model/present/textfit.h"
#include "model/present/textsafe.h"
#include "tui/theme.h"

int draw_width(const char *s, size_t len)
{
    return textfit_width(s, len);
}

void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
    if (width <= 0)
        return;
    wattrset(w, attr);
    mvwhline(w, y, x, ' ', width);
}

/* The first match of m->h in m->text that ends after offset at (matches may start in an earlier piece):
 * returns 1 and sets [*start, *end), or 0. */
static int mark_next(const struct draw_marks *m, size_t at, size_t *start, size_t *end)
{
    size_t from = 0;
    while (highlight_find(m->h, m->text, m->len, from, start, end)) {
        if (*end > at)
            return 1;
        from = *end;
    }
    return 0;
}

int draw_text(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr, int skip, int pad)
{
    return draw_text_marked(w, y, x, width, s, len, attr, skip, pad, NULL);
}

int draw_text_marked(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr_in, int skip,
                     int pad, const struct draw_marks *m)
{
    if (width <= 0)
        return 0;
    /* never a silent cut: what goes past the right edge leaves its last column to the ellipsis */
    int cut = draw_width(s, len) - skip > width;
    int full = width;
    if (cut)
        width--;
    int col = 0, vcol = 0; /* columns drawn, columns passed (including skipped) */
    struct text_unit u;
    /* s is m->text[base..base + len); a unit is marked when its first byte is inside a match */
    int marking = m && m->h && m->h->n && s >= m->text && s + len <= m->text + m->len;
    size_t base = marking ? (size_t)(s - m->text) : 0, ms = 0, me = 0;
    int have = marking && mark_next(m, base, &ms, &me);
    wmove(w, y, x);
    for (size_t i = 0; i < len && col < width; i += u.len) {
        textsafe_next_unit(s + i, len - i, &u);
        while (have && base + i >= me)
            have = highlight_find(m->h, m->text, m->len, me, &ms, &me);
        attr_t attr = have && base + i >= ms ? draw_marked_attr(attr_in) : attr_in;
        if (vcol + u.width <= skip) {
            vcol += u.width;
            continue;
        }
        if (u.esc[0]) {
            wattrset(w, attr | theme_attr(R_ESCAPED));
            int from = vcol < skip ? skip - vcol : 0;
            for (int k = from; u.esc[k] && col < width; k++, col++)
                waddch(w, (chtype)(unsigned char)u.esc[k]);
        } else if (vcol < skip) {
            /* a wide character cut by the scroll position: show its visible half as a space */
            wattrset(w, attr);
            waddch(w, ' ');
            col++;
        } else {
            if (col + u.width > width)
                break;
            wattrset(w, attr);
            wchar_t ws[2] = {u.wc, 0};
            waddnwstr(w, ws, 1);
            col += u.width;
        }
        vcol += u.width;
    }
    if (cut) {
        draw_fill(w, y, x + col, width - col, attr_in); /* a wide character that did not fit */
        const char *e = draw_ellipsis();
        wattrset(w, attr_in);
        waddstr(w, e);
        return full;
    }
    if (pad && col < width) {
        draw_fill(w, y, x + col, width - col, attr_in);
        col = width;
    }
    return col;
}

attr_t draw_marked_attr(attr_t attr)
{
    /* reverse video flips, so a match stays visible on a selected (reversed) row and without colour */
    return (attr ^ A_REVERSE) | A_BOLD;
}

int draw_utf8(void)
{
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

const char *draw_ellipsis(void)
{
    return draw_utf8() ? "\xe2\x80\xa6" : "~"; /* U+2026, or a plain mark a non-UTF-8 terminal shows */
}

int draw_cut(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr,
             const struct draw_marks *m)
{
    return draw_text_marked(w, y, x, width, s, len, attr, 0, 0, m);
}

int draw_tail(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr)
{
    if (width <= 0)
        return 0;
    int cut;
    size_t from = textfit_tail(s, len, width, &cut);
    if (!cut || width < 2)
        return draw_text(w, y, x, width, s, len, attr, 0, 0);
    const char *e = draw_ellipsis();
    wattrset(w, attr);
    mvwaddstr(w, y, x, e);
    return 1 + draw_text(w, y, x + 1, width - 1, s + from, len - from, attr, 0, 0);
}

int draw_wrapped(WINDOW *w, int y, int x, int width, int rows, const char *s, attr_t attr)
{
    struct textfit_line lines[DRAW_WRAP_MAX];
    if (width < 2 || rows < 1)
        return 0;
    size_t n = textfit_wrap(s, strlen(s), width, lines, rows < DRAW_WRAP_MAX ? (size_t)rows : DRAW_WRAP_MAX);
    const char *e = draw_ellipsis();
    for (size_t i = 0; i < n; i++) {
        int col = 0;
        draw_fill(w, y + (int)i, x, width, attr);
        if (lines[i].lead) {
            wattrset(w, attr);
            mvwaddstr(w, y + (int)i, x, e);
            col = 1;
        }
        col += draw_text(w, y + (int)i, x + col, width - col, s + lines[i].start, lines[i].len, attr, 0, 0);
        if (lines[i].trail) {
            wattrset(w, attr);
            mvwaddstr(w, y + (int)i, x + col, e);
        }
    }
    return (int)n;
}

int draw_wrap_rows(const char *s, int width, int rows)
{
    struct textfit_line lines[DRAW_WRAP_MAX];
    if (width < 2 || rows < 1)
        return 0;
    return (int)textfit_wrap(s, strlen(s), width, lines, rows < DRAW_WRAP_MAX ? (size_t)rows : DRAW_WRAP_MAX);
}

int draw_str(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
    return draw_text(w, y, x, width, s, strlen(s), attr, 0, 1);
}
