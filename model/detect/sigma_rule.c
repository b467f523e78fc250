/* sigma_rule: reads Sigma rules (YAML, through libyaml's document loader) into compiled rules, and
 * refuses, with file, line and reason, every rule outside the subset the engine runs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "model/base/jit.h"
#include "model/base/grow.h"
#include "model/json/path.h"
#include "model/detect/sigma_impl.h"

static const char *const level_names[SIGMA__LEVELS] = {"informational", "low", "medium", "high", "critical"};

const char *sigma_level_name(enum sigma_level l)
{
    return (unsigned)l < SIGMA__LEVELS ? level_names[l] : "?";
}

int sigma_level_parse(const char *s, size_t len)
{
    for (int l = 0; l < SIGMA__LEVELS; l++)
        if (strlen(level_names[l]) == len && strncasecmp(level_names[l], s, len) == 0)
            return l;
    return -1;
}

/* Value modifiers (the specification's names). A modifier may not follow one it excludes (either way)
 * and needs the ones in `needs` before it. */
enum {
    M_CONTAINS = 1 << 0,
    M_STARTSWITH = 1 << 1,
    M_ENDSWITH = 1 << 2,
    M_ALL = 1 << 3,
    M_RE = 1 << 4,
    M_CIDR = 1 << 5,
    M_EXISTS = 1 << 6,
    M_FIELDREF = 1 << 7,
    M_CASED = 1 << 8,
    M_RE_I = 1 << 9,
    M_RE_M = 1 << 10,
    M_RE_S = 1 << 11,
};
#define M_PLACE (M_CONTAINS | M_STARTSWITH | M_ENDSWITH)
#define M_KIND  (M_PLACE | M_RE | M_CIDR | M_EXISTS)

static const struct modifier {
    const char *name;
    unsigned bit, excludes, needs;
} modifiers[] = {
    {"contains", M_CONTAINS, M_KIND, 0},
    {"startswith", M_STARTSWITH, M_KIND, 0},
    {"endswith", M_ENDSWITH, M_KIND, 0},
    {"all", M_ALL, M_EXISTS, 0},
    {"re", M_RE, M_KIND | M_FIELDREF | M_CASED, 0},
    {"cidr", M_CIDR, M_KIND | M_FIELDREF | M_CASED, 0},
    {"exists", M_EXISTS, M_KIND | M_ALL | M_FIELDREF | M_CASED, 0},
    {"fieldref", M_FIELDREF, M_RE | M_CIDR | M_EXISTS, 0},
    {"cased", M_CASED, M_RE | M_CIDR | M_EXISTS, 0},
    {"i", M_RE_I, 0, M_RE},
    {"m", M_RE_M, 0, M_RE},
    {"s", M_RE_S, 0, M_RE},
};

/* Modifiers of the specification this engine does not run: named as such in the refusal. */
static const char *const unsupported_modifiers[] = {
    "windash", "base64", "base64offset", "wide", "utf16", "utf16le", "utf16be", "lt",   "lte",  "gt",
    "gte",     "expand", "minute",       "hour", "day",   "week",    "month",   "year", "gte6", "ci",
};

/* One file being read. */
struct reader {
    struct sigma_set *set;
    const char *file;
    yaml_document_t *doc;
    struct sigma_rule *rule;
    char reason[320];
    int line;
    int nomem;
};

static int refuse(struct reader *rd, const yaml_node_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(struct reader *rd, const yaml_node_t *at, const char *fmt, ...)
{
    if (rd->reason[0] || rd->nomem)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rd->reason, sizeof rd->reason, fmt, ap);
    va_end(ap);
    rd->line = at ? (int)at->start_mark.line + 1 : 0;
    return -1;
}

static int oom(struct reader *rd)
{
    rd->nomem = 1;
    return -1;
}

static yaml_node_t *node(struct reader *rd, int id)
{
    return yaml_document_get_node(rd->doc, id);
}

static int is_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}

static const char *sval(const yaml_node_t *n)
{
    return n ? (const char *)n->data.scalar.value : "";
}

static size_t slen(const yaml_node_t *n)
{
    return n->data.scalar.length;
}

/* A plain scalar that YAML 1.1 reads as null: empty, ~, null, Null, NULL. */
static int is_null(const yaml_node_t *n)
{
    if (!is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t k = 0; k < sizeof nulls / sizeof *nulls; k++)
        if (strlen(nulls[k]) == slen(n) && memcmp(nulls[k], sval(n), slen(n)) == 0)
            return 1;
    return 0;
}

static int key_is(const yaml_node_t *k, const char *name)
{
    return is_scalar(k) && slen(k) == strlen(name) && memcmp(sval(k), name, slen(k)) == 0;
}

/* The value of key name in mapping m, or NULL. */
static yaml_node_t *map_get(struct reader *rd, const yaml_node_t *m, const char *name)
{
    if (!m || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++)
        if (key_is(node(rd, p->key), name))
            return node(rd, p->value);
    return NULL;
}

static char *dup_scalar(const yaml_node_t *n)
{
    return strndup(sval(n), slen(n));
}

/* The id of field name path[0..len) in the set, added when new; a name that is not a JSON path (model/
 * path.h: dotted keys without spaces, quotes, '*' ...) is refused. */
static int path_id(struct reader *rd, const yaml_node_t *at, const char *path, size_t len)
{
    struct sigma_set *set = rd->set;
    struct path p;
    struct path_error perr;
    if (path_parse(path, len, &p, &perr) != 0)
        return refuse(rd, at, "field name: %s", perr.message);
    path_free(&p);
    for (size_t k = 0; k < set->npaths; k++)
        if (strlen(set->paths[k]) == len && memcmp(set->paths[k], path, len) == 0)
            return (int)k;
    /* each new name costs a look through the others, here and for every event the rules run on */
    if (set->npaths >= SIGMA_MAX_PATHS)
        return refuse(rd, at, "more than %d distinct field names in the rules", SIGMA_MAX_PATHS);
    if (grow_array((void **)&set->paths, &set->paths_cap, set->npaths + 1, sizeof *set->paths) != 0)
        return oom(rd);
    if (!(set->paths[set->npaths] = strndup(path, len)))
        return oom(rd);
    return (int)set->npaths++;
}

/* Compiles one value v of a test whose modifiers are mods. */
static int compile_value(struct reader *rd, unsigned mods, const yaml_node_t *v, struct sigma_pat *p)
{
    memset(p, 0, sizeof *p);
    if (!is_scalar(v))
        return refuse(rd, v, "a value must be a string or number, or a list of them");
    if (mods & M_EXISTS) {
        if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (!key_is(v, "true") && !key_is(v, "false")))
            return refuse(rd, v, "'exists' takes true or false");
        p->kind = PAT_EXISTS;
        p->exists = key_is(v, "true");
        return 0;
    }
    if (is_null(v)) {
        if (mods & ~(unsigned)M_ALL)
            return refuse(rd, v, "null takes no modifiers");
        p->kind = PAT_NULL;
        return 0;
    }
    if (mods & M_RE) {
        uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | ((mods & M_RE_I) ? PCRE2_CASELESS : 0) |
                        ((mods & M_RE_M) ? PCRE2_MULTILINE : 0) | ((mods & M_RE_S) ? PCRE2_DOTALL : 0);
        int code;
        PCRE2_SIZE off;
        p->kind = PAT_RE;
        p->re = pcre2_compile((PCRE2_SPTR)sval(v), slen(v), opts, &code, &off, NULL);
        if (!p->re) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(code, msg, sizeof msg);
            return refuse(rd, v, "bad regular expression at offset %zu: %s", (size_t)off, (const char *)msg);
        }
        if (!(p->mctx = pcre2_match_context_create(NULL)))
            return oom(rd);
        pcre2_set_match_limit(p->mctx, SIGMA_RE_MATCH_LIMIT);
        pcre2_set_depth_limit(p->mctx, SIGMA_RE_DEPTH_LIMIT);
        /* jit is a speed-up only: matching works without it. Its default 32 KiB stack gives up on a
         * repeated group after about 2,000 repeats ('(a|aa)+$' on a long value); a rule set is evaluated
         * by one thread at a time, so each expression owns its stack. */
        if (jit_wanted() && pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE) == 0 &&
            (p->jit = pcre2_jit_stack_create(32 << 10, SIGMA_RE_JIT_STACK, NULL)) != NULL)
            pcre2_jit_stack_assign(p->mctx, NULL, p->jit);
        return 0;
    }
    if (mods & M_CIDR) {
        p->kind = PAT_CIDR;
        if (ipnet_parse(sval(v), slen(v), &p->net) != 0)
            return refuse(rd, v, "'%.60s' is not a network for 'cidr'", sval(v));
        return 0;
    }
    if (mods & M_FIELDREF) {
        p->kind = PAT_FIELDREF;
        p->ref_where = (mods & M_CONTAINS)     ? REF_CONTAINS
                       : (mods & M_STARTSWITH) ? REF_STARTS
                       : (mods & M_ENDSWITH)   ? REF_ENDS
                                               : REF_EQUAL;
        if (slen(v) == 0)
            return refuse(rd, v, "'fieldref' needs a field name");
        p->ref_id = path_id(rd, v, sval(v), slen(v));
        return p->ref_id < 0 ? -1 : 0;
    }
    int pre = (mods & (M_CONTAINS | M_ENDSWITH)) != 0, post = (mods & (M_CONTAINS | M_STARTSWITH)) != 0;
    if (sigma_glob_compile(sval(v), slen(v), (mods & M_CASED) != 0, pre, post, p) != 0)
        return oom(rd);
    return 0;
}

/* Reads the modifiers after the first '|' of key[0..len) into *mods. */
static int parse_modifiers(struct reader *rd, const yaml_node_t *at, const char *key, size_t len,
                           unsigned *mods)
{
    *mods = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && key[j] != '|')
            j++;
        const struct modifier *m = NULL;
        for (size_t k = 0; k < sizeof modifiers / sizeof *modifiers; k++)
            if (strlen(modifiers[k].name) == j - i && memcmp(modifiers[k].name, key + i, j - i) == 0)
                m = &modifiers[k];
        if (!m) {
            for (size_t k = 0; k < sizeof unsupported_modifiers / sizeof *unsupported_modifiers; k++)
                if (strlen(unsupported_modifiers[k]) == j - i &&
                    memcmp(unsupported_modifiers[k], key + i, j - i) == 0)
                    return refuse(rd, at, "modifier '%s' is not supported", unsupported_modifiers[k]);
            return refuse(rd, at, "unknown modifier '%.*s'", (int)(j - i > 40 ? 40 : j - i), key + i);
        }
        if (*mods & m->bit)
            return refuse(rd, at, "modifier '%s' given twice", m->name);
        if ((m->needs & ~*mods) != 0)
            return refuse(rd, at, "modifier '%s' only follows 're'", m->name);
        for (size_t k = 0; k < sizeof modifiers / sizeof *modifiers; k++)
            if ((*mods & modifiers[k].bit) &&
                ((modifiers[k].excludes & m->bit) || (m->excludes & modifiers[k].bit)))
                return refuse(rd, at, "modifiers '%s' and '%s' do not go together", modifiers[k].name,
                              m->name);
        *mods |= m->bit;
        i = j + 1;
    }
    return 0;
}

/* Compiles "key: value" of a map (key "field|mods", or "|mods" for keywords) into t. */
static int compile_test(struct reader *rd, const yaml_node_t *k, const yaml_node_t *v, int keywords,
                        struct sigma_test *t)
{
    memset(t, 0, sizeof *t);
    t->path_id = -1;
    const char *key = keywords || !k ? "" : sval(k); /* a keyword list has no key */
    size_t klen = keywords || !k ? 0 : slen(k);
    const char *bar = memchr(key, '|', klen);
    size_t flen = bar ? (size_t)(bar - key) : klen;
    unsigned mods = 0;
    if (bar && parse_modifiers(rd, k, bar + 1, klen - flen - 1, &mods) != 0)
        return -1;
    if (flen == 0) {
        keywords = 1;
        if (mods & (M_EXISTS | M_FIELDREF))
            return refuse(rd, k, "keywords take no 'exists' or 'fieldref'");
        if (!(mods & (M_KIND & ~M_EXISTS)))
            mods |= M_CONTAINS; /* a keyword is found anywhere in the event */
    } else if (memchr(key, '\0', flen)) {
        return refuse(rd, k, "a field name holds a NUL byte");
    } else {
        t->path_id = path_id(rd, k, key, flen);
        if (t->path_id < 0)
            return -1;
    }
    t->all = (mods & M_ALL) != 0;
    t->cased = (mods & M_CASED) != 0;
    size_t n = 1;
    const yaml_node_item_t *items = NULL;
    if (v->type == YAML_SEQUENCE_NODE) {
        items = v->data.sequence.items.start;
        n = (size_t)(v->data.sequence.items.top - items);
        if (n == 0)
            return refuse(rd, v, "an empty list of values");
        if (mods & M_EXISTS)
            return refuse(rd, v, "'exists' takes one value");
    } else if (v->type == YAML_MAPPING_NODE) {
        return refuse(rd, v, "a value must be a string or number, or a list of them");
    }
    if (!(t->pats = calloc(n, sizeof *t->pats)))
        return oom(rd);
    for (size_t i = 0; i < n; i++) {
        t->npats++;
        if (compile_value(rd, mods, items ? node(rd, items[i]) : v, &t->pats[i]) != 0)
            return -1;
    }
    return 0;
}

static int compile_map(struct reader *rd, const yaml_node_t *m, struct sigma_map *out)
{
    size_t n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
    if (n == 0)
        return refuse(rd, m, "an empty map");
    if (!(out->tests = calloc(n, sizeof *out->tests)))
        return oom(rd);
    for (size_t i = 0; i < n; i++) {
        yaml_node_pair_t *p = &m->data.mapping.pairs.start[i];
        yaml_node_t *k = node(rd, p->key), *v = node(rd, p->value);
        if (!is_scalar(k) || !v)
            return refuse(rd, k ? k : m, "a field name must be a string");
        out->ntests++; /* counted first: a test refused half-way is freed with the rule */
        if (compile_test(rd, k, v, 0, &out->tests[i]) != 0)
            return -1;
    }
    return 0;
}

/* A search identifier: a map, a list of maps, or a list of keywords. */
static int compile_ident(struct reader *rd, const yaml_node_t *k, const yaml_node_t *v,
                         struct sigma_ident *id)
{
    if (!(id->name = dup_scalar(k)))
        return oom(rd);
    if (v->type == YAML_MAPPING_NODE) {
        if (!(id->maps = calloc(1, sizeof *id->maps)))
            return oom(rd);
        id->nmaps = 1;
        return compile_map(rd, v, &id->maps[0]);
    }
    if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.top == v->data.sequence.items.start)
        return refuse(rd, v, "search identifier '%.60s' must be a map or a non-empty list", id->name);
    yaml_node_item_t *items = v->data.sequence.items.start;
    size_t n = (size_t)(v->data.sequence.items.top - items), maps = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *e = node(rd, items[i]);
        if (!e || e->type == YAML_SEQUENCE_NODE)
            return refuse(rd, e ? e : v, "a list in a list");
        maps += e->type == YAML_MAPPING_NODE;
    }
    if (maps && maps != n)
        return refuse(rd, v, "search identifier '%.60s' mixes maps and keywords", id->name);
    if (!maps) {
        if (!(id->maps = calloc(1, sizeof *id->maps)) ||
            !(id->maps[0].tests = calloc(1, sizeof(struct sigma_test))))
            return oom(rd);
        id->nmaps = 1;
        id->maps[0].ntests = 1;
        return compile_test(rd, NULL, v, 1, &id->maps[0].tests[0]);
    }
    if (!(id->maps = calloc(n, sizeof *id->maps)))
        return oom(rd);
    for (size_t i = 0; i < n; i++) {
        id->nmaps++;
        if (compile_map(rd, node(rd, items[i]), &id->maps[i]) != 0)
            return -1;
    }
    return 0;
}

static int compile_condition(struct reader *rd, const yaml_node_t *c)
{
    struct sigma_rule *r = rd->rule;
    const char **names = calloc(r->nidents ? r->nidents : 1, sizeof *names);
    if (!names)
        return oom(rd);
    for (size_t i = 0; i < r->nidents; i++)
        names[i] = r->idents[i].name;
    /* A list of conditions: any of them (the specification links them with OR). */
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    if (!f) {
        free(names);
        return oom(rd);
    }
    if (is_scalar(c)) {
        fwrite(sval(c), 1, slen(c), f);
    } else if (c->type == YAML_SEQUENCE_NODE && c->data.sequence.items.top > c->data.sequence.items.start) {
        for (yaml_node_item_t *i = c->data.sequence.items.start; i < c->data.sequence.items.top; i++) {
            yaml_node_t *e = node(rd, *i);
            if (!is_scalar(e)) {
                fclose(f);
                free(text);
                free(names);
                return refuse(rd, e ? e : c, "a condition must be a string");
            }
            fprintf(f, "%s(", i == c->data.sequence.items.start ? "" : " or ");
            fwrite(sval(e), 1, slen(e), f);
            fputc(')', f);
        }
    } else {
        fclose(f);
        free(text);
        free(names);
        return refuse(rd, c, "a condition must be a string");
    }
    int failed = fclose(f) != 0 || !text;
    char err[256];
    int rc = failed ? -1 : sigma_cond_parse(text, names, r->nidents, &r->cond, err, sizeof err);
    free(names);
    free(text);
    if (failed || (rc != 0 && !err[0]))
        return oom(rd);
    return rc != 0 ? refuse(rd, c, "%s", err) : 0;
}

static char *scalar_or_list(struct reader *rd, const yaml_node_t *n)
{
    if (!n || is_null(n))
        return strdup("");
    if (is_scalar(n))
        return dup_scalar(n);
    if (n->type != YAML_SEQUENCE_NODE)
        return strdup("");
    /* authors given as a list: joined with ", " */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int first = 1;
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        yaml_node_t *e = node(rd, *i);
        if (!is_scalar(e))
            continue;
        fputs(first ? "" : ", ", f);
        fwrite(sval(e), 1, slen(e), f);
        first = 0;
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static int ci_equal(const yaml_node_t *n, const char *s)
{
    return is_scalar(n) && slen(n) == strlen(s) && strncasecmp(sval(n), s, slen(n)) == 0;
}

/* Reads the rule at the document's root into rd->rule. Returns 0, 1 when the rule is for another log
 * source (ignored), -1 when refused or out of memory. */
static int compile_rule(struct reader *rd, const yaml_node_t *root)
{
    if (!root || root->type != YAML_MAPPING_NODE)
        return refuse(rd, root, "not a Sigma rule (the document is not a map)");
    if (map_get(rd, root, "correlation"))
        return refuse(rd, map_get(rd, root, "correlation"), "correlation rules are not supported");
    if (map_get(rd, root, "action"))
        return refuse(rd, map_get(rd, root, "action"), "rule collections ('action') are not supported");
    const yaml_node_t *ls = map_get(rd, root, "logsource");
    if (!ls || ls->type != YAML_MAPPING_NODE || !ci_equal(map_get(rd, ls, "product"), "aws") ||
        !ci_equal(map_get(rd, ls, "service"), "cloudtrail"))
        return 1;
    struct sigma_rule *r = rd->rule;
    const yaml_node_t *title = map_get(rd, root, "title"), *det = map_get(rd, root, "detection");
    if (!is_scalar(title) || is_null(title))
        return refuse(rd, title ? title : root, "the rule has no title");
    if (!det || det->type != YAML_MAPPING_NODE)
        return refuse(rd, det ? det : root, "the rule has no detection map");
    if (map_get(rd, root, "timeframe"))
        return refuse(rd, map_get(rd, root, "timeframe"),
                      "'timeframe' (aggregation over time) is not supported");
    const yaml_node_t *level = map_get(rd, root, "level");
    r->level = SIGMA_INFORMATIONAL;
    if (level && !is_null(level)) {
        int l = is_scalar(level) ? sigma_level_parse(sval(level), slen(level)) : -1;
        if (l < 0)
            return refuse(rd, level, "level must be informational, low, medium, high or critical");
        r->level = (enum sigma_level)l;
    }
    const yaml_node_t *id = map_get(rd, root, "id");
    if (!(r->title = dup_scalar(title)) || !(r->id = (is_scalar(id) ? dup_scalar(id) : strdup(""))) ||
        !(r->author = scalar_or_list(rd, map_get(rd, root, "author"))) || !(r->file = strdup(rd->file)))
        return oom(rd);
    size_t n = (size_t)(det->data.mapping.pairs.top - det->data.mapping.pairs.start);
    if (!(r->idents = calloc(n ? n : 1, sizeof *r->idents)))
        return oom(rd);
    const yaml_node_t *cond = NULL;
    for (yaml_node_pair_t *p = det->data.mapping.pairs.start; p < det->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(rd, p->key), *v = node(rd, p->value);
        if (!is_scalar(k) || !v)
            return refuse(rd, k ? k : det, "a search identifier must be a name");
        if (key_is(k, "condition")) {
            cond = v;
            continue;
        }
        if (key_is(k, "timeframe"))
            return refuse(rd, k, "'timeframe' (aggregation over time) is not supported");
        for (size_t i = 0; i < r->nidents; i++)
            if (strlen(r->idents[i].name) == slen(k) && memcmp(r->idents[i].name, sval(k), slen(k)) == 0)
                return refuse(rd, k, "search identifier '%.60s' given twice", sval(k));
        r->nidents++;
        if (compile_ident(rd, k, v, &r->idents[r->nidents - 1]) != 0)
            return -1;
    }
    if (!cond)
        return refuse(rd, det, "the detection has no condition");
    return compile_condition(rd, cond);
}

static void rule_free(struct sigma_rule *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nidents; i++) {
        struct sigma_ident *id = &r->idents[i];
        for (size_t m = 0; m < id->nmaps; m++) {
            for (size_t t = 0; t < id->maps[m].ntests; t++) {
                struct sigma_test *tt = &id->maps[m].tests[t];
                for (size_t k = 0; k < tt->npats; k++)
                    sigma_pat_free(&tt->pats[k]);
                free(tt->pats);
            }
            free(id->maps[m].tests);
        }
        free(id->maps);
        free(id->name);
    }
    free(r->idents);
    sigma_cond_free(&r->cond);
    free(r->title);
    free(r->id);
    free(r->author);
    free(r->file);
    free(r);
}

int sigma_set_refuse(struct sigma_set *set, const char *file, int line, const char *reason)
{
    if (grow_array((void **)&set->refusals, &set->refusals_cap, set->nrefusals + 1, sizeof *set->refusals) !=
        0)
        return -1;
    struct sigma_refusal *f = &set->refusals[set->nrefusals];
    f->file = strdup(file);
    f->reason = strdup(reason);
    f->line = line;
    if (!f->file || !f->reason) {
        free(f->file);
        free(f->reason);
        return -1;
    }
    set->nrefusals++;
    return 0;
}

int sigma_set_add_text(struct sigma_set *set, const char *file, const char *text, size_t len)
{
    struct reader rd = {.set = set, .file = file};
    char why[200];
    int why_line;
    int checked = sigma_yaml_check(text, len, why, sizeof why, &why_line);
    if (checked != 0)
        return checked < 0 ? -1 : sigma_set_refuse(set, file, why_line, why);
    yaml_parser_t parser;
    yaml_document_t doc, more;
    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = 0;
    if (!yaml_parser_load(&parser, &doc)) {
        if (parser.error == YAML_MEMORY_ERROR) {
            yaml_parser_delete(&parser);
            return -1;
        }
        char msg[300];
        snprintf(msg, sizeof msg, "not valid YAML: %s%s%s", parser.problem ? parser.problem : "parse error",
                 parser.context ? " " : "", parser.context ? parser.context : "");
        rc = sigma_set_refuse(set, file, (int)parser.problem_mark.line + 1, msg);
        yaml_parser_delete(&parser);
        return rc;
    }
    rd.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    /* A second document makes a rule collection: refused as a whole (its parts depend on each other). */
    int multi = 0;
    if (root && yaml_parser_load(&parser, &more)) {
        multi = yaml_document_get_root_node(&more) != NULL;
        yaml_document_delete(&more);
    } else if (root) {
        multi = 1; /* the rest of the stream is not YAML */
    }
    int r = -1;
    if (!root)
        refuse(&rd, NULL, "empty file");
    else if (multi)
        refuse(&rd, root, "several YAML documents (rule collections) are not supported");
    else if ((rd.rule = calloc(1, sizeof *rd.rule)) == NULL)
        oom(&rd);
    else
        r = compile_rule(&rd, root);
    if (rd.nomem) {
        rc = -1;
    } else if (r == 1) {
        set->ignored++;
    } else if (r == 0) {
        if (grow_array((void **)&set->rules, &set->rules_cap, set->nrules + 1, sizeof *set->rules) != 0)
            rc = -1;
        else
            set->rules[set->nrules++] = rd.rule, rd.rule = NULL;
    } else {
        rc = sigma_set_refuse(set, file, rd.line, rd.reason[0] ? rd.reason : "refused");
    }
    rule_free(rd.rule);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

struct sigma_set *sigma_set_new(void)
{
    return calloc(1, sizeof(struct sigma_set));
}

void sigma_set_free(struct sigma_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->nrules; i++)
        rule_free(set->rules[i]);
    for (size_t i = 0; i < set->nrefusals; i++) {
        free(set->refusals[i].file);
        free(set->refusals[i].reason);
    }
    for (size_t i = 0; i < set->npaths; i++)
        free(set->paths[i]);
    free(set->rules);
    free(set->refusals);
    free(set->paths);
    free(set);
}

size_t sigma_set_count(const struct sigma_set *set)
{
    return set->nrules;
}

const struct sigma_rule *sigma_set_rule(const struct sigma_set *set, size_t i)
{
    return set->rules[i];
}

size_t sigma_set_ignored(const struct sigma_set *set)
{
    return set->ignored;
}

size_t sigma_set_refused(const struct sigma_set *set)
{
    return set->nrefusals;
}

const struct sigma_refusal *sigma_set_refusal(const struct sigma_set *set, size_t i)
{
    return &set->refusals[i];
}

size_t sigma_set_paths(const struct sigma_set *set)
{
    return set->npaths;
}

const char *sigma_set_path(const struct sigma_set *set, size_t path_id)
{
    return set->paths[path_id];
}

const char *sigma_rule_title(const struct sigma_rule *r)
{
    return r->title;
}

const char *sigma_rule_id(const struct sigma_rule *r)
{
    return r->id;
}

const char *sigma_rule_author(const struct sigma_rule *r)
{
    return r->author;
}

const char *sigma_rule_file(const struct sigma_rule *r)
{
    return r->file;
}

enum sigma_level sigma_rule_level(const struct sigma_rule *r)
{
    return r->level;
}
