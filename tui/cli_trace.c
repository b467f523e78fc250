/* --trace: the identity chain of one event as an indented tree, or as one JSON object. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/present/textsafe.h"
#include "model/identity/trace.h"
#include "model/identity/trace_tree.h"
#include "tui/cli.h"

/* Writes s escaped for a terminal (log text is attacker-controlled). */
static void put_safe(FILE *out, const char *s)
{
    char *e = textsafe_escape_dup(s, strlen(s));
    fputs(e ? e : "?", out);
    free(e);
}

static const char *str(const struct store *s, uint32_t id)
{
    return intern_str(s->strings, id);
}

static const char *event_id(const struct store *s, size_t ev)
{
    return ev == TRACE_NONE ? "" : store_str(s, &s->events[ev], EF_EVENT_ID);
}

/* The tree as model/trace_tree lays it out, indented two spaces a level, every event listed. */
static int print_text(FILE *out, const struct store *s, const struct trace *t)
{
    struct trace_tree tree = {0};
    if (trace_tree_build(s, t, SIZE_MAX, &tree) != 0)
        return -1;
    for (size_t i = 0; i < tree.n; i++) {
        const struct tree_line *l = &tree.lines[i];
        for (int k = 0; k < l->depth; k++)
            fputs("  ", out);
        fputs(trace_tree_marker(l->kind), out);
        put_safe(out, l->text);
        fputc('\n', out);
    }
    trace_tree_free(&tree);
    return 0;
}

static void print_json(FILE *out, const struct store *s, const struct trace *t)
{
    fputs("{\"event\": ", out);
    cli_json_string(out, event_id(s, t->event));
    fputs(", \"account\": ", out);
    cli_json_string(out, str(s, trace_event_account(s, t->event)));
    /* the origin as the actor it is (origin.h): the key --actors and origin: use */
    fputs(", \"origin\": {\"type\": ", out);
    cli_json_string(out, t->origin_type_name);
    fputs(", \"arn\": ", out);
    cli_json_string(out, t->origin_key);
    fputs(", \"account\": ", out);
    cli_json_string(out, str(s, t->origin_key_account));
    if (t->origin_name) {
        fputs(", \"name\": ", out);
        cli_json_string(out, t->origin_name);
    }
    if (t->origin_store) {
        fputs(", \"identity_store\": ", out);
        cli_json_string(out, str(s, t->origin_store));
    }
    if (t->origin_masked)
        fputs(", \"masked\": true", out);
    if (t->origin_sso_session)
        fputs(", \"sso_session\": true", out);
    if (t->origin_uncertain)
        fputs(", \"uncertain\": true", out);
    fputs("}, \"hops\": [", out);
    for (size_t k = 0; k < t->nhops; k++) {
        const struct trace_hop *h = &t->hops[k];
        fputs(k ? ", {\"issuer_event_id\": " : "{\"issuer_event_id\": ", out);
        cli_json_string(out, event_id(s, h->issuer));
        fputs(", \"shared_event_id\": ", out);
        cli_json_string(out, str(s, h->shared_id));
        fputs(", \"twin_event_id\": ", out);
        cli_json_string(out, event_id(s, h->twin));
        fputs(", \"role_arn\": ", out);
        cli_json_string(out, str(s, h->role_arn));
        fputs(", \"session_arn\": ", out);
        cli_json_string(out, str(s, h->session_arn));
        fputs(", \"access_key_id\": ", out);
        cli_json_string(out, str(s, h->access_key));
        fputs(", \"source_identity\": ", out);
        cli_json_string(out, str(s, h->source_identity));
        static const char *const kinds[] = {
            [HOP_ROLE] = "role", [HOP_SESSION_TOKEN] = "session_token", [HOP_FEDERATION] = "federation"};
        /* a link the log contradicts is a conflict, whatever it issued (issued_kind) */
        fprintf(out, ", \"inferred\": %s, \"cross_account\": %s, \"kind\": \"%s\"",
                h->inferred ? "true" : "false", h->crosses ? "true" : "false",
                h->conflict ? "conflict" : kinds[h->kind]);
        if (h->conflict) {
            fprintf(out, ", \"issued_kind\": \"%s\", \"reason\": ", kinds[h->kind]);
            cli_json_string(out, trace_conflict_reason(h->conflict));
        }
        fputc('}', out);
    }
    fputs("], \"session_key\": ", out);
    cli_json_string(out, str(s, t->session_key));
    fprintf(out, ", \"session_issued\": %s, \"session_events\": %zu, \"cycle\": %s}\n",
            t->session_issued ? "true" : "false", t->nsession, t->cycle ? "true" : "false");
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
    int rc = 0;
    if (json)
        print_json(out, s, &t);
    else if (print_text(out, s, &t) != 0)
        rc = 2;
    trace_free(&t);
    trace_index_free(x);
    if (rc)
        fprintf(stderr, "ctview: out of memory\n");
    return rc;
}
