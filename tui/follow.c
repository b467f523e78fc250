/* Following directories (--follow, F): inotify watches on every directory under the paths; files that
 * are finished (closed after writing, or moved in) are loaded and their events merged into the list in
 * time order, without moving the selection. New directories are watched as they appear.
 *
 * A file's events belong to its current content. A new file is loaded on its own (load_more). Any other
 * change (a file already loaded closed again: grown, rewritten, truncated, copied over; a file or folder
 * deleted or moved away; the kernel's queue overflowing, as it does when a prompt pauses the polling while
 * thousands of files arrive) makes the tree be read again into a new store, which then replaces the
 * old one: its events, problems and counts are then those of the tree as it is now, what --stats says.
 * Marks and the selection carry over to the same events (same time, ids, name, caller) in the new one.
 *
 * s3:// paths have no events to watch: every --poll seconds (60 by default) a thread lists again their
 * newest days (yesterday, today and tomorrow in UTC, within --since/--until: CloudTrail writes into the
 * folder of the day it writes), and the objects not loaded yet are fetched and loaded like new files.
 * An object loaded before and rewritten since under the same key (a new ETag) is a changed file: the
 * tree is read again. An object that keeps failing stays one row of the problems, not one per poll. */
#include "tui/follow.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/present/textsafe.h"
#include "parsers/load.h"
#include "parsers/s3open.h"
#include "tui/app.h"
#include "tui/casefile.h"
#include "tui/marks.h"

struct watch {
    int wd;
    char *dir; /* owned */
};

/* The listing of the followed s3:// paths, on a thread of its own. */
struct s3poll {
    const char **urls; /* owned array, strings borrowed from the app's paths */
    size_t nurls;
    double next; /* seconds (monotonic): when the next listing starts */
    pthread_t thread;
    int running;     /* the thread was started and not joined */
    atomic_int done; /* the thread finished: got, problems and err are its results */
    atomic_int stop; /* asks the thread to stop early (following stops) */
    struct s3open_opts scope;
    char **got;              /* owned: the local files of the objects listed */
    unsigned char *replaced; /* owned: got[i]'s key was rewritten (a new ETag) since it was last fetched */
    size_t ngot;
    struct problems problems;
    char *err; /* owned, or NULL */
};

struct follow {
    struct s3poll s3;
    int fd;                /* inotify */
    struct watch *watches; /* owned */
    size_t nwatches;
    struct store *retired; /* owned: the store a rescan replaced, freed at the next poll, once the panes
                              dropped what they held of it */
    const char **known;    /* owned array (strings borrowed from the store): the paths the store read or
                              has a problem about, sorted; NULL until a poll needs it */
    size_t nknown;
    int rescan_due;      /* the tree changed: read it again once rescan_after has passed */
    double rescan_after; /* seconds (monotonic): a rescan costs in proportion to the tree, so the
                            next waits four times what the last took, to keep the keys served */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add_watch(struct app *a, const char *dir);

/* dir/name into path, as the walk (parsers/walk.c) names the files it reads, so the paths the store
 * holds and the paths inotify reports compare equal. Returns -1 when it does not fit. */
static int join(char *path, size_t cap, const char *dir, const char *name)
{
    size_t dlen = strlen(dir);
    int n = snprintf(path, cap, "%s%s%s", dir, dlen && dir[dlen - 1] == '/' ? "" : "/", name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Watches dir and the directories below it; files already there were loaded by the first walk, or
 * (for a directory that appeared while following) are loaded now. */
static int watch_tree(struct app *a, const char *dir, int load_existing, int depth)
{
    if (depth > 64 || add_watch(a, dir) != 0)
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char path[PATH_MAX];
        if (join(path, sizeof path, dir, de->d_name) != 0)
            continue;
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            watch_tree(a, path, load_existing, depth + 1);
        else if (S_ISREG(st.st_mode) && load_existing)
            load_more(a->store, path);
    }
    closedir(d);
    return 0;
}

static int add_watch(struct app *a, const char *dir)
{
    int wd = inotify_add_watch(a->follow->fd, dir,
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM);
    if (wd < 0)
        return -1;
    for (size_t i = 0; i < a->follow->nwatches; i++)
        if (a->follow->watches[i].wd == wd)
            return 0;
    struct watch *w = realloc(a->follow->watches, (a->follow->nwatches + 1) * sizeof *w);
    if (!w)
        return -1;
    a->follow->watches = w;
    w[a->follow->nwatches].wd = wd;
    w[a->follow->nwatches].dir = strdup(dir);
    if (!w[a->follow->nwatches].dir)
        return -1;
    a->follow->nwatches++;
    return 0;
}

/* Files being written under a temporary name (by sync tools and downloaders) are loaded when renamed. */
static int is_temporary(const char *name)
{
    static const char *const suffixes[] = {".tmp", ".part", ".partial", ".crdownload", "~"};
    if (name[0] == '.')
        return 1;
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && strcmp(name + n - k, suffixes[i]) == 0)
            return 1;
    }
    return 0;
}

static const char *watch_dir(const struct app *a, int wd)
{
    for (size_t i = 0; i < a->follow->nwatches; i++)
        if (a->follow->watches[i].wd == wd)
            return a->follow->watches[i].dir;
    return NULL;
}

static int s3poll_init(struct app *a, const char *const *paths, size_t npaths);

int follow_start(struct app *a, const char *const *paths, size_t npaths)
{
    if (!(a->follow = calloc(1, sizeof *a->follow))) {
        app_message(a, "cannot follow: out of memory");
        return -1;
    }
    a->follow->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (a->follow->fd < 0) {
        app_message(a, "cannot follow: %s", strerror(errno));
        follow_stop(a);
        return -1;
    }
    size_t dirs = 0;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            watch_tree(a, paths[i], 0, 0);
            dirs++;
        }
    }
    if (s3poll_init(a, paths, npaths) != 0) {
        follow_stop(a);
        app_message(a, "cannot follow: out of memory");
        return -1;
    }
    if (!dirs && !a->follow->s3.nurls) {
        follow_stop(a);
        app_message(a, "nothing to follow: give a directory or an s3:// path");
        return -1;
    }
    return 0;
}

void follow_stop(struct app *a)
{
    if (!a->follow)
        return;
    struct s3poll *p = &a->follow->s3;
    if (p->running) { /* what is in flight finishes; nothing more is asked */
        atomic_store(&p->stop, 1);
        pthread_join(p->thread, NULL);
        s3open_paths_free(p->got, p->ngot);
        free(p->replaced);
        problems_clear(&p->problems);
        free(p->err);
    }
    free(p->urls);
    if (a->follow->fd >= 0)
        close(a->follow->fd);
    store_free(a->follow->retired);
    free(a->follow->known);
    for (size_t i = 0; i < a->follow->nwatches; i++)
        free(a->follow->watches[i].dir);
    free(a->follow->watches);
    free(a->follow);
    a->follow = NULL;
}

int follow_on(const struct app *a)
{
    return a->follow != NULL;
}

static int by_path(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Whether the store holds anything of path: events (a source) or a problem row (a file skipped or
 * damaged). Such a path changing changes what was loaded: the tree is read again. */
static int is_known(struct app *a, const char *path)
{
    struct follow *f = a->follow;
    const struct store *s = a->store;
    if (!f->known) {
        size_t n = s->nsources + s->problems.count;
        if (!(f->known = malloc((n ? n : 1) * sizeof *f->known)))
            return 1; /* out of memory: a rescan is the safe answer */
        f->nknown = 0;
        for (size_t i = 0; i < s->nsources; i++)
            f->known[f->nknown++] = s->sources[i].path;
        for (size_t i = 0; i < s->problems.count; i++)
            if (s->problems.rows[i].file)
                f->known[f->nknown++] = s->problems.rows[i].file;
        qsort(f->known, f->nknown, sizeof *f->known, by_path);
    }
    return bsearch(&path, f->known, f->nknown, sizeof *f->known, by_path) != NULL;
}

static void forget_known(struct follow *f)
{
    free(f->known);
    f->known = NULL;
    f->nknown = 0;
}

/* An event's identity across two reads of the same file: its time and the fields that tell it from its
 * neighbours (FNV-1a, 64 bits). Not its place in the file, which a rewrite may change. */
static uint64_t identity(const struct store *s, const struct event *e)
{
    static const enum event_field fields[] = {EF_EVENT_ID,   EF_ACCOUNT, EF_NAME, EF_SOURCE,
                                              EF_REQUEST_ID, EF_UI_ARN,  EF_IP,   EF_REGION};
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < sizeof e->time_ms; k++)
        h = (h ^ (uint8_t)(e->time_ms >> (8 * k))) * 1099511628211ull;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        for (const char *p = store_str(s, e, fields[i]); *p; p++)
            h = (h ^ (uint8_t)*p) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull; /* a separator no UTF-8 text holds */
    }
    return h ? h : 1;
}

/* An open-addressing set of identities (0: empty slot). */
struct idset {
    uint64_t *slot; /* owned */
    size_t mask;
};

static int idset_init(struct idset *set, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    set->mask = cap - 1;
    return (set->slot = calloc(cap, sizeof *set->slot)) ? 0 : -1;
}

static uint64_t *idset_find(const struct idset *set, uint64_t id)
{
    size_t j = (size_t)(id ^ id >> 29) & set->mask;
    while (set->slot[j] && set->slot[j] != id)
        j = (j + 1) & set->mask;
    return &set->slot[j];
}

/* Marks in fresh the events whose identity was marked in old; returns the event of fresh that is old's
 * event sel (SIZE_MAX when gone or none). */
static size_t carry_over(const struct store *old, struct store *fresh, size_t sel, size_t nmarked)
{
    uint64_t sel_id = sel < old->nevents ? identity(old, &old->events[sel]) : 0;
    struct idset set = {0};
    if (nmarked && idset_init(&set, nmarked) == 0) {
        for (size_t ev = 0; ev < old->nevents; ev++)
            if (old->events[ev].flags & EVF_MARKED)
                *idset_find(&set, identity(old, &old->events[ev])) = identity(old, &old->events[ev]);
    }
    size_t found = SIZE_MAX;
    for (size_t ev = 0; ev < fresh->nevents && (set.slot || (sel_id && found == SIZE_MAX)); ev++) {
        uint64_t id = identity(fresh, &fresh->events[ev]);
        if (set.slot && *idset_find(&set, id) == id)
            fresh->events[ev].flags |= EVF_MARKED;
        if (id == sel_id && found == SIZE_MAX)
            found = ev;
    }
    free(set.slot);
    return found;
}

/* Reads the whole tree again into a new store and puts it in place of the old one (see the top of the
 * file). Returns 0, or -1 when out of memory (the old store then stays, and the status line says so). */
static int rescan(struct app *a)
{
    /* folders that appeared while events were lost (a queue overflow) are watched from now on */
    for (size_t i = 0; i < a->npaths; i++) {
        struct stat st;
        if (strcmp(a->paths[i], "-") != 0 && stat(a->paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            watch_tree(a, a->paths[i], 0, 0);
    }
    struct store *fresh = store_new();
    struct s3open_opts scope = a->scope ? *a->scope : (struct s3open_opts){0};
    scope.since_ms = a->since_ms;
    scope.until_ms = a->until_ms;
    char *why = NULL;
    if (!fresh || casefile_attach(fresh) != 0 ||
        load_paths_scope(fresh, a->paths, a->npaths, &scope, NULL, NULL, &why) != 0) {
        store_free(fresh);
        app_message(a, "%s",
                    why ? "an s3:// path could not be read again: the old events stay"
                        : "out of memory while reading the followed files again");
        free(why);
        return -1;
    }
    struct store *old = a->store;
    size_t sel = carry_over(old, fresh, app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX, a->nmarked);
    /* the sort holds a path index of the old store: sort the new list again by the same field */
    char sort_name[sizeof a->sort.name];
    int sort_desc = a->sort.desc;
    snprintf(sort_name, sizeof sort_name, "%s", a->sort.name);
    listsort_free(a);
    a->store = fresh;
    store_free(a->follow->retired);
    a->follow->retired = old; /* the panes still hold indexes and strings of it until they hear */
    forget_known(a->follow);
    marks_from_case(a, 0);
    marks_recount(a);
    a->store_gen++;
    filterbar_refresh(a, sel);
    char err[160];
    if (sort_name[0])
        listsort_set(a, sort_name, sort_desc, err, sizeof err);
    return 0;
}

/* What the events read say to do. */
struct poll_result {
    int changed, rescan;
};

/* Reads what inotify queued; loads new files, and says when the tree must be read again. */
static void read_events(struct app *a, struct poll_result *r)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(a->follow->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) { /* events were lost: only the tree itself can tell */
                r->rescan = 1;
                continue;
            }
            const char *dir = watch_dir(a, ev->wd);
            if (!dir || !ev->len || r->rescan)
                continue;
            char path[PATH_MAX];
            if (join(path, sizeof path, dir, ev->name) != 0)
                continue;
            if (ev->mask & IN_ISDIR) {
                /* a folder gone takes its files' events along; one moved in may hold files loaded
                 * under its old name: both are read again (rescan watches what is new) */
                if (ev->mask & (IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO))
                    r->rescan = 1;
                else if (ev->mask & IN_CREATE) {
                    watch_tree(a, path, 1, 0);
                    forget_known(a->follow);
                    r->changed = 1;
                }
                continue;
            }
            if (!(ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)))
                continue;
            if (is_known(a, path)) {
                r->rescan = 1; /* the events read from it are no longer its content */
            } else if ((ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && !is_temporary(ev->name)) {
                load_more(a->store, path);
                forget_known(a->follow);
                r->changed = 1;
            }
        }
    }
}

#define DAY_MS 86400000LL

static void *s3poll_run(void *arg)
{
    struct s3poll *p = arg;
    s3open_expand(p->urls, p->nurls, &p->scope, &p->stop, &p->got, &p->ngot, &p->replaced, &p->problems,
                  &p->err);
    atomic_store(&p->done, 1);
    return NULL;
}

/* Starts a listing of the newest days, when they are in the range the load was given. */
static void s3poll_start(struct app *a)
{
    struct s3poll *p = &a->follow->s3;
    int64_t today = (int64_t)time(NULL) / 86400 * DAY_MS;
    p->scope = a->scope ? *a->scope : (struct s3open_opts){0};
    p->scope.since_ms = a->since_ms > today - DAY_MS ? a->since_ms : today - DAY_MS;
    p->scope.until_ms = a->until_ms < today + 2 * DAY_MS ? a->until_ms : today + 2 * DAY_MS;
    p->next = now() + (a->poll_s > 0 ? a->poll_s : 60);
    if (p->scope.since_ms >= p->scope.until_ms)
        return; /* the range ended before yesterday: nothing new can fall in it */
    problems_init(&p->problems);
    atomic_store(&p->done, 0);
    p->running = pthread_create(&p->thread, NULL, s3poll_run, p) == 0;
}

/* Drops the rows of fresh that the store already has (same kind, file and reason): an object that
 * keeps failing the same way is one row, not one more at every poll; when its failure changes, the
 * new reason is a row of its own. */
static void drop_repeated(const struct problems *have, struct problems *fresh)
{
    size_t kept = 0;
    for (size_t i = 0; i < fresh->count; i++) {
        struct problem *row = &fresh->rows[i];
        int seen = 0;
        for (size_t k = 0; k < have->count && !seen; k++) {
            const struct problem *h = &have->rows[k];
            seen = h->kind == row->kind && strcmp(h->reason, row->reason) == 0 &&
                   (h->file && row->file ? strcmp(h->file, row->file) == 0 : h->file == row->file);
        }
        if (seen) {
            free(row->file);
            free(row->reason);
        } else {
            fresh->rows[kept++] = *row;
        }
    }
    fresh->count = kept;
}

/* Joins the listing and loads the objects the store does not hold yet. An object rewritten under the
 * same key (a new ETag) whose old content was loaded is a file changed under a followed folder: the
 * tree is read again (rescan), as for a local file rewritten. */
static void s3poll_finish(struct app *a, struct poll_result *r)
{
    struct s3poll *p = &a->follow->s3;
    pthread_join(p->thread, NULL);
    p->running = 0;
    for (size_t i = 0; i < p->ngot && !atomic_load(&p->stop); i++) {
        if (!is_known(a, p->got[i])) {
            load_more(a->store, p->got[i]); /* a new path: the known list stays right for the others */
            r->changed = 1;
        } else if (p->replaced && p->replaced[i]) {
            r->rescan = 1;
        }
    }
    if (r->changed)
        forget_known(a->follow);
    drop_repeated(&a->store->problems, &p->problems);
    if (p->problems.count && problems_take(&a->store->problems, &p->problems) == 0)
        r->changed = 1;
    if (p->err) { /* the network, the credentials: said, and tried again at the next poll */
        char shown[200];
        textsafe_escape(p->err, strlen(p->err), shown, sizeof shown);
        app_message(a, "following s3://: %s", shown);
    }
    s3open_paths_free(p->got, p->ngot);
    free(p->replaced);
    p->got = NULL;
    p->replaced = NULL;
    p->ngot = 0;
    problems_clear(&p->problems);
    free(p->err);
    p->err = NULL;
}

/* Whether the followed s3:// paths' listing is due or done: starts it, or takes what it found. */
static void s3poll_step(struct app *a, struct poll_result *r)
{
    struct s3poll *p = &a->follow->s3;
    if (!p->nurls)
        return;
    if (p->running && atomic_load(&p->done))
        s3poll_finish(a, r);
    else if (!p->running && now() >= p->next)
        s3poll_start(a);
}

static int s3poll_init(struct app *a, const char *const *paths, size_t npaths)
{
    struct s3poll *p = &a->follow->s3;
    for (size_t i = 0; i < npaths; i++) {
        if (!s3open_is_s3(paths[i]))
            continue;
        const char **v = realloc(p->urls, (p->nurls + 1) * sizeof *v);
        if (!v)
            return -1;
        p->urls = v;
        p->urls[p->nurls++] = paths[i];
    }
    atomic_init(&p->stop, 0);
    atomic_init(&p->done, 0);
    p->next = now() + (a->poll_s > 0 ? a->poll_s : 60);
    return 0;
}

int follow_poll(struct app *a)
{
    if (!a->follow)
        return 0;
    store_free(a->follow->retired); /* the panes heard of the rescan before this poll (tui/app.c) */
    a->follow->retired = NULL;
    size_t from = a->store->nevents;
    /* before any event is added: an unfiltered list counts the store's events */
    size_t shown_before = app_count(a);
    int at_end = shown_before && a->list.cur + 1 == shown_before;
    struct poll_result r = {0, 0};
    read_events(a, &r);
    s3poll_step(a, &r);
    a->follow->rescan_due |= r.rescan;
    if (a->follow->rescan_due && now() >= a->follow->rescan_after) {
        /* the new files loaded above are read again with the rest: the new store has them */
        double t = now();
        a->follow->rescan_due = 0;
        int rc = rescan(a);
        a->follow->rescan_after = now() + 4 * (now() - t);
        if (rc != 0)
            return 1;
        if (at_end && app_count(a))
            a->list.cur = app_count(a) - 1;
        else if (a->store->nevents > from)
            a->follow_new += a->store->nevents - from;
        app_message(a, "following: files changed, read again: %zu events", a->store->nevents);
        return 1;
    }
    if (!r.changed)
        return 0;
    size_t added = a->store->nevents - from;
    /* like less +F: on the last event, the selection follows new events to the bottom; elsewhere it
     * stays on its event and the status line counts what arrived */
    if (added)
        app_absorb(a, from);
    if (at_end && app_count(a)) {
        a->list.cur = app_count(a) - 1;
        a->follow_new = 0;
    } else {
        a->follow_new += added;
    }
    app_message(a, "following: %zu new event%s", added, added == 1 ? "" : "s");
    return 1;
}
