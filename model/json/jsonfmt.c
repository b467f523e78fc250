#include "model/json/jsonfmt.h"

#include <stdlib.h>
#include <string.h>

#include "model/json/jsonscan.h"

struct builder {
    struct json_doc *doc;
    size_t text_cap, lines_cap;
    int failed;
    int32_t *open_stack; /* line index of each open container */
    size_t open_depth, open_cap;
};

static void put(struct builder *b, const char *s, size_t n, enum json_class c)
{
    struct json_doc *d = b->doc;
    if (b->failed)
        return;
    if (d->text_len + n > b->text_cap) {
        size_t cap = b->text_cap ? b->text_cap * 2 : 256;
        while (cap < d->text_len + n)
            cap *= 2;
        char *t = realloc(d->text, cap);
        if (!t) {
            b->failed = 1;
            return;
        }
        d->text = t;
        unsigned char *k = realloc(d->cls, cap);
        if (!k) {
            b->failed = 1;
            return;
        }
        d->cls = k;
        b->text_cap = cap;
    }
    memcpy(d->text + d->text_len, s, n);
    memset(d->cls + d->text_len, c, n);
    d->text_len += n;
}

static void new_line(struct builder *b, int depth, int indent)
{
    struct json_doc *d = b->doc;
    if (b->failed)
        return;
    if (d->nlines)
        d->lines[d->nlines - 1].len = d->text_len - d->lines[d->nlines - 1].off;
    if (d->nlines == b->lines_cap) {
        size_t cap = b->lines_cap ? b->lines_cap * 2 : 64;
        struct json_line *l = realloc(d->lines, cap * sizeof *l);
        if (!l) {
            b->failed = 1;
            return;
        }
        d->lines = l;
        b->lines_cap = cap;
    }
    d->lines[d->nlines++] = (struct json_line){d->text_len, 0, depth, -1};
    for (int i = 0; i < depth * indent; i++)
        put(b, " ", 1, JC_PUNCT);
}

static void push_open(struct builder *b)
{
    if (b->failed)
        return;
    if (b->open_depth == b->open_cap) {
        size_t cap = b->open_cap ? b->open_cap * 2 : 32;
        int32_t *s = realloc(b->open_stack, cap * sizeof *s);
        if (!s) {
            b->failed = 1;
            return;
        }
        b->open_stack = s;
        b->open_cap = cap;
    }
    b->open_stack[b->open_depth++] = (int32_t)b->doc->nlines - 1;
}

/* Length of the string token starting at in[i] == '"', closing quote included (or to the end). */
static size_t string_len(const char *in, size_t len, size_t i)
{
    int cut;
    return jscan_skip_string(in, len, i, &cut) - i;
}

static int is_delim(char c)
{
    return jscan_is_ws(c) || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']' || c == '"';
}

/* Depth cap for indentation: deeper levels are still laid out, at this depth, so that a 10,000-level
 * record does not turn into megabytes of spaces. */
#define MAX_SHOWN_DEPTH 64

int jsonfmt_pretty(const char *in, size_t len, int indent, struct json_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    struct builder b = {.doc = doc};
    int depth = 0;
    int after_key = 0; /* the next token is the value of a key on this line */
    int line_open = 0; /* current line has content */
    int empty_container = 0;
    new_line(&b, 0, indent);
    for (size_t i = 0; i < len && !b.failed;) {
        char c = in[i];
        if (jscan_is_ws(c)) {
            i++;
            continue;
        }
        int shown = depth < MAX_SHOWN_DEPTH ? depth : MAX_SHOWN_DEPTH;
        if (c == '}' || c == ']') {
            if (depth > 0)
                depth--;
            shown = depth < MAX_SHOWN_DEPTH ? depth : MAX_SHOWN_DEPTH;
            if (!empty_container) {
                int32_t opener = b.open_depth ? b.open_stack[--b.open_depth] : -1;
                new_line(&b, shown, indent);
                if (opener >= 0 && !b.failed)
                    doc->lines[opener].close = (int32_t)doc->nlines - 1;
            }
            put(&b, &c, 1, JC_PUNCT);
            empty_container = 0;
            after_key = 0;
            line_open = 1;
            i++;
            continue;
        }
        if (line_open && !after_key && c != ',' && c != ':')
            new_line(&b, shown, indent);
        empty_container = 0;
        if (c == '{' || c == '[') {
            put(&b, &c, 1, JC_PUNCT);
            depth++;
            /* "{}" and "[]" stay on one line and cannot be folded */
            size_t j = jscan_ws(in, len, i + 1);
            if (j < len && (in[j] == '}' || in[j] == ']'))
                empty_container = 1;
            else
                push_open(&b);
            after_key = 0;
            line_open = 1;
            i++;
        } else if (c == ',') {
            put(&b, ",", 1, JC_PUNCT);
            after_key = 0;
            line_open = 1;
            i++;
        } else if (c == ':') {
            put(&b, ": ", 2, JC_PUNCT);
            after_key = 1;
            i++;
        } else if (c == '"') {
            size_t n = string_len(in, len, i);
            size_t j = jscan_ws(in, len, i + n);
            int is_key = !after_key && j < len && in[j] == ':';
            put(&b, in + i, n, is_key ? JC_KEY : JC_STRING);
            after_key = 0;
            line_open = 1;
            i += n;
        } else {
            size_t j = i;
            while (j < len && !is_delim(in[j]))
                j++;
            if (j == i)
                j++;
            enum json_class cls = JC_OTHER;
            if ((c >= '0' && c <= '9') || c == '-')
                cls = JC_NUMBER;
            else if ((j - i == 4 && (!memcmp(in + i, "true", 4) || !memcmp(in + i, "null", 4))) ||
                     (j - i == 5 && !memcmp(in + i, "false", 5)))
                cls = JC_LITERAL;
            put(&b, in + i, j - i, cls);
            after_key = 0;
            line_open = 1;
            i = j;
        }
    }
    if (!b.failed && doc->nlines)
        doc->lines[doc->nlines - 1].len = doc->text_len - doc->lines[doc->nlines - 1].off;
    free(b.open_stack);
    if (b.failed) {
        jsonfmt_free(doc);
        return -1;
    }
    return 0;
}

void jsonfmt_free(struct json_doc *doc)
{
    free(doc->text);
    free(doc->cls);
    free(doc->lines);
    memset(doc, 0, sizeof *doc);
}

size_t jsonfmt_minify(const char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (in[i] == '"') {
            size_t n = string_len(in, len, i);
            memcpy(out + o, in + i, n);
            o += n;
            i += n;
        } else {
            if (!jscan_is_ws(in[i]))
                out[o++] = in[i];
            i++;
        }
    }
    return o;
}

/* The key token of a line (quotes included), or NULL. */
static const char *line_key(const struct json_doc *doc, size_t line, size_t *len)
{
    const struct json_line *l = &doc->lines[line];
    for (size_t i = 0; i < l->len; i++) {
        if (doc->cls[l->off + i] != JC_KEY)
            continue;
        size_t j = i;
        while (j < l->len && doc->cls[l->off + j] == JC_KEY)
            j++;
        *len = j - i;
        return doc->text + l->off + i;
    }
    return NULL;
}

size_t jsonfmt_line_path(const struct json_doc *doc, size_t line, char *path, size_t cap)
{
    if (cap == 0)
        return 0;
    path[0] = '\0';
    if (line >= doc->nlines)
        return 0;
    size_t klen;
    if (!line_key(doc, line, &klen))
        return 0;
    /* Collect the keys from the line up to the root: each ancestor is the nearest line above with
     * a smaller depth. */
    size_t chain[64], n = 0;
    int depth = doc->lines[line].depth;
    chain[n++] = line;
    for (size_t i = line; i-- > 0 && depth > 0 && n < 64;) {
        if (doc->lines[i].depth < depth) {
            depth = doc->lines[i].depth;
            if (line_key(doc, i, &klen))
                chain[n++] = i;
        }
    }
    size_t used = 0;
    while (n--) {
        const char *k = line_key(doc, chain[n], &klen);
        if (klen < 2)
            continue;
        k++;
        klen -= 2; /* the quotes */
        if (used && used + 1 < cap)
            path[used++] = '.';
        size_t take = used + klen < cap ? klen : cap - 1 - used;
        memcpy(path + used, k, take);
        used += take;
    }
    path[used] = '\0';
    return used;
}

int jsonfmt_line_value(const struct json_doc *doc, size_t line, const char **value, size_t *len,
                       enum json_class *cls)
{
    if (line >= doc->nlines)
        return -1;
    const struct json_line *l = &doc->lines[line];
    for (size_t i = 0; i < l->len; i++) {
        unsigned char c = doc->cls[l->off + i];
        if (c != JC_STRING && c != JC_NUMBER && c != JC_LITERAL)
            continue;
        size_t j = i;
        while (j < l->len && doc->cls[l->off + j] == c)
            j++;
        *value = doc->text + l->off + i;
        *len = j - i;
        *cls = (enum json_class)c;
        return 0;
    }
    return -1;
}

static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
                     : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                     : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
                                              : 16u;
        if (d == 16)
            return -1;
        *v = *v << 4 | d;
    }
    return 0;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

size_t jsonfmt_unescape(const char *in, size_t len, char *out)
{
    size_t i = 0, n = 0;
    if (len && in[0] == '"')
        i = 1;
    if (len > i && in[len - 1] == '"')
        len--;
    while (i < len) {
        char c = in[i++];
        if (c != '\\' || i >= len) {
            out[n++] = c;
            continue;
        }
        char e = in[i++];
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = strchr(from, e);
        if (e && k) {
            out[n++] = to[k - from];
            continue;
        }
        unsigned cp, lo;
        if (e != 'u' || i + 4 > len || hex4(in + i, &cp) != 0) {
            out[n++] = '\\'; /* not an escape: kept as written */
            out[n++] = e;
            continue;
        }
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && i + 6 <= len && in[i] == '\\' && in[i + 1] == 'u' &&
            hex4(in + i + 2, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
        } else if (cp >= 0xd800 && cp < 0xe000) {
            cp = 0xfffd;
        }
        /* "\u0041" (6 bytes) never decodes to more than 4 bytes: out stays within len */
        n += put_utf8(out + n, cp);
    }
    return n;
}

/* A new NUL-terminated copy of in[0..len), minified when minify is set. */
static char *copy_out(const char *in, size_t len, int minify, size_t *out_len)
{
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    if (minify) {
        *out_len = jsonfmt_minify(in, len, s);
    } else {
        memcpy(s, in, len);
        *out_len = len;
    }
    s[*out_len] = '\0';
    return s;
}

int jsonfmt_line_copy(const struct json_doc *doc, size_t line, char **out, size_t *len)
{
    if (line >= doc->nlines)
        return 0;
    const struct json_line *l = &doc->lines[line];
    const char *t = doc->text + l->off;
    size_t end = l->len;
    while (end && (t[end - 1] == ' ' || t[end - 1] == ','))
        end--;
    if (l->close > (int32_t)line && end && (t[end - 1] == '{' || t[end - 1] == '[')) {
        /* the container the line ends by opening, up to its closing line (lines are contiguous) */
        const struct json_line *c = &doc->lines[l->close];
        size_t stop = c->off + c->len;
        while (stop > c->off && (doc->text[stop - 1] == ' ' || doc->text[stop - 1] == ','))
            stop--;
        size_t from = l->off + end - 1;
        *out = copy_out(doc->text + from, stop - from, 1, len);
        return *out ? 1 : -1;
    }
    const char *v;
    size_t vlen;
    enum json_class cls;
    if (jsonfmt_line_value(doc, line, &v, &vlen, &cls) == 0) {
        if (cls != JC_STRING) {
            *out = copy_out(v, vlen, 0, len);
            return *out ? 1 : -1;
        }
        *out = malloc(vlen + 1);
        if (!*out)
            return -1;
        *len = jsonfmt_unescape(v, vlen, *out);
        (*out)[*len] = '\0';
        return 1;
    }
    /* an empty container, written whole on its line */
    if (end >= 2 && ((t[end - 2] == '{' && t[end - 1] == '}') || (t[end - 2] == '[' && t[end - 1] == ']'))) {
        *out = copy_out(t + end - 2, 2, 0, len);
        return *out ? 1 : -1;
    }
    return 0;
}
