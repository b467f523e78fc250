/* scan: one pass over a record's JSON text that checks it is well-formed and picks out the indexed
 * fields, without building a tree.
 *
 * It replaced a cJSON parse + lookups per record (cJSON allocates a node per value and each lookup
 * walks a linked list with strcmp: two thirds of the load's time). The reading rules are cJSON's, so
 * a record loads, or is refused, exactly as before: a key's first occurrence wins, a number where a
 * string belongs reads as its decimal text, true/false as "true"/"false", null, objects and arrays as
 * absent, a \u0000 cuts a string, nesting deeper than 1000 is refused, and bytes after the value are
 * ignored. tests/fuzz/fuzz_scan.c checks these rules against cJSON (parsers/extract.c). */
#ifndef CTVIEW_SCAN_H
#define CTVIEW_SCAN_H

#include <stddef.h>

#include "model/store/store.h"
#include "parsers/pieces.h"

#define SCAN_MAX_RESOURCES 64
#define SCAN_MAX_DEPTH     1000
#define SCAN_MAX_CUTS      96

struct scan_scratch {
    char *buf; /* decoded strings (those with escapes) of the last record; owned, grows */
    size_t cap, used;
    char numbers[EF__COUNT][32]; /* text of numbers found where strings belong */
    struct strref resources[SCAN_MAX_RESOURCES];
    struct span cuts[SCAN_MAX_CUTS];
    struct member members[PIECES_MAX_MEMBERS];
};

struct scan_result {
    struct event_in ev; /* fields, time, flags and resource ARNs; raw_*, text and pieces left to the caller */
    int is_object;      /* the value is an object (else: not an event) */
    int is_digest;      /* a CloudTrail digest record, not an event */
    int shipper_time;   /* a shipper's @timestamp reads as a time: evidence of an event, never its time */
    int wrapped; /* aws cloudtrail lookup-events: CloudTrailEvent is a string and eventVersion absent */
    size_t wrap_off, wrap_len; /* the CloudTrailEvent string token (quotes included) in the record */
    struct strref wrap_text;   /* its decoded text, cut at a NUL (in the scratch buffer) */
    const struct span *cuts;   /* string tokens of indexed values below the top level, in order: the
                                  searchable pieces leave them out (the index has them already) */
    size_t ncuts;
    const struct member *members; /* the record's top-level members, and where its body starts */
    size_t nmembers, body;
};

/* Scans rec[0..len). Returns 0 and fills *r (strings borrowed from rec and sc, valid until the next
 * scan with sc), or -1 with *err_at = the offset where the JSON stopped making sense. */
int scan_record(const char *rec, size_t len, struct scan_result *r, struct scan_scratch *sc, size_t *err_at);

/* Scans the object that starts at rec[0] == '{' and ends somewhere in rec[0..avail), without its end
 * known first. Returns its length, with *r as scan_record(rec, length) fills it, or 0 when it does not
 * scan as a whole object within avail bytes (damaged, or cut off): scan_record on its bounds then says
 * where. A well-formed object is never read past its closing brace, so the length is the one the
 * splitter's bracket count gives. */
size_t scan_record_at(const char *rec, size_t avail, struct scan_result *r, struct scan_scratch *sc);

void scan_scratch_free(struct scan_scratch *sc);

#endif
