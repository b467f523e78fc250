/* grow: the doubling array growth the model and the loaders share. */
#ifndef CTVIEW_GROW_H
#define CTVIEW_GROW_H

#include <stdlib.h>

/* Grows *items (of size elem, capacity *cap) so that it holds at least need; returns 0, or -1 when out
 * of memory (*items unchanged). */
static inline int grow_array(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * elem);
    if (!p)
        return -1;
    *items = p;
    *cap = n;
    return 0;
}

#endif
