#include "model/identity/trace.h"
#include "model/identity/trace_impl.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/filterquote.h"
#include "model/store/evtext.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v[0..n) ascending: LSD radix, 16 bits a pass, skipping passes where every key has the same
 * digit. A million pairs sort in a few tens of milliseconds, a fifth of qsort's time. Without memory
 * for the scratch copy it falls back to qsort. */
static void radix_sort(uint64_t *v, size_t n)
{
    uint64_t *tmp = n > 64 ? malloc(n * sizeof *tmp) : NULL;
    size_t *count = tmp ? malloc(65536 * sizeof *count) : NULL;
    if (!count) {
        free(tmp);
        qsort(v, n, sizeof *v, cmp_u64);
        return;
    }
    uint64_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xffff]++;
        if (count[(src[0] >> shift) & 0xffff] == n)
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(count);
    free(tmp);
}

/* Whether event e goes into an index: only_name, when not 0, keeps the successful events of that name. */
static int index_keeps(const struct store *s, const struct event *e, enum event_field f, uint32_t only_name)
{
    return store_field(s, e, f) != 0 &&
           (!only_name || (store_field(s, e, EF_NAME) == only_name && !store_event_failed(s, e)));
}

/* What one index holds: the events with field f (of name only_name, when not 0), newest first or not. */
struct index_spec {
    enum event_field f;
    int newest_first;
    uint32_t only_name;
    struct id_index *ix;
};

/* Builds every index in two passes over the events (count, fill) rather than two per index: at a
 * million events the passes over the event array were most of the build. */
static int index_build_all(const struct store *s, const struct index_spec *spec, size_t nspec)
{
    size_t n[8] = {0};
    for (size_t i = 0; i < s->nevents; i++)
        for (size_t k = 0; k < nspec; k++)
            n[k] += index_keeps(s, &s->events[i], spec[k].f, spec[k].only_name);
    for (size_t k = 0; k < nspec; k++) {
        spec[k].ix->pairs = malloc((n[k] ? n[k] : 1) * sizeof *spec[k].ix->pairs);
        if (!spec[k].ix->pairs)
            return -1;
        spec[k].ix->n = 0;
    }
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        for (size_t k = 0; k < nspec; k++) {
            if (!index_keeps(s, e, spec[k].f, spec[k].only_name))
                continue;
            uint32_t pos = spec[k].newest_first ? UINT32_MAX - (uint32_t)i : (uint32_t)i;
            spec[k].ix->pairs[spec[k].ix->n++] = (uint64_t)store_field(s, e, spec[k].f) << 32 | pos;
        }
    }
    for (size_t k = 0; k < nspec; k++)
        radix_sort(spec[k].ix->pairs, spec[k].ix->n);
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
    uint32_t login = intern_find(s->strings, "ConsoleLogin", 12);
    if (login == 0)
        login = UINT32_MAX; /* no sign-in loaded: an index of nothing */
    const struct index_spec spec[] = {
        {EF_UI_KEY, 1, 0, &x->by_key},
        {EF_ISSUED_KEY, 0, 0, &x->by_issued_key},
        {EF_ISSUED_ARN, 0, 0, &x->by_issued_arn},
        {EF_SHARED_ID, 0, 0, &x->by_shared},
        {EF_UI_ARN, 0, login, &x->by_login_arn},
    };
    if (s->nevents >= UINT32_MAX || index_build_all(s, spec, sizeof spec / sizeof *spec) != 0 ||
        trace_alias_build(x) != 0) {
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
    free(x->by_login_arn.pairs);
    trace_alias_free(x);
    free(x);
}

uint32_t trace_event_account(const struct store *s, size_t i)
{
    const struct event *e = &s->events[i];
    if (store_field(s, e, EF_ACCOUNT))
        return store_field(s, e, EF_ACCOUNT);
    if (e->source < s->nsources && s->sources[e->source].trail_account)
        return s->sources[e->source].trail_account;
    return store_field(s, e, EF_UI_ACCOUNT);
}

static int str_is(const struct store *s, uint32_t id, const char *lit)
{
    return strcmp(intern_str(s->strings, id), lit) == 0;
}

static enum cred cred_of(const struct store *s, const struct event *e)
{
    const char *type = intern_str(s->strings, store_field(s, e, EF_UI_TYPE));
    int temp = strncmp(intern_str(s->strings, store_field(s, e, EF_UI_KEY)), "ASIA", 4) == 0;
    if (strcmp(type, "AssumedRole") == 0)
        return CRED_ROLE;
    if (strcmp(type, "FederatedUser") == 0)
        return CRED_FEDERATED;
    if (strcmp(type, "AWSAccount") == 0)
        return CRED_ROLE_OWNERS;
    if (strcmp(type, "IAMUser") == 0 || strcmp(type, "Root") == 0)
        return temp ? CRED_USER_TEMP : CRED_LONG_TERM;
    return temp && !*type ? CRED_ROLE : CRED_LONG_TERM;
}

/* Of the records that issued a key, the caller's: the role owner's record names only an account. */
static size_t pick_caller_side(const struct store *s, const size_t *c, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!str_is(s, store_field(s, &s->events[c[k]], EF_UI_TYPE), "AWSAccount"))
            return c[k];
    return c[0];
}

/* The other record of the same call (same sharedEventID, another event), else TRACE_NONE. */
static size_t find_twin(const struct trace_index *x, size_t issuer)
{
    uint32_t shared = store_field(x->s, &x->s->events[issuer], EF_SHARED_ID);
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

/* The account field of an ARN ("arn:aws:iam::111122223333:role/R" -> "111122223333"), trimmed (the seed
 * writes "arn:aws:iam:: 111122223333:..."); sets *len, NULL when the ARN has none. */
static const char *arn_account(const char *arn, size_t *len)
{
    if (strncmp(arn, "arn:", 4) != 0)
        return NULL;
    const char *p = arn;
    for (int k = 0; k < 4; k++) {
        p = strchr(p, ':');
        if (!p)
            return NULL;
        p++;
    }
    const char *end = strchr(p, ':');
    while (p < end && *p == ' ')
        p++;
    if (!end || end == p)
        return NULL;
    *len = (size_t)(end - p);
    return p;
}

/* Whether an STS call involves two accounts: its records' accounts differ, or the caller's account is
 * not the one that owns the role. A service assuming a role in one account involves one. */
static int call_crosses(const struct store *s, size_t issuer, size_t twin)
{
    const struct event *e = &s->events[issuer];
    if (twin != TRACE_NONE)
        return trace_event_account(s, twin) != trace_event_account(s, issuer);
    const char *caller = intern_str(s->strings, store_field(s, e, EF_UI_ACCOUNT));
    if (!*caller)
        return 0;
    size_t len = 0;
    const char *owner = arn_account(intern_str(s->strings, store_field(s, e, EF_ROLE_ARN)), &len);
    if (!owner)
        owner = arn_account(intern_str(s->strings, store_field(s, e, EF_ISSUED_ARN)), &len);
    if (!owner) {
        owner = intern_str(s->strings, trace_event_account(s, issuer));
        len = strlen(owner);
    }
    return len && (strlen(caller) != len || memcmp(caller, owner, len) != 0);
}

/* The closest candidate in time to `created` among the pairs of ix with id (within five minutes). */
static size_t nearest_in_time(const struct trace_index *x, const struct id_index *ix, uint32_t id,
                              int64_t created, size_t cur, size_t *cand, size_t *n)
{
    size_t first, end;
    index_range(ix, id, &first, &end);
    int64_t best_dt = 300 * 1000;
    *n = 0;
    for (size_t k = first; k < end; k++) {
        size_t ev = pair_event(ix->pairs[k], 0);
        int64_t t = x->s->events[ev].time_ms;
        if (ev == cur || t == TIME_NONE)
            continue;
        int64_t dt = t > created ? t - created : created - t;
        if (dt <= best_dt && *n < 8) {
            if (dt < best_dt)
                *n = 0;
            best_dt = dt;
            cand[(*n)++] = ev;
        }
    }
    return *n ? pick_caller_side(x->s, cand, *n) : TRACE_NONE;
}

/* The call that issued the credentials of event cur: by key; else, when that is all there is, by the
 * session's ARN and its creation time (a role session: the AssumeRole* call that returned that ARN; an
 * IAM user's console session: the user's ConsoleLogin). Sets *inferred when found the second way.
 * TRACE_NONE when not loaded. */
static size_t find_issuer(const struct trace_index *x, size_t cur, enum cred cred, int *inferred)
{
    const struct store *s = x->s;
    const struct event *e = &s->events[cur];
    size_t cand[8], n = 0, first, end;
    *inferred = 0;
    if (store_field(s, e, EF_UI_KEY)) {
        index_range(&x->by_issued_key, store_field(s, e, EF_UI_KEY), &first, &end);
        for (size_t k = first; k < end && n < 8; k++) {
            size_t ev = pair_event(x->by_issued_key.pairs[k], 0);
            if (ev != cur)
                cand[n++] = ev;
        }
        if (n)
            return pick_caller_side(s, cand, n);
    }
    if (!store_field(s, e, EF_UI_ARN) || (cred != CRED_ROLE && cred != CRED_USER_TEMP))
        return TRACE_NONE;
    int64_t created = TIME_NONE;
    const char *c = intern_str(s->strings, store_field(s, e, EF_UI_SESSION_CREATED));
    if (!*c || timefmt_parse(c, strlen(c), &created) != 0)
        return TRACE_NONE;
    size_t found = nearest_in_time(x, cred == CRED_ROLE ? &x->by_issued_arn : &x->by_login_arn,
                                   store_field(s, e, EF_UI_ARN), created, cur, cand, &n);
    *inferred = found != TRACE_NONE;
    return found;
}

/* Whether two ARNs are the same, spaces aside (the seed writes "arn:aws:iam:: 111122223333:..."). */
static int same_arn(const char *a, const char *b)
{
    for (;; a++, b++) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
    }
}

/* What the log says against the link from event ev to the call that issued its key (found by the key
 * alone): the event's own ARN names another session than the call issued (a role session's ARN, or for
 * GetSessionToken the user who asked), or the event happened before the call. */
static enum trace_conflict hop_conflict(const struct store *s, size_t ev, size_t issuer, enum cred cred)
{
    const struct event *e = &s->events[ev], *is = &s->events[issuer];
    uint32_t own = store_field(s, e, EF_UI_ARN), issued = 0;
    if (cred == CRED_ROLE)
        issued = store_field(s, is, EF_ISSUED_ARN);
    else if (cred == CRED_USER_TEMP && store_field(s, is, EF_ISSUED_KEY))
        issued = store_field(s, is, EF_UI_ARN);
    if (own && issued && !same_arn(intern_str(s->strings, own), intern_str(s->strings, issued)))
        return TC_OTHER_SESSION;
    if (e->time_ms != TIME_NONE && is->time_ms != TIME_NONE && e->time_ms < is->time_ms)
        return TC_EARLIER;
    return TC_NONE;
}

const char *trace_conflict_reason(enum trace_conflict c)
{
    static const char *const reasons[] = {
        [TC_NONE] = "",
        [TC_OTHER_SESSION] = "the event's own ARN names another session than the key was issued to",
        [TC_EARLIER] = "the event is earlier than the call that issued its key",
    };
    return c <= TC_EARLIER ? reasons[c] : "";
}

static int visited_has(const size_t *v, size_t n, size_t ev)
{
    for (size_t k = 0; k < n; k++)
        if (v[k] == ev)
            return 1;
    return 0;
}

/* Walks from event i back to the origin, filling everything but the forward list. */
static void walk_back(const struct trace_index *x, size_t i, struct trace *t)
{
    const struct store *s = x->s;
    /* the hops array is most of the struct: only the hops used are written */
    memset(t, 0, offsetof(struct trace, hops));
    t->nhops = 0;
    t->cycle = t->truncated = t->session_issued = t->own_hop = 0;
    t->session_key = 0;
    t->session = NULL;
    t->nsession = 0;
    t->event = i;
    t->insight_twin = TRACE_NONE;
    t->origin_event = TRACE_NONE;
    t->origin_type_name = "Unknown";
    t->origin_key = "";
    if (i >= s->nevents)
        return;
    const struct event *sel = &s->events[i];
    if ((sel->flags & EVF_INSIGHT) && store_field(s, sel, EF_SHARED_ID))
        t->insight_twin = find_twin(x, i);

    /* Walk back, collecting hops newest first; reversed at the end. */
    size_t visited[2 * TRACE_MAX_HOPS + 2], nvisited = 0, cur = i, on_behalf = TRACE_NONE;
    visited[nvisited++] = i;
    for (;;) {
        const struct event *e = &s->events[cur];
        if (store_field(s, e, EF_UI_OBO_USER))
            on_behalf = cur; /* the farthest back wins: the person at the start */
        if (nvisited + 2 >= sizeof visited / sizeof *visited) {
            t->truncated = 1;
            trace_origin_unknown(s, t, cur);
            break;
        }
        enum cred cred = cred_of(s, e);
        if (cred == CRED_ROLE_OWNERS) {
            /* the caller's record of the same call names the caller */
            size_t twin = find_twin(x, cur);
            /* the hop that reached this record already noted its twin: that is the way on */
            const struct trace_hop *last = t->nhops ? &t->hops[t->nhops - 1] : NULL;
            int hop_twin = last && last->issuer == cur && last->twin == twin;
            if (twin != TRACE_NONE && (hop_twin || !visited_has(visited, nvisited, twin))) {
                if (!hop_twin)
                    visited[nvisited++] = twin;
                cur = twin;
                continue;
            }
            trace_origin_unknown(s, t, cur);
            break;
        }
        if (cred == CRED_LONG_TERM) {
            trace_origin_is(s, t, cur);
            break;
        }
        if (t->nhops == TRACE_MAX_HOPS) {
            t->truncated = 1;
            trace_origin_unknown(s, t, cur);
            break;
        }
        int inferred;
        size_t issuer = find_issuer(x, cur, cred, &inferred);
        if (cred == CRED_USER_TEMP && issuer == TRACE_NONE) {
            /* the user's own temporary key: the user is the origin, and there is no call to show */
            trace_origin_is(s, t, cur);
            break;
        }
        struct trace_hop *h = &t->hops[t->nhops++];
        memset(h, 0, sizeof *h);
        t->own_hop |= cur == i;
        h->user = cur;
        h->kind = cred == CRED_ROLE ? HOP_ROLE : cred == CRED_FEDERATED ? HOP_FEDERATION : HOP_SESSION_TOKEN;
        h->issuer = issuer;
        h->twin = TRACE_NONE;
        h->inferred = inferred;
        h->session_arn = cred == CRED_USER_TEMP ? 0 : store_field(s, e, EF_UI_ARN);
        h->access_key = store_field(s, e, EF_UI_KEY);
        h->source_identity = store_field(s, e, EF_UI_SOURCE_IDENTITY);
        h->role_arn = cred == CRED_ROLE ? store_field(s, e, EF_UI_ISSUER_ARN) : 0;
        if (issuer == TRACE_NONE) {
            if (!trace_origin_from_session(s, t, cur, cred))
                trace_origin_unknown(s, t, cur);
            break;
        }
        const struct event *is = &s->events[issuer];
        if (cred == CRED_ROLE && store_field(s, is, EF_ROLE_ARN))
            h->role_arn = store_field(s, is, EF_ROLE_ARN);
        if (cred == CRED_ROLE && store_field(s, is, EF_ISSUED_ARN))
            h->session_arn = store_field(s, is, EF_ISSUED_ARN);
        if (store_field(s, is, EF_ISSUED_KEY))
            h->access_key = store_field(s, is, EF_ISSUED_KEY);
        if (!inferred)
            h->conflict = hop_conflict(s, cur, issuer, cred);
        h->shared_id = store_field(s, is, EF_SHARED_ID);
        h->twin = find_twin(x, issuer);
        h->crosses = h->shared_id != 0 && call_crosses(s, issuer, h->twin);
        if (cred == CRED_USER_TEMP) {
            /* GetSessionToken or ConsoleLogin: made by the same user with a long-term credential */
            trace_origin_is(s, t, cur);
            break;
        }
        if (visited_has(visited, nvisited, issuer) ||
            (h->twin != TRACE_NONE && visited_has(visited, nvisited, h->twin))) {
            t->cycle = 1;
            trace_origin_unknown(s, t, cur);
            break;
        }
        visited[nvisited++] = issuer;
        if (h->twin != TRACE_NONE)
            visited[nvisited++] = h->twin;
        cur = issuer;
    }
    if (on_behalf != TRACE_NONE && !t->cycle) /* the person who started it, on whose behalf it acted */
        trace_origin_on_behalf(s, t, on_behalf);
    for (size_t k = 0; k < t->nhops; k++)
        t->origin_uncertain |= t->hops[k].conflict != TC_NONE;
    trace_origin_finish(x, t);
    for (size_t a = 0, b = t->nhops ? t->nhops - 1 : 0; a < b; a++, b--) {
        struct trace_hop tmp = t->hops[a];
        t->hops[a] = t->hops[b];
        t->hops[b] = tmp;
    }
}

void trace_build_back(const struct trace_index *x, size_t i, struct trace *t)
{
    walk_back(x, i, t);
}

const struct store *trace_index_store(const struct trace_index *x)
{
    return x->s;
}

int trace_build(const struct trace_index *x, size_t i, struct trace *t)
{
    walk_back(x, i, t);
    const struct store *s = x->s;
    if (i >= s->nevents)
        return 0;
    /* forward: for an STS call, what was done with the key it issued (what an investigator asks next);
     * else what was done with the key the event was made with */
    const struct event *sel = &s->events[i];
    t->session_key = store_field(s, sel, EF_UI_KEY);
    if (store_field(s, sel, EF_ISSUED_KEY)) {
        t->session_key = store_field(s, sel, EF_ISSUED_KEY);
        t->session_issued = 1;
    }
    if (t->session_key) {
        size_t first, end;
        index_range(&x->by_key, t->session_key, &first, &end);
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
    uint8_t bin[16];
    int upper, uuid = store_uuid_parse(id, strlen(id), bin, &upper);
    if (!uuid && (idn == UINT32_MAX || idn == 0))
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        if (uuid ? !store_uuid_equals(s, e, EF_EVENT_ID, bin, upper) : store_field(s, e, EF_EVENT_ID) != idn)
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
    return trace_event_text_tz(s, i, NULL, buf, cap);
}

const char *trace_event_text_tz(const struct store *s, size_t i, const struct tz *z, char *buf, size_t cap)
{
    const struct event *e = &s->events[i];
    char tbuf[TIMEFMT_BUF > TZ_BUF ? TIMEFMT_BUF : TZ_BUF];
    const char *err = evtext_error(s, e); /* the one rule for what failed (event.h) */
    snprintf(buf, cap, "%s %s %s %s by %s%s%s",
             z ? tz_format_full(z, e->time_ms, tbuf) : timefmt_format(e->time_ms, tbuf),
             intern_str(s->strings, trace_event_account(s, i)),
             intern_str(s->strings, store_field(s, e, EF_REGION)),
             intern_str(s->strings, store_field(s, e, EF_NAME)), evtext_identity_short(s, e),
             *err ? " error " : "", err);
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
            value = store_str(s, &s->events[t->hops[k].issuer], EF_EVENT_ID);
        } else if (k == t->nhops && !t->nhops) {
            field = "id";
            value = store_str(s, &s->events[t->event], EF_EVENT_ID);
        } else {
            continue;
        }
        if (!*value)
            continue;
        size_t need = len + 4 + filterquote_term(field, value, strlen(value), NULL, 0) + 1;
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
        /* the values come from the logs: quoted, so a '"' in them cannot end the term */
        if (len)
            len += (size_t)snprintf(out + len, cap - len, " OR ");
        len += filterquote_term(field, value, strlen(value), out + len, cap - len);
    }
    return out;
}
