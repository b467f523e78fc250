/* origin: every event's origin, the principal at the start of its chain (README: Identity trace), computed once
 * for the whole store with the trace index, so the origin: filter and the actors view cost a lookup.
 *
 * Events whose identities are the same in every detail the walk reads share a chain, so the walk runs
 * once per session, not once per event; what differs per event (its time, against the call that issued
 * its key) is checked per event. So every event's origin is exactly its trace's. An event's chain is its
 * origin (an actor) and the roles assumed on the way to it, including the role the event itself assumed when
 * it is a successful AssumeRole* call. */
#ifndef CTVIEW_ORIGIN_H
#define CTVIEW_ORIGIN_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"
#include "model/identity/trace.h"

/* A principal at the start of chains, as trace.h names it (origin_key): one per (type, key, account,
 * identity store, masked, uncertain). */
struct origin_actor {
    const char *type; /* borrowed (static or interned): "IAMUser", "AssumedRole"... or "Unknown" */
    const char *key;  /* borrowed: trace.h origin_key, what --actors prints as its ARN */
    uint32_t account; /* interned: the account that owns the principal; 0 for one that acts across
                         accounts (an AWS service, an Identity Center or web-identity user) */
    uint32_t store;   /* interned identityStoreArn of an Identity Center user, else 0 */
    const char *name; /* borrowed: an Identity Center user's user name, when known; else NULL */
    uint32_t arn;     /* interned: a string that is the key or ends with it after '/' or ':' (what
                         origin: matches), from the first event of the actor */
    int masked;       /* a sign-in whose name AWS masked: its own actor, never a person */
    int uncertain;    /* reached through a conflict hop (trace.h): the same principal without that doubt
                         is another actor */
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

/* The actor of a trace: the one reading of a trace's origin that origins_new, --trace and the trace
 * view share (borrowed strings, as in t). */
void origin_actor_of_trace(const struct trace *t, struct origin_actor *a);

/* Computes the origin of every event of the store x was built for. Returns the origins (owned; free
 * with origins_free) or NULL when out of memory. */
struct origins *origins_new(const struct trace_index *x);
void origins_free(struct origins *o);

/* Makes the store's origins current (computed for the store's events as they are now and kept with
 * the store as derived data, dropped when the events move), building a trace index for the purpose when
 * x is NULL. Returns 0, or -1 when out of memory. */
int origins_ensure(struct store *s, const struct trace_index *x);

/* Whether event e is a successful AssumeRole* call: it assumed requestParameters.roleArn, the last role
 * of its chain. */
int origin_assumed_role(const struct store *s, const struct event *e);

/* The store's origins (borrowed, valid until the store's events change), or NULL until origins_ensure. */
const struct origins *origins_of(const struct store *s);

/* The actor that event ev goes back to (index into o->actors). */
static inline uint32_t origins_actor_of(const struct origins *o, size_t ev)
{
    return o->chains[o->chain_of[ev]].actor;
}

#endif
