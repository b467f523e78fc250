/* --trace: the identity chain of one event as an indented tree, or as one JSON object. */
#include <stdlib.h>
#include <string.h>

#include "model/columns.h"
#include "model/textsafe.h"
#include "model/timefmt.h"
#include "model/trace.h"
#include "tui/cli.h"

/* Writes s escaped for a terminal (log text is attacker-controlled). */
static void put_safe(FILE *out, const char *s)
{
    char *e = textsafe_escape_dup(s, strlen(s));
    fputs(e ? e : "?", out);
    free(e);
}

/* Writes s as a JSON string, or null when empty. */
static void put_json(FILE *out, const char *s)
{
    if (!s || !*s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static const char *str(const struct store *s, uint32_t id)
{
    return intern_str(s->strings, id);
}

static const char *event_id(const struct store *s, size_t ev)
{
    return ev == TRACE_NONE ? "" : str(s, s->events[ev].f[EF_EVENT_ID]);
}

/* "2014-07-18T15:07:39Z 777788889999 us-east-2 AssumeRole by user/Bob [eventID]" */
static void put_event_line(FILE *out, const struct store *s, size_t ev)
{
    const struct event *e = &s->events[ev];
    char tbuf[TIMEFMT_BUF];
    fprintf(out, "%s %s ", timefmt_format(e->time_ms, tbuf), str(s, trace_event_account(s, ev)));
    put_safe(out, str(s, e->f[EF_REGION]));
    fputc(' ', out);
    put_safe(out, str(s, e->f[EF_NAME]));
    fputs(" by ", out);
    put_safe(out, column_identity_short(s, e));
    fputs(" [", out);
    put_safe(out, event_id(s, ev));
    fputs("]", out);
    if (e->f[EF_ERROR_CODE]) {
        fputs(" error ", out);
        put_safe(out, str(s, e->f[EF_ERROR_CODE]));
    }
    fputc('\n', out);
}

static void indent(FILE *out, size_t depth)
{
    for (size_t k = 0; k < depth; k++)
        fputs("  ", out);
}

static void print_text(FILE *out, const struct store *s, const struct trace *t)
{
    fputs("origin: ", out);
    if (t->origin_type) {
        put_safe(out, str(s, t->origin_type));
        fputc(' ', out);
    } else {
        fputs("unknown principal (its records are not loaded) ", out);
    }
    put_safe(out, str(s, t->origin_arn));
    fprintf(out, " (account %s)\n", str(s, t->origin_account));
    size_t first_issuer = t->nhops ? t->hops[0].issuer : t->event;
    if (t->origin_event != TRACE_NONE && t->origin_event != first_issuer && t->origin_event != t->event) {
        fputs("  named by the caller's record of the same call: ", out);
        put_event_line(out, s, t->origin_event);
    }
    for (size_t k = 0; k < t->nhops; k++) {
        const struct trace_hop *h = &t->hops[k];
        indent(out, k + 1);
        fputs("└ ", out);
        if (h->issuer != TRACE_NONE)
            put_event_line(out, s, h->issuer);
        else
            fputs("(the call that issued this session is not in the loaded logs)\n", out);
        indent(out, k + 2);
        fputs("role ", out);
        put_safe(out, str(s, h->role_arn));
        fputs("  session ", out);
        put_safe(out, str(s, h->session_arn));
        fputs("  key ", out);
        put_safe(out, *str(s, h->access_key) ? str(s, h->access_key) : "-");
        if (h->source_identity) {
            fputs("  source identity ", out);
            put_safe(out, str(s, h->source_identity));
        }
        if (h->issuer != TRACE_NONE && (s->events[h->issuer].flags & EVF_MFA))
            fputs("  caller used MFA", out);
        if (h->issuer != TRACE_NONE && s->events[h->issuer].f[EF_UI_INVOKED_BY]) {
            fputs("  invoked by ", out);
            put_safe(out, str(s, s->events[h->issuer].f[EF_UI_INVOKED_BY]));
        }
        if (h->inferred)
            fputs("  (inferred: matched on session ARN and creation time)", out);
        fputc('\n', out);
        if (h->crosses) {
            indent(out, k + 2);
            if (h->twin != TRACE_NONE) {
                fprintf(out, "twin: account %s [", str(s, trace_event_account(s, h->twin)));
                put_safe(out, event_id(s, h->twin));
                fputs("] shared ", out);
            } else {
                fputs("twin: the other account's record is not in the loaded logs; shared ", out);
            }
            put_safe(out, str(s, h->shared_id));
            fputc('\n', out);
        }
    }
    indent(out, t->nhops + 1);
    fputs("└ ", out);
    put_event_line(out, s, t->event);
    if (t->cycle)
        fputs("stopped: the chain loops back on itself\n", out);
    if (t->truncated)
        fprintf(out, "stopped: more than %d hops\n", TRACE_MAX_HOPS);
    if (t->insight_twin != TRACE_NONE) {
        fputs("insight pair: ", out);
        put_event_line(out, s, t->insight_twin);
    }
    const char *key = str(s, s->events[t->event].f[EF_UI_KEY]);
    if (!*key) {
        fputs("session: the event names no access key\n", out);
        return;
    }
    fprintf(out, "session: %zu event%s with key ", t->nsession, t->nsession == 1 ? "" : "s");
    put_safe(out, key);
    fputs(", newest first\n", out);
    for (size_t k = 0; k < t->nsession; k++) {
        fputs("  ", out);
        put_event_line(out, s, t->session[k]);
    }
}

static void print_json(FILE *out, const struct store *s, const struct trace *t)
{
    fputs("{\"event\": ", out);
    put_json(out, event_id(s, t->event));
    fputs(", \"account\": ", out);
    put_json(out, str(s, trace_event_account(s, t->event)));
    fputs(", \"origin\": {\"type\": ", out);
    put_json(out, t->origin_type ? str(s, t->origin_type) : "Unknown");
    fputs(", \"arn\": ", out);
    put_json(out, str(s, t->origin_arn));
    fputs(", \"account\": ", out);
    put_json(out, str(s, t->origin_account));
    fputs("}, \"hops\": [", out);
    for (size_t k = 0; k < t->nhops; k++) {
        const struct trace_hop *h = &t->hops[k];
        fputs(k ? ", {\"issuer_event_id\": " : "{\"issuer_event_id\": ", out);
        put_json(out, event_id(s, h->issuer));
        fputs(", \"shared_event_id\": ", out);
        put_json(out, str(s, h->shared_id));
        fputs(", \"twin_event_id\": ", out);
        put_json(out, event_id(s, h->twin));
        fputs(", \"role_arn\": ", out);
        put_json(out, str(s, h->role_arn));
        fputs(", \"session_arn\": ", out);
        put_json(out, str(s, h->session_arn));
        fputs(", \"access_key_id\": ", out);
        put_json(out, str(s, h->access_key));
        fputs(", \"source_identity\": ", out);
        put_json(out, str(s, h->source_identity));
        fprintf(out, ", \"inferred\": %s}", h->inferred ? "true" : "false");
    }
    fprintf(out, "], \"session_events\": %zu, \"cycle\": %s}\n", t->nsession, t->cycle ? "true" : "false");
}

int cli_trace(struct store *s, const char *spec, FILE *out, int json)
{
    size_t found = 0, cand[16];
    size_t n = trace_find_event(s, spec, &found, cand, 16);
    if (n == 0) {
        fprintf(stderr, "ctview: --trace: no loaded event has id ");
        put_safe(stderr, spec);
        fputc('\n', stderr);
        return 1;
    }
    if (n > 1) {
        fprintf(stderr, "ctview: --trace: %zu events have id ", n);
        put_safe(stderr, spec);
        fputs("; name one as ACCOUNT:EVENTID:\n", stderr);
        for (size_t k = 0; k < n && k < 16; k++) {
            fprintf(stderr, "  %s:", str(s, trace_event_account(s, cand[k])));
            put_safe(stderr, event_id(s, cand[k]));
            fputc('\n', stderr);
        }
        return 1;
    }
    struct trace_index *x = trace_index_new(s);
    struct trace t;
    if (!x || trace_build(x, found, &t) != 0) {
        trace_index_free(x);
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    if (json)
        print_json(out, s, &t);
    else
        print_text(out, s, &t);
    trace_free(&t);
    trace_index_free(x);
    return 0;
}
