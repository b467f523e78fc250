/* trace_impl: what trace.c and trace_origin.c share, private to model/identity: the trace index and
 * the kind of credentials an event was made with. */
#ifndef CTVIEW_TRACE_IMPL_H
#define CTVIEW_TRACE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "model/identity/trace.h"

/* A sorted list of (interned id << 32 | event) pairs: the events that carry each id. */
struct id_index {
    uint64_t *pairs;
    size_t n;
};

/* An Identity Center user named by an event that also gives its identity-store user id: the user name
 * (the AWSReservedSSO session's name, or userIdentity.userName) beside userIdentity.onBehalfOf. */
struct ic_alias {
    const char *name; /* borrowed from the store's strings */
    uint32_t user;    /* interned onBehalfOf.userId; 0 when the name is given to two users (no join) */
    uint32_t store;   /* interned onBehalfOf.identityStoreArn */
};

struct trace_index {
    const struct store *s;
    struct id_index by_key;        /* userIdentity.accessKeyId; event stored as ~index: newest first */
    struct id_index by_issued_key; /* responseElements.credentials.accessKeyId */
    struct id_index by_issued_arn; /* responseElements.assumedRoleUser.arn */
    struct id_index by_shared;     /* sharedEventID */
    struct id_index by_login_arn;  /* userIdentity.arn of successful ConsoleLogin events */
    struct ic_alias *by_name;      /* owned: sorted by name, one per name */
    size_t nby_name;
    struct ic_alias *by_user; /* owned: sorted by user id, one per user (its smallest name) */
    size_t nby_user;
};

/* What kind of credentials an event was made with, as far as tracing goes. */
enum cred {
    CRED_LONG_TERM,   /* an IAM user's or root's own key or password, a service, an external IdP user */
    CRED_USER_TEMP,   /* an IAM user's or root's ASIA key: GetSessionToken or a console session */
    CRED_ROLE,        /* a role session (or an ASIA key of an identity that names no type) */
    CRED_FEDERATED,   /* a GetFederationToken session */
    CRED_ROLE_OWNERS, /* the role owner's record of a cross-account call: names only the caller's account */
};

/* trace_origin.c: naming the origin. */

/* Builds x->by_name and x->by_user from the events with onBehalfOf. Returns 0, or -1 when out of memory. */
int trace_alias_build(struct trace_index *x);
void trace_alias_free(struct trace_index *x);

/* The origin is the principal that made event ev, named as the logs name it. */
void trace_origin_is(const struct store *s, struct trace *t, size_t ev);
/* The chain's start is not loaded: the origin is unknown, named by the farthest principal reached. */
void trace_origin_unknown(const struct store *s, struct trace *t, size_t ev);
/* A session whose issuing call is not loaded but whose identity still names its origin (a federated
 * user's issuer, an Identity Center permission set's session, a service-linked role). Returns 1 when
 * it did. */
int trace_origin_from_session(const struct store *s, struct trace *t, size_t ev, enum cred cred);
/* The origin of a chain acted on behalf of an Identity Center user (event ev names it). */
void trace_origin_on_behalf(const struct store *s, struct trace *t, size_t ev);
/* Sets t->origin_key, origin_key_account and origin_name from the origin found (see trace.h). */
void trace_origin_finish(const struct trace_index *x, struct trace *t);

#endif
