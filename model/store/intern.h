/* intern: one copy of each distinct string, named by a small integer id.
 *
 * Id 0 is the empty string and stands for "absent": a field that is missing, null or "" interns to 0.
 * Strings are stored with their length and a terminating NUL, so ids can be compared for equality
 * without touching the bytes and intern_str() can be handed to C string functions. Strings may hold
 * any bytes except NUL (a NUL cuts the string: CloudTrail field values are JSON strings and a \u0000
 * in one is shown, not indexed).
 *
 * Pieces (parsers/pieces.h) are added with intern_add_piece: one that a single event refers to turns
 * cold at the next intern_cool (every 16 MiB of new pieces, and when the store finishes loading): its
 * bytes move into LZ4-compressed blocks and out of the hash table, so a later equal piece gets an id of its
 * own (piece ids are deduplicated to save memory, never compared as strings). Read pieces with
 * intern_get and a cursor of the reading thread; intern_str works for every id, but for a cold one its
 * pointer is valid only until the thread's next intern_str of a cold id. */
#ifndef CTVIEW_INTERN_H
#define CTVIEW_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern;

/* Returns a new, empty table (owned by the caller; free with intern_free), or NULL when out of memory. */
struct intern *intern_new(void);
void intern_free(struct intern *t);

/* Returns the id of the string s[0..len), adding a copy of it when new; 0 for len == 0.
 * Returns UINT32_MAX when out of memory. */
uint32_t intern_add(struct intern *t, const char *s, size_t len);

/* The hash intern_add computes, for callers that hash on another thread: h = intern_hash(s, len). */
uint32_t intern_hash(const char *s, size_t len);
uint32_t intern_add_hashed(struct intern *t, const char *s, size_t len, uint32_t h);

/* The same for a piece: one that no other add names again before the next intern_cool turns cold. May
 * cool the table itself (intern_str pointers to staged pieces then move). UINT32_MAX: out of memory. */
uint32_t intern_add_piece(struct intern *t, const char *s, size_t len, uint32_t h);

/* Turns the pieces added since the last call that were named once cold, the others plain. 0, or -1
 * when out of memory (some pieces may then stay staged: still readable, cooled by a later call). Not
 * while another thread reads the table. */
int intern_cool(struct intern *t);

/* A reading position among cold strings: the last block decompressed. Zero-initialise it; one per thread;
 * free with intern_cursor_free. */
#define INTERN_CURSOR_WAYS 4
struct intern_cursor {
    struct {
        size_t block; /* block + 1 held in buf, 0: none */
        char *buf;    /* owned */
        size_t cap;
    } way[INTERN_CURSOR_WAYS]; /* the last blocks decompressed: events in time order interleave the files
                                  (and blocks) of a few streams */
    unsigned next;             /* the way to reuse next */
};
void intern_cursor_free(struct intern_cursor *c);

/* The string of id (NUL-terminated) and its length in *len: borrowed from the table, or for a cold
 * piece from c, valid until c reads another block or is freed. NULL when out of memory. */
const char *intern_get(const struct intern *t, uint32_t id, struct intern_cursor *c, size_t *len);

/* Whether id is a cold piece. */
int intern_is_cold(const struct intern *t, uint32_t id);

/* What a reader may learn of a cold piece without decompressing its block: -1 when id is not cold; else
 * intern_key_tag(K) when the piece is one member "K":{...} or "K":[...] (K as written, without escapes),
 * 0 when it is not (the scalars' piece). A piece whose tag differs from intern_key_tag(K) holds no
 * member K at its top level. */
int intern_cold_tag(const struct intern *t, uint32_t id);
uint8_t intern_key_tag(const char *key, size_t len); /* 1..255 */

/* Deflated bytes held for cold strings (with the open block's buffer); *raw: their raw bytes. */
size_t intern_cold_bytes(const struct intern *t, size_t *raw);

/* A hint, no effect on results: starts loading the hash slot where a lookup of hash h begins. A
 * million diverse events intern five million strings, and the slot table outgrows the caches: the
 * loader asks for an event's slots while it interns the one before. */
void intern_prefetch(const struct intern *t, uint32_t h);

/* Returns the id of s[0..len) if it is in the table, else UINT32_MAX (0 for len == 0); cold pieces are
 * not found. Never adds. */
uint32_t intern_find(const struct intern *t, const char *s, size_t len);

/* Borrowed pointer to the NUL-terminated string of id, valid until the table is freed; "" for 0. A
 * cold piece's is valid only until the calling thread's next intern_str of a cold piece (read pieces
 * with intern_get). */
const char *intern_str(const struct intern *t, uint32_t id);
size_t intern_len(const struct intern *t, uint32_t id);

/* Number of ids handed out, counting id 0. */
uint32_t intern_count(const struct intern *t);

/* Bytes held by the table (strings, offsets and hash slots), for the memory report. */
size_t intern_bytes(const struct intern *t);

/* The strings of ids 1 .. count - 1 as one block, for the saved index: each a 4-byte length (native
 * order), its bytes and a NUL. Hands the block to put in pieces; returns the first nonzero put's value,
 * else 0. */
int intern_write(const struct intern *t, int (*put)(void *ctx, const void *p, size_t n), void *ctx);

/* A new table (owned by the caller) holding the count - 1 strings of block[0..len), as intern_write
 * wrote them, with the same ids. NULL when the block is not exactly that (every length checked, no
 * string empty) or out of memory: a saved index is never trusted. A string written twice (a piece that
 * had turned cold, then an equal one) is found by its last id, as in the table that wrote it. */
struct intern *intern_read(const char *block, size_t len, uint32_t count);

/* intern_read, the strings left where they are in block, which lies in map[0..map_len) (from mmap, not
 * written to while the table lives): the table takes the mapping over and unmaps it when freed. A reopen
 * of a large tree then neither copies its strings nor has fresh memory zeroed for them. NULL (the
 * mapping still the caller's) when the block is not one intern_write wrote, or out of memory. */
struct intern *intern_read_mapped(const char *block, size_t len, uint32_t count, void *map, size_t map_len);

#endif
