/* pathbuild: path index builds on worker threads. See pathbuild.h. */
#include "model/index/pathbuild.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/base/cores.h"
#include "model/base/grow.h"
#include "model/store/intern.h"

/* A source to read, with its records at items[first, first + count). */
struct pb_source {
    struct source src; /* a copy; its path and data are borrowed from the store */
    size_t first, count;
    int worker; /* who read it, -1: nobody (stopped) */
};

#define PB_UNREADABLE 0x8000u /* in pb_item.flags: the record could not be read */

/* In pb_item.out: a list of values at this offset of the worker's multi, else 0 (none) or id + 1. */
#define PB_MULTI 0x80000000u

/* A record to read. The workers write out and flags; the caller's thread reads them after the join. */
struct pb_item {
    uint64_t raw_off;
    uint32_t raw_len;
    uint32_t source; /* in pathbuild.sources */
    uint32_t out;    /* the values, in the ids and lists of the worker that read it (PB_MULTI) */
    uint16_t flags;  /* EVF_EMBEDDED; PB_UNREADABLE */
};

struct pb_worker {
    struct pathbuild *b;
    pthread_t thread;
    struct intern *values; /* owned: this worker's distinct values */
    uint32_t *multi;       /* owned: lists (a count, then the ids), in this worker's ids */
    size_t nmulti, multi_cap;
    struct path_values pv;
    char *scratch; /* owned: an embedded record unescaped */
    size_t scratch_cap;
    char *range; /* owned: a record of a SOURCE_RANGE source */
    size_t range_cap;
    char *error; /* owned: why its first unreadable record was not read */
    int nomem;
};

struct pathbuild {
    struct path path; /* owned copy */
    struct pathbuild_sink to;
    store_reader_fn reader;
    store_range_reader_fn range_reader;
    struct pb_source *sources; /* owned */
    size_t nsources;
    struct pb_item *items; /* owned, grouped by source */
    size_t nitems;
    /* caller's thread only: the item of event i (UINT32_MAX: none), kept up to date as events move */
    uint32_t *item_of;
    size_t nitem_of;
    atomic_size_t next_source, items_read;
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t finished;
    int synced;  /* mu and finished are initialised */
    int running; /* workers not finished, under mu */
    struct pb_worker workers[CORES_MAX];
    int nworkers;
};

/* Records the values in w->pv as the item's result. 0, or -1 when out of memory. */
static int keep_values(struct pb_worker *w, struct pb_item *it)
{
    size_t n = w->pv.n;
    if (n > 1 && (w->nmulti + n + 1 >= PB_MULTI ||
                  grow_array((void **)&w->multi, &w->multi_cap, w->nmulti + n + 1, sizeof *w->multi) != 0))
        return -1;
    for (size_t k = 0; k < n; k++) {
        size_t len;
        const char *v = path_value(&w->pv, k, &len);
        uint32_t id = intern_add(w->values, v, len);
        if (id >= PB_MULTI - 1)
            return -1;
        if (n == 1)
            it->out = id + 1;
        else
            w->multi[w->nmulti + 1 + k] = id;
    }
    if (n == 0) {
        it->out = 0;
    } else if (n > 1) {
        w->multi[w->nmulti] = (uint32_t)n;
        it->out = PB_MULTI | (uint32_t)w->nmulti;
        w->nmulti += n + 1;
    }
    return 0;
}

static void unreadable(struct pb_worker *w, struct pb_item *it, char *err)
{
    it->out = 0;
    it->flags |= PB_UNREADABLE;
    if (!w->error)
        w->error = err;
    else
        free(err);
}

/* A large file's source: each record is read alone, by range, into w->range. 0, or -1 when out of memory. */
static int read_ranges(struct pb_worker *w, struct pb_source *ps)
{
    struct pathbuild *b = w->b;
    for (size_t k = ps->first; k < ps->first + ps->count; k++) {
        struct pb_item *it = &b->items[k];
        char *err = NULL;
        if (grow_array((void **)&w->range, &w->range_cap, (size_t)it->raw_len + 1, 1) != 0)
            return -1;
        if (!b->range_reader || b->range_reader(&ps->src, it->raw_off, w->range, it->raw_len, &err) != 0) {
            unreadable(w, it, err ? err : strdup("no reader for large file sources"));
            continue;
        }
        size_t rlen;
        const char *rec =
            store_record_bytes(&ps->src, w->range, it->raw_len, 0, it->raw_len,
                               (it->flags & EVF_EMBEDDED) != 0, &w->scratch, &w->scratch_cap, &rlen, &err);
        if (!rec) {
            unreadable(w, it, err);
            continue;
        }
        if (path_get(&b->path, rec, rlen, &w->pv) < 0 || keep_values(w, it) != 0)
            return -1;
    }
    return 0;
}

/* Decodes one source and reads the path in each of its records. 0, or -1 when out of memory. */
static int read_source(struct pb_worker *w, struct pb_source *ps)
{
    struct pathbuild *b = w->b;
    if (ps->src.kind == SOURCE_RANGE)
        return read_ranges(w, ps);
    char *owned = NULL, *err = NULL;
    const char *data = ps->src.data;
    size_t len = ps->src.data_len;
    if (ps->src.kind == SOURCE_FILE) {
        if (!b->reader)
            err = strdup("no reader for file sources");
        else if (b->reader(&ps->src, &owned, &len, &err) != 0)
            owned = NULL;
        data = owned;
    }
    for (size_t k = ps->first; k < ps->first + ps->count; k++) {
        struct pb_item *it = &b->items[k];
        if (!data) {
            unreadable(w, it, err ? strdup(err) : NULL);
            continue;
        }
        size_t rlen;
        char *rerr = NULL;
        const char *rec =
            store_record_bytes(&ps->src, data, len, it->raw_off, it->raw_len, (it->flags & EVF_EMBEDDED) != 0,
                               &w->scratch, &w->scratch_cap, &rlen, &rerr);
        if (!rec) {
            unreadable(w, it, rerr);
            continue;
        }
        if (path_get(&b->path, rec, rlen, &w->pv) < 0 || keep_values(w, it) != 0) {
            free(owned);
            free(err);
            return -1;
        }
    }
    free(owned);
    free(err);
    return 0;
}

static void *worker(void *arg)
{
    struct pb_worker *w = arg;
    struct pathbuild *b = w->b;
    while (!atomic_load_explicit(&b->stop, memory_order_relaxed)) {
        size_t k = atomic_fetch_add(&b->next_source, 1);
        if (k >= b->nsources)
            break;
        struct pb_source *ps = &b->sources[k];
        if (read_source(w, ps) != 0) {
            w->nomem = 1;
            break;
        }
        ps->worker = (int)(w - b->workers);
        atomic_fetch_add(&b->items_read, ps->count);
    }
    pthread_mutex_lock(&b->mu);
    b->running--;
    pthread_cond_broadcast(&b->finished);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Records of a large file are read alone (by range), so its records need not go to one worker: handed
 * out RANGE_SHARE at a time, every core takes a share of a large input. */
#define RANGE_SHARE 2048

/* Cuts the SOURCE_RANGE sources of b (capacity cap) into shares of RANGE_SHARE records. 0, or -1. */
static int split_ranges(struct pathbuild *b, size_t cap)
{
    size_t extra = 0;
    for (size_t k = 0; k < b->nsources; k++)
        if (b->sources[k].src.kind == SOURCE_RANGE && b->sources[k].count > RANGE_SHARE)
            extra += (b->sources[k].count - 1) / RANGE_SHARE;
    if (extra == 0)
        return 0;
    if (grow_array((void **)&b->sources, &cap, b->nsources + extra, sizeof *b->sources) != 0)
        return -1;
    size_t n = b->nsources;
    for (size_t k = 0; k < n; k++) {
        size_t total = b->sources[k].count;
        if (b->sources[k].src.kind != SOURCE_RANGE || total <= RANGE_SHARE)
            continue;
        b->sources[k].count = RANGE_SHARE;
        for (size_t off = RANGE_SHARE; off < total; off += RANGE_SHARE) {
            struct pb_source *share = &b->sources[b->nsources];
            *share = b->sources[k];
            share->first += off;
            share->count = total - off < RANGE_SHARE ? total - off : RANGE_SHARE;
            for (size_t i = share->first; i < share->first + share->count; i++)
                b->items[i].source = (uint32_t)b->nsources;
            b->nsources++;
        }
    }
    return 0;
}

/* Groups the events the sink misses by source (a counting sort), in event order within a source. */
static int plan(struct pathbuild *b, const struct store *s)
{
    size_t n = s->nevents, ns = s->nsources;
    uint32_t *slot_of = calloc(ns + 1, sizeof *slot_of); /* source id -> index in b->sources + 1 */
    size_t *fill = NULL, cap = 0;
    b->item_of = malloc((n ? n : 1) * sizeof *b->item_of);
    b->nitem_of = n;
    int rc = -1;
    if (!slot_of || !b->item_of)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct event *e = &s->events[i];
        b->item_of[i] = UINT32_MAX;
        if (b->to.has(b->to.index, i) || e->source >= ns)
            continue;
        if (!slot_of[e->source]) {
            if (grow_array((void **)&b->sources, &cap, b->nsources + 1, sizeof *b->sources) != 0)
                goto out;
            b->sources[b->nsources] = (struct pb_source){.src = s->sources[e->source], .worker = -1};
            slot_of[e->source] = (uint32_t)++b->nsources;
        }
        b->sources[slot_of[e->source] - 1].count++;
        b->nitems++;
    }
    if (b->nitems >= UINT32_MAX)
        goto out;
    b->items = malloc((b->nitems ? b->nitems : 1) * sizeof *b->items);
    fill = malloc((b->nsources ? b->nsources : 1) * sizeof *fill);
    if (!b->items || !fill)
        goto out;
    for (size_t k = 0, at = 0; k < b->nsources; k++) {
        b->sources[k].first = fill[k] = at;
        at += b->sources[k].count;
    }
    for (size_t i = 0; i < n; i++) {
        const struct event *e = &s->events[i];
        if (b->to.has(b->to.index, i) || e->source >= ns)
            continue;
        uint32_t src = slot_of[e->source] - 1;
        size_t k = fill[src]++;
        b->items[k] = (struct pb_item){e->raw_off, e->raw_len, src, 0, (uint16_t)(e->flags & EVF_EMBEDDED)};
        b->item_of[i] = (uint32_t)k;
    }
    rc = split_ranges(b, cap);
out:
    free(slot_of);
    free(fill);
    return rc;
}

struct pathbuild *pathbuild_start(const struct store *s, const struct path *p,
                                  const struct pathbuild_sink *to, int threads)
{
    struct pathbuild *b = calloc(1, sizeof *b);
    struct path_error perr;
    if (!b)
        return NULL;
    b->to = *to;
    if (path_parse(p->text, p->len, &b->path, &perr) != 0 || plan(b, s) != 0 || b->nitems == 0) {
        pathbuild_free(b); /* nothing a worker can read: the caller reads what is left itself */
        return NULL;
    }
    b->reader = s->reader;
    b->range_reader = s->range_reader;
    atomic_init(&b->next_source, 0);
    atomic_init(&b->items_read, 0);
    atomic_init(&b->stop, 0);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->finished, NULL);
    b->synced = 1;
    if (threads <= 0)
        threads = cores_count();
    if (threads > CORES_MAX)
        threads = CORES_MAX;
    if ((size_t)threads > b->nsources)
        threads = (int)b->nsources;
    pthread_mutex_lock(&b->mu);
    for (int i = 0; i < threads; i++) {
        struct pb_worker *w = &b->workers[b->nworkers];
        w->b = b;
        path_values_init(&w->pv);
        if (!(w->values = intern_new()))
            break;
        if (pthread_create(&w->thread, NULL, worker, w) != 0) {
            intern_free(w->values);
            w->values = NULL;
            break;
        }
        b->nworkers++;
        b->running++;
    }
    pthread_mutex_unlock(&b->mu);
    if (b->nworkers == 0) {
        pathbuild_free(b);
        return NULL;
    }
    return b;
}

/* Writes the workers' results through the sink, event by event in the store's order. 0, or -1 (memory). */
static int merge(struct pathbuild *b, struct store *s)
{
    const struct pathbuild_sink *x = &b->to;
    uint32_t *map[CORES_MAX] = {0}; /* worker's id -> the sink's id + 1 (0: not yet interned there) */
    int rc = -1;
    for (int w = 0; w < b->nworkers; w++) {
        if (b->workers[w].nomem)
            goto out;
        uint32_t nv = intern_count(b->workers[w].values);
        if (!(map[w] = calloc(nv ? nv : 1, sizeof *map[w])))
            goto out;
    }
    uint32_t *ids = NULL;
    size_t ids_cap = 0;
    size_t n = s->nevents < b->nitem_of ? s->nevents : b->nitem_of;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = b->item_of[i];
        if (k == UINT32_MAX || x->has(x->index, i))
            continue;
        struct pb_item *it = &b->items[k];
        int wi = b->sources[it->source].worker;
        if (wi < 0)
            continue; /* not read: stopped */
        struct pb_worker *w = &b->workers[wi];
        if (it->flags & PB_UNREADABLE) {
            x->set_unreadable(x->index, i, w->error ? strdup(w->error) : NULL);
            continue;
        }
        const uint32_t *local = NULL;
        size_t cnt = 0;
        uint32_t one;
        if (it->out & PB_MULTI) {
            local = w->multi + (it->out & ~PB_MULTI) + 1;
            cnt = local[-1];
        } else if (it->out) {
            one = it->out - 1;
            local = &one;
            cnt = 1;
        }
        if (grow_array((void **)&ids, &ids_cap, cnt ? cnt : 1, sizeof *ids) != 0)
            goto free_ids;
        for (size_t j = 0; j < cnt; j++) {
            uint32_t *m = &map[wi][local[j]];
            if (!*m) {
                uint32_t id =
                    intern_add(x->values, intern_str(w->values, local[j]), intern_len(w->values, local[j]));
                if (id == UINT32_MAX)
                    goto free_ids;
                *m = id + 1;
            }
            ids[j] = *m - 1;
        }
        if (x->set(x->index, i, ids, cnt) != 0)
            goto free_ids;
    }
    rc = 0;
free_ids:
    free(ids);
out:
    for (int w = 0; w < b->nworkers; w++)
        free(map[w]);
    return rc;
}

int pathbuild_wait(struct pathbuild *b, struct store *s, double seconds)
{
    pthread_mutex_lock(&b->mu);
    if (seconds < 0) {
        while (b->running)
            pthread_cond_wait(&b->finished, &b->mu);
    } else if (b->running) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)(seconds * 1e9);
        until.tv_sec += until.tv_nsec / 1000000000;
        until.tv_nsec %= 1000000000;
        while (b->running && pthread_cond_timedwait(&b->finished, &b->mu, &until) == 0)
            ;
    }
    int running = b->running;
    pthread_mutex_unlock(&b->mu);
    if (running)
        return 0;
    return merge(b, s) == 0 ? 1 : -1;
}

int pathbuild_percent(const struct pathbuild *b)
{
    size_t read = atomic_load_explicit(&((struct pathbuild *)b)->items_read, memory_order_relaxed);
    return b->nitems ? (int)(read * 100 / b->nitems) : 100;
}

void pathbuild_remap(struct pathbuild *b, size_t from, const uint32_t *moved, size_t n)
{
    if (!b)
        return;
    size_t keep = from < b->nitem_of ? from : b->nitem_of;
    if (moved) {
        uint32_t *next = malloc((n ? n : 1) * sizeof *next);
        if (next) {
            /* the events at the places no old event moved to are new: nothing of this build */
            for (size_t i = 0; i < n; i++)
                next[i] = UINT32_MAX;
            for (size_t i = 0; i < keep; i++)
                if (moved[i] < n)
                    next[moved[i]] = b->item_of[i];
            free(b->item_of);
            b->item_of = next;
            b->nitem_of = n;
            return;
        }
        keep = 0; /* out of memory: its results are lost, read again later */
    }
    for (size_t i = keep; i < b->nitem_of; i++)
        b->item_of[i] = UINT32_MAX;
}

void pathbuild_free(struct pathbuild *b)
{
    if (!b)
        return;
    atomic_store(&b->stop, 1);
    for (int i = 0; i < b->nworkers; i++)
        pthread_join(b->workers[i].thread, NULL);
    if (b->synced) {
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->finished);
    }
    for (int i = 0; i < b->nworkers; i++) {
        struct pb_worker *w = &b->workers[i];
        intern_free(w->values);
        free(w->multi);
        free(w->scratch);
        free(w->range);
        free(w->error);
        path_values_free(&w->pv);
    }
    path_free(&b->path);
    free(b->sources);
    free(b->items);
    free(b->item_of);
    free(b);
}
