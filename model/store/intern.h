/* intern: one copy of each distinct string, named by a small integer id.
 *
 * Id 0 is the empty string and stands for "absent": a field that is missing, null or "" interns to 0.
 * Strings are stored with their length and a terminating NUL, so ids can be compared for equality
 * without touching the bytes and intern_str() can be handed to C string functions. Strings may hold
 * any bytes except NUL (a NUL cuts the string: CloudTrail field values are JSON strings and a \u0000
 * in one is shown, not indexed). */
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

/* A hint, no effect on results: starts loading the hash slot where a lookup of hash h begins. A
 * million diverse events intern five million strings, and the slot table outgrows the caches: the
 * loader asks for an event's slots while it interns the one before. */
void intern_prefetch(const struct intern *t, uint32_t h);

/* Returns the id of s[0..len) if it is in the table, else UINT32_MAX (0 for len == 0). Never adds. */
uint32_t intern_find(const struct intern *t, const char *s, size_t len);

/* Borrowed pointer to the NUL-terminated string of id, valid until the table is freed; "" for 0. */
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
 * string empty or twice) or out of memory: a saved index is never trusted. */
struct intern *intern_read(const char *block, size_t len, uint32_t count);

/* intern_read, the strings left where they are in block, which lies in map[0..map_len) (from mmap, not
 * written to while the table lives): the table takes the mapping over and unmaps it when freed. A reopen
 * of a large tree then neither copies its strings nor has fresh memory zeroed for them. NULL (the
 * mapping still the caller's) when the block is not one intern_write wrote, or out of memory. */
struct intern *intern_read_mapped(const char *block, size_t len, uint32_t count, void *map, size_t map_len);

#endif
