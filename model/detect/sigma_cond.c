/* sigma_cond: the condition of a Sigma rule, parsed into a node tree over its search identifiers.
 *
 *   or      := and ("or" and)*          least binding
 *   and     := not ("and" not)*
 *   not     := "not" not | primary
 *   primary := "(" or ")" | ("1" | "all") "of" (PATTERN | "them") | IDENTIFIER
 *
 * Keywords are case-insensitive. "them" is every identifier not starting with '_'; a PATTERN's '*'
 * stands for any run of characters. A '|' (the old aggregation syntax: "| count() by x", "| near") is
 * refused with its own reason, as is any other token this grammar does not have. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/base/grow.h"
#include "model/detect/sigma_impl.h"

#define COND_MAX_DEPTH 64
#define COND_MAX_NODES 1024 /* evaluation recurses along chains of 'and'/'or': keep them bounded */

struct lexer {
    const char *s;
    size_t pos;
    const char *tok; /* current token: [tok, tok + len); len 0 at the end */
    size_t len;
    const char *const *names;
    size_t nnames;
    struct sigma_cond *c;
    char *err;
    size_t errcap;
    int depth;
};

static int is_word(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
           ch == '*' || ch == '-' || ch == '.' || ch == '?';
}

static void next(struct lexer *lx)
{
    while (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t' || lx->s[lx->pos] == '\n' ||
           lx->s[lx->pos] == '\r')
        lx->pos++;
    lx->tok = lx->s + lx->pos;
    if (!lx->s[lx->pos]) {
        lx->len = 0;
        return;
    }
    size_t n = 0;
    if (is_word(lx->s[lx->pos]))
        while (is_word(lx->s[lx->pos + n]))
            n++;
    else
        n = 1;
    lx->len = n;
    lx->pos += n;
}

static int tok_is(const struct lexer *lx, const char *kw)
{
    size_t n = strlen(kw);
    return lx->len == n && strncasecmp(lx->tok, kw, n) == 0;
}

static int fail(struct lexer *lx, const char *what)
{
    if (lx->len)
        snprintf(lx->err, lx->errcap, "condition: %s at '%.*s' (column %zu)", what,
                 (int)(lx->len > 40 ? 40 : lx->len), lx->tok, (size_t)(lx->tok - lx->s) + 1);
    else
        snprintf(lx->err, lx->errcap, "condition: %s at its end", what);
    return -1;
}

static int nomem(struct lexer *lx)
{
    if (lx->errcap)
        lx->err[0] = '\0';
    return -1;
}

static int add_node(struct lexer *lx, enum cnode_kind kind, int a, int b)
{
    struct sigma_cond *c = lx->c;
    if (c->n >= COND_MAX_NODES)
        return fail(lx, "too long");
    if (grow_array((void **)&c->nodes, &c->cap, c->n + 1, sizeof *c->nodes) != 0)
        return nomem(lx);
    c->nodes[c->n] = (struct cnode){.kind = kind, .a = a, .b = b};
    return (int)c->n++;
}

/* Whether name[0..) matches the pattern p[0..plen), where '*' is any run (exact case, as identifiers). */
static int ident_match(const char *p, size_t plen, const char *name)
{
    size_t nlen = strlen(name), i = 0, j = 0, star = SIZE_MAX, mark = 0;
    while (j < nlen) {
        if (i < plen && p[i] == '*') {
            star = ++i;
            mark = j;
        } else if (i < plen && p[i] == name[j]) {
            i++;
            j++;
        } else if (star != SIZE_MAX) {
            i = star;
            j = ++mark;
        } else {
            return 0;
        }
    }
    while (i < plen && p[i] == '*')
        i++;
    return i == plen;
}

static int parse_or(struct lexer *lx);

static int parse_of(struct lexer *lx, int all)
{
    next(lx);
    if (!tok_is(lx, "of"))
        return fail(lx, "expected 'of'");
    next(lx);
    if (!lx->len || !is_word(lx->tok[0]))
        return fail(lx, "expected a search identifier pattern or 'them'");
    int them = tok_is(lx, "them");
    struct sigma_cond *c = lx->c;
    size_t first = c->nrefs;
    for (size_t k = 0; k < lx->nnames; k++) {
        int hit = them ? lx->names[k][0] != '_' : ident_match(lx->tok, lx->len, lx->names[k]);
        if (!hit)
            continue;
        if (grow_array((void **)&c->refs, &c->refs_cap, c->nrefs + 1, sizeof *c->refs) != 0)
            return nomem(lx);
        c->refs[c->nrefs++] = (int)k;
    }
    if (c->nrefs == first)
        return fail(lx, "no search identifier matches");
    int n = add_node(lx, all ? CN_ALL : CN_ANY, -1, -1);
    if (n < 0)
        return -1;
    c->nodes[n].first = first;
    c->nodes[n].cnt = c->nrefs - first;
    next(lx);
    return n;
}

static int parse_primary(struct lexer *lx)
{
    if (!lx->len)
        return fail(lx, "expected a search identifier");
    if (lx->tok[0] == '|')
        return fail(lx, "aggregations ('| count() by ...', '| near ...') are not supported");
    if (lx->tok[0] == '(') {
        if (++lx->depth > COND_MAX_DEPTH)
            return fail(lx, "nested too deeply");
        next(lx);
        int n = parse_or(lx);
        if (n < 0)
            return -1;
        if (!lx->len || lx->tok[0] != ')')
            return fail(lx, "expected ')'");
        lx->depth--;
        next(lx);
        return n;
    }
    if (tok_is(lx, "1") || tok_is(lx, "all"))
        return parse_of(lx, tok_is(lx, "all"));
    if (!is_word(lx->tok[0]))
        return fail(lx, "unexpected character");
    if (tok_is(lx, "and") || tok_is(lx, "or") || tok_is(lx, "of") || tok_is(lx, "them"))
        return fail(lx, "expected a search identifier");
    if (lx->tok[0] >= '0' && lx->tok[0] <= '9' && lx->len > 0) {
        size_t k = 0;
        while (k < lx->len && lx->tok[k] >= '0' && lx->tok[k] <= '9')
            k++;
        if (k == lx->len)
            return fail(lx, "only '1 of' and 'all of' are supported");
    }
    for (size_t k = 0; k < lx->nnames; k++) {
        if (strlen(lx->names[k]) == lx->len && memcmp(lx->names[k], lx->tok, lx->len) == 0) {
            int n = add_node(lx, CN_IDENT, -1, -1);
            if (n < 0)
                return -1;
            lx->c->nodes[n].ident = (int)k;
            next(lx);
            return n;
        }
    }
    return fail(lx, "unknown search identifier");
}

static int parse_not(struct lexer *lx)
{
    if (tok_is(lx, "not")) {
        if (++lx->depth > COND_MAX_DEPTH)
            return fail(lx, "nested too deeply");
        next(lx);
        int a = parse_not(lx);
        lx->depth--;
        return a < 0 ? -1 : add_node(lx, CN_NOT, a, -1);
    }
    return parse_primary(lx);
}

static int parse_and(struct lexer *lx)
{
    int a = parse_not(lx);
    while (a >= 0 && tok_is(lx, "and")) {
        next(lx);
        int b = parse_not(lx);
        a = b < 0 ? -1 : add_node(lx, CN_AND, a, b);
    }
    return a;
}

static int parse_or(struct lexer *lx)
{
    int a = parse_and(lx);
    while (a >= 0 && tok_is(lx, "or")) {
        next(lx);
        int b = parse_and(lx);
        a = b < 0 ? -1 : add_node(lx, CN_OR, a, b);
    }
    return a;
}

int sigma_cond_parse(const char *text, const char *const *names, size_t n, struct sigma_cond *c, char *err,
                     size_t errcap)
{
    struct lexer lx = {.s = text, .names = names, .nnames = n, .c = c, .err = err, .errcap = errcap};
    if (errcap)
        err[0] = '\0';
    next(&lx);
    int root = parse_or(&lx);
    if (root >= 0 && lx.len) {
        if (lx.tok[0] == '|')
            fail(&lx, "aggregations ('| count() by ...', '| near ...') are not supported");
        else
            fail(&lx, "expected 'and', 'or' or the end");
        root = -1;
    }
    if (root < 0)
        return -1;
    c->root = root;
    return 0;
}

void sigma_cond_free(struct sigma_cond *c)
{
    free(c->nodes);
    free(c->refs);
    memset(c, 0, sizeof *c);
}
