/* libFuzzer, differential: the record scanner (parsers/scan.c) must accept exactly the records cJSON
 * accepts and read the same fields, time, flags and resources from them as the cJSON reader it replaced
 * (parsers/extract.c, kept as the reference), and cut the same searchable pieces as a separate split.
 * Any difference aborts. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/json/jsonscan.h"
#include "parsers/extract.h"
#include "parsers/scan.h"

static void differ(const char *what)
{
    fprintf(stderr, "scan and cJSON differ: %s\n", what);
    abort();
}

static void same_ref(const struct strref *a, const struct strref *b, const char *what)
{
    if (a->len != b->len || (a->len && memcmp(a->s, b->s, a->len) != 0))
        differ(what);
}

/* A text the scanner read against cJSON's C string: the same, except that where cJSON's ends at a NUL
 * escape the scanner reads U+2400 and goes on (parsers/scan.c unescape_one). */
static void same_text(const struct strref *scan, const struct strref *cj, const char *what)
{
    static const char nul_sign[] = "\xe2\x90\x80";
    if (scan->len > cj->len && scan->len - cj->len >= 3 && memcmp(scan->s + cj->len, nul_sign, 3) == 0 &&
        (!cj->len || memcmp(scan->s, cj->s, cj->len) == 0))
        return;
    same_ref(scan, cj, what);
}

static int starts_nul_sign(const struct strref *r)
{
    return r->len >= 3 && memcmp(r->s, "\xe2\x90\x80", 3) == 0;
}

/* The resources alike, except those the scanner has whose ARN starts with a NUL escape: cJSON reads such an
 * ARN as empty and skips it (parsers/extract.c), so the scanner's list holds them in addition, and can
 * then reach its cap before cJSON's. */
static void same_resources(const struct event_in *scan, const struct event_in *cj)
{
    size_t i = 0, j = 0, extra = 0;
    while (i < scan->nresources) {
        const struct strref *a = &scan->resources[i++];
        if (starts_nul_sign(a) && (j == cj->nresources || !starts_nul_sign(&cj->resources[j]))) {
            extra++;
            continue;
        }
        if (j == cj->nresources) {
            differ("resource count");
            return;
        }
        same_text(a, &cj->resources[j++], "resource");
    }
    if (j != cj->nresources && !(extra && scan->nresources == EXTRACT_MAX_RESOURCES))
        differ("resource count");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data, *end = NULL;
    static struct scan_scratch sc;
    struct scan_result r;
    size_t err_at;
    if (size && in[0] == '{') {
        /* the loader's one pass reads an object where the splitter's bounds end it, or leaves it to them */
        static struct scan_scratch sa;
        struct scan_result ra;
        int cut;
        size_t bound = jscan_skip_value(in, size, 0, &cut);
        size_t n = scan_record_at(in, size, &ra, &sa);
        int whole = !cut && scan_record(in, bound, &r, &sc, &err_at) == 0;
        if (n ? !whole || n != bound || ra.ev.time_ms != r.ev.time_ms || ra.ev.flags != r.ev.flags : whole)
            differ("the one-pass scan and the bounded one");
    }
    int scanned = scan_record(in, size, &r, &sc, &err_at) == 0;
    cJSON *obj = cJSON_ParseWithLengthOpts(in, size, &end, 0);
    if (scanned != (obj != NULL))
        differ(scanned ? "scan accepts what cJSON refuses" : "scan refuses what cJSON accepts");
    if (!obj)
        return 0;
    if (r.is_object != cJSON_IsObject(obj))
        differ("is_object");
    if (r.is_object) {
        if (r.is_digest != extract_is_digest(obj))
            differ("digest");
        struct event_in ev;
        struct extract_scratch xs;
        extract_event(obj, &ev, &xs);
        for (int f = 0; f < EF__COUNT; f++)
            same_text(&r.ev.f[f], &ev.f[f], event_field_path((enum event_field)f));
        if (r.ev.time_ms != ev.time_ms)
            differ("time");
        if (r.ev.flags != ev.flags)
            differ("flags");
        same_resources(&r.ev, &ev);
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(obj, "CloudTrailEvent");
        int wrapped =
            cJSON_IsString(w) && w->valuestring && !cJSON_GetObjectItemCaseSensitive(obj, "eventVersion");
        if (r.wrapped != wrapped)
            differ("wrapped");
        if (wrapped) {
            struct strref a = {w->valuestring, strlen(w->valuestring)};
            same_text(&r.wrap_text, &a, "CloudTrailEvent text");
        }
        /* the pieces built from the members the scanner found are those a fresh split finds */
        static struct pieces_scratch built, split;
        size_t nb = pieces_build(in, size, r.body, r.members, r.nmembers, r.cuts, r.ncuts, &built);
        size_t ns = pieces_split(in, size, r.cuts, r.ncuts, &split);
        if (nb != ns)
            differ("piece count");
        for (size_t i = 0; i < nb; i++)
            same_ref(&built.refs[i], &split.refs[i], "piece");
    }
    cJSON_Delete(obj);
    return 0;
}
