#include "model/identity/origin.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"
#include "model/base/hash.h"

/* Open addressing over ids: each slot holds hash << 32 | (id + 1), 0 = empty; equal hashes are
 * compared by content by the caller. */
struct id_table {
    uint64_t *slots;
    size_t cap, n; /* cap: a power of two */
};

/* Exact map from a non-zero 64-bit key to a 32-bit value. */
struct key_map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
};

struct origin_maps {
    struct id_table actors, chains;
    struct key_map memo;     /* access key id << 32 | userIdentity.arn id -> chain; for an IAM user or
                                root without a key, UINT32_MAX << 32 | its arn */
    uint32_t iam_user, root; /* interned "IAMUser" and "Root", 0 when not loaded */
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

static int map_grow(struct key_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = (uint32_t)hash_mix64(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

static int map_get(const struct key_map *m, uint64_t key, uint32_t *val)
{
    if (!m->cap)
        return 0;
    for (size_t j = (uint32_t)hash_mix64(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
        if (m->keys[j] == key) {
            *val = m->vals[j];
            return 1;
        }
    return 0;
}

static int map_put(struct key_map *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0)
        return -1;
    size_t j = (uint32_t)hash_mix64(key) & (m->cap - 1);
    while (m->keys[j])
        j = (j + 1) & (m->cap - 1);
    m->keys[j] = key;
    m->vals[j] = val;
    m->n++;
    return 0;
}

static uint32_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (uint32_t)hash_mix64(h);
}

/* The actor (type, arn, account, store); added when new. UINT32_MAX when out of memory. */
static uint32_t actor_intern(struct origins *o, const struct origin_actor *a)
{
    struct id_table *t = &o->maps->actors;
    uint32_t h = (uint32_t)hash_mix64((uint64_t)a->arn << 32 ^ a->account ^ (uint64_t)a->store << 16 ^
                                      str_hash(a->type));
    if ((t->n + 1) * 2 > t->cap && table_grow(t) != 0)
        return UINT32_MAX;
    size_t j = h & (t->cap - 1);
    for (; t->slots[j]; j = (j + 1) & (t->cap - 1)) {
        if ((uint32_t)(t->slots[j] >> 32) != h)
            continue;
        uint32_t id = (uint32_t)t->slots[j] - 1;
        const struct origin_actor *b = &o->actors[id];
        if (b->arn == a->arn && b->account == a->account && b->store == a->store &&
            strcmp(b->type, a->type) == 0)
            return id;
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

/* The chain of event i when nothing is memoised: the walk back. */
static uint32_t chain_by_walk(struct origins *o, const struct trace_index *x, size_t i)
{
    struct trace t;
    trace_build_back(x, i, &t);
    struct origin_actor a = {t.origin_type_name, t.origin_arn, t.origin_account, t.origin_store,
                             t.origin_masked};
    uint32_t actor = actor_intern(o, &a);
    if (actor == UINT32_MAX)
        return UINT32_MAX;
    uint32_t roles[TRACE_MAX_HOPS];
    size_t n = 0;
    for (size_t k = 0; k < t.nhops; k++)
        if (t.hops[k].kind == HOP_ROLE && t.hops[k].role_arn)
            roles[n++] = t.hops[k].role_arn;
    return chain_intern(o, actor, roles, n);
}

/* Whether event e is a successful AssumeRole* call: it assumed requestParameters.roleArn. */
static int assumed_role(const struct store *s, const struct event *e)
{
    return store_field(s, e, EF_ROLE_ARN) &&
           (store_field(s, e, EF_ISSUED_KEY) || store_field(s, e, EF_ISSUED_ARN)) &&
           !store_event_failed(s, e);
}

static uint32_t chain_of_event(struct origins *o, const struct trace_index *x, size_t i)
{
    const struct store *s = trace_index_store(x);
    const struct event *e = &s->events[i];
    /* the walk depends on the key and the identity that holds it (the seed's session shows its
     * caller's key), and on onBehalfOf, which is per call */
    uint64_t memo = store_field(s, e, EF_UI_KEY) && !store_field(s, e, EF_UI_OBO_USER)
                        ? (uint64_t)store_field(s, e, EF_UI_KEY) << 32 | store_field(s, e, EF_UI_ARN)
                        : 0;
    uint32_t chain;
    if (!memo || !map_get(&o->maps->memo, memo, &chain)) {
        chain = chain_by_walk(o, x, i);
        if (chain == UINT32_MAX || (memo && map_put(&o->maps->memo, memo, chain) != 0))
            return UINT32_MAX;
    }
    if (!assumed_role(s, e))
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
    free(m->memo.keys);
    free(m->memo.vals);
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
    uint32_t id = intern_find(s->strings, "IAMUser", 7);
    o->maps->iam_user = id == UINT32_MAX ? 0 : id;
    id = intern_find(s->strings, "Root", 4);
    o->maps->root = id == UINT32_MAX ? 0 : id;
    for (size_t i = 0; i < s->nevents; i++) {
        uint32_t c = chain_of_event(o, x, i);
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
