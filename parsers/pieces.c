#include "parsers/pieces.h"

#include <stdlib.h>
#include <string.h>

#include "model/jsonfmt.h"

/* Top-level keys whose scalar values are indexed fields: their values are searched through the index. */
static const char *const indexed_keys[] = {
    "eventTime",       "eventName", "eventSource",   "awsRegion",    "recipientAccountId",
    "sourceIPAddress", "userAgent", "errorCode",     "errorMessage", "eventType",
    "eventCategory",   "eventID",   "sharedEventID", "requestID",
};

static int is_indexed_key(const char *k, size_t len)
{
    for (size_t i = 0; i < sizeof indexed_keys / sizeof *indexed_keys; i++)
        if (strlen(indexed_keys[i]) == len && memcmp(indexed_keys[i], k, len) == 0)
            return 1;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Index just past the string starting at s[i] == '"', or len when unterminated. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

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
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, len, i);
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        } else if (is_space(c))
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
        int spaced = 0;
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
