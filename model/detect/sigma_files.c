/* sigma_files: rule files and directories into a rule set (sigma_set_add_path, or a file at a time with
 * sigma_loader_step). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/base/grow.h"

#include "model/detect/sigma_impl.h"

#define RULE_FILE_MAX  (4u << 20) /* a rule is a few kilobytes; anything this big is not one */
#define RULE_DIR_DEPTH 32

static int refuse_file(struct sigma_set *set, const char *path, const char *why)
{
    return sigma_set_refuse(set, path, 0, why);
}

static int add_file(struct sigma_set *set, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        char why[200];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        return refuse_file(set, path, why);
    }
    char *buf = malloc(RULE_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        return -1;
    }
    size_t n = fread(buf, 1, RULE_FILE_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    int rc;
    if (bad)
        rc = refuse_file(set, path, "cannot read");
    else if (n > RULE_FILE_MAX)
        rc = refuse_file(set, path, "larger than 4 MiB: not a rule");
    else
        rc = sigma_set_add_text(set, path, buf, n);
    free(buf);
    return rc;
}

static int is_rule_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && strcmp(name + n - 4, ".yml") == 0) || (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rule files still to read, in order; a folder is listed when the loader reaches it. */
struct sigma_loader {
    struct sigma_set *set; /* borrowed */
    char **files;          /* owned paths */
    size_t n, cap, next;
};

static int queue_file(struct sigma_loader *l, const char *path)
{
    if (grow_array((void **)&l->files, &l->cap, l->n + 1, sizeof *l->files) != 0)
        return -1;
    if (!(l->files[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

static int add_dir(struct sigma_loader *l, const char *path, int depth)
{
    struct sigma_set *set = l->set;
    if (depth > RULE_DIR_DEPTH)
        return refuse_file(set, path, "directories nested too deeply");
    DIR *d = opendir(path);
    if (!d) {
        char why[200];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        return refuse_file(set, path, why);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        if (grow_array_from((void **)&names, &cap, n + 1, sizeof *names, 32) != 0) {
            rc = -1;
            break;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *child;
        if (asprintf(&child, "%s/%s", path, names[i]) < 0) {
            rc = -1;
            break;
        }
        struct stat st;
        /* symbolic links to directories are not followed: no loops */
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            rc = add_dir(l, child, depth + 1);
        else if (stat(child, &st) == 0 && S_ISREG(st.st_mode) && is_rule_name(names[i]))
            rc = queue_file(l, child);
        free(child);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Lists path: a folder's rule files, or the file itself, queued; a path that cannot be read is refused. */
static int list_path(struct sigma_loader *l, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        char why[200];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        return refuse_file(l->set, path, why);
    }
    if (S_ISDIR(st.st_mode))
        return add_dir(l, path, 0);
    if (!S_ISREG(st.st_mode))
        return refuse_file(l->set, path, "not a regular file");
    return queue_file(l, path);
}

struct sigma_loader *sigma_loader_new(struct sigma_set *set, const char *const *paths, size_t n)
{
    struct sigma_loader *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->set = set;
    for (size_t i = 0; i < n; i++)
        if (list_path(l, paths[i]) != 0) {
            sigma_loader_free(l);
            return NULL;
        }
    return l;
}

int sigma_loader_step(struct sigma_loader *l)
{
    if (l->next >= l->n)
        return 1;
    if (add_file(l->set, l->files[l->next]) != 0)
        return -1;
    l->next++;
    return l->next >= l->n;
}

void sigma_loader_free(struct sigma_loader *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->files[i]);
    free(l->files);
    free(l);
}

int sigma_set_add_path(struct sigma_set *set, const char *path)
{
    struct sigma_loader *l = sigma_loader_new(set, &path, 1);
    int rc = 0;
    while (l && rc == 0)
        rc = sigma_loader_step(l);
    sigma_loader_free(l);
    return l && rc > 0 ? 0 : -1;
}
