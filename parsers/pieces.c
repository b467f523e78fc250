#include "parsers/pieces.h"

#include <stdlib.h>
#include <string.h>

#include "model/jsonfmt.h"

/* Top-level keys whose scalar values are indexed fields: their values are searched through the index. */
static const struct {
    const char *name;
    size_t len;
} indexed_keys[] = {
#define K(s)                                                                                                 \
    {                                                                                                        \
        s, sizeof s - 1                                                                                      \
    }
    K("eventTime"),       K("eventName"), K("eventSource"),   K("awsRegion"),    K("recipientAccountId"),
    K("sourceIPAddress"), K("userAgent"), K("errorCode"),     K("errorMessage"), K("eventType"),
    K("eventCategory"),   K("eventID"),   K("sharedEventID"), K("requestID"),
#undef K
};

static int is_indexed_key(const char *k, size_t len)
{
    for (size_t i = 0; i < sizeof indexed_keys / sizeof *indexed_keys; i++)
        if (indexed_keys[i].len == len && k[0] == indexed_keys[i].name[0] &&
            memcmp(indexed_keys[i].name, k, len) == 0)
            return 1;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Index just past the string starting at s[i] == '"', or len when unterminated. memchr finds the
 * candidate quote; a quote preceded by an odd run of backslashes is escaped. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len;) {
        const char *q = memchr(s + i, '"', len - i);
        if (!q)
            return len;
        size_t at = (size_t)(q - s), bs = 0;
        while (at - bs > i && s[at - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return at + 1;
        i = at + 1;
    }
    return len;
}

/* Byte classes for the structure scan: everything else is skipped in one tight loop. */
enum { C_OTHER, C_QUOTE, C_OPEN, C_CLOSE, C_SPACE };
static const unsigned char byte_class[256] = {
    ['"'] = C_QUOTE, ['{'] = C_OPEN,   ['['] = C_OPEN,   ['}'] = C_CLOSE,  [']'] = C_CLOSE,
    [' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE,
};

/* Index just past the value starting at s[i]; sets *spaced when it holds whitespace outside strings. */
static size_t skip_value(const char *s, size_t len, size_t i, int *spaced)
{
    if (s[i] == '"')
        return skip_string(s, len, i);
    if (s[i] != '{' && s[i] != '[') {
        while (i < len && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_space(s[i]))
            i++;
        return i;
    }
    int depth = 0;
    while (i < len) {
        unsigned char k = byte_class[(unsigned char)s[i]];
        if (k == C_OTHER) {
            i++;
            continue;
        }
        if (k == C_QUOTE) {
            i = skip_string(s, len, i);
            continue;
        }
        if (k == C_OPEN)
            depth++;
        else if (k == C_CLOSE) {
            if (--depth == 0)
                return i + 1;
        } else
            *spaced = 1;
        i++;
    }
    return len;
}

static void append(struct pieces_scratch *ps, size_t *used, const char *s, size_t n)
{
    memcpy(ps->buf + *used, s, n);
    *used += n;
}

size_t pieces_split(const char *rec, size_t len, struct pieces_scratch *ps)
{
    /* Minified pieces and the misc piece together never exceed the record plus a separator per member. */
    size_t need = 2 * len + 16;
    if (need > ps->cap) {
        char *b = realloc(ps->buf, need);
        if (!b)
            return 0;
        ps->buf = b;
        ps->cap = need;
    }
    size_t i = 0, n = 0, used = 0;
    while (i < len && is_space(rec[i]))
        i++;
    if (i >= len || rec[i] != '{')
        return 0;
    i++;
    /* misc collects at the front of buf and is finished last; minified pieces go after its room. */
    size_t misc_used = 0, piece_used = len + 8;
    used = piece_used;
    for (;;) {
        while (i < len && (is_space(rec[i]) || rec[i] == ','))
            i++;
        if (i >= len || rec[i] != '"')
            break;
        size_t key = i, key_end = skip_string(rec, len, i);
        i = key_end;
        while (i < len && is_space(rec[i]))
            i++;
        if (i >= len || rec[i] != ':')
            break;
        i++;
        while (i < len && is_space(rec[i]))
            i++;
        if (i >= len)
            break;
        size_t val = i;
        int spaced = rec[key_end] != ':' || val != key_end + 1; /* blanks around the colon */
        i = skip_value(rec, len, i, &spaced);
        int scalar = rec[val] != '{' && rec[val] != '[';
        if (scalar || n == PIECES_MAX - 1) {
            if (misc_used)
                append(ps, &misc_used, ",", 1);
            if (scalar && is_indexed_key(rec + key + 1, key_end - key - 2))
                append(ps, &misc_used, rec + key, key_end - key);
            else if (spaced)
                misc_used += jsonfmt_minify(rec + key, i - key, ps->buf + misc_used);
            else
                append(ps, &misc_used, rec + key, i - key);
            continue;
        }
        if (spaced) {
            size_t m = jsonfmt_minify(rec + key, i - key, ps->buf + used);
            ps->refs[n++] = (struct strref){ps->buf + used, m};
            used += m;
        } else {
            ps->refs[n++] = (struct strref){rec + key, i - key};
        }
    }
    if (misc_used)
        ps->refs[n++] = (struct strref){ps->buf, misc_used};
    return n;
}

void pieces_scratch_free(struct pieces_scratch *ps)
{
    free(ps->buf);
    ps->buf = NULL;
    ps->cap = 0;
}
