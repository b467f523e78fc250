/* path: parsing paths and reading their values from JSON bytes. See path.h for the rules. */
#include "model/json/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/json/jsonfmt.h"
#include "model/json/jsonscan.h"

/* Top-level keys of a CloudTrail record, from AWS's "CloudTrail record contents" pages (management,
 * data, network activity and Insights events). A word without a '.' is a path only when it is one of
 * these, so a mistyped short field name stays an error instead of silently selecting nothing. */
static const char *const record_keys[] = {
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "serviceEventDetails",
    "sharedEventID",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "eventCategory",
    "addendum",
    "sessionCredentialFromConsole",
    "edgeDeviceDetails",
    "tlsDetails",
    "insightDetails",
    "eventContext",
};

const char *const *path_record_keys(size_t *n)
{
    *n = sizeof record_keys / sizeof *record_keys;
    return record_keys;
}

int path_is_record_key(const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof record_keys / sizeof *record_keys; i++)
        if (strlen(record_keys[i]) == len && memcmp(record_keys[i], word, len) == 0)
            return 1;
    return 0;
}

int path_is_word(const char *word, size_t len)
{
    return memchr(word, '.', len) != NULL || path_is_record_key(word, len);
}

static int key_byte_ok(unsigned char c)
{
    return c > ' ' && c != 0x7f && !strchr(".:\"\\()*", c);
}

int path_parse(const char *text, size_t len, struct path *p, struct path_error *err)
{
    memset(p, 0, sizeof *p);
    err->message[0] = '\0';
    int shown = len > 80 ? 80 : (int)len;
    if (len == 0) {
        snprintf(err->message, sizeof err->message, "empty path");
        return -1;
    }
    if (len > PATH_MAX_LEN) {
        snprintf(err->message, sizeof err->message, "bad path '%.*s...': longer than %d bytes", shown, text,
                 PATH_MAX_LEN);
        return -1;
    }
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '.') {
            if (!key_byte_ok((unsigned char)text[i])) {
                if ((unsigned char)text[i] < ' ' || text[i] == 0x7f)
                    snprintf(err->message, sizeof err->message,
                             "bad path: control character at byte %zu (keys are dotted JSON names)", i + 1);
                else
                    snprintf(err->message, sizeof err->message,
                             "bad path '%.*s': '%c' at byte %zu (keys are dotted JSON names)", shown, text,
                             text[i], i + 1);
                return -1;
            }
            continue;
        }
        if (i == start) {
            snprintf(err->message, sizeof err->message, "bad path '%.*s': empty key at byte %zu", shown, text,
                     i + 1);
            return -1;
        }
        if (p->nsteps == PATH_MAX_STEPS) {
            snprintf(err->message, sizeof err->message, "bad path '%.*s': more than %d keys", shown, text,
                     PATH_MAX_STEPS);
            return -1;
        }
        p->steps[p->nsteps++] = (struct path_step){NULL, i - start};
        start = i + 1;
    }
    p->text = strndup(text, len);
    if (!p->text) {
        snprintf(err->message, sizeof err->message, "out of memory");
        p->nsteps = 0;
        return -1;
    }
    p->len = len;
    size_t off = 0;
    for (size_t k = 0; k < p->nsteps; k++) {
        p->steps[k].key = p->text + off;
        off += p->steps[k].len + 1;
    }
    return 0;
}

void path_free(struct path *p)
{
    free(p->text);
    memset(p, 0, sizeof *p);
}

void path_values_init(struct path_values *v)
{
    memset(v, 0, sizeof *v);
}

void path_values_free(struct path_values *v)
{
    free(v->text);
    free(v->off);
    memset(v, 0, sizeof *v);
}

void path_values_clear(struct path_values *v)
{
    v->n = 0;
    v->text_len = 0;
}

const char *path_value(const struct path_values *v, size_t k, size_t *len)
{
    *len = v->off[k + 1] - v->off[k] - 1;
    return v->text + v->off[k];
}

/* Makes room for a value of up to len bytes and returns where to write it; NULL when out of memory.
 * The value is committed by commit_value. */
static char *reserve(struct path_values *v, size_t len)
{
    if (v->n + 2 > v->off_cap) {
        size_t cap = v->off_cap ? v->off_cap * 2 : 8;
        size_t *o = realloc(v->off, cap * sizeof *o);
        if (!o)
            return NULL;
        v->off = o;
        v->off_cap = cap;
    }
    if (v->text_len + len + 1 > v->text_cap) {
        size_t cap = v->text_cap ? v->text_cap : 256;
        while (cap < v->text_len + len + 1)
            cap *= 2;
        char *t = realloc(v->text, cap);
        if (!t)
            return NULL;
        v->text = t;
        v->text_cap = cap;
    }
    if (v->n == 0)
        v->off[0] = 0;
    return v->text + v->text_len;
}

static void commit_value(struct path_values *v, size_t len)
{
    v->text[v->text_len + len] = '\0';
    v->text_len += len + 1;
    v->n++;
    v->off[v->n] = v->text_len;
}

int path_values_push(struct path_values *v, const char *s, size_t len)
{
    char *dst = reserve(v, len);
    if (!dst)
        return -1;
    memcpy(dst, s, len);
    commit_value(v, len);
    return 0;
}

/* A cursor over JSON bytes. Every function stops at the end of the input, so damaged text is read as
 * far as it goes and never past it. */
struct cur {
    const char *s;
    size_t n, i;
    struct path_values *out;
    int nomem;
};

static void skip_ws(struct cur *c)
{
    c->i = jscan_ws(c->s, c->n, c->i);
}

/* At the first byte of any value: moves past it (model/json/jsonscan.h). Returns 0, or -1 when the
 * value runs past the end of the input. */
static int skip_value(struct cur *c)
{
    if (c->i >= c->n)
        return -1;
    int cut;
    c->i = jscan_skip_value(c->s, c->n, c->i, &cut);
    return cut ? -1 : 0;
}

/* The value starting at c->i is a leaf: appends it to the output (nothing for null). */
static void emit_leaf(struct cur *c)
{
    size_t start = c->i;
    char ch = c->s[start];
    int ok = skip_value(c) == 0;
    size_t len = c->i - start;
    if (!ok || len == 0)
        return;
    if (len == 4 && memcmp(c->s + start, "null", 4) == 0)
        return;
    char *dst = reserve(c->out, len);
    if (!dst) {
        c->nomem = 1;
        return;
    }
    size_t w;
    if (ch == '"')
        w = jsonfmt_unescape(c->s + start, len, dst);
    else if (ch == '{' || ch == '[')
        w = jsonfmt_minify(c->s + start, len, dst);
    else {
        memcpy(dst, c->s + start, len);
        w = len;
    }
    commit_value(c->out, w);
}

/* Whether the key token c->s[a..b) (quotes included) equals the step's key once unescaped. */
static int key_equals(const struct cur *c, size_t a, size_t b, const struct path_step *st)
{
    size_t inner = b - a - 2;
    if (!memchr(c->s + a + 1, '\\', inner))
        return inner == st->len && memcmp(c->s + a + 1, st->key, st->len) == 0;
    if (inner > 4 * PATH_MAX_LEN)
        return 0;
    char buf[4 * PATH_MAX_LEN + 2];
    size_t n = jsonfmt_unescape(c->s + a, b - a, buf);
    return n == st->len && memcmp(buf, st->key, n) == 0;
}

#define MAX_ARRAY_NESTING 64

/* The value at c->i, with steps [k, nsteps) still to apply. Leaves the cursor after the value. */
static void walk(struct cur *c, const struct path *p, size_t k, int arrays)
{
    if (c->nomem)
        return;
    if (k == p->nsteps) {
        emit_leaf(c);
        return;
    }
    char ch = c->i < c->n ? c->s[c->i] : '\0';
    if (ch == '[') {
        if (arrays >= MAX_ARRAY_NESTING) {
            skip_value(c);
            return;
        }
        c->i++;
        for (;;) {
            skip_ws(c);
            if (c->i >= c->n)
                return;
            if (c->s[c->i] == ']') {
                c->i++;
                return;
            }
            if (c->s[c->i] == ',') {
                c->i++;
                continue;
            }
            size_t before = c->i;
            walk(c, p, k, arrays + 1);
            if (c->nomem || c->i == before)
                return;
        }
    }
    if (ch != '{') {
        skip_value(c);
        return;
    }
    c->i++;
    int found = 0;
    for (;;) {
        size_t ka, kb;
        enum jscan_member m = jscan_next_member(c->s, c->n, &c->i, &ka, &kb);
        if (m == JSCAN_BAD) /* damaged: give up on this object */
            c->i = c->n;
        if (m != JSCAN_MEMBER || c->i >= c->n)
            return;
        size_t before = c->i;
        if (!found && key_equals(c, ka, kb, &p->steps[k])) {
            found = 1;
            walk(c, p, k + 1, arrays);
        } else if (skip_value(c) != 0) {
            return;
        }
        if (c->nomem || c->i == before)
            return;
    }
}

int path_get(const struct path *p, const char *json, size_t len, struct path_values *v)
{
    path_values_clear(v);
    if (p->nsteps == 0)
        return 0;
    struct cur c = {json, len, 0, v, 0};
    skip_ws(&c);
    walk(&c, p, 0, 0);
    return c.nomem ? -1 : (int)v->n;
}
