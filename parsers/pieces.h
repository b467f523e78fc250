/* pieces: the searchable text of a record beyond its indexed fields.
 *
 * A free-text filter word must match anywhere in an event's JSON, but keeping every record's bytes in
 * memory costs more than the whole index. So each record's top-level members are interned as a few
 * strings that repeat across events (the same userIdentity, tlsDetails or request shape recurs):
 * every object or array member becomes one piece ("userIdentity":{…}), and the scalar members that are
 * not already indexed fields, with the names of those that are, share one "misc" piece. Pieces are
 * minified, so a pretty-printed file and a one-line file produce the same strings. */
#ifndef CTVIEW_PIECES_H
#define CTVIEW_PIECES_H

#include <stddef.h>

#include "model/store/store.h"

#define PIECES_MAX 16

/* A byte range of a record. */
struct span {
    size_t off, len;
};

struct pieces_scratch {
    struct strref refs[PIECES_MAX];
    char *buf; /* owned; free with pieces_scratch_free */
    size_t cap;
};

/* Splits the JSON object rec[0..len) into pieces, borrowed from rec and from ps, valid until the next
 * call. cuts[0..ncuts) (in order, not overlapping) are left out of the pieces: values the index holds
 * as fields, whose removal lets pieces repeat across events (a userIdentity without its session's key
 * and creation date is the same for every session of a role). Returns the number of pieces in
 * ps->refs (0 when rec is not an object or out of memory). */
size_t pieces_split(const char *rec, size_t len, const struct span *cuts, size_t ncuts,
                    struct pieces_scratch *ps);
/* A top-level member of a record: key token [key, key_end), value token [val, end). When a record has
 * more members than PIECES_MAX_MEMBERS, the last entry spans the rest (key_end == val == key). */
struct member {
    size_t key, key_end, val, end;
};
#define PIECES_MAX_MEMBERS 128

/* The same from members already found (the scanner finds them on its way), in record order; body is
 * the offset just after the record's '{'. */
size_t pieces_build(const char *rec, size_t len, size_t body, const struct member *members, size_t nmembers,
                    const struct span *cuts, size_t ncuts, struct pieces_scratch *ps);

void pieces_scratch_free(struct pieces_scratch *ps);

#endif
