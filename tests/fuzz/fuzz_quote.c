/* libFuzzer: any bytes as a value, quoted as a filter term (model/base/filterquote.h), must select the event
 * that holds exactly that value: the quotes never end early and no byte reads as syntax. A second event
 * whose value only starts the same is not selected (unless the value holds '*', a wildcard). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/filterquote.h"
#include "model/query/filter.h"
#include "parsers/load.h"

/* Appends v[0..n) as the inside of a JSON string, byte for byte as the scanner will read it back. */
static size_t put_json(char *out, const char *v, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)sprintf(out + o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char v[1024];
    size_t n = 0;
    for (size_t i = 0; i < size && n < sizeof v; i++)
        if (data[i]) /* a filter expression is a C string: a value cannot hold a NUL */
            v[n++] = (char)data[i];
    if (n == 0) /* field:"" is refused by the filter: no term selects an empty value */
        return 0;
    char json[2 * 6 * sizeof v + 128];
    size_t j = (size_t)sprintf(json, "{\"Records\":[{\"eventID\":\"a\",\"eventName\":\"");
    j += put_json(json + j, v, n);
    j += (size_t)sprintf(json + j, "\"},{\"eventID\":\"b\",\"eventName\":\"");
    j += put_json(json + j, v, n);
    j += (size_t)sprintf(json + j, "x\"}]}");
    struct store *s = store_new();
    if (!s || load_buffer(s, "f.json", json, j) != 0 || s->nevents != 2)
        abort();
    char *term = filterquote_term_dup("name", v, n);
    if (!term)
        abort();
    struct filter_error err;
    struct filter *f = filter_compile(term, s, &err);
    if (!f) {
        fprintf(stderr, "%s: %s\n", term, err.message);
        abort();
    }
    if (filter_match(f, 0) != 1)
        abort();
    if (!memchr(v, '*', n) && filter_match(f, 1) != 0)
        abort();
    filter_free(f);
    free(term);
    store_free(s);
    return 0;
}
