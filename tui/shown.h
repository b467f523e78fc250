/* shown: a set of events the list shows, as store indexes in time order, with the filter that chose it. */
#ifndef CTVIEW_SHOWN_H
#define CTVIEW_SHOWN_H

#include <stddef.h>
#include <stdint.h>

struct shown {
    uint32_t *idx; /* owned; NULL when every event shows */
    size_t n;
    char *expr; /* owned; NULL or "" for no filter */
};

/* Releases what s owns and empties it. */
void shown_free(struct shown *s);

/* Makes dst an owned copy of src. Returns 0, or -1 when out of memory (dst is then empty). */
int shown_copy(struct shown *dst, const struct shown *src);

#endif
