#include "tui/draw.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "model/textsafe.h"
#include "tui/theme.h"

/* One display unit: a printable character, or the escape text that stands for an unsafe one. */
struct unit {
    wchar_t wc;   /* the character when printable */
    char esc[12]; /* escape text when not */
    int width;
    size_t len; /* bytes consumed from the input */
};

static void next_unit(const char *s, size_t len, struct unit *u)
{
    uint32_t cp;
    size_t n = textsafe_utf8_decode(s, len, &cp);
    u->esc[0] = '\0';
    if (n == 0) {
        snprintf(u->esc, sizeof u->esc, "\\x%02x", (unsigned char)s[0]);
        u->len = 1;
    } else {
        u->len = n;
        int wdt = textsafe_is_unsafe(cp) ? -1 : wcwidth((wchar_t)cp);
        /* zero-width characters (combining marks and the like) are escaped too: they can stack without
         * limit on one cell or hide what precedes them */
        if (wdt <= 0) {
            if (cp < 0x100)
                snprintf(u->esc, sizeof u->esc, "\\x%02x", (unsigned)cp);
            else
                snprintf(u->esc, sizeof u->esc, "\\u%04x", (unsigned)cp);
        } else {
            u->wc = (wchar_t)cp;
            u->width = wdt;
            return;
        }
    }
    u->width = (int)strlen(u->esc);
}

int draw_width(const char *s, size_t len)
{
    int w = 0;
    struct unit u;
    for (size_t i = 0; i < len; i += u.len) {
        next_unit(s + i, len - i, &u);
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
    struct unit u;
    wmove(w, y, x);
    for (size_t i = 0; i < len && col < width; i += u.len) {
        next_unit(s + i, len - i, &u);
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

int draw_str(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
    return draw_text(w, y, x, width, s, strlen(s), attr, 0, 1);
}
