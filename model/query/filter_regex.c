/* filter_regex: the regular expressions of /REGEX/ terms (filter.h), and the one test of a term's value
 * against a string, glob or expression, that evaluation, the field indexes and the findings terms share.
 *
 * PCRE2, as the Sigma rules' `re` (model/detect/sigma_rule.c), with the same kind of bounds: a
 * catastrophic expression ('(a+)+$') gives up after FILTER_RE_MATCH_LIMIT steps instead of running for
 * minutes on a long value. The term's answer on that value is then unknown; it is taken as whichever
 * answer keeps the event out of the result (against the term's polarity: a match under a '-'), so a
 * give-up never adds an event, and the give-up is counted so that the caller can say so
 * (filter_regex_gave_up) and count the events it left out (filter_regex_bound). Evaluation runs on one
 * thread at a time (the filter run's caller), so each expression owns its match data and jit stack. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/jit.h"
#include "model/query/filter_impl.h"

struct filter_re {
    pcre2_code *code;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit; /* or NULL: not compiled to machine code */
    pcre2_match_data *md;
    size_t gave_up; /* values the expression gave up on */
    int unknown_as; /* the answer a value it gave up on gets (filter_regex_bound) */
    int empty;      /* it matches the empty string */
};

void filter_re_free(struct filter_re *re)
{
    if (!re)
        return;
    pcre2_match_data_free(re->md);
    pcre2_jit_stack_free(re->jit);
    pcre2_match_context_free(re->mctx);
    pcre2_code_free(re->code);
    free(re);
}

static int run(struct filter_re *re, const char *s, size_t len)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    re->gave_up++; /* a limit reached (or no memory for the match): not an answer */
    return re->unknown_as;
}

int filter_re_compile(const char *pat, size_t len, struct filter_re **out, char *msg, size_t cap, size_t *off)
{
    *out = NULL;
    struct filter_re *re = calloc(1, sizeof *re);
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (!re || !cc) {
        free(re);
        pcre2_compile_context_free(cc);
        return -2;
    }
    pcre2_set_max_pattern_length(cc, FILTER_RE_MAX_LEN);
    int code;
    PCRE2_SIZE at = 0;
    /* Invalid UTF-8 in a logged value is matched as it is rather than refused (MATCH_INVALID_UTF) */
    re->code = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_CASELESS,
                             &code, &at, cc);
    pcre2_compile_context_free(cc);
    if (!re->code) {
        PCRE2_UCHAR m[160];
        if (pcre2_get_error_message(code, m, sizeof m) < 0)
            snprintf((char *)m, sizeof m, "error %d", code);
        snprintf(msg, cap, "%s", (const char *)m);
        *off = at;
        free(re);
        return -1;
    }
    re->mctx = pcre2_match_context_create(NULL);
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    if (!re->mctx || !re->md) {
        filter_re_free(re);
        return -2;
    }
    pcre2_set_match_limit(re->mctx, FILTER_RE_MATCH_LIMIT);
    pcre2_set_depth_limit(re->mctx, FILTER_RE_DEPTH_LIMIT);
    pcre2_set_heap_limit(re->mctx, FILTER_RE_HEAP_LIMIT);
    /* jit is a speed-up only; its default 32 KiB stack gives up early on a repeated group */
    if (jit_wanted() && pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0 &&
        (re->jit = pcre2_jit_stack_create(32 << 10, FILTER_RE_JIT_STACK, NULL)) != NULL)
        pcre2_jit_stack_assign(re->mctx, NULL, re->jit);
    re->empty = run(re, "", 0);
    re->gave_up = 0;
    *out = re;
    return 0;
}

int filter_re_matches_empty(const struct filter_re *re)
{
    return re->empty;
}

int filter_pattern_matches(const struct term *t, const char *s, size_t len)
{
    return t->re ? run(t->re, s, len) : match_glob(t->pat, t->plen, s, len);
}

int filter_pattern_contains(const struct term *t, const char *s, size_t len)
{
    return t->re ? run(t->re, s, len) : match_contains(t->pat, t->plen, s, len);
}

/* Sets the answer of the give-ups of the terms under node idx, whose result counts positively (negated
 * 0) or through an odd number of '-' (negated 1). */
static void bound_node(struct filter *f, int idx, int negated, int upper)
{
    struct node *n = &f->nodes[idx];
    switch (n->kind) {
    case NODE_TERM:
        if (n->term.re)
            n->term.re->unknown_as = upper ^ negated;
        return;
    case NODE_NOT:
        bound_node(f, n->left, !negated, upper);
        return;
    case NODE_AND:
    case NODE_OR:
        bound_node(f, n->left, negated, upper);
        bound_node(f, n->right, negated, upper);
        return;
    case NODE_ALL:
        return;
    }
}

void filter_regex_bound(struct filter *f, int upper)
{
    if (f->nnodes)
        bound_node(f, f->root, 0, upper ? 1 : 0);
}

size_t filter_regex_gave_up(const struct filter *f, char *what, size_t cap)
{
    size_t total = 0;
    if (cap)
        what[0] = '\0';
    for (size_t k = 0; k < f->nnodes; k++) {
        const struct term *t = &f->nodes[k].term;
        if (f->nodes[k].kind != NODE_TERM || !t->re || !t->re->gave_up)
            continue;
        if (!total && cap >= 8) {
            /* the expression as typed, control bytes as '?' (a message line must stay one line) */
            size_t room = cap - 6, take = t->plen < room ? t->plen : room, n = 0;
            what[n++] = '/';
            for (size_t i = 0; i < take; i++)
                what[n++] = (unsigned char)t->pat[i] < 0x20 || t->pat[i] == 0x7f ? '?' : t->pat[i];
            if (take < t->plen)
                memcpy(what + n, "...", 3), n += 3;
            what[n++] = '/';
            what[n] = '\0';
        }
        total += t->re->gave_up;
    }
    return total;
}
