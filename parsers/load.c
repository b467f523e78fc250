#include "parsers/load.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/base/grow.h"
#include "model/base/cores.h"
#include "model/base/errmsg.h"
#include "parsers/athena.h"
#include "parsers/batch.h"
#include "parsers/bigread.h"
#include "parsers/pathinfo.h"
#include "parsers/s3open.h"
#include "parsers/savedidx.h"
#include "parsers/source.h"
#include "parsers/stream.h"
#include "parsers/walk.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int reread(const struct source *src, char **data, size_t *len, char **err)
{
    struct source_data d;
    if (source_read_path(src->path, NULL, &d, err) != 0)
        return -1;
    if (d.size != src->size || d.mtime != src->mtime) {
        source_data_free(&d);
        return errmsg_set(err, "%s changed since it was loaded", src->path);
    }
    *data = d.data;
    *len = d.len;
    d.data = NULL;
    source_data_free(&d);
    return 0;
}

static int reread_range(const struct source *src, uint64_t off, char *buf, size_t len, char **err)
{
    return stream_pread(src->path, src->size, src->mtime, off, buf, len, err);
}

static void set_readers(struct store *s)
{
    store_set_reader(s, reread);
    store_set_range_reader(s, reread_range);
}

/* Units (inputs, or parts of a large input) read ahead of the merge, per worker: enough to keep every core
 * busy while the merge catches up, few enough that the batches waiting stay small. */
#define WINDOW_PER_WORKER 16
#define CHUNKS_PER_WORKER 2
#define MAX_WORKERS       CORES_MAX
/* A file at least this large (on disk) is read in parts on every core (parsers/bigread.h), rather than whole
 * by one worker: CTVIEW_BIG_BYTES=N overrides, for tests. */
#define BIG_BYTES ((int64_t)32 << 20)
/* Small inputs are handed to a worker in runs of up to this many files and bytes on disk: a folder of an
 * organization trail holds thousands of files of a few KB, and one claim, one hand-over and one wake-up
 * per file cost as much as reading it. */
#define FILES_PER_UNIT 8
#define UNIT_BYTES     ((int64_t)64 << 10)
/* Inputs in a row taken from the saved index as one unit: each costs a few microseconds to replay, and a
 * hand-over and a wake-up per file were a sixth of a reopen. */
#define SAVED_PER_UNIT 512

enum slot_state { SLOT_FREE, SLOT_PENDING, SLOT_BUSY, SLOT_READY };
enum unit_kind {
    UNIT_FILE,  /* a whole input */
    UNIT_HEAD,  /* a large input's source */
    UNIT_CHUNK, /* some of its records */
    UNIT_END,   /* its end: damage and verdict */
    UNIT_SAVED, /* inputs in a row unchanged since the saved index: taken from it, not read */
};

struct slot {
    struct batch b;
    struct batch more[FILES_PER_UNIT - 1]; /* UNIT_FILE: the inputs read after b's, in input order */
    size_t nmore;
    size_t nsaved; /* UNIT_SAVED: how many inputs */
    enum slot_state state;
    enum unit_kind kind;
    int rc;
    const char *path;       /* UNIT_CHUNK, UNIT_END: the large input's name (borrowed from the walk list) */
    struct chunk *chunk;    /* UNIT_CHUNK while SLOT_PENDING: owned */
    struct bigread_end end; /* UNIT_END: owned until merged */
};

struct loader {
    pthread_mutex_t mu;
    pthread_cond_t work;  /* workers: the walk is done, the window moved, or a chunk waits */
    pthread_cond_t ready; /* merger: a slot is ready */
    const char *const *paths;
    size_t npaths;
    struct s3open_opts scope; /* the range, accounts, regions, and how s3:// paths are opened */
    struct walk_list list;    /* grows under the lock while the walk runs (entries never move: copied out) */
    struct problems walk_problems; /* the walk's alone until walked */
    struct s3open_live live;
    int remote;  /* some path is s3:// */
    int stream;  /* the files are read as the walk lists them (s3://, no saved index), not once it is done */
    char *fatal; /* owned: why an s3:// path could not be opened, or NULL */
    pthread_t walker;
    int has_walker;
    int walked, walk_failed, walk_merged;
    /* quit: set under the lock (idle workers wait on it), read without it by the reads in progress */
    atomic_int stop;
    size_t next_file;  /* the walk's next input to claim */
    size_t next_unit;  /* units numbered so far, in input order */
    size_t next_merge; /* the unit to merge next */
    size_t files_merged;
    int splitting;            /* a worker is reading a large input: the next input waits until it is done */
    struct batch_tally tally; /* the large input being merged: its chunks' tallies so far */
    size_t window, chunk_window;
    int64_t big_bytes;
    struct slot *slots;
    struct savedidx *idx; /* owned: the saved index (parsers/savedidx.h), NULL when off */
    pthread_t threads[MAX_WORKERS];
    int nthreads;
    uint64_t bytes;
    /* CTVIEW_LOAD_TRACE=1: where the load's time goes, said on stderr (see trace_end) */
    int tracing;
    double t_start, t_walked;
    double worker_cpu, worker_idle;   /* summed over the workers, under the lock */
    double merge_busy, merge_idle;    /* the merging thread's */
    double t_in, t_finished, t_saved; /* every input merged, the events in order, the index saved */
    double cpu_start, cpu_in, cpu_finished, cpu_saved; /* the merging thread's CPU time at those */
};

struct worker_arg {
    struct loader *l;
};

static int has_room(const struct loader *l, enum unit_kind kind)
{
    /* a large input's chunks in flight are few: each holds a MiB of records and the batch parsed from it */
    size_t window = kind == UNIT_CHUNK ? l->chunk_window : l->window;
    return l->next_unit < l->next_merge + window;
}

/* The first chunk waiting for a worker, or NULL. Lock held. */
static struct slot *pending(struct loader *l)
{
    for (size_t u = l->next_merge; u < l->next_unit; u++)
        if (l->slots[u % l->window].state == SLOT_PENDING)
            return &l->slots[u % l->window];
    return NULL;
}

static void unit_ready(struct loader *l, struct slot *slot, int rc)
{
    slot->rc = rc;
    slot->state = SLOT_READY;
    pthread_cond_broadcast(&l->ready);
}

/* Parses a waiting chunk. Called and returns with the lock held. */
static void parse_chunk(struct loader *l, struct slot *slot)
{
    slot->state = SLOT_BUSY;
    pthread_mutex_unlock(&l->mu);
    int rc = batch_read_chunk(&slot->b, slot->path, slot->chunk);
    chunk_free(slot->chunk);
    slot->chunk = NULL;
    pthread_mutex_lock(&l->mu);
    unit_ready(l, slot, rc);
}

/* Numbers the next unit, once the window has room for it; meanwhile parses the chunks waiting (with one
 * worker, the reader of a large input is also the only parser). Lock held. NULL when the load stops. */
static struct slot *claim_unit(struct loader *l, enum unit_kind kind)
{
    while (!atomic_load(&l->stop) && !has_room(l, kind)) {
        struct slot *p = pending(l);
        if (p)
            parse_chunk(l, p);
        else
            pthread_cond_wait(&l->work, &l->mu);
    }
    if (atomic_load(&l->stop))
        return NULL;
    struct slot *slot = &l->slots[l->next_unit++ % l->window];
    slot->state = SLOT_BUSY;
    slot->kind = kind;
    return slot;
}

/* Reads whole inputs f[0..n) (n <= FILES_PER_UNIT) into a new unit. Called and returns with the lock held. */
static void read_files(struct loader *l, const struct walk_file *f, size_t n)
{
    struct slot *slot = claim_unit(l, UNIT_FILE);
    if (!slot)
        return;
    slot->nmore = n - 1;
    pthread_mutex_unlock(&l->mu);
    int rc = batch_read(&slot->b, f, &l->stop);
    for (size_t i = 1; i < n && rc == 0; i++)
        rc = batch_read(&slot->more[i - 1], &f[i], &l->stop);
    pthread_mutex_lock(&l->mu);
    unit_ready(l, slot, rc);
}

static void read_file(struct loader *l, const struct walk_file *f)
{
    read_files(l, f, 1);
}

struct big {
    struct loader *l;
    const char *path;
};

static int publish_chunk(void *ctx, struct chunk *c)
{
    struct big *bg = ctx;
    struct loader *l = bg->l;
    pthread_mutex_lock(&l->mu);
    struct slot *slot = claim_unit(l, UNIT_CHUNK);
    if (slot) {
        slot->chunk = c;
        slot->path = bg->path;
        slot->state = SLOT_PENDING;
        pthread_cond_broadcast(&l->work);
    }
    pthread_mutex_unlock(&l->mu);
    if (!slot)
        chunk_free(c);
    return slot ? 0 : -1;
}

/* Athena rows are restored whole, in memory (parsers/athena.h): such an input is read as a small one. Their
 * shape is told by the first line, which is read here up to where athena_detect looks. */
static int athena_rows(const char *path)
{
    struct stream *st;
    char *err = NULL;
    if (stream_open(path, &st, &err) != 0) {
        free(err);
        return 0;
    }
    size_t cap = (size_t)256 << 10, len = 0;
    char *buf = malloc(cap);
    int shape = ATHENA_NONE;
    while (buf) {
        size_t got;
        if (stream_read(st, buf + len, cap - len, &got, NULL, &err) != 0) {
            free(err);
            break;
        }
        len += got;
        size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
            i++;
        if (got == 0 || (i < len && (memchr(buf + i, '\n', len - i) || len - i > 65536))) {
            shape = athena_detect(buf, len);
            break;
        }
        if (grow_array((void **)&buf, &cap, len + 1, 1) != 0)
            break;
    }
    free(buf);
    stream_close(st);
    return shape != ATHENA_NONE;
}

/* Reads a large input a window at a time, handing its chunks to the other workers: the head, the chunks and
 * the end are units in input order. Called and returns with the lock held. */
static void read_big(struct loader *l, const struct walk_file *f)
{
    struct stream *st;
    char *err = NULL;
    pthread_mutex_unlock(&l->mu);
    int opened = stream_open(f->path, &st, &err);
    free(err);
    if (opened == 0 && athena_rows(f->path)) {
        stream_close(st);
        opened = -1;
    }
    pthread_mutex_lock(&l->mu);
    if (opened != 0) {
        read_file(l, f); /* which says why it cannot be read, or restores Athena rows */
        return;
    }
    struct slot *slot = claim_unit(l, UNIT_HEAD);
    if (!slot) {
        stream_close(st);
        return;
    }
    pthread_mutex_unlock(&l->mu);
    int rc = batch_big_head(&slot->b, f, st);
    pthread_mutex_lock(&l->mu);
    unit_ready(l, slot, rc);
    pthread_mutex_unlock(&l->mu);
    struct big bg = {l, f->path};
    struct bigread_end end;
    bigread_run(st, &l->stop, publish_chunk, &bg, &end);
    stream_close(st);
    pthread_mutex_lock(&l->mu);
    slot = claim_unit(l, UNIT_END);
    if (!slot) {
        free(end.warning);
        return;
    }
    slot->end = end;
    slot->path = f->path;
    unit_ready(l, slot, end.nomem ? -1 : 0);
}

static int is_big(const struct loader *l, const struct walk_file *f)
{
    if (f->is_stdin || f->size < l->big_bytes || (uint64_t)f->size > SOURCE_MAX_DECODED)
        return 0;
    struct pathinfo pi;
    pathinfo_parse(f->path, &pi);
    return !pi.is_digest;
}

/* How many inputs from the next one on are read as one unit: small ones in a row, up to FILES_PER_UNIT and
 * UNIT_BYTES (the first always). Lock held. */
static size_t small_run(const struct loader *l)
{
    size_t n = 0;
    int64_t bytes = 0;
    while (n < FILES_PER_UNIT && l->next_file + n < l->list.count) {
        const struct walk_file *f = &l->list.files[l->next_file + n];
        if (f->is_stdin || is_big(l, f) || (n > 0 && bytes + f->size > UNIT_BYTES) ||
            (n > 0 && savedidx_reuse(l->idx, l->next_file + n)))
            break;
        bytes += f->size;
        n++;
    }
    return n ? n : 1;
}

/* Moves the files of part onto the loader's list, where the workers claim them. */
static int publish(struct loader *l, struct walk_list *part)
{
    pthread_mutex_lock(&l->mu);
    int rc = grow_array_from((void **)&l->list.files, &l->list.cap, l->list.count + part->count,
                             sizeof *l->list.files, 256);
    if (rc == 0) {
        if (part->count)
            memcpy(l->list.files + l->list.count, part->files, part->count * sizeof *part->files);
        l->list.count += part->count;
        l->list.skipped += part->skipped;
        l->list.pruned += part->pruned;
        part->count = part->skipped = part->pruned = 0;
        pthread_cond_broadcast(&l->work);
    }
    pthread_mutex_unlock(&l->mu);
    return rc;
}

static int object_in(void *ctx, char *path, uint64_t size, const char *etag, int replaced)
{
    (void)replaced; /* a rewritten object has a new ETag, which the saved index compares; --follow's
                       polls use it (tui/follow.c) */
    struct loader *l = ctx;
    struct walk_file f = {.path = path, .size = size > INT64_MAX ? INT64_MAX : (int64_t)size};
    struct walk_list one = {.files = &f, .count = 1, .cap = 1};
    if (!(f.etag = strdup(etag ? etag : "")) || publish(l, &one) != 0) {
        free(f.etag);
        free(path);
        return -1;
    }
    return 0;
}

/* Walks the paths in order onto the list: folders and files (each run of them walked at once), and
 * s3:// URLs object by object as they come in. */
static void *walk(void *varg)
{
    struct loader *l = varg;
    int rc = 0;
    for (size_t i = 0; i < l->npaths && rc == 0 && !atomic_load(&l->stop);) {
        if (s3open_is_s3(l->paths[i])) {
            char *err = NULL;
            if (s3open_stream(l->paths[i++], &l->scope, &l->stop, &l->live, object_in, l, &l->walk_problems,
                              &err) != 0) {
                l->fatal = err ? err : strdup("out of memory");
                break;
            }
            continue;
        }
        size_t k = i;
        while (k < l->npaths && !s3open_is_s3(l->paths[k]))
            k++;
        struct walk_list part = {.ranged = l->list.ranged,
                                 .since_ms = l->list.since_ms,
                                 .until_ms = l->list.until_ms,
                                 .accounts = l->scope.accounts,
                                 .regions = l->scope.regions};
        rc = walk_paths(l->paths + i, k - i, &part, &l->walk_problems);
        if (rc == 0)
            rc = publish(l, &part);
        walk_list_free(&part);
        i = k;
    }
    if (rc == 0 && !l->stream) /* the workers wait for the plan: the list is whole and still */
        savedidx_plan(l->idx, &l->list, &l->walk_problems);
    pthread_mutex_lock(&l->mu);
    if (savedidx_full(l->idx))
        l->next_file = l->list.count; /* nothing to read: the merge restores the store */
    l->walked = 1;
    l->t_walked = l->tracing ? now() : 0;
    l->walk_failed = rc != 0;
    pthread_cond_broadcast(&l->work);
    pthread_cond_broadcast(&l->ready);
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

static void *worker(void *varg)
{
    struct worker_arg arg = *(struct worker_arg *)varg;
    free(varg);
    struct loader *l = arg.l;
    pthread_mutex_lock(&l->mu);
    for (;;) {
        if (atomic_load(&l->stop) || l->walk_failed)
            break;
        struct slot *p = pending(l);
        if (p) {
            parse_chunk(l, p);
            continue;
        }
        /* a walk is read once whole (the saved index plans from it); s3:// objects without a saved index
           as they come */
        if ((l->walked || l->stream) && !l->splitting && l->next_file < l->list.count &&
            has_room(l, UNIT_FILE)) {
            /* copied out: the list may move as the walk adds to it while these are read */
            struct walk_file run[FILES_PER_UNIT];
            run[0] = l->list.files[l->next_file];
            if (savedidx_reuse(l->idx, l->next_file)) {
                size_t n = 1;
                while (n < SAVED_PER_UNIT && l->next_file + n < l->list.count &&
                       savedidx_reuse(l->idx, l->next_file + n))
                    n++;
                l->next_file += n;
                struct slot *saved = claim_unit(l, UNIT_SAVED);
                if (!saved)
                    break; /* the load stops */
                saved->nsaved = n;
                unit_ready(l, saved, 0);
            } else if (is_big(l, &run[0])) {
                l->next_file++;
                l->splitting = 1;
                read_big(l, &run[0]);
                l->splitting = 0;
                pthread_cond_broadcast(&l->work);
                pthread_cond_broadcast(&l->ready);
            } else {
                size_t n = small_run(l);
                memcpy(run, &l->list.files[l->next_file], n * sizeof *run);
                l->next_file += n;
                read_files(l, run, n);
            }
            continue;
        }
        if (l->walked && !l->splitting && l->next_file >= l->list.count)
            break;
        double t0 = l->tracing ? now() : 0;
        pthread_cond_wait(&l->work, &l->mu);
        if (l->tracing)
            l->worker_idle += now() - t0;
    }
    if (l->tracing)
        l->worker_cpu += thread_cpu();
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

struct loader *loader_start(const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms)
{
    struct s3open_opts scope = {.since_ms = since_ms, .until_ms = until_ms};
    return loader_start_scope(paths, n, &scope);
}

struct loader *loader_start_scope(const char *const *paths, size_t n, const struct s3open_opts *scope)
{
    struct loader *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    atomic_init(&l->stop, 0);
    const char *trace = getenv("CTVIEW_LOAD_TRACE");
    l->tracing = trace && strcmp(trace, "1") == 0;
    l->t_start = now();
    l->cpu_start = thread_cpu();
    l->paths = paths;
    l->npaths = n;
    l->scope = *scope;
    l->list.ranged = scope->since_ms != INT64_MIN || scope->until_ms != INT64_MAX;
    l->list.since_ms = scope->since_ms;
    l->list.until_ms = scope->until_ms;
    for (size_t i = 0; i < n; i++)
        l->remote |= s3open_is_s3(paths[i]);
    problems_init(&l->walk_problems);
    const char *big = getenv("CTVIEW_BIG_BYTES");
    l->big_bytes = big && atoll(big) > 0 ? (int64_t)atoll(big) : BIG_BYTES;
    l->idx = savedidx_begin(paths, n, scope->since_ms, scope->until_ms, l->big_bytes);
    /* s3:// objects are read as they are fetched, unless an index is saved: then the listing (cached
       objects, mostly) is waited for, and the objects whose ETag it holds are not read at all */
    l->stream = l->remote && (!l->idx || savedidx_stream(l->idx, &l->list));
    int workers = cores_count();
    l->window = (size_t)workers * WINDOW_PER_WORKER;
    l->chunk_window = (size_t)workers * CHUNKS_PER_WORKER + 2;
    l->slots = calloc(l->window, sizeof *l->slots);
    if (!l->slots) {
        free(l);
        return NULL;
    }
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->work, NULL);
    pthread_cond_init(&l->ready, NULL);
    for (int i = 0; i < workers; i++) {
        struct worker_arg *arg = malloc(sizeof *arg);
        if (!arg)
            break;
        *arg = (struct worker_arg){l};
        if (pthread_create(&l->threads[l->nthreads], NULL, worker, arg) != 0) {
            free(arg);
            break;
        }
        l->nthreads++;
    }
    /* the walk on a thread of its own: fetching from S3 mostly waits, and the workers decode meanwhile */
    l->has_walker = l->nthreads > 0 && pthread_create(&l->walker, NULL, walk, l) == 0;
    if (!l->has_walker) {
        loader_free(l);
        return NULL;
    }
    return l;
}

/* Takes the walk's problems and counts into the store, once, before the first input's. */
static void merge_walk(struct loader *l, struct store *s)
{
    if (l->walk_merged || !l->walked)
        return;
    l->walk_merged = 1;
    s->counts.skipped_files += l->list.skipped;
    s->counts.pruned += l->list.pruned;
    if (problems_take(&s->problems, &l->walk_problems) != 0)
        l->walk_failed = 1;
    if (savedidx_full(l->idx)) {
        if (savedidx_restore(l->idx, s) != 0)
            l->walk_failed = 1; /* the store was not empty: see load.h */
        l->files_merged = l->list.count;
    } else if (savedidx_walk_merged(l->idx, s) != 0) {
        l->walk_failed = 1;
    }
}

/* Every unit is in: the walk, every input, and the large input being read. Lock held. */
static int all_in(const struct loader *l)
{
    return l->walked && l->next_file >= l->list.count && !l->splitting && l->next_merge >= l->next_unit;
}

/* Merges one ready unit into s, each of its files told to the saved index in turn; *nfiles: the input
 * files it completed (a run of small files, a saved one, a large one's end). Called without the lock:
 * l->files_merged changes only on this thread, under the lock, once the unit is in. */
static int merge_unit(struct loader *l, struct slot *slot, struct store *s, size_t *nfiles)
{
    size_t k = l->files_merged;
    if (slot->rc != 0) {
        batch_free(&slot->b);
        for (size_t i = 0; i < slot->nmore; i++)
            batch_free(&slot->more[i]);
        if (slot->kind == UNIT_END) {
            free(slot->end.warning);
            slot->end.warning = NULL;
        }
        return -1;
    }
    for (size_t i = 0; slot->kind == UNIT_SAVED && i < slot->nsaved; i++) {
        int rc = savedidx_replay(l->idx, s, k + i);
        if (rc == 1) { /* a copy it dropped lost its kept one: read it here, in its turn */
            if (batch_read(&slot->b, &l->list.files[k + i], &l->stop) != 0) {
                batch_free(&slot->b);
                return -1;
            }
            rc = batch_merge(s, &slot->b);
        }
        if (rc != 0)
            return -1;
        savedidx_file_merged(l->idx, s, k + (*nfiles)++);
    }
    if (slot->kind == UNIT_SAVED)
        return 0;
    if (slot->kind == UNIT_HEAD)
        l->tally = (struct batch_tally){0};
    if (slot->kind == UNIT_CHUNK)
        batch_tally_add(&l->tally, &slot->b.tally);
    if (slot->kind == UNIT_END) {
        int rc = batch_big_end(&slot->b, slot->path, &slot->end, &l->tally);
        free(slot->end.warning);
        slot->end.warning = NULL;
        if (rc != 0) {
            batch_free(&slot->b);
            return -1;
        }
    }
    int rc = batch_merge(s, &slot->b);
    int whole = slot->kind == UNIT_FILE || slot->kind == UNIT_END;
    if (rc == 0 && whole)
        savedidx_file_merged(l->idx, s, k + (*nfiles)++);
    for (size_t i = 0; i < slot->nmore; i++)
        if (rc != 0) {
            batch_free(&slot->more[i]);
        } else if ((rc = batch_merge(s, &slot->more[i])) == 0) {
            savedidx_file_merged(l->idx, s, k + (*nfiles)++);
        }
    return rc;
}

int loader_merge(struct loader *l, struct store *s, double budget)
{
    double t0 = budget >= 0 ? now() : 0;
    int rc = 0;
    set_readers(s);
    pthread_mutex_lock(&l->mu);
    for (;;) {
        merge_walk(l, s);
        if (l->walk_failed) {
            rc = -1;
            break;
        }
        if (all_in(l)) {
            rc = 1;
            break;
        }
        struct slot *slot = &l->slots[l->next_merge % l->window];
        if (l->next_merge >= l->next_unit || slot->state != SLOT_READY) {
            if (budget < 0) {
                double w0 = l->tracing ? now() : 0;
                pthread_cond_wait(&l->ready, &l->mu);
                if (l->tracing)
                    l->merge_idle += now() - w0;
                continue;
            }
            double left = budget - (now() - t0);
            if (left <= 0)
                break;
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += (long)(left * 1e9);
            until.tv_sec += until.tv_nsec / 1000000000;
            until.tv_nsec %= 1000000000;
            pthread_cond_timedwait(&l->ready, &l->mu, &until);
            continue;
        }
        pthread_mutex_unlock(&l->mu);
        size_t nfiles = 0;
        double m0 = l->tracing ? now() : 0;
        int merged = merge_unit(l, slot, s, &nfiles);
        if (l->tracing)
            l->merge_busy += now() - m0;
        pthread_mutex_lock(&l->mu);
        l->files_merged += nfiles;
        slot->nmore = 0;
        slot->state = SLOT_FREE;
        l->next_merge++;
        l->bytes = s->counts.bytes;
        pthread_cond_broadcast(&l->work);
        if (merged != 0) {
            rc = -1;
            break;
        }
        if (budget >= 0 && now() - t0 >= budget)
            break;
    }
    pthread_mutex_unlock(&l->mu);
    return rc;
}

void loader_progress(struct loader *l, struct load_progress *p)
{
    pthread_mutex_lock(&l->mu);
    p->files_done = l->files_merged;
    p->files_total = l->walked ? l->list.count : 0;
    p->bytes = l->bytes;
    p->remote = l->remote;
    p->objects_listed = atomic_load(&l->live.listed);
    p->objects_done = atomic_load(&l->live.done);
    p->bytes_fetched = atomic_load(&l->live.bytes);
    pthread_mutex_unlock(&l->mu);
}

/* The load is complete: the saved index may put the events in order cheaper than store_finish. */
static void loader_order(struct loader *l, struct store *s)
{
    pthread_mutex_lock(&l->mu);
    int done = all_in(l) && !l->walk_failed && !atomic_load(&l->stop);
    pthread_mutex_unlock(&l->mu);
    if (done)
        savedidx_order(l->idx, s);
}

void loader_save(struct loader *l, const struct store *s)
{
    pthread_mutex_lock(&l->mu);
    int done = all_in(l) && !l->walk_failed && !atomic_load(&l->stop);
    pthread_mutex_unlock(&l->mu);
    if (done)
        savedidx_save(l->idx, s);
}

/* CTVIEW_LOAD_TRACE=1: seconds from the start to each step, and where the threads' time went. */
static void trace_end(const struct loader *l)
{
    double t0 = l->t_start;
    fprintf(stderr,
            "ctview: load: walked %.3f, all in %.3f, in order %.3f, saved %.3f, freed %.3f s; %d workers: "
            "%.3f s CPU, %.3f s waiting; merge: %.3f s merging (%.3f s CPU), %.3f s waiting; CPU of the "
            "sort %.3f s, of the save %.3f s\n",
            l->t_walked - t0, l->t_in ? l->t_in - t0 : 0, l->t_finished ? l->t_finished - t0 : 0,
            l->t_saved ? l->t_saved - t0 : 0, now() - t0, l->nthreads, l->worker_cpu, l->worker_idle,
            l->merge_busy, l->t_in ? l->cpu_in - l->cpu_start : 0, l->merge_idle,
            l->t_in ? l->cpu_finished - l->cpu_in : 0, l->t_in ? l->cpu_saved - l->cpu_finished : 0);
}

void loader_free(struct loader *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    atomic_store(&l->stop, 1);
    pthread_cond_broadcast(&l->work);
    pthread_mutex_unlock(&l->mu);
    for (int i = 0; i < l->nthreads; i++)
        pthread_join(l->threads[i], NULL);
    if (l->has_walker)
        pthread_join(l->walker, NULL);
    if (l->tracing)
        trace_end(l);
    free(l->fatal);
    for (size_t i = 0; i < l->window; i++) {
        batch_free(&l->slots[i].b);
        for (size_t k = 0; k < FILES_PER_UNIT - 1; k++)
            batch_free(&l->slots[i].more[k]);
        chunk_free(l->slots[i].chunk);
        if (l->slots[i].kind == UNIT_END)
            free(l->slots[i].end.warning);
    }
    free(l->slots);
    savedidx_free(l->idx);
    walk_list_free(&l->list);
    problems_clear(&l->walk_problems);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->work);
    pthread_cond_destroy(&l->ready);
    free(l);
}

int load_paths(struct store *s, const char *const *paths, size_t n, load_progress_fn progress, void *ctx)
{
    return load_paths_range(s, paths, n, INT64_MIN, INT64_MAX, progress, ctx);
}

const char *loader_error(struct loader *l)
{
    pthread_mutex_lock(&l->mu);
    const char *e = l->walked ? l->fatal : NULL;
    pthread_mutex_unlock(&l->mu);
    return e;
}

int load_paths_range(struct store *s, const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms,
                     load_progress_fn progress, void *ctx)
{
    struct s3open_opts scope = {.since_ms = since_ms, .until_ms = until_ms};
    char *err = NULL;
    int rc = load_paths_scope(s, paths, n, &scope, progress, ctx, &err);
    free(err);
    return rc;
}

int load_paths_scope(struct store *s, const char *const *paths, size_t n, const struct s3open_opts *scope,
                     load_progress_fn progress, void *ctx, char **err)
{
    *err = NULL;
    set_readers(s);
    struct loader *l = loader_start_scope(paths, n, scope);
    if (!l)
        return -1;
    int rc;
    for (;;) {
        rc = loader_merge(l, s, progress ? 0.05 : -1);
        if (rc < 0)
            break;
        if (progress) {
            struct load_progress p;
            loader_progress(l, &p);
            if (progress(ctx, &p))
                break;
        }
        if (rc == 1)
            break;
    }
    const char *fatal = loader_error(l);
    if (fatal && !(*err = strdup(fatal)))
        rc = -1;
    l->t_in = now();
    l->cpu_in = thread_cpu();
    if (rc == 1 && !fatal)
        loader_order(l, s);
    store_finish(s);
    l->t_finished = now();
    l->cpu_finished = thread_cpu();
    if (rc == 1 && !fatal)
        loader_save(l, s);
    l->t_saved = now();
    l->cpu_saved = thread_cpu();
    loader_free(l);
    return rc < 0 || *err ? -1 : 0;
}

static int read_and_merge(struct store *s, struct batch *b, int rc)
{
    if (rc != 0) {
        batch_free(b);
        return -1;
    }
    return batch_merge(s, b);
}

int load_more(struct store *s, const char *path)
{
    struct walk_file f = {.path = (char *)path};
    struct batch b;
    int rc = batch_read(&b, &f, NULL);
    return read_and_merge(s, &b, rc);
}

int load_buffer(struct store *s, const char *name, const char *data, size_t len)
{
    struct batch b;
    int rc = batch_read_buffer(&b, name, data, len);
    rc = read_and_merge(s, &b, rc);
    store_finish(s);
    return rc;
}
