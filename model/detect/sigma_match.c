/* sigma_match: evaluation of compiled rules: globs, the value tests of each modifier, maps, identifiers
 * and conditions, in three-valued logic so a cheap first pass can leave some events for later. */
#include <stdlib.h>
#include <string.h>

#include "model/detect/sigma_impl.h"

static unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Length of the UTF-8 sequence starting at s[i] (1 for a byte that starts none), within len. */
static size_t utf8_len(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
    if (i + n > len)
        return 1;
    for (size_t k = 1; k < n; k++)
        if (((unsigned char)s[i + k] & 0xC0) != 0x80)
            return 1;
    return n;
}

int sigma_glob_compile(const char *v, size_t len, int cased, int pre, int post, struct sigma_pat *p)
{
    memset(p, 0, sizeof *p);
    p->kind = PAT_GLOB;
    p->tok = malloc((len + 2) * sizeof *p->tok);
    if (!p->tok)
        return -1;
    size_t n = 0;
    if (pre)
        p->tok[n++] = GLOB_STAR;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        /* The specification's escapes: '\' before '*', '?' or '\' makes that character plain; any other
         * backslash is itself plain (so "\\" and "\" before a letter both mean one backslash). */
        if (c == '\\' && i + 1 < len && (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\')) {
            c = (unsigned char)v[++i];
            p->tok[n++] = cased ? c : fold(c);
            continue;
        }
        if (c == '*')
            p->tok[n++] = GLOB_STAR;
        else if (c == '?')
            p->tok[n++] = GLOB_ONE;
        else
            p->tok[n++] = cased ? c : fold(c);
    }
    if (post)
        p->tok[n++] = GLOB_STAR;
    p->ntok = n;
    return 0;
}

int sigma_glob_match(const uint16_t *tok, size_t ntok, const char *s, size_t len, int cased)
{
    /* The classic backtracking over the last star: linear unless stars fail repeatedly. The star
     * resumes one whole character further, so '?' always starts on a character boundary. */
    size_t p = 0, i = 0, star_p = SIZE_MAX, star_i = 0;
    while (i < len) {
        if (p < ntok) {
            uint16_t t = tok[p];
            if (t == GLOB_STAR) {
                star_p = ++p;
                star_i = i;
                continue;
            }
            if (t == GLOB_ONE) {
                i += utf8_len(s, len, i);
                p++;
                continue;
            }
            unsigned char c = (unsigned char)s[i];
            if (t == (cased ? c : fold(c))) {
                p++;
                i++;
                continue;
            }
        }
        if (star_p == SIZE_MAX)
            return 0;
        p = star_p;
        star_i += utf8_len(s, len, star_i);
        i = star_i;
    }
    while (p < ntok && tok[p] == GLOB_STAR)
        p++;
    return p == ntok;
}

static int fold_eq(const char *a, const char *b, size_t n, int cased)
{
    if (cased)
        return memcmp(a, b, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
            return 0;
    return 1;
}

/* Whether v relates to r as the fieldref asks (literal comparison: the other field's value has no
 * wildcards). */
static int ref_holds(enum ref_where w, const struct sigma_value *v, const struct sigma_value *r, int cased)
{
    if (r->type == SV_NULL || v->type == SV_NULL)
        return 0;
    switch (w) {
    case REF_EQUAL:
        return v->len == r->len && fold_eq(v->s, r->s, r->len, cased);
    case REF_STARTS:
        return v->len >= r->len && fold_eq(v->s, r->s, r->len, cased);
    case REF_ENDS:
        return v->len >= r->len && fold_eq(v->s + v->len - r->len, r->s, r->len, cased);
    case REF_CONTAINS:
        for (size_t i = 0; i + r->len <= v->len; i++)
            if (fold_eq(v->s + i, r->s, r->len, cased))
                return 1;
        return 0;
    }
    return 0;
}

static int present(const struct sigma_value *vals, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (vals[k].type != SV_NULL)
            return 1;
    return 0;
}

/* 1 when p's expression finds a match in s[0..len), 0 when not, -1 when it gave up (a limit reached) or
 * ran out of memory: not an answer. */
static int re_match(const struct sigma_pat *p, const char *s, size_t len)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->re, NULL);
    if (!md)
        return -1;
    int rc = pcre2_match(p->re, (PCRE2_SPTR)s, len, 0, 0, md, p->mctx);
    pcre2_match_data_free(md);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* Whether one pattern holds for the field's values (any value, the specification's list semantics). The
 * fieldref pattern fetches the other field through src; it may answer SIGMA_LATER when cheap. */
static enum sigma_result pat_holds(const struct sigma_pat *p, int cased, const struct sigma_value *vals,
                                   size_t n, const struct sigma_source *src, size_t ev, int cheap)
{
    switch (p->kind) {
    case PAT_NULL:
        return !present(vals, n);
    case PAT_EXISTS:
        return present(vals, n) == p->exists;
    case PAT_FIELDREF: {
        struct sigma_value mine[16];
        size_t nm = n < 16 ? n : 16;
        /* the other field's values replace ours in the source's buffer: keep ours first */
        memcpy(mine, vals, nm * sizeof *mine);
        const struct sigma_value *refs;
        size_t nr;
        enum sigma_fetch f = src->values(src->ctx, ev, p->ref_id, cheap, &refs, &nr);
        if (f == SIGMA_FETCH_LATER)
            return SIGMA_LATER;
        if (f != SIGMA_FETCH_OK)
            return SIGMA_NO;
        for (size_t a = 0; a < nm; a++)
            for (size_t b = 0; b < nr; b++)
                if (ref_holds(p->ref_where, &mine[a], &refs[b], cased))
                    return SIGMA_YES;
        return SIGMA_NO;
    }
    default:
        break;
    }
    for (size_t k = 0; k < n; k++) {
        const struct sigma_value *v = &vals[k];
        if (v->type == SV_NULL)
            continue;
        int ok = 0;
        if (p->kind == PAT_GLOB)
            ok = sigma_glob_match(p->tok, p->ntok, v->s, v->len, cased);
        else if (p->kind == PAT_RE && (ok = re_match(p, v->s, v->len)) < 0) {
            ok = 0;
            if (src && src->re_gave_up)
                (*src->re_gave_up)++;
        }
        else if (p->kind == PAT_CIDR)
            ok = ipnet_contains(&p->net, v->s, v->len);
        if (ok)
            return SIGMA_YES;
    }
    return SIGMA_NO;
}

static enum sigma_result test_on(const struct sigma_test *t, const struct sigma_value *vals, size_t n,
                                 const struct sigma_source *src, size_t ev, int cheap)
{
    enum sigma_result acc = t->all ? SIGMA_YES : SIGMA_NO;
    for (size_t k = 0; k < t->npats; k++) {
        enum sigma_result r = pat_holds(&t->pats[k], t->cased, vals, n, src, ev, cheap);
        if (t->all && r == SIGMA_NO)
            return SIGMA_NO;
        if (!t->all && r == SIGMA_YES)
            return SIGMA_YES;
        if (r == SIGMA_LATER)
            acc = SIGMA_LATER;
    }
    return acc;
}

enum sigma_result sigma_test_eval(const struct sigma_test *t, const struct sigma_source *src, size_t ev,
                                  int cheap)
{
    const struct sigma_value *vals;
    size_t n;
    enum sigma_fetch f = src->values(src->ctx, ev, t->path_id, cheap, &vals, &n);
    if (f == SIGMA_FETCH_LATER)
        return SIGMA_LATER;
    if (f != SIGMA_FETCH_OK)
        return SIGMA_NO;
    return test_on(t, vals, n, src, ev, cheap);
}

static enum sigma_result ident_eval(const struct sigma_ident *id, const struct sigma_source *src, size_t ev,
                                    int cheap)
{
    enum sigma_result any = SIGMA_NO;
    for (size_t m = 0; m < id->nmaps; m++) {
        const struct sigma_map *map = &id->maps[m];
        enum sigma_result all = SIGMA_YES;
        for (size_t k = 0; k < map->ntests && all != SIGMA_NO; k++) {
            enum sigma_result r = sigma_test_eval(&map->tests[k], src, ev, cheap);
            if (r == SIGMA_NO)
                all = SIGMA_NO;
            else if (r == SIGMA_LATER)
                all = SIGMA_LATER;
        }
        if (all == SIGMA_YES)
            return SIGMA_YES;
        if (all == SIGMA_LATER)
            any = SIGMA_LATER;
    }
    return any;
}

static enum sigma_result kleene_and(enum sigma_result a, enum sigma_result b)
{
    if (a == SIGMA_NO || b == SIGMA_NO)
        return SIGMA_NO;
    return (a == SIGMA_LATER || b == SIGMA_LATER) ? SIGMA_LATER : SIGMA_YES;
}

static enum sigma_result kleene_or(enum sigma_result a, enum sigma_result b)
{
    if (a == SIGMA_YES || b == SIGMA_YES)
        return SIGMA_YES;
    return (a == SIGMA_LATER || b == SIGMA_LATER) ? SIGMA_LATER : SIGMA_NO;
}

static enum sigma_result node_eval(const struct sigma_rule *r, int node, const struct sigma_source *src,
                                   size_t ev, int cheap)
{
    const struct cnode *c = &r->cond.nodes[node];
    switch (c->kind) {
    case CN_IDENT:
        return ident_eval(&r->idents[c->ident], src, ev, cheap);
    case CN_NOT: {
        enum sigma_result a = node_eval(r, c->a, src, ev, cheap);
        return a == SIGMA_LATER ? SIGMA_LATER : a == SIGMA_YES ? SIGMA_NO : SIGMA_YES;
    }
    case CN_AND: {
        enum sigma_result a = node_eval(r, c->a, src, ev, cheap);
        if (a == SIGMA_NO)
            return SIGMA_NO;
        return kleene_and(a, node_eval(r, c->b, src, ev, cheap));
    }
    case CN_OR: {
        enum sigma_result a = node_eval(r, c->a, src, ev, cheap);
        if (a == SIGMA_YES)
            return SIGMA_YES;
        return kleene_or(a, node_eval(r, c->b, src, ev, cheap));
    }
    case CN_ANY:
    case CN_ALL: {
        int all = c->kind == CN_ALL;
        enum sigma_result acc = all ? SIGMA_YES : SIGMA_NO;
        for (size_t k = 0; k < c->cnt; k++) {
            enum sigma_result x = ident_eval(&r->idents[r->cond.refs[c->first + k]], src, ev, cheap);
            acc = all ? kleene_and(acc, x) : kleene_or(acc, x);
            if ((all && acc == SIGMA_NO) || (!all && acc == SIGMA_YES))
                break;
        }
        return acc;
    }
    }
    return SIGMA_NO;
}

enum sigma_result sigma_rule_eval(const struct sigma_rule *r, const struct sigma_source *src, size_t ev,
                                  int cheap)
{
    return node_eval(r, r->cond.root, src, ev, cheap);
}

void sigma_pat_free(struct sigma_pat *p)
{
    free(p->tok);
    if (p->re)
        pcre2_code_free(p->re);
    if (p->mctx)
        pcre2_match_context_free(p->mctx);
    if (p->jit)
        pcre2_jit_stack_free(p->jit);
    memset(p, 0, sizeof *p);
}

/* Gates: tests on one field that every way of satisfying a rule's condition passes through. */

static int test_is_gate(const struct sigma_test *t, int path_id)
{
    if (t->path_id != path_id)
        return 0;
    for (size_t k = 0; k < t->npats; k++)
        if (t->pats[k].kind == PAT_FIELDREF)
            return 0; /* depends on another field too */
    return 1;
}

/* The gates of an identifier: one per map (any map may match), or -1 when a map has none. */
static int ident_gates(const struct sigma_ident *id, int path_id, const struct sigma_test **out, size_t cap,
                       size_t *n)
{
    for (size_t m = 0; m < id->nmaps; m++) {
        const struct sigma_test *g = NULL;
        for (size_t k = 0; k < id->maps[m].ntests && !g; k++)
            if (test_is_gate(&id->maps[m].tests[k], path_id))
                g = &id->maps[m].tests[k];
        if (!g || *n == cap)
            return -1;
        out[(*n)++] = g;
    }
    return 0;
}

/* Appends the gates of node to out[*n..cap); -1 (and *n unspecified) when the node has none. */
static int node_gates(const struct sigma_rule *r, int node, int path_id, const struct sigma_test **out,
                      size_t cap, size_t *n)
{
    const struct cnode *c = &r->cond.nodes[node];
    size_t mark = *n;
    switch (c->kind) {
    case CN_IDENT:
        return ident_gates(&r->idents[c->ident], path_id, out, cap, n);
    case CN_NOT:
        return -1;
    case CN_AND: /* either side's gates hold whenever the conjunction does */
        if (node_gates(r, c->a, path_id, out, cap, n) == 0)
            return 0;
        *n = mark;
        return node_gates(r, c->b, path_id, out, cap, n);
    case CN_OR:
        if (node_gates(r, c->a, path_id, out, cap, n) != 0)
            return -1;
        return node_gates(r, c->b, path_id, out, cap, n);
    case CN_ANY:
        for (size_t k = 0; k < c->cnt; k++)
            if (ident_gates(&r->idents[r->cond.refs[c->first + k]], path_id, out, cap, n) != 0)
                return -1;
        return 0;
    case CN_ALL:
        for (size_t k = 0; k < c->cnt; k++) {
            *n = mark;
            if (ident_gates(&r->idents[r->cond.refs[c->first + k]], path_id, out, cap, n) == 0)
                return 0;
        }
        return -1;
    }
    return -1;
}

size_t sigma_rule_gates(const struct sigma_rule *r, int path_id, const struct sigma_test **out, size_t cap)
{
    size_t n = 0;
    return node_gates(r, r->cond.root, path_id, out, cap, &n) == 0 ? n : 0;
}

int sigma_test_holds(const struct sigma_test *t, const struct sigma_value *vals, size_t n)
{
    size_t gave_up = 0;
    struct sigma_source none = {.re_gave_up = &gave_up};
    return test_on(t, vals, n, &none, 0, 0) == SIGMA_YES || gave_up != 0;
}
