/* report: the incident report in Markdown. See report.h. */
#include "model/query/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/errmsg.h"
#include "model/base/timefmt.h"
#include "model/identity/actors.h"
#include "model/identity/origin.h"
#include "model/identity/trace.h"
#include "model/present/textsafe.h"
#include "model/state/case.h"
#include "model/store/evtext.h"

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Appends one ASCII character, with a backslash before those Markdown acts on; '_' only where it
 * could start or end emphasis (inside a word, as in AWSReservedSSO_Admin, it cannot). */
static int put_md_char(struct tl_text *out, char c, int inside_word)
{
    static const char special[] = "\\`*[]<>|~&";
    int esc = (c && strchr(special, c) != NULL) || (c == '_' && !inside_word);
    return (esc && tl_append(out, "\\", 1) != 0) || tl_append(out, &c, 1) != 0 ? -1 : 0;
}

int report_cell(struct tl_text *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\r' || c == '\n') { /* a line break (CRLF as one) */
            i += c == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
            if (tl_puts(out, "<br>") != 0)
                return -1;
            continue;
        }
        uint32_t cp;
        size_t k = textsafe_utf8_decode(text + i, len - i, &cp);
        if (k == 0 || textsafe_is_unsafe(cp)) { /* its visible escape (\x1b, \u202e), itself escaped */
            char esc[32];
            size_t m = textsafe_escape(text + i, k ? k : 1, esc, sizeof esc);
            for (size_t j = 0; j < m && j < sizeof esc - 1; j++)
                if (put_md_char(out, esc[j], 1) != 0)
                    return -1;
            i += k ? k : 1;
            continue;
        }
        if (k == 1) {
            int inside = i > 0 && i + 1 < len && is_alnum((unsigned char)text[i - 1]) &&
                         is_alnum((unsigned char)text[i + 1]);
            if (put_md_char(out, (char)c, inside) != 0)
                return -1;
        } else if (tl_append(out, text + i, k) != 0) {
            return -1;
        }
        i += k;
    }
    return 0;
}

static int cell(struct tl_text *out, const char *s)
{
    return report_cell(out, s, strlen(s));
}

/* What a report is made with. */
struct rep {
    struct store *s;
    const uint32_t *idx;
    size_t n;
    const struct report_opts *o;
    struct tl_text *out;
    char **err;
    const struct trace_index *x; /* owned by report_markdown */
};

static const char *str(const struct store *s, uint32_t id)
{
    return id ? intern_str(s->strings, id) : "";
}

/* The head: what was chosen, the time range. */
static int put_head(struct rep *r)
{
    struct tl_text *out = r->out;
    int64_t first = TIME_NONE, last = TIME_NONE;
    for (size_t i = 0; i < r->n; i++) {
        int64_t t = r->s->events[r->idx[i]].time_ms;
        if (t == TIME_NONE)
            continue;
        if (first == TIME_NONE || t < first)
            first = t;
        if (last == TIME_NONE || t > last)
            last = t;
    }
    char a[TIMEFMT_BUF], b[TIMEFMT_BUF], line[256];
    snprintf(line, sizeof line, "# Incident report\n\n- Events: %zu %s of %zu loaded\n", r->n,
             r->o->marked ? "marked" : "shown (none is marked)", r->s->nevents);
    int rc = tl_puts(out, line);
    if (rc == 0 && r->o->filter && r->o->filter[0])
        rc = tl_puts(out, "- Filter: ") || cell(out, r->o->filter) || tl_puts(out, "\n");
    if (rc == 0 && r->o->undecided) {
        snprintf(line, sizeof line,
                 "- Incomplete: %zu event%s left out that the filter could not decide (a regular "
                 "expression gave up on %s)\n",
                 r->o->undecided, r->o->undecided == 1 ? "" : "s", r->o->undecided == 1 ? "it" : "them");
        rc = tl_puts(out, line);
    }
    if (rc == 0 && r->o->c && r->o->c->n && r->o->c->name) /* a case with entries */
        rc = tl_puts(out, "- Case: ") || cell(out, r->o->c->name) || tl_puts(out, "\n");
    snprintf(line, sizeof line, "- Time range (UTC): %s to %s\n", timefmt_format(first, a),
             timefmt_format(last, b));
    return rc || tl_puts(out, line) ? -1 : 0;
}

struct acct_count {
    uint32_t id;
    size_t n;
};

static int cmp_id(const void *a, const void *b)
{
    const struct acct_count *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Most events first, then by account (ctx: the store). */
static int cmp_count(const void *a, const void *b, void *ctx)
{
    const struct acct_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(str(ctx, x->id), str(ctx, y->id));
}

/* The accounts: each with its events, most first. */
static int put_accounts(struct rep *r)
{
    struct acct_count *v = calloc(r->n ? r->n : 1, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        v[i] = (struct acct_count){trace_event_account(r->s, r->idx[i]), 1};
    qsort(v, r->n, sizeof *v, cmp_id);
    size_t m = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (m && v[m - 1].id == v[i].id)
            v[m - 1].n++;
        else
            v[m++] = v[i];
    }
    qsort_r(v, m, sizeof *v, cmp_count, r->s);
    int rc = tl_puts(r->out, "\n## Accounts\n\n| Account | Events |\n|---|---:|\n");
    for (size_t i = 0; i < m && rc == 0; i++) {
        char num[32];
        snprintf(num, sizeof num, " | %zu |\n", v[i].n);
        rc = tl_puts(r->out, "| ") || cell(r->out, v[i].id ? str(r->s, v[i].id) : "(none)") ||
                     tl_puts(r->out, num)
                 ? -1
                 : 0;
    }
    free(v);
    return rc;
}

/* The actors: the origins behind the events, as --actors lists them. */
static int put_actors(struct rep *r)
{
    struct actor_table t = {0};
    if (actors_build(r->s, r->idx, r->n, &t) != 0)
        return -1;
    static const enum actor_col cols[] = {AC_ACTOR, AC_TYPE, AC_ACCOUNT,  AC_EVENTS, AC_ERRORS,
                                          AC_FIRST, AC_LAST, AC_ACCOUNTS, AC_ROLES};
    const size_t ncols = sizeof cols / sizeof *cols;
    int rc = tl_puts(r->out, "\n## Actors\n\n|");
    for (size_t c = 0; c < ncols && rc == 0; c++)
        rc = tl_puts(r->out, " ") || cell(r->out, actors_col_title(cols[c])) || tl_puts(r->out, " |");
    rc = rc || tl_puts(r->out, "\n|");
    for (size_t c = 0; c < ncols && rc == 0; c++)
        rc = tl_puts(r->out, actors_col_numeric(cols[c]) ? "---:|" : "---|");
    rc = rc || tl_puts(r->out, "\n");
    char *buf = malloc(8192);
    rc = rc || !buf;
    for (size_t i = 0; i < t.n && rc == 0; i++) {
        rc = tl_puts(r->out, "|");
        for (size_t c = 0; c < ncols && rc == 0; c++)
            rc = tl_puts(r->out, " ") || cell(r->out, actors_cell(r->s, &t.rows[i], cols[c], buf, 8192)) ||
                 tl_puts(r->out, " |");
        rc = rc || tl_puts(r->out, "\n");
    }
    free(buf);
    actors_free(&t);
    return rc ? -1 : 0;
}

/* The origin and role chain of event ev, one line: "IAMUser arn:...:user/bob in 111122223333 → role
 * arn:...:role/Admin (cross-account) → assumes role ...". */
static int put_chain(struct rep *r, size_t ev)
{
    struct trace t;
    trace_build_back(r->x, ev, &t);
    const struct store *s = r->s;
    struct tl_text *out = r->out;
    int rc = 0;
    if (!t.origin_known)
        rc =
            tl_puts(out, "unknown (") || cell(out, t.origin_key) || tl_puts(out, ", not in the loaded logs)");
    else
        rc = cell(out, t.origin_type_name) || tl_puts(out, " ") ||
             cell(out, t.origin_masked ? EVTEXT_MASKED : t.origin_key);
    if (rc == 0 && t.origin_name && strcmp(t.origin_name, t.origin_key) != 0)
        rc = tl_puts(out, " (") || cell(out, t.origin_name) || tl_puts(out, ")");
    if (rc == 0 && t.origin_key_account && t.origin_known)
        rc = tl_puts(out, " in ") || cell(out, str(s, t.origin_key_account));
    if (rc == 0 && t.origin_uncertain)
        rc = tl_puts(out, " (uncertain)");
    for (size_t h = 0; h < t.nhops && rc == 0; h++) {
        const struct trace_hop *hop = &t.hops[h];
        rc = tl_puts(out, " → ");
        if (rc == 0 && hop->kind == HOP_ROLE)
            rc = tl_puts(out, "role ") || cell(out, str(s, hop->role_arn ? hop->role_arn : hop->session_arn));
        else if (rc == 0 && hop->kind == HOP_FEDERATION)
            rc = tl_puts(out, "federated ") || cell(out, str(s, hop->session_arn));
        else if (rc == 0)
            rc = tl_puts(out, "temporary key");
        if (rc == 0 && hop->crosses)
            rc = tl_puts(out, " (cross-account)");
        if (rc == 0 && hop->issuer == TRACE_NONE)
            rc = tl_puts(out, " (call not loaded)");
    }
    /* a successful AssumeRole* call ends its chain with the role it assumed, as its origin's (origin.h) */
    const struct event *e = &s->events[ev];
    if (rc == 0 && origin_assumed_role(s, e))
        rc = tl_puts(out, " → assumes role ") || cell(out, str(s, store_field(s, e, EF_ROLE_ARN)));
    if (rc == 0 && (t.cycle || t.truncated))
        rc = tl_puts(out, t.cycle ? " (stopped: the logs contradict themselves)" : " (more hops not shown)");
    trace_free(&t);
    return rc ? -1 : 0;
}

/* The case's tags and notes of ev: tags joined by ", ", notes by "<br>". */
static int put_case_cells(struct rep *r, size_t ev)
{
    char key[400];
    const struct case_entry *ce =
        r->o->c ? case_get(r->o->c, timeline_event_key(r->s, ev, key, sizeof key)) : NULL;
    int rc = tl_puts(r->out, " | ");
    for (size_t i = 0; ce && i < ce->ntags && rc == 0; i++)
        rc = (i && tl_puts(r->out, ", ")) || cell(r->out, ce->tags[i]);
    rc = rc || tl_puts(r->out, " | ");
    for (size_t i = 0; ce && i < ce->nnotes && rc == 0; i++)
        rc = (i && tl_puts(r->out, "<br>")) || cell(r->out, ce->notes[i]);
    return rc ? -1 : 0;
}

/* The timeline table. */
static int put_timeline(struct rep *r)
{
    struct timeline *tl = timeline_new(r->s, r->n, r->err);
    if (!tl)
        return -1;
    int rc =
        tl_puts(r->out, "\n## Timeline\n\n| # | Time (UTC) | Event | What happened | Origin and role chain | "
                        "Findings | Tags | Notes |\n|---:|---|---|---|---|---|---|---|\n");
    struct tl_text tmp = {0};
    for (size_t i = 0; i < r->n && rc == 0; i++) {
        size_t ev = r->idx[i];
        char num[32], when[TIMEFMT_BUF], key[400];
        snprintf(num, sizeof num, "| %zu | ", i + 1);
        rc = tl_puts(r->out, num) || tl_puts(r->out, timefmt_format(r->s->events[ev].time_ms, when)) ||
             tl_puts(r->out, " | ") || cell(r->out, timeline_event_key(r->s, ev, key, sizeof key)) ||
             tl_puts(r->out, " | ");
        tmp.len = 0;
        if (rc == 0 && timeline_message(tl, ev, &tmp, r->err) != 0)
            rc = -1;
        rc = rc || report_cell(r->out, tmp.p ? tmp.p : "", tmp.len) || tl_puts(r->out, " | ") ||
             put_chain(r, ev) || tl_puts(r->out, " | ");
        tmp.len = 0;
        rc = rc || timeline_findings(r->s, ev, "; ", &tmp) ||
             report_cell(r->out, tmp.p ? tmp.p : "", tmp.len) || put_case_cells(r, ev) ||
             tl_puts(r->out, " |\n");
    }
    free(tmp.p);
    timeline_free(tl);
    return rc ? -1 : 0;
}

int report_markdown(struct store *s, const uint32_t *idx, size_t n, const struct report_opts *o,
                    struct tl_text *out, char **err)
{
    *err = NULL;
    struct trace_index *x = trace_index_new(s);
    if (!x || origins_ensure(s, x) != 0) {
        trace_index_free(x);
        return errmsg_set(err, "out of memory while tracing origins");
    }
    struct rep r = {s, idx, n, o, out, err, x};
    int rc = put_head(&r) || put_accounts(&r) || put_actors(&r) || put_timeline(&r) ? -1 : 0;
    trace_index_free(x);
    if (rc != 0 && !*err)
        errmsg_set(err, "out of memory");
    return rc;
}
