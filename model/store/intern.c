#include "model/store/intern.h"

#include <lz4.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "model/base/bigalloc.h"

/* Strings live in large chunks that are never moved, so intern_str() pointers stay valid while the
 * table grows. Each string is stored as a 4-byte length, the bytes, and a NUL. */
#define CHUNK_BYTES (1u << 20)

struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
};

/* Cold strings: pieces that one event alone refers to (intern_add_piece), moved out of the hash table
 * into LZ4-compressed blocks of about COLD_BLOCK raw bytes, each string followed by a NUL. Their strs entry
 * is a location, not a pointer: block << 40 | offset << 24 | key tag << 16 | length (intern_cold_tag). Pieces
 * wait in staging chunks (hash, length, bytes, NUL) until COOL_BYTES of them gathered, so one seen twice
 * meanwhile stays plain. */
#define COLD_BLOCK   (1u << 16)
#define COLD_MAX_LEN ((1u << 16) - 1)
#define COLD_MAX_BLK ((1ull << 24) - 1)
#define COOL_BYTES   ((size_t)16 << 20)

struct cold_block {
    char *data;          /* owned: LZ4-compressed bytes */
    uint32_t clen, rlen; /* compressed and raw lengths */
};

struct intern {
    struct chunk *chunks; /* newest first */
    const char **strs;    /* id -> string bytes (length stored just before); a location when cold */
    uint32_t count, cap;  /* ids in use, slots in strs */
    uint64_t *slots;      /* open addressing: hash << 32 | (id + 1), 0 = empty. The hash beside the id
                             lets a probe reject a slot, and growth rehash, without touching the string */
    uint32_t nslots;      /* power of two */
    uint32_t live;        /* ids in the hash table (not cold) */
    /* A table read from a saved index gets its hash slots at the first lookup or add (ensure_slots),
     * not when read: an unchanged tree reopened to print or browse may never look a string up, and
     * hashing its millions of strings into a fresh table was a third of such a reopen. */
    atomic_int unslotted;
    size_t bytes;
    /* pieces added since the last intern_cool */
    struct chunk *staged; /* newest first; each string: hash, length, bytes, NUL */
    size_t staged_bytes;
    uint32_t stage_first; /* ids below are never staged */
    uint8_t *stage;       /* per id - stage_first: 0 not staged, 1 staged, one reference, 2 more */
    size_t stage_cap;
    uint64_t *cold; /* bit per id: cold */
    size_t cold_words;
    struct cold_block *blocks;
    size_t nblocks, blocks_cap;
    char *open; /* raw bytes of the block being filled (its index is nblocks) */
    size_t open_len, open_cap;
    size_t cold_bytes; /* compressed bytes held */
    void *map; /* owned: a mapping holding strings read in place (intern_read_mapped), unmapped at free */
    size_t map_len;
};

uint32_t intern_hash(const char *s, size_t len)
{
    /* FNV-1a for short strings (regions, names, ids); long ones (the searchable pieces of a record, up
     * to kilobytes) go eight bytes per multiply, since hashing them byte by byte showed in the load. */
    uint64_t h = 14695981039346656037ull ^ len;
    size_t i = 0;
    if (len >= 32) {
        for (; i + 8 <= len; i += 8) {
            uint64_t w;
            memcpy(&w, s + i, sizeof w);
            h = (h ^ w) * 0x9e3779b97f4a7c15ull;
            h ^= h >> 29;
        }
    }
    for (; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    uint32_t r = (uint32_t)(h ^ (h >> 32));
    return r ? r : 1;
}

struct intern *intern_new(void)
{
    struct intern *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = 1024;
    t->nslots = 2048;
    t->strs = malloc(t->cap * sizeof *t->strs);
    t->slots = calloc(t->nslots, sizeof *t->slots);
    if (!t->strs || !t->slots) {
        intern_free(t);
        return NULL;
    }
    static const char empty[sizeof(uint32_t) + 1];
    t->strs[0] = empty + sizeof(uint32_t);
    t->count = 1;
    t->live = 1;
    return t;
}

void intern_free(struct intern *t)
{
    if (!t)
        return;
    struct chunk *c = t->chunks;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    for (c = t->staged; c;) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    for (size_t b = 0; b < t->nblocks; b++)
        free(t->blocks[b].data);
    free(t->blocks);
    free(t->open);
    free(t->stage);
    free(t->cold);
    free(t->strs);
    free(t->slots);
    if (t->map)
        munmap(t->map, t->map_len);
    free(t);
}

static int same(const char *stored, const char *s, size_t len)
{
    uint32_t slen;
    memcpy(&slen, stored - sizeof slen, sizeof slen);
    return slen == len && memcmp(stored, s, len) == 0;
}

/* Readers on several threads may ask a table read from an index for its first lookup at once. */
static pthread_mutex_t slotting = PTHREAD_MUTEX_INITIALIZER;

/* Puts ids 1 .. count - 1 of a table read from an index in a hash table of their own. Of equal strings
 * (a piece that turned cold before an equal one came, intern_cool) only the last can have been in the
 * hash table when it was written (no id is made for a string found there), so the later id takes the
 * slot and the earlier stays out as the cold one was. 0, or -1 when out of memory. */
static int fill_slots(struct intern *t)
{
    uint32_t nslots = t->nslots;
    while ((uint64_t)t->count * 8 > (uint64_t)nslots * 7 && nslots < (1u << 31))
        nslots *= 2;
    uint64_t *slots = big_alloc((size_t)nslots * sizeof *slots);
    if (!slots)
        return -1;
    memset(slots, 0, (size_t)nslots * sizeof *slots);
    uint32_t mask = nslots - 1, live = 1;
    for (uint32_t id = 1; id < t->count; id++) {
        const char *str = t->strs[id];
        uint32_t slen;
        memcpy(&slen, str - sizeof slen, sizeof slen);
        uint32_t h = intern_hash(str, slen), i = h & mask;
        for (; slots[i]; i = (i + 1) & mask) {
            uint64_t slot = slots[i];
            if ((uint32_t)(slot >> 32) == h && same(t->strs[(uint32_t)slot - 1], str, slen))
                break;
        }
        live += !slots[i];
        slots[i] = (uint64_t)h << 32 | (id + 1);
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    t->live = live;
    return 0;
}

/* 0 when t's hash slots are there (made now for a table read from an index), -1 when out of memory. */
static int ensure_slots(const struct intern *ct)
{
    struct intern *t = (struct intern *)ct; /* the slots are a cache of what the strings say */
    if (!atomic_load_explicit(&t->unslotted, memory_order_acquire))
        return 0;
    pthread_mutex_lock(&slotting);
    int rc = 0;
    if (atomic_load_explicit(&t->unslotted, memory_order_relaxed)) {
        rc = fill_slots(t);
        if (rc == 0)
            atomic_store_explicit(&t->unslotted, 0, memory_order_release);
    }
    pthread_mutex_unlock(&slotting);
    return rc;
}

void intern_prefetch(const struct intern *t, uint32_t h)
{
    if (!atomic_load_explicit(&t->unslotted, memory_order_relaxed))
        __builtin_prefetch(&t->slots[h & (t->nslots - 1)]);
}

uint32_t intern_find(const struct intern *t, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (ensure_slots(t) != 0)
        return UINT32_MAX;
    uint32_t h = intern_hash(s, len), mask = t->nslots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t slot = t->slots[i];
        if (!slot)
            return UINT32_MAX;
        uint32_t id = (uint32_t)slot - 1;
        if ((uint32_t)(slot >> 32) == h && same(t->strs[id], s, len))
            return id;
    }
}

static int grow_slots(struct intern *t)
{
    uint32_t n = t->nslots * 2, mask = n - 1;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t k = 0; k < t->nslots; k++) {
        uint64_t slot = t->slots[k];
        if (!slot)
            continue;
        uint32_t i = (uint32_t)(slot >> 32) & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = slot;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return 0;
}

/* The newest chunk of *list with need bytes free, a new one put first when it has not; *bytes counts what
 * is allocated. NULL when out of memory. */
static struct chunk *chunk_room(struct chunk **list, size_t *bytes, size_t need)
{
    struct chunk *c = *list;
    if (c && c->cap - c->used >= need)
        return c;
    size_t cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
    c = malloc(sizeof *c + cap);
    if (!c)
        return NULL;
    c->used = 0;
    c->cap = cap;
    c->next = *list;
    *list = c;
    *bytes += sizeof *c + cap;
    return c;
}

static char *store_bytes(struct intern *t, const char *s, size_t len)
{
    size_t need = sizeof(uint32_t) + len + 1;
    struct chunk *c = chunk_room(&t->chunks, &t->bytes, need);
    if (!c)
        return NULL;
    char *p = c->data + c->used;
    uint32_t l32 = (uint32_t)len;
    memcpy(p, &l32, sizeof l32);
    memcpy(p + sizeof l32, s, len);
    p[sizeof l32 + len] = '\0';
    c->used += need;
    return p + sizeof l32;
}

uint32_t intern_add(struct intern *t, const char *s, size_t len)
{
    return intern_add_hashed(t, s, len, len ? intern_hash(s, len) : 0);
}

static int is_cold(const struct intern *t, uint32_t id)
{
    return (size_t)id / 64 < t->cold_words && (t->cold[id / 64] >> (id % 64) & 1);
}

/* A staged piece found again, by a piece or anything else: it stays plain. */
static void referred_again(struct intern *t, uint32_t id)
{
    if (id >= t->stage_first && id - t->stage_first < t->stage_cap && t->stage[id - t->stage_first])
        t->stage[id - t->stage_first] = 2;
}

/* The id of s[0..len) when in the table (then *at is UINT32_MAX), else UINT32_MAX and *at the empty slot
 * where it goes; grows the slots first. Sets *err on out of memory. */
static uint32_t probe(struct intern *t, const char *s, size_t len, uint32_t h, uint32_t *at, int *err)
{
    *err = ensure_slots(t) != 0;
    if (*err)
        return UINT32_MAX;
    /* up to 7/8 full: the hash beside each id keeps long probe runs cheap (one cache line holds 8 slots),
     * and at a million events the table is half the size it would be at 3/4 */
    if ((uint64_t)(t->live + 1) * 8 > (uint64_t)t->nslots * 7 && grow_slots(t) != 0) {
        *err = 1;
        return UINT32_MAX;
    }
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t slot = t->slots[i];
        if (!slot) {
            *at = i;
            return UINT32_MAX;
        }
        uint32_t id = (uint32_t)slot - 1;
        if ((uint32_t)(slot >> 32) == h && same(t->strs[id], s, len)) {
            *at = UINT32_MAX;
            return id;
        }
    }
}

/* Makes room for one more id in strs; 0 or -1. */
static int room_for_id(struct intern *t)
{
    if (t->count == UINT32_MAX - 1)
        return -1;
    if (t->count == t->cap) {
        /* by a quarter: at millions of ids this array is the table's largest part, and doubling it left
         * a third of it unused on average (a large realloc moves pages, it does not copy) */
        uint32_t cap = t->cap > UINT32_MAX / 5 * 4 ? UINT32_MAX : t->cap + t->cap / 4;
        const char **strs = reallocarray(t->strs, cap, sizeof *strs);
        if (!strs)
            return -1;
        t->strs = strs;
        t->cap = cap;
    }
    return 0;
}

/* Makes room in stage for one more id; 0 or -1. */
static int room_for_stage(struct intern *t)
{
    size_t need = (size_t)t->count + 1 - t->stage_first;
    if (need > t->stage_cap) {
        size_t cap = t->stage_cap ? t->stage_cap * 2 : 4096;
        while (cap < need)
            cap *= 2;
        uint8_t *st = realloc(t->stage, cap);
        if (!st)
            return -1;
        memset(st + t->stage_cap, 0, cap - t->stage_cap);
        t->stage = st;
        t->stage_cap = cap;
    }
    return 0;
}

uint32_t intern_add_hashed(struct intern *t, const char *s, size_t len, uint32_t h)
{
    if (len == 0)
        return 0;
    if (len > UINT32_MAX - 8)
        return UINT32_MAX;
    uint32_t at;
    int err;
    uint32_t id = probe(t, s, len, h, &at, &err);
    if (err)
        return UINT32_MAX;
    if (id != UINT32_MAX) {
        referred_again(t, id);
        return id;
    }
    if (room_for_id(t) != 0)
        return UINT32_MAX;
    char *copy = store_bytes(t, s, len);
    if (!copy)
        return UINT32_MAX;
    id = t->count++;
    t->strs[id] = copy;
    t->slots[at] = (uint64_t)h << 32 | (id + 1);
    t->live++;
    return id;
}

/* Copies s[0..len) into a staging chunk: hash, length, bytes, NUL. */
static char *stage_bytes(struct intern *t, const char *s, size_t len, uint32_t h)
{
    size_t need = 2 * sizeof(uint32_t) + len + 1;
    struct chunk *c = chunk_room(&t->staged, &t->staged_bytes, need);
    if (!c)
        return NULL;
    char *p = c->data + c->used;
    uint32_t l32 = (uint32_t)len;
    memcpy(p, &h, sizeof h);
    memcpy(p + sizeof h, &l32, sizeof l32);
    memcpy(p + 2 * sizeof l32, s, len);
    p[2 * sizeof l32 + len] = '\0';
    c->used += need;
    return p + 2 * sizeof l32;
}

uint32_t intern_add_piece(struct intern *t, const char *s, size_t len, uint32_t h)
{
    if (len == 0 || len > COLD_MAX_LEN)
        return intern_add_hashed(t, s, len, h);
    uint32_t at;
    int err;
    uint32_t id = probe(t, s, len, h, &at, &err);
    if (err)
        return UINT32_MAX;
    if (id != UINT32_MAX) {
        referred_again(t, id);
        return id;
    }
    if (room_for_id(t) != 0 || room_for_stage(t) != 0)
        return UINT32_MAX;
    char *copy = stage_bytes(t, s, len, h);
    if (!copy)
        return UINT32_MAX;
    id = t->count++;
    t->strs[id] = copy;
    t->stage[id - t->stage_first] = 1;
    t->slots[at] = (uint64_t)h << 32 | (id + 1);
    t->live++;
    if (t->staged_bytes >= COOL_BYTES && intern_cool(t) != 0)
        return UINT32_MAX;
    return id;
}

/* Takes id's slot out of the hash table: linear probing, so the entries after it that probed past it
 * move back (no tombstones: cold strings are a large part of all ids). */
static void unslot(struct intern *t, uint32_t id, uint32_t h)
{
    uint32_t mask = t->nslots - 1, i = h & mask;
    while ((uint32_t)t->slots[i] != id + 1)
        i = (i + 1) & mask;
    for (uint32_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
        uint32_t home = (uint32_t)(t->slots[j] >> 32) & mask;
        /* the entry at j may fill the hole at i when its home is not in (i, j] (cyclically) */
        int between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i] = 0;
    t->live--;
}

/* Deflates the open block into blocks[nblocks]. 0 or -1 (out of memory). */
static int close_block(struct intern *t)
{
    if (!t->open_len)
        return 0;
    if (t->nblocks == t->blocks_cap) {
        size_t cap = t->blocks_cap ? t->blocks_cap * 2 : 256;
        struct cold_block *b = reallocarray(t->blocks, cap, sizeof *b);
        if (!b)
            return -1;
        t->blocks = b;
        t->blocks_cap = cap;
    }
    int bound = LZ4_compressBound((int)t->open_len);
    char *out = malloc((size_t)bound);
    if (!out)
        return -1;
    int made = LZ4_compress_default(t->open, out, (int)t->open_len, bound);
    size_t clen = made > 0 ? (size_t)made : 0;
    char *fit = clen ? realloc(out, clen) : NULL;
    if (!fit) {
        free(out);
        return -1;
    }
    t->blocks[t->nblocks++] = (struct cold_block){fit, (uint32_t)clen, (uint32_t)t->open_len};
    t->cold_bytes += clen;
    t->open_len = 0;
    return 0;
}

uint8_t intern_key_tag(const char *key, size_t len)
{
    return (uint8_t)(intern_hash(key, len) % 255 + 1);
}

/* The tag of a piece that is one member holding an object or an array, "K":{...} or "K":[...]: K's
 * (intern_key_tag, bytes as written); 0 for any other string (the scalars' piece, a key with escapes). */
static uint8_t piece_tag(const char *p, size_t len)
{
    if (len < 4 || p[0] != '"')
        return 0;
    const char *q = memchr(p + 1, '"', len - 1);
    if (!q || memchr(p + 1, '\\', (size_t)(q - p - 1)))
        return 0;
    size_t end = (size_t)(q - p);
    if (end + 2 >= len || p[end + 1] != ':' || (p[end + 2] != '{' && p[end + 2] != '['))
        return 0;
    return intern_key_tag(p + 1, end - 1);
}

/* Moves staged id (len bytes at p) into the open block; 0, 1 when it cannot be cold (kept plain), -1. */
static int make_cold(struct intern *t, uint32_t id, const char *p, size_t len)
{
    if (t->open_len >= COLD_BLOCK && close_block(t) != 0)
        return -1;
    if (t->nblocks > COLD_MAX_BLK)
        return 1;
    if (t->open_cap - t->open_len < len + 1) {
        size_t cap = t->open_cap ? t->open_cap : COLD_BLOCK * 2;
        while (cap - t->open_len < len + 1)
            cap *= 2;
        char *o = realloc(t->open, cap);
        if (!o)
            return -1;
        t->open = o;
        t->open_cap = cap;
    }
    size_t need = (size_t)id / 64 + 1;
    if (need > t->cold_words) {
        size_t words = t->cold_words ? t->cold_words * 2 : 1024;
        while (words < need)
            words *= 2;
        uint64_t *c = realloc(t->cold, words * sizeof *c);
        if (!c)
            return -1;
        memset(c + t->cold_words, 0, (words - t->cold_words) * sizeof *c);
        t->cold = c;
        t->cold_words = words;
    }
    uint64_t loc =
        (uint64_t)t->nblocks << 40 | (uint64_t)t->open_len << 24 | (uint64_t)piece_tag(p, len) << 16 | len;
    memcpy(t->open + t->open_len, p, len);
    t->open[t->open_len + len] = '\0';
    t->open_len += len + 1;
    t->strs[id] = (const char *)(uintptr_t)loc;
    t->cold[id / 64] |= 1ull << (id % 64);
    return 0;
}

int intern_cool(struct intern *t)
{
    uint32_t end =
        t->count - t->stage_first < t->stage_cap ? t->count : t->stage_first + (uint32_t)t->stage_cap;
    for (uint32_t id = t->stage_first; id < end; id++) {
        uint8_t st = t->stage[id - t->stage_first];
        if (!st)
            continue;
        const char *p = t->strs[id];
        uint32_t h, len;
        memcpy(&h, p - 2 * sizeof h, sizeof h);
        memcpy(&len, p - sizeof len, sizeof len);
        int rc = st == 1 ? make_cold(t, id, p, len) : 1;
        if (rc < 0)
            return -1;
        if (rc == 0) {
            unslot(t, id, h);
        } else {
            char *copy = store_bytes(t, p, len);
            if (!copy)
                return -1;
            t->strs[id] = copy;
        }
    }
    if (t->stage)
        memset(t->stage, 0, t->stage_cap);
    while (t->staged) {
        struct chunk *next = t->staged->next;
        free(t->staged);
        t->staged = next;
    }
    t->staged_bytes = 0;
    t->stage_first = t->count;
    return 0;
}

static void cold_where(const struct intern *t, uint32_t id, size_t *block, size_t *off, size_t *len)
{
    uint64_t loc = (uint64_t)(uintptr_t)t->strs[id];
    *block = (size_t)(loc >> 40);
    *off = (size_t)(loc >> 24 & 0xffff);
    *len = (size_t)(loc & COLD_MAX_LEN);
}

int intern_cold_tag(const struct intern *t, uint32_t id)
{
    if (id >= t->count || !is_cold(t, id))
        return -1;
    return (int)((uint64_t)(uintptr_t)t->strs[id] >> 16 & 0xff);
}

const char *intern_get(const struct intern *t, uint32_t id, struct intern_cursor *c, size_t *len)
{
    if (id == 0 || id >= t->count) {
        *len = 0;
        return "";
    }
    if (!is_cold(t, id)) {
        const char *p = t->strs[id];
        uint32_t l32;
        memcpy(&l32, p - sizeof l32, sizeof l32);
        *len = l32;
        return p;
    }
    size_t block, off;
    cold_where(t, id, &block, &off, len);
    if (block == t->nblocks)
        return t->open + off;
    for (unsigned w = 0; w < INTERN_CURSOR_WAYS; w++)
        if (c->way[w].block == block + 1)
            return c->way[w].buf + off;
    unsigned w = c->next;
    const struct cold_block *b = &t->blocks[block];
    if (c->way[w].cap < b->rlen) {
        char *buf = realloc(c->way[w].buf, b->rlen);
        if (!buf)
            return NULL;
        c->way[w].buf = buf;
        c->way[w].cap = b->rlen;
    }
    c->way[w].block = 0;
    if (LZ4_decompress_safe(b->data, c->way[w].buf, (int)b->clen, (int)b->rlen) != (int)b->rlen)
        return NULL; /* not reached: the table compressed these bytes itself */
    c->way[w].block = block + 1;
    c->next = (w + 1) % INTERN_CURSOR_WAYS;
    return c->way[w].buf + off;
}

void intern_cursor_free(struct intern_cursor *c)
{
    for (unsigned w = 0; w < INTERN_CURSOR_WAYS; w++)
        free(c->way[w].buf);
    *c = (struct intern_cursor){0};
}

const char *intern_str(const struct intern *t, uint32_t id)
{
    if (id >= t->count)
        return "";
    if (!is_cold(t, id))
        return t->strs[id];
    /* a cold piece read without a cursor: the thread's own, valid until its next such read (intern.h) */
    static _Thread_local struct intern_cursor mine;
    size_t len;
    const char *p = intern_get(t, id, &mine, &len);
    return p ? p : "";
}

size_t intern_len(const struct intern *t, uint32_t id)
{
    if (id == 0 || id >= t->count)
        return 0;
    if (is_cold(t, id)) {
        size_t block, off, len;
        cold_where(t, id, &block, &off, &len);
        return len;
    }
    uint32_t len;
    memcpy(&len, t->strs[id] - sizeof len, sizeof len);
    return len;
}

int intern_is_cold(const struct intern *t, uint32_t id)
{
    return is_cold(t, id);
}

uint32_t intern_count(const struct intern *t)
{
    return t->count;
}

size_t intern_bytes(const struct intern *t)
{
    return t->bytes + (size_t)t->cap * sizeof *t->strs + (size_t)t->nslots * sizeof *t->slots +
           t->staged_bytes + t->stage_cap + t->cold_words * sizeof *t->cold + t->cold_bytes +
           t->blocks_cap * sizeof *t->blocks + t->open_cap;
}

size_t intern_cold_bytes(const struct intern *t, size_t *raw)
{
    size_t r = t->open_len;
    for (size_t b = 0; b < t->nblocks; b++)
        r += t->blocks[b].rlen;
    *raw = r;
    return t->cold_bytes + t->open_cap;
}

int intern_write(const struct intern *t, int (*put)(void *ctx, const void *p, size_t n), void *ctx)
{
    /* In id order through a cursor, each a 4-byte length, its bytes and a NUL: the chunks are not in id
     * order once pieces were added (a piece staged and then kept plain is copied into a chunk after the
     * strings of later ids, intern_cool), and cold strings are in blocks. */
    struct intern_cursor c = {0};
    size_t cap = (size_t)1 << 16, used = 0;
    char *buf = malloc(cap);
    int rc = buf ? 0 : -1;
    for (uint32_t id = 1; id < t->count && rc == 0; id++) {
        size_t len;
        const char *p = intern_get(t, id, &c, &len);
        if (!p) {
            rc = -1;
            break;
        }
        size_t need = sizeof(uint32_t) + len + 1;
        if (cap - used < need && used) {
            rc = put(ctx, buf, used);
            used = 0;
        }
        if (rc == 0 && cap - used < need) {
            char *b = realloc(buf, need);
            if (!b) {
                rc = -1;
                break;
            }
            buf = b;
            cap = need;
        }
        uint32_t l32 = (uint32_t)len;
        memcpy(buf + used, &l32, sizeof l32);
        memcpy(buf + used + sizeof l32, p, len);
        buf[used + sizeof l32 + len] = '\0';
        used += need;
    }
    if (rc == 0 && used)
        rc = put(ctx, buf, used);
    free(buf);
    intern_cursor_free(&c);
    return rc;
}

/* intern_read; the strings copied into a chunk of their own, else (in_place) left in block. */
static struct intern *read_block(const char *block, size_t len, uint32_t count, int in_place)
{
    if (count == 0 || count == UINT32_MAX)
        return NULL;
    struct intern *t = intern_new();
    if (!t)
        return NULL;
    struct chunk *c = big_alloc(sizeof *c + (in_place ? 0 : len));
    const char **strs = big_alloc((size_t)count * sizeof *strs);
    if (strs) {
        strs[0] = t->strs[0];
        free(t->strs);
        t->strs = strs;
    }
    if (!c || !strs) {
        free(c);
        intern_free(t);
        return NULL;
    }
    t->cap = count;
    c->next = NULL;
    c->used = c->cap = in_place ? 0 : len;
    if (len && !in_place)
        memcpy(c->data, block, len);
    const char *data = in_place ? block : c->data;
    t->chunks = c;
    t->bytes += sizeof *c + len;
    size_t at = 0;
    for (uint32_t id = 1; id < count; id++) {
        uint32_t slen;
        if (len - at < sizeof slen)
            goto bad;
        memcpy(&slen, data + at, sizeof slen);
        const char *str = data + at + sizeof slen;
        if (slen == 0 || len - at - sizeof slen <= slen || str[slen] != '\0')
            goto bad;
        at += sizeof slen + slen + 1;
        t->strs[id] = str;
        t->count = id + 1;
    }
    if (at != len)
        goto bad;
    t->stage_first = count;
    atomic_store_explicit(&t->unslotted, 1, memory_order_release); /* hashed at the first lookup */
    return t;
bad:
    intern_free(t);
    return NULL;
}

struct intern *intern_read(const char *block, size_t len, uint32_t count)
{
    return read_block(block, len, count, 0);
}

struct intern *intern_read_mapped(const char *block, size_t len, uint32_t count, void *map, size_t map_len)
{
    struct intern *t = read_block(block, len, count, 1);
    if (t) {
        t->map = map;
        t->map_len = map_len;
    }
    return t;
}
