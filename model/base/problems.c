#include "model/base/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"

void problems_init(struct problems *p)
{
    memset(p, 0, sizeof *p);
}

void problems_clear(struct problems *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->rows[i].file);
        free(p->rows[i].reason);
    }
    free(p->rows);
    problems_init(p);
}

static int reserve(struct problems *p, size_t n)
{
    return grow_array_from((void **)&p->rows, &p->cap, p->count + n, sizeof *p->rows, 16);
}

int problems_add(struct problems *p, enum problem_kind kind, const char *file, int64_t offset, int64_t record,
                 const char *fmt, ...)
{
    if (reserve(p, 1) != 0)
        return -1;
    char *reason = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&reason, fmt, ap);
    va_end(ap);
    char *f = strdup(file ? file : "-");
    if (n < 0 || !f) {
        if (n >= 0)
            free(reason);
        free(f);
        return -1;
    }
    p->rows[p->count++] = (struct problem){kind, f, offset, record, reason};
    /* f and reason now belong to the row; cppcheck does not follow a compound literal into an array */
    // cppcheck-suppress memleak
    return 0;
}

int problems_take(struct problems *dst, struct problems *src)
{
    if (src->count == 0)
        return 0;
    if (reserve(dst, src->count) != 0)
        return -1;
    memcpy(dst->rows + dst->count, src->rows, src->count * sizeof *src->rows);
    dst->count += src->count;
    free(src->rows);
    problems_init(src);
    return 0;
}

size_t problems_count(const struct problems *p, enum problem_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < p->count; i++)
        n += p->rows[i].kind == kind;
    return n;
}

const struct problem *problems_unread(const struct problems *p, const char *path)
{
    /* walk and source report a file or folder they could not open or read as a whole-file row with no
     * position; damage inside a file that was read always has the offset where it was found */
    for (size_t i = 0; i < p->count; i++) {
        const struct problem *r = &p->rows[i];
        if (r->kind == PROBLEM_FILE && r->offset < 0 && r->record < 0 && strcmp(r->file, path) == 0)
            return r;
    }
    return NULL;
}
