/* origin: every event's origin, the principal at the start of its chain (README: Identity trace), computed once
 * for the whole store with the trace index, so the origin: filter and the actors view cost a lookup.
 *
 * Events that share a key and an identity share a chain, so the walk runs once per session, not once
 * per event. An event's chain is its origin (an actor) and the roles assumed on the way to it,
 * including the role the event itself assumed when it is a successful AssumeRole* call. */
#ifndef CTVIEW_ORIGIN_H
#define CTVIEW_ORIGIN_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"
#include "model/identity/trace.h"

/* A principal at the start of chains: one per (type, arn, account). */
struct origin_actor {
    const char *type; /* borrowed (static or interned): "IAMUser", "AssumedRole"... or "Unknown" */
    uint32_t arn;     /* interned: the ARN, else what names it (see trace.h); an Identity Center user's
                         onBehalfOf.userId; an unknown origin's farthest principal reached */
    uint32_t account; /* interned */
    uint32_t store;   /* interned identityStoreArn of an Identity Center user, else 0 */
    int masked;       /* a sign-in whose name AWS masked: its own actor, never a person */
};

struct origin_chain {
    uint32_t actor;       /* index into actors */
    uint32_t roles_first; /* its role ARNs (interned ids): roles[roles_first .. + nroles) */
    uint32_t nroles;
};

struct origins {
    size_t nevents;              /* the store's event count when computed */
    uint32_t *chain_of;          /* owned, per event: index into chains */
    struct origin_chain *chains; /* owned */
    size_t nchains, chains_cap;
    uint32_t *roles; /* owned */
    size_t nroles, roles_cap;
    struct origin_actor *actors; /* owned */
    size_t nactors, actors_cap;
    struct origin_maps *maps; /* owned: lookup tables used while computing; NULL after */
};

/* Computes the origin of every event of the store x was built for. Returns the origins (owned; free
 * with origins_free) or NULL when out of memory. */
struct origins *origins_new(const struct trace_index *x);
void origins_free(struct origins *o);

/* Makes s->origins current (computed for the store's events as they are now), building a trace index
 * for the purpose when x is NULL. Returns 0, or -1 when out of memory. */
int origins_ensure(struct store *s, const struct trace_index *x);

/* The actor that event ev goes back to (index into o->actors). */
static inline uint32_t origins_actor_of(const struct origins *o, size_t ev)
{
    return o->chains[o->chain_of[ev]].actor;
}

#endif
