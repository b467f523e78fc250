/* timeline: an event's summary and its Timesketch line. See timeline.h. */
#include "model/query/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/errmsg.h"
#include "model/base/grow.h"
#include "model/base/timefmt.h"
#include "model/detect/findings.h"
#include "model/identity/trace.h"
#include "model/json/jsonout.h"
#include "model/present/textsafe.h"
#include "model/query/evcase.h"
#include "model/query/field.h"
#include "model/state/case.h"

static int tl_reserve(struct tl_text *t, size_t more)
{
    if (more > SIZE_MAX - t->len - 1)
        return -1;
    return grow_array_from((void **)&t->p, &t->cap, t->len + more + 1, 1, 256);
}

int tl_append(struct tl_text *t, const char *s, size_t n)
{
    if (tl_reserve(t, n) != 0)
        return -1;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
    return 0;
}

int tl_puts(struct tl_text *t, const char *s)
{
    return tl_append(t, s, strlen(s));
}

/* Appends s[0..n) as the inside of a JSON string (model/json/jsonout.h). */
static int put_escaped(struct tl_text *t, const char *s, size_t n)
{
    if (n > (SIZE_MAX - 64) / 6 || tl_reserve(t, JSONOUT_ESCAPED_MAX(n)) != 0)
        return -1;
    t->len += jsonout_escape(s, n, t->p + t->len);
    t->p[t->len] = '\0';
    return 0;
}

/* Appends ,"key":"value" (key is ours, plain ASCII). */
static int put_pair(struct tl_text *t, const char *key, const char *v, size_t n)
{
    return tl_puts(t, ",\"") || tl_puts(t, key) || tl_puts(t, "\":\"") || put_escaped(t, v, n) ||
                   tl_puts(t, "\"")
               ? -1
               : 0;
}

/* The short fields a Timesketch line carries, in this order under their names (time is datetime; rule
 * is finding); the summary reads some of them by these names. */
enum line_field {
    L_ACCT,
    L_REGION,
    L_SRC,
    L_NAME,
    L_IDENTITY,
    L_USER,
    L_TYPE,
    L_IP,
    L_UA,
    L_ERROR,
    L_OUTCOME,
    L_ID,
    L_REQ,
    L_SHARED,
    L_KEY,
    L_ROLE,
    L_SRCID,
    L_RES,
    L_ETYPE,
    L_CAT,
    L_HOST,
    L_RO,
    L_ORIGIN,
    L_LEVEL,
    NLINE
};
static const char *const line_fields[NLINE] = {
    [L_ACCT] = "acct",
    [L_REGION] = "region",
    [L_SRC] = "src",
    [L_NAME] = "name",
    [L_IDENTITY] = "identity",
    [L_USER] = "user",
    [L_TYPE] = "type",
    [L_IP] = "ip",
    [L_UA] = "ua",
    [L_ERROR] = "error",
    [L_OUTCOME] = "outcome",
    [L_ID] = "id",
    [L_REQ] = "req",
    [L_SHARED] = "shared",
    [L_KEY] = "key",
    [L_ROLE] = "role",
    [L_SRCID] = "srcid",
    [L_RES] = "res",
    [L_ETYPE] = "etype",
    [L_CAT] = "cat",
    [L_HOST] = "host",
    [L_RO] = "ro",
    [L_ORIGIN] = "origin",
    [L_LEVEL] = "level",
};

/* What the summary names as the target when the event lists no resources: the request parameters that
 * name what a call acts on, most specific first. */
static const char *const target_paths[] = {
    "requestParameters.roleArn",      "requestParameters.bucketName",   "requestParameters.userName",
    "requestParameters.roleName",     "requestParameters.groupName",    "requestParameters.policyArn",
    "requestParameters.functionName", "requestParameters.keyId",        "requestParameters.secretId",
    "requestParameters.trailName",    "requestParameters.logGroupName", "requestParameters.name",
};
#define NTARGET (sizeof target_paths / sizeof *target_paths)

struct timeline {
    struct store *s;              /* borrowed */
    struct field line[NLINE];     /* owned */
    struct field target[NTARGET]; /* owned */
    size_t nline, ntarget;        /* parsed so far (what timeline_free releases) */
    struct path_values v;
};

void timeline_free(struct timeline *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nline; i++)
        field_free(&t->line[i]);
    for (size_t i = 0; i < t->ntarget; i++)
        field_free(&t->target[i]);
    path_values_free(&t->v);
    free(t);
}

struct timeline *timeline_new(struct store *s, size_t n, char **err)
{
    struct timeline *t = calloc(1, sizeof *t);
    if (!t) {
        errmsg_set(err, "out of memory");
        return NULL;
    }
    t->s = s;
    path_values_init(&t->v);
    struct field_error ferr;
    for (; t->nline < NLINE; t->nline++) {
        const char *name = line_fields[t->nline];
        if (field_parse(name, strlen(name), &t->line[t->nline], &ferr) != 0)
            break;
    }
    for (; t->nline == NLINE && t->ntarget < NTARGET; t->ntarget++) {
        const char *name = target_paths[t->ntarget];
        if (field_parse(name, strlen(name), &t->target[t->ntarget], &ferr) != 0)
            break;
    }
    int bad = t->nline < NLINE || t->ntarget < NTARGET;
    if (bad)
        errmsg_set(err, "%s", ferr.message);
    /* the target paths are read from an event's bytes when needed: only the short fields are prepared */
    for (size_t i = 0; i < t->nline && !bad; i++)
        if (field_prepare_for(s, &t->line[i], n) != 0) {
            errmsg_set(err, "out of memory");
            bad = 1;
        }
    if (bad) {
        timeline_free(t);
        return NULL;
    }
    return t;
}

const char *timeline_event_key(const struct store *s, size_t ev, char *buf, size_t cap)
{
    /* one key rule for the case, the timeline and the report: evcase_key's */
    char key[EVCASE_KEY_BUF];
    size_t n = evcase_key(s, ev, key);
    snprintf(buf, cap, "%.*s", (int)n, key);
    return buf;
}

/* The text of field f for event ev (joined values) into t->v; *len 0 when missing. -1 on error. */
static int text_of(struct timeline *t, struct field *f, size_t ev, size_t *len, char **err)
{
    int got = field_text(t->s, ev, f, &t->v, len, err);
    if (got <= 0)
        *len = 0;
    return got < 0 ? -1 : 0;
}

/* Appends prefix and field f's text when the event has it. 1 when appended, 0 when missing, -1. */
static int put_part(struct timeline *t, struct field *f, size_t ev, const char *prefix, struct tl_text *out,
                    char **err)
{
    size_t len;
    if (text_of(t, f, ev, &len, err) != 0)
        return -1;
    if (!len)
        return 0;
    if (tl_puts(out, prefix) != 0 || tl_append(out, t->v.text, len) != 0) {
        errmsg_set(err, "out of memory");
        return -1;
    }
    return 1;
}

/* The target: the first resource, else the first request parameter of target_paths the event has. */
static int put_target(struct timeline *t, size_t ev, struct tl_text *out, char **err)
{
    int got = field_values(t->s, ev, &t->line[L_RES], &t->v, err);
    for (size_t i = 0; got == 0 && i < t->ntarget; i++)
        got = field_values(t->s, ev, &t->target[i], &t->v, err);
    if (got < 0)
        return -1;
    if (got == 0)
        return 0;
    size_t len;
    const char *first = path_value(&t->v, 0, &len);
    if (tl_puts(out, " on ") != 0 || tl_append(out, first, strnlen(first, len)) != 0) {
        errmsg_set(err, "out of memory");
        return -1;
    }
    return 0;
}

int timeline_message(struct timeline *t, size_t ev, struct tl_text *out, char **err)
{
    struct field *f = t->line;
    int who = put_part(t, &f[L_IDENTITY], ev, "", out, err);
    int src = who < 0 ? -1 : put_part(t, &f[L_SRC], ev, who ? " " : "", out, err);
    int name = src < 0 ? -1 : put_part(t, &f[L_NAME], ev, src ? ":" : who ? " " : "", out, err);
    int rc = name < 0 ? -1 : put_target(t, ev, out, err);
    if (rc >= 0)
        rc = put_part(t, &f[L_IP], ev, " from ", out, err);
    int acct = rc < 0 ? -1 : put_part(t, &f[L_ACCT], ev, " in ", out, err);
    rc = acct < 0 ? -1 : put_part(t, &f[L_REGION], ev, acct ? " " : " in ", out, err);
    /* the origin only when it says more than the identity: a role session's person or service */
    size_t len, ilen;
    if (rc >= 0 && (rc = text_of(t, &f[L_ORIGIN], ev, &len, err)) == 0 && len) {
        char *origin = strndup(t->v.text, len);
        rc = origin && text_of(t, &f[L_IDENTITY], ev, &ilen, err) == 0 ? 0 : -1;
        if (rc == 0 && (ilen != len || memcmp(origin, t->v.text, len) != 0))
            rc = tl_puts(out, " (origin ") || tl_puts(out, origin) || tl_puts(out, ")") ? -1 : 0;
        free(origin);
    }
    if (rc >= 0) {
        int failed = store_event_failed(t->s, &t->s->events[ev]);
        rc = tl_puts(out, failed ? ": failed" : ": ok") ? -1 : 0;
        if (rc == 0 && failed)
            rc = put_part(t, &f[L_ERROR], ev, " ", out, err) < 0 ? -1 : 0;
    }
    if (rc < 0 && !*err)
        errmsg_set(err, "out of memory");
    return rc < 0 ? -1 : 0;
}

int timeline_findings(const struct store *s, size_t ev, const char *sep, struct tl_text *out)
{
    const struct findings *fd = findings_of(s);
    if (!fd || !findings_done(fd))
        return 0;
    size_t n;
    const uint32_t *rules = findings_event_rules(fd, ev, &n);
    const struct sigma_set *set = findings_set(fd);
    for (size_t i = 0; i < n; i++)
        if ((i && tl_puts(out, sep) != 0) ||
            tl_puts(out, sigma_rule_title(sigma_set_rule(set, rules[i]))) != 0)
            return -1;
    return 0;
}

/* Appends ,"key":["a","b"] of strings v[0..n) (nothing when n is 0). */
static int put_list(struct tl_text *out, const char *key, char *const *v, size_t n)
{
    if (!n)
        return 0;
    if (tl_puts(out, ",\"") || tl_puts(out, key) || tl_puts(out, "\":["))
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((i && tl_puts(out, ",")) || tl_puts(out, "\"") || put_escaped(out, v[i], strlen(v[i])) ||
            tl_puts(out, "\""))
            return -1;
    return tl_puts(out, "]");
}

/* The titles of the rules ev matched as ,"finding":[...]. */
static int put_findings(struct tl_text *out, const struct store *s, size_t ev)
{
    const struct findings *fd = findings_of(s);
    size_t n = 0;
    const uint32_t *rules = fd && findings_done(fd) ? findings_event_rules(fd, ev, &n) : NULL;
    if (!n)
        return 0;
    const struct sigma_set *set = findings_set(fd);
    if (tl_puts(out, ",\"finding\":["))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *title = sigma_rule_title(sigma_set_rule(set, rules[i]));
        if ((i && tl_puts(out, ",")) || tl_puts(out, "\"") || put_escaped(out, title, strlen(title)) ||
            tl_puts(out, "\""))
            return -1;
    }
    return tl_puts(out, "]");
}

/* The case's part of the line: tags, notes, marked. */
static int put_case(struct tl_text *out, const struct ctcase *c, const char *key)
{
    const struct case_entry *ce = c ? case_get(c, key) : NULL;
    if (!ce)
        return 0;
    if (put_list(out, "tag", ce->tags, ce->ntags) || put_list(out, "note", ce->notes, ce->nnotes))
        return -1;
    return ce->marked ? tl_puts(out, ",\"marked\":true") : 0;
}

int timeline_timesketch(struct timeline *t, size_t ev, const struct ctcase *c, struct tl_text *out,
                        char **err)
{
    const struct event *e = &t->s->events[ev];
    if (e->time_ms == TIME_NONE)
        return 0;
    size_t start = out->len;
    char when[TIMEFMT_BUF], key[400], num[32];
    timefmt_format(e->time_ms, when);
    size_t wl = strlen(when);
    if (wl && when[wl - 1] == 'Z') /* Timesketch's form: the offset written out */
        snprintf(when + wl - 1, sizeof when - (wl - 1), "+00:00");
    snprintf(num, sizeof num, "%lld", (long long)e->time_ms * 1000);
    int rc = tl_puts(out, "{\"message\":\"");
    struct tl_text msg = {0};
    char *line = NULL; /* the summary on one line: a log's line breaks and escapes made visible */
    if (rc == 0 && (rc = timeline_message(t, ev, &msg, err)) == 0 &&
        !(line = textsafe_escape_dup(msg.p ? msg.p : "", msg.len)))
        rc = -1;
    if (rc == 0)
        rc = put_escaped(out, line, strlen(line)) || tl_puts(out, "\",\"datetime\":\"") ||
                     tl_puts(out, when) ||
                     tl_puts(out, "\",\"timestamp_desc\":\"Event Time\",\"timestamp\":") || tl_puts(out, num)
                 ? -1
                 : 0;
    free(msg.p);
    free(line);
    timeline_event_key(t->s, ev, key, sizeof key);
    if (rc == 0)
        rc = put_pair(out, "event_key", key, strlen(key));
    for (size_t i = 0; i < t->nline && rc == 0; i++) {
        size_t len;
        rc = text_of(t, &t->line[i], ev, &len, err);
        if (rc == 0 && len)
            rc = put_pair(out, line_fields[i], t->v.text, len);
    }
    if (rc == 0)
        rc = put_findings(out, t->s, ev) || put_case(out, c, key) || tl_puts(out, "}\n") ? -1 : 0;
    if (rc != 0) {
        if (!*err)
            errmsg_set(err, "out of memory");
        out->len = start;
        if (out->p)
            out->p[start] = '\0';
        return -1;
    }
    return 1;
}
