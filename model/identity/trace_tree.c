#include "model/identity/trace_tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"
#include "model/store/evtext.h"

static const char *const markers[] = {
    [TREE_HEAD] = "",      [TREE_ORIGIN] = "◆ ",   [TREE_CALL] = "└ ",    [TREE_NOTE] = "",
    [TREE_MISSING] = "? ", [TREE_SELECTED] = "▶ ", [TREE_SESSION] = "· ", [TREE_CONFLICT] = "! ",
};

const char *trace_tree_marker(enum tree_kind k)
{
    return k <= TREE_CONFLICT ? markers[k] : "";
}

struct builder {
    const struct store *s;
    struct trace_tree *tr;
    int failed;
    const struct tz *tz; /* borrowed: the zone times are shown in; NULL: UTC */
};

static void add(struct builder *b, enum tree_kind kind, int depth, size_t event, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void add(struct builder *b, enum tree_kind kind, int depth, size_t event, const char *fmt, ...)
{
    struct trace_tree *tr = b->tr;
    if (b->failed)
        return;
    if (grow_array_from((void **)&tr->lines, &tr->cap, tr->n + 1, sizeof *tr->lines, 32) != 0) {
        b->failed = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    tr->lines[tr->n++] = (struct tree_line){kind, depth, event, text};
}

static const char *str(const struct builder *b, uint32_t id)
{
    return intern_str(b->s->strings, id);
}

/* "2014-07-18T15:07:39Z 777788889999 us-east-2 AssumeRole by user/Bob [eventID]" into buf. */
static const char *event_line(const struct builder *b, size_t ev, char *buf, size_t cap)
{
    char text[320];
    trace_event_text_tz(b->s, ev, b->tz, text, sizeof text);
    snprintf(buf, cap, "%s [%s]", text, store_str(b->s, &b->s->events[ev], EF_EVENT_ID));
    return buf;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void add_origin(struct builder *b, const struct trace *t)
{
    const struct store *s = b->s;
    if (!t->origin_known) {
        add(b, TREE_MISSING, 0, TRACE_NONE, "origin: unknown principal, its records are not loaded (%s)%s",
            t->origin_key, t->origin_uncertain ? "  (uncertain: reached through a conflicting link)" : "");
        return;
    }
    char acct[64] = "";
    if (t->origin_key_account)
        snprintf(acct, sizeof acct, " (account %.40s)", str(b, t->origin_key_account));
    add(b, TREE_ORIGIN, 0, t->origin_event, "origin: %s %s%s%s%s%s%s%s%s%s", t->origin_type_name,
        t->origin_name && strcmp(t->origin_name, t->origin_key) != 0 ? t->origin_name : "",
        t->origin_name && strcmp(t->origin_name, t->origin_key) != 0 ? " user id " : "",
        t->origin_masked ? EVTEXT_MASKED : t->origin_key, acct,
        t->origin_store ? " identity store " : "", str(b, t->origin_store),
        t->origin_masked ? "  (name masked by AWS: not a person)" : "",
        t->origin_sso_session ? "  (named by its AWSReservedSSO session; the sign-in is logged in the "
                                "Identity Center account)"
                              : "",
        t->origin_uncertain ? "  (uncertain: reached through a conflicting link, see below)" : "");
    /* the event that names the origin, when it is not a call on the way: the caller's record of the
     * first call is shown under that call (add_hop), as its twin */
    size_t first_issuer = t->nhops ? t->hops[0].issuer : t->event;
    if (t->origin_event != TRACE_NONE && t->origin_event != first_issuer && t->origin_event != t->event &&
        !(t->nhops && t->origin_event == t->hops[0].twin)) {
        char ev[400];
        add(b, TREE_CALL, 1, t->origin_event, "%s: %s",
            t->origin_store || store_field(s, &s->events[t->origin_event], EF_UI_OBO_USER)
                ? "on behalf of this user"
                : "named by the caller's record of the same call",
            event_line(b, t->origin_event, ev, sizeof ev));
    }
}

/* Hop h at depth d; origin_event: the trace's, shown here when it is this call's twin. */
static void add_hop(struct builder *b, const struct trace_hop *h, int d, size_t origin_event)
{
    const struct store *s = b->s;
    char ev[400];
    static const char *const what[] = {
        [HOP_ROLE] = "the call that issued this role session",
        [HOP_SESSION_TOKEN] = "the call that issued this temporary key",
        [HOP_FEDERATION] = "the GetFederationToken call that issued this session",
    };
    if (h->issuer != TRACE_NONE)
        add(b, TREE_CALL, d, h->issuer, "%s", event_line(b, h->issuer, ev, sizeof ev));
    else
        add(b, TREE_MISSING, d, TRACE_NONE, "%s is not in the loaded logs", what[h->kind]);
    const struct event *is = h->issuer != TRACE_NONE ? &s->events[h->issuer] : NULL;
    const char *key = h->access_key ? str(b, h->access_key) : "-";
    char head[600];
    if (h->kind == HOP_ROLE)
        snprintf(head, sizeof head, "role %s  session %s  key %s", h->role_arn ? str(b, h->role_arn) : "-",
                 str(b, h->session_arn), key);
    else if (h->kind == HOP_FEDERATION)
        snprintf(head, sizeof head, "federated user %s  key %s", str(b, h->session_arn), key);
    else
        snprintf(head, sizeof head, "the user's temporary key %s", key);
    add(b, TREE_NOTE, d + 1, TRACE_NONE, "%s%s%s%s%s%s%s", head,
        h->source_identity ? "  source identity " : "", str(b, h->source_identity),
        is && (is->flags & EVF_MFA) ? "  caller used MFA" : "",
        is && store_field(s, is, EF_UI_INVOKED_BY) ? "  invoked by " : "",
        is ? str(b, store_field(s, is, EF_UI_INVOKED_BY)) : "",
        !h->inferred                   ? ""
        : h->kind == HOP_SESSION_TOKEN ? "  (inferred: matched on the user's ARN and sign-in time)"
                                       : "  (inferred: matched on session ARN and creation time)");
    if (h->conflict) {
        /* what disagrees, with both sides */
        const struct event *e = &s->events[h->user];
        char tn[TIMEFMT_BUF > TZ_BUF ? TIMEFMT_BUF : TZ_BUF], ti[sizeof tn];
        if (h->conflict == TC_OTHER_SESSION)
            add(b, TREE_CONFLICT, d + 1, h->user,
                "conflict: %s: the event names %s, the call issued key %s to %s",
                trace_conflict_reason(h->conflict), str(b, store_field(s, e, EF_UI_ARN)), key,
                str(b,
                    h->kind == HOP_ROLE ? store_field(s, is, EF_ISSUED_ARN) : store_field(s, is, EF_UI_ARN)));
        else
            add(b, TREE_CONFLICT, d + 1, h->user, "conflict: %s: the event at %s, the call at %s",
                trace_conflict_reason(h->conflict),
                b->tz ? tz_format_full(b->tz, e->time_ms, tn) : timefmt_format(e->time_ms, tn),
                b->tz ? tz_format_full(b->tz, is->time_ms, ti) : timefmt_format(is->time_ms, ti));
    }
    if (h->twin != TRACE_NONE && (h->crosses || h->twin == origin_event))
        add(b, TREE_CALL, d + 1, h->twin, "%s%s: %s", h->crosses ? "twin in account " : "",
            h->crosses ? str(b, trace_event_account(s, h->twin)) : "the caller's record of the same call",
            event_line(b, h->twin, ev, sizeof ev));
    else if (h->crosses)
        add(b, TREE_MISSING, d + 1, TRACE_NONE, "twin: the other account's record is not loaded (shared %s)",
            str(b, h->shared_id));
}

int trace_tree_build(const struct store *s, const struct trace *t, size_t max_session, struct trace_tree *tr)
{
    return trace_tree_build_tz(s, t, max_session, NULL, tr);
}

int trace_tree_build_tz(const struct store *s, const struct trace *t, size_t max_session, const struct tz *z,
                        struct trace_tree *tr)
{
    struct builder b = {s, tr, 0, z};
    char ev[400];
    tr->n = 0;
    add(&b, TREE_HEAD, 0, TRACE_NONE, "%zu hop%s from the origin; %zu event%s %s", t->nhops, plural(t->nhops),
        t->nsession, plural(t->nsession),
        t->session_issued ? "made with the key it issued" : "in this session");
    add_origin(&b, t);
    for (size_t k = 0; k < t->nhops; k++)
        add_hop(&b, &t->hops[k], (int)k + 1, k == 0 ? t->origin_event : TRACE_NONE);
    add(&b, TREE_SELECTED, (int)t->nhops + 1, t->event, "%s", event_line(&b, t->event, ev, sizeof ev));
    if (t->cycle)
        add(&b, TREE_MISSING, 0, TRACE_NONE, "stopped: the chain loops back on itself");
    if (t->truncated)
        add(&b, TREE_MISSING, 0, TRACE_NONE, "stopped: more than %d hops", TRACE_MAX_HOPS);
    if (t->insight_twin != TRACE_NONE)
        add(&b, TREE_CALL, 0, t->insight_twin, "insight pair: %s",
            event_line(&b, t->insight_twin, ev, sizeof ev));
    if (t->session_key) {
        add(&b, TREE_HEAD, 0, TRACE_NONE, "%s: %zu event%s with key %s, newest first",
            t->session_issued ? "issued key" : "session", t->nsession, plural(t->nsession),
            str(&b, t->session_key));
        for (size_t k = 0; k < t->nsession && k < max_session; k++)
            add(&b, t->session[k] == t->event ? TREE_SELECTED : TREE_SESSION, 1, t->session[k], "%s",
                event_line(&b, t->session[k], ev, sizeof ev));
        if (t->nsession > max_session)
            add(&b, TREE_NOTE, 1, TRACE_NONE, "… %zu more", t->nsession - max_session);
    } else {
        add(&b, TREE_NOTE, 0, TRACE_NONE, "session: the event names no access key");
    }
    if (b.failed) {
        trace_tree_free(tr);
        return -1;
    }
    return 0;
}

void trace_tree_free(struct trace_tree *tr)
{
    for (size_t i = 0; i < tr->n; i++)
        free(tr->lines[i].text);
    free(tr->lines);
    tr->lines = NULL;
    tr->n = tr->cap = 0;
}
