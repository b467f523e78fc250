/* colfit: how the list's columns share the width of a row. The caller measures each column over the
 * rows it shows (model/columns gives the caps, floors and priorities); colfit only does the arithmetic,
 * so the narrowing rules are tested without a terminal. */
#ifndef CTVIEW_COLFIT_H
#define CTVIEW_COLFIT_H

#include <stddef.h>

/* How a column takes the room left once every shown column has its floor. */
enum colfit_grow {
    COLFIT_GROWS,  /* grows towards its want first (in column order) */
    COLFIT_SHARES, /* after every COLFIT_GROWS column has its want, these share the rest evenly */
    COLFIT_SPARE,  /* shown only when every shown column can have its want */
};

struct colfit {
    int want;  /* its widest cell on screen, header included, capped: more is never given */
    int floor; /* narrowest before a column of lower priority is hidden (at most want) */
    int last;  /* 0, or narrower than floor: what it is cut to (once all below it are hidden) before
                * it is hidden itself */
    int min;   /* narrowest at all, for a column that is never hidden on a very narrow screen */
    int prio;  /* hidden when narrow, the lowest first; 0: never hidden */
    enum colfit_grow grow;
};

/* Sets widths[0..n) (0: hidden) so that the shown columns, one space between each, fit in total:
 * 1. the fewest columns are hidden, lowest prio first, so that every shown column has its floor (every
 *    one its want while a COLFIT_SPARE column is shown); a column with a last width is first cut to it
 *    before it is hidden;
 * 2. the room left widens the COLFIT_GROWS columns towards their want in order, then the
 *    COLFIT_SHARES ones evenly (a column at a time, left to right) towards theirs; the rest is left blank;
 * 3. when the never-hidden columns' floors do not fit, they shrink towards min (COLFIT_SHARES ones
 *    first, then the others, from the right), and a column past the edge is cut to it (the caller draws
 *    the cut with an ellipsis) or hidden.
 * The sum of the shown widths plus the spaces between them never exceeds total (total < 1: all hidden). */
void colfit_layout(const struct colfit *cols, size_t n, int total, int *widths);

#endif
