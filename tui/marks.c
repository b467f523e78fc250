/* Marks live on the events themselves (EVF_MARKED in model/store/event.h): the store reorders its events
 * while the first load runs (each absorb) and when followed files change, and a flag on the event moves
 * with it, where an array beside the store would have to be remapped and grown at every step. */
#include "tui/marks.h"

#include <stdlib.h>
#include <string.h>

#include "model/query/evcase.h"
#include "tui/app.h"
#include "tui/casefile.h"

int marks_on(const struct app *a, size_t ev)
{
    return ev < a->store->nevents && (a->store->events[ev].flags & EVF_MARKED) != 0;
}

void marks_set(struct app *a, size_t ev, int on)
{
    if (ev >= a->store->nevents || marks_on(a, ev) == !!on)
        return;
    a->store->events[ev].flags ^= EVF_MARKED;
    a->nmarked += on ? 1 : (size_t)-1;
    const char *why; /* an event without an eventID is marked for this run only */
    casefile_mark(a->store, ev, on, &why);
}

void marks_from_case(struct app *a, size_t from)
{
    const struct ctcase *c = app_case();
    int any = 0;
    for (size_t i = 0; c && i < c->n && !any; i++)
        any = c->v[i].marked;
    for (size_t ev = from; any && ev < a->store->nevents; ev++) {
        const struct case_entry *e = evcase_entry(a->store, ev);
        if (e && e->marked && !(a->store->events[ev].flags & EVF_MARKED)) {
            a->store->events[ev].flags |= EVF_MARKED;
            a->nmarked++;
        }
    }
}

void marks_recount(struct app *a)
{
    size_t n = 0;
    for (size_t ev = 0; ev < a->store->nevents; ev++)
        n += (a->store->events[ev].flags & EVF_MARKED) != 0;
    a->nmarked = n;
}

enum reaction marks_toggle(struct app *a)
{
    size_t n = app_count(a);
    if (!n)
        return RE_NONE;
    size_t ev = app_event(a, a->list.cur);
    marks_set(a, ev, !marks_on(a, ev));
    if (a->list.cur + 1 < n)
        a->list.cur++;
    return RE_REDRAW;
}

enum reaction marks_all_shown(struct app *a)
{
    size_t n = app_count(a);
    if (!n)
        return RE_NONE;
    for (size_t row = 0; row < n; row++)
        marks_set(a, app_event(a, row), 1);
    app_message(a, "%zu marked", a->nmarked);
    return RE_REDRAW;
}

enum reaction marks_clear(struct app *a)
{
    const char *why;
    for (size_t ev = 0; ev < a->store->nevents; ev++)
        if (a->store->events[ev].flags & EVF_MARKED) {
            a->store->events[ev].flags &= (uint16_t)~EVF_MARKED;
            casefile_mark(a->store, ev, 0, &why);
        }
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
            if (marks_on(a, ev))
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
        if (marks_on(a, app_event(a, row))) {
            if (dir > 0 ? row <= a->list.cur : row >= a->list.cur)
                app_message(a, "marks wrapped");
            a->list.cur = row;
            return RE_REDRAW;
        }
    }
    app_message(a, a->nmarked ? "no shown event is marked" : "no event is marked (Space marks)");
    return RE_REDRAW;
}
