/* trace_origin: naming the principal at the start of a chain, and the key that makes it one actor
 * across the logs (trace.h: origin_key). The walk (trace.c) decides where the chain starts; this file
 * says who that is. */
#include <stdlib.h>
#include <string.h>

#include "model/identity/trace_impl.h"

static const char *str(const struct store *s, uint32_t id)
{
    return intern_str(s->strings, id);
}

/* The account that owns the principal of event ev: userIdentity.accountId, else the event's. */
static uint32_t own_account(const struct store *s, size_t ev)
{
    uint32_t a = store_field(s, &s->events[ev], EF_UI_ACCOUNT);
    return a ? a : trace_event_account(s, ev);
}

/* "x.amazonaws.com": an AWS service principal (invokedBy also holds console hosts such as
 * "AWS Internal" or "signin.amazonaws.com"; those still end the same way). */
static int is_service(const char *v)
{
    static const char suffix[] = ".amazonaws.com";
    size_t len = strlen(v), sl = sizeof suffix - 1;
    return len > sl && strcmp(v + len - sl, suffix) == 0;
}

void trace_origin_is(const struct store *s, struct trace *t, size_t ev)
{
    const struct event *e = &s->events[ev];
    t->origin_event = ev;
    t->origin_known = 1;
    t->origin_type = store_field(s, e, EF_UI_TYPE);
    t->origin_type_name = t->origin_type ? str(s, t->origin_type) : "Unknown";
    t->origin_masked = (e->flags & EVF_USER_MASKED) != 0;
    /* a principal without an ARN is named by what it has: a service by itself, an external IdP user by
     * provider and subject (principalId), a masked sign-in by the mask; a sign-in AWS types "Unknown"
     * (an Identity Center user's, logged in its account) by its userName, which names the person where
     * the principalId is only the account */
    static const enum event_field names[] = {EF_UI_ARN, EF_UI_INVOKED_BY, EF_UI_PRINCIPAL, EF_UI_USER};
    t->origin_arn = t->origin_masked ? store_field(s, e, EF_UI_USER) : 0;
    if (!t->origin_arn && t->origin_type && strcmp(t->origin_type_name, "Unknown") == 0 &&
        !store_field(s, e, EF_UI_ARN))
        t->origin_arn = store_field(s, e, EF_UI_USER);
    for (size_t k = 0; k < sizeof names / sizeof *names && !t->origin_arn; k++)
        t->origin_arn = store_field(s, e, names[k]);
    if (!t->origin_arn)
        t->origin_arn = store_field(s, e, EF_UI_ACCOUNT);
    t->origin_account = own_account(s, ev);
    if (!t->origin_type) {
        /* no type at all: a call an AWS service made for the account (invokedBy names it) is that
         * service; anything else is not known */
        uint32_t by = store_field(s, e, EF_UI_INVOKED_BY);
        if (by && !store_field(s, e, EF_UI_ARN) && is_service(str(s, by))) {
            t->origin_type_name = "AWSService";
            t->origin_arn = by;
        } else {
            t->origin_known = 0;
            t->origin_type_name = "Unknown";
        }
    }
}

void trace_origin_unknown(const struct store *s, struct trace *t, size_t ev)
{
    const struct event *e = &s->events[ev];
    t->origin_event = TRACE_NONE;
    t->origin_known = 0;
    t->origin_type = 0;
    t->origin_type_name = "Unknown";
    static const enum event_field names[] = {EF_UI_ISSUER_ARN, EF_UI_ARN, EF_UI_PRINCIPAL, EF_UI_ACCOUNT};
    t->origin_arn = 0;
    for (size_t k = 0; k < sizeof names / sizeof *names && !t->origin_arn; k++)
        t->origin_arn = store_field(s, e, names[k]);
    t->origin_account = own_account(s, ev);
}

/* The service a service-linked role belongs to ("arn:aws:iam::1:role/aws-service-role/ssm.amazonaws.com/
 * AWSServiceRoleForAmazonSSM" -> the id of "ssm.amazonaws.com"), when that name is loaded; else 0. */
static uint32_t linked_service(const struct store *s, uint32_t role)
{
    static const char mark[] = ":role/aws-service-role/";
    const char *p = strstr(str(s, role), mark);
    if (!p)
        return 0;
    p += sizeof mark - 1;
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    uint32_t id = intern_find(s->strings, p, len);
    return id == UINT32_MAX ? 0 : id;
}

/* Whether the role ARN is one IAM Identity Center made for a permission set:
 * arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/[REGION/]AWSReservedSSO_SET_HASH */
static int sso_role(const struct store *s, uint32_t role_arn)
{
    const char *a = str(s, role_arn);
    const char *p = strstr(a, ":role/aws-reserved/sso.amazonaws.com/");
    const char *name = p ? strrchr(p, '/') + 1 : NULL;
    return name && strncmp(name, "AWSReservedSSO_", 15) == 0;
}

/* The user name of a permission set's role session, "arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_0123/
 * eve" -> "eve" (a tail of the interned ARN), else NULL. The session ARN alone is enough: AWS writes
 * some of these sessions without a sessionIssuer. */
static const char *sso_session_user(const struct store *s, uint32_t session_arn)
{
    static const char mark[] = ":assumed-role/AWSReservedSSO_";
    const char *a = str(s, session_arn);
    const char *p = strstr(a, mark);
    if (!p)
        return NULL;
    const char *slash = strchr(p + sizeof mark - 1, '/');
    return slash && slash[1] && !strchr(slash + 1, '/') ? slash + 1 : NULL;
}

int trace_origin_from_session(const struct store *s, struct trace *t, size_t ev, enum cred cred)
{
    const struct event *e = &s->events[ev];
    uint32_t issuer = store_field(s, e, EF_UI_ISSUER_ARN);
    if (cred == CRED_FEDERATED && issuer) {
        size_t len = intern_len(s->strings, issuer);
        const char *a = str(s, issuer);
        t->origin_event = TRACE_NONE;
        t->origin_known = 1;
        t->origin_type = 0;
        t->origin_type_name = len >= 5 && strcmp(a + len - 5, ":root") == 0 ? "Root" : "IAMUser";
        t->origin_arn = issuer;
        t->origin_account = own_account(s, ev);
        return 1;
    }
    if (cred == CRED_ROLE &&
        (issuer ? sso_role(s, issuer) : sso_session_user(s, store_field(s, e, EF_UI_ARN)) != NULL)) {
        /* IAM Identity Center's permission-set role: the session was issued to a person signed in to
         * Identity Center, and the sign-in is logged in the Identity Center account, not here; the
         * session's name (and principalId, role id:user name) names that person */
        t->origin_event = TRACE_NONE;
        t->origin_known = 1;
        t->origin_type = 0;
        t->origin_type_name = "IdentityCenterUser";
        t->origin_sso_session = 1;
        t->origin_arn = store_field(s, e, EF_UI_PRINCIPAL) ? store_field(s, e, EF_UI_PRINCIPAL)
                                                           : store_field(s, e, EF_UI_ARN);
        t->origin_account = own_account(s, ev);
        return 1;
    }
    uint32_t service = cred == CRED_ROLE ? linked_service(s, issuer) : 0;
    if (service) {
        t->origin_event = TRACE_NONE;
        t->origin_known = 1;
        t->origin_type = 0;
        t->origin_type_name = "AWSService";
        t->origin_arn = service;
        t->origin_account = own_account(s, ev);
        return 1;
    }
    return 0;
}

void trace_origin_on_behalf(const struct store *s, struct trace *t, size_t ev)
{
    const struct event *e = &s->events[ev];
    t->origin_event = ev;
    t->origin_known = 1;
    t->origin_type = 0;
    t->origin_type_name = "IdentityCenterUser";
    t->origin_arn = store_field(s, e, EF_UI_OBO_USER);
    t->origin_store = store_field(s, e, EF_UI_OBO_STORE);
    t->origin_masked = 0;
    t->origin_sso_session = 0;
    t->origin_account = own_account(s, ev);
}

/* The user name event e gives beside its onBehalfOf, else NULL. */
static const char *alias_name(const struct store *s, const struct event *e)
{
    const char *n = sso_session_user(s, store_field(s, e, EF_UI_ARN));
    if (!n && store_field(s, e, EF_UI_USER) && !(e->flags & EVF_USER_MASKED))
        n = str(s, store_field(s, e, EF_UI_USER));
    return n;
}

static int cmp_name(const void *a, const void *b)
{
    const struct ic_alias *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->user < y->user ? -1 : x->user > y->user;
}

static int cmp_user(const void *a, const void *b)
{
    const struct ic_alias *x = a, *y = b;
    if (x->user != y->user)
        return x->user < y->user ? -1 : 1;
    return strcmp(x->name, y->name);
}

int trace_alias_build(struct trace_index *x)
{
    const struct store *s = x->s;
    size_t n = 0, cap = 0;
    struct ic_alias *v = NULL;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        uint32_t user = store_field(s, e, EF_UI_OBO_USER);
        const char *name = user ? alias_name(s, e) : NULL;
        if (!name)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct ic_alias *w = realloc(v, cap * sizeof *w);
            if (!w) {
                free(v);
                return -1;
            }
            v = w;
        }
        v[n++] = (struct ic_alias){name, user, store_field(s, e, EF_UI_OBO_STORE)};
    }
    struct ic_alias *u = malloc((n ? n : 1) * sizeof *u);
    if (!u) {
        free(v);
        return -1;
    }
    if (n) {
        memcpy(u, v, n * sizeof *v);
        /* by name: one entry per name; a name two users carry joins neither */
        qsort(v, n, sizeof *v, cmp_name);
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (m && strcmp(v[m - 1].name, v[k].name) == 0) {
            if (v[m - 1].user != v[k].user)
                v[m - 1].user = 0;
            continue;
        }
        v[m++] = v[k];
    }
    x->by_name = v;
    x->nby_name = m;
    /* by user: one entry per user, its smallest name (the same whatever the order of the logs) */
    qsort(u, n, sizeof *u, cmp_user);
    m = 0;
    for (size_t k = 0; k < n; k++)
        if (!m || u[m - 1].user != u[k].user)
            u[m++] = u[k];
    x->by_user = u;
    x->nby_user = m;
    return 0;
}

void trace_alias_free(struct trace_index *x)
{
    free(x->by_name);
    free(x->by_user);
    x->by_name = x->by_user = NULL;
    x->nby_name = x->nby_user = 0;
}

static const struct ic_alias *alias_by_name(const struct trace_index *x, const char *name)
{
    struct ic_alias key = {name, 0, 0};
    size_t lo = 0, hi = x->nby_name;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(x->by_name[mid].name, key.name);
        if (c == 0)
            return x->by_name[mid].user ? &x->by_name[mid] : NULL;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const struct ic_alias *alias_by_user(const struct trace_index *x, uint32_t user)
{
    size_t lo = 0, hi = x->nby_user;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->by_user[mid].user == user)
            return &x->by_user[mid];
        if (x->by_user[mid].user < user)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The tail of an interned string after its last '/' (the session name of an assumed-role ARN), or after
 * the last ':' (the user name of an Identity Center session's principalId, "AROA...:eve"). */
static const char *tail(const char *v)
{
    const char *slash = strrchr(v, '/'), *colon = strrchr(v, ':');
    const char *cut = slash > colon ? slash : colon;
    return cut ? cut + 1 : v;
}

/* Principals that act across accounts (their actor is one whatever the account): an AWS service, an
 * Identity Center user, a web-identity user (its provider, such as accounts.google.com, belongs to no
 * account). A SAML user's provider is an IAM resource of one account: one actor per account. */
static int across_accounts(const char *type)
{
    return strcmp(type, "AWSService") == 0 || strcmp(type, "IdentityCenterUser") == 0 ||
           strcmp(type, "WebIdentityUser") == 0;
}

void trace_origin_finish(const struct trace_index *x, struct trace *t)
{
    const struct store *s = x->s;
    t->origin_key = str(s, t->origin_arn);
    t->origin_name = NULL;
    t->origin_key_account = t->origin_known && across_accounts(t->origin_type_name) ? 0 : t->origin_account;
    if (strcmp(t->origin_type_name, "IdentityCenterUser") != 0)
        return;
    if (t->origin_sso_session) {
        /* the permission set's session names the user; an event that gives that name beside an
         * identity-store user id says which user it is */
        const char *name = tail(str(s, t->origin_arn));
        const struct ic_alias *a = alias_by_name(x, name);
        t->origin_name = name;
        t->origin_key = name;
        if (a) {
            t->origin_arn = a->user;
            t->origin_store = a->store;
            t->origin_key = str(s, a->user);
        }
        return;
    }
    const struct ic_alias *a = alias_by_user(x, t->origin_arn);
    t->origin_name = a ? a->name : NULL;
}
