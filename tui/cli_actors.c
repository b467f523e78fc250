/* --actors: the origins behind the shown events, one per line as a table, or as one JSON object. */
#include <stdlib.h>
#include <string.h>

#include "model/actors.h"
#include "model/textsafe.h"
#include "model/timefmt.h"
#include "tui/cli.h"

void cli_json_string(FILE *out, const char *s)
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

static void json_list(FILE *out, const struct store *s, const uint32_t *ids, size_t n)
{
    fputc('[', out);
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputc(',', out);
        cli_json_string(out, str(s, ids[k]));
    }
    fputc(']', out);
}

static void json_time(FILE *out, int64_t ms)
{
    char buf[TIMEFMT_BUF];
    if (ms == TIME_NONE)
        fputs("null", out);
    else
        cli_json_string(out, timefmt_format(ms, buf));
}

static void print_json(FILE *out, const struct store *s, const struct actor_table *t)
{
    fputs("{\"actors\":[", out);
    for (size_t i = 0; i < t->n; i++) {
        const struct actor_row *r = &t->rows[i];
        const struct origin_actor *a = &s->origins->actors[r->actor];
        fputs(i ? ",{\"type\":" : "{\"type\":", out);
        cli_json_string(out, a->type);
        fputs(",\"arn\":", out);
        cli_json_string(out, str(s, a->arn));
        fputs(",\"account\":", out);
        cli_json_string(out, str(s, a->account));
        fprintf(out, ",\"events\":%zu,\"sessions\":%zu,\"accounts\":", r->events, r->sessions);
        json_list(out, s, r->accounts, r->naccounts);
        fputs(",\"roles\":", out);
        json_list(out, s, r->roles, r->nroles);
        fputs(",\"first\":", out);
        json_time(out, r->first);
        fputs(",\"last\":", out);
        json_time(out, r->last);
        fprintf(out, ",\"ips\":%zu,\"errors\":%zu}", r->ips, r->errors);
    }
    fputs("]}\n", out);
}

/* Display columns of escaped (so printable) UTF-8 text: one per code point. */
static size_t columns_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Writes s escaped, padded to width columns (no padding when width is 0); "-" when empty. */
static void put_padded(FILE *out, const char *s, size_t width)
{
    char *e = textsafe_escape_dup(*s ? s : "-", strlen(*s ? s : "-"));
    fputs(e ? e : "?", out);
    for (size_t w = e ? columns_of(e) : 1; w < width; w++)
        fputc(' ', out);
    free(e);
}

static size_t escaped_columns(const char *s)
{
    char *e = textsafe_escape_dup(*s ? s : "-", strlen(*s ? s : "-"));
    size_t n = e ? columns_of(e) : 1;
    free(e);
    return n;
}

static void text_list(FILE *out, const struct store *s, const uint32_t *ids, size_t n)
{
    if (!n)
        fputc('-', out);
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputc(',', out);
        put_padded(out, str(s, ids[k]), 0);
    }
}

static void print_table(FILE *out, const struct store *s, const struct actor_table *t)
{
    size_t wtype = 4, wacct = 7, warn = 5;
    for (size_t i = 0; i < t->n; i++) {
        const struct origin_actor *a = &s->origins->actors[t->rows[i].actor];
        size_t w;
        if ((w = escaped_columns(a->type)) > wtype)
            wtype = w;
        if ((w = escaped_columns(str(s, a->account))) > wacct)
            wacct = w;
        if ((w = escaped_columns(str(s, a->arn)) + (a->store ? 3 + escaped_columns(str(s, a->store)) : 0)) >
            warn)
            warn = w;
    }
    fprintf(out, "%7s %8s %5s %6s  %-20s  %-20s  %-*s  %-*s  %-*s  %s  %s\n", "EVENTS", "SESSIONS", "IPS",
            "ERRORS", "FIRST", "LAST", (int)wtype, "TYPE", (int)wacct, "ACCOUNT", (int)warn, "ACTOR",
            "ACCOUNTS", "ROLES");
    for (size_t i = 0; i < t->n; i++) {
        const struct actor_row *r = &t->rows[i];
        const struct origin_actor *a = &s->origins->actors[r->actor];
        char b1[TIMEFMT_BUF], b2[TIMEFMT_BUF];
        fprintf(out, "%7zu %8zu %5zu %6zu  %-20s  %-20s  ", r->events, r->sessions, r->ips, r->errors,
                timefmt_format(r->first, b1), timefmt_format(r->last, b2));
        put_padded(out, a->type, wtype + 2);
        put_padded(out, str(s, a->account), wacct + 2);
        if (a->store) {
            /* an Identity Center user: its userId, and the identity store beside it */
            char *both = NULL;
            if (asprintf(&both, "%s in %s", str(s, a->arn), str(s, a->store)) < 0)
                both = NULL;
            put_padded(out, both ? both : str(s, a->arn), warn + 2);
            free(both);
        } else {
            put_padded(out, str(s, a->arn), warn + 2);
        }
        text_list(out, s, r->accounts, r->naccounts);
        fputs("  ", out);
        text_list(out, s, r->roles, r->nroles);
        fputc('\n', out);
    }
}

int cli_actors(struct store *s, const struct cli_shown *shown, FILE *out, int json)
{
    struct actor_table t;
    if (origins_ensure(s, NULL) != 0 ||
        actors_build(s, shown->all ? NULL : shown->idx, shown->all ? s->nevents : shown->n, &t) != 0) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    if (json)
        print_json(out, s, &t);
    else
        print_table(out, s, &t);
    actors_free(&t);
    return 0;
}
