#include "tui/draw.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "model/textsafe.h"
#include "tui/theme.h"

int draw_width(const char *s, size_t len)
{
    int w = 0;
    struct text_unit u;
    for (size_t i = 0; i < len; i += u.len) {
        textsafe_next_unit(s + i, len - i, &u);
        w += u.width;
    }
    return w;
}

void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
    if (width <= 0)
        return;
    wattrset(w, attr);
    mvwhline(w, y, x, ' ', width);
}

int draw_text(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr, int skip, int pad)
{
    int col = 0, vcol = 0; /* columns drawn, columns passed (including skipped) */
    struct text_unit u;
    wmove(w, y, x);
    for (size_t i = 0; i < len && col < width; i += u.len) {
        textsafe_next_unit(s + i, len - i, &u);
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
    if (pad && col < width) {
        draw_fill(w, y, x + col, width - col, attr);
        col = width;
    }
    return col;
}

int draw_cut(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr)
{
    if (width <= 0)
        return 0;
    if (draw_width(s, len) <= width)
        return draw_text(w, y, x, width, s, len, attr, 0, 0);
    int used = draw_text(w, y, x, width - 1, s, len, attr, 0, 0);
    return used + draw_text(w, y, x + used, 1, "\xe2\x80\xa6", 3, attr, 0, 0); /* U+2026 */
}

int draw_str(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
    return draw_text(w, y, x, width, s, strlen(s), attr, 0, 1);
}
