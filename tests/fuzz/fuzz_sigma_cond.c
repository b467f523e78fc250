/* libFuzzer: any text as the condition of a Sigma rule over a fixed set of search identifiers. The parser
 * must accept it into a well-formed tree (every child, identifier and x-of reference in range) or refuse it
 * with a message; an accepted tree is then evaluated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/detect/sigma_impl.h"

static enum sigma_fetch no_values(void *ctx, size_t ev, int path_id, int cheap,
                                  const struct sigma_value **vals, size_t *n)
{
    (void)ctx, (void)ev, (void)path_id, (void)cheap;
    *vals = NULL;
    *n = 0;
    return SIGMA_FETCH_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"selection", "selection_a", "filter_main_x",
                                        "_hidden",   "keywords",    "them1"};
    enum { N = sizeof names / sizeof *names };
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct sigma_rule r = {0};
    char err[256];
    int rc = sigma_cond_parse(text, names, N, &r.cond, err, sizeof err);
    if (rc == 0) {
        const struct sigma_cond *c = &r.cond;
        if (c->root < 0 || (size_t)c->root >= c->n)
            abort();
        for (size_t k = 0; k < c->n; k++) {
            const struct cnode *nd = &c->nodes[k];
            if (nd->kind == CN_IDENT && (nd->ident < 0 || nd->ident >= N))
                abort();
            if ((nd->kind == CN_AND || nd->kind == CN_OR || nd->kind == CN_NOT) &&
                (nd->a < 0 || (size_t)nd->a >= k))
                abort(); /* children come before their parent: the tree has no cycle */
            if ((nd->kind == CN_AND || nd->kind == CN_OR) && (nd->b < 0 || (size_t)nd->b >= k))
                abort();
            if ((nd->kind == CN_ANY || nd->kind == CN_ALL) &&
                (nd->cnt == 0 || nd->first + nd->cnt > c->nrefs))
                abort();
        }
        for (size_t k = 0; k < c->nrefs; k++)
            if (c->refs[k] < 0 || c->refs[k] >= N)
                abort();
        struct sigma_ident idents[N] = {{0}};
        r.idents = idents;
        r.nidents = N;
        struct sigma_source src = {NULL, no_values, NULL};
        sigma_rule_eval(&r, &src, 0, 0);
    } else if (err[0] == '\0') {
        /* out of memory is the only refusal without a message */
    }
    sigma_cond_free(&r.cond);
    free(text);
    return 0;
}
