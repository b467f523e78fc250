#include "model/actors.h"

#include <stdlib.h>
#include <string.h>

#include "model/timefmt.h"
#include "model/trace.h"

/* What a set entry counts, in its top bits. */
enum tag { T_SESSION = 1, T_ACCOUNT, T_IP, T_CHAIN, T_ROLE };

/* A set of (tag, actor, id) triples packed into 64 bits; 0 is the empty slot (tags start at 1). */
struct set {
    uint64_t *slots;
    size_t cap, n;
};

static uint64_t pack(enum tag tag, uint32_t actor, uint32_t id)
{
    return (uint64_t)tag << 61 | (uint64_t)(actor & 0x1fffffff) << 32 | id;
}

static size_t slot_of(uint64_t k, size_t cap)
{
    k ^= k >> 31;
    k *= 0x9e3779b97f4a7c15ULL;
    return (size_t)(k >> 17) & (cap - 1);
}

/* Adds k; returns 1 when it was new, 0 when present, -1 when out of memory. */
static int set_add(struct set *s, uint64_t k)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) {
                size_t j = slot_of(s->slots[i], cap);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = s->slots[i];
            }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t j = slot_of(k, s->cap);
    for (; s->slots[j]; j = (j + 1) & (s->cap - 1))
        if (s->slots[j] == k)
            return 0;
    s->slots[j] = k;
    s->n++;
    return 1;
}

/* A first-claim cache in front of the set: stamp[id] holds the (tag, row) that counted id first, so the
 * common case (an id seen by one row only) costs one array access instead of a hash probe; another
 * (tag, row) pair for the same id goes to the set. */
struct counter {
    uint32_t *stamp; /* owned, per interned string (ids) or per chain */
    size_t n;
    struct set *set;
};

/* Returns 1 when (tag, row, id) is new, 0 when seen, -1 when out of memory. */
static int count_new(struct counter *c, enum tag tag, uint32_t row, uint32_t id)
{
    uint32_t want = (uint32_t)tag << 29 | (row + 1);
    if (id < c->n) {
        if (c->stamp[id] == want)
            return 0;
        if (!c->stamp[id]) {
            c->stamp[id] = want;
            return 1;
        }
    }
    return set_add(c->set, pack(tag, row, id));
}

struct listed {
    uint32_t row, id;
    enum tag tag;
};

static const struct store *sort_store; /* for the qsort comparators (single-threaded use) */

static int cmp_listed(const void *a, const void *b)
{
    const struct listed *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->tag != y->tag)
        return x->tag < y->tag ? -1 : 1;
    return strcmp(intern_str(sort_store->strings, x->id), intern_str(sort_store->strings, y->id));
}

static int cmp_rows(const void *a, const void *b)
{
    const struct actor_row *x = a, *y = b;
    if (x->events != y->events)
        return x->events > y->events ? -1 : 1;
    const struct origin_actor *p = &sort_store->origins->actors[x->actor],
                              *q = &sort_store->origins->actors[y->actor];
    int c = strcmp(intern_str(sort_store->strings, p->arn), intern_str(sort_store->strings, q->arn));
    if (c)
        return c;
    c = strcmp(intern_str(sort_store->strings, p->account), intern_str(sort_store->strings, q->account));
    return c ? c : strcmp(p->type, q->type);
}

int actors_build(const struct store *s, const uint32_t *idx, size_t n, struct actor_table *out)
{
    memset(out, 0, sizeof *out);
    const struct origins *o = s->origins;
    if (!o || o->nevents != s->nevents)
        return -1;
    if (!idx)
        n = s->nevents;
    uint32_t *row_of = malloc((o->nactors ? o->nactors : 1) * sizeof *row_of);
    struct actor_row *rows = calloc(o->nactors ? o->nactors : 1, sizeof *rows);
    struct set set = {0};
    struct counter ids = {calloc(intern_count(s->strings) + 1, sizeof(uint32_t)), intern_count(s->strings),
                          &set};
    struct counter chains = {calloc(o->nchains + 1, sizeof(uint32_t)), o->nchains, &set};
    struct listed *lists = NULL;
    size_t nlists = 0, lists_cap = 0;
    int rc = -1;
    if (!row_of || !rows || !ids.stamp || !chains.stamp || o->nactors >= (1u << 29))
        goto done;
    memset(row_of, 0xff, (o->nactors ? o->nactors : 1) * sizeof *row_of);
    size_t nrows = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = idx ? idx[k] : k;
        const struct event *e = &s->events[i];
        const struct origin_chain *c = &o->chains[o->chain_of[i]];
        uint32_t a = c->actor;
        if (row_of[a] == UINT32_MAX) {
            row_of[a] = (uint32_t)nrows;
            rows[nrows] = (struct actor_row){.actor = a, .first = TIME_NONE, .last = TIME_NONE};
            nrows++;
        }
        uint32_t r = row_of[a];
        struct actor_row *row = &rows[r];
        row->events++;
        row->errors += EVENT_FAILED(e);
        if (e->time_ms != TIME_NONE) {
            if (row->first == TIME_NONE || e->time_ms < row->first)
                row->first = e->time_ms;
            if (row->last == TIME_NONE || e->time_ms > row->last)
                row->last = e->time_ms;
        }
        /* the ids that are listed (accounts, roles) are kept; the counted ones only counted */
        uint32_t acct = trace_event_account(s, i);
        struct {
            enum tag tag;
            uint32_t id;
        } adds[3] = {{T_SESSION, e->f[EF_UI_KEY]}, {T_IP, e->f[EF_IP]}, {T_ACCOUNT, acct}};
        for (int q = 0; q < 3; q++) {
            if (!adds[q].id)
                continue;
            int isnew = count_new(&ids, adds[q].tag, r, adds[q].id);
            if (isnew < 0)
                goto done;
            if (!isnew)
                continue;
            if (adds[q].tag == T_SESSION)
                row->sessions++;
            else if (adds[q].tag == T_IP)
                row->ips++;
            else if (nlists == lists_cap) {
                lists_cap = lists_cap ? lists_cap * 2 : 256;
                struct listed *l = realloc(lists, lists_cap * sizeof *l);
                if (!l)
                    goto done;
                lists = l;
            }
            if (adds[q].tag == T_ACCOUNT)
                lists[nlists++] = (struct listed){r, adds[q].id, T_ACCOUNT};
        }
        /* roles: once per distinct chain of the row */
        int isnew = count_new(&chains, T_CHAIN, r, o->chain_of[i]);
        if (isnew < 0)
            goto done;
        for (uint32_t q = 0; isnew && q < c->nroles; q++) {
            uint32_t role = o->roles[c->roles_first + q];
            int rn = count_new(&ids, T_ROLE, r, role);
            if (rn < 0)
                goto done;
            if (!rn)
                continue;
            if (nlists == lists_cap) {
                lists_cap = lists_cap ? lists_cap * 2 : 256;
                struct listed *l = realloc(lists, lists_cap * sizeof *l);
                if (!l)
                    goto done;
                lists = l;
            }
            lists[nlists++] = (struct listed){r, role, T_ROLE};
        }
    }
    out->ids = malloc((nlists ? nlists : 1) * sizeof *out->ids);
    if (!out->ids)
        goto done;
    sort_store = s;
    qsort(lists, nlists, sizeof *lists, cmp_listed);
    for (size_t k = 0; k < nlists; k++) {
        out->ids[k] = lists[k].id;
        struct actor_row *row = &rows[lists[k].row];
        if (lists[k].tag == T_ACCOUNT) {
            if (!row->naccounts++)
                row->accounts = out->ids + k;
        } else if (!row->nroles++) {
            row->roles = out->ids + k;
        }
    }
    qsort(rows, nrows, sizeof *rows, cmp_rows);
    sort_store = NULL;
    out->rows = rows;
    out->n = nrows;
    rows = NULL;
    rc = 0;
done:
    if (rc != 0) {
        free(out->ids);
        out->ids = NULL;
    }
    free(row_of);
    free(rows);
    free(set.slots);
    free(ids.stamp);
    free(chains.stamp);
    free(lists);
    return rc;
}

void actors_free(struct actor_table *t)
{
    free(t->rows);
    free(t->ids);
    memset(t, 0, sizeof *t);
}

const char *actors_name(const struct store *s, const struct actor_row *r)
{
    return intern_str(s->strings, s->origins->actors[r->actor].arn);
}
