/* libFuzzer: any bytes as an input file: gzip, format detection, splitting, lookup-events, extraction,
 * searchable pieces, dedupe; then every event's bytes read back (unescaped when embedded) and laid out
 * for the detail view, and a trace of the first events. */
#include <stdint.h>
#include <stdlib.h>

#include "model/json/jsonfmt.h"
#include "model/identity/trace.h"
#include "parsers/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct store *s = store_new();
    if (!s)
        return 0;
    load_buffer(s, "fuzz.json", (const char *)data, size);
    for (size_t i = 0; i < s->nevents; i++) {
        size_t len;
        char *err = NULL;
        const char *raw = store_raw(s, &s->events[i], &len, &err);
        free(err);
        struct json_doc doc;
        if (raw && jsonfmt_pretty(raw, len, 2, &doc) == 0)
            jsonfmt_free(&doc);
    }
    struct trace_index *x = trace_index_new(s);
    for (size_t i = 0; x && i < s->nevents && i < 8; i++) {
        struct trace t;
        if (trace_build(x, i, &t) == 0)
            trace_free(&t);
    }
    trace_index_free(x);
    store_free(s);
    return 0;
}
