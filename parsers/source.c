#include "parsers/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

#include "model/base/grow.h"
#include "model/base/errmsg.h"
#include "parsers/gunzip.h"

void source_data_free(struct source_data *d)
{
    free(d->data);
    free(d->warning);
    memset(d, 0, sizeof *d);
}

/* Reads and inflates in steps this large, looking at the stop flag between them. */
#define STEP ((size_t)16 << 20)

static int stopped(atomic_int *stop)
{
    return stop && atomic_load_explicit(stop, memory_order_relaxed);
}

/* Reads all of fd into a new buffer. wait: fd may have nothing to read yet (a pipe), so with stop the read
 * waits for input at most 50 ms at a time; a regular file always has. */
static int read_all(int fd, size_t size_hint, int wait, atomic_int *stop, char **buf, size_t *len, char **err)
{
    size_t cap = size_hint ? size_hint + 1 : 65536, n = 0;
    char *b = malloc(cap);
    if (!b)
        return errmsg_set(err, "out of memory");
    for (;;) {
        if (n == cap) {
            if (cap >= SOURCE_MAX_DECODED) {
                free(b);
                return errmsg_set(err, "input larger than the %zu MiB limit", SOURCE_MAX_DECODED >> 20);
            }
            if (grow_array((void **)&b, &cap, cap + 1, 1) != 0) {
                free(b);
                return errmsg_set(err, "out of memory");
            }
        }
        if (stopped(stop)) {
            free(b);
            return errmsg_set(err, "cancelled");
        }
        if (stop && wait) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            if (poll(&p, 1, 50) == 0)
                continue; /* nothing yet: look at the flag again */
        }
        ssize_t r = read(fd, b + n, cap - n < STEP ? cap - n : STEP);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(b);
            return errmsg_set(err, "read failed: %s", strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *buf = b;
    *len = n;
    return 0;
}

static int is_gzip(const char *in, size_t len)
{
    return len >= 2 && (unsigned char)in[0] == 0x1f && (unsigned char)in[1] == 0x8b;
}

/* The input of a gunzip over a buffer in memory: a gigabyte at a time (zlib counts in 32 bits). */
struct mem_input {
    const char *in;
    size_t len, at;
};

static int mem_next(void *ctx, const unsigned char **data, size_t *len, char **err)
{
    struct mem_input *m = ctx;
    (void)err;
    size_t n = m->len - m->at > (1u << 30) ? (1u << 30) : m->len - m->at;
    *data = (const unsigned char *)m->in + m->at;
    *len = n;
    m->at += n;
    return 0;
}

static int gunzip_all(const char *in, size_t len, size_t limit, atomic_int *stop, struct source_data *out,
                      char **err)
{
    size_t cap = len < limit / 8 ? len * 8 + 1024 : limit;
    if (cap > limit)
        cap = limit;
    char *buf = malloc(cap + 1);
    if (!buf)
        return errmsg_set(err, "out of memory");
    struct mem_input m = {in, len, 0};
    struct gunzip g;
    if (gunzip_init(&g, len, mem_next, &m) != 0) {
        free(buf);
        return errmsg_set(err, "zlib initialisation failed");
    }
    int rc = 0;
    while (!g.ended) {
        if (out->len == cap) {
            if (cap >= limit) {
                out->warning_offset = (int64_t)out->len; /* the only warning: the output ends here */
                errmsg_set(&out->warning, "decoded size exceeds the %zu MiB limit; the rest is not read",
                           limit >> 20);
                break;
            }
            size_t ncap = cap * 2 > limit ? limit : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                rc = errmsg_set(err, "out of memory");
                break;
            }
            buf = nb;
            cap = ncap;
        }
        if (stopped(stop)) {
            rc = errmsg_set(err, "cancelled");
            break;
        }
        size_t got;
        if (gunzip_read(&g, buf + out->len, cap - out->len > STEP ? STEP : cap - out->len, &got, err) != 0) {
            rc = -1;
            break;
        }
        out->len += got;
    }
    if (rc == 0 && g.warning) { /* the damage ended the loop: the only warning */
        out->warning = g.warning;
        out->warning_offset = g.warning_offset;
        g.warning = NULL;
    }
    gunzip_end(&g);
    if (rc != 0) {
        free(buf);
        return -1;
    }
    buf[out->len] = '\0';
    out->data = buf;
    out->gzip = 1;
    return 0;
}

/* Largest decoded size decoded in one call: above it the streaming path runs, which looks at the stop
 * flag between steps (a whole 2 GiB member in one call would hold a quit back for seconds). */
#define ONE_CALL_MAX ((size_t)64 << 20)

/* S3 log files are single gzip members of a few hundred KB whose decoded size is in the trailer
 * (ISIZE): libdeflate decodes them in one call, about twice as fast as zlib's inflate. Returns 1 when
 * that worked and filled *out, 0 when the input needs the streaming path: more than one member,
 * trailing bytes, damage, a size the trailer does not tell (0, over the limit, or modulo 4 GiB).
 * -1 when out of memory. */
static int gunzip_one_call(const char *in, size_t len, size_t limit, struct source_data *out)
{
    if (len < 18 || len > ONE_CALL_MAX)
        return 0;
    const unsigned char *t = (const unsigned char *)in + len - 4;
    size_t size = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
    if (size == 0 || size > ONE_CALL_MAX || size > limit)
        return 0;
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    char *buf = malloc(size + 1);
    if (!d || !buf) {
        libdeflate_free_decompressor(d);
        free(buf);
        return -1;
    }
    size_t used = 0, made = 0;
    enum libdeflate_result rc = libdeflate_gzip_decompress_ex(d, in, len, buf, size, &used, &made);
    libdeflate_free_decompressor(d);
    if (rc != LIBDEFLATE_SUCCESS || used != len || made != size) {
        free(buf);
        return 0;
    }
    buf[size] = '\0';
    out->data = buf;
    out->len = size;
    out->gzip = 1;
    return 1;
}

static int decode(const char *in, size_t len, size_t limit, atomic_int *stop, struct source_data *out,
                  char **err)
{
    memset(out, 0, sizeof *out);
    if (is_gzip(in, len)) {
        int one = gunzip_one_call(in, len, limit, out);
        if (one < 0)
            return errmsg_set(err, "out of memory");
        if (one > 0)
            return 0;
        return gunzip_all(in, len, limit, stop, out, err);
    }
    size_t n = len > limit ? limit : len;
    out->data = malloc(n + 1);
    if (!out->data)
        return errmsg_set(err, "out of memory");
    memcpy(out->data, in, n);
    out->data[n] = '\0';
    out->len = n;
    if (n < len) {
        out->warning_offset = (int64_t)n;
        errmsg_set(&out->warning, "file exceeds the %zu MiB limit; the rest is not read", limit >> 20);
    }
    return 0;
}

int source_decode(const char *in, size_t len, size_t limit, struct source_data *out, char **err)
{
    return decode(in, len, limit, NULL, out, err);
}

static int decode_owned(char *raw, size_t n, atomic_int *stop, struct source_data *out, char **err)
{
    if (!is_gzip(raw, n)) {
        /* Plain input: the buffer read is the decoded buffer, no copy. */
        char *b = realloc(raw, n + 1);
        if (!b) {
            free(raw);
            return errmsg_set(err, "out of memory");
        }
        b[n] = '\0';
        out->data = b;
        out->len = n;
        return 0;
    }
    int rc = decode(raw, n, SOURCE_MAX_DECODED, stop, out, err);
    free(raw);
    return rc;
}

static int check_disk_size(int64_t size, char **err)
{
    if ((uint64_t)size > SOURCE_MAX_DECODED)
        return errmsg_set(err, "not read: %lld MiB, larger than the %zu MiB limit", (long long)(size >> 20),
                          SOURCE_MAX_DECODED >> 20);
    return 0;
}

/* The gzip trailer's part of source_check_size, on the file's first two and last four bytes. */
static int check_isize(const unsigned char *magic, const unsigned char *trailer, int64_t size, char **err)
{
    const size_t mib = (size_t)1 << 20;
    if (size >= 18 && magic[0] == 0x1f && magic[1] == 0x8b) {
        uint64_t isize = (uint64_t)trailer[0] | (uint64_t)trailer[1] << 8 | (uint64_t)trailer[2] << 16 |
                         (uint64_t)trailer[3] << 24;
        /* deflate turns a byte into at most 1032: a trailer claiming more is the garbage of a file cut
         * short, whose records up to the cut are read (the decode has the limit too) */
        if (isize > SOURCE_MAX_DECODED && isize / 1032 <= (uint64_t)size)
            return errmsg_set(err,
                              "not read: gzip of %llu MiB decoded (its trailer), larger than the %zu MiB "
                              "limit",
                              (unsigned long long)(isize >> 20), SOURCE_MAX_DECODED / mib);
    }
    return 0;
}

int source_check_size(int fd, int64_t size, char **err)
{
    if (check_disk_size(size, err) != 0)
        return -1;
    unsigned char magic[2], trailer[4];
    if (size >= 18 && pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b &&
        pread(fd, trailer, 4, (off_t)size - 4) == 4)
        return check_isize(magic, trailer, size, err);
    return 0;
}

int source_open(const char *path, struct stat *st, char **err)
{
    /* O_NONBLOCK: opening a FIFO named like a log must not hang */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return errmsg_set(err, "cannot open: %s", strerror(errno));
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return errmsg_set(err, "not a regular file");
    }
    /* Regular files ignore O_NONBLOCK; clear it anyway so reads behave the usual way. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int source_read_path(const char *path, atomic_int *stop, struct source_data *out, char **err)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    int fd = source_open(path, &st, err);
    if (fd < 0)
        return -1;
    /* read whole and decoded in memory: refused past the limit before a byte is read (the stream of
     * parsers/stream.c decodes a piece at a time and needs no such check) */
    if (source_check_size(fd, (int64_t)st.st_size, err) != 0) {
        close(fd);
        return -1;
    }
    char *raw = NULL;
    size_t n = 0;
    int rc = read_all(fd, (size_t)st.st_size, 0, stop, &raw, &n, err);
    close(fd);
    if (rc != 0)
        return -1;
    if (decode_owned(raw, n, stop, out, err) != 0)
        return -1;
    out->size = (int64_t)n;
    out->mtime = (int64_t)st.st_mtime;
    return 0;
}

int source_read_known(const char *path, int64_t size, int64_t mtime, atomic_int *stop,
                      struct source_data *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (check_disk_size(size, err) != 0)
        return -1;
    /* O_NONBLOCK: a FIFO put in the file's place since the stat must not hang the open or the read */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return errmsg_set(err, "cannot open: %s", strerror(errno));
    char *raw = NULL;
    size_t n = 0;
    int rc = read_all(fd, (size_t)size, 0, stop, &raw, &n, err);
    close(fd);
    if (rc != 0)
        return -1;
    /* the trailer's check of source_check_size, on the bytes read rather than two more reads */
    if (n >= 18 && check_isize((unsigned char *)raw, (unsigned char *)raw + n - 4, (int64_t)n, err) != 0) {
        free(raw);
        return -1;
    }
    if (decode_owned(raw, n, stop, out, err) != 0)
        return -1;
    out->size = (int64_t)n;
    out->mtime = mtime;
    return 0;
}

int source_read_fd(int fd, atomic_int *stop, struct source_data *out, char **err)
{
    memset(out, 0, sizeof *out);
    char *raw = NULL;
    size_t n = 0;
    if (read_all(fd, 0, 1, stop, &raw, &n, err) != 0)
        return -1;
    if (decode_owned(raw, n, stop, out, err) != 0)
        return -1;
    out->size = (int64_t)n;
    return 0;
}
