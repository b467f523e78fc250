/* colfit: the list's columns sharing a row. See colfit.h. */
#include "model/present/colfit.h"

/* How far the narrowing has gone: the columns of priority up to hide (and above 0) are hidden, those
 * of priority cut are at their last width. */
struct stage {
    int hide, cut;
};

static int kept(const struct colfit *c, struct stage st)
{
    return c->prio == 0 || c->prio > st.hide;
}

static int floor_of(const struct colfit *c, struct stage st)
{
    int f = c->grow == COLFIT_SPARE ? c->want : c->floor;
    if (c->prio && c->prio == st.cut && c->last > 0 && c->last < f)
        f = c->last;
    f = f < c->want ? f : c->want;
    return f > 0 ? f : 1;
}

/* Width the shown columns need at their floors (at their wants when a spare column is shown), spaces
 * between them included. */
static int need(const struct colfit *cols, size_t n, struct stage st)
{
    int spare = 0, sum = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        if (kept(&cols[i], st) && cols[i].grow == COLFIT_SPARE)
            spare = 1;
    for (size_t i = 0; i < n; i++) {
        if (!kept(&cols[i], st))
            continue;
        sum += spare ? cols[i].want : floor_of(&cols[i], st);
        shown++;
    }
    return shown ? sum + shown - 1 : 0;
}

/* The next stage of narrowing after st, or 0 when there is none: the columns of the smallest priority
 * still shown are cut to their last width if one of them has one (and st has not done it), else hidden. */
static int narrower(const struct colfit *cols, size_t n, struct stage *st)
{
    int next = 0, cuttable = 0;
    for (size_t i = 0; i < n; i++)
        if (cols[i].prio > st->hide && (next == 0 || cols[i].prio < next))
            next = cols[i].prio;
    if (!next)
        return 0;
    for (size_t i = 0; i < n; i++)
        cuttable |= cols[i].prio == next && cols[i].last > 0 && cols[i].last < cols[i].floor;
    if (cuttable && st->cut != next)
        st->cut = next;
    else
        st->hide = next;
    return 1;
}

/* Widens the shown COLFIT_GROWS columns towards their want, in order, while room lasts; returns the
 * room left. */
static int grow(const struct colfit *cols, size_t n, int *widths, int room)
{
    for (size_t i = 0; i < n && room > 0; i++) {
        if (!widths[i] || cols[i].grow != COLFIT_GROWS || widths[i] >= cols[i].want)
            continue;
        int more = cols[i].want - widths[i];
        more = more < room ? more : room;
        widths[i] += more;
        room -= more;
    }
    return room;
}

/* Widens the shown COLFIT_SHARES columns towards their want a column at a time, in turn, while room
 * lasts. */
static void share(const struct colfit *cols, size_t n, int *widths, int room)
{
    for (int grew = 1; grew && room > 0;) {
        grew = 0;
        for (size_t i = 0; i < n && room > 0; i++) {
            if (widths[i] && cols[i].grow == COLFIT_SHARES && widths[i] < cols[i].want) {
                widths[i]++;
                room--;
                grew = 1;
            }
        }
    }
}

/* Narrows the shown COLFIT_SHARES columns (shares) or the others, from the right, towards their
 * min; returns the excess left. */
static int shrink(const struct colfit *cols, size_t n, int *widths, int shares, int excess)
{
    for (size_t k = n; k-- > 0 && excess > 0;) {
        const struct colfit *c = &cols[k];
        if (!widths[k] || (c->grow == COLFIT_SHARES) != shares || widths[k] <= c->min)
            continue;
        int less = widths[k] - c->min;
        less = less < excess ? less : excess;
        widths[k] -= less;
        excess -= less;
    }
    return excess;
}

void colfit_layout(const struct colfit *cols, size_t n, int total, int *widths)
{
    struct stage st = {0, 0};
    while (need(cols, n, st) > total && narrower(cols, n, &st))
        ;
    int room = total + 1; /* the first shown column has no space before it */
    for (size_t i = 0; i < n; i++) {
        widths[i] = kept(&cols[i], st) ? floor_of(&cols[i], st) : 0;
        room -= widths[i] ? widths[i] + 1 : 0;
    }
    if (room >= 0) {
        room = grow(cols, n, widths, room);
        share(cols, n, widths, room);
        return;
    }
    int excess = shrink(cols, n, widths, 1, -room);
    shrink(cols, n, widths, 0, excess);
    /* still too wide: what passes the edge is cut to it, or hidden */
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!widths[i])
            continue;
        if (x >= total) {
            widths[i] = 0;
            continue;
        }
        if (x + widths[i] > total)
            widths[i] = total - x;
        x += widths[i] + 1;
    }
}
