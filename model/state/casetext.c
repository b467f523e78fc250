/* casetext: the bytes of a case file: read within the limit, checked and made valid (see casetext.h). */
#include "model/state/casetext.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/base/errmsg.h"
#include "model/base/utf8.h"

/* Whether s is valid UTF-8 throughout: what is written is read again as JSON, which must be. */
int casetext_utf8_valid(const char *s)
{
    uint32_t cp;
    for (size_t len = strlen(s), n; len; s += n, len -= n)
        if ((n = utf8_decode(s, len, &cp)) == 0)
            return 0;
    return 1;
}

/* s with each byte that does not start a valid UTF-8 character as U+FFFD (owned), or NULL out of
 * memory. */
char *casetext_utf8_repaired(const char *s)
{
    size_t len = strlen(s), o = 0;
    char *out = malloc(3 * len + 1);
    uint32_t cp;
    for (size_t n; out && len; s += n, len -= n)
        if ((n = utf8_decode(s, len, &cp)) == 0) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            n = 1;
        } else {
            memcpy(out + o, s, n);
            o += n;
        }
    if (out)
        out[o] = '\0';
    return out;
}

/* The key of "event_hex" (lower-case hex of the key's bytes: a key that is not UTF-8, see to_json), or
 * NULL when it is not hex. Owned. */
char *casetext_from_hex(const char *hex)
{
    size_t n = strlen(hex);
    char *key = n % 2 == 0 ? malloc(n / 2 + 1) : NULL;
    for (size_t i = 0; key && i < n; i += 2) {
        unsigned v;
        if (!strchr("0123456789abcdef", hex[i]) || !strchr("0123456789abcdef", hex[i + 1]) ||
            sscanf(hex + i, "%2x", &v) != 1 || v == 0) {
            free(key);
            return NULL;
        }
        key[i / 2] = (char)v;
    }
    if (key)
        key[n / 2] = '\0';
    return key;
}

/* The text of path, NUL-terminated (owned), its length in *len. The case file itself is opened
 * without following a symbolic link and must be a regular file; an import (any) may be a link, a pipe
 * or '-' (standard input). NULL with *err, or with *missing when there is no such file. */
char *casetext_read(const char *path, int any, size_t limit, size_t *len, char **err, int *missing)
{
    *missing = 0;
    int stdin_ = any && strcmp(path, "-") == 0;
    int fd = stdin_ ? 0 : open(path, O_RDONLY | (any ? 0 : O_NOFOLLOW | O_NONBLOCK) | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            *missing = 1;
            return NULL;
        }
        errmsg_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (!S_ISREG(st.st_mode) && !(any && !S_ISDIR(st.st_mode)))) {
        errmsg_set(err, "%s: not a regular file", path);
        if (!stdin_)
            close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > limit) {
        errmsg_set(err, "%s: larger than the limit of %zu MiB for a case", path, limit >> 20);
        if (!stdin_)
            close(fd);
        return NULL;
    }
    /* a pipe's size is not known: read until its end, or past the limit */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 1 << 16, got = 0;
    char *buf = malloc(cap);
    const char *why = buf ? NULL : "%s: out of memory";
    while (!why) {
        if (got + 1 == cap && S_ISREG(st.st_mode))
            break;
        if (got + 1 == cap) {
            char *grown = cap > limit ? NULL : realloc(buf, cap * 2);
            if (!grown) {
                why = cap > limit ? "%s: larger than the limit of %zu MiB for a case" : "%s: out of memory";
                break;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + got, cap - 1 - got);
        if (r > 0)
            got += (size_t)r;
        else if (r == 0 || errno != EINTR)
            break;
    }
    if (!why && got > limit)
        why = "%s: larger than the limit of %zu MiB for a case";
    if (!stdin_)
        close(fd);
    if (why) {
        errmsg_set(err, why, path, limit >> 20);
        free(buf);
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* The first \u0000 escape in text (the position of its backslash), or -1: cJSON would cut the string
 * there, so a note or tag would lose its end without a word. */
long casetext_nul_escape(const char *text, size_t len)
{
    for (const char *p = text; (p = memchr(p, '\\', len - (size_t)(p - text))) != NULL;) {
        if (len - (size_t)(p - text) >= 6 && memcmp(p, "\\u0000", 6) == 0)
            return (long)(p - text);
        p += p + 1 < text + len ? 2 : 1; /* the escaped character is no escape itself */
    }
    return -1;
}
