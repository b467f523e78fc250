/* bigalloc: a large array in huge pages where the system gives them. Restoring a saved store touches
 * every page of its arrays once, and at 4 KiB a page the faults were a third of a reopen. */
#ifndef CTVIEW_BIGALLOC_H
#define CTVIEW_BIGALLOC_H

#include <stdlib.h>
#include <sys/mman.h>

/* n bytes (owned by the caller, free(); realloc() works), or NULL when out of memory. */
static inline void *big_alloc(size_t n)
{
    const size_t huge = (size_t)2 << 20;
    if (n < 2 * huge)
        return malloc(n ? n : 1);
    size_t len = (n + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, len);
    if (p)
        madvise(p, len, MADV_HUGEPAGE);
    return p;
}

#endif
