#include "model/store/intern.h"

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

struct intern {
    struct chunk *chunks; /* newest first */
    const char **strs;    /* id -> string bytes (length stored just before) */
    uint32_t count, cap;  /* ids in use, slots in strs */
    uint64_t *slots;      /* open addressing: hash << 32 | (id + 1), 0 = empty. The hash beside the id
                             lets a probe reject a slot, and growth rehash, without touching the string */
    uint32_t nslots;      /* power of two */
    size_t bytes;
    void *map; /* owned: a mapping holding strings read in place (intern_read_mapped), unmapped at free */
    size_t map_len;
    const char *held; /* in map: the block of those strings, ids 1 .. before any chunk's */
    size_t held_len;
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

void intern_prefetch(const struct intern *t, uint32_t h)
{
    __builtin_prefetch(&t->slots[h & (t->nslots - 1)]);
}

uint32_t intern_find(const struct intern *t, const char *s, size_t len)
{
    if (len == 0)
        return 0;
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

static char *store_bytes(struct intern *t, const char *s, size_t len)
{
    size_t need = sizeof(uint32_t) + len + 1;
    struct chunk *c = t->chunks;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = t->chunks;
        t->chunks = c;
        t->bytes += sizeof *c + cap;
    }
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

uint32_t intern_add_hashed(struct intern *t, const char *s, size_t len, uint32_t h)
{
    if (len == 0)
        return 0;
    if (len > UINT32_MAX - 8)
        return UINT32_MAX;
    /* up to 7/8 full: the hash beside each id keeps long probe runs cheap (one cache line holds 8 slots),
     * and at a million events the table is half the size it would be at 3/4 */
    if ((uint64_t)(t->count + 1) * 8 > (uint64_t)t->nslots * 7 && grow_slots(t) != 0)
        return UINT32_MAX;
    uint32_t mask = t->nslots - 1;
    uint32_t i = h & mask;
    for (;; i = (i + 1) & mask) {
        uint64_t slot = t->slots[i];
        if (!slot)
            break;
        uint32_t id = (uint32_t)slot - 1;
        if ((uint32_t)(slot >> 32) == h && same(t->strs[id], s, len))
            return id;
    }
    if (t->count == UINT32_MAX - 1)
        return UINT32_MAX;
    if (t->count == t->cap) {
        uint32_t cap = t->cap * 2;
        const char **strs = reallocarray(t->strs, cap, sizeof *strs);
        if (!strs)
            return UINT32_MAX;
        t->strs = strs;
        t->cap = cap;
    }
    char *copy = store_bytes(t, s, len);
    if (!copy)
        return UINT32_MAX;
    uint32_t id = t->count++;
    t->strs[id] = copy;
    t->slots[i] = (uint64_t)h << 32 | (id + 1);
    return id;
}

const char *intern_str(const struct intern *t, uint32_t id)
{
    return id < t->count ? t->strs[id] : "";
}

size_t intern_len(const struct intern *t, uint32_t id)
{
    if (id == 0 || id >= t->count)
        return 0;
    uint32_t len;
    memcpy(&len, t->strs[id] - sizeof len, sizeof len);
    return len;
}

uint32_t intern_count(const struct intern *t)
{
    return t->count;
}

size_t intern_bytes(const struct intern *t)
{
    return t->bytes + (size_t)t->cap * sizeof *t->strs + (size_t)t->nslots * sizeof *t->slots;
}

int intern_write(const struct intern *t, int (*put)(void *ctx, const void *p, size_t n), void *ctx)
{
    /* chunks are newest first and each holds the strings of consecutive ids: oldest first is id order */
    size_t n = 0;
    for (const struct chunk *c = t->chunks; c; c = c->next)
        n++;
    const struct chunk **order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return -1;
    size_t k = n;
    for (const struct chunk *c = t->chunks; c; c = c->next)
        order[--k] = c;
    int rc = t->held_len ? put(ctx, t->held, t->held_len) : 0;
    for (k = 0; k < n && rc == 0; k++)
        if (order[k]->used)
            rc = put(ctx, order[k]->data, order[k]->used);
    free(order);
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
    uint32_t nslots = t->nslots;
    while ((uint64_t)count * 8 > (uint64_t)nslots * 7 && nslots < (1u << 31))
        nslots *= 2;
    struct chunk *c = big_alloc(sizeof *c + (in_place ? 0 : len));
    const char **strs = big_alloc((size_t)count * sizeof *strs);
    uint64_t *slots = big_alloc((size_t)nslots * sizeof *slots);
    if (strs) {
        strs[0] = t->strs[0];
        free(t->strs);
    }
    if (slots)
        memset(slots, 0, (size_t)nslots * sizeof *slots);
    if (strs)
        t->strs = strs;
    if (!c || !strs || !slots) {
        free(c);
        free(slots);
        intern_free(t);
        return NULL;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    t->cap = count;
    c->next = NULL;
    c->used = c->cap = in_place ? 0 : len;
    if (len && !in_place)
        memcpy(c->data, block, len);
    const char *data = in_place ? block : c->data;
    t->chunks = c;
    t->bytes += sizeof *c + len;
    size_t at = 0;
    uint32_t mask = nslots - 1;
    for (uint32_t id = 1; id < count; id++) {
        uint32_t slen;
        if (len - at < sizeof slen)
            goto bad;
        memcpy(&slen, data + at, sizeof slen);
        const char *str = data + at + sizeof slen;
        if (slen == 0 || len - at - sizeof slen <= slen || str[slen] != '\0')
            goto bad;
        at += sizeof slen + slen + 1;
        uint32_t h = intern_hash(str, slen), i = h & mask;
        for (; t->slots[i]; i = (i + 1) & mask) {
            uint64_t slot = t->slots[i];
            if ((uint32_t)(slot >> 32) == h && same(t->strs[(uint32_t)slot - 1], str, slen))
                goto bad; /* the same string twice: not a table intern_write wrote */
        }
        t->strs[id] = str;
        t->slots[i] = (uint64_t)h << 32 | (id + 1);
        t->count = id + 1;
    }
    if (at != len)
        goto bad;
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
        t->held = block;
        t->held_len = len;
    }
    return t;
}
