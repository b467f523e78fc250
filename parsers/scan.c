#include "parsers/scan.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/base/timefmt.h"
#include "model/json/jsonscan.h"

/* What the scanner does with the value under a known key. */
enum action {
    A_NONE,
    A_OBJECT,    /* descend: its own keys are in the table */
    A_FIELD,     /* an indexed field (arg: enum event_field) */
    A_TIME,      /* arg 0: eventTime, 1: @timestamp */
    A_READONLY,  /* readOnly */
    A_LOGIN,     /* responseElements.ConsoleLogin */
    A_MFA_ATTR,  /* sessionContext.attributes.mfaAuthenticated */
    A_MFA_USED,  /* additionalEventData.MFAUsed */
    A_DIGEST,    /* arg: 1 digestSignatureAlgorithm, 2 digestPublicKeyFingerprint, 4 digestEndTime */
    A_WRAPPED,   /* lookup-events' CloudTrailEvent */
    A_VERSION,   /* eventVersion */
    A_RESOURCES, /* the resources array: each element is a N_RES_ELEM object */
    A_RES_ARN,   /* arg 0: "ARN", 1: "arn" */
};

enum node_id {
    N_ROOT,
    N_UI,
    N_SC,
    N_ISSUER,
    N_ATTRS,
    N_PARAMS,
    N_RESPONSE,
    N_CREDS,
    N_ROLE_USER,
    N_EXTRA,
    N_TLS,
    N_RES_ELEM,
    N_OBO,
    N__OBJECTS
};

struct node {
    uint8_t parent; /* enum node_id of the object holding the key */
    uint8_t action;
    uint8_t arg;
    uint8_t klen;
    const char *key;
};

#define F(parent, key, field)                                                                                \
    {                                                                                                        \
        parent, A_FIELD, field, sizeof key - 1, key                                                          \
    }
#define O(parent, key, child)                                                                                \
    {                                                                                                        \
        parent, A_OBJECT, child, sizeof key - 1, key                                                         \
    }
#define K(parent, key, action, arg)                                                                          \
    {                                                                                                        \
        parent, action, arg, sizeof key - 1, key                                                             \
    }
/* Grouped by parent: an object's keys are a contiguous run (see child_range). */
static const struct node nodes[] = {
    F(N_ROOT, "eventName", EF_NAME),
    F(N_ROOT, "eventSource", EF_SOURCE),
    F(N_ROOT, "awsRegion", EF_REGION),
    F(N_ROOT, "recipientAccountId", EF_ACCOUNT),
    F(N_ROOT, "sourceIPAddress", EF_IP),
    F(N_ROOT, "userAgent", EF_UA),
    F(N_ROOT, "errorCode", EF_ERROR_CODE),
    F(N_ROOT, "errorMessage", EF_ERROR_MESSAGE),
    F(N_ROOT, "eventType", EF_EVENT_TYPE),
    F(N_ROOT, "eventCategory", EF_EVENT_CATEGORY),
    F(N_ROOT, "eventID", EF_EVENT_ID),
    F(N_ROOT, "sharedEventID", EF_SHARED_ID),
    F(N_ROOT, "requestID", EF_REQUEST_ID),
    K(N_ROOT, "eventTime", A_TIME, 0),
    K(N_ROOT, "@timestamp", A_TIME, 1),
    K(N_ROOT, "readOnly", A_READONLY, 0),
    O(N_ROOT, "userIdentity", N_UI),
    O(N_ROOT, "requestParameters", N_PARAMS),
    O(N_ROOT, "responseElements", N_RESPONSE),
    O(N_ROOT, "additionalEventData", N_EXTRA),
    O(N_ROOT, "tlsDetails", N_TLS),
    K(N_ROOT, "resources", A_RESOURCES, 0),
    K(N_ROOT, "digestSignatureAlgorithm", A_DIGEST, 1),
    K(N_ROOT, "digestPublicKeyFingerprint", A_DIGEST, 2),
    K(N_ROOT, "digestEndTime", A_DIGEST, 4),
    K(N_ROOT, "CloudTrailEvent", A_WRAPPED, 0),
    K(N_ROOT, "eventVersion", A_VERSION, 0),
    F(N_UI, "type", EF_UI_TYPE),
    F(N_UI, "arn", EF_UI_ARN),
    F(N_UI, "accountId", EF_UI_ACCOUNT),
    F(N_UI, "principalId", EF_UI_PRINCIPAL),
    F(N_UI, "userName", EF_UI_USER),
    F(N_UI, "accessKeyId", EF_UI_KEY),
    F(N_UI, "invokedBy", EF_UI_INVOKED_BY),
    O(N_UI, "sessionContext", N_SC),
    O(N_UI, "onBehalfOf", N_OBO),
    F(N_SC, "sourceIdentity", EF_UI_SOURCE_IDENTITY),
    O(N_SC, "sessionIssuer", N_ISSUER),
    O(N_SC, "attributes", N_ATTRS),
    F(N_ISSUER, "arn", EF_UI_ISSUER_ARN),
    F(N_ATTRS, "creationDate", EF_UI_SESSION_CREATED),
    K(N_ATTRS, "mfaAuthenticated", A_MFA_ATTR, 0),
    F(N_PARAMS, "roleArn", EF_ROLE_ARN),
    F(N_PARAMS, "roleSessionName", EF_ROLE_SESSION),
    O(N_RESPONSE, "credentials", N_CREDS),
    O(N_RESPONSE, "assumedRoleUser", N_ROLE_USER),
    K(N_RESPONSE, "ConsoleLogin", A_LOGIN, 0),
    F(N_CREDS, "accessKeyId", EF_ISSUED_KEY),
    F(N_ROLE_USER, "arn", EF_ISSUED_ARN),
    K(N_EXTRA, "MFAUsed", A_MFA_USED, 0),
    F(N_TLS, "clientProvidedHostHeader", EF_TLS_HOST),
    K(N_RES_ELEM, "ARN", A_RES_ARN, 0),
    K(N_RES_ELEM, "arn", A_RES_ARN, 1),
    F(N_OBO, "userId", EF_UI_OBO_USER),
    F(N_OBO, "identityStoreArn", EF_UI_OBO_STORE),
};
#undef F
#undef O
#undef K
#define NNODES (sizeof nodes / sizeof *nodes)
_Static_assert(NNODES <= 64, "the seen mask is 64 bits");

enum vtype { V_ABSENT, V_STRING, V_NUMBER, V_TRUE, V_FALSE, V_NULL, V_OBJECT, V_ARRAY };

struct value {
    uint8_t type;
    const char *s; /* V_STRING: decoded text (cut at a NUL); V_NUMBER: its token */
    size_t len;
    size_t at, end; /* where the value's token starts and ends in the record (end: values under a key) */
};

struct scanner {
    const char *s;
    size_t len, i, depth;
    struct scan_scratch *sc;
    uint64_t seen;             /* nodes whose key was met (the first occurrence wins) */
    struct value vals[NNODES]; /* per node: its value, when the key was met */
    size_t nres, ncuts, nmembers, body;
};

static struct {
    uint8_t first, count;
} child_range[N__OBJECTS];

/* Filled once (pthread_once: the loading threads scan at the same time). */
static void build_ranges(void)
{
    for (size_t n = NNODES; n-- > 0;) {
        child_range[nodes[n].parent].first = (uint8_t)n;
        child_range[nodes[n].parent].count++;
    }
}

static void skip_space(struct scanner *p)
{
    p->i = jscan_blank(p->s, p->len, p->i); /* cJSON's rule for blanks */
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* cJSON reads four digits that are not all hex as 0 (so "\uZZZZ" is a NUL, which cuts the string). */
static long hex4(const char *s)
{
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(s[k]);
        if (h < 0)
            return 0;
        v = v << 4 | h;
    }
    return v;
}

/* Decodes the escape at s[0] == '\\' within s[0..end) into out (when not NULL); returns the bytes it
 * used, or 0 when it is not valid. *outlen receives the bytes written. A NUL decodes as nul_as. */
static size_t unescape_one(const char *s, size_t end, char *out, size_t *outlen, long nul_as)
{
    static const char simple_in[] = "bfnrt\"\\/", simple_out[] = "\b\f\n\r\t\"\\/";
    *outlen = 0;
    if (end == 1) {
        /* A backslash left last by a \u escape that took it as a digit ("\u169\\"): cJSON reads it with
         * the closing quote as an escaped quote (found by fuzz_scan after 5.8M runs). */
        if (out)
            out[0] = '"';
        *outlen = 1;
        return 1;
    }
    if (end < 2)
        return 0;
    const char *hit = memchr(simple_in, s[1], sizeof simple_in - 1);
    if (hit && s[1]) {
        if (out)
            out[0] = simple_out[hit - simple_in];
        *outlen = 1;
        return 2;
    }
    if (s[1] != 'u' || end < 6)
        return 0;
    long cp = hex4(s + 2);
    size_t used = 6;
    if (cp == 0)
        cp = nul_as;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return 0;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end < 12 || s[6] != '\\' || s[7] != 'u')
            return 0;
        long lo = hex4(s + 8);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        cp = 0x10000 + ((cp & 0x3FF) << 10 | (lo & 0x3FF));
        used = 12;
    }
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (out)
        memcpy(out, b, n);
    *outlen = n;
    return used;
}

/* Reads the string at s[i] == '"'. With want, *v gets its text: borrowed from the record when it has no
 * escape, else decoded into the scratch buffer; cut at the first NUL as cJSON's C strings are. A value's
 * escaped NUL would cut it too, and hide what follows from every reader after this (interning, filters,
 * the list: "aws-cli\u0000 sqlmap"): it reads as U+2400, the visible symbol for NUL. A key's stays a NUL,
 * which cuts it, so that keys name the members cJSON names ("userAgent\u0000" is userAgent). */
static int string(struct scanner *p, struct value *v, int is_key)
{
    size_t start = ++p->i;
    unsigned flags;
    size_t end = jscan_string_end(p->s, p->len, start, &flags);
    if (end >= p->len)
        return -1;
    int escaped = flags & JSCAN_ESCAPED;
    if (escaped) {
        char *out = v ? p->sc->buf + p->sc->used : NULL;
        size_t n = 0;
        for (size_t k = start; k < end;) {
            if (p->s[k] != '\\') {
                if (out)
                    out[n] = p->s[k];
                n++, k++;
                continue;
            }
            size_t w, used = unescape_one(p->s + k, end - k, out ? out + n : NULL, &w, is_key ? 0 : 0x2400);
            if (!used) {
                p->i = k;
                return -1;
            }
            k += used;
            n += w;
        }
        if (v) {
            const char *nul = memchr(out, '\0', n);
            v->s = out;
            v->len = nul ? (size_t)(nul - out) : n;
            p->sc->used += n;
        }
    } else if (v) {
        const char *nul = flags & JSCAN_NUL ? memchr(p->s + start, '\0', end - start) : NULL;
        v->s = p->s + start;
        v->len = nul ? (size_t)(nul - v->s) : end - start;
    }
    if (v)
        v->type = V_STRING;
    p->i = end + 1;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* cJSON hands the run of [0-9+-.eE] to strtod, which takes its longest prefix that is a number. (Debian's
 * cJSON 1.7.15 takes the whole run, however long: the 63-byte cap of older versions is gone.) */
static int number(struct scanner *p, struct value *v)
{
    size_t i = p->i, start = i, run = i;
    while (run < p->len && (is_digit(p->s[run]) || p->s[run] == '+' || p->s[run] == '-' || p->s[run] == '.' ||
                            p->s[run] == 'e' || p->s[run] == 'E'))
        run++;
    if (i < run && (p->s[i] == '-' || p->s[i] == '+'))
        i++;
    size_t digits = 0;
    while (i < run && is_digit(p->s[i]))
        i++, digits++;
    if (i < run && p->s[i] == '.') {
        i++;
        while (i < run && is_digit(p->s[i]))
            i++, digits++;
    }
    if (!digits)
        return -1;
    if (i < run && (p->s[i] == 'e' || p->s[i] == 'E')) {
        size_t e = i + 1;
        if (e < run && (p->s[e] == '+' || p->s[e] == '-'))
            e++;
        if (e < run && is_digit(p->s[e])) {
            while (e < run && is_digit(p->s[e]))
                e++;
            i = e;
        }
    }
    if (v)
        *v = (struct value){V_NUMBER, p->s + start, i - start, start, i};
    p->i = i;
    return 0;
}

static int literal(struct scanner *p, const char *word, size_t n)
{
    if (p->len - p->i < n || memcmp(p->s + p->i, word, n) != 0)
        return -1;
    p->i += n;
    return 0;
}

/* Node arguments for values that are not under a key of the table: an element of the resources array,
 * and the record itself. */
#define RESOURCE (-2)
#define ROOT     (-3)

static int value(struct scanner *p, int node, struct value *v);

/* The node for key k[0..n) in object obj, or -1; only its first occurrence counts. */
static int child(struct scanner *p, int obj, const char *k, size_t n)
{
    for (unsigned c = child_range[obj].first, e = c + child_range[obj].count; c < e; c++)
        if (nodes[c].klen == n && memcmp(nodes[c].key, k, n) == 0) {
            if (p->seen >> c & 1)
                return -1;
            p->seen |= 1ull << c;
            return (int)c;
        }
    return -1;
}

/* A string value the index holds (a field below the top level, a resource's "ARN") need not be in the
 * searchable pieces too. Escaped strings stay: the index has their decoded text, a search may want the
 * escaped one. */
static void maybe_cut(struct scanner *p, int node)
{
    const struct value *v = &p->vals[node];
    int indexed = (nodes[node].action == A_FIELD && nodes[node].parent != N_ROOT) ||
                  (nodes[node].action == A_RES_ARN && nodes[node].arg == 0);
    if (!indexed || v->type != V_STRING || v->end - v->at != v->len + 2 || p->ncuts == SCAN_MAX_CUTS)
        return;
    p->sc->cuts[p->ncuts++] = (struct span){v->at, v->len + 2};
}

/* The record's top-level members, for its searchable pieces (parsers/pieces.h). */
static void add_member(struct scanner *p, size_t key, size_t key_end, size_t val)
{
    struct member *m = p->sc->members;
    if (p->nmembers == PIECES_MAX_MEMBERS) { /* the last entry takes the rest */
        m[p->nmembers - 1].key_end = m[p->nmembers - 1].val = m[p->nmembers - 1].key;
        m[p->nmembers - 1].end = p->i;
        return;
    }
    m[p->nmembers++] = (struct member){key, key_end, val, p->i};
}

static int object(struct scanner *p, int obj)
{
    if (p->depth >= SCAN_MAX_DEPTH)
        return -1;
    p->depth++;
    p->i++;
    if (obj == N_ROOT)
        p->body = p->i;
    if (obj == N_RES_ELEM) /* each resource is its own object: its keys count afresh */
        for (unsigned c = child_range[obj].first, e = c + child_range[obj].count; c < e; c++) {
            p->seen &= ~(1ull << c);
            p->vals[c].type = V_ABSENT;
        }
    skip_space(p);
    if (p->i < p->len && p->s[p->i] == '}') {
        p->i++;
        p->depth--;
        return 0;
    }
    for (;;) {
        skip_space(p);
        if (p->i >= p->len || p->s[p->i] != '"')
            return -1;
        int node = -1;
        size_t key_at = p->i;
        if (obj >= 0) {
            struct value key;
            size_t mark = p->sc->used;
            if (string(p, &key, 1) != 0)
                return -1;
            node = child(p, obj, key.s, key.len);
            p->sc->used = mark;
        } else if (string(p, NULL, 1) != 0) {
            return -1;
        }
        size_t key_end = p->i;
        skip_space(p);
        if (p->i >= p->len || p->s[p->i] != ':')
            return -1;
        p->i++;
        skip_space(p);
        size_t val_at = p->i;
        if (value(p, node, node >= 0 ? &p->vals[node] : NULL) != 0)
            return -1;
        if (node >= 0) {
            p->vals[node].end = p->i;
            maybe_cut(p, node);
        }
        if (obj == N_ROOT)
            add_member(p, key_at, key_end, val_at);
        skip_space(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == '}') {
            p->i++;
            p->depth--;
            return 0;
        }
        return -1;
    }
}

static void resource_done(struct scanner *p)
{
    const struct value *up = NULL, *low = NULL;
    for (unsigned c = child_range[N_RES_ELEM].first, e = c + child_range[N_RES_ELEM].count; c < e; c++) {
        if (p->vals[c].type == V_ABSENT)
            continue;
        if (nodes[c].arg == 0)
            up = &p->vals[c];
        else
            low = &p->vals[c];
    }
    /* "ARN" wins when present, whatever its type; "arn" only stands in for a missing one */
    const struct value *arn = up ? up : low;
    if (arn && arn->type == V_STRING && arn->len && p->nres < SCAN_MAX_RESOURCES)
        p->sc->resources[p->nres++] = (struct strref){arn->s, arn->len};
}

static int array(struct scanner *p, int elem)
{
    if (p->depth >= SCAN_MAX_DEPTH)
        return -1;
    p->depth++;
    p->i++;
    skip_space(p);
    if (p->i < p->len && p->s[p->i] == ']') {
        p->i++;
        p->depth--;
        return 0;
    }
    for (;;) {
        skip_space(p);
        struct value v = {0};
        if (value(p, elem, elem == RESOURCE ? &v : NULL) != 0)
            return -1;
        if (elem == RESOURCE && v.type == V_OBJECT)
            resource_done(p);
        skip_space(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == ']') {
            p->i++;
            p->depth--;
            return 0;
        }
        return -1;
    }
}

/* Reads the value at s[i]; node is its place in the table (-1: nothing wanted inside it). */
static int value(struct scanner *p, int node, struct value *v)
{
    if (p->i >= p->len)
        return -1;
    char c = p->s[p->i];
    int obj = node == ROOT ? N_ROOT : node == RESOURCE ? N_RES_ELEM : -1;
    if (node >= 0 && nodes[node].action == A_OBJECT)
        obj = nodes[node].arg;
    if (v)
        v->at = p->i;
    switch (c) {
    case '"':
        return string(p, v, 0);
    case '{':
        if (v)
            v->type = V_OBJECT;
        return object(p, obj);
    case '[':
        if (v)
            v->type = V_ARRAY;
        return array(p, node >= 0 && nodes[node].action == A_RESOURCES ? RESOURCE : -1);
    case 't':
        if (v)
            v->type = V_TRUE;
        return literal(p, "true", 4);
    case 'f':
        if (v)
            v->type = V_FALSE;
        return literal(p, "false", 5);
    case 'n':
        if (v)
            v->type = V_NULL;
        return literal(p, "null", 4);
    default:
        if (c == '-' || is_digit(c))
            return number(p, v);
        return -1;
    }
}

static struct strref text_of(const struct value *v, char *numbuf)
{
    switch (v->type) {
    case V_STRING:
        return (struct strref){v->s, v->len};
    case V_NUMBER: {
        /* An account id logged as a number must still match the same account logged as a string. */
        char small[64], *tok = v->len < sizeof small ? small : malloc(v->len + 1);
        if (!tok)
            return (struct strref){"", 0};
        size_t n = v->len;
        memcpy(tok, v->s, n);
        tok[n] = '\0';
        /* strtod reads the locale's decimal point; the TUI runs with the user's locale */
        const char *point = localeconv()->decimal_point;
        char *dot = memchr(tok, '.', n);
        if (dot && point && point[0] && point[0] != '.' && !point[1])
            *dot = point[0];
        double d = strtod(tok, NULL);
        if (tok != small)
            free(tok);
        int w = (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
                    ? snprintf(numbuf, 32, "%lld", (long long)d)
                    : snprintf(numbuf, 32, "%.17g", d);
        return (struct strref){numbuf, w > 0 ? (size_t)w : 0};
    }
    case V_TRUE:
        return (struct strref){"true", 4};
    case V_FALSE:
        return (struct strref){"false", 5};
    default:
        return (struct strref){"", 0};
    }
}

static int value_is(const struct value *v, const char *s)
{
    size_t n = strlen(s);
    return v->type == V_STRING && v->len == n && memcmp(v->s, s, n) == 0;
}

static int value_is_nocase(const struct value *v, const char *s)
{
    size_t n = strlen(s);
    return v->type == V_STRING && v->len == n && strncasecmp(v->s, s, n) == 0;
}

/* Turns the values met into the event: fields, time, flags. */
static void finish(struct scanner *p, struct scan_result *r)
{
    struct event_in *in = &r->ev;
    in->time_ms = TIME_NONE;
    int64_t times[2] = {TIME_NONE, TIME_NONE};
    int digest = 0, wrapped = 0, version = 0;
    for (unsigned n = 0; n < NNODES; n++) {
        const struct value *v = &p->vals[n];
        if (!(p->seen >> n & 1))
            continue;
        switch (nodes[n].action) {
        case A_FIELD:
            in->f[nodes[n].arg] = text_of(v, p->sc->numbers[nodes[n].arg]);
            if (nodes[n].arg == EF_UI_USER && value_is(v, "HIDDEN_DUE_TO_SECURITY_REASONS"))
                in->flags |= EVF_USER_MASKED;
            if (nodes[n].arg == EF_EVENT_TYPE && value_is(v, "AwsCloudTrailInsight"))
                in->flags |= EVF_INSIGHT;
            break;
        case A_WRAPPED:
            wrapped = v->type == V_STRING;
            r->wrap_off = v->at;
            r->wrap_len = v->end - v->at;
            r->wrap_text = (struct strref){v->s, v->len};
            break;
        case A_VERSION:
            version = 1;
            break;
        case A_TIME: {
            int64_t ms;
            if (v->type == V_STRING && timefmt_parse(v->s, v->len, &ms) == 0)
                times[nodes[n].arg] = ms;
            break;
        }
        case A_READONLY:
            /* some exporters write the flag as a string, capitalised ("True") */
            if (v->type == V_TRUE || value_is_nocase(v, "true"))
                in->flags |= EVF_READONLY_TRUE;
            else if (v->type == V_FALSE || value_is_nocase(v, "false"))
                in->flags |= EVF_READONLY_FALSE;
            break;
        case A_LOGIN:
            if (value_is(v, "Failure"))
                in->flags |= EVF_LOGIN_FAILURE;
            break;
        case A_MFA_ATTR:
            if (value_is(v, "true"))
                in->flags |= EVF_MFA;
            break;
        case A_MFA_USED:
            if (value_is(v, "Yes"))
                in->flags |= EVF_MFA;
            break;
        case A_DIGEST:
            digest |= nodes[n].arg;
            break;
        default:
            break;
        }
    }
    /* An event's time is its eventTime, one rule everywhere: without it the event sorts last, shows '-'
     * and matches neither after: nor before:. A shipper's @timestamp (Logstash, Fluentd) is when the
     * shipper saw the record, not when the call was made; it only says the object is an event. */
    in->time_ms = times[0];
    r->shipper_time = times[1] != TIME_NONE;
    in->resources = p->sc->resources;
    in->nresources = p->nres;
    r->cuts = p->sc->cuts;
    r->ncuts = p->ncuts;
    r->members = p->sc->members;
    r->nmembers = p->nmembers;
    r->body = p->body;
    r->is_digest = (digest & 1) || (digest & 6) == 6;
    r->wrapped = wrapped && !version;
}

/* build_ranges counts: it must run once for both entry points */
static pthread_once_t ranges_once = PTHREAD_ONCE_INIT;

int scan_record(const char *rec, size_t len, struct scan_result *r, struct scan_scratch *sc, size_t *err_at)
{
    pthread_once(&ranges_once, build_ranges);
    memset(r, 0, sizeof *r);
    if (sc->cap < len + 1) {
        char *b = realloc(sc->buf, len + 1);
        if (!b) {
            *err_at = 0;
            return -1;
        }
        sc->buf = b;
        sc->cap = len + 1;
    }
    sc->used = 0;
    struct scanner p = {.s = rec, .len = len, .sc = sc};
    /* a UTF-8 byte order mark, skipped as cJSON does (only when four more bytes could follow it) */
    if (len >= 5 && memcmp(rec, "\xEF\xBB\xBF", 3) == 0)
        p.i = 3;
    skip_space(&p);
    int is_object = p.i < len && rec[p.i] == '{';
    struct value top = {0};
    if (value(&p, is_object ? ROOT : -1, &top) != 0) {
        *err_at = p.i < len ? p.i : (len ? len - 1 : 0);
        return -1;
    }
    r->is_object = is_object;
    if (!is_object)
        return 0;
    finish(&p, r);
    return 0;
}

size_t scan_record_at(const char *rec, size_t avail, struct scan_result *r, struct scan_scratch *sc)
{
    pthread_once(&ranges_once, build_ranges);
    memset(r, 0, sizeof *r);
    /* unescaped strings go to the scratch, at most the record's bytes: room for avail */
    if (avail == 0 || rec[0] != '{')
        return 0;
    if (sc->cap < avail + 1) {
        char *b = realloc(sc->buf, avail + 1);
        if (!b)
            return 0;
        sc->buf = b;
        sc->cap = avail + 1;
    }
    sc->used = 0;
    struct scanner p = {.s = rec, .len = avail, .sc = sc};
    struct value top = {0};
    if (value(&p, ROOT, &top) != 0)
        return 0;
    r->is_object = 1;
    finish(&p, r);
    return p.i;
}

void scan_scratch_free(struct scan_scratch *sc)
{
    free(sc->buf);
    sc->buf = NULL;
    sc->cap = sc->used = 0;
}
