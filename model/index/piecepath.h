/* piecepath: the values of a JSON path read from an event's searchable pieces instead of its bytes.
 *
 * The store keeps every event's top-level members as interned pieces (parsers/pieces.h): each object or
 * array member whole ("userIdentity":{...}), the other scalars together, minified as written, with the
 * string values the index holds cut out. Reading a path there needs no file read and no decompression,
 * and since pieces repeat across events (every call of one role session shares its userIdentity piece),
 * a path's values are worked out once per distinct piece and remembered.
 *
 * A cut leaves `"key":,`; read here it is the empty string, which is right for the one case the caller
 * asks: an indexed field whose index entry is empty (the index holds every non-empty one). Paths under
 * `resources` (whose ARNs are cut) and `eventTime` (kept as a time, not as text), a top-level indexed
 * field kept by name only (its value was "" or null; a missing one is answered), and events embedded
 * in a lookup-events wrapper are not answered: read those from the event's bytes. */
#ifndef CTVIEW_PIECEPATH_H
#define CTVIEW_PIECEPATH_H

#include <stddef.h>
#include <stdint.h>

#include "model/json/path.h"
#include "model/store/store.h"

#define PIECEPATH_SLOTS 4096

/* Values of one path per piece, remembered for the pieces seen last (a direct-mapped cache). */
struct piecepath_memo {
    struct piecepath_slot {
        uint32_t piece;         /* 0: empty */
        uint32_t n;             /* values */
        char *text;             /* owned: the values back to back, each followed by a NUL */
        size_t *off;            /* owned: value k is text + off[k], length off[k + 1] - off[k] - 1 */
    } * slots;                  /* owned, PIECEPATH_SLOTS of them, allocated on first use */
    char key[PATH_MAX_LEN + 4]; /* "K": for the path's first key K */
    size_t key_len;
    int usable; /* 0: never answers; 1: any path; 2: a top-level indexed field */
    int tag;    /* intern_key_tag of the first key: cold pieces of another member are not inflated */
    struct intern_cursor cold; /* owned: where cold pieces are read (one memo per thread) */
    /* borrowed, NULL: cold; else the cursor the caller's memos share (several paths of one event read
     * the same piece: its block is inflated once) */
    struct intern_cursor *shared;
};

/* Prepares m for path p (borrowed; must outlive m). */
void piecepath_init(struct piecepath_memo *m, const struct path *p);
void piecepath_free(struct piecepath_memo *m);

/* Replaces out's contents with the values of p in event ev of s, as path_get() would read them from the
 * event's bytes. Returns their count, -1 when out of memory, -2 when the pieces cannot answer (see
 * above). */
int piecepath_get(struct piecepath_memo *m, const struct path *p, const struct store *s, size_t ev,
                  struct path_values *out);

#endif
