/* filterquote: a value written as a filter term. See filterquote.h. */
#include "model/base/filterquote.h"

#include <stdlib.h>
#include <string.h>

static void put(char *out, size_t cap, size_t at, char c)
{
    if (out && at + 1 < cap)
        out[at] = c;
}

size_t filterquote_term(const char *field, const char *v, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    if (field) {
        for (const char *f = field; *f; f++)
            put(out, cap, n++, *f);
        put(out, cap, n++, ':');
    }
    put(out, cap, n++, '"');
    for (size_t i = 0; i < len && v[i]; i++) {
        if (v[i] == '"' || v[i] == '\\')
            put(out, cap, n++, '\\');
        put(out, cap, n++, v[i]);
    }
    put(out, cap, n++, '"');
    if (out && cap)
        out[n < cap ? n : cap - 1] = '\0';
    return n;
}

const char *filterquote_read(const char *p, char *out, size_t *len)
{
    size_t n = 0;
    for (p++; *p != '"'; p++, n++) {
        if (!*p) {
            *len = n;
            return NULL;
        }
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
            p++;
        if (out)
            out[n] = *p;
    }
    *len = n;
    return p + 1;
}

const char *filterquote_regex_end(const char *p)
{
    for (p++; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '/')
            return p + 1;
    }
    return NULL;
}

char *filterquote_term_dup(const char *field, const char *v, size_t len)
{
    size_t need = filterquote_term(field, v, len, NULL, 0) + 1;
    char *out = malloc(need);
    if (out)
        filterquote_term(field, v, len, out, need);
    return out;
}
