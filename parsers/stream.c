#include "parsers/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "parsers/source.h"

/* Compressed bytes read at a time. */
#define IN_STEP ((size_t)1 << 20)

struct stream {
    int fd;
    int gzip;
    int64_t size, mtime;
    uint64_t decoded; /* bytes handed out so far */
    int ended;        /* no more bytes: the end, the damage or the limit */
    z_stream z;
    int z_live;
    unsigned char *in; /* gzip: compressed bytes read, z.next_in points inside */
    size_t in_len;     /* bytes in `in` */
    uint64_t consumed; /* compressed bytes before `in` */
    int file_done;     /* read() returned 0 */
    size_t members;
    char *warning;
    int64_t warning_offset;
};

static void warn(struct stream *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct stream *st, const char *fmt, ...)
{
    st->ended = 1;
    if (st->warning)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&st->warning, fmt, ap) < 0)
        st->warning = NULL;
    va_end(ap);
    st->warning_offset = (int64_t)st->decoded;
}

int stream_open(const char *path, struct stream **out, char **err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return source_err(err, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return source_err(err, "not a regular file");
    }
    if (source_check_size(fd, (int64_t)st.st_size, err) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct stream *s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        return source_err(err, "out of memory");
    }
    s->fd = fd;
    s->size = (int64_t)st.st_size;
    s->mtime = (int64_t)st.st_mtime;
    unsigned char magic[2];
    s->gzip = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (s->gzip) {
        s->in = malloc(IN_STEP);
        if (!s->in || inflateInit2(&s->z, 15 + 16) != Z_OK) {
            stream_close(s);
            return source_err(err, "out of memory");
        }
        s->z_live = 1;
    }
    *out = s;
    return 0;
}

/* More compressed input for z, when it has used what it had. Returns 0, or -1 on a read error. */
static int refill(struct stream *st, char **err)
{
    if (st->z.avail_in > 0 || st->file_done)
        return 0;
    st->consumed += st->in_len;
    st->in_len = 0;
    for (;;) {
        ssize_t r = read(st->fd, st->in, IN_STEP);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return source_err(err, "read failed: %s", strerror(errno));
        st->in_len = (size_t)r;
        st->file_done = r == 0;
        break;
    }
    st->z.next_in = st->in;
    st->z.avail_in = (uInt)st->in_len;
    return 0;
}

/* What follows a gzip member: another member, zeros, or garbage (said once). Returns 1 to go on, 0 at the
 * end, -1 on a read error. */
static int next_member(struct stream *st, char **err)
{
    st->members++;
    uint64_t rest = (uint64_t)st->size - (st->consumed + (uint64_t)(st->z.next_in - st->in));
    int zeros = 0;
    for (;;) {
        if (refill(st, err) != 0)
            return -1;
        if (st->z.avail_in == 0)
            return 0;
        if (!zeros && st->z.next_in[0] == 0x1f && (st->z.avail_in < 2 || st->z.next_in[1] == 0x8b)) {
            inflateReset(&st->z);
            return 1;
        }
        zeros = 1;
        while (st->z.avail_in > 0 && st->z.next_in[0] == 0) {
            st->z.next_in++;
            st->z.avail_in--;
        }
        if (st->z.avail_in > 0) {
            /* Padding of zeros is common after the last member; anything else is worth a word. */
            warn(st, "%llu bytes of trailing garbage after gzip member %zu ignored", (unsigned long long)rest,
                 st->members);
            return 0;
        }
    }
}

static int inflate_some(struct stream *st, char *buf, size_t cap, size_t *got, char **err)
{
    st->z.next_out = (Bytef *)buf;
    st->z.avail_out = (uInt)cap;
    while (st->z.avail_out > 0 && !st->ended) {
        if (refill(st, err) != 0)
            return -1;
        int rc = inflate(&st->z, Z_NO_FLUSH);
        st->decoded = st->decoded - (uint64_t)(*got) + (cap - st->z.avail_out);
        *got = cap - st->z.avail_out;
        if (rc == Z_STREAM_END) {
            int more = next_member(st, err);
            if (more < 0)
                return -1;
            if (!more)
                st->ended = 1;
            continue;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && st->z.avail_in == 0 && st->file_done) {
            warn(st, "gzip stream truncated (compressed file ends at byte %lld)", (long long)st->size);
            break;
        }
        if (rc == Z_BUF_ERROR && st->z.avail_in == 0)
            continue;
        warn(st, "corrupt gzip data at compressed byte %llu: %s",
             (unsigned long long)(st->consumed + (uint64_t)(st->z.next_in - st->in)),
             st->z.msg ? st->z.msg : "inflate failed");
    }
    return 0;
}

int stream_read(struct stream *st, char *buf, size_t cap, size_t *got, atomic_int *stop, char **err)
{
    *got = 0;
    if (stop && atomic_load_explicit(stop, memory_order_relaxed))
        return source_err(err, "cancelled");
    if (st->ended)
        return 0;
    if (st->decoded + cap > SOURCE_MAX_DECODED)
        cap = (size_t)(SOURCE_MAX_DECODED - st->decoded);
    if (cap == 0) {
        warn(st,
             st->gzip ? "decoded size exceeds the %zu MiB limit; the rest is not read"
                      : "file exceeds the %zu MiB limit; the rest is not read",
             SOURCE_MAX_DECODED >> 20);
        return 0;
    }
    if (st->gzip)
        return inflate_some(st, buf, cap, got, err);
    for (;;) {
        ssize_t r = read(st->fd, buf, cap);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return source_err(err, "read failed: %s", strerror(errno));
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
    *offset = st->warning_offset;
    return st->warning;
}

void stream_close(struct stream *st)
{
    if (!st)
        return;
    if (st->z_live)
        inflateEnd(&st->z);
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
        return source_err(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (int64_t)st.st_size != size ||
        (int64_t)st.st_mtime != mtime) {
        close(fd);
        return source_err(err, "%s changed since it was loaded", path);
    }
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, buf + done, len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            close(fd);
            return source_err(err, "%s: cannot read the record at byte %llu", path, (unsigned long long)off);
        }
        done += (size_t)r;
    }
    close(fd);
    return 0;
}
