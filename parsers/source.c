#include "parsers/source.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>

void source_data_free(struct source_data *d)
{
    free(d->data);
    free(d->warning);
    memset(d, 0, sizeof *d);
}

int source_err(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
    return -1;
}

/* Reads and inflates in steps this large, looking at the stop flag between them. */
#define STEP ((size_t)16 << 20)

static int stopped(atomic_int *stop)
{
    return stop && atomic_load_explicit(stop, memory_order_relaxed);
}

/* Reads all of fd into a new buffer. */
static int read_all(int fd, size_t size_hint, atomic_int *stop, char **buf, size_t *len, char **err)
{
    size_t cap = size_hint ? size_hint + 1 : 65536, n = 0;
    char *b = malloc(cap);
    if (!b)
        return source_err(err, "out of memory");
    for (;;) {
        if (n == cap) {
            if (cap >= SOURCE_MAX_DECODED) {
                free(b);
                return source_err(err, "input larger than the %zu MiB limit", SOURCE_MAX_DECODED >> 20);
            }
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return source_err(err, "out of memory");
            }
            b = nb;
            cap *= 2;
        }
        if (stopped(stop)) {
            free(b);
            return source_err(err, "cancelled");
        }
        if (stop) {
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
            return source_err(err, "read failed: %s", strerror(e));
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

static void warn(struct source_data *out, int64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(struct source_data *out, int64_t offset, const char *fmt, ...)
{
    if (out->warning)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&out->warning, fmt, ap) < 0)
        out->warning = NULL;
    va_end(ap);
    out->warning_offset = offset;
}

static int gunzip(const char *in, size_t len, size_t limit, atomic_int *stop, struct source_data *out,
                  char **err)
{
    size_t cap = len < limit / 8 ? len * 8 + 1024 : limit;
    if (cap > limit)
        cap = limit;
    char *buf = malloc(cap + 1);
    if (!buf)
        return source_err(err, "out of memory");
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) {
        free(buf);
        return source_err(err, "zlib initialisation failed");
    }
    size_t pos = 0, members = 0; /* pos: compressed bytes consumed by finished members */
    z.next_in = (Bytef *)in;
    z.avail_in = 0;
    size_t consumed = 0;
    for (;;) {
        if (z.avail_in == 0 && consumed < len) {
            size_t chunk = len - consumed > (1u << 30) ? (1u << 30) : len - consumed;
            z.next_in = (Bytef *)in + consumed;
            z.avail_in = (uInt)chunk;
            consumed += chunk;
        }
        if (out->len == cap) {
            if (cap >= limit) {
                warn(out, (int64_t)out->len, "decoded size exceeds the %zu MiB limit; the rest is not read",
                     limit >> 20);
                break;
            }
            size_t ncap = cap * 2 > limit ? limit : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                inflateEnd(&z);
                free(buf);
                return source_err(err, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        if (stopped(stop)) {
            inflateEnd(&z);
            free(buf);
            return source_err(err, "cancelled");
        }
        z.next_out = (Bytef *)buf + out->len;
        z.avail_out = (uInt)(cap - out->len > STEP ? STEP : cap - out->len);
        size_t before = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        out->len += before - z.avail_out;
        if (rc == Z_STREAM_END) {
            members++;
            pos = consumed - z.avail_in;
            if (pos >= len)
                break;
            if (!is_gzip(in + pos, len - pos)) {
                /* Padding of zeros is common after the last member; anything else is worth a word. */
                size_t k = pos;
                while (k < len && in[k] == 0)
                    k++;
                if (k < len)
                    warn(out, (int64_t)out->len,
                         "%zu bytes of trailing garbage after gzip member %zu ignored", len - pos, members);
                break;
            }
            inflateReset(&z);
            continue;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && consumed >= len) {
            warn(out, (int64_t)out->len, "gzip stream truncated (compressed file ends at byte %zu)", len);
            break;
        }
        if (rc == Z_BUF_ERROR && z.avail_out == 0)
            continue;
        warn(out, (int64_t)out->len, "corrupt gzip data at compressed byte %zu: %s", consumed - z.avail_in,
             z.msg ? z.msg : "inflate failed");
        break;
    }
    inflateEnd(&z);
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
            return source_err(err, "out of memory");
        if (one > 0)
            return 0;
        return gunzip(in, len, limit, stop, out, err);
    }
    size_t n = len > limit ? limit : len;
    out->data = malloc(n + 1);
    if (!out->data)
        return source_err(err, "out of memory");
    memcpy(out->data, in, n);
    out->data[n] = '\0';
    out->len = n;
    if (n < len)
        warn(out, (int64_t)n, "file exceeds the %zu MiB limit; the rest is not read", limit >> 20);
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
            return source_err(err, "out of memory");
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

int source_check_size(int fd, int64_t size, char **err)
{
    const size_t mib = (size_t)1 << 20;
    if ((uint64_t)size > SOURCE_MAX_DECODED)
        return source_err(err, "not read: %lld MiB, larger than the %zu MiB limit", (long long)(size >> 20),
                          SOURCE_MAX_DECODED / mib);
    unsigned char magic[2], trailer[4];
    if (size >= 18 && pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b &&
        pread(fd, trailer, 4, (off_t)size - 4) == 4) {
        uint64_t isize = (uint64_t)trailer[0] | (uint64_t)trailer[1] << 8 | (uint64_t)trailer[2] << 16 |
                         (uint64_t)trailer[3] << 24;
        if (isize > SOURCE_MAX_DECODED)
            return source_err(err,
                              "not read: gzip of %llu MiB decoded (its trailer), larger than the %zu MiB "
                              "limit",
                              (unsigned long long)(isize >> 20), SOURCE_MAX_DECODED / mib);
    }
    return 0;
}

int source_read_path(const char *path, atomic_int *stop, struct source_data *out, char **err)
{
    memset(out, 0, sizeof *out);
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
    /* Regular files ignore O_NONBLOCK; clear it anyway so reads behave the usual way. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    char *raw = NULL;
    size_t n = 0;
    int rc = read_all(fd, (size_t)st.st_size, stop, &raw, &n, err);
    close(fd);
    if (rc != 0)
        return -1;
    if (decode_owned(raw, n, stop, out, err) != 0)
        return -1;
    out->size = (int64_t)n;
    out->mtime = (int64_t)st.st_mtime;
    return 0;
}

int source_read_fd(int fd, atomic_int *stop, struct source_data *out, char **err)
{
    memset(out, 0, sizeof *out);
    char *raw = NULL;
    size_t n = 0;
    if (read_all(fd, 0, stop, &raw, &n, err) != 0)
        return -1;
    if (decode_owned(raw, n, stop, out, err) != 0)
        return -1;
    out->size = (int64_t)n;
    return 0;
}
