/* atomicfile: files replaced whole or not at all. See atomicfile.h. */
#include "model/base/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/base/errmsg.h"

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int atomicfile_open(struct atomicfile *a, const char *path)
{
    *a = (struct atomicfile){.fd = -1, .path = path};
    a->dir = dir_of(path);
    /* a fixed short name: the destination's own may be too long to take a suffix */
    if (!a->dir || asprintf(&a->tmp, "%s/.ctview-XXXXXX", a->dir) < 0) {
        a->tmp = NULL;
        errno = ENOMEM;
        return -1;
    }
    a->fd = mkstemp(a->tmp);
    if (a->fd < 0) {
        int e = errno;
        free(a->tmp);
        a->tmp = NULL;
        errno = e;
        return -1;
    }
    return 0;
}

int atomicfile_sync(struct atomicfile *a)
{
    int fd = a->fd;
    a->fd = -1;
    int ok = fchmod(fd, 0600) == 0 && (a->cache || fsync(fd) == 0);
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    errno = e;
    return ok ? 0 : -1;
}

int atomicfile_place(struct atomicfile *a, int replace)
{
    if (!replace) {
        /* no replacing a file that appeared meanwhile: link fails if the name is taken */
        if (link(a->tmp, a->path) != 0) {
            if (errno == EEXIST)
                return 1;
            if (rename(a->tmp, a->path) != 0) /* a file system without links */
                return -1;
        } else {
            unlink(a->tmp);
        }
    } else if (rename(a->tmp, a->path) != 0) {
        return -1;
    }
    free(a->tmp);
    a->tmp = NULL;
    int dfd = a->cache ? -1 : open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd); /* the rename itself survives a crash */
        close(dfd);
    }
    return 0;
}

void atomicfile_done(struct atomicfile *a)
{
    int e = errno;
    if (a->fd >= 0)
        close(a->fd);
    if (a->tmp)
        unlink(a->tmp);
    free(a->tmp);
    free(a->dir);
    *a = (struct atomicfile){.fd = -1};
    errno = e;
}

int atomicfile_write(const char *path, const char *data, size_t len, char **err)
{
    struct atomicfile a;
    int rc = atomicfile_open(&a, path);
    for (size_t done = 0; rc == 0 && done < len;) {
        ssize_t w = write(a.fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            rc = -1;
        } else {
            done += (size_t)w;
        }
    }
    if (rc == 0)
        rc = atomicfile_sync(&a);
    if (rc == 0)
        rc = atomicfile_place(&a, 1);
    if (rc != 0)
        errmsg_set(err, "cannot write %s: %s", path, strerror(errno));
    atomicfile_done(&a);
    return rc;
}
