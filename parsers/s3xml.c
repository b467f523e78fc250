/* s3xml: ListObjectsV2 pages and S3 errors (see s3xml.h). */
#include "parsers/s3xml.h"

#include <stdlib.h>
#include <string.h>

/* The element <name>...</name> at or after *pos in [p, end): sets [*in, *in_end) to its content and
 * *pos past its end tag. Returns 1 when found, 0 when not. Attributes on the start tag are allowed. */
static int element(const char *p, const char *end, const char **pos, const char *name, const char **in,
                   const char **in_end)
{
    size_t nl = strlen(name);
    const char *s = *pos;
    while (s < end) {
        const char *lt = memchr(s, '<', (size_t)(end - s));
        if (!lt || (size_t)(end - lt) < nl + 2)
            return 0;
        if (memcmp(lt + 1, name, nl) == 0 && (lt[1 + nl] == '>' || lt[1 + nl] == ' ' || lt[1 + nl] == '/')) {
            const char *gt = memchr(lt, '>', (size_t)(end - lt));
            if (!gt)
                return 0;
            if (gt[-1] == '/') { /* <name/>: empty */
                *in = *in_end = gt + 1;
                *pos = gt + 1;
                return 1;
            }
            const char *c = gt + 1;
            for (const char *q = c; q < end;) {
                const char *close = memchr(q, '<', (size_t)(end - q));
                if (!close || (size_t)(end - close) < nl + 3)
                    return 0;
                if (close[1] == '/' && memcmp(close + 2, name, nl) == 0 && close[2 + nl] == '>') {
                    *in = c;
                    *in_end = close;
                    *pos = close + 3 + nl;
                    return 1;
                }
                q = close + 1;
            }
            return 0;
        }
        s = lt + 1;
    }
    (void)p;
    return 0;
}

static void put_utf8(char **o, unsigned long cp)
{
    char *w = *o;
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xc0 | cp >> 6);
        *w++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xe0 | cp >> 12);
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *w++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *w++ = (char)(0xf0 | cp >> 18);
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *w++ = (char)(0x80 | (cp & 0x3f));
    }
    *o = w;
}

/* The decoded text of [s, e) (owned), or NULL when out of memory or when it holds a NUL, a bad entity
 * or a code point that is not a character. */
static char *decode(const char *s, const char *e)
{
    char *out = malloc((size_t)(e - s) + 1), *o = out;
    if (!out)
        return NULL;
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    while (s < e) {
        if (*s == '\0')
            goto bad;
        if (*s != '&') {
            *o++ = *s++;
            continue;
        }
        s++;
        size_t k;
        for (k = 0; k < sizeof named / sizeof *named; k++) {
            size_t nl = strlen(named[k].name);
            if ((size_t)(e - s) >= nl && memcmp(s, named[k].name, nl) == 0) {
                *o++ = named[k].c;
                s += nl;
                break;
            }
        }
        if (k < sizeof named / sizeof *named)
            continue;
        if (s >= e || *s != '#')
            goto bad;
        s++;
        int base = 10;
        if (s < e && (*s == 'x' || *s == 'X')) {
            base = 16;
            s++;
        }
        unsigned long cp = 0;
        int digits = 0;
        for (; s < e && *s != ';'; s++, digits++) {
            int d = *s >= '0' && *s <= '9' ? *s - '0'
                    : base == 16 && *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                    : base == 16 && *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
                                                           : -1;
            if (d < 0 || digits > 7)
                goto bad;
            cp = cp * (unsigned long)base + (unsigned long)d;
        }
        if (s >= e || digits == 0 || cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            goto bad;
        s++; /* ';' */
        put_utf8(&o, cp); /* at most 4 bytes for the at least 4 of "&#N;" */
    }
    *o = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

char *s3xml_text(const char *body, size_t len, const char *name)
{
    const char *pos = body, *in, *in_end;
    if (len > S3XML_MAX_BODY || !element(body, body + len, &pos, name, &in, &in_end))
        return NULL;
    return decode(in, in_end);
}

void s3xml_page_free(struct s3_page *page)
{
    for (size_t i = 0; i < page->nobjects; i++) {
        free(page->objects[i].key);
        free(page->objects[i].etag);
    }
    free(page->objects);
    for (size_t i = 0; i < page->nprefixes; i++)
        free(page->prefixes[i]);
    free(page->prefixes);
    free(page->next_token);
    memset(page, 0, sizeof *page);
}

static int parse_object(const char *s, const char *e, struct s3_object *o, const char **why)
{
    const char *pos = s, *in, *in_end;
    memset(o, 0, sizeof *o);
    if (!element(s, e, &pos, "Key", &in, &in_end) || in_end == in) {
        *why = "an object without a Key";
        return -1;
    }
    if (in_end - in > S3XML_MAX_KEY * 6) { /* entities: checked again decoded */
        *why = "a key longer than 1,024 bytes";
        return -1;
    }
    o->key = decode(in, in_end);
    if (!o->key || strlen(o->key) > S3XML_MAX_KEY) {
        *why = o->key ? "a key longer than 1,024 bytes" : "a Key that is not text";
        return -1;
    }
    pos = s;
    if (element(s, e, &pos, "ETag", &in, &in_end)) {
        char *t = decode(in, in_end);
        if (t) {
            size_t n = strlen(t);
            if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
                memmove(t, t + 1, n - 2);
                t[n - 2] = '\0';
            }
        }
        o->etag = t;
    }
    if (!o->etag)
        o->etag = strdup("");
    pos = s;
    if (element(s, e, &pos, "Size", &in, &in_end)) {
        for (const char *q = in; q < in_end; q++) {
            if (*q < '0' || *q > '9' || o->size > UINT64_MAX / 10) {
                *why = "a Size that is not a number";
                return -1;
            }
            o->size = o->size * 10 + (uint64_t)(*q - '0');
        }
    }
    return o->etag ? 0 : (*why = "out of memory", -1);
}

int s3xml_list(const char *body, size_t len, struct s3_page *page, const char **why)
{
    memset(page, 0, sizeof *page);
    if (len > S3XML_MAX_BODY) {
        *why = "a listing larger than 16 MiB";
        return -1;
    }
    const char *end = body + len, *pos = body, *in, *in_end;
    if (!element(body, end, &pos, "ListBucketResult", &in, &in_end)) {
        *why = "not a ListBucketResult";
        return -1;
    }
    const char *rs = in, *re = in_end;
    pos = rs;
    while (element(rs, re, &pos, "Contents", &in, &in_end)) {
        if (page->nobjects >= S3XML_MAX_ITEMS) {
            *why = "more than 10,000 items in a page";
            goto fail;
        }
        struct s3_object *v = reallocarray(page->objects, page->nobjects + 1, sizeof *v);
        if (!v) {
            *why = "out of memory";
            goto fail;
        }
        page->objects = v;
        if (parse_object(in, in_end, &v[page->nobjects], why) != 0) {
            free(v[page->nobjects].key);
            free(v[page->nobjects].etag);
            goto fail;
        }
        page->nobjects++;
    }
    pos = rs;
    while (element(rs, re, &pos, "CommonPrefixes", &in, &in_end)) {
        const char *p2 = in, *pin, *pend;
        if (!element(in, in_end, &p2, "Prefix", &pin, &pend))
            continue;
        if (page->nprefixes >= S3XML_MAX_ITEMS) {
            *why = "more than 10,000 items in a page";
            goto fail;
        }
        char **v = reallocarray(page->prefixes, page->nprefixes + 1, sizeof *v);
        if (!v) {
            *why = "out of memory";
            goto fail;
        }
        page->prefixes = v;
        if (!(v[page->nprefixes] = decode(pin, pend)) || strlen(v[page->nprefixes]) > S3XML_MAX_KEY) {
            free(v[page->nprefixes]);
            *why = "a common prefix that is not a key";
            goto fail;
        }
        page->nprefixes++;
    }
    pos = rs;
    if (element(rs, re, &pos, "IsTruncated", &in, &in_end))
        page->truncated = in_end - in == 4 && memcmp(in, "true", 4) == 0;
    pos = rs;
    if (page->truncated && element(rs, re, &pos, "NextContinuationToken", &in, &in_end))
        page->next_token = decode(in, in_end);
    if (page->truncated && (!page->next_token || !*page->next_token || strlen(page->next_token) > 4096)) {
        *why = "a truncated page without a continuation token";
        goto fail;
    }
    return 0;
fail:
    s3xml_page_free(page);
    return -1;
}
