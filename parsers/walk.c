#include "parsers/walk.h"

#include "model/base/grow.h"
#include "parsers/pathinfo.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct visited {
    struct {
        dev_t dev;
        ino_t ino;
    } * dirs;
    size_t count, cap;
};

static int add_file(struct walk_list *l, const char *path, const struct stat *st, int is_stdin)
{
    if (grow_array_from((void **)&l->files, &l->cap, l->count + 1, sizeof *l->files, 256) != 0)
        return -1;
    char *p = strdup(path);
    if (!p)
        return -1;
    l->files[l->count++] = st ? (struct walk_file){.path = p,
                                                   .size = (int64_t)st->st_size,
                                                   .walked = 1,
                                                   .mtime = (int64_t)st->st_mtime}
                              : (struct walk_file){.path = p, .is_stdin = is_stdin};
    /* p now belongs to the list; cppcheck does not follow a compound literal into an array */
    // cppcheck-suppress memleak
    return 0;
}

/* Returns 1 if the directory was already entered (and records it otherwise), -1 when out of memory. */
static int seen_dir(struct visited *v, const struct stat *st)
{
    for (size_t i = 0; i < v->count; i++)
        if (v->dirs[i].dev == st->st_dev && v->dirs[i].ino == st->st_ino)
            return 1;
    if (grow_array((void **)&v->dirs, &v->cap, v->count + 1, sizeof *v->dirs) != 0)
        return -1;
    v->dirs[v->count].dev = st->st_dev;
    v->dirs[v->count].ino = st->st_ino;
    v->count++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_one(const char *path, struct walk_list *l, struct problems *pr, struct visited *v, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        struct stat lst;
        const char *why = (e == ELOOP || (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)))
                              ? (e == ELOOP ? "symbolic link loop" : "dangling symbolic link")
                              : strerror(e);
        l->skipped++;
        return problems_add(pr, PROBLEM_FILE, path, -1, -1, "not read: %s", why);
    }
    int64_t lo, hi;
    if (depth > 0 && l->ranged && pathinfo_time_span(path, S_ISDIR(st.st_mode), &lo, &hi) &&
        (hi < l->since_ms || lo >= l->until_ms)) {
        l->pruned++;
        return 0;
    }
    if (depth > 0 && pathinfo_scope_outside(path, l->accounts, l->regions)) {
        l->pruned++;
        return 0;
    }
    if (S_ISREG(st.st_mode))
        return add_file(l, path, &st, 0);
    if (!S_ISDIR(st.st_mode)) {
        l->skipped++;
        const char *kind = S_ISFIFO(st.st_mode)   ? "a FIFO"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                           : S_ISCHR(st.st_mode)  ? "a character device"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                                                  : "not a regular file";
        /* named by the user: a problem (the command line says it and exits non-zero); met inside a
         * folder: a note */
        if (depth == 0)
            return problems_add(pr, PROBLEM_FILE, path, -1, -1,
                                "not read: %s (only regular files and folders are read)", kind);
        return problems_add(pr, PROBLEM_NOTE, path, -1, -1, "skipped: %s", kind);
    }
    int seen = seen_dir(v, &st);
    if (seen < 0)
        return -1;
    if (seen) {
        l->skipped++;
        return problems_add(pr, PROBLEM_NOTE, path, -1, -1,
                            "skipped: directory already read (symbolic link loop)");
    }
    if (depth > 64) {
        l->skipped++;
        return problems_add(pr, PROBLEM_FILE, path, -1, -1, "not read: directories nested deeper than 64");
    }
    DIR *d = opendir(path);
    if (!d) {
        l->skipped++;
        return problems_add(pr, PROBLEM_FILE, path, -1, -1, "cannot open directory: %s", strerror(errno));
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (grow_array((void **)&names, &cap, n + 1, sizeof *names) != 0) {
            rc = -1;
            break;
        }
        size_t plen = strlen(path);
        char *full = malloc(plen + strlen(de->d_name) + 2);
        if (!full) {
            rc = -1;
            break;
        }
        sprintf(full, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", de->d_name);
        names[n++] = full;
    }
    closedir(d);
    if (rc == 0 && n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            rc = walk_one(names[i], l, pr, v, depth + 1);
        free(names[i]);
    }
    free(names);
    return rc;
}

int walk_paths(const char *const *paths, size_t n, struct walk_list *list, struct problems *problems)
{
    struct visited v = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (strcmp(paths[i], "-") == 0)
            rc = add_file(list, "-", NULL, 1);
        else
            rc = walk_one(paths[i], list, problems, &v, 0);
    }
    free(v.dirs);
    return rc;
}

void walk_list_free(struct walk_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->files[i].path);
        free(list->files[i].etag);
    }
    free(list->files);
    memset(list, 0, sizeof *list);
}
