#include "model/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/columns.h"
#include "model/timefmt.h"

/* A sorted list of (interned id << 32 | event) pairs: the events that carry each id. */
struct id_index {
    uint64_t *pairs;
    size_t n;
};

struct trace_index {
    const struct store *s;
    struct id_index by_key;        /* userIdentity.accessKeyId; event stored as ~index: newest first */
    struct id_index by_issued_key; /* responseElements.credentials.accessKeyId */
    struct id_index by_issued_arn; /* responseElements.assumedRoleUser.arn */
    struct id_index by_shared;     /* sharedEventID */
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int index_build(const struct store *s, enum event_field f, int newest_first, struct id_index *ix)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nevents; i++)
        n += s->events[i].f[f] != 0;
    ix->pairs = malloc((n ? n : 1) * sizeof *ix->pairs);
    if (!ix->pairs)
        return -1;
    ix->n = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        uint32_t id = s->events[i].f[f];
        if (id)
            ix->pairs[ix->n++] = (uint64_t)id << 32 | (newest_first ? UINT32_MAX - (uint32_t)i : (uint32_t)i);
    }
    qsort(ix->pairs, ix->n, sizeof *ix->pairs, cmp_u64);
    return 0;
}

/* The range [*first, *end) of pairs with id. */
static void index_range(const struct id_index *ix, uint32_t id, size_t *first, size_t *end)
{
    uint64_t lo_key = (uint64_t)id << 32;
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->pairs[mid] < lo_key)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    for (hi = lo; hi < ix->n && (ix->pairs[hi] >> 32) == id; hi++)
        ;
    *end = hi;
}

static size_t pair_event(uint64_t p, int newest_first)
{
    uint32_t v = (uint32_t)p;
    return newest_first ? (size_t)(UINT32_MAX - v) : (size_t)v;
}

struct trace_index *trace_index_new(const struct store *s)
{
    struct trace_index *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->s = s;
    if (s->nevents >= UINT32_MAX || index_build(s, EF_UI_KEY, 1, &x->by_key) != 0 ||
        index_build(s, EF_ISSUED_KEY, 0, &x->by_issued_key) != 0 ||
        index_build(s, EF_ISSUED_ARN, 0, &x->by_issued_arn) != 0 ||
        index_build(s, EF_SHARED_ID, 0, &x->by_shared) != 0) {
        trace_index_free(x);
        return NULL;
    }
    return x;
}

void trace_index_free(struct trace_index *x)
{
    if (!x)
        return;
    free(x->by_key.pairs);
    free(x->by_issued_key.pairs);
    free(x->by_issued_arn.pairs);
    free(x->by_shared.pairs);
    free(x);
}

uint32_t trace_event_account(const struct store *s, size_t i)
{
    const struct event *e = &s->events[i];
    if (e->f[EF_ACCOUNT])
        return e->f[EF_ACCOUNT];
    if (e->source < s->nsources && s->sources[e->source].trail_account)
        return s->sources[e->source].trail_account;
    return e->f[EF_UI_ACCOUNT];
}

static int str_is(const struct store *s, uint32_t id, const char *lit)
{
    return strcmp(intern_str(s->strings, id), lit) == 0;
}

/* Whether the event's credentials came from an STS call worth looking for: a temporary key, or an
 * identity that only exists as a session. */
static int is_session(const struct store *s, const struct event *e)
{
    const char *key = intern_str(s->strings, e->f[EF_UI_KEY]);
    return strncmp(key, "ASIA", 4) == 0 || str_is(s, e->f[EF_UI_TYPE], "AssumedRole") ||
           str_is(s, e->f[EF_UI_TYPE], "FederatedUser");
}

/* Of the records that issued a key, the caller's: the role owner's record names only an account. */
static size_t pick_caller_side(const struct store *s, const size_t *c, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!str_is(s, s->events[c[k]].f[EF_UI_TYPE], "AWSAccount"))
            return c[k];
    return c[0];
}

/* The other record of the same call (same sharedEventID, another event), else TRACE_NONE. */
static size_t find_twin(const struct trace_index *x, size_t issuer)
{
    uint32_t shared = x->s->events[issuer].f[EF_SHARED_ID];
    if (!shared)
        return TRACE_NONE;
    size_t first, end;
    index_range(&x->by_shared, shared, &first, &end);
    for (size_t k = first; k < end; k++) {
        size_t ev = pair_event(x->by_shared.pairs[k], 0);
        if (ev != issuer)
            return ev;
    }
    return TRACE_NONE;
}

/* The STS call that issued the credentials of event cur: by key, else (inferred) by the session ARN
 * and its creation time. Sets *inferred. TRACE_NONE when not loaded. */
static size_t find_issuer(const struct trace_index *x, size_t cur, int *inferred)
{
    const struct store *s = x->s;
    const struct event *e = &s->events[cur];
    size_t cand[8], n = 0, first, end;
    *inferred = 0;
    if (e->f[EF_UI_KEY]) {
        index_range(&x->by_issued_key, e->f[EF_UI_KEY], &first, &end);
        for (size_t k = first; k < end && n < 8; k++) {
            size_t ev = pair_event(x->by_issued_key.pairs[k], 0);
            if (ev != cur)
                cand[n++] = ev;
        }
        if (n)
            return pick_caller_side(s, cand, n);
    }
    if (!e->f[EF_UI_ARN])
        return TRACE_NONE;
    /* The session's ARN names the role and session; creationDate is when the call issued it. */
    int64_t created = TIME_NONE;
    const char *c = intern_str(s->strings, e->f[EF_UI_SESSION_CREATED]);
    if (!*c || timefmt_parse(c, strlen(c), &created) != 0)
        return TRACE_NONE;
    index_range(&x->by_issued_arn, e->f[EF_UI_ARN], &first, &end);
    int64_t best_dt = 300 * 1000; /* within five minutes */
    for (size_t k = first; k < end; k++) {
        size_t ev = pair_event(x->by_issued_arn.pairs[k], 0);
        int64_t t = s->events[ev].time_ms;
        if (ev == cur || t == TIME_NONE)
            continue;
        int64_t dt = t > created ? t - created : created - t;
        if (dt <= best_dt && n < 8) {
            if (dt < best_dt)
                n = 0;
            best_dt = dt;
            cand[n++] = ev;
        }
    }
    if (!n)
        return TRACE_NONE;
    *inferred = 1;
    return pick_caller_side(s, cand, n);
}

static void set_origin(const struct store *s, struct trace *t, size_t ev, int unknown)
{
    const struct event *e = &s->events[ev];
    t->origin_event = unknown ? TRACE_NONE : ev;
    t->origin_type = unknown ? 0 : e->f[EF_UI_TYPE];
    /* a principal without an ARN is named by what it has */
    static const enum event_field names[] = {EF_UI_ARN, EF_UI_INVOKED_BY, EF_UI_USER, EF_UI_PRINCIPAL};
    t->origin_arn = 0;
    if (unknown)
        t->origin_arn = e->f[EF_UI_ISSUER_ARN] ? e->f[EF_UI_ISSUER_ARN] : e->f[EF_UI_ARN];
    for (size_t k = 0; !unknown && k < sizeof names / sizeof *names && !t->origin_arn; k++)
        t->origin_arn = e->f[names[k]];
    t->origin_account = e->f[EF_UI_ACCOUNT] ? e->f[EF_UI_ACCOUNT] : trace_event_account(s, ev);
}

int trace_build(const struct trace_index *x, size_t i, struct trace *t)
{
    const struct store *s = x->s;
    memset(t, 0, sizeof *t);
    t->event = i;
    t->insight_twin = TRACE_NONE;
    t->origin_event = TRACE_NONE;
    if (i >= s->nevents)
        return 0;
    const struct event *sel = &s->events[i];
    if ((sel->flags & EVF_INSIGHT) && sel->f[EF_SHARED_ID])
        t->insight_twin = find_twin(x, i);

    /* Walk back, collecting hops newest first; reversed at the end. */
    size_t visited[2 * TRACE_MAX_HOPS + 2], nvisited = 0, cur = i;
    visited[nvisited++] = i;
    for (;;) {
        const struct event *e = &s->events[cur];
        if (nvisited + 2 >= sizeof visited / sizeof *visited) {
            t->truncated = 1;
            set_origin(s, t, cur, 1);
            break;
        }
        if (!is_session(s, e)) {
            /* The role owner's record of a cross-account call names only the caller's account; the
             * caller's record of the same call names the caller. */
            size_t twin = str_is(s, e->f[EF_UI_TYPE], "AWSAccount") ? find_twin(x, cur) : TRACE_NONE;
            int seen = 0;
            for (size_t k = 0; k < nvisited; k++)
                seen |= visited[k] == twin;
            if (twin != TRACE_NONE && !seen) {
                visited[nvisited++] = twin;
                cur = twin;
                continue;
            }
            set_origin(s, t, cur, 0);
            break;
        }
        if (t->nhops == TRACE_MAX_HOPS) {
            t->truncated = 1;
            set_origin(s, t, cur, 1);
            break;
        }
        int inferred;
        size_t issuer = find_issuer(x, cur, &inferred);
        struct trace_hop *h = &t->hops[t->nhops++];
        h->issuer = issuer;
        h->twin = TRACE_NONE;
        h->inferred = issuer == TRACE_NONE || inferred;
        h->session_arn = e->f[EF_UI_ARN];
        h->access_key = e->f[EF_UI_KEY];
        h->source_identity = e->f[EF_UI_SOURCE_IDENTITY];
        h->role_arn = e->f[EF_UI_ISSUER_ARN];
        if (issuer == TRACE_NONE) {
            set_origin(s, t, cur, 1);
            break;
        }
        const struct event *is = &s->events[issuer];
        if (is->f[EF_ROLE_ARN])
            h->role_arn = is->f[EF_ROLE_ARN];
        if (is->f[EF_ISSUED_ARN])
            h->session_arn = is->f[EF_ISSUED_ARN];
        if (is->f[EF_ISSUED_KEY])
            h->access_key = is->f[EF_ISSUED_KEY];
        h->shared_id = is->f[EF_SHARED_ID];
        h->crosses = h->shared_id != 0;
        h->twin = find_twin(x, issuer);
        int seen = 0;
        for (size_t k = 0; k < nvisited; k++)
            seen |= visited[k] == issuer || (h->twin != TRACE_NONE && visited[k] == h->twin);
        if (seen) {
            t->cycle = 1;
            set_origin(s, t, cur, 1);
            break;
        }
        visited[nvisited++] = issuer;
        if (h->twin != TRACE_NONE)
            visited[nvisited++] = h->twin;
        cur = issuer;
    }
    for (size_t a = 0, b = t->nhops ? t->nhops - 1 : 0; a < b; a++, b--) {
        struct trace_hop tmp = t->hops[a];
        t->hops[a] = t->hops[b];
        t->hops[b] = tmp;
    }

    if (sel->f[EF_UI_KEY]) {
        size_t first, end;
        index_range(&x->by_key, sel->f[EF_UI_KEY], &first, &end);
        t->session = malloc((end - first ? end - first : 1) * sizeof *t->session);
        if (!t->session)
            return -1;
        for (size_t k = first; k < end; k++)
            t->session[t->nsession++] = (uint32_t)pair_event(x->by_key.pairs[k], 1);
    }
    return 0;
}

void trace_free(struct trace *t)
{
    free(t->session);
    t->session = NULL;
    t->nsession = 0;
}

size_t trace_find_event(const struct store *s, const char *spec, size_t *found, size_t *cand, size_t ncand)
{
    const char *colon = strchr(spec, ':');
    const char *id = colon ? colon + 1 : spec;
    uint32_t idn = intern_find(s->strings, id, strlen(id));
    uint32_t acct = 0;
    if (colon) {
        acct = intern_find(s->strings, spec, (size_t)(colon - spec));
        if (acct == UINT32_MAX || acct == 0)
            return 0;
    }
    if (idn == UINT32_MAX || idn == 0)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        if (e->f[EF_EVENT_ID] != idn)
            continue;
        if (acct && trace_event_account(s, i) != acct)
            continue;
        if (n == 0)
            *found = i;
        if (n < ncand)
            cand[n] = i;
        n++;
    }
    return n;
}

const char *trace_event_text(const struct store *s, size_t i, char *buf, size_t cap)
{
    const struct event *e = &s->events[i];
    char tbuf[TIMEFMT_BUF];
    const char *err = intern_str(s->strings, e->f[EF_ERROR_CODE]);
    snprintf(buf, cap, "%s %s %s %s by %s%s%s", timefmt_format(e->time_ms, tbuf),
             intern_str(s->strings, trace_event_account(s, i)), intern_str(s->strings, e->f[EF_REGION]),
             intern_str(s->strings, e->f[EF_NAME]), column_identity_short(s, e), *err ? " error " : "", err);
    return buf;
}

char *trace_chain_filter(const struct store *s, const struct trace *t)
{
    size_t cap = 64, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t k = 0; k <= t->nhops; k++) {
        /* every session key on the way (they also select the calls that issued them), then the calls
         * found without a key */
        const char *field, *value;
        if (k < t->nhops && t->hops[k].access_key) {
            field = "key";
            value = intern_str(s->strings, t->hops[k].access_key);
        } else if (k < t->nhops && t->hops[k].issuer != TRACE_NONE) {
            field = "id";
            value = intern_str(s->strings, s->events[t->hops[k].issuer].f[EF_EVENT_ID]);
        } else if (k == t->nhops && !t->nhops) {
            field = "id";
            value = intern_str(s->strings, s->events[t->event].f[EF_EVENT_ID]);
        } else {
            continue;
        }
        if (!*value)
            continue;
        size_t need = len + strlen(field) + strlen(value) + 16;
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            char *b = realloc(out, cap);
            if (!b) {
                free(out);
                return NULL;
            }
            out = b;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s%s:\"%s\"", len ? " OR " : "", field, value);
    }
    return out;
}
