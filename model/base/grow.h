/* grow: the one way an array grows, for the model, the loaders and the interface: capacity doubled
 * until it holds what is needed, a size that does not fit in a size_t refused rather than wrapped
 * (and reallocarray checking the multiplication). */
#ifndef CTVIEW_GROW_H
#define CTVIEW_GROW_H

#include <stdint.h>
#include <stdlib.h>

/* Grows *items (elements of elem bytes, capacity *cap) to hold at least need elements: from first
 * when empty, doubling. Returns 0, or -1 when out of memory or when the size would not fit in a size_t
 * (*items and *cap unchanged). */
static inline int grow_array_from(void **items, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t most = SIZE_MAX / (elem ? elem : 1); /* elements whose bytes a size_t counts */
    if (need > most)
        return -1;
    size_t n = *cap ? *cap : first ? first : 1;
    while (n < need)
        n = n > most / 2 ? most : n * 2;
    void *p = reallocarray(*items, n, elem);
    if (!p)
        return -1;
    *items = p;
    *cap = n;
    return 0;
}

/* grow_array_from with 64 elements first. */
static inline int grow_array(void **items, size_t *cap, size_t need, size_t elem)
{
    return grow_array_from(items, cap, need, elem, 64);
}

#endif
