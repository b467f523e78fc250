#include "tui/scroll.h"

void scroll_clamp(struct scroll *s, size_t n, int page)
{
    size_t p = page > 0 ? (size_t)page : 1;
    if (n == 0) {
        s->cur = s->top = 0;
        return;
    }
    if (s->cur >= n)
        s->cur = n - 1;
    if (s->cur < s->top)
        s->top = s->cur;
    if (s->cur >= s->top + p)
        s->top = s->cur - p + 1;
    if (s->top + p > n)
        s->top = n > p ? n - p : 0;
}

enum reaction scroll_move(struct scroll *s, size_t n, int page, enum action act)
{
    size_t p = page > 1 ? (size_t)page - 1 : 1;
    switch (act) {
    case ACT_UP:
        if (s->cur > 0)
            s->cur--;
        break;
    case ACT_DOWN:
        if (s->cur + 1 < n)
            s->cur++;
        break;
    case ACT_PAGE_UP:
        s->cur = s->cur > p ? s->cur - p : 0;
        s->top = s->top > p ? s->top - p : 0;
        break;
    case ACT_PAGE_DOWN:
        s->cur = s->cur + p < n ? s->cur + p : (n ? n - 1 : 0);
        s->top += p;
        break;
    case ACT_HALF_UP:
    case ACT_HALF_DOWN: {
        /* less and vi: the view and the cursor move together by half a page */
        size_t h = page > 3 ? (size_t)page / 2 : 1;
        if (act == ACT_HALF_UP) {
            s->cur = s->cur > h ? s->cur - h : 0;
            s->top = s->top > h ? s->top - h : 0;
        } else {
            s->cur = s->cur + h < n ? s->cur + h : (n ? n - 1 : 0);
            s->top += h;
        }
        break;
    }
    case ACT_TOP:
        s->cur = 0;
        break;
    case ACT_BOTTOM:
        s->cur = n ? n - 1 : 0;
        break;
    default:
        return RE_UNHANDLED;
    }
    scroll_clamp(s, n, page);
    return RE_REDRAW;
}
