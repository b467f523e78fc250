/* libFuzzer: any text as a filter expression turned into SQL. Whatever the text, the query keeps its
 * shape: no control character but line breaks, every literal and quoted name closed, comments only on
 * the note lines before SELECT, no ';' and no block comment outside literals. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/sql/sql.h"

static void check(const char *q)
{
    enum { CODE, LITERAL, NAME, COMMENT } st = CODE;
    int body = 0; /* past the note lines */
    for (const char *p = q; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            abort();
        int line_start = p == q || p[-1] == '\n';
        if (line_start && st == CODE && strncmp(p, "SELECT ", 7) == 0)
            body = 1;
        switch (st) {
        case CODE:
            if (c == '\'')
                st = LITERAL;
            else if (c == '"')
                st = NAME;
            else if (c == '-' && p[1] == '-') {
                if (body || !line_start || strncmp(p, "-- differs from ctview -f: ", 27) != 0)
                    abort();
                st = COMMENT;
            } else if (c == ';' || (c == '/' && p[1] == '*')) {
                abort();
            }
            break;
        case LITERAL:
            if (c == '\'') {
                if (p[1] == '\'')
                    p++;
                else
                    st = CODE;
            }
            break;
        case NAME:
            if (c == '"')
                st = CODE;
            break;
        case COMMENT:
            if (c == '\n')
                st = CODE;
            break;
        }
    }
    if (st != CODE || !body)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *expr = malloc(size + 1);
    if (!expr)
        return 0;
    memcpy(expr, data, size);
    expr[size] = '\0';
    for (int sel = 0; sel < 2; sel++) {
        struct sql_opts o = {NULL, sel ? SQL_SELECT_PATHS : SQL_SELECT_EVENTS,
                             sel ? 1709251200000 : INT64_MIN, INT64_MAX};
        struct sql_error err;
        char *q = sql_from_filter(expr, &o, &err);
        if (q)
            check(q);
        free(q);
    }
    free(expr);
    return 0;
}
