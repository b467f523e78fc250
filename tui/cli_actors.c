/* --actors: the origins behind the shown events, one per line as a table, or as one JSON object. */
#include <stdlib.h>
#include <string.h>

#include "model/identity/actors.h"
#include "model/json/jsonout.h"
#include "model/present/textsafe.h"
#include "model/base/timefmt.h"
#include "tui/cli.h"

void cli_json_string(FILE *out, const char *s)
{
    if (!s || !*s) {
        fputs("null", out);
        return;
    }
    jsonout_string(out, s, strlen(s));
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
        const struct origin_actor *a = &origins_of(s)->actors[r->actor];
        fputs(i ? ",{\"type\":" : "{\"type\":", out);
        cli_json_string(out, a->type);
        fputs(",\"arn\":", out);
        cli_json_string(out, a->key);
        fputs(",\"account\":", out);
        cli_json_string(out, str(s, a->account));
        if (a->name) {
            fputs(",\"name\":", out);
            cli_json_string(out, a->name);
        }
        if (a->store) {
            fputs(",\"identity_store\":", out);
            cli_json_string(out, str(s, a->store));
        }
        if (a->uncertain)
            fputs(",\"uncertain\":true", out);
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

/* The table model/actors lays out: every cell escaped, columns as wide as their widest cell (the last
 * one unpadded), numbers to the right. */
static int print_table(FILE *out, const struct store *s, const struct actor_table *t)
{
    size_t width[AC__COUNT];
    char **cell = calloc((t->n + 1) * AC__COUNT, sizeof *cell);
    if (!cell)
        return -1;
    int rc = 0;
    char buf[8192];
    for (int c = 0; c < AC__COUNT; c++)
        width[c] = strlen(actors_col_title((enum actor_col)c));
    for (size_t i = 0; i < t->n && !rc; i++)
        for (int c = 0; c < AC__COUNT; c++) {
            const char *v = actors_cell(s, &t->rows[i], (enum actor_col)c, buf, sizeof buf);
            char **e = &cell[i * AC__COUNT + (size_t)c];
            if (!(*e = textsafe_escape_dup(v, strlen(v)))) {
                rc = -1;
                break;
            }
            if (columns_of(*e) > width[c])
                width[c] = columns_of(*e);
        }
    for (size_t i = 0; i <= t->n && !rc; i++) {
        for (int c = 0; c < AC__COUNT; c++) {
            const char *v =
                i == 0 ? actors_col_title((enum actor_col)c) : cell[(i - 1) * AC__COUNT + (size_t)c];
            size_t pad = c == AC__COUNT - 1 ? 0 : width[c] - columns_of(v);
            if (c)
                fputs("  ", out);
            for (size_t k = 0; actors_col_numeric((enum actor_col)c) && k < pad; k++)
                fputc(' ', out);
            fputs(v, out);
            for (size_t k = 0; !actors_col_numeric((enum actor_col)c) && k < pad; k++)
                fputc(' ', out);
        }
        fputc('\n', out);
    }
    for (size_t i = 0; i < t->n * AC__COUNT; i++)
        free(cell[i]);
    free(cell);
    return rc;
}

int cli_actors(struct store *s, const struct cli_shown *shown, FILE *out, int json)
{
    struct actor_table t;
    if (origins_ensure(s, NULL) != 0 ||
        actors_build(s, shown->all ? NULL : shown->idx, shown->all ? s->nevents : shown->n, &t) != 0) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    int rc = 0;
    if (json)
        print_json(out, s, &t);
    else if (print_table(out, s, &t) != 0)
        rc = 2;
    actors_free(&t);
    if (rc)
        fprintf(stderr, "ctview: out of memory\n");
    return rc;
}
