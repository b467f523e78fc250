#include "tui/rows.h"

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/theme.h"

int rows_draw(struct app *a, const struct rows *v, rows_row_fn *row, void *ctx)
{
    int page = v->r.h;
    scroll_clamp(v->s, v->n, page);
    attr_t normal = theme_attr(R_NORMAL);
    int drawn = 0;
    for (; drawn < page && v->s->top + (size_t)drawn < v->n; drawn++) {
        struct rows_item it = {v->s->top + (size_t)drawn, v->r.y + drawn, v->r.x, v->r.w, normal, 0};
        it.selected = v->sel && it.i == v->s->cur;
        if (it.selected)
            it.at = v->sel;
        draw_fill(a->win, it.y, it.x, it.w, it.at);
        row(a, ctx, &it);
    }
    return drawn;
}
