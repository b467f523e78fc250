/* libFuzzer: a JSON path and a JSON text (the input up to its first newline, and the rest): the path's
 * parse, and its values in the text, which must stay within the text's size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/json/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    size_t plen = nl ? (size_t)(nl - in) : size;
    const char *json = nl ? nl + 1 : in + size;
    size_t jlen = size - plen - (nl ? 1 : 0);
    path_is_word(in, plen);
    struct path p;
    struct path_error err;
    if (path_parse(in, plen, &p, &err) != 0) {
        if (strlen(err.message) == 0)
            abort(); /* an error always says why */
        return 0;
    }
    struct path_values v;
    path_values_init(&v);
    int n = path_get(&p, json, jlen, &v);
    size_t total = 0;
    for (int k = 0; k < n; k++) {
        size_t len;
        path_value(&v, (size_t)k, &len);
        total += len;
    }
    /* a value is at most the bytes it came from, and values do not overlap */
    if (n > 0 && total > jlen)
        abort();
    path_values_free(&v);
    path_free(&p);
    return 0;
}
