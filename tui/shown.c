#include "tui/shown.h"

#include <stdlib.h>
#include <string.h>

void shown_free(struct shown *s)
{
    free(s->idx);
    free(s->expr);
    *s = (struct shown){0};
}

int shown_copy(struct shown *dst, const struct shown *src)
{
    *dst = (struct shown){0};
    dst->expr = strdup(src->expr ? src->expr : "");
    if (src->idx) {
        dst->idx = malloc((src->n ? src->n : 1) * sizeof *dst->idx);
        if (dst->idx)
            memcpy(dst->idx, src->idx, src->n * sizeof *dst->idx);
        dst->n = src->n;
    }
    if (!dst->expr || (src->idx && !dst->idx)) {
        shown_free(dst);
        return -1;
    }
    return 0;
}
