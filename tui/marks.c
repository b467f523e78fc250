#include "tui/marks.h"

#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

int marks_ensure(struct app *a)
{
    if (!a->marks && a->store->nevents)
        a->marks = calloc(a->store->nevents, 1);
    return a->marks || !a->store->nevents ? 0 : -1;
}

enum reaction marks_toggle(struct app *a)
{
    size_t n = app_count(a);
    if (!n || marks_ensure(a) != 0)
        return RE_NONE;
    size_t ev = app_event(a, a->list.cur);
    a->marks[ev] = !a->marks[ev];
    a->nmarked += a->marks[ev] ? 1 : (size_t)-1;
    if (a->list.cur + 1 < n)
        a->list.cur++;
    return RE_REDRAW;
}

enum reaction marks_all_shown(struct app *a)
{
    size_t n = app_count(a);
    if (!n || marks_ensure(a) != 0)
        return RE_NONE;
    for (size_t row = 0; row < n; row++) {
        size_t ev = app_event(a, row);
        if (!a->marks[ev]) {
            a->marks[ev] = 1;
            a->nmarked++;
        }
    }
    app_message(a, "%zu marked", a->nmarked);
    return RE_REDRAW;
}

enum reaction marks_clear(struct app *a)
{
    if (a->marks)
        memset(a->marks, 0, a->store->nevents);
    a->nmarked = 0;
    app_message(a, "marks cleared");
    return RE_REDRAW;
}

uint32_t *marks_chosen(struct app *a, size_t *n)
{
    size_t count = a->nmarked ? a->nmarked : app_count(a);
    uint32_t *idx = malloc((count ? count : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    *n = 0;
    if (a->nmarked) {
        for (size_t ev = 0; ev < a->store->nevents && *n < count; ev++)
            if (a->marks[ev])
                idx[(*n)++] = (uint32_t)ev;
    } else {
        for (size_t row = 0; row < count; row++)
            idx[(*n)++] = (uint32_t)app_event(a, row);
    }
    return idx;
}

enum reaction marks_jump(struct app *a, int dir)
{
    size_t n = app_count(a);
    for (size_t k = 1; a->nmarked && k <= n; k++) {
        size_t row = dir > 0 ? (a->list.cur + k) % n : (a->list.cur + n - k % n) % n;
        if (a->marks[app_event(a, row)]) {
            if (dir > 0 ? row <= a->list.cur : row >= a->list.cur)
                app_message(a, "marks wrapped");
            a->list.cur = row;
            return RE_REDRAW;
        }
    }
    app_message(a, a->nmarked ? "no shown event is marked" : "no event is marked (Space marks)");
    return RE_REDRAW;
}
