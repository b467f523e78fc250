/* Following directories (--follow, F): inotify watches on every directory under the paths; files that
 * are finished (closed after writing, or moved in) are loaded and their events merged into the list in
 * time order, without moving the selection. New directories are watched as they appear. */
#include "tui/follow.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parsers/load.h"
#include "tui/app.h"

struct watch {
    int wd;
    char *dir; /* owned */
};

struct follow {
    int fd;                /* inotify */
    struct watch *watches; /* owned */
    size_t nwatches;
};

static int add_watch(struct app *a, const char *dir);

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
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
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
    int wd = inotify_add_watch(a->follow->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
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
    if (!dirs) {
        follow_stop(a);
        app_message(a, "nothing to follow: give a directory");
        return -1;
    }
    return 0;
}

void follow_stop(struct app *a)
{
    if (!a->follow)
        return;
    if (a->follow->fd >= 0)
        close(a->follow->fd);
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

int follow_poll(struct app *a)
{
    if (!a->follow)
        return 0;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    size_t from = a->store->nevents;
    /* before any event is added: an unfiltered list counts the store's events */
    size_t shown_before = app_count(a);
    int at_end = shown_before && a->list.cur + 1 == shown_before;
    int changed = 0;
    for (;;) {
        ssize_t n = read(a->follow->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            const char *dir = watch_dir(a, ev->wd);
            if (!dir || !ev->len)
                continue;
            char path[PATH_MAX];
            if (snprintf(path, sizeof path, "%s/%s", dir, ev->name) >= (int)sizeof path)
                continue;
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
                watch_tree(a, path, 1, 0);
                changed = 1;
            } else if ((ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && !is_temporary(ev->name)) {
                load_more(a->store, path);
                changed = 1;
            }
        }
    }
    if (!changed)
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
