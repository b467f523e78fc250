#include "parsers/pieces.h"

#include <stdlib.h>
#include <string.h>

#include "model/json/jsonfmt.h"
#include "model/json/jsonscan.h"

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

static void append(struct pieces_scratch *ps, size_t *used, const char *s, size_t n)
{
    memcpy(ps->buf + *used, s, n);
    *used += n;
}

size_t pieces_split(const char *rec, size_t len, const struct span *cuts, size_t ncuts,
                    struct pieces_scratch *ps)
{
    struct member members[PIECES_MAX_MEMBERS];
    size_t n = 0, i = len >= 5 && memcmp(rec, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a BOM, as the scanner */
    /* blanks as the record scanner (and cJSON) count them, so the members found here are those the
     * scanner hands to pieces_build */
    i = jscan_blank(rec, len, i);
    if (i >= len || rec[i] != '{')
        return 0;
    size_t body = ++i;
    for (;;) {
        while (i < len && ((unsigned char)rec[i] <= 32 || rec[i] == ','))
            i++;
        if (i >= len || rec[i] != '"')
            break;
        int cut;
        struct member m;
        m.key = i;
        m.key_end = i = jscan_skip_value(rec, len, i, &cut);
        i = jscan_blank(rec, len, i);
        if (i >= len || rec[i] != ':')
            break;
        i = jscan_blank(rec, len, i + 1);
        if (i >= len)
            break;
        m.val = i;
        m.end = i = jscan_skip_value(rec, len, i, &cut);
        if (n == PIECES_MAX_MEMBERS) { /* the rest of a record this wide goes whole to misc */
            members[n - 1].key_end = members[n - 1].val = members[n - 1].key;
            members[n - 1].end = m.end;
        } else {
            members[n++] = m;
        }
    }
    return pieces_build(rec, len, body, members, n, cuts, ncuts, ps);
}

size_t pieces_build(const char *rec, size_t len, size_t body, const struct member *members, size_t nmembers,
                    const struct span *cuts, size_t ncuts, struct pieces_scratch *ps)
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
    size_t n = 0, used;
    /* misc collects at the front of buf and is finished last; minified pieces go after its room. A record
     * with blanks between its members (pretty-printed) has them inside too: its pieces are minified. */
    size_t misc_used = 0, ci = 0;
    used = len + 8;
    int spaced = 0;
    size_t at = body; /* after the '{', then after each member */
    for (size_t k = 0; k < nmembers; k++) {
        size_t key = members[k].key, key_end = members[k].key_end, val = members[k].val, i = members[k].end;
        spaced |= key > at + 1 || (key == at + 1 && rec[at] != ',');
        spaced |= val != key_end + 1 && key_end != key;
        at = i;
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
            if (scalar && key_end >= key + 2 && is_indexed_key(rec + key + 1, key_end - key - 2))
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
