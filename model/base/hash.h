/* hash: the one 64-bit mix (MurmurHash3's finaliser) the open-addressing tables and the dedupe keys
 * share: every bit of the input moves about half of the output bits, so a table may take the low bits
 * of keys that differ only in their high bits (interned ids packed two to a key). */
#ifndef CTVIEW_HASH_H
#define CTVIEW_HASH_H

#include <stdint.h>

static inline uint64_t hash_mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

#endif
