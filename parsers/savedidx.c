#include "parsers/savedidx.h"

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/base/bigalloc.h"
#include "model/base/grow.h"
#include "model/base/hash.h"
#include "model/base/xdg.h"
#include "model/store/storefile.h"
#include "parsers/idxfiles.h"

static int enabled;
static uint64_t cap_bytes = SAVEDIDX_DEFAULT_CAP;
static char *key_options; /* owned */

void savedidx_configure(int on, uint64_t cap, const char *options)
{
    enabled = on;
    cap_bytes = cap ? cap : SAVEDIDX_DEFAULT_CAP;
    free(key_options);
    key_options = options ? strdup(options) : NULL;
}

/* Who a file is: a file with the same path and the same of these is taken as unchanged. The ctime is
   there because a file rewritten in place to the same size can have its mtime put back (touch -r), while
   any write moves its ctime, which no one can set back. */
struct ident {
    uint64_t dev, ino;
    int64_t size, mtime_ns, ctime_ns;
    int ok; /* stat succeeded */
};

/* What one walk file added to the store during this load, for the save. */
struct row {
    uint32_t source;
    uint64_t prob_first, prob_count;
    struct load_counts counts;
    int merged;
    int fell_back; /* unchanged, but read: a copy it dropped lost its kept one */
};

struct savedidx {
    char *key;                    /* owned: the inputs and options, as saved in the index */
    char *file;                   /* owned: the index's path */
    const struct walk_list *list; /* borrowed from the loader */
    struct storefile *old;        /* owned: the index read, NULL when none was usable */
    int full;
    size_t *match;    /* owned, per walk file: its row in old->files when unchanged, else SIZE_MAX */
    uint8_t *reuse;   /* owned, per walk file: taken from old */
    uint32_t *by_src; /* owned: old events by source, in load order; src_first[o] .. src_first[o + 1] */
    size_t *src_first;
    uint32_t *dup_by_src; /* owned: old duplicates by source, likewise */
    size_t *dup_first;
    uint32_t *newpos; /* owned, per old event: its place in the new store when replayed, else UINT32_MAX */
    struct row *rows; /* owned, per walk file */
    size_t nrows;     /* rows allocated (zeroed) */
    int streaming;    /* savedidx_stream: the rows grow as the files are merged, nothing is taken from old */
    uint64_t walk_problems;
    size_t last_sources, last_problems;
    struct load_counts last_counts;
    int broken;                 /* something went wrong in the load's bookkeeping: nothing is saved */
    size_t replayed, fell_back; /* files taken from the index, and those read after all (the trace) */
};

/* CTVIEW_INDEX_TRACE=1: one line on stderr saying what the index did (tests check it was used or not). */
static void trace(const char *fmt, ...)
{
    const char *t = getenv("CTVIEW_INDEX_TRACE");
    if (!t || strcmp(t, "1") != 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("ctview: index: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int key_append(char **key, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    char head[32];
    int h = snprintf(head, sizeof head, "%zu:", n);
    if (grow_array((void **)key, cap, *len + (size_t)h + n + 2, 1) != 0)
        return -1;
    memcpy(*key + *len, head, (size_t)h);
    memcpy(*key + *len + h, s, n);
    *len += (size_t)h + n;
    (*key)[(*len)++] = ';';
    (*key)[*len] = '\0';
    return 0;
}

struct savedidx *savedidx_begin(const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms,
                                int64_t big_bytes)
{
    if (!enabled)
        return NULL;
    char *key = NULL, opts[96];
    size_t len = 0, cap = 0;
    snprintf(opts, sizeof opts, "v%d since %lld until %lld big %lld", STOREFILE_VERSION, (long long)since_ms,
             (long long)until_ms, (long long)big_bytes);
    int rc = key_append(&key, &len, &cap, opts);
    if (rc == 0)
        rc = key_append(&key, &len, &cap, key_options ? key_options : "");
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (strcmp(paths[i], "-") == 0) {
            free(key);
            return NULL; /* standard input is read once: nothing to find again */
        }
        char *real = realpath(paths[i], NULL); /* canonical; a path that cannot be resolved as given */
        rc = key_append(&key, &len, &cap, real ? real : paths[i]);
        free(real);
    }
    char *dir = rc == 0 ? xdg_file("XDG_CACHE_HOME", ".cache", "index") : NULL;
    struct savedidx *x = dir ? calloc(1, sizeof *x) : NULL;
    uint64_t h1 = 0x9e3779b97f4a7c15ull, h2 = len;
    for (size_t i = 0; x && i < len; i++) {
        h1 = hash_mix64(h1 ^ (unsigned char)key[i]);
        h2 = hash_mix64(h2 + h1);
    }
    if (!x || asprintf(&x->file, "%s/%016llx%016llx.idx", dir, (unsigned long long)h1,
                       (unsigned long long)h2) < 0) {
        free(x);
        free(dir);
        free(key);
        return NULL;
    }
    free(dir);
    x->key = key;
    return x;
}

int savedidx_stream(struct savedidx *x, const struct walk_list *list)
{
    if (!x || access(x->file, F_OK) == 0)
        return 0;
    trace("none saved");
    x->list = list;
    x->streaming = 1;
    return 1;
}

static void ident_of(const char *path, struct ident *id)
{
    struct stat st;
    memset(id, 0, sizeof *id);
    if (stat(path, &st) != 0)
        return;
    *id = (struct ident){(uint64_t)st.st_dev,
                         (uint64_t)st.st_ino,
                         (int64_t)st.st_size,
                         (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
                         (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec,
                         1};
}

/* Reads the index file into x->old, or leaves it NULL (saying why when traced). */
static void read_old(struct savedidx *x)
{
    int fd = open(x->file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        trace("none saved");
        return;
    }
    struct stat st;
    void *map = MAP_FAILED;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= SIZE_MAX;
    if (regular && st.st_size > 0)
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (!regular || (st.st_size > 0 && map == MAP_FAILED)) {
        trace("refused: not a regular file, or cannot be mapped");
        return;
    }
    char *err = NULL;
    size_t len = map == MAP_FAILED ? 0 : (size_t)st.st_size;
    /* the mapping is the read's: the strings are left in it */
    if (storefile_read(map == MAP_FAILED ? "" : map, len, x->key, map != MAP_FAILED, &x->old, &err) != 0)
        trace("refused: %s", err ? err : "out of memory");
    free(err);
}

static int same_problem(const struct problem *a, const struct problem *b)
{
    return a->kind == b->kind && a->offset == b->offset && a->record == b->record &&
           strcmp(a->file, b->file) == 0 && strcmp(a->reason, b->reason) == 0;
}

/* Every input as saved, in the same order, and the walk said the same. */
static int all_same(const struct savedidx *x, const struct problems *walk_problems)
{
    const struct storefile *o = x->old;
    if (x->list->count != o->nfiles || walk_problems->count != o->walk_problems ||
        x->list->skipped != o->walk_skipped || x->list->pruned != o->walk_pruned)
        return 0;
    for (size_t k = 0; k < x->list->count; k++)
        if (x->match[k] != k)
            return 0;
    for (size_t i = 0; i < walk_problems->count; i++)
        if (!same_problem(&walk_problems->rows[i], &o->store->problems.rows[i]))
            return 0;
    return 1;
}

/* x->match: each walk file's unchanged row of the old index, by path through an open-addressed table. */
static int match_files(struct savedidx *x)
{
    const struct storefile *o = x->old;
    size_t slots = 16;
    while (slots < o->nfiles * 2)
        slots *= 2;
    size_t *table = malloc(slots * sizeof *table);
    x->match = malloc((x->list->count ? x->list->count : 1) * sizeof *x->match);
    if (!table || !x->match) {
        free(table);
        return -1;
    }
    for (size_t i = 0; i < slots; i++)
        table[i] = SIZE_MAX;
    for (size_t j = 0; j < o->nfiles; j++) {
        size_t h = hash_mix64(intern_hash(o->files[j].path, strlen(o->files[j].path))) & (slots - 1);
        while (table[h] != SIZE_MAX)
            h = (h + 1) & (slots - 1);
        table[h] = j;
    }
    for (size_t k = 0; k < x->list->count; k++) {
        const char *p = x->list->files[k].path;
        size_t h = hash_mix64(intern_hash(p, strlen(p))) & (slots - 1), j;
        for (; (j = table[h]) != SIZE_MAX; h = (h + 1) & (slots - 1))
            if (strcmp(o->files[j].path, p) == 0)
                break;
        x->match[k] = SIZE_MAX;
        if (j == SIZE_MAX || (o->files[j].flags & STOREFILE_STALE))
            continue;
        const struct storefile_file *f = &o->files[j];
        const char *etag = x->list->files[k].etag;
        if (etag || f->etag[0]) { /* an S3 object: the same key (path), ETag and size */
            if (etag && strcmp(etag, f->etag) == 0 && x->list->files[k].size == f->size)
                x->match[k] = j;
            continue;
        }
        struct ident id;
        ident_of(p, &id);
        if (id.ok && id.dev == f->dev && id.ino == f->ino && id.size == f->size &&
            id.mtime_ns == f->mtime_ns && id.ctime_ns == f->ctime_ns)
            x->match[k] = j;
    }
    free(table);
    return 0;
}

/* CSR grouping: first[g] .. first[g + 1] of out hold the items of group g, in their order. */
static int group(size_t nitems, size_t ngroups, uint32_t (*group_of)(const void *ctx, size_t i),
                 const void *ctx, uint32_t **out, size_t **first)
{
    *out = malloc((nitems ? nitems : 1) * sizeof **out);
    *first = calloc(ngroups + 1, sizeof **first);
    if (!*out || !*first)
        return -1;
    for (size_t i = 0; i < nitems; i++)
        (*first)[group_of(ctx, i) + 1]++;
    for (size_t g = 0; g < ngroups; g++)
        (*first)[g + 1] += (*first)[g];
    size_t *at = malloc((ngroups ? ngroups : 1) * sizeof *at);
    if (!at)
        return -1;
    if (ngroups)
        memcpy(at, *first, ngroups * sizeof *at);
    for (size_t i = 0; i < nitems; i++)
        (*out)[at[group_of(ctx, i)]++] = (uint32_t)i;
    free(at);
    return 0;
}

static uint32_t event_source(const void *ctx, size_t i)
{
    return ((const uint32_t *)ctx)[i];
}

static uint32_t dup_source(const void *ctx, size_t i)
{
    return ((const struct store *)ctx)->dups[i].source;
}

static const uint32_t *sort_offsets;
static int by_offset(const void *a, const void *b)
{
    uint32_t x = sort_offsets[*(const uint32_t *)a], y = sort_offsets[*(const uint32_t *)b];
    return x < y ? -1 : x > y;
}

/* Groups the old events by source, each group in its file's order (by offset: the events are in time
 * order). -1 when an event fails its checks or out of memory. */
static int group_events(struct savedidx *x)
{
    const struct storefile *o = x->old;
    size_t n = o->nevents;
    uint32_t *src = malloc((n ? n : 1) * sizeof *src), *off = malloc((n ? n : 1) * sizeof *off);
    int rc = src && off ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct event e;
        rc = storefile_event(o, i, &e);
        src[i] = e.source;
        off[i] = e.raw_off;
    }
    if (rc == 0)
        rc = group(n, o->store->nsources, event_source, src, &x->by_src, &x->src_first);
    sort_offsets = off;
    for (size_t g = 0; rc == 0 && g < o->store->nsources; g++)
        if (x->src_first[g + 1] > x->src_first[g]) /* none: by_src may be NULL */
            qsort(x->by_src + x->src_first[g], x->src_first[g + 1] - x->src_first[g], sizeof *x->by_src,
                  by_offset);
    free(src);
    free(off);
    return rc;
}

/* Some files changed: x->reuse says which of the others come from the index; groups their events. */
static int plan_partial(struct savedidx *x)
{
    const struct storefile *o = x->old;
    const struct store *os = o->store;
    x->reuse = calloc(x->list->count + 1, 1);
    x->newpos = malloc((o->nevents ? o->nevents : 1) * sizeof *x->newpos);
    if (!x->reuse || !x->newpos)
        return -1;
    if (o->nevents)
        memset(x->newpos, 0xff, o->nevents * sizeof *x->newpos);
    size_t reused = 0;
    for (size_t k = 0; k < x->list->count; k++) {
        size_t j = x->match[k];
        const struct storefile_file *f = j == SIZE_MAX ? NULL : &o->files[j];
        x->reuse[k] = f && f->source != UINT32_MAX && !(f->flags & STOREFILE_FRAGILE);
        reused += x->reuse[k];
    }
    if (group_events(x) != 0 ||
        group(os->ndups, os->nsources, dup_source, os, &x->dup_by_src, &x->dup_first) != 0)
        return -1;
    trace("partial: up to %zu of %zu files from the index", reused, x->list->count);
    return 0;
}

void savedidx_plan(struct savedidx *x, const struct walk_list *list, const struct problems *walk_problems)
{
    if (!x)
        return;
    x->list = list;
    x->nrows = list->count + 1;
    x->rows = calloc(x->nrows, sizeof *x->rows);
    if (!x->rows) {
        x->broken = 1;
        return;
    }
    read_old(x);
    if (!x->old)
        return;
    if (match_files(x) != 0) {
        storefile_free(x->old);
        x->old = NULL;
        return;
    }
    if (all_same(x, walk_problems)) {
        x->full = 1;
        trace("unchanged: all %zu files from the index", list->count);
        return;
    }
    if (plan_partial(x) != 0) {
        free(x->reuse);
        x->reuse = NULL;
        storefile_free(x->old);
        x->old = NULL;
    }
}

int savedidx_full(const struct savedidx *x)
{
    return x && x->full;
}

int savedidx_reuse(const struct savedidx *x, size_t k)
{
    return x && x->reuse && k < x->list->count && x->reuse[k];
}

#define SWAP(a, b)                                                                                           \
    do {                                                                                                     \
        __typeof__(a) t_ = (a);                                                                              \
        (a) = (b);                                                                                           \
        (b) = t_;                                                                                            \
    } while (0)

/* The modification time of an S3 object's cached file now: the S3 cache marks each object used at every
 * open (parsers/s3open.h), which moves its mtime, while its ETag says the bytes are those saved; the
 * source takes the new time, so that the detail's reads (which check size and mtime) find it unchanged. */
static int64_t object_mtime(const char *path, int64_t saved)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_mtime : saved;
}

int savedidx_restore(struct savedidx *x, struct store *s)
{
    if (!x || !x->full || s->nevents || s->nsources)
        return -1;
    if (storefile_unpack(x->old) != 0)
        return -1;
    struct store *o = x->old->store;
    SWAP(s->strings, o->strings);
    SWAP(s->events, o->events);
    SWAP(s->nevents, o->nevents);
    SWAP(s->cap, o->cap);
    SWAP(s->list_ids, o->list_ids);
    SWAP(s->nlist, o->nlist);
    SWAP(s->list_cap, o->list_cap);
    SWAP(s->sources, o->sources);
    SWAP(s->nsources, o->nsources);
    SWAP(s->sources_cap, o->sources_cap);
    SWAP(s->problems, o->problems);
    SWAP(s->counts, o->counts);
    SWAP(s->seen, o->seen);
    SWAP(s->nseen, o->nseen);
    SWAP(s->seen_slots, o->seen_slots);
    SWAP(s->dups, o->dups);
    SWAP(s->ndups, o->ndups);
    SWAP(s->dups_cap, o->dups_cap);
    SWAP(s->sorted, o->sorted);
    for (size_t k = 0; k < x->old->nfiles; k++) {
        const struct storefile_file *f = &x->old->files[k];
        if (f->etag[0] && f->source < s->nsources)
            s->sources[f->source].mtime = object_mtime(f->path, s->sources[f->source].mtime);
    }
    storefile_free(x->old);
    x->old = NULL;
    return 0;
}

/* Makes room in the empty s for about what o held, so the replay grows no array (each doubling copied
 * and faulted everything in again). Without room the arrays grow as usual. */
static void reserve(struct store *s, const struct store *o, size_t nevents)
{
    size_t events = nevents + nevents / 8 + 1024, ids = o->nlist + o->nlist / 8 + 1024;
    struct event *e = big_alloc(events * sizeof *e);
    uint32_t *l = big_alloc(ids * sizeof *l);
    uint64_t *seen = o->seen_slots ? big_alloc(o->seen_slots * sizeof *seen) : NULL;
    if (e && l && seen) {
        s->events = e;
        s->cap = events;
        s->list_ids = l;
        s->list_cap = ids;
        memset(seen, 0, o->seen_slots * sizeof *seen);
        s->seen = seen;
        s->seen_slots = o->seen_slots;
        return;
    }
    free(e);
    free(l);
    free(seen);
}

int savedidx_walk_merged(struct savedidx *x, struct store *s)
{
    if (!x)
        return 0;
    if (x->reuse) {
        if (s->nevents || s->nsources || intern_count(s->strings) > 1) {
            x->broken = 1;
            return -1;
        }
        SWAP(s->strings, x->old->store->strings); /* the old events' ids are the new store's */
        reserve(s, x->old->store, x->old->nevents);
    }
    /* streaming, the walk's problems come after those of the files merged before it ended: the saved
       layout has them first (an object not fetched, with files that had problems: the next load reads all) */
    if (x->streaming && x->last_problems && s->problems.count > x->last_problems)
        x->broken = 1;
    x->walk_problems = s->problems.count - x->last_problems; /* streaming: none when files' came first */
    x->last_sources = s->nsources;
    x->last_problems = s->problems.count;
    x->last_counts = s->counts;
    return 0;
}

/* Whether every record file f dropped as a duplicate still has a kept copy before it: loaded into s
 * already (an earlier file), or one of f's own events. Then replaying f is what reading it gives: its
 * own events load exactly when s has not seen their key. -1 when out of memory. */
static int copies_kept(const struct savedidx *x, const struct store *s, uint32_t o)
{
    const struct store *os = x->old->store;
    size_t nd = x->dup_first[o + 1] - x->dup_first[o], ne = x->src_first[o + 1] - x->src_first[o];
    if (nd == 0)
        return 1;
    uint64_t *own = malloc((ne ? ne : 1) * sizeof *own);
    if (!own)
        return -1;
    size_t n = 0;
    for (size_t i = x->src_first[o]; i < x->src_first[o + 1]; i++) {
        struct event e;
        if (storefile_event(x->old, x->by_src[i], &e) != 0) {
            free(own);
            return -1;
        }
        if (store_event_key(os, &e, &own[n]) == 1)
            n++;
    }
    int ok = 1;
    for (size_t i = x->dup_first[o]; i < x->dup_first[o + 1] && ok; i++) {
        uint64_t key = os->dups[x->dup_by_src[i]].key;
        if (store_seen(s, key))
            continue;
        ok = 0;
        for (size_t j = 0; j < n && !ok; j++)
            ok = own[j] == key;
    }
    free(own);
    return ok;
}

int savedidx_replay(struct savedidx *x, struct store *s, size_t k)
{
    const struct store *os = x->old->store;
    const struct storefile_file *f = &x->old->files[x->match[k]];
    const struct source *src = &os->sources[f->source];
    int kept = copies_kept(x, s, f->source);
    if (kept <= 0) {
        x->fell_back += kept == 0;
        x->rows[k].fell_back = kept == 0;
        return kept < 0 ? -1 : 1;
    }
    x->replayed++;
    const char *acct = src->trail_account ? intern_str(s->strings, src->trail_account) : NULL;
    int64_t mtime = f->etag[0] ? object_mtime(src->path, src->mtime) : src->mtime;
    uint32_t id = store_add_source(s, src->path, src->kind, src->gzip, src->size, mtime, acct, NULL, 0);
    if (id == UINT32_MAX)
        return -1;
    for (size_t i = x->src_first[f->source]; i < x->src_first[f->source + 1]; i++) {
        struct event one, *e = &one;
        if (storefile_event(x->old, x->by_src[i], &one) != 0)
            return -1;
        uint64_t key = 0;
        if (store_event_key(os, e, &key) != 1)
            key = 0;
        const uint32_t *run;
        size_t nrun;
        store_ids(os, e, &run, &nrun);
        enum add_result added = store_add_copy(s, id, e, run, nrun, key);
        if (added == ADD_NOMEM)
            return -1;
        if (added == ADD_LOADED)
            x->newpos[x->by_src[i]] = (uint32_t)(s->nevents - 1);
    }
    for (size_t i = x->dup_first[f->source]; i < x->dup_first[f->source + 1]; i++) {
        const struct store_dup *d = &os->dups[x->dup_by_src[i]];
        if (store_add_dup(s, id, d->key, (int)d->content) != 0)
            return -1;
    }
    for (uint64_t i = f->prob_first; i < f->prob_first + f->prob_count; i++) {
        const struct problem *p = &os->problems.rows[i];
        if (problems_add(&s->problems, p->kind, p->file, p->offset, p->record, "%s", p->reason) != 0)
            return -1;
    }
    struct load_counts *c = &s->counts;
    c->files += f->counts.files;
    c->skipped_files += f->counts.skipped_files;
    c->records += f->counts.records;
    c->bad_records += f->counts.bad_records;
    c->skipped_records += f->counts.skipped_records;
    c->bytes += f->counts.bytes;
    return 0;
}

/* An event's place in the final order: its time, then its load position (its index in the store). */
struct place {
    int64_t time_ms;
    uint32_t index;
};

static int place_before(const struct place *a, const struct place *b)
{
    return a->time_ms < b->time_ms || (a->time_ms == b->time_ms && a->index < b->index);
}

static int by_place(const void *a, const void *b)
{
    return place_before(b, a) - place_before(a, b);
}

/* The order store_finish's stable sort gives s's events, as indexes (store_finish_as checks it): the
 * replayed ones in the order they had in the index (a sorted store, and their load order among
 * themselves is the one they had), the others (read, a few) sorted and merged in. NULL when a replayed
 * event is named twice or out of memory. */
static uint32_t *merged_order(const struct savedidx *x, const struct store *s)
{
    size_t n = s->nevents, on = x->old->nevents, n1 = 0, n2 = 0;
    uint32_t *order = malloc(n * sizeof *order);
    uint8_t *replayed = calloc(n, 1);
    struct place *rest = NULL;
    int ok = order && replayed;
    for (size_t i = 0; ok && i < on; i++) {
        uint32_t j = x->newpos[i];
        if (j == UINT32_MAX)
            continue;
        ok = j < n && !replayed[j];
        if (ok) {
            replayed[j] = 1;
            order[n1++] = j;
        }
    }
    if (ok && (rest = malloc((n - n1 + 1) * sizeof *rest)))
        for (size_t j = 0; j < n; j++)
            if (!replayed[j])
                rest[n2++] = (struct place){s->events[j].time_ms, (uint32_t)j};
    free(replayed);
    uint32_t *out = ok && rest ? malloc(n * sizeof *out) : NULL;
    if (out) {
        if (n2)
            qsort(rest, n2, sizeof *rest, by_place);
        size_t a = 0, b = 0;
        for (size_t k = 0; k < n; k++) {
            struct place p = {0, 0};
            if (a < n1)
                p = (struct place){s->events[order[a]].time_ms, order[a]};
            out[k] = a < n1 && (b >= n2 || place_before(&p, &rest[b])) ? order[a++] : rest[b++].index;
        }
    }
    free(order);
    free(rest);
    return out;
}

void savedidx_order(struct savedidx *x, struct store *s)
{
    if (!x || !x->newpos || !x->old || !x->old->store->sorted || s->sorted || s->nevents < 2 ||
        s->nevents > UINT32_MAX)
        return;
    uint32_t *to = merged_order(x, s);
    if (!to || store_finish_as(s, to) != 0)
        trace("the events are not in the index's order: sorted whole"); /* by store_finish */
    free(to);
}

void savedidx_file_merged(struct savedidx *x, const struct store *s, size_t k)
{
    if (x && x->streaming && k >= x->nrows) { /* the list still grows: only its merged part is read */
        size_t had = x->nrows;
        if (grow_array((void **)&x->rows, &x->nrows, k + 1, sizeof *x->rows) == 0)
            memset(x->rows + had, 0, (x->nrows - had) * sizeof *x->rows);
        else
            x->nrows = had;
    }
    if (!x || !x->rows || k >= x->nrows || (!x->streaming && k >= x->list->count)) {
        if (x)
            x->broken = 1;
        return;
    }
    struct row *r = &x->rows[k];
    const struct load_counts *c = &s->counts, *l = &x->last_counts;
    r->source = s->nsources > x->last_sources ? (uint32_t)x->last_sources : UINT32_MAX;
    if (s->nsources > x->last_sources + 1)
        x->broken = 1; /* one source a file: anything else is not a load this index can describe */
    r->prob_first = x->last_problems;
    r->prob_count = s->problems.count - x->last_problems;
    r->counts = (struct load_counts){.files = c->files - l->files,
                                     .skipped_files = c->skipped_files - l->skipped_files,
                                     .records = c->records - l->records,
                                     .bad_records = c->bad_records - l->bad_records,
                                     .skipped_records = c->skipped_records - l->skipped_records,
                                     .bytes = c->bytes - l->bytes};
    r->merged = 1;
    x->last_sources = s->nsources;
    x->last_problems = s->problems.count;
    x->last_counts = *c;
}

/* The rows of the save: each walk file as it is now, stale when it is not what was read. */
static int file_rows(const struct savedidx *x, const struct store *s, struct storefile *sf)
{
    uint8_t *fragile = calloc(s->nsources + 1, 1);
    sf->files = calloc(x->list->count + 1, sizeof *sf->files);
    if (!fragile || !sf->files) {
        free(fragile);
        return -1;
    }
    for (size_t i = 0; i < s->nevents; i++) {
        uint64_t key;
        if (store_event_key(s, &s->events[i], &key) < 0)
            fragile[s->events[i].source] = 1;
    }
    for (size_t i = 0; i < s->ndups; i++)
        if (s->dups[i].content)
            fragile[s->dups[i].source] = 1;
    for (size_t k = 0; k < x->list->count; k++) {
        const struct row *r = &x->rows[k];
        struct storefile_file *f = &sf->files[k];
        const struct walk_file *w = &x->list->files[k];
        const struct source *src = r->source != UINT32_MAX ? &s->sources[r->source] : NULL;
        if (w->etag) { /* an S3 object: who it is is what the listing said; its file was read whole */
            *f = (struct storefile_file){.path = w->path,
                                         .etag = w->etag,
                                         .size = w->size,
                                         .source = r->source,
                                         .prob_first = r->prob_first,
                                         .prob_count = r->prob_count,
                                         .counts = r->counts};
            if (!w->etag[0] || (src && src->size != w->size))
                f->flags |= STOREFILE_STALE;
            if (src && fragile[r->source])
                f->flags |= STOREFILE_FRAGILE;
            sf->nfiles++;
            continue;
        }
        struct ident id;
        ident_of(w->path, &id);
        *f = (struct storefile_file){.path = w->path,
                                     .dev = id.dev,
                                     .ino = id.ino,
                                     .size = id.size,
                                     .mtime_ns = id.mtime_ns,
                                     .ctime_ns = id.ctime_ns,
                                     .source = r->source,
                                     .prob_first = r->prob_first,
                                     .prob_count = r->prob_count,
                                     .counts = r->counts};
        if (!id.ok || (src && (src->size != id.size || src->mtime != id.mtime_ns / 1000000000)))
            f->flags |= STOREFILE_STALE;
        if (src && fragile[r->source])
            f->flags |= STOREFILE_FRAGILE;
        sf->nfiles++;
    }
    free(fragile);
    return 0;
}

/* Whether at least 3/4 of s's strings are still used by its events and sources: a store built from the
 * index across changes keeps the strings of events that are gone, and rewriting it would carry them on
 * for ever. -1 when out of memory. */
static int strings_used(const struct store *s)
{
    uint32_t n = intern_count(s->strings), used = 0;
    uint8_t *mark = calloc((size_t)n / 8 + 1, 1);
    if (!mark)
        return -1;
#define MARK(id) (mark[(id) / 8] |= (uint8_t)(1u << ((id) % 8)))
    for (size_t i = 0; i < s->nevents; i++)
        for (int k = 0; k < EVENT_DENSE; k++)
            MARK(s->events[i].dense[k]);
    for (size_t i = 0; i < s->nlist; i++)
        MARK(s->list_ids[i]);
    for (size_t i = 0; i < s->nsources; i++)
        MARK(s->sources[i].trail_account);
#undef MARK
    for (size_t i = 0; i < (size_t)n / 8 + 1; i++)
        used += (uint32_t)__builtin_popcount(mark[i]);
    free(mark);
    return (uint64_t)used * 4 >= (uint64_t)n * 3;
}

/* Whether the index there is still worth keeping as it is after a partial load: at most 1/16 of the
 * files and of the records differ from it (read because they changed or appeared, or gone). Each
 * later open reads those again, a few files; rewriting the whole index for them would cost more than
 * the load. Sets *nfiles and *nrecords to those that differ. -1 when out of memory. */
static int small_drift(const struct savedidx *x, const struct store *s, uint64_t *nfiles, uint64_t *nrecords)
{
    const struct storefile *o = x->old;
    uint8_t *used = calloc(o->nfiles + 1, 1);
    if (!used)
        return -1;
    uint64_t files = 0, records = 0;
    for (size_t k = 0; k < x->list->count; k++) {
        size_t j = x->match[k];
        if (j != SIZE_MAX)
            used[j] = 1;
        if (j == SIZE_MAX || x->rows[k].fell_back) {
            files++;
            records += x->rows[k].counts.records;
        }
    }
    for (size_t j = 0; j < o->nfiles; j++)
        if (!used[j]) {
            files++;
            records += o->files[j].counts.records;
        }
    free(used);
    uint64_t all_files = x->list->count > o->nfiles ? x->list->count : o->nfiles,
             all_records =
                 s->counts.records > o->store->counts.records ? s->counts.records : o->store->counts.records;
    *nfiles = files;
    *nrecords = records;
    return files * 16 <= all_files && records * 16 <= all_records;
}

void savedidx_save(struct savedidx *x, const struct store *s)
{
    if (!x || !x->list)
        return;
    if (x->old) /* s holds the mapping with the strings: the packed events are done with */
        storefile_drop_packed(x->old);
    if (x->full) {
        utimensat(AT_FDCWD, x->file, NULL, 0); /* used now: the last to be evicted */
        idxfiles_evict(x->file, cap_bytes);
        return;
    }
    int complete = !x->broken && x->rows;
    for (size_t k = 0; complete && k < x->list->count; k++)
        complete = k < x->nrows && x->rows[k].merged;
    for (size_t i = 0; complete && i < s->nsources; i++)
        complete = s->sources[i].kind != SOURCE_MEMORY; /* their bytes are not saved */
    if (!complete) {
        trace("not saved: the load is not one the index can hold");
        return;
    }
    uint64_t nfiles = 0, nrecords = 0;
    if (x->reuse && small_drift(x, s, &nfiles, &nrecords) == 1) {
        utimensat(AT_FDCWD, x->file, NULL, 0); /* used now: the last to be evicted */
        idxfiles_evict(x->file, cap_bytes);
        trace("kept as it is: %llu files and %llu records differ from it (%zu files taken from it, %zu read "
              "as a copy they dropped lost its kept one)",
              (unsigned long long)nfiles, (unsigned long long)nrecords, x->replayed, x->fell_back);
        return;
    }
    if (x->reuse && strings_used(s) != 1) {
        unlink(x->file); /* the next load reads every file and saves a clean index */
        trace("not saved: a quarter of its strings are those of events gone");
        return;
    }
    struct storefile sf = {
        .walk_problems = x->walk_problems, .walk_skipped = x->list->skipped, .walk_pruned = x->list->pruned};
    char *err = NULL;
    int rc = file_rows(x, s, &sf);
    if (rc == 0 && (rc = idxfiles_write(x->file, x->key, s, &sf, &err)) != 0)
        trace("not saved: %s", err ? err : "out of memory");
    free(err);
    if (rc == 0) {
        trace("saved %zu files (%zu taken from the index, %zu read as a copy they dropped lost its kept one)",
              sf.nfiles, x->replayed, x->fell_back);
        idxfiles_evict(x->file, cap_bytes);
    }
    free(sf.files); /* the paths are the walk's */
}

void savedidx_free(struct savedidx *x)
{
    if (!x)
        return;
    free(x->key);
    free(x->file);
    storefile_free(x->old);
    free(x->match);
    free(x->reuse);
    free(x->by_src);
    free(x->src_first);
    free(x->dup_by_src);
    free(x->dup_first);
    free(x->newpos);
    free(x->rows);
    free(x);
}
