/* libFuzzer: the detail view's JSON layout, key paths and values of its lines, the minifier, the JSON
 * string unescaper, and the display escaping of log text. */
#include <stdint.h>
#include <stdlib.h>

#include "model/json/jsonfmt.h"
#include "model/present/textsafe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    struct json_doc doc;
    if (jsonfmt_pretty(in, size, 2, &doc) == 0) {
        /* Each path walks up to the root, so every line's would be quadratic in the input: the
         * detail view asks for one line's; 256 lines spread over the document cover the same code. */
        size_t stride = doc.nlines / 256 + 1;
        for (size_t i = 0; i < doc.nlines; i += stride) {
            char path[128];
            const char *v;
            size_t len;
            enum json_class c;
            jsonfmt_line_path(&doc, i, path, sizeof path);
            jsonfmt_line_value(&doc, i, &v, &len, &c);
        }
        jsonfmt_free(&doc);
    }
    char *out = malloc(size + 1);
    if (out) {
        jsonfmt_minify(in, size, out);
        jsonfmt_unescape(in, size, out);
        free(out);
    }
    free(textsafe_escape_dup(in, size));
    return 0;
}
