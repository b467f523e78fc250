/* pathindex: per-path value indexes built from the stored bytes. See pathindex.h. */
#include "model/index/pathindex.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"
#include "model/index/pathbuild.h"

static void index_free(struct pathindex *x)
{
    if (!x)
        return;
    pathbuild_free(x->job); /* first: it writes into x */
    path_free(&x->path);
    free(x->done);
    free(x->error);
    intern_free(x->values);
    free(x->slot);
    free(x->multi);
    path_values_free(&x->scratch);
    free(x);
}

/* Unused indexes kept as a cache for the next filter or count on their path, beyond those in use. */
#define KEEP_UNUSED 16

static uint64_t use_tick;

/* The store's path indexes, one per distinct path text: derived data of the store (pathindexes_ops). */
struct pathindexes {
    struct pathindex **v; /* owned */
    size_t n, cap;
};

static void set_free(void *data)
{
    struct pathindexes *set = data;
    for (size_t i = 0; i < set->n; i++)
        index_free(set->v[i]); /* stops its build: it reads the store's sources */
    free(set->v);
    free(set);
}

static int set_moved(void *data, struct store *s, const struct store_move *mv);

static size_t set_bytes(const void *data)
{
    const struct pathindexes *set = data;
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++)
        n += pathindex_bytes(set->v[i]);
    return n;
}

static const struct store_derived_ops pathindexes_ops = {
    .name = "path indexes",
    .free = set_free,
    .events_moved = set_moved,
    .bytes = set_bytes,
};

/* The store's indexes, or NULL when it has none yet. */
static struct pathindexes *set_of(const struct store *s)
{
    return store_derived_get(s, &pathindexes_ops);
}

size_t pathindex_count(const struct store *s)
{
    const struct pathindexes *set = set_of(s);
    return set ? set->n : 0;
}

static void remove_at(struct pathindexes *set, size_t i)
{
    index_free(set->v[i]);
    set->v[i] = set->v[--set->n];
}

/* Forgets events [from, ...): they are no longer where they were. */
static void forget_from(struct pathindex *x, size_t from)
{
    if (from / 64 >= x->done_words)
        return;
    size_t w = from / 64;
    if (from % 64)
        x->done[w++] &= (1ull << (from % 64)) - 1;
    memset(x->done + w, 0, (x->done_words - w) * sizeof *x->done);
    size_t n = 0;
    for (size_t k = 0; k < x->done_words; k++)
        n += (size_t)__builtin_popcountll(x->done[k]);
    x->ndone = n;
    if (x->covered > from)
        x->covered = from;
    if (from == 0) { /* the unreadable ones are among those forgotten: counted again when read again */
        x->unreadable = 0;
        free(x->error);
        x->error = NULL;
    }
}

/* The store's order was made anew: held indexes go back to covering no event, unused ones are freed. */
static void reset(struct pathindexes *set)
{
    for (size_t i = set->n; i-- > 0;) {
        struct pathindex *x = set->v[i];
        if (x->users) {
            forget_from(x, 0);      /* rebuilt on next use; its value ids stay valid */
            pathbuild_free(x->job); /* what it reads would go nowhere */
            x->job = NULL;
        } else {
            remove_at(set, i);
        }
    }
}

/* Forgets what the indexes hold past event n (the events from n on were reordered among themselves). */
static void truncate_at(struct pathindexes *set, size_t n, size_t nevents)
{
    for (size_t i = 0; i < set->n; i++) {
        forget_from(set->v[i], n);
        pathbuild_remap(set->v[i]->job, n, NULL, nevents);
    }
}

/* Moves x's slots and bits to the events' new places; 0, or -1 when out of memory (x unchanged). */
static int remap_one(struct pathindex *x, size_t from, const uint32_t *moved, size_t n)
{
    size_t words = (n + 63) / 64;
    uint32_t *slot = malloc((n ? n : 1) * sizeof *slot);
    uint64_t *done = calloc(words ? words : 1, sizeof *done);
    if (!slot || !done) {
        free(slot);
        free(done);
        return -1;
    }
    size_t ndone = 0;
    for (size_t i = 0; i < from; i++)
        if (pathindex_has(x, i)) {
            size_t j = moved[i];
            slot[j] = x->slot[i];
            done[j / 64] |= 1ull << (j % 64);
            ndone++;
        }
    free(x->slot);
    free(x->done);
    x->slot = slot;
    x->slot_cap = n ? n : 1;
    x->done = done;
    x->done_words = words;
    x->ndone = ndone;
    size_t c = 0;
    while (c < n && pathindex_has(x, c))
        c++;
    x->covered = c;
    return 0;
}

/* Events [0, from) moved: event i is now at moved[i]; the events at the other places of [0, nevents)
 * are the ones added (not indexed). What the indexes hold moves with them. */
static void remap(struct pathindexes *set, size_t from, const uint32_t *moved, size_t nevents)
{
    for (size_t i = 0; i < set->n; i++) {
        struct pathindex *x = set->v[i];
        if (remap_one(x, from, moved, nevents) != 0)
            forget_from(x, 0); /* read again rather than wrong */
        pathbuild_remap(x->job, from, moved, nevents);
    }
}

static int set_moved(void *data, struct store *s, const struct store_move *mv)
{
    if (mv->whole)
        reset(data);
    else if (!mv->moved)
        truncate_at(data, mv->from, s->nevents); /* indexed by event position: the tail moved */
    else
        remap(data, mv->from, mv->moved, s->nevents); /* what the indexes hold moves with the events */
    return 0;
}

const char *pathindex_problem(const struct store *s, size_t *unreadable)
{
    const struct pathindexes *set = set_of(s);
    const char *why = NULL;
    *unreadable = 0;
    for (size_t i = 0; set && i < set->n; i++) {
        *unreadable += set->v[i]->unreadable;
        if (!why && set->v[i]->unreadable)
            why = set->v[i]->error ? set->v[i]->error : "cannot read event";
    }
    return why;
}

struct pathindex *pathindex_find(const struct store *s, const struct path *p)
{
    const struct pathindexes *set = set_of(s);
    for (size_t i = 0; set && i < set->n; i++)
        if (set->v[i]->path.len == p->len && memcmp(set->v[i]->path.text, p->text, p->len) == 0)
            return set->v[i];
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
    struct pathindexes *set = set_of(s);
    if (!set) {
        if (!(set = calloc(1, sizeof *set)))
            return NULL;
        if (store_derived_set(s, &pathindexes_ops, set) != 0) {
            free(set);
            return NULL;
        }
    }
    if (grow_array((void **)&set->v, &set->cap, set->n + 1, sizeof *set->v) != 0)
        return NULL;
    struct pathindex *x = calloc(1, sizeof *x);
    struct path_error err;
    if (!x || path_parse(p->text, p->len, &x->path, &err) != 0 || !(x->values = intern_new())) {
        index_free(x);
        return NULL;
    }
    path_values_init(&x->scratch);
    x->users = 1;
    x->used = ++use_tick;
    set->v[set->n++] = x;
    return x;
}

void pathindex_release(struct store *s, struct pathindex *x)
{
    struct pathindexes *set = set_of(s);
    if (!x || x->users == 0 || !set)
        return;
    x->users--;
    size_t unused = 0;
    for (size_t i = set->n; i-- > 0;) {
        struct pathindex *y = set->v[i];
        if (y->users)
            continue;
        if (y->ndone == 0 && !y->job)
            remove_at(set, i); /* never built: nothing worth keeping (a build running is: the same
                                  path is often asked for again at once, as a filter is re-run) */
        else
            unused++;
    }
    while (unused > KEEP_UNUSED) {
        size_t oldest = SIZE_MAX;
        for (size_t i = 0; i < set->n; i++)
            if (!set->v[i]->users && (oldest == SIZE_MAX || set->v[i]->used < set->v[oldest]->used))
                oldest = i;
        remove_at(set, oldest);
        unused--;
    }
}

static void mark_done(struct pathindex *x, size_t i)
{
    x->done[i / 64] |= 1ull << (i % 64);
    x->ndone++;
}

int pathindex_set(struct pathindex *x, size_t i, const uint32_t *ids, size_t n)
{
    if (n == 0) {
        x->slot[i] = 0;
    } else if (n == 1) {
        if (ids[0] >= PATHINDEX_MULTI - 1)
            return -1;
        x->slot[i] = ids[0] + 1;
    } else {
        if (x->nmulti >= PATHINDEX_MULTI ||
            grow_array((void **)&x->multi, &x->multi_cap, x->nmulti + n + 1, sizeof *x->multi) != 0)
            return -1;
        x->multi[x->nmulti] = (uint32_t)n;
        memcpy(x->multi + x->nmulti + 1, ids, n * sizeof *ids);
        x->slot[i] = PATHINDEX_MULTI | (uint32_t)x->nmulti;
        x->nmulti += n + 1;
    }
    mark_done(x, i);
    return 0;
}

void pathindex_set_unreadable(struct pathindex *x, size_t i, char *err)
{
    x->slot[i] = 0;
    mark_done(x, i);
    x->unreadable++;
    if (!x->error)
        x->error = err;
    else
        free(err);
}

static int sink_has(const void *x, size_t i)
{
    return pathindex_has(x, i);
}

static int sink_set(void *x, size_t i, const uint32_t *ids, size_t n)
{
    return pathindex_set(x, i, ids, n);
}

static void sink_set_unreadable(void *x, size_t i, char *err)
{
    pathindex_set_unreadable(x, i, err);
}

/* Starts a build of x on worker threads; NULL when none would start (then the caller reads). */
static struct pathbuild *start_build(const struct store *s, struct pathindex *x, int threads)
{
    const struct pathbuild_sink to = {x, x->values, sink_has, sink_set, sink_set_unreadable};
    return pathbuild_start(s, &x->path, &to, threads);
}

/* Records the values in x->scratch for event i. Returns 0 or -1 (memory). */
static int add_event(struct pathindex *x, size_t i)
{
    const struct path_values *v = &x->scratch;
    uint32_t one[1], *ids = one;
    if (v->n > 1 && !(ids = malloc(v->n * sizeof *ids)))
        return -1;
    int rc = 0;
    for (size_t k = 0; k < v->n && rc == 0; k++) {
        size_t len;
        const char *s = path_value(v, k, &len);
        ids[k] = intern_add(x->values, s, len);
        if (ids[k] == UINT32_MAX)
            rc = -1;
    }
    if (rc == 0)
        rc = pathindex_set(x, i, ids, v->n);
    if (ids != one)
        free(ids);
    return rc;
}

/* Room for n events in the slots and bits (new bits clear). */
static int fit(struct pathindex *x, size_t n)
{
    size_t words = (n + 63) / 64;
    if (grow_array((void **)&x->slot, &x->slot_cap, n ? n : 1, sizeof *x->slot) != 0)
        return -1;
    if (words > x->done_words) {
        uint64_t *d = reallocarray(x->done, words, sizeof *d);
        if (!d)
            return -1;
        memset(d + x->done_words, 0, (words - x->done_words) * sizeof *d);
        x->done = d;
        x->done_words = words;
    }
    return 0;
}

static void advance(struct pathindex *x, size_t n)
{
    while (x->covered < n && pathindex_has(x, x->covered))
        x->covered++;
}

/* Reads up to `work` events x misses, from x->covered on, on this thread. */
static int build_here(struct store *s, struct pathindex *x, size_t work)
{
    size_t n = s->nevents;
    for (size_t i = x->covered; i < n && work > 0; i++) {
        if (pathindex_has(x, i))
            continue;
        work--;
        size_t len;
        char *err = NULL;
        const char *raw = store_raw(s, &s->events[i], &len, &err);
        if (!raw) {
            pathindex_set_unreadable(x, i, err);
            continue;
        }
        if (path_get(&x->path, raw, len, &x->scratch) < 0 || add_event(x, i) != 0)
            return -1;
    }
    advance(x, n);
    return 0;
}

int pathindex_build_with(struct store *s, struct pathindex *x, size_t work, int threads, double wait)
{
    size_t n = s->nevents;
    if (fit(x, n) != 0)
        return -1;
    if (work == 0)
        work = 1;
    if (!x->job && x->ndone < n && threads != 1 && (threads >= 2 || n - x->ndone >= PATHINDEX_THREADED))
        x->job = start_build(s, x, threads); /* NULL: no thread would start, read here */
    if (x->job) {
        int rc = pathbuild_wait(x->job, s, wait);
        if (rc != 0) {
            pathbuild_free(x->job);
            x->job = NULL;
        }
        if (rc < 0)
            return -1;
        advance(x, n);
        /* events loaded while it ran are read by the next call */
        return x->covered >= n ? 1 : 0;
    }
    if (build_here(s, x, work) != 0)
        return -1;
    return x->covered >= n ? 1 : 0;
}

int pathindex_build(struct store *s, struct pathindex *x, size_t work)
{
    return pathindex_build_with(s, x, work, 0, PATHINDEX_WAIT);
}

int pathindex_cover(struct store *s, struct pathindex *x, size_t n)
{
    while (x->covered < n)
        if (pathindex_build_with(s, x, n - x->covered, 0, -1) < 0)
            return -1;
    return 0;
}

int pathindex_percent(const struct store *s, const struct pathindex *x)
{
    if (x->job)
        return pathbuild_percent(x->job);
    return s->nevents ? (int)(x->ndone * 100 / s->nevents) : 100;
}

size_t pathindex_bytes(const struct pathindex *x)
{
    return x->slot_cap * sizeof *x->slot + x->done_words * sizeof *x->done + x->multi_cap * sizeof *x->multi +
           intern_bytes(x->values);
}
