#include "parsers/pieces.h"

#include <stdlib.h>
#include <string.h>

#include "model/jsonfmt.h"
#include "parsers/split.h"

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

static void append(struct pieces_scratch *ps, size_t *used, const char *s, size_t n)
{
    memcpy(ps->buf + *used, s, n);
    *used += n;
}

size_t pieces_split(const char *rec, size_t len, const struct span *cuts, size_t ncuts,
                    struct pieces_scratch *ps)
{
    /* Minified pieces and the misc piece together never exceed the record plus a separator per member;
     * a member with cuts is assembled in a third part first. */
    size_t need = 3 * len + 24;
    if (need > ps->cap) {
        char *b = realloc(ps->buf, need);
        if (!b)
            return 0;
        ps->buf = b;
        ps->cap = need;
    }
    size_t i = 0, n = 0, used;
    while (i < len && is_space(rec[i]))
        i++;
    if (i >= len || rec[i] != '{')
        return 0;
    i++;
    /* misc collects at the front of buf and is finished last; minified pieces go after its room. A record
     * with blanks between its members (pretty-printed) has them inside too: its pieces are minified. */
    size_t misc_used = 0, ci = 0;
    used = len + 8;
    int spaced = 0;
    for (;;) {
        size_t at = i;
        while (i < len && (is_space(rec[i]) || rec[i] == ','))
            i++;
        spaced |= i > at + 1 || (i == at + 1 && rec[at] != ',');
        if (i >= len || rec[i] != '"')
            break;
        int cut;
        size_t key = i, key_end = split_skip_value(rec, len, i, &cut);
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
        spaced |= val != key_end + 1;
        i = split_skip_value(rec, len, i, &cut);
        const char *m = rec + key;
        size_t mlen = i - key;
        while (ci < ncuts && cuts[ci].off < key)
            ci++;
        int copied = 0;
        if (ci < ncuts && cuts[ci].off < i) {
            char *tmp = ps->buf + 2 * len + 16;
            size_t t = 0, from = key;
            for (; ci < ncuts && cuts[ci].off < i; ci++) {
                if (cuts[ci].off < from || cuts[ci].off + cuts[ci].len > i)
                    continue;
                memcpy(tmp + t, rec + from, cuts[ci].off - from);
                t += cuts[ci].off - from;
                from = cuts[ci].off + cuts[ci].len;
            }
            memcpy(tmp + t, rec + from, i - from);
            t += i - from;
            m = tmp;
            mlen = t;
            copied = 1;
        }
        if (spaced || copied) {
            mlen =
                spaced ? jsonfmt_minify(m, mlen, ps->buf + used) : (memmove(ps->buf + used, m, mlen), mlen);
            m = ps->buf + used;
        }
        int scalar = rec[val] != '{' && rec[val] != '[';
        if (scalar || n == PIECES_MAX - 1) {
            if (misc_used)
                append(ps, &misc_used, ",", 1);
            if (scalar && is_indexed_key(rec + key + 1, key_end - key - 2))
                append(ps, &misc_used, rec + key, key_end - key);
            else
                append(ps, &misc_used, m, mlen);
            continue;
        }
        ps->refs[n++] = (struct strref){m, mlen};
        if (spaced || copied)
            used += mlen;
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
