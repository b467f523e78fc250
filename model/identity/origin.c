#include "model/identity/origin.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"
#include "model/base/hash.h"
#include "model/base/timefmt.h"

/* Open addressing over ids: each slot holds hash << 32 | (id + 1), 0 = empty; equal hashes are
 * compared by content by the caller. */
struct id_table {
    uint64_t *slots;
    size_t cap, n; /* cap: a power of two */
};

/* The identity details the walk reads from the event it starts at (trace.c, trace_origin.c): two
 * events equal in all of them have the same walk, but for the event's own time. */
static const enum event_field memo_fields[] = {
    EF_UI_TYPE,       EF_UI_KEY,       EF_UI_ARN,       EF_UI_SESSION_CREATED, EF_UI_SOURCE_IDENTITY,
    EF_UI_ISSUER_ARN, EF_UI_ACCOUNT,   EF_UI_PRINCIPAL, EF_UI_INVOKED_BY,      EF_UI_USER,
    EF_UI_OBO_USER,   EF_UI_OBO_STORE,
};
#define MEMO_N (sizeof memo_fields / sizeof *memo_fields + 3) /* + event account, flags, sharedEventID */

struct memo_entry {
    uint32_t f[MEMO_N];
    uint32_t chain;
    int check_time;      /* the event's own hop was found by key: its time is checked per event */
    int64_t issuer_time; /* ... against this, the issuing call's */
};

struct origin_maps {
    struct id_table actors, chains, memo;
    struct memo_entry *entries;
    size_t nentries, entries_cap;
    uint32_t aws_account; /* interned "AWSAccount", 0 when not loaded */
    uint32_t login;       /* interned "ConsoleLogin", 0 when not loaded */
};

static int table_grow(struct id_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        uint64_t v = t->slots[i];
        if (!v)
            continue;
        size_t j = (v >> 32) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = v;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

static uint32_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (uint32_t)hash_mix64(h);
}

/* The actor a (by type, key, account, store, masked, uncertain); added when new (name and arn from
 * the first event). UINT32_MAX when out of memory. */
static uint32_t actor_intern(struct origins *o, const struct origin_actor *a)
{
    struct id_table *t = &o->maps->actors;
    uint32_t h = (uint32_t)hash_mix64((uint64_t)str_hash(a->key) << 32 ^ a->account ^ (uint64_t)a->store << 16 ^
                                      str_hash(a->type) ^ (uint64_t)(a->masked | a->uncertain << 1) << 40);
    if ((t->n + 1) * 2 > t->cap && table_grow(t) != 0)
        return UINT32_MAX;
    size_t j = h & (t->cap - 1);
    for (; t->slots[j]; j = (j + 1) & (t->cap - 1)) {
        if ((uint32_t)(t->slots[j] >> 32) != h)
            continue;
        uint32_t id = (uint32_t)t->slots[j] - 1;
        const struct origin_actor *b = &o->actors[id];
        if (b->account == a->account && b->store == a->store && b->masked == a->masked &&
            b->uncertain == a->uncertain && strcmp(b->key, a->key) == 0 && strcmp(b->type, a->type) == 0) {
            if (!b->name && a->name)
                o->actors[id].name = a->name;
            return id;
        }
    }
    if (grow_array_from((void **)&o->actors, &o->actors_cap, o->nactors + 1, sizeof *o->actors, 64) != 0)
        return UINT32_MAX;
    o->actors[o->nactors] = *a;
    t->slots[j] = (uint64_t)h << 32 | (o->nactors + 1);
    t->n++;
    return (uint32_t)o->nactors++;
}

/* The chain (actor, roles[0..n)); added when new. UINT32_MAX when out of memory. */
static uint32_t chain_intern(struct origins *o, uint32_t actor, const uint32_t *roles, size_t n)
{
    struct id_table *t = &o->maps->chains;
    uint64_t acc = actor;
    for (size_t k = 0; k < n; k++)
        acc = acc * 1000003ULL ^ roles[k];
    uint32_t h = (uint32_t)hash_mix64(acc ^ (uint64_t)n << 56);
    if ((t->n + 1) * 2 > t->cap && table_grow(t) != 0)
        return UINT32_MAX;
    size_t j = h & (t->cap - 1);
    for (; t->slots[j]; j = (j + 1) & (t->cap - 1)) {
        if ((uint32_t)(t->slots[j] >> 32) != h)
            continue;
        uint32_t id = (uint32_t)t->slots[j] - 1;
        const struct origin_chain *c = &o->chains[id];
        if (c->actor == actor && c->nroles == n &&
            (n == 0 || memcmp(o->roles + c->roles_first, roles, n * sizeof *roles) == 0))
            return id;
    }
    if (grow_array_from((void **)&o->chains, &o->chains_cap, o->nchains + 1, sizeof *o->chains, 256) != 0 ||
        grow_array_from((void **)&o->roles, &o->roles_cap, o->nroles + n, sizeof *o->roles, 256) != 0)
        return UINT32_MAX;
    if (n) /* o->roles is still NULL while no chain has a role */
        memcpy(o->roles + o->nroles, roles, n * sizeof *roles);
    o->chains[o->nchains] = (struct origin_chain){actor, (uint32_t)o->nroles, (uint32_t)n};
    o->nroles += n;
    t->slots[j] = (uint64_t)h << 32 | (o->nchains + 1);
    t->n++;
    return (uint32_t)o->nchains++;
}

void origin_actor_of_trace(const struct trace *t, struct origin_actor *a)
{
    *a =
        (struct origin_actor){t->origin_type_name, t->origin_key, t->origin_key_account, t->origin_store,
                              t->origin_name,      t->origin_arn, t->origin_masked,      t->origin_uncertain};
}

/* The chain of event i by the walk back; *t is left with the trace. */
static uint32_t chain_by_walk(struct origins *o, const struct trace_index *x, size_t i, struct trace *t)
{
    trace_build_back(x, i, t);
    struct origin_actor a;
    origin_actor_of_trace(t, &a);
    uint32_t actor = actor_intern(o, &a);
    if (actor == UINT32_MAX)
        return UINT32_MAX;
    uint32_t roles[TRACE_MAX_HOPS];
    size_t n = 0;
    for (size_t k = 0; k < t->nhops; k++)
        if (t->hops[k].kind == HOP_ROLE && t->hops[k].role_arn)
            roles[n++] = t->hops[k].role_arn;
    return chain_intern(o, actor, roles, n);
}

int origin_assumed_role(const struct store *s, const struct event *e)
{
    return store_field(s, e, EF_ROLE_ARN) &&
           (store_field(s, e, EF_ISSUED_KEY) || store_field(s, e, EF_ISSUED_ARN)) &&
           !store_event_failed(s, e);
}

/* The memo key of event i into k: the identity details its walk reads. Returns 0 when the walk is not
 * memoised: no key (nothing to look up), or a call the walk may find as an issuer and so leaves out of
 * its own (an STS call, a sign-in). */
static int memo_key(const struct origins *o, const struct store *s, size_t i, uint32_t *k)
{
    const struct event *e = &s->events[i];
    if (!store_field(s, e, EF_UI_KEY) || store_field(s, e, EF_ISSUED_KEY) ||
        store_field(s, e, EF_ISSUED_ARN) || (o->maps->login && store_field(s, e, EF_NAME) == o->maps->login))
        return 0;
    size_t n = 0;
    for (size_t f = 0; f < sizeof memo_fields / sizeof *memo_fields; f++)
        k[n++] = store_field(s, e, memo_fields[f]);
    k[n++] = trace_event_account(s, i);
    k[n++] = e->flags & EVF_USER_MASKED;
    /* the role owner's record is walked through its twin */
    k[n++] = store_field(s, e, EF_UI_TYPE) == o->maps->aws_account ? store_field(s, e, EF_SHARED_ID) : 0;
    return 1;
}

static uint32_t memo_hash(const uint32_t *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t n = 0; n < MEMO_N; n++)
        h = (h ^ k[n]) * 1099511628211ULL;
    return (uint32_t)hash_mix64(h);
}

/* The memo entry of key k (hash h), or NULL; *slot is where to add it. */
static struct memo_entry *memo_find(struct origin_maps *m, const uint32_t *k, uint32_t h, size_t *slot)
{
    struct id_table *t = &m->memo;
    size_t j = h & (t->cap - 1);
    for (; t->slots[j]; j = (j + 1) & (t->cap - 1)) {
        if ((uint32_t)(t->slots[j] >> 32) != h)
            continue;
        struct memo_entry *me = &m->entries[(uint32_t)t->slots[j] - 1];
        if (memcmp(me->f, k, sizeof me->f) == 0)
            return me;
    }
    *slot = j;
    return NULL;
}

/* Remembers the walk of the event with key k (hash h, free slot slot) as t found it: unless it stopped
 * (a cycle or too many hops: the event's own place in the chain matters) or its own hop was refused
 * for its time (another event of the key may be later). Returns 0, or -1 when out of memory. */
static int memo_add(struct origin_maps *m, const uint32_t *k, uint32_t h, size_t slot, uint32_t chain,
                    const struct trace *t, const struct store *s)
{
    if (t->cycle || t->truncated)
        return 0;
    const struct trace_hop *own = t->own_hop ? &t->hops[t->nhops - 1] : NULL;
    int check = own && own->issuer != TRACE_NONE && !own->inferred;
    if (check && own->conflict == TC_EARLIER)
        return 0;
    if (m->nentries == m->entries_cap) {
        size_t cap = m->entries_cap ? m->entries_cap * 2 : 256;
        struct memo_entry *v = realloc(m->entries, cap * sizeof *v);
        if (!v)
            return -1;
        m->entries = v;
        m->entries_cap = cap;
    }
    struct memo_entry *me = &m->entries[m->nentries];
    memcpy(me->f, k, sizeof me->f);
    me->chain = chain;
    me->check_time = check;
    me->issuer_time = check ? s->events[own->issuer].time_ms : TIME_NONE;
    m->memo.slots[slot] = (uint64_t)h << 32 | (m->nentries + 1);
    m->memo.n++;
    m->nentries++;
    return 0;
}

static uint32_t chain_of_event(struct origins *o, const struct trace_index *x, size_t i, struct trace *t)
{
    const struct store *s = trace_index_store(x);
    const struct event *e = &s->events[i];
    uint32_t k[MEMO_N], chain = UINT32_MAX;
    int memo = memo_key(o, s, i, k);
    uint32_t h = memo ? memo_hash(k) : 0;
    size_t slot = 0;
    if (memo && (o->maps->memo.n + 1) * 2 > o->maps->memo.cap && table_grow(&o->maps->memo) != 0)
        return UINT32_MAX;
    const struct memo_entry *me = memo ? memo_find(o->maps, k, h, &slot) : NULL;
    /* the event's own time against the call that issued its key: a contradiction is per event */
    if (me && !(me->check_time && e->time_ms != TIME_NONE && me->issuer_time != TIME_NONE &&
                e->time_ms < me->issuer_time))
        chain = me->chain;
    if (chain == UINT32_MAX) {
        chain = chain_by_walk(o, x, i, t);
        if (chain == UINT32_MAX || (memo && !me && memo_add(o->maps, k, h, slot, chain, t, s) != 0))
            return UINT32_MAX;
    }
    if (!origin_assumed_role(s, e))
        return chain;
    const struct origin_chain *c = &o->chains[chain];
    uint32_t roles[TRACE_MAX_HOPS + 1];
    size_t n = c->nroles < TRACE_MAX_HOPS ? c->nroles : TRACE_MAX_HOPS;
    if (n)
        memcpy(roles, o->roles + c->roles_first, n * sizeof *roles);
    roles[n++] = store_field(s, e, EF_ROLE_ARN);
    return chain_intern(o, c->actor, roles, n);
}

static void maps_free(struct origin_maps *m)
{
    if (!m)
        return;
    free(m->actors.slots);
    free(m->chains.slots);
    free(m->memo.slots);
    free(m->entries);
    free(m);
}

struct origins *origins_new(const struct trace_index *x)
{
    const struct store *s = trace_index_store(x);
    struct origins *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->nevents = s->nevents;
    o->chain_of = malloc((s->nevents ? s->nevents : 1) * sizeof *o->chain_of);
    o->maps = calloc(1, sizeof *o->maps);
    if (!o->chain_of || !o->maps) {
        origins_free(o);
        return NULL;
    }
    uint32_t id = intern_find(s->strings, "AWSAccount", 10);
    o->maps->aws_account = id == UINT32_MAX ? 0 : id;
    id = intern_find(s->strings, "ConsoleLogin", 12);
    o->maps->login = id == UINT32_MAX ? 0 : id;
    struct trace t;
    for (size_t i = 0; i < s->nevents; i++) {
        uint32_t c = chain_of_event(o, x, i, &t);
        if (c == UINT32_MAX) {
            origins_free(o);
            return NULL;
        }
        o->chain_of[i] = c;
    }
    maps_free(o->maps);
    o->maps = NULL;
    return o;
}

void origins_free(struct origins *o)
{
    if (!o)
        return;
    free(o->chain_of);
    free(o->chains);
    free(o->roles);
    free(o->actors);
    maps_free(o->maps);
    free(o);
}

static void origins_free_data(void *data)
{
    origins_free(data);
}

static int origins_moved(void *data, struct store *s, const struct store_move *mv)
{
    (void)data, (void)s, (void)mv;
    return 1; /* indexed by event: computed again on the next use */
}

static const struct store_derived_ops origins_ops = {
    .name = "origins",
    .free = origins_free_data,
    .events_moved = origins_moved,
};

const struct origins *origins_of(const struct store *s)
{
    return store_derived_get(s, &origins_ops);
}

int origins_ensure(struct store *s, const struct trace_index *x)
{
    const struct origins *have = origins_of(s);
    if (have && have->nevents == s->nevents)
        return 0;
    store_derived_set(s, &origins_ops, NULL);
    struct trace_index *own = NULL;
    if (!x && !(x = own = trace_index_new(s)))
        return -1;
    struct origins *o = origins_new(x);
    trace_index_free(own);
    if (o && store_derived_set(s, &origins_ops, o) != 0) {
        origins_free(o);
        o = NULL;
    }
    return o ? 0 : -1;
}
