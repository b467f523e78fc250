/* sql: a compiled filter's tree (filter_impl.h) written out as Trino SQL. */
#include "model/sql/sql.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/query/filter_impl.h"
#include "model/sql/sql_impl.h"
#include "model/store/store.h"
#include "model/base/timefmt.h"

#define DEFAULT_TABLE "cloudtrail_logs"
#define DAY_MS        86400000LL

/* Each indexed field as an expression over the documented table; NULL where the table has no column
 * for it (the documented sessionContext struct has no sourceIdentity: the SerDe drops it). */
static const char *const field_sql[EF__COUNT] = {
    [EF_NAME] = "eventname",
    [EF_SOURCE] = "eventsource",
    [EF_REGION] = "awsregion",
    [EF_ACCOUNT] = "recipientaccountid",
    [EF_UI_TYPE] = "useridentity.type",
    [EF_UI_ARN] = "useridentity.arn",
    [EF_UI_ACCOUNT] = "useridentity.accountid",
    [EF_UI_PRINCIPAL] = "useridentity.principalid",
    [EF_UI_USER] = "useridentity.username",
    [EF_UI_KEY] = "useridentity.accesskeyid",
    [EF_UI_ISSUER_ARN] = "useridentity.sessioncontext.sessionissuer.arn",
    [EF_UI_SOURCE_IDENTITY] = NULL,
    [EF_UI_SESSION_CREATED] = "useridentity.sessioncontext.attributes.creationdate",
    [EF_UI_INVOKED_BY] = "useridentity.invokedby",
    [EF_IP] = "sourceipaddress",
    [EF_UA] = "useragent",
    [EF_ERROR_CODE] = "errorcode",
    [EF_ERROR_MESSAGE] = "errormessage",
    [EF_EVENT_TYPE] = "eventtype",
    [EF_EVENT_CATEGORY] = "eventcategory",
    [EF_EVENT_ID] = "eventid",
    [EF_SHARED_ID] = "sharedeventid",
    [EF_REQUEST_ID] = "requestid",
    [EF_ROLE_ARN] = "json_extract_scalar(requestparameters, '$.roleArn')",
    [EF_ROLE_SESSION] = "json_extract_scalar(requestparameters, '$.roleSessionName')",
    [EF_ISSUED_KEY] = "json_extract_scalar(responseelements, '$.credentials.accessKeyId')",
    [EF_ISSUED_ARN] = "json_extract_scalar(responseelements, '$.assumedRoleUser.arn')",
    [EF_TLS_HOST] = "tlsdetails.clientprovidedhostheader",
    /* the documented table's useridentity.onbehalfof struct (Identity Center users) */
    [EF_UI_OBO_USER] = "useridentity.onbehalfof.userid",
    [EF_UI_OBO_STORE] = "useridentity.onbehalfof.identitystorearn",
};

/* Why a field has no column, for the error. */
static const char *const field_missing[EF__COUNT] = {
    [EF_UI_SOURCE_IDENTITY] = "the documented table has no userIdentity.sessionContext.sourceIdentity column",
};

/* Where a free-text word is looked for: every column's text, structs as JSON; each column apart, as
 * ctview looks in each top-level member apart (a '*' in the word does not reach across them). */
static const char *const word_columns[] = {
    "eventversion",
    "eventtime",
    "eventsource",
    "eventname",
    "awsregion",
    "sourceipaddress",
    "useragent",
    "errorcode",
    "errormessage",
    "requestparameters",
    "responseelements",
    "additionaleventdata",
    "requestid",
    "eventid",
    "readonly",
    "eventtype",
    "apiversion",
    "recipientaccountid",
    "serviceeventdetails",
    "sharedeventid",
    "vpcendpointid",
    "vpcendpointaccountid",
    "eventcategory",
    "sessioncredentialfromconsole",
    "edgedevicedetails",
    "json_format(CAST(useridentity AS JSON))",
    "json_format(CAST(resources AS JSON))",
    "json_format(CAST(addendum AS JSON))",
    "json_format(CAST(tlsdetails AS JSON))",
};

int sql_fail(struct writer *w, const char *fmt, ...)
{
    if (w->failed)
        return -1;
    w->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err->message, sizeof w->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* Text from the filter made safe for a "--" comment or a message: control bytes as \xNN, so a line
 * break can never end the comment early. Writes into out (cap bytes), cut with "..." when long. */
static void safe_text(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (n + 8 >= cap) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        if (c < 0x20 || c == 0x7f)
            n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
        else
            out[n++] = (char)c;
    }
    out[n] = '\0';
}

/* The term as the user could have written it, safe for comments and messages. */
void sql_term_text(const struct term *t, char *out, size_t cap)
{
    char v[200];
    safe_text(t->pat, t->plen, v, sizeof v);
    const char *q = t->re ? "/" : t->spec || t->kind == TK_INDEXED || t->kind == TK_PATH ? "" : "\"";
    if (t->kind == TK_INDEXED || t->kind == TK_PATH)
        snprintf(out, cap, "%s:%s%s%s", t->path.text, q, v, q);
    else if (t->spec)
        snprintf(out, cap, "%s:%s%s%s", t->spec->name, q, v, q);
    else
        snprintf(out, cap, "%s%s%s", q, v, q);
}

void sql_note(struct writer *w, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int r = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (r < 0) {
        w->err->nomem = 1;
        sql_fail(w, "out of memory");
        return;
    }
    for (int i = 0; i < w->nnotes; i++)
        if (strcmp(w->notes[i], s) == 0) {
            free(s);
            return;
        }
    if (w->nnotes == MAX_NOTES) {
        free(s);
        return;
    }
    w->notes[w->nnotes++] = s;
}

/* A string literal: quotes doubled (the only escape in a Trino or standard SQL literal: a backslash
 * is an ordinary character); control bytes spelled chr(N) outside the quotes. */
void sql_put_literal(FILE *o, const char *s, size_t n)
{
    int open = 0, parts = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            parts = 1;
    if (parts)
        fputc('(', o);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            if (open)
                fputc('\'', o);
            fprintf(o, "%schr(%d)", i ? " || " : "", c);
            open = 0;
            continue;
        }
        if (!open) {
            fputs(i ? " || '" : "'", o);
            open = 1;
        }
        if (c == '\'')
            fputc('\'', o);
        fputc(c, o);
    }
    if (open)
        fputc('\'', o);
    else if (n == 0)
        fputs("''", o);
    if (parts)
        fputc(')', o);
}

int sql_all_stars(const struct term *t)
{
    if (t->re)
        return 0;
    for (size_t i = 0; i < t->plen; i++)
        if (t->pat[i] != '*')
            return 0;
    return 1;
}

static int has_high(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* `LIKE pattern ESCAPE '\'` for the glob pat + post ('*' any run, everything else literal, ASCII
 * folded to lower case; post is literal), anywhere in the text when contains is set. The column side
 * is lower()ed by the caller. */
void sql_put_like(struct writer *w, const struct term *t, const char *post, int contains)
{
    const char *pre = "";
    size_t cap = 2 * (t->plen + strlen(post)) + 3, n = 0;
    char *p = malloc(cap);
    if (!p) {
        w->err->nomem = 1;
        sql_fail(w, "out of memory");
        return;
    }
    if (contains)
        p[n++] = '%';
    const char *parts[3] = {pre, t->pat, post};
    size_t lens[3] = {strlen(pre), t->plen, strlen(post)};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < lens[k]; i++) {
            char c = parts[k][i];
            if (c == '*' && k == 1)
                c = '%';
            else if (c == '%' || c == '_' || c == '\\')
                p[n++] = '\\';
            else if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            p[n++] = c;
        }
    if (contains)
        p[n++] = '%';
    int high = has_high(t->pat, t->plen);
    fputs(" LIKE ", w->out);
    if (high)
        fputs("lower(", w->out);
    sql_put_literal(w->out, p, n);
    if (high) {
        fputc(')', w->out);
        char tt[240];
        sql_term_text(t, tt, sizeof tt);
        sql_note(w, "%s: Trino's lower() folds non-ASCII letters too; ctview folds ASCII letters only", tt);
    }
    fputs(" ESCAPE '\\'", w->out);
    free(p);
}

void sql_put_regex(struct writer *w, const struct term *t, const char *col, int absent_empty)
{
    FILE *o = w->out;
    size_t n = t->plen + 4;
    char *p = malloc(n);
    if (!p) {
        w->err->nomem = 1;
        sql_fail(w, "out of memory");
        return;
    }
    /* ctview's expressions are case-insensitive; Trino's regexp_like takes (?i) for it */
    memcpy(p, "(?i)", 4);
    memcpy(p + 4, t->pat, t->plen);
    int guard = absent_empty && filter_re_matches_empty(t->re);
    if (guard)
        fprintf(o, "(%s <> '' AND ", col);
    fprintf(o, "regexp_like(%s, ", col);
    sql_put_literal(o, p, n);
    fputc(')', o);
    if (guard)
        fputc(')', o);
    free(p);
}

/* One column against a field term's regular expression, with the field's extra forms (as the glob's). */
static void put_column_regex(struct writer *w, const struct term *t, const char *col)
{
    FILE *o = w->out;
    enum xform xf = t->spec ? t->spec->xf : XF_NONE;
    int absent_empty = t->kind != TK_PATH; /* ctview holds a field's empty string as absent */
    if (xf != XF_NONE)
        fputc('(', o);
    sql_put_regex(w, t, col, absent_empty);
    if (xf == XF_SERVICE) {
        char cut[800];
        snprintf(cut, sizeof cut, "substr(%s, 1, length(%s) - 14)", col, col);
        fprintf(o, " OR (%s LIKE '%%_.amazonaws.com' AND ", col);
        sql_put_regex(w, t, cut, 0);
        fputc(')', o);
    } else if (xf == XF_TAIL) {
        static const char seps[] = "/:";
        for (int k = 0; k < 2; k++) {
            char tail[800];
            snprintf(tail, sizeof tail, "reverse(split_part(reverse(%s), '%c', 1))", col, seps[k]);
            fputs(" OR ", o);
            sql_put_regex(w, t, tail, 0);
        }
    }
    if (xf != XF_NONE)
        fputc(')', o);
}

/* One column against a field term's pattern, with the field's extra forms. */
void sql_put_column_glob(struct writer *w, const struct term *t, const char *col)
{
    FILE *o = w->out;
    if (t->re) {
        put_column_regex(w, t, col);
        return;
    }
    if (sql_all_stars(t)) { /* any value; ctview holds an empty string as absent */
        fprintf(o, "%s <> ''", col);
        return;
    }
    enum xform xf = t->spec ? t->spec->xf : XF_NONE;
    if (xf != XF_NONE)
        fputc('(', o);
    fprintf(o, "lower(%s)", col);
    sql_put_like(w, t, "", 0);
    if (xf == XF_SERVICE) {
        fprintf(o, " OR (%s LIKE '%%.amazonaws.com' AND lower(%s)", col, col);
        sql_put_like(w, t, ".amazonaws.com", 0);
        fputc(')', o);
    } else if (xf == XF_TAIL) {
        static const char seps[] = "/:";
        for (int k = 0; k < 2; k++) {
            fprintf(o, " OR lower(reverse(split_part(reverse(%s), '%c', 1)))", col, seps[k]);
            sql_put_like(w, t, "", 0);
        }
    }
    if (xf != XF_NONE)
        fputc(')', o);
}

static int put_fields_glob(struct writer *w, const struct term *t)
{
    const struct field_spec *sp = t->spec;
    for (int k = 0; k < sp->nfields; k++) {
        if (!field_sql[sp->fields[k]]) {
            char tt[240];
            sql_term_text(t, tt, sizeof tt);
            return sql_fail(w, "%s cannot be expressed in SQL: %s", tt, field_missing[sp->fields[k]]);
        }
    }
    if (sp->nfields > 1)
        fputc('(', w->out);
    for (int k = 0; k < sp->nfields; k++) {
        if (k)
            fputs(" OR ", w->out);
        sql_put_column_glob(w, t, field_sql[sp->fields[k]]);
    }
    if (sp->nfields > 1)
        fputc(')', w->out);
    return 0;
}

static void put_ip_net(struct writer *w, const struct ipnet *net)
{
    unsigned char a[16] = {0};
    int whole = net->prefix / 8, rest = net->prefix % 8;
    memcpy(a, net->addr, (size_t)whole);
    if (rest)
        a[whole] = (unsigned char)(net->addr[whole] & (0xff << (8 - rest)));
    char txt[INET6_ADDRSTRLEN];
    inet_ntop(net->family == 4 ? AF_INET : AF_INET6, a, txt, sizeof txt);
    /* Trino holds an IPv4 address as IPv4-mapped IPv6, so either family's network could take the
     * other's addresses; ctview compares within one family: the ':' test keeps that. */
    fprintf(
        w->out,
        "(contains('%s/%d', TRY_CAST(sourceipaddress AS IPADDRESS)) AND strpos(sourceipaddress, ':') %s 0)",
        txt, net->prefix, net->family == 4 ? "=" : ">");
}

/* Rounds up to a whole second: CloudTrail's eventTime has seconds only, so comparing with the next
 * whole second keeps >= and < exact as string comparisons. */
static const char *time_literal(int64_t ms, char *buf)
{
    int64_t r = ms % 1000;
    if (r < 0)
        r += 1000;
    if (r)
        ms += 1000 - r;
    return timefmt_format(ms, buf);
}

/* The one failure rule (store_event_failed) over the table's columns: error:* and outcome:. */
static const char failed_sql[] = "(errorcode <> '' OR errormessage <> '' OR "
                                 "json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')";

static int put_term(struct writer *w, const struct term *t)
{
    FILE *o = w->out;
    char tbuf[TIMEFMT_BUF], tt[240];
    switch (t->kind) {
    case TK_GLOB:
        return put_fields_glob(w, t);
    case TK_IP:
        if (t->use_net)
            put_ip_net(w, &t->net);
        else
            sql_put_column_glob(w, t, "sourceipaddress");
        return 0;
    case TK_ERROR:
        if (t->any) {
            fputs(failed_sql, o);
            return 0;
        }
        return put_fields_glob(w, t);
    case TK_OUTCOME: /* ok: the failure test neither true nor NULL (an absent column is no error) */
        fprintf(o, t->failed ? "%s" : "NOT coalesce(%s, false)", failed_sql);
        return 0;
    case TK_RES:
        if (sql_all_stars(t)) {
            fputs("cardinality(filter(resources, r -> r.arn <> '')) > 0", o);
            return 0;
        }
        if (t->re) {
            fputs("cardinality(filter(resources, r -> ", o);
            sql_put_regex(w, t, "r.arn", 1);
            fputs(")) > 0", o);
            return 0;
        }
        fputs("cardinality(filter(resources, r -> lower(r.arn)", o);
        sql_put_like(w, t, "", 0);
        fputs(")) > 0", o);
        return 0;
    case TK_RO:
        fprintf(o, "readonly = '%s'", t->ro ? "true" : "false");
        return 0;
    case TK_AFTER:
        fprintf(o, "eventtime >= '%s'", time_literal(t->time, tbuf));
        return 0;
    case TK_BEFORE:
        fprintf(o, "eventtime < '%s'", time_literal(t->time, tbuf));
        return 0;
    case TK_WORD:
        sql_term_text(t, tt, sizeof tt);
        sql_note(
            w,
            "%s: free text, looked for in each column's text (structs as JSON with lower-case keys) rather "
            "than in the event's JSON as logged: top-level key names are not searched",
            tt);
        fputc('(', o);
        for (size_t k = 0; k < sizeof word_columns / sizeof *word_columns; k++) {
            if (t->re) {
                fputs(k ? " OR " : "", o);
                sql_put_regex(w, t, word_columns[k], 1);
                continue;
            }
            fprintf(o, "%slower(%s)", k ? " OR " : "", word_columns[k]);
            sql_put_like(w, t, "", 1);
        }
        fputc(')', o);
        return 0;
    case TK_INDEXED:
        return sql_put_path(w, t, field_sql[t->ef], field_missing[t->ef]);
    case TK_PATH:
        return sql_put_path(w, t, NULL, NULL);
    case TK_ORIGIN:
        sql_term_text(t, tt, sizeof tt);
        return sql_fail(
            w,
            "%s cannot be expressed in SQL: an origin is found by following sessions back through "
            "other events' records, which one query does not do",
            tt);
    case TK_RULE:
    case TK_LEVEL:
        sql_term_text(t, tt, sizeof tt);
        return sql_fail(
            w,
            "%s cannot be expressed in SQL: Sigma findings are ctview's, computed over the loaded "
            "events; the table has none",
            tt);
    case TK_FIELD:
        sql_term_text(t, tt, sizeof tt);
        return sql_fail(w,
                        "%s cannot be expressed in SQL: tags and notes are the case's, kept by ctview; "
                        "the table has none",
                        tt);
    }
    sql_term_text(t, tt, sizeof tt);
    return sql_fail(w, "%s cannot be expressed in SQL", tt);
}

static int put_node(struct writer *w, const struct filter *f, int idx)
{
    const struct node *n = &f->nodes[idx];
    FILE *o = w->out;
    switch (n->kind) {
    case NODE_ALL:
        fputs("true", o);
        return 0;
    case NODE_TERM:
        return put_term(w, &n->term);
    case NODE_NOT:
        /* An absent value makes a comparison NULL, and NOT NULL drops the row; in ctview the term
         * just does not hold, so its negation does. */
        fputs("NOT coalesce(", o);
        if (put_node(w, f, n->left) != 0)
            return -1;
        fputs(", false)", o);
        return 0;
    case NODE_AND:
    case NODE_OR:
        fputc('(', o);
        if (put_node(w, f, n->left) != 0)
            return -1;
        fputs(n->kind == NODE_AND ? " AND " : " OR ", o);
        if (put_node(w, f, n->right) != 0)
            return -1;
        fputc(')', o);
        return 0;
    }
    return 0;
}

/* The conjuncts that must all hold: the root's chain of ANDs, flattened. */
static void conjuncts(const struct filter *f, int idx, int *out, int *n, int cap)
{
    const struct node *nd = &f->nodes[idx];
    if (nd->kind == NODE_AND) {
        conjuncts(f, nd->left, out, n, cap);
        conjuncts(f, nd->right, out, n, cap);
    } else if (nd->kind != NODE_ALL && *n < cap) {
        out[(*n)++] = idx;
    }
}

/* "yyyy/MM/dd" of a day, as the partition projection names it; 0 when out of its range. */
static int partition_day(int64_t ms, char *out)
{
    char buf[TIMEFMT_BUF];
    const char *s = timefmt_format(ms - ((ms % DAY_MS) + DAY_MS) % DAY_MS, buf);
    if (strlen(s) != 20 || s[4] != '-' || s[7] != '-')
        return 0;
    snprintf(out, 11, "%.4s/%.2s/%.2s", s, s + 5, s + 8);
    return 1;
}

static void put_table(FILE *o, const char *name)
{
    const char *p = name;
    while (*p) {
        size_t n = strcspn(p, ".");
        int plain = p[0] >= 'a' && p[0] <= 'z';
        for (size_t i = 0; i < n; i++)
            if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
                plain = 0;
        fprintf(o, plain ? "%.*s" : "\"%.*s\"", (int)n, p);
        p += n;
        if (*p == '.')
            fputc(*p++, o);
    }
}

int sql_table_name_ok(const char *name)
{
    size_t part = 0;
    for (const char *p = name;; p++) {
        if (*p == '.' || *p == '\0') {
            if (part == 0)
                return 0;
            if (*p == '\0')
                return 1;
            part = 0;
            continue;
        }
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
        if (++part > 128)
            return 0;
    }
}

/* Index of the first byte that is not part of valid UTF-8, or -1. */
static long bad_utf8_at(const unsigned char *s)
{
    for (long i = 0; s[i];) {
        unsigned char c = s[i];
        int n = c < 0x80                          ? 0
                : (c & 0xe0) == 0xc0 && c >= 0xc2 ? 1
                : (c & 0xf0) == 0xe0              ? 2
                : (c & 0xf8) == 0xf0 && c <= 0xf4 ? 3
                                                  : -1;
        if (n < 0)
            return i;
        for (int k = 1; k <= n; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
        if ((n == 2 && c == 0xe0 && s[i + 1] < 0xa0) || (n == 2 && c == 0xed && s[i + 1] >= 0xa0) ||
            (n == 3 && c == 0xf0 && s[i + 1] < 0x90) || (n == 3 && c == 0xf4 && s[i + 1] >= 0x90))
            return i;
        i += n + 1;
    }
    return -1;
}

#define MAX_CONJ 256

static int write_query(struct writer *w, const struct filter *f, const struct sql_opts *o)
{
    int conj[MAX_CONJ], nconj = 0;
    conjuncts(f, f->root, conj, &nconj, MAX_CONJ);
    if (nconj == MAX_CONJ)
        return sql_fail(w, "the filter has more than %d terms side by side", MAX_CONJ - 1);
    /* The partitions that can hold events in range: CloudTrail writes a file minutes after its events,
     * into the folder of the day it writes it; the same day of slack as ctview's own pruning by path
     * (a folder holds events from a day before it to an hour after it). */
    int64_t lo = o->since, hi = o->until;
    for (int i = 0; i < nconj; i++) {
        const struct node *n = &f->nodes[conj[i]];
        if (n->kind != NODE_TERM)
            continue;
        if (n->term.kind == TK_AFTER && n->term.time > lo)
            lo = n->term.time;
        if (n->term.kind == TK_BEFORE && n->term.time < hi)
            hi = n->term.time;
    }
    char from[16] = "", to[16] = "";
    if (lo != INT64_MIN && lo > INT64_MIN / 2 && lo < INT64_MAX / 2 &&
        !partition_day(lo - 25 * 3600000LL + DAY_MS, from))
        from[0] = '\0';
    if (hi != INT64_MAX && hi > INT64_MIN / 2 && hi < INT64_MAX / 2 && !partition_day(hi + DAY_MS - 1, to))
        to[0] = '\0';

    /* The body first (it collects the notes), then notes and head before it. */
    FILE *o2 = w->out;
    int first = 1;
    const char *lead = "WHERE ";
    if (from[0] && to[0])
        fprintf(o2, "%s\"timestamp\" BETWEEN '%s' AND '%s'\n", lead, from, to), first = 0;
    else if (from[0])
        fprintf(o2, "%s\"timestamp\" >= '%s'\n", lead, from), first = 0;
    else if (to[0])
        fprintf(o2, "%s\"timestamp\" <= '%s'\n", lead, to), first = 0;
    char tbuf[TIMEFMT_BUF];
    if (o->since != INT64_MIN) {
        fprintf(o2, "%seventtime >= '%s'\n", first ? lead : "  AND ", time_literal(o->since, tbuf));
        first = 0;
    }
    if (o->until != INT64_MAX) {
        fprintf(o2, "%seventtime < '%s'\n", first ? lead : "  AND ", time_literal(o->until, tbuf));
        first = 0;
    }
    for (int i = 0; i < nconj; i++) {
        fputs(first ? lead : "  AND ", o2);
        first = 0;
        if (put_node(w, f, conj[i]) != 0)
            return -1;
        fputc('\n', o2);
    }
    return 0;
}

char *sql_from_filter(const char *expr, const struct sql_opts *o, struct sql_error *err)
{
    memset(err, 0, sizeof *err);
    const char *table = o->table ? o->table : DEFAULT_TABLE;
    if (!sql_table_name_ok(table)) {
        char t[200];
        safe_text(table, strlen(table), t, sizeof t);
        snprintf(err->message, sizeof err->message,
                 "--table: '%s' is not a table name (letters, digits and '_', parts separated by '.')", t);
        return NULL;
    }
    long bad = expr ? bad_utf8_at((const unsigned char *)expr) : -1;
    if (bad >= 0) {
        snprintf(err->message, sizeof err->message, "the filter is not valid UTF-8 (byte %ld)", bad + 1);
        return NULL;
    }
    struct store *s = store_new();
    if (!s) {
        err->nomem = 1;
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    struct filter_error ferr;
    struct filter *f = filter_compile(expr, s, &ferr);
    if (!f) {
        err->nomem = ferr.column == 0;
        strlcpy(err->message, ferr.message, sizeof err->message);
        store_free(s);
        return NULL;
    }
    struct writer w = {.err = err};
    char *body = NULL, *out = NULL;
    size_t body_len = 0, out_len = 0;
    w.out = open_memstream(&body, &body_len);
    if (!w.out) {
        err->nomem = 1;
        snprintf(err->message, sizeof err->message, "out of memory");
    } else {
        int rc = write_query(&w, f, o);
        if (fclose(w.out) != 0 && !w.failed) {
            err->nomem = 1;
            sql_fail(&w, "out of memory");
        }
        FILE *h = rc == 0 && !w.failed ? open_memstream(&out, &out_len) : NULL;
        if (h) {
            for (int i = 0; i < w.nnotes; i++)
                fprintf(h, "-- differs from ctview -f: %s\n", w.notes[i]);
            fputs(o->select == SQL_SELECT_PATHS ? "SELECT DISTINCT \"$path\"\nFROM " : "SELECT *\nFROM ", h);
            put_table(h, table);
            fputc('\n', h);
            fwrite(body, 1, body_len, h);
            if (fclose(h) != 0) {
                free(out);
                out = NULL;
            }
        }
        if (!out && !w.failed) {
            err->nomem = 1;
            snprintf(err->message, sizeof err->message, "out of memory");
        }
    }
    for (int i = 0; i < w.nnotes; i++)
        free(w.notes[i]);
    free(body);
    filter_free(f);
    store_free(s);
    return out;
}
