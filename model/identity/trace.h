/* trace: follow an event's credentials back to the principal that started the chain (README: Identity trace).
 *
 * A session's events carry the access key an STS call issued (AssumeRole*, GetSessionToken,
 * GetFederationToken: responseElements.credentials.accessKeyId); that call was made with its caller's
 * key, which may itself be a session key, and so on to an IAM user, root, a SAML, web-identity or
 * Identity Center user, an AWS service, or a principal whose records are not loaded. A call that crosses
 * accounts is logged in both accounts with one sharedEventID: the caller's record names the caller, the
 * role owner's record only the caller's account. Lookups go through sorted indexes, so a trace costs
 * O(hops · log n) whatever the number of events. */
#ifndef CTVIEW_TRACE_H
#define CTVIEW_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"

#define TRACE_MAX_HOPS 32
#define TRACE_NONE     SIZE_MAX

struct trace_index;

/* Builds the indexes for s (borrowed; must not gain events meanwhile). NULL when out of memory. */
struct trace_index *trace_index_new(const struct store *s);
void trace_index_free(struct trace_index *x);

/* How the credentials of one step were issued. */
enum trace_hop_kind {
    HOP_ROLE,          /* AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity: a role session */
    HOP_SESSION_TOKEN, /* an IAM user's or root's temporary key: GetSessionToken, or a console sign-in */
    HOP_FEDERATION,    /* GetFederationToken: a federated user's session */
};

/* What contradicts a link made by access key alone: the hop is kept, marked, and every origin reached
 * through it is uncertain. */
enum trace_conflict {
    TC_NONE,
    TC_OTHER_SESSION, /* the event's own ARN names another session (or user) than the call issued the
                         key to */
    TC_EARLIER,       /* the event is earlier than the call that issued its key */
};

/* A sentence saying what disagrees ("the event's ARN names another session than the key was issued
 * to"), static; "" for TC_NONE. */
const char *trace_conflict_reason(enum trace_conflict c);

/* One step on the way from the origin to the selected event: the call that issued a session's key. */
struct trace_hop {
    enum trace_hop_kind kind;
    size_t issuer;        /* the call's record on the caller's side, else the role owner's; TRACE_NONE
                             when neither is loaded (the views say so; nothing is guessed) */
    size_t twin;          /* the same call's record in the other account, TRACE_NONE if none is loaded */
    int crosses;          /* two accounts are involved (the caller's and the role owner's): only then is
                             there a twin record to speak of */
    uint32_t shared_id;   /* sharedEventID (interned id, 0 = none) */
    uint32_t role_arn;    /* HOP_ROLE: the role assumed (requestParameters.roleArn, else the session
                             issuer); 0 for the other kinds */
    uint32_t session_arn; /* the session it started (assumed-role or federated-user ARN); 0 for an IAM
                             user's own temporary key */
    uint32_t access_key;  /* the key it issued, which the next step used */
    uint32_t source_identity;
    int inferred; /* the issuer was found by the session's ARN (or the user's, for a console sign-in)
                     and its creation time, not by the key: only set when that match was made */
    enum trace_conflict conflict; /* a key-only link the log contradicts (TC_NONE when it does not) */
    size_t user;                  /* the event made with the key: the next hop's caller, or the traced
                                     event (what a conflict compares with the call) */
};

struct trace {
    size_t event;        /* the traced event */
    size_t origin_event; /* an event made by the origin principal (its call that started the chain), or
                            TRACE_NONE when none is loaded */
    const char *origin_type_name; /* borrowed: the origin's userIdentity.type as logged, or
                                     "IdentityCenterUser", "AWSService", "IAMUser", "Root" when the logs
                                     name it another way, or "Unknown" */
    uint32_t origin_type;         /* interned userIdentity.type of origin_event; 0 when unknown or derived */
    uint32_t origin_arn;          /* the origin's ARN, else what names it (invokedBy, principalId, userName,
                                     onBehalfOf.userId); for an unknown origin the farthest principal reached */
    uint32_t origin_account;      /* interned ids */
    uint32_t origin_store;        /* an Identity Center user's identityStoreArn, else 0 */
    int origin_known;             /* 0: the chain's start is not in the loaded logs ("Unknown") */
    int origin_sso_session; /* an Identity Center user named by its AWSReservedSSO role session only */
    int origin_masked; /* the origin is a sign-in whose name AWS masked (HIDDEN_DUE_TO_SECURITY_REASONS) */
    int origin_uncertain; /* reached through a conflict hop: reported with that doubt, never as fact */
    /* The origin as an actor: what identifies the principal across the logs (origins.h groups events by
     * it, origin: matches it, --trace prints it). origin_key: the ARN for an IAM user, root or role; the
     * service name; the principalId of a SAML or web-identity user; an Identity Center user's
     * identity-store user id, else the user name its AWSReservedSSO session carries. Borrowed from the
     * store's strings (a tail of one of them), never NULL. origin_key_account: the account that owns the
     * principal, 0 for one that acts across accounts (an AWS service, an Identity Center user, a
     * web-identity user). origin_name: the user name where any event of the user gives it (Identity
     * Center), else NULL; borrowed like origin_key. */
    const char *origin_key;
    uint32_t origin_key_account;
    const char *origin_name;
    struct trace_hop hops[TRACE_MAX_HOPS]; /* from the origin to the traced event's session */
    size_t nhops;
    int own_hop;          /* hops[nhops - 1] is the traced event's own session's (the walk made a hop
                             from the event itself) */
    int cycle;            /* the walk met an event twice (logs that contradict themselves) and stopped */
    int truncated;        /* more than TRACE_MAX_HOPS hops */
    uint32_t session_key; /* the key whose events are listed: the one the traced event issued (an STS
                             call), else the one it was made with; 0 for none */
    int session_issued;   /* session_key is the key the traced event issued */
    uint32_t *session;    /* owned: events made with session_key, newest first */
    size_t nsession;
    size_t insight_twin; /* for an Insights event: its Start or End partner, TRACE_NONE if none loaded */
};

/* Traces event i. Returns 0, or -1 when out of memory. Release with trace_free. */
int trace_build(const struct trace_index *x, size_t i, struct trace *t);

/* The walk back only (no forward list: t->session stays NULL); never fails. For computing origins. */
void trace_build_back(const struct trace_index *x, size_t i, struct trace *t);

/* The store the index was built for (borrowed). */
const struct store *trace_index_store(const struct trace_index *x);
void trace_free(struct trace *t);

/* Finds the event named by spec: "EVENTID" or "ACCOUNT:EVENTID" (the recipient account, else the
 * identity's account). Returns the number of events that match, and sets *found to the first; when
 * several match, their indexes go to cand (up to ncand). The account is the one trace_event_account
 * gives. */
size_t trace_find_event(const struct store *s, const char *spec, size_t *found, size_t *cand, size_t ncand);

/* The account an event belongs to: recipientAccountId, else the trail's account, else the identity's. */
uint32_t trace_event_account(const struct store *s, size_t i);

/* "2014-07-18T15:07:39Z 777788889999 us-east-2 AssumeRole by user/Bob" into buf (cap bytes): raw log
 * text, to be escaped by whoever shows it. Returns buf. */
const char *trace_event_text(const struct store *s, size_t i, char *buf, size_t cap);

struct tz;
/* trace_event_text with the time in zone z (borrowed; NULL: UTC), its offset said
 * ("2014-07-18T17:07:39+02:00"): the interface's zone (model/base/tz.h). */
const char *trace_event_text_tz(const struct store *s, size_t i, const struct tz *z, char *buf, size_t cap);

/* A filter expression that selects the whole chain: every session key, every STS call on the way.
 * Owned by the caller; NULL when out of memory. */
char *trace_chain_filter(const struct store *s, const struct trace *t);

#endif
