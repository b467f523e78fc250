/* idxfiles: the saved index's files in their folder (parsers/savedidx.h decides what goes in them). */
#ifndef CTVIEW_IDXFILES_H
#define CTVIEW_IDXFILES_H

#include <stdint.h>

#include "model/store/storefile.h"

/* Writes s and sf's rows under key as file (model/store/storefile.h), atomically, mode 0600, its folder
 * made 0700 if need be; not flushed to disk (a torn file fails its checksum and is rebuilt). 0, or -1
 * with *err saying why (owned by the caller; NULL when out of memory); no part of a file is left. */
int idxfiles_write(const char *file, const char *key, const struct store *s, const struct storefile *sf,
                   char **err);

/* Removes the least recently used indexes of keep's folder (by modification time: a use touches it)
 * until it holds at most cap bytes; never keep, the one this load wrote or used. */
void idxfiles_evict(const char *keep, uint64_t cap);

#endif
