/* pathindex: per-path value indexes built from the stored bytes. See pathindex.h. */
#include "model/pathindex.h"

#include <stdlib.h>
#include <string.h>

#include "model/grow.h"

static void index_free(struct pathindex *x)
{
    if (!x)
        return;
    path_free(&x->path);
    intern_free(x->values);
    free(x->slot);
    free(x->multi);
    path_values_free(&x->scratch);
    free(x);
}

/* Unused indexes kept as a cache for the next filter or count on their path, beyond those in use. */
#define KEEP_UNUSED 16

static uint64_t use_tick;

static void remove_at(struct store *s, size_t i)
{
    index_free(s->paths[i]);
    s->paths[i] = s->paths[--s->npaths];
}

void pathindex_free_all(struct store *s)
{
    while (s->npaths)
        remove_at(s, s->npaths - 1);
    free(s->paths);
    s->paths = NULL;
}

void pathindex_reset(struct store *s)
{
    for (size_t i = s->npaths; i-- > 0;) {
        if (s->paths[i]->users)
            s->paths[i]->covered = 0; /* rebuilt on next use; its value ids stay valid */
        else
            remove_at(s, i);
    }
}

void pathindex_truncate(struct store *s, size_t n)
{
    for (size_t i = 0; i < s->npaths; i++)
        if (s->paths[i]->covered > n)
            s->paths[i]->covered = n;
}

struct pathindex *pathindex_find(const struct store *s, const struct path *p)
{
    for (size_t i = 0; i < s->npaths; i++)
        if (s->paths[i]->path.len == p->len && memcmp(s->paths[i]->path.text, p->text, p->len) == 0)
            return s->paths[i];
    return NULL;
}

struct pathindex *pathindex_get(struct store *s, const struct path *p)
{
    struct pathindex *found = pathindex_find(s, p);
    if (found) {
        found->users++;
        found->used = ++use_tick;
        return found;
    }
    struct pathindex **grown = realloc(s->paths, (s->npaths + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    s->paths = grown;
    struct pathindex *x = calloc(1, sizeof *x);
    struct path_error err;
    if (!x || path_parse(p->text, p->len, &x->path, &err) != 0 || !(x->values = intern_new())) {
        index_free(x);
        return NULL;
    }
    path_values_init(&x->scratch);
    x->users = 1;
    x->used = ++use_tick;
    s->paths[s->npaths++] = x;
    return x;
}

void pathindex_release(struct store *s, struct pathindex *x)
{
    if (!x || x->users == 0)
        return;
    x->users--;
    size_t unused = 0;
    for (size_t i = s->npaths; i-- > 0;) {
        struct pathindex *y = s->paths[i];
        if (y->users)
            continue;
        if (y->covered == 0)
            remove_at(s, i); /* never built: nothing worth keeping */
        else
            unused++;
    }
    while (unused > KEEP_UNUSED) {
        size_t oldest = SIZE_MAX;
        for (size_t i = 0; i < s->npaths; i++)
            if (!s->paths[i]->users && (oldest == SIZE_MAX || s->paths[i]->used < s->paths[oldest]->used))
                oldest = i;
        remove_at(s, oldest);
        unused--;
    }
}

/* Records the values in x->scratch for event i. Returns 0 or -1 (memory). */
static int add_event(struct pathindex *x, size_t i)
{
    const struct path_values *v = &x->scratch;
    if (v->n == 0) {
        x->slot[i] = 0;
        return 0;
    }
    uint32_t first = 0;
    if (v->n > 1 &&
        grow_array((void **)&x->multi, &x->multi_cap, x->nmulti + v->n + 1, sizeof *x->multi) != 0)
        return -1;
    for (size_t k = 0; k < v->n; k++) {
        size_t len;
        const char *s = path_value(v, k, &len);
        uint32_t id = intern_add(x->values, s, len);
        if (id == UINT32_MAX || id >= PATHINDEX_MULTI - 1)
            return -1;
        if (v->n == 1)
            first = id;
        else
            x->multi[x->nmulti + 1 + k] = id;
    }
    if (v->n == 1) {
        x->slot[i] = first + 1;
        return 0;
    }
    if (x->nmulti >= PATHINDEX_MULTI)
        return -1;
    x->multi[x->nmulti] = (uint32_t)v->n;
    x->slot[i] = PATHINDEX_MULTI | (uint32_t)x->nmulti;
    x->nmulti += v->n + 1;
    return 0;
}

int pathindex_build(struct store *s, struct pathindex *x, size_t work)
{
    size_t n = s->nevents;
    if (grow_array((void **)&x->slot, &x->slot_cap, n ? n : 1, sizeof *x->slot) != 0)
        return -1;
    if (work == 0)
        work = 1;
    size_t end = n - x->covered < work ? n : x->covered + work;
    for (size_t i = x->covered; i < end; i++) {
        size_t len;
        char *err = NULL;
        const char *raw = store_raw(s, &s->events[i], &len, &err);
        if (!raw) {
            free(err);
            x->unreadable++;
            path_values_clear(&x->scratch);
        } else if (path_get(&x->path, raw, len, &x->scratch) < 0) {
            return -1;
        }
        if (add_event(x, i) != 0)
            return -1;
        x->covered = i + 1;
    }
    return x->covered >= n ? 1 : 0;
}

int pathindex_cover(struct store *s, struct pathindex *x, size_t n)
{
    while (x->covered < n)
        if (pathindex_build(s, x, n - x->covered) < 0)
            return -1;
    return 0;
}

size_t pathindex_bytes(const struct pathindex *x)
{
    return x->slot_cap * sizeof *x->slot + x->multi_cap * sizeof *x->multi + intern_bytes(x->values);
}
