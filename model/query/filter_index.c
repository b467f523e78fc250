/* filter_index: field terms answered from the store's field indexes (model/index/fieldindex.h) instead of
 * one test per event. Before a run evaluates events, each field term gets its result for every event as
 * a bit set (term.hits): an exact value is a lookup, a CIDR a range of addresses, any other pattern is
 * tested once per distinct value. Evaluation then reads the bits where the term's parent cares, so AND,
 * OR, NOT and every other kind of term combine with them exactly as before. Only filter runs prepare
 * the bits (filter_run_step); filter_match alone still tests event by event, and so does a run that is
 * the first to use a field since the events last moved (fieldindex_want: a build costs a few
 * evaluations). */
#include <stdlib.h>
#include <string.h>

#include "model/index/fieldindex.h"
#include "model/query/filter_impl.h"

/* Terms whose result is a test of one or more event fields' strings. */
static int term_fields(const struct term *t, enum event_field out[4])
{
    switch (t->kind) {
    case TK_GLOB:
    case TK_IP:
        memcpy(out, t->spec->fields, (size_t)t->spec->nfields * sizeof *out);
        return t->spec->nfields;
    case TK_ERROR:
        if (t->any)
            return 0;
        memcpy(out, t->spec->fields, (size_t)t->spec->nfields * sizeof *out);
        return t->spec->nfields;
    case TK_INDEXED:
        out[0] = t->ef;
        return 1;
    default:
        return 0;
    }
}

static int test_term(const void *ctx, const char *s, size_t len)
{
    return filter_string_matches(ctx, s, len);
}

/* Whether the term holds exactly for the strings equal (ASCII case aside) to its pattern. */
static int is_exact(const struct term *t)
{
    /* an expression is searched, never a literal: only a scan of every value answers it */
    if (t->re || (t->kind == TK_IP && t->use_net) || memchr(t->pat, '*', t->plen))
        return 0;
    return !t->spec || t->spec->xf == XF_NONE;
}

int filter_index_prepare(struct filter *f, size_t work)
{
    /* The indexes are caches the store keeps for every later filter: building them changes no event. */
    struct store *s = (struct store *)f->s;
    size_t words = (s->nevents + 63) / 64;
    for (size_t k = 0; k < f->nnodes; k++) {
        struct term *t = &f->nodes[k].term;
        enum event_field fields[4];
        int nf = f->nodes[k].kind == NODE_TERM && !t->hits && !t->per_event ? term_fields(t, fields) : 0;
        if (nf == 0)
            continue;
        enum fieldindex_order o = t->kind == TK_IP && t->use_net ? FX_ADDR : FX_VALUE;
        int want = fieldindex_want(s, fields, nf, o);
        if (want < 0)
            return -1;
        if (!want) {
            t->per_event = 1; /* the field's first use: tested event by event, as cheap as a build */
            continue;
        }
        int ready = fieldindex_build(s, fields, nf, o, work);
        if (ready <= 0)
            return ready;
        t->hits = calloc(words ? words : 1, sizeof *t->hits);
        if (!t->hits)
            return -1;
        for (int i = 0; i < nf; i++) {
            const struct fieldindex *x = fieldindex_get(s, fields[i], o);
            if (o == FX_ADDR)
                fieldindex_net(s, x, &t->net, t->hits);
            else if (is_exact(t))
                fieldindex_exact(s, x, t->pat, t->plen, test_term, t, t->hits);
            else
                fieldindex_scan(s, x, test_term, t, t->hits);
        }
        return 0; /* a term per step */
    }
    return 1;
}

void filter_index_bits(const uint64_t *hits, size_t nevents, size_t lo, size_t words, const uint64_t *care,
                       uint64_t *out)
{
    size_t nwords = (nevents + 63) / 64, q = lo / 64;
    unsigned r = (unsigned)(lo % 64);
    for (size_t w = 0; w < words; w++, q++) {
        uint64_t b = q < nwords ? hits[q] >> r : 0;
        if (r && q + 1 < nwords)
            b |= hits[q + 1] << (64 - r);
        out[w] = care[w] & b;
    }
}
