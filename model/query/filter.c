/* filter: syntax and compilation. Evaluation is in filter_eval.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/query/filter_impl.h"
#include "model/base/filterquote.h"
#include "model/base/grow.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"

/* The fields, in the order help lists them. */
static const struct field_spec field_specs[] = {
    {"name", TK_GLOB, XF_NONE, {EF_NAME}, 1},
    {"src", TK_GLOB, XF_SERVICE, {EF_SOURCE}, 1},
    {"user", TK_GLOB, XF_TAIL, {EF_UI_USER, EF_UI_ARN, EF_UI_PRINCIPAL, EF_UI_OBO_USER}, 4},
    {"acct", TK_GLOB, XF_NONE, {EF_ACCOUNT, EF_UI_ACCOUNT}, 2},
    {"region", TK_GLOB, XF_NONE, {EF_REGION}, 1},
    {"type", TK_GLOB, XF_NONE, {EF_UI_TYPE}, 1},
    {"ip", TK_IP, XF_NONE, {EF_IP}, 1},
    {"key", TK_GLOB, XF_NONE, {EF_UI_KEY, EF_ISSUED_KEY}, 2},
    {"id", TK_GLOB, XF_NONE, {EF_EVENT_ID}, 1},
    {"shared", TK_GLOB, XF_NONE, {EF_SHARED_ID}, 1},
    {"req", TK_GLOB, XF_NONE, {EF_REQUEST_ID}, 1},
    {"error", TK_ERROR, XF_NONE, {EF_ERROR_CODE, EF_ERROR_MESSAGE}, 2},
    {"ro", TK_RO, XF_NONE, {0}, 0},
    {"ua", TK_GLOB, XF_NONE, {EF_UA}, 1},
    {"res", TK_RES, XF_NONE, {0}, 0},
    {"etype", TK_GLOB, XF_NONE, {EF_EVENT_TYPE}, 1},
    {"cat", TK_GLOB, XF_NONE, {EF_EVENT_CATEGORY}, 1},
    {"role", TK_GLOB, XF_NONE, {EF_ROLE_ARN, EF_UI_ISSUER_ARN}, 2},
    {"srcid", TK_GLOB, XF_NONE, {EF_UI_SOURCE_IDENTITY}, 1},
    {"host", TK_GLOB, XF_NONE, {EF_TLS_HOST}, 1},
    {"origin", TK_ORIGIN, XF_TAIL, {0}, 0},
    {"after", TK_AFTER, XF_NONE, {0}, 0},
    {"before", TK_BEFORE, XF_NONE, {0}, 0},
    {"rule", TK_RULE, XF_NONE, {0}, 0},
    {"level", TK_LEVEL, XF_NONE, {0}, 0},
    {"outcome", TK_OUTCOME, XF_NONE, {0}, 0},
    {"tag", TK_FIELD, XF_NONE, {0}, 0},
    {"note", TK_FIELD, XF_NONE, {0}, 0},
};
#define NSPECS (sizeof field_specs / sizeof *field_specs)

const char *filter_field_names(void)
{
    return "name src user acct region type ip key id shared req error ro ua res etype cat role srcid host "
           "origin after before rule level outcome tag note";
}

#define MAX_DEPTH 64
#define MAX_NODES 1000

struct parser {
    const char *src;
    size_t pos;
    struct filter *f;
    struct filter_error *err;
    int failed;
    const struct tz *tz; /* borrowed: the zone of a time without its own; NULL: UTC */
};

static int column_of(const char *src, size_t pos)
{
    int col = 1;
    for (size_t i = 0; i < pos && src[i]; i++)
        if (((unsigned char)src[i] & 0xc0) != 0x80)
            col++;
    return col;
}

static int fail(struct parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct parser *p, size_t at, const char *fmt, ...)
{
    if (p->failed)
        return -1;
    p->failed = 1;
    p->err->column = column_of(p->src, at);
    char what[280];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(p->err->message, sizeof p->err->message, "column %d: %s", p->err->column, what);
    return -1;
}

static int nomem(struct parser *p)
{
    if (!p->failed) {
        p->failed = 1;
        p->err->column = 0;
        snprintf(p->err->message, sizeof p->err->message, "out of memory");
    }
    return -1;
}

static int new_node(struct parser *p, enum node_kind kind, int left, int right)
{
    struct filter *f = p->f;
    /* each node holds bit chunks and costs a pass over every event: thousands of terms are a pasted
     * accident, not a question (and chains of them recurse as deep in the evaluation) */
    if (f->nnodes >= MAX_NODES)
        return fail(p, p->pos, "more than %d terms and operators", MAX_NODES);
    if (grow_array_from((void **)&f->nodes, &f->cap, f->nnodes + 1, sizeof *f->nodes, 8) != 0)
        return nomem(p);
    struct node *n = &f->nodes[f->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->left = left;
    n->right = right;
    n->bits = malloc(FILTER_CHUNK_WORDS * sizeof *n->bits);
    if (kind == NODE_AND || kind == NODE_OR)
        n->care = malloc(FILTER_CHUNK_WORDS * sizeof *n->care);
    f->nnodes++;
    if (!n->bits || ((kind == NODE_AND || kind == NODE_OR) && !n->care))
        return nomem(p);
    return (int)(f->nnodes - 1);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_spaces(struct parser *p)
{
    while (is_space(p->src[p->pos]))
        p->pos++;
}

/* Whether the OR keyword starts at pos: "OR" standing alone. */
static int at_or(const struct parser *p)
{
    const char *s = p->src + p->pos;
    return s[0] == 'O' && s[1] == 'R' && (s[2] == '\0' || is_space(s[2]) || s[2] == '(' || s[2] == ')');
}

/* Reads a quoted string starting at the '"' at p->pos into a new string (owned); NULL on error. */
static char *read_quoted(struct parser *p, size_t *len)
{
    size_t open = p->pos;
    const char *end = filterquote_read(p->src + open, NULL, len);
    if (!end) {
        fail(p, open, "unclosed '\"'");
        return NULL;
    }
    char *out = malloc(*len + 1);
    if (!out) {
        nomem(p);
        return NULL;
    }
    filterquote_read(p->src + open, out, len);
    out[*len] = '\0';
    p->pos = (size_t)(end - p->src);
    return out;
}

static const struct field_spec *find_spec(const char *name, size_t len)
{
    for (size_t i = 0; i < NSPECS; i++)
        if (strlen(field_specs[i].name) == len && strncasecmp(field_specs[i].name, name, len) == 0)
            return &field_specs[i];
    return NULL;
}

static int is_timeish(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr("0123456789-:TtZz.*", s[i]))
            return 0;
    return len > 0;
}

/* Gives a term its meaning; the pattern is already in t->pat. Returns 0 or -1 (p failed). */
static int compile_term(struct parser *p, struct term *t, size_t at, const char *text, int textlen)
{
    const char *v = t->pat;
    size_t len = t->plen;
    if (t->re && t->kind != TK_RULE && t->kind != TK_FIELD)
        return 0; /* searched in the field's strings as they are: no CIDR, no error:* (read_regex) */
    switch (t->kind) {
    case TK_WORD:
        t->timeish = is_timeish(v, len);
        return 0;
    case TK_IP:
        if (memchr(v, '/', len)) {
            if (ipnet_parse(v, len, &t->net) != 0)
                return fail(p, at, "bad CIDR '%s' in '%.*s'", v, textlen, text);
            t->use_net = 1;
        } else if (!memchr(v, '*', len) && ipnet_parse(v, len, &t->net) == 0) {
            t->use_net = 1;
        }
        return 0;
    case TK_ERROR:
        t->any = len == 1 && v[0] == '*';
        return 0;
    case TK_RO:
        if (strcasecmp(v, "true") == 0)
            t->ro = 1;
        else if (strcasecmp(v, "false") == 0)
            t->ro = 0;
        else
            return fail(p, at, "'ro' takes true or false, not '%s'", v);
        return 0;
    case TK_OUTCOME:
        if (strcasecmp(v, "failed") == 0)
            t->failed = 1;
        else if (strcasecmp(v, "ok") == 0)
            t->failed = 0;
        else
            return fail(p, at, "'outcome' takes failed or ok, not '%s'", v);
        return 0;
    case TK_AFTER:
    case TK_BEFORE:
        if (p->tz ? tz_parse(p->tz, v, len, &t->time) != 0 : timefmt_parse(v, len, &t->time) != 0)
            return fail(p, at,
                        "bad date '%s' in '%.*s' (use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], in %s unless it "
                        "ends with Z or +HH:MM)",
                        v, textlen, text, p->tz && !p->tz->utc ? p->tz->name : "UTC");
        return 0;
    case TK_GLOB:
    case TK_RES:
    case TK_ORIGIN:
    case TK_INDEXED:
    case TK_PATH:
        return 0;
    case TK_FIELD: {
        struct field_error ferr;
        t->fld = malloc(sizeof *t->fld);
        if (!t->fld || field_parse(t->spec->name, strlen(t->spec->name), t->fld, &ferr) != 0) {
            free(t->fld);
            t->fld = NULL;
            return nomem(p); /* the name is the field table's own */
        }
        return 0;
    }
    case TK_RULE:
    case TK_LEVEL: {
        const char *why = NULL;
        int rc = filter_findings_compile(p->f->s, t, &why);
        if (rc == -1)
            return fail(p, at, "bad level '%s' in '%.*s': %s", v, textlen, text, why);
        return rc == 0 ? 0 : nomem(p);
    }
    }
    return 0;
}

/* Undoes what name_kind took for a path term that is not kept. */
static void drop_term_path(struct parser *p, struct term *t)
{
    path_free(&t->path);
    pathindex_release((struct store *)p->f->s, t->px);
    t->px = NULL;
}

/* Frees what a term that is not kept owns. */
static void drop_term(struct parser *p, struct term *t)
{
    free(t->pat);
    filter_re_free(t->re);
    t->re = NULL;
    drop_term_path(p, t);
}

/* What a field takes instead of a regular expression, for the fields whose values are not text. */
static const char *no_regex(enum term_kind k)
{
    switch (k) {
    case TK_RO:
        return "true or false";
    case TK_OUTCOME:
        return "failed or ok";
    case TK_AFTER:
    case TK_BEFORE:
        return "a date";
    case TK_LEVEL:
        return "a level";
    default:
        return NULL;
    }
}

/* Reads the /REGEX/ at p->pos into t (its text into t->pat, compiled into t->re) and moves past it; at
 * is where the term starts. Returns 0 or -1 (p failed; t->pat and t->re left NULL). */
static int read_regex(struct parser *p, struct term *t, size_t at)
{
    size_t open = p->pos;
    const char *s = p->src, *end = filterquote_regex_end(s + open);
    const char *takes = t->spec ? no_regex(t->kind) : NULL;
    if (takes)
        return fail(p, at, "'%s' takes %s, not a regular expression", t->spec->name, takes);
    if (!end)
        return fail(p, open,
                    "unclosed '/' of a regular expression (write a '/' inside one as '\\/'; quote text to "
                    "search for it: \"/aws/lambda\")");
    size_t close = (size_t)(end - s);
    if (s[close] && !is_space(s[close]) && s[close] != ')')
        return fail(p, close,
                    "a regular expression ends at its closing '/', and a space or ')' must follow (write a "
                    "'/' inside one as '\\/'; quote text to search for it: \"/aws/lambda\")");
    size_t len = close - open - 2;
    if (len == 0)
        return fail(p, open, "empty regular expression '//'");
    if (len > FILTER_RE_MAX_LEN)
        return fail(p, open, "regular expression of %zu bytes: at most %u", len, FILTER_RE_MAX_LEN);
    char msg[160];
    size_t off = 0;
    int rc = filter_re_compile(s + open + 1, len, &t->re, msg, sizeof msg, &off);
    if (rc == -2)
        return nomem(p);
    if (rc == -1)
        return fail(p, open + 1 + off, "bad regular expression '%.*s': %s (at byte %zu of it)",
                    len > 60 ? 60 : (int)len, s + open + 1, msg, off + 1);
    t->pat = strndup(s + open + 1, len);
    if (!t->pat) {
        filter_re_free(t->re);
        t->re = NULL;
        return nomem(p);
    }
    t->plen = len;
    p->pos = close;
    return 0;
}

/* Whether name[0..len), written before a ':', makes the term a field term, and which: a short field
 * (letters), a JSON path (with a '.', or a top-level key of the CloudTrail record), or an error for
 * any other word of letters (a typo never silently selects nothing). Other words (an ARN, a time, an
 * IPv6 address) stay words. Returns 1 for a field term (t filled), 0 for a word, -1 on error. */
static int name_kind(struct parser *p, struct term *t, const char *name, size_t len, size_t at, int textlen)
{
    int letters = 1;
    for (size_t i = 0; i < len; i++)
        letters &= (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z');
    int dotted = memchr(name, '.', len) != NULL;
    if (!letters && !dotted)
        return 0;
    if (letters && (t->spec = find_spec(name, len)) != NULL) {
        t->kind = t->spec->kind;
        return 1;
    }
    if (!path_is_word(name, len))
        return fail(p, at,
                    "unknown field '%.*s' in '%.*s' (fields: %s; or a JSON path such as "
                    "requestParameters.roleArn; quote a word to search for it as text)",
                    (int)len, name, textlen, name, filter_field_names());
    struct path_error perr;
    if (path_parse(name, len, &t->path, &perr) != 0)
        return fail(p, at, "%s in '%.*s'", perr.message, textlen, name);
    t->kind = TK_PATH;
    for (int k = 0; k < EF__COUNT; k++)
        if (strcmp(event_field_path((enum event_field)k), t->path.text) == 0) {
            t->kind = TK_INDEXED;
            t->ef = (enum event_field)k;
        }
    if (t->kind == TK_PATH) {
        /* The index is a cache the store keeps for every later filter: filling it changes no event. */
        t->px = pathindex_get((struct store *)p->f->s, &t->path);
        if (!t->px) {
            path_free(&t->path);
            return nomem(p);
        }
    }
    return 1;
}

static int parse_term(struct parser *p)
{
    size_t start = p->pos;
    const char *s = p->src;
    struct term t = {0};
    t.kind = TK_WORD;
    if (s[start] == '"') {
        t.pat = read_quoted(p, &t.plen);
        if (!t.pat)
            return -1;
    } else if (s[start] == '/') {
        if (read_regex(p, &t, start) != 0)
            return -1;
    } else {
        size_t end = start;
        while (s[end] && !is_space(s[end]) && s[end] != ')')
            end++;
        size_t name_end = start;
        while (name_end < end && s[name_end] != ':' && s[name_end] != '"' && s[name_end] != '(')
            name_end++;
        int textlen = (int)(end - start);
        if (name_end > start && name_end < end && s[name_end] == ':' &&
            name_kind(p, &t, s + start, name_end - start, start, textlen) != 0) {
            if (p->failed)
                return -1;
            p->pos = name_end + 1;
            if (s[p->pos] == '"' || s[p->pos] == '/') {
                if (s[p->pos] == '"' ? (t.pat = read_quoted(p, &t.plen)) == NULL
                                     : read_regex(p, &t, start) != 0) {
                    drop_term(p, &t);
                    return -1;
                }
                end = p->pos;
            }
        }
        int field = t.kind != TK_WORD;
        if (!t.pat) {
            size_t vstart = field ? name_end + 1 : start;
            t.plen = end - vstart;
            t.pat = strndup(s + vstart, t.plen);
            if (!t.pat) {
                drop_term(p, &t);
                return nomem(p);
            }
            p->pos = end;
        }
        if (field && t.plen == 0) {
            drop_term(p, &t);
            return fail(p, start, "missing value after '%.*s'", (int)(name_end - start + 1), s + start);
        }
    }
    if (compile_term(p, &t, start, s + start, (int)(p->pos - start)) != 0) {
        drop_term(p, &t);
        return -1;
    }
    if (t.kind == TK_WORD)
        p->f->nwords++;
    int n = new_node(p, NODE_TERM, -1, -1);
    if (n < 0) {
        drop_term(p, &t);
        return -1;
    }
    p->f->nodes[n].term = t;
    return n;
}

static int parse_expr(struct parser *p, int depth);

static int parse_unary(struct parser *p, int depth)
{
    if (depth > MAX_DEPTH)
        return fail(p, p->pos, "expression nested too deeply");
    skip_spaces(p);
    size_t at = p->pos;
    char c = p->src[at];
    if (c == '-') {
        char next = p->src[at + 1];
        if (next == '\0' || is_space(next) || next == ')')
            return fail(p, at, "'-' needs a term after it");
        p->pos++;
        int child = parse_unary(p, depth + 1);
        return child < 0 ? -1 : new_node(p, NODE_NOT, child, -1);
    }
    if (c == '(') {
        p->pos++;
        int e = parse_expr(p, depth + 1);
        if (e < 0)
            return -1;
        skip_spaces(p);
        if (p->src[p->pos] != ')')
            return fail(p, at, "unclosed '('");
        p->pos++;
        if (p->f->nodes[e].kind == NODE_ALL)
            return fail(p, at, "empty '()'");
        return e;
    }
    if (at_or(p))
        return fail(p, at, "'OR' needs a term before it");
    return parse_term(p);
}

static int parse_group(struct parser *p, int depth)
{
    int n = parse_unary(p, depth);
    while (n >= 0) {
        size_t save = p->pos;
        skip_spaces(p);
        if (!at_or(p)) {
            p->pos = save;
            break;
        }
        size_t or_at = p->pos;
        p->pos += 2;
        skip_spaces(p);
        char c = p->src[p->pos];
        if (c == '\0' || c == ')' || at_or(p))
            return fail(p, or_at, "'OR' needs a term after it");
        int m = parse_unary(p, depth + 1);
        if (m < 0)
            return -1;
        n = new_node(p, NODE_OR, n, m);
    }
    return n;
}

/* Terms up to the end or a ')', all of which must hold. */
static int parse_expr(struct parser *p, int depth)
{
    int n = -1;
    for (;;) {
        skip_spaces(p);
        char c = p->src[p->pos];
        if (c == '\0')
            break;
        if (c == ')') {
            if (depth == 0)
                return fail(p, p->pos, "unexpected ')'");
            break;
        }
        int m = parse_group(p, depth);
        if (m < 0)
            return -1;
        n = n < 0 ? m : new_node(p, NODE_AND, n, m);
        if (n < 0)
            return -1;
    }
    return n < 0 ? new_node(p, NODE_ALL, -1, -1) : n;
}

struct filter *filter_compile(const char *expr, const struct store *s, struct filter_error *err)
{
    return filter_compile_tz(expr, s, NULL, err);
}

struct filter *filter_compile_tz(const char *expr, const struct store *s, const struct tz *z,
                                 struct filter_error *err)
{
    memset(err, 0, sizeof *err);
    size_t len = expr ? strlen(expr) : 0;
    if (len > FILTER_MAX_LEN) {
        err->column = 1;
        snprintf(err->message, sizeof err->message, "a filter of %zu bytes: at most %u", len, FILTER_MAX_LEN);
        return NULL;
    }
    struct filter *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    f->s = s;
    f->nstrings = intern_count(s->strings);
    struct parser p = {expr ? expr : "", 0, f, err, 0, z};
    f->root = parse_expr(&p, 0);
    if (f->root < 0 || p.failed) {
        filter_free(f);
        return NULL;
    }
    filter_regex_bound(f, 0); /* a give-up never lets an event in, under a '-' either */
    return f;
}

void filter_free(struct filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nnodes; i++) {
        free(f->nodes[i].term.pat);
        filter_re_free(f->nodes[i].term.re);
        free(f->nodes[i].term.memo);
        free(f->nodes[i].term.rules);
        free(f->nodes[i].term.hits);
        path_free(&f->nodes[i].term.path);
        /* the store keeps the index as a cache for later filters on the path */
        pathindex_release((struct store *)f->s, f->nodes[i].term.px);
        if (f->nodes[i].term.fld)
            field_free(f->nodes[i].term.fld);
        free(f->nodes[i].term.fld);
        field_keys_free(&f->nodes[i].term.fkeys);
        free(f->nodes[i].bits);
        free(f->nodes[i].care);
    }
    free(f->nodes);
    for (int k = 0; k < FILTER_WORD_LANES; k++)
        intern_cursor_free(&f->cold[k]);
    free(f);
}

int filter_is_all(const struct filter *f)
{
    return f->nodes[f->root].kind == NODE_ALL;
}

int filter_uses_origins(const struct filter *f)
{
    for (size_t i = 0; i < f->nnodes; i++)
        if (f->nodes[i].kind == NODE_TERM && f->nodes[i].term.kind == TK_ORIGIN)
            return 1;
    return 0;
}

int filter_has_words(const struct filter *f)
{
    return f->nwords > 0;
}
