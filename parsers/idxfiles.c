/* idxfiles: the saved index's files on disk. See idxfiles.h. */
#include "parsers/idxfiles.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/base/atomicfile.h"
#include "model/base/errmsg.h"
#include "model/base/grow.h"
#include "model/base/xdg.h"

static int put_fd(void *ctx, const void *p, size_t n)
{
    int fd = *(int *)ctx;
    const char *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

struct entry {
    char *path;
    int64_t size;
    struct timespec used;
};

static int older(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->used.tv_sec != y->used.tv_sec)
        return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
    return (x->used.tv_nsec > y->used.tv_nsec) - (x->used.tv_nsec < y->used.tv_nsec);
}

void idxfiles_evict(const char *keep, uint64_t cap_bytes)
{
    char *dir = strdup(keep);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    DIR *d = slash ? (*slash = '\0', opendir(dir)) : NULL;
    struct entry *e = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    for (struct dirent *de; d && (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        struct stat st;
        char *p = NULL;
        if (len < 5 || strcmp(de->d_name + len - 4, ".idx") != 0 ||
            asprintf(&p, "%s/%s", dir, de->d_name) < 0)
            continue;
        if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode) ||
            grow_array((void **)&e, &cap, n + 1, sizeof *e) != 0) {
            free(p);
            continue;
        }
        e[n++] = (struct entry){p, (int64_t)st.st_size, st.st_mtim};
        total += (uint64_t)st.st_size;
    }
    if (d)
        closedir(d);
    if (n)
        qsort(e, n, sizeof *e, older);
    for (size_t i = 0; i < n; i++) {
        if (total > cap_bytes && strcmp(e[i].path, keep) != 0 && unlink(e[i].path) == 0)
            total -= (uint64_t)e[i].size;
        free(e[i].path);
    }
    free(e);
    free(dir);
}

int idxfiles_write(const char *file, const char *key, const struct store *s, const struct storefile *sf,
                   char **err)
{
    if (xdg_make_parents(file, err) != 0)
        return -1;
    struct atomicfile a;
    unsigned char head[STOREFILE_HEAD] = {0};
    int rc = atomicfile_open(&a, file);
    if (rc == 0)
        rc = put_fd(&a.fd, head, sizeof head);
    if (rc == 0)
        rc = storefile_write(s, sf, key, put_fd, &a.fd, head);
    if (rc == 0 && pwrite(a.fd, head, sizeof head, 0) != (ssize_t)sizeof head)
        rc = -1;
    a.cache = 1; /* checksummed whole: a torn file is refused, so no one waits for the disk */
    if (rc == 0)
        rc = atomicfile_sync(&a);
    if (rc == 0)
        rc = atomicfile_place(&a, 1);
    if (rc != 0)
        errmsg_set(err, "%s", strerror(errno));
    atomicfile_done(&a);
    return rc;
}
