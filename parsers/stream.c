#include "parsers/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parsers/source.h"
#include "model/base/errmsg.h"
#include "parsers/gunzip.h"

/* Compressed bytes read at a time. */
#define IN_STEP ((size_t)1 << 20)

struct stream {
    int fd;
    int gzip;
    int64_t size, mtime;
    uint64_t decoded; /* bytes handed out so far */
    int ended;        /* no more bytes: the end, the damage or the limit */
    struct gunzip g;  /* gzip */
    int g_live;
    unsigned char *in; /* gzip: the compressed bytes read last */
    char *warning;     /* owned: the size limit reached (a gzip's damage is said in g) */
    int64_t warning_offset;
};

/* The gunzip's input: the file, IN_STEP bytes at a time. */
static int file_next(void *ctx, const unsigned char **data, size_t *len, char **err)
{
    struct stream *st = ctx;
    for (;;) {
        ssize_t r = read(st->fd, st->in, IN_STEP);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errmsg_set(err, "read failed: %s", strerror(errno));
        *data = st->in;
        *len = (size_t)r;
        return 0;
    }
}

int stream_open(const char *path, struct stream **out, char **err)
{
    *out = NULL;
    struct stat st;
    int fd = source_open(path, &st, err);
    if (fd < 0)
        return -1;
    struct stream *s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        return errmsg_set(err, "out of memory");
    }
    s->fd = fd;
    s->size = (int64_t)st.st_size;
    s->mtime = (int64_t)st.st_mtime;
    unsigned char magic[2];
    s->gzip = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (s->gzip) {
        s->in = malloc(IN_STEP);
        s->g_live = s->in && gunzip_init(&s->g, (uint64_t)s->size, file_next, s) == 0;
        if (!s->g_live) {
            stream_close(s);
            return errmsg_set(err, "out of memory");
        }
    }
    *out = s;
    return 0;
}

int stream_read(struct stream *st, char *buf, size_t cap, size_t *got, atomic_int *stop, char **err)
{
    *got = 0;
    if (stop && atomic_load_explicit(stop, memory_order_relaxed))
        return errmsg_set(err, "cancelled");
    if (st->ended)
        return 0;
    if (st->decoded + cap > SOURCE_MAX_DECODED)
        cap = (size_t)(SOURCE_MAX_DECODED - st->decoded);
    if (cap == 0) { /* ends the stream: the only warning */
        st->ended = 1;
        st->warning_offset = (int64_t)st->decoded;
        errmsg_set(&st->warning, "%s exceeds the %zu MiB limit; the rest is not read",
                   st->gzip ? "decoded size" : "file", SOURCE_MAX_DECODED >> 20);
        return 0;
    }
    if (st->gzip) {
        int rc = gunzip_read(&st->g, buf, cap, got, err);
        st->decoded += *got;
        st->ended = st->g.ended;
        return rc;
    }
    for (;;) {
        ssize_t r = read(st->fd, buf, cap);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errmsg_set(err, "read failed: %s", strerror(errno));
        *got = (size_t)r;
        st->decoded += (size_t)r;
        st->ended = r == 0;
        return 0;
    }
}

int stream_gzip(const struct stream *st)
{
    return st->gzip;
}

int64_t stream_size(const struct stream *st)
{
    return st->size;
}

int64_t stream_mtime(const struct stream *st)
{
    return st->mtime;
}

const char *stream_warning(const struct stream *st, int64_t *offset)
{
    /* one or the other: a gzip's damage ends it before the limit is reached, and the other way round */
    if (st->gzip && st->g.warning) {
        *offset = st->g.warning_offset;
        return st->g.warning;
    }
    *offset = st->warning_offset;
    return st->warning;
}

void stream_close(struct stream *st)
{
    if (!st)
        return;
    if (st->g_live)
        gunzip_end(&st->g);
    close(st->fd);
    free(st->in);
    free(st->warning);
    free(st);
}

int stream_pread(const char *path, int64_t size, int64_t mtime, uint64_t off, char *buf, size_t len,
                 char **err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return errmsg_set(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (int64_t)st.st_size != size ||
        (int64_t)st.st_mtime != mtime) {
        close(fd);
        return errmsg_set(err, "%s changed since it was loaded", path);
    }
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, buf + done, len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            close(fd);
            return errmsg_set(err, "%s: cannot read the record at byte %llu", path, (unsigned long long)off);
        }
        done += (size_t)r;
    }
    close(fd);
    return 0;
}
