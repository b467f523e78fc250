/* safefile: see safefile.h. */
#include "model/base/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/base/errmsg.h"

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m)    ? "a folder"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

int safefile_read(const char *path, size_t max, int flags, char **text, size_t *len, char **err)
{
    *text = NULL;
    *len = 0;
    *err = NULL;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer before fstat could refuse it */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
                            ((flags & SAFEFILE_NOFOLLOW) ? O_NOFOLLOW : 0));
    if (fd < 0) {
        int e = errno;
        struct stat lst;
        if (e == ENOENT)
            return 1;
        if ((flags & SAFEFILE_NOFOLLOW) && e == ELOOP && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
            errmsg_set(err, "%s: a symbolic link (not followed)", path);
            return -1;
        }
        errmsg_set(err, "%s: %s", path, strerror(e));
        return -1;
    }
    struct stat st;
    int rc = -1;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        errmsg_set(err, "%s: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        errmsg_set(err, "%s: %s, not read", path, kind_of(st.st_mode));
    } else if ((unsigned long long)st.st_size > max) {
        errmsg_set(err, "%s: larger than %zu KiB", path, max >> 10);
    } else if (!(buf = malloc(max + 1))) {
        errmsg_set(err, "out of memory");
    } else {
        size_t n = 0;
        ssize_t r = 1;
        /* the size can grow after fstat: read to the end, at most max + 1 bytes */
        while (n <= max && ((r = read(fd, buf + n, max + 1 - n)) > 0 || (r < 0 && errno == EINTR)))
            n += r > 0 ? (size_t)r : 0;
        if (r < 0) {
            errmsg_set(err, "%s: %s", path, strerror(errno));
        } else if (n > max) {
            errmsg_set(err, "%s: larger than %zu KiB", path, max >> 10);
        } else {
            buf[n] = '\0';
            *text = buf;
            *len = n;
            buf = NULL;
            rc = 0;
        }
    }
    free(buf);
    close(fd);
    return rc;
}
