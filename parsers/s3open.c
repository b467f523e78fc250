/* s3open: s3:// paths listed with the layout pruned, fetched into the cache (see s3open.h). */
#include "parsers/s3open.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/base/atomicfile.h"
#include "model/base/grow.h"
#include "model/base/xdg.h"
#include "parsers/pathinfo.h"
#include "parsers/s3.h"

static struct s3open_totals totals;

const struct s3open_totals *s3open_totals(void)
{
    return &totals;
}

int s3open_is_s3(const char *path)
{
    return strncmp(path, "s3://", 5) == 0;
}

/* Where the listing of a prefix stands in the delivery layout. */
enum layer { L_ANY, L_AWSLOGS, L_ORG, L_ACCOUNT, L_SERVICE, L_REGION, L_ALL };

/* An object a listing named, in key order within its listing's group. */
struct obj {
    char *path; /* owned until handed to the sink: the local file */
    uint64_t size;
    enum { OBJ_FETCHING, OBJ_READY, OBJ_FAILED } state;
    int replaced; /* the index held the key under another ETag */
    char etag[72];
};

/* What one listing (all its pages) named: handed on in key order once every object before is in. */
struct group {
    char *prefix; /* owned */
    struct obj *objs;
    size_t n, cap;
    int complete; /* its last page is in */
};

struct cached {
    char *key; /* owned */
    char etag[72];
    uint64_t size;
};

struct job {
    struct s3 *s3;
    const struct s3open_opts *o;
    char *root;           /* owned: the bucket's cache folder */
    struct cached *index; /* owned, sorted by key: what the cache holds */
    size_t nindex, capindex;
    struct group **groups; /* owned, sorted by prefix */
    size_t ngroups, capgroups;
    size_t cur_group, cur_obj; /* the next object to hand on */
    s3open_file_fn sink;
    void *sink_ctx;
    struct s3open_live *live; /* or NULL */
    struct cached *added;     /* owned: objects fetched this run that the index did not hold */
    size_t nadded, capadded;
    struct problems *problems;
    char *fatal;    /* owned: why a listing failed, or NULL */
    char *last_dir; /* owned: the cache folder last made */
    uint64_t tmp_seq;
};

/* The layer a listing's prefix is in, attached to each listing as its context. */
struct listing {
    struct job *job;
    struct group *group; /* borrowed from the job */
    enum layer layer;
    int depth;
    int by_folder; /* listed with a delimiter */
};

static int cmp_cached(const void *a, const void *b)
{
    return strcmp(((const struct cached *)a)->key, ((const struct cached *)b)->key);
}

static struct cached *index_find(struct job *j, const char *key)
{
    struct cached k = {.key = (char *)key};
    return j->nindex ? bsearch(&k, j->index, j->nindex, sizeof k, cmp_cached) : NULL;
}

/* Whether a key can be kept in the index and the cache: no control bytes, no "." or ".." folders, no
 * empty folder names (a hostile listing must not write outside the bucket's folder). */
static int key_storable(const char *key)
{
    if (!*key || *key == '/' || strlen(key) > 1024)
        return 0;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    for (const char *seg = key; seg;) {
        const char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        if ((n == 0 && slash) || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        seg = slash ? slash + 1 : NULL;
    }
    return key[strlen(key) - 1] != '/';
}

/* With no_cache, the index lives here for the rest of the process (see s3open.h): one per bucket
 * folder of the private root. The lock is for --follow, whose listing thread may open while a rescan
 * does. */
struct kept_index {
    char *root;       /* owned */
    struct cached *v; /* owned, sorted by key */
    size_t n;
};
static struct kept_index *kept;
static size_t nkept;
static pthread_mutex_t kept_mu = PTHREAD_MUTEX_INITIALIZER;

static void kept_load(struct job *j)
{
    pthread_mutex_lock(&kept_mu);
    for (size_t k = 0; k < nkept; k++) {
        if (strcmp(kept[k].root, j->root) != 0 || !kept[k].n)
            continue;
        if (!(j->index = calloc(kept[k].n, sizeof *j->index)))
            break;
        j->capindex = kept[k].n;
        for (size_t i = 0; i < kept[k].n; i++) {
            j->index[i] = kept[k].v[i];
            if (!(j->index[i].key = strdup(kept[k].v[i].key)))
                break;
            j->nindex++;
        }
        break;
    }
    pthread_mutex_unlock(&kept_mu);
}

/* Keeps the job's index (taken over: j->index is emptied). */
static void kept_save(struct job *j)
{
    pthread_mutex_lock(&kept_mu);
    size_t k = 0;
    while (k < nkept && strcmp(kept[k].root, j->root) != 0)
        k++;
    if (k == nkept) {
        struct kept_index *v = reallocarray(kept, nkept + 1, sizeof *v);
        char *root = strdup(j->root);
        if (!v || !root) {
            if (v)
                kept = v;
            free(root);
            pthread_mutex_unlock(&kept_mu);
            return;
        }
        kept = v;
        kept[nkept++] = (struct kept_index){root, NULL, 0};
    }
    for (size_t i = 0; i < kept[k].n; i++)
        free(kept[k].v[i].key);
    free(kept[k].v);
    kept[k].v = j->index;
    kept[k].n = j->nindex;
    j->index = NULL;
    j->nindex = j->capindex = 0;
    pthread_mutex_unlock(&kept_mu);
}

static void index_load(struct job *j)
{
    if (j->o->no_cache) {
        kept_load(j);
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s.index", j->root);
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    char line[1200];
    while (fgets(line, sizeof line, f)) {
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *nl = strchr(line, '\n');
        if (!t1 || !t2 || !nl || t1 - line >= 72)
            continue; /* a damaged line costs only itself: that object is fetched again */
        *t1 = *t2 = *nl = '\0';
        if (!key_storable(t2 + 1))
            continue;
        if (j->nindex == j->capindex) {
            size_t cap = j->capindex ? j->capindex * 2 : 256;
            struct cached *v = reallocarray(j->index, cap, sizeof *v);
            if (!v)
                break;
            j->index = v;
            j->capindex = cap;
        }
        struct cached *c = &j->index[j->nindex];
        memcpy(c->etag, line, (size_t)(t1 - line) + 1); /* checked above: under 72 bytes with its NUL */
        c->size = strtoull(t1 + 1, NULL, 10);
        if (!(c->key = strdup(t2 + 1)))
            break;
        j->nindex++;
    }
    fclose(f);
    if (j->nindex)
        qsort(j->index, j->nindex, sizeof *j->index, cmp_cached);
}

/* Rewrites the index from what this run saw (old entries of keys not seen are kept): a temporary file
 * renamed over it. */
static void index_save(struct job *j)
{
    char path[4096], *text = NULL, *err = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s.index", j->root);
    if (j->o->no_cache) {
        kept_save(j);
        return;
    }
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    for (size_t i = 0; i < j->nindex; i++)
        if (j->index[i].key)
            fprintf(f, "%s\t%llu\t%s\n", j->index[i].etag, (unsigned long long)j->index[i].size,
                    j->index[i].key);
    if (fclose(f) == 0)
        atomicfile_write(path, text, len, &err); /* a cache: not kept is only slower next time */
    free(err);
    free(text);
}

/* mkdir -p of the folders above path, mode 0700. */
static int make_parents(const char *path)
{
    char *err = NULL;
    int rc = xdg_make_parents(path, &err);
    free(err);
    return rc;
}

/* A download in flight: where its bytes go first, and what to record once they are in. */
struct pending {
    struct job *job;
    struct group *group; /* borrowed from the job */
    size_t at;           /* the object's place in the group */
    char *tmp;           /* owned */
    char etag[72];
    uint64_t size;
};

static void remember(struct job *j, const char *key, const char *etag, uint64_t size)
{
    struct cached *c = index_find(j, key);
    if (c) {
        snprintf(c->etag, sizeof c->etag, "%s", etag);
        c->size = size;
        return;
    }
    if (grow_array_from((void **)&j->added, &j->capadded, j->nadded + 1, sizeof *j->added, 256) != 0)
        return;
    struct cached *a = &j->added[j->nadded];
    if (!(a->key = strdup(key)))
        return;
    snprintf(a->etag, sizeof a->etag, "%s", etag);
    a->size = size;
    j->nadded++;
}

/* Hands on the objects that are in, in order: groups by prefix (so the same bucket loads in the same
 * order every time), each in key order. A group waits for the groups before it to be complete: among
 * them are the folder listings that may yet add a group before it (a folder's groups start with its
 * prefix, so they sort after it), which is why no group is ever added before the one handed on. */
static void hand_on(struct job *j)
{
    while (j->cur_group < j->ngroups) {
        struct group *g = j->groups[j->cur_group];
        while (j->cur_obj < g->n && g->objs[j->cur_obj].state != OBJ_FETCHING) {
            struct obj *ob = &g->objs[j->cur_obj++];
            if (ob->state == OBJ_READY &&
                j->sink(j->sink_ctx, ob->path, ob->size, ob->etag, ob->replaced) != 0 && !j->fatal)
                j->fatal = strdup("out of memory");
            ob->path = NULL; /* the sink's now */
        }
        if (j->cur_obj < g->n || !g->complete)
            return;
        j->cur_group++;
        j->cur_obj = 0;
    }
}

static void object_done(struct job *j, struct group *g, size_t at, int ok)
{
    g->objs[at].state = ok ? OBJ_READY : OBJ_FAILED;
    if (j->live)
        atomic_fetch_add(&j->live->done, 1);
}

static void got_object(struct s3 *s, void *ctx, const char *key, int ok, const struct s3_result *r)
{
    struct pending *pd = ctx;
    struct job *j = pd->job;
    const char *path = pd->group->objs[pd->at].path;
    int kept = 0;
    if (!ok) {
        unlink(pd->tmp);
        totals.objects_failed++;
        problems_add(j->problems, PROBLEM_FILE, "s3 object", -1, -1, "s3://%s/%s: not fetched: %s (HTTP %ld)",
                     s3_bucket(s), key, r->code, r->status);
    } else if (rename(pd->tmp, path) != 0) {
        int e = errno;
        totals.objects_failed++;
        unlink(pd->tmp);
        problems_add(j->problems, PROBLEM_FILE, "s3 object", -1, -1,
                     "s3://%s/%s: the cache file cannot be kept: %s", s3_bucket(s), key, strerror(e));
    } else {
        kept = 1;
        if (j->live)
            atomic_fetch_add(&j->live->bytes, pd->size);
        remember(j, key, pd->etag, pd->size);
    }
    object_done(j, pd->group, pd->at, kept);
    free(pd->tmp);
    free(pd);
    hand_on(j);
}

/* Folders of the cache already made this run: an object's folder is made once, not per object. */
static int parents_made(struct job *j, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (j->last_dir && strlen(j->last_dir) == n && strncmp(j->last_dir, path, n) == 0)
        return 0;
    if (make_parents(path) != 0)
        return -1;
    free(j->last_dir);
    j->last_dir = strndup(path, n);
    return 0;
}

/* What to do with an object a listing named: use the cached copy, or fetch it. */
static void take_object(struct job *j, struct group *g, const struct s3_object *ob)
{
    if (strstr(ob->key, "CloudTrail-Digest/")) /* digests hold no events */
        return;
    char path[4096];
    if (!key_storable(ob->key) ||
        snprintf(path, sizeof path, "%s/%s", j->root, ob->key) >= (int)sizeof path) {
        totals.objects_failed++;
        problems_add(j->problems, PROBLEM_FILE, "s3 object", -1, -1,
                     "an object of s3://%s has a key ctview cannot keep in its cache (control characters, "
                     "'.' or '..' or empty folder names, or over 1,024 bytes)",
                     s3_bucket(j->s3));
        return;
    }
    if (grow_array_from((void **)&g->objs, &g->cap, g->n + 1, sizeof *g->objs, 64) != 0)
        return;
    size_t at = g->n;
    g->objs[at] = (struct obj){strdup(path), ob->size, OBJ_FETCHING, 0, ""};
    if (!g->objs[at].path)
        return;
    snprintf(g->objs[at].etag, sizeof g->objs[at].etag, "%s", ob->etag);
    g->n++;
    if (j->live)
        atomic_fetch_add(&j->live->listed, 1);
    struct cached *c = index_find(j, ob->key);
    g->objs[at].replaced = c && strcmp(c->etag, ob->etag) != 0;
    struct stat st;
    if (c && strcmp(c->etag, ob->etag) == 0 && c->size == ob->size && lstat(path, &st) == 0 &&
        S_ISREG(st.st_mode) && (uint64_t)st.st_size == ob->size) {
        totals.cache_hits++;
        utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW); /* used now: the last to be evicted */
        object_done(j, g, at, 1);
        return;
    }
    struct pending *pd = calloc(1, sizeof *pd);
    if (!pd ||
        asprintf(&pd->tmp, "%s.%ld.%llu.part", path, (long)getpid(), (unsigned long long)++j->tmp_seq) < 0) {
        free(pd);
        object_done(j, g, at, 0);
        return;
    }
    *pd = (struct pending){.job = j, .group = g, .at = at, .tmp = pd->tmp, .size = ob->size};
    snprintf(pd->etag, sizeof pd->etag, "%s", ob->etag);
    if (parents_made(j, pd->tmp) != 0) {
        totals.objects_failed++;
        problems_add(j->problems, PROBLEM_FILE, "s3 object", -1, -1,
                     "s3://%s/%s: the cache folder cannot be made", s3_bucket(j->s3), ob->key);
        free(pd->tmp);
        free(pd);
        object_done(j, g, at, 0);
        return;
    }
    if (s3_get(j->s3, ob->key, ob->etag, ob->size, pd->tmp, got_object, pd) != 0) {
        free(pd->tmp);
        free(pd);
        object_done(j, g, at, 0);
    }
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

static void on_page(struct s3 *s, void *ctx, const char *prefix, const struct s3_page *page,
                    const struct s3_result *r);

static int list(struct job *j, const char *prefix, enum layer layer, int depth)
{
    struct listing *l = calloc(1, sizeof *l);
    if (!l)
        return -1;
    struct group *g = calloc(1, sizeof *g);
    if (!g || !(g->prefix = strdup(prefix)) ||
        grow_array_from((void **)&j->groups, &j->capgroups, j->ngroups + 1, sizeof *j->groups, 16) != 0) {
        if (g)
            free(g->prefix);
        free(g);
        free(l);
        return -1;
    }
    /* in prefix order, after the group being handed on (see hand_on) */
    size_t hi = j->ngroups, lo = j->cur_group + (j->cur_obj > 0) < hi ? j->cur_group + (j->cur_obj > 0) : hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(j->groups[mid]->prefix, prefix) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&j->groups[lo + 1], &j->groups[lo], (j->ngroups - lo) * sizeof *j->groups);
    j->groups[lo] = g;
    j->ngroups++;
    *l = (struct listing){j, g, layer, depth, layer != L_ALL};
    /* the last layer is listed whole; the others folder by folder */
    if (s3_list(j->s3, prefix, l->by_folder ? "/" : NULL, on_page, l) != 0) {
        g->complete = 1;
        free(l);
        return -1;
    }
    return 0;
}

/* Whether the days of a region are listed one by one: a bounded range of at most S3OPEN_MAX_DAYS. */
static int by_day(const struct s3open_opts *o)
{
    return o->since_ms != INT64_MIN && o->until_ms != INT64_MAX && o->until_ms > o->since_ms &&
           (o->until_ms - o->since_ms) / 86400000 <= S3OPEN_MAX_DAYS;
}

/* A region's folder: the days of the range when it is bounded and short, else everything below. */
static int list_region(struct job *j, const char *prefix)
{
    const struct s3open_opts *o = j->o;
    if (!by_day(o))
        return list(j, prefix, L_ALL, 0);
    /* a file is written up to a day after its events (parsers/pathinfo.c): the day after the range too */
    int64_t first = o->since_ms >= 0 ? o->since_ms / 86400000 * 86400000 : 0;
    for (int64_t day = first; day < o->until_ms + 86400000; day += 86400000) {
        time_t t = (time_t)(day / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        char p[2048];
        snprintf(p, sizeof p, "%s%04d/%02d/%02d/", prefix, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        if (list(j, p, L_ALL, 0) != 0)
            return -1;
    }
    return 0;
}

/* Where a common prefix (a folder) leads, from the layer of the listing that named it. */
static void descend(struct job *j, const struct listing *l, const char *folder)
{
    size_t len = strlen(folder);
    if (len < 2 || folder[len - 1] != '/')
        return;
    const char *name = folder + len - 1; /* the last folder's name, without its '/' */
    while (name > folder && name[-1] != '/')
        name--;
    size_t n = (size_t)(folder + len - 1 - name);
    switch (l->layer) {
    case L_ANY:
        if (n == 7 && strncmp(name, "AWSLogs", 7) == 0)
            list(j, folder, L_AWSLOGS, 0);
        else if (l->depth < 8)
            list(j, folder, L_ANY, l->depth + 1);
        break;
    case L_AWSLOGS:
    case L_ORG:
        if (l->layer == L_AWSLOGS && n > 2 && strncmp(name, "o-", 2) == 0)
            list(j, folder, L_ORG, 0);
        else if (n == 12 && all_digits(name, n) && pathinfo_listed(j->o->accounts, name, n))
            list(j, folder, L_ACCOUNT, 0);
        break;
    case L_ACCOUNT:
        /* with neither regions nor days to choose, the regions need no listing of their own */
        if ((n == 10 && strncmp(name, "CloudTrail", 10) == 0) ||
            (n == 18 && strncmp(name, "CloudTrail-Insight", 18) == 0))
            list(j, folder, j->o->regions || by_day(j->o) ? L_SERVICE : L_ALL, 0);
        break;
    case L_SERVICE:
        if (pathinfo_listed(j->o->regions, name, n))
            list_region(j, folder);
        break;
    case L_REGION:
    case L_ALL:
        break;
    }
}

static void on_page(struct s3 *s, void *ctx, const char *prefix, const struct s3_page *page,
                    const struct s3_result *r)
{
    struct listing *l = ctx;
    struct job *j = l->job;
    if (!page) {
        if (!j->fatal && asprintf(&j->fatal, "s3://%s/%s: listing refused: %s (HTTP %ld)", s3_bucket(s),
                                  prefix, r->code, r->status) < 0)
            j->fatal = NULL;
    } else {
        for (size_t i = 0; i < page->nobjects; i++)
            take_object(j, l->group, &page->objects[i]);
        for (size_t i = 0; i < page->nprefixes; i++)
            if (!strstr(page->prefixes[i], "CloudTrail-Digest/"))
                descend(j, l, page->prefixes[i]);
    }
    if (!page || !page->truncated) { /* the last page of this listing */
        l->group->complete = 1;
        free(l);
    }
    hand_on(j);
}

/* The layer a prefix the user gave stands in: read from its folders after AWSLogs/. */
static enum layer start_layer(const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0)
        return L_ANY;
    if (prefix[n - 1] != '/')
        return L_ALL; /* a key or part of one: everything it starts */
    const char *aws = strstr(prefix, "AWSLogs/");
    if (!aws || (aws != prefix && aws[-1] != '/'))
        return L_ANY;
    int seg = 0, org = strncmp(aws + 8, "o-", 2) == 0;
    for (const char *p = aws + 8; *p; p++)
        seg += *p == '/';
    static const enum layer by_depth[] = {L_AWSLOGS, L_ACCOUNT, L_SERVICE, L_REGION};
    if (org && seg == 1)
        return L_ORG;
    seg -= org;
    return seg < 4 ? by_depth[seg] : L_ALL;
}

struct cfile {
    char *path; /* owned */
    time_t used;
    off_t size;
};

/* Calls fn for every file below dir (not following links, 64 folders deep at most), then, when
 * rmdirs, removes each folder once it was walked. fn owns the path it is given. */
static void walk_tree(const char *dir, int depth, int rmdirs,
                      void (*fn)(void *ctx, char *path, const struct stat *st), void *ctx)
{
    DIR *d = depth < 64 ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = NULL;
        if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
            break;
        struct stat st;
        if (lstat(p, &st) != 0) {
            free(p);
        } else if (S_ISDIR(st.st_mode)) {
            walk_tree(p, depth + 1, rmdirs, fn, ctx);
            free(p);
        } else {
            fn(ctx, p, &st);
        }
    }
    closedir(d);
    if (rmdirs)
        rmdir(dir);
}

struct cfiles {
    struct cfile *v;
    size_t n, cap;
    uint64_t total;
};

static void add_cfile(void *ctx, char *path, const struct stat *st)
{
    struct cfiles *c = ctx;
    if (!S_ISREG(st->st_mode) || grow_array((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v) != 0) {
        free(path);
        return;
    }
    c->v[c->n++] = (struct cfile){path, st->st_mtime, st->st_size};
    c->total += (uint64_t)st->st_size;
}

static int by_use(const void *a, const void *b)
{
    const struct cfile *x = a, *y = b;
    return x->used < y->used ? -1 : x->used > y->used;
}

/* Files of the cache beyond the cap go, least recently used first; what this run used is kept. */
static void evict(const char *s3root, uint64_t cap, time_t run_start)
{
    struct cfiles c = {0};
    walk_tree(s3root, 0, 0, add_cfile, &c);
    struct cfile *v = c.v;
    size_t n = c.n;
    uint64_t total = c.total;
    if (n)
        qsort(v, n, sizeof *v, by_use);
    for (size_t i = 0; i < n && total > cap; i++) {
        size_t pl = strlen(v[i].path);
        if (v[i].used >= run_start || (pl > 6 && strcmp(v[i].path + pl - 6, ".index") == 0))
            continue;
        if (unlink(v[i].path) == 0)
            total -= (uint64_t)v[i].size;
    }
    for (size_t i = 0; i < n; i++)
        free(v[i].path);
    free(v);
}

static char *private_root;

static void remove_file(void *ctx, char *path, const struct stat *st)
{
    (void)ctx;
    (void)st;
    unlink(path);
    free(path);
}

static void remove_private(void)
{
    if (private_root)
        walk_tree(private_root, 0, 1, remove_file, NULL);
    free(private_root);
    private_root = NULL;
}

static int say(char **err, const char *fmt, const char *a)
{
    if (asprintf(err, fmt, a) < 0)
        *err = NULL;
    return -1;
}

/* The cache's s3 folder (owned), made if needed; with no_cache a private folder removed at exit. */
static char *cache_root(const struct s3open_opts *o, char **err)
{
    if (o->no_cache) {
        if (!private_root) {
            char tmpl[] = "/tmp/ctview-s3-XXXXXX";
            if (!mkdtemp(tmpl)) {
                say(err, "a private folder for the objects cannot be made: %s", strerror(errno));
                return NULL;
            }
            private_root = strdup(tmpl);
            atexit(remove_private);
        }
        return private_root ? strdup(private_root) : NULL;
    }
    char *root = xdg_file("XDG_CACHE_HOME", ".cache", "s3");
    if (!root) {
        say(err, "%s", "no cache folder: set XDG_CACHE_HOME or HOME, or use --no-cache");
        return NULL;
    }
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/x", root);
    if (make_parents(probe) != 0) {
        say(err, "the cache folder %s cannot be made", root);
        free(root);
        return NULL;
    }
    return root;
}

static int bucket_of(const char *url, char *bucket, const char **prefix, char **err)
{
    const char *b = url + 5, *slash = strchr(b, '/');
    size_t bl = slash ? (size_t)(slash - b) : strlen(b);
    if (bl < 3 || bl > 63)
        return say(err, "%s: not a bucket name (3 to 63 characters)", url);
    for (size_t i = 0; i < bl; i++)
        if (!((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '-' || b[i] == '.'))
            return say(err, "%s: not a bucket name (lower-case letters, digits, '-' and '.')", url);
    memcpy(bucket, b, bl);
    bucket[bl] = '\0';
    *prefix = slash ? slash + 1 : "";
    return 0;
}

static int push_path(char ***out, size_t *nout, size_t *cap, char *path)
{
    if (*nout == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        char **v = reallocarray(*out, c, sizeof *v);
        if (!v)
            return -1;
        *out = v;
        *cap = c;
    }
    (*out)[(*nout)++] = path;
    return 0;
}

static void job_free(struct job *j)
{
    for (size_t g = 0; g < j->ngroups; g++) {
        for (size_t i = 0; i < j->groups[g]->n; i++)
            free(j->groups[g]->objs[i].path);
        free(j->groups[g]->objs);
        free(j->groups[g]->prefix);
        free(j->groups[g]);
    }
    free(j->groups);
    free(j->last_dir);
    for (size_t i = 0; i < j->nindex; i++)
        free(j->index[i].key);
    for (size_t i = 0; i < j->nadded; i++)
        free(j->added[i].key);
    free(j->index);
    free(j->added);
    free(j->fatal);
    s3_free(j->s3);
    free(j->root);
}

static void totals_add(const struct s3_stats *st)
{
    totals.used = 1;
    totals.objects_listed += st->objects_listed;
    totals.objects_fetched += st->objects_fetched;
    totals.bytes_fetched += st->bytes_fetched;
    totals.requests += st->requests;
    totals.list_requests += st->list_requests;
    totals.retries += st->retries;
}

/* The index as it now is: what it held, what changed, what is new. */
static void index_update(struct job *j)
{
    struct cached *all = reallocarray(j->index, j->nindex + j->nadded + 1, sizeof *all);
    if (!all)
        return;
    if (j->nadded)
        memcpy(all + j->nindex, j->added, j->nadded * sizeof *all);
    j->index = all;
    j->nindex += j->nadded;
    j->nadded = 0;
    index_save(j);
}

int s3open_stream(const char *url, const struct s3open_opts *o, const atomic_int *stop,
                  struct s3open_live *live, s3open_file_fn sink, void *ctx, struct problems *problems,
                  char **err)
{
    *err = NULL;
    char bucket[64];
    const char *prefix;
    if (bucket_of(url, bucket, &prefix, err) != 0)
        return -1;
    struct awscreds creds;
    char *why = NULL;
    if (awscreds_find(&creds, &why) != 0) {
        say(err, "%s", why ? why : "no AWS credentials found");
        free(why);
        awscreds_clear(&creds);
        return -1;
    }
    char *root = cache_root(o, err);
    struct job j = {.o = o, .problems = problems, .sink = sink, .sink_ctx = ctx, .live = live};
    if (root && asprintf(&j.root, "%s/%s", root, bucket) < 0)
        j.root = NULL;
    j.s3 = j.root ? s3_new(bucket, &creds, o->parallel ? o->parallel : 32, err) : NULL;
    awscreds_clear(&creds);
    if (!j.s3) {
        free(root);
        job_free(&j);
        return -1;
    }
    s3_set_stop(j.s3, stop);
    index_load(&j);
    time_t run_start = time(NULL); /* what this run touches is at least as new */
    enum layer first = start_layer(prefix);
    int rc = first == L_REGION ? list_region(&j, prefix) : list(&j, prefix, first, 0);
    if (rc == 0)
        rc = s3_run(j.s3);
    totals_add(s3_stats(j.s3));
    if (j.fatal) {
        *err = j.fatal;
        j.fatal = NULL;
        rc = -1;
    }
    index_update(&j);
    if (!o->no_cache)
        evict(root, o->cache_cap ? o->cache_cap : S3OPEN_DEFAULT_CACHE, run_start);
    job_free(&j);
    free(root);
    return rc;
}

struct collect {
    char **paths;
    size_t n, cap;
    unsigned char *replaced; /* owned: one flag per path */
    size_t capreplaced;
};

static int collect_file(void *ctx, char *path, uint64_t size, const char *etag, int replaced)
{
    (void)size;
    (void)etag;
    struct collect *c = ctx;
    if (grow_array((void **)&c->replaced, &c->capreplaced, c->n + 1, 1) != 0 ||
        push_path(&c->paths, &c->n, &c->cap, path) != 0) {
        free(path);
        return -1;
    }
    c->replaced[c->n - 1] = (unsigned char)(replaced != 0);
    return 0;
}

int s3open_expand(const char *const *paths, size_t n, const struct s3open_opts *o, const atomic_int *stop,
                  char ***out, size_t *nout, unsigned char **replaced, struct problems *problems, char **err)
{
    struct collect c = {0};
    *err = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (s3open_is_s3(paths[i])) {
            rc = s3open_stream(paths[i], o, stop, NULL, collect_file, &c, problems, err);
            continue;
        }
        char *p = strdup(paths[i]);
        rc = p ? collect_file(&c, p, 0, NULL, 0) : -1;
    }
    *out = c.paths;
    *nout = c.n;
    if (replaced)
        *replaced = c.replaced;
    else
        free(c.replaced);
    return rc;
}

void s3open_paths_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}
