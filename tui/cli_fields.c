/* cli_fields: the screenless modes that take any field or path: --list --columns and --top. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/json/jsonout.h"
#include "model/query/fieldtop.h"
#include "model/present/textsafe.h"
#include "tui/cli.h"

/* Writes s[0..len) escaped for a line of text (no control characters, tabs or newlines from logs). */
static void put_escaped(FILE *out, const char *s, size_t len)
{
    char small[512];
    size_t need = textsafe_escape(s, len, small, sizeof small);
    if (need < sizeof small) {
        fwrite(small, 1, need, out);
        return;
    }
    char *big = textsafe_escape_dup(s, len);
    fputs(big ? big : "?", out);
    free(big);
}

int cli_list_columns(struct store *s, const struct cli_shown *shown, struct field *cols, size_t ncols,
                     FILE *out)
{
    int rc = 0;
    struct path_values v;
    path_values_init(&v);
    size_t n = shown->all ? s->nevents : shown->n;
    for (size_t c = 0; c < ncols; c++)
        if (field_prepare_for(s, &cols[c], n) != 0) {
            fprintf(stderr, "ctview: out of memory\n");
            path_values_free(&v);
            return 2;
        }
    for (size_t i = 0; i < n; i++) {
        size_t ev = shown->all ? i : shown->idx[i];
        for (size_t c = 0; c < ncols; c++) {
            if (c)
                fputc('\t', out);
            char *err = NULL;
            size_t len;
            if (field_text(s, ev, &cols[c], &v, &len, &err) < 0) {
                fprintf(stderr, "ctview: %s\n", err ? err : "cannot read event");
                free(err);
                rc = 1;
                len = 0;
            }
            /* an empty cell prints as '-', like a missing value */
            if (len == 0)
                fputc('-', out);
            else
                put_escaped(out, v.text, len);
        }
        fputc('\n', out);
    }
    path_values_free(&v);
    return rc;
}

int cli_top(struct store *s, const struct cli_shown *shown, struct field *f, const char *name, size_t top,
            FILE *out, int json)
{
    int r;
    while ((r = field_prepare(s, f, 1 << 20)) == 0)
        ;
    struct fieldtop t;
    size_t n = shown->all ? s->nevents : shown->n;
    if (r < 0 || fieldtop_build(s, f, shown->all ? NULL : shown->idx, n, top, &t) != 0) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    if (json) {
        fputs("{\"field\":", out);
        jsonout_string(out, name, strlen(name));
        fprintf(out, ",\"events\":%zu,\"distinct\":%zu,\"missing\":%zu,\"top\":[", t.events, t.distinct,
                t.missing);
    }
    for (size_t i = 0; i < t.nrows; i++) {
        char buf[64];
        size_t len;
        const char *text = field_key_text(s, f, t.rows[i].key, buf, &len);
        if (json) {
            fputs(i ? ",{\"value\":" : "{\"value\":", out);
            jsonout_string(out, text, len);
            fprintf(out, ",\"count\":%u}", t.rows[i].count);
        } else {
            fprintf(out, "%u\t", t.rows[i].count);
            put_escaped(out, text, len);
            fputc('\n', out);
        }
    }
    if (json)
        fputs("]}\n", out);
    fieldtop_free(&t);
    return 0;
}
