#include "parsers/load.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/cores.h"
#include "parsers/batch.h"
#include "parsers/source.h"
#include "parsers/walk.h"

static int reread(const struct source *src, char **data, size_t *len, char **err)
{
    struct source_data d;
    if (source_read_path(src->path, NULL, &d, err) != 0)
        return -1;
    if (d.size != src->size || d.mtime != src->mtime) {
        source_data_free(&d);
        if (asprintf(err, "%s changed since it was loaded", src->path) < 0)
            *err = NULL;
        return -1;
    }
    *data = d.data;
    *len = d.len;
    d.data = NULL;
    source_data_free(&d);
    return 0;
}

/* Inputs read ahead of the merge, per worker: enough to keep every core busy while the merge catches up,
 * few enough that the batches waiting stay small. */
#define WINDOW_PER_WORKER 8
#define MAX_WORKERS       CORES_MAX

struct slot {
    struct batch b;
    int ready;
    int rc;
};

struct loader {
    pthread_mutex_t mu;
    pthread_cond_t work;  /* workers: the walk is done, or the window moved */
    pthread_cond_t ready; /* merger: a slot is ready */
    const char *const *paths;
    size_t npaths;
    struct walk_list list;
    struct problems walk_problems;
    int walked, walk_failed, walk_merged;
    /* quit: set under the lock (idle workers wait on it), read without it by the reads in progress */
    atomic_int stop;
    size_t next_claim, next_merge, window;
    struct slot *slots;
    pthread_t threads[MAX_WORKERS];
    int nthreads;
    uint64_t bytes;
};

struct worker_arg {
    struct loader *l;
    int first; /* this worker walks the paths before reading */
};

static void *worker(void *varg)
{
    struct worker_arg arg = *(struct worker_arg *)varg;
    free(varg);
    struct loader *l = arg.l;
    if (arg.first) {
        int rc = walk_paths(l->paths, l->npaths, &l->list, &l->walk_problems);
        pthread_mutex_lock(&l->mu);
        l->walked = 1;
        l->walk_failed = rc != 0;
        pthread_cond_broadcast(&l->work);
        pthread_cond_broadcast(&l->ready);
        pthread_mutex_unlock(&l->mu);
    }
    pthread_mutex_lock(&l->mu);
    for (;;) {
        while (!atomic_load(&l->stop) &&
               (!l->walked || (l->next_claim < l->list.count && l->next_claim >= l->next_merge + l->window)))
            pthread_cond_wait(&l->work, &l->mu);
        if (atomic_load(&l->stop) || l->walk_failed || l->next_claim >= l->list.count)
            break;
        size_t i = l->next_claim++;
        struct slot *slot = &l->slots[i % l->window];
        pthread_mutex_unlock(&l->mu);
        int rc = batch_read(&slot->b, &l->list.files[i], &l->stop);
        pthread_mutex_lock(&l->mu);
        slot->rc = rc;
        slot->ready = 1;
        pthread_cond_broadcast(&l->ready);
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct loader *loader_start(const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms)
{
    struct loader *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    atomic_init(&l->stop, 0);
    l->paths = paths;
    l->npaths = n;
    l->list.ranged = since_ms != INT64_MIN || until_ms != INT64_MAX;
    l->list.since_ms = since_ms;
    l->list.until_ms = until_ms;
    problems_init(&l->walk_problems);
    int workers = cores_count();
    l->window = (size_t)workers * WINDOW_PER_WORKER;
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
        *arg = (struct worker_arg){l, i == 0};
        if (pthread_create(&l->threads[l->nthreads], NULL, worker, arg) != 0) {
            free(arg);
            break;
        }
        l->nthreads++;
    }
    if (l->nthreads == 0) {
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
}

int loader_merge(struct loader *l, struct store *s, double budget)
{
    double t0 = budget >= 0 ? now() : 0;
    int rc = 0;
    store_set_reader(s, reread);
    pthread_mutex_lock(&l->mu);
    for (;;) {
        merge_walk(l, s);
        if (l->walk_failed) {
            rc = -1;
            break;
        }
        if (l->walked && l->next_merge >= l->list.count) {
            rc = 1;
            break;
        }
        struct slot *slot = &l->slots[l->next_merge % l->window];
        if (!slot->ready) {
            if (budget < 0) {
                pthread_cond_wait(&l->ready, &l->mu);
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
        int merged = slot->rc == 0 ? batch_merge(s, &slot->b) : -1;
        if (slot->rc != 0)
            batch_free(&slot->b);
        pthread_mutex_lock(&l->mu);
        slot->ready = 0;
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
    p->files_done = l->next_merge;
    p->files_total = l->walked ? l->list.count : 0;
    p->bytes = l->bytes;
    pthread_mutex_unlock(&l->mu);
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
    for (size_t i = 0; i < l->window; i++)
        batch_free(&l->slots[i].b);
    free(l->slots);
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

int load_paths_range(struct store *s, const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms,
                     load_progress_fn progress, void *ctx)
{
    store_set_reader(s, reread);
    struct loader *l = loader_start(paths, n, since_ms, until_ms);
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
    loader_free(l);
    store_finish(s);
    return rc < 0 ? -1 : 0;
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
    struct walk_file f = {(char *)path, 0, 0};
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
