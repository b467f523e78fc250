/* jit: whether the regular expressions (the filter's, the Sigma rules') are compiled to machine code by
 * PCRE2's JIT. It is a speed-up only: matching gives the same answers without it. CTVIEW_NO_JIT=1 turns
 * it off, for valgrind: the JIT's code reads a subject 16 bytes at a time past its end, which valgrind
 * reports as invalid reads it cannot tell from real ones (tests/run.sh). */
#ifndef CTVIEW_JIT_H
#define CTVIEW_JIT_H

#include <stdlib.h>
#include <string.h>

static inline int jit_wanted(void)
{
    const char *v = getenv("CTVIEW_NO_JIT");
    return !v || !*v || strcmp(v, "0") == 0;
}

#endif
