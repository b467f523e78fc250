#include "model/store/storefile.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <libdeflate.h>

#include "model/base/bigalloc.h"
#include "model/base/errmsg.h"

static const char magic[8] = {'C', 'T', 'V', 'I', 'D', 'X', '\r', '\n'};
/* A path or a problem's text longer than this is not one the load made. */
#define MAX_TEXT ((uint32_t)1 << 20)
/* An event as written: its fields one after the other, no padding (time 8, four u32, two u8, two u16,
 * the dense ids, the two UUIDs). */
#define EVENT_BYTES (8 + 4 * 4 + 2 + 2 * 2 + EVENT_DENSE * 4 + 32)
#define NCOUNTS     9

/* ---- writing: through a buffer, the CRC and length kept as it goes ---- */

struct out {
    storefile_put_fn put;
    void *ctx;
    uint32_t crc;
    uint64_t total;
    int rc;
    size_t n;
    unsigned char buf[1 << 16];
};

static void flush(struct out *o)
{
    if (o->n && o->rc == 0)
        o->rc = o->put(o->ctx, o->buf, o->n);
    o->n = 0;
}

static void put(struct out *o, const void *p, size_t n)
{
    if (o->rc || n == 0) /* n == 0: p may be the NULL of an empty array */
        return;
    o->crc = libdeflate_crc32(o->crc, p, n);
    o->total += n;
    if (n > sizeof o->buf / 2) {
        flush(o);
        if (o->rc == 0)
            o->rc = o->put(o->ctx, p, n);
        return;
    }
    if (sizeof o->buf - o->n < n)
        flush(o);
    memcpy(o->buf + o->n, p, n);
    o->n += n;
}

static void put_u8(struct out *o, uint8_t v)
{
    put(o, &v, 1);
}
static void put_u16(struct out *o, uint16_t v)
{
    put(o, &v, 2);
}
static void put_u32(struct out *o, uint32_t v)
{
    put(o, &v, 4);
}
static void put_u64(struct out *o, uint64_t v)
{
    put(o, &v, 8);
}

static void put_text(struct out *o, const char *s)
{
    size_t len = strlen(s);
    put_u32(o, (uint32_t)(len > MAX_TEXT ? MAX_TEXT : len));
    put(o, s, len > MAX_TEXT ? MAX_TEXT : len);
}

static void put_counts(struct out *o, const struct load_counts *c)
{
    const uint64_t v[NCOUNTS] = {c->files,       c->skipped_files,   c->records, c->events, c->duplicates,
                                 c->bad_records, c->skipped_records, c->bytes,   c->pruned};
    put(o, v, sizeof v);
}

static void put_event(struct out *o, const struct event *e)
{
    unsigned char b[EVENT_BYTES], *p = b;
#define PACK(v)                                                                                              \
    do {                                                                                                     \
        memcpy(p, &(v), sizeof(v));                                                                          \
        p += sizeof(v);                                                                                      \
    } while (0)
    uint16_t flags = (uint16_t)(e->flags & ~EVF_MARKED); /* a mark is this session's, not the logs' */
    PACK(e->time_ms);
    PACK(e->raw_off);
    PACK(e->raw_len);
    PACK(e->source);
    PACK(e->list_first);
    PACK(e->res_count);
    PACK(e->piece_count);
    PACK(flags);
    PACK(e->rare);
    PACK(e->dense);
    PACK(e->uuid);
#undef PACK
    put(o, b, sizeof b);
}

static int put_strings(void *ctx, const void *p, size_t n)
{
    put(ctx, p, n);
    return 0;
}

int storefile_write(const struct store *s, const struct storefile *x, const char *key, storefile_put_fn putfn,
                    void *ctx, unsigned char head[STOREFILE_HEAD])
{
    struct out *o = malloc(sizeof *o);
    if (!o)
        return -1;
    o->put = putfn;
    o->ctx = ctx;
    o->crc = 0;
    o->total = 0;
    o->rc = 0;
    o->n = 0;
    put_text(o, key);
    put_counts(o, &s->counts);
    put_u64(o, x->walk_problems);
    put_u64(o, x->walk_skipped);
    put_u64(o, x->walk_pruned);
    /* the strings: their count, the block (each string's length leads it), then the block's length */
    put_u32(o, intern_count(s->strings));
    uint64_t start = o->total;
    if (intern_write(s->strings, put_strings, o) != 0 && o->rc == 0)
        o->rc = -1;
    uint64_t block = o->total - start;
    put_u64(o, block);
    put_u64(o, s->nevents);
    for (size_t i = 0; i < s->nevents; i++)
        put_event(o, &s->events[i]);
    put_u64(o, s->nlist);
    put(o, s->list_ids, s->nlist * sizeof *s->list_ids);
    put_u64(o, s->seen_slots);
    put_u64(o, s->nseen);
    put(o, s->seen, s->seen_slots * sizeof *s->seen);
    put_u64(o, s->ndups);
    for (size_t i = 0; i < s->ndups; i++) {
        put_u64(o, s->dups[i].key);
        put_u32(o, s->dups[i].source);
        put_u32(o, s->dups[i].content);
    }
    put_u32(o, (uint32_t)s->nsources);
    for (size_t i = 0; i < s->nsources; i++) {
        const struct source *src = &s->sources[i];
        put_text(o, src->path);
        put_u8(o, (uint8_t)src->kind);
        put_u8(o, (uint8_t)(src->gzip != 0));
        put_u64(o, (uint64_t)src->size);
        put_u64(o, (uint64_t)src->mtime);
        put_u32(o, src->trail_account);
    }
    put_u64(o, s->problems.count);
    for (size_t i = 0; i < s->problems.count; i++) {
        const struct problem *p = &s->problems.rows[i];
        put_u8(o, (uint8_t)p->kind);
        put_u64(o, (uint64_t)p->offset);
        put_u64(o, (uint64_t)p->record);
        put_text(o, p->file);
        put_text(o, p->reason);
    }
    put_u64(o, x->nfiles);
    for (size_t i = 0; i < x->nfiles; i++) {
        const struct storefile_file *f = &x->files[i];
        put_text(o, f->path);
        put_text(o, f->etag ? f->etag : "");
        put_u64(o, f->dev);
        put_u64(o, f->ino);
        put_u64(o, (uint64_t)f->size);
        put_u64(o, (uint64_t)f->mtime_ns);
        put_u64(o, (uint64_t)f->ctime_ns);
        put_u32(o, f->source);
        put_u32(o, f->flags);
        put_u64(o, f->prob_first);
        put_u64(o, f->prob_count);
        put_counts(o, &f->counts);
    }
    put_u16(o, 0x5a5a); /* the end: a body cut at a record boundary still fails */
    flush(o);
    memset(head, 0, STOREFILE_HEAD);
    memcpy(head, magic, sizeof magic);
    uint32_t version = STOREFILE_VERSION, esize = EVENT_BYTES, crc = o->crc;
    memcpy(head + 8, &version, 4);
    memcpy(head + 12, &esize, 4);
    memcpy(head + 16, &o->total, 8);
    memcpy(head + 24, &crc, 4);
    int rc = o->rc;
    free(o);
    return rc;
}

/* ---- reading: a cursor that refuses to go past the end ---- */

struct in {
    const unsigned char *p;
    size_t left;
    int bad;
    int mapped; /* the bytes are a file mapped private: pages read may be dropped (a read maps them again) */
    void *map;  /* that mapping while it is the reader's, NULL once the strings took it over (or none) */
    size_t map_len;
};

/* Drops the whole pages of [p, p + n) from a mapped input once copied out: a reopen would otherwise hold
 * the file and the store it became at once, above the first load's peak. */
static void release(const struct in *r, const void *p, size_t n)
{
    if (!r->mapped || !p)
        return;
    const uintptr_t page = 4096, a = ((uintptr_t)p + page - 1) & ~(page - 1),
                    b = ((uintptr_t)p + n) & ~(page - 1);
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

static const void *get(struct in *r, size_t n)
{
    if (r->bad || r->left < n) {
        r->bad = 1;
        return NULL;
    }
    const void *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

#define GETTER(name, type)                                                                                   \
    static type name(struct in *r)                                                                           \
    {                                                                                                        \
        type v = 0;                                                                                          \
        const void *p = get(r, sizeof v);                                                                    \
        if (p)                                                                                               \
            memcpy(&v, p, sizeof v);                                                                         \
        return v;                                                                                            \
    }
GETTER(get_u8, uint8_t)
GETTER(get_u32, uint32_t)
GETTER(get_u64, uint64_t)
#undef GETTER

/* A text as a new NUL-terminated string (owned by the caller), or NULL (r->bad set) when it is too long,
 * holds a NUL or runs past the end. */
static char *get_text(struct in *r, int nonempty)
{
    uint32_t len = get_u32(r);
    const char *p = len <= MAX_TEXT ? get(r, len) : NULL;
    if (!p || (nonempty && len == 0) || memchr(p, '\0', len)) {
        r->bad = 1;
        return NULL;
    }
    char *s = malloc((size_t)len + 1);
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

/* A count of items of at least min bytes each: refused when the rest cannot hold that many. */
static uint64_t get_count(struct in *r, size_t min)
{
    uint64_t n = get_u64(r);
    if (n > r->left / min)
        r->bad = 1;
    return r->bad ? 0 : n;
}

static void get_counts(struct in *r, struct load_counts *c)
{
    uint64_t v[NCOUNTS];
    for (int i = 0; i < NCOUNTS; i++)
        v[i] = get_u64(r);
    *c = (struct load_counts){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
}

static int get_event(struct in *r, struct event *e, size_t nsources, size_t nlist, uint32_t nstrings)
{
    const unsigned char *p = get(r, EVENT_BYTES);
    if (!p)
        return -1;
#define UNPACK(v)                                                                                            \
    do {                                                                                                     \
        memcpy(&(v), p, sizeof(v));                                                                          \
        p += sizeof(v);                                                                                      \
    } while (0)
    memset(e, 0, sizeof *e);
    UNPACK(e->time_ms);
    UNPACK(e->raw_off);
    UNPACK(e->raw_len);
    UNPACK(e->source);
    UNPACK(e->list_first);
    UNPACK(e->res_count);
    UNPACK(e->piece_count);
    UNPACK(e->flags);
    UNPACK(e->rare);
    UNPACK(e->dense);
    UNPACK(e->uuid);
#undef UNPACK
    e->flags &= (uint16_t)~EVF_MARKED;
    uint64_t run = (uint64_t)__builtin_popcount(e->rare) + e->res_count + e->piece_count;
    if (e->source >= nsources || (uint64_t)e->list_first + run > nlist)
        return -1;
    for (int k = 0; k < EVENT_DENSE; k++)
        if (e->dense[k] >= nstrings)
            return -1;
    return 0;
}

static int get_seen(struct in *r, struct store *s)
{
    uint64_t slots = get_u64(r), nseen = get_u64(r);
    if (r->bad || (slots & (slots - 1)) || slots > r->left / sizeof *s->seen || nseen * 4 > slots * 3)
        return -1;
    if (!slots)
        return nseen ? -1 : 0;
    s->seen = big_alloc(slots * sizeof *s->seen);
    if (!s->seen)
        return -1;
    const void *from = get(r, slots * sizeof *s->seen);
    memcpy(s->seen, from, slots * sizeof *s->seen);
    release(r, from, slots * sizeof *s->seen);
    s->seen_slots = slots;
    s->nseen = nseen;
    uint64_t used = 0;
    for (size_t i = 0; i < slots; i++)
        used += s->seen[i] != 0;
    return used == nseen ? 0 : -1; /* a full table would make an insert probe for ever */
}

static int get_sources(struct in *r, struct store *s, uint32_t nstrings)
{
    uint32_t n = get_u32(r);
    if (r->bad || n > r->left / 26)
        return -1;
    s->sources = calloc(n ? n : 1, sizeof *s->sources);
    if (!s->sources)
        return -1;
    s->sources_cap = n ? n : 1;
    for (uint32_t i = 0; i < n; i++) {
        struct source *src = &s->sources[i];
        src->path = get_text(r, 1);
        if (!src->path)
            return -1;
        s->nsources++;
        uint8_t kind = get_u8(r), gzip = get_u8(r);
        src->size = (int64_t)get_u64(r);
        src->mtime = (int64_t)get_u64(r);
        src->trail_account = get_u32(r);
        if (r->bad || (kind != SOURCE_FILE && kind != SOURCE_RANGE) || gzip > 1 ||
            src->trail_account >= nstrings)
            return -1;
        src->kind = kind;
        src->gzip = gzip;
    }
    return 0;
}

static int get_problems(struct in *r, struct store *s)
{
    uint64_t n = get_count(r, 25);
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        uint8_t kind = get_u8(r);
        int64_t offset = (int64_t)get_u64(r), record = (int64_t)get_u64(r);
        char *file = get_text(r, 0), *reason = get_text(r, 0);
        if (!r->bad && kind <= PROBLEM_NOTE &&
            problems_add(&s->problems, kind, file, offset, record, "%s", reason) != 0)
            r->bad = 1;
        if (kind > PROBLEM_NOTE)
            r->bad = 1;
        free(file);
        free(reason);
    }
    return r->bad ? -1 : 0;
}

static int get_files(struct in *r, struct storefile *x)
{
    uint64_t n = get_count(r, 4 + 4 + 8 * 4 + 4 * 2 + 8 * 2 + 8 * NCOUNTS);
    x->files = calloc(n ? n : 1, sizeof *x->files);
    if (!x->files)
        return -1;
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        struct storefile_file *f = &x->files[i];
        f->path = get_text(r, 1);
        if (!f->path)
            return -1;
        x->nfiles++;
        if (!(f->etag = get_text(r, 0)))
            return -1;
        f->dev = get_u64(r);
        f->ino = get_u64(r);
        f->size = (int64_t)get_u64(r);
        f->mtime_ns = (int64_t)get_u64(r);
        f->ctime_ns = (int64_t)get_u64(r);
        f->source = get_u32(r);
        f->flags = get_u32(r);
        f->prob_first = get_u64(r);
        f->prob_count = get_u64(r);
        get_counts(r, &f->counts);
        size_t np = x->store->problems.count;
        if ((f->source != UINT32_MAX && f->source >= x->store->nsources) || f->prob_first > np ||
            f->prob_count > np - f->prob_first)
            return -1;
    }
    return r->bad ? -1 : 0;
}

static int get_body(struct in *r, const char *key, struct storefile *x, const char **why)
{
    struct store *s = x->store;
    char *k = get_text(r, 0);
    int foreign = !k || strcmp(k, key) != 0;
    free(k);
    if (foreign) {
        *why = "saved for other inputs";
        return -1;
    }
    *why = "damaged";
    get_counts(r, &s->counts);
    x->walk_problems = get_u64(r);
    x->walk_skipped = get_u64(r);
    x->walk_pruned = get_u64(r);
    uint32_t nstrings = get_u32(r);
    /* the block's length follows it: find it by the strings' own lengths, bounded by what is left */
    const unsigned char *block = r->p;
    size_t at = 0;
    for (uint32_t id = 1; id < nstrings && !r->bad; id++) {
        uint32_t slen;
        if (r->left - at < 4) {
            r->bad = 1;
            break;
        }
        memcpy(&slen, block + at, 4);
        if (r->left - at - 4 <= slen)
            r->bad = 1;
        else
            at += 4 + (size_t)slen + 1;
    }
    if (r->bad || !get(r, at) || get_u64(r) != at)
        return -1;
    intern_free(s->strings);
    if (r->map) { /* the strings stay in the mapping, which the table takes over */
        s->strings = intern_read_mapped((const char *)block, at, nstrings, r->map, r->map_len);
        if (s->strings)
            r->map = NULL;
    } else {
        s->strings = intern_read((const char *)block, at, nstrings);
        release(r, block, at);
    }
    if (!s->strings)
        return -1;
    uint64_t nevents = get_count(r, EVENT_BYTES);
    int lazy = r->mapped && !r->map; /* the strings keep the mapping: the events can stay in it too */
    if (!lazy) {
        s->events = big_alloc(nevents * sizeof *s->events);
        if (!s->events)
            return -1;
        s->cap = nevents ? nevents : 1;
    }
    const unsigned char *events_at = r->p;
    if (!get(r, nevents * EVENT_BYTES))
        return -1;
    s->nlist = get_count(r, sizeof *s->list_ids);
    s->list_ids = big_alloc(s->nlist * sizeof *s->list_ids);
    if (!s->list_ids || r->bad)
        return -1;
    s->list_cap = s->nlist ? s->nlist : 1;
    const void *ids = get(r, s->nlist * sizeof *s->list_ids);
    if (s->nlist) /* an empty list: ids may be NULL */
        memcpy(s->list_ids, ids, s->nlist * sizeof *s->list_ids);
    release(r, ids, s->nlist * sizeof *s->list_ids);
    for (size_t i = 0; i < s->nlist; i++)
        if (s->list_ids[i] >= nstrings)
            return -1;
    if (get_seen(r, s) != 0)
        return -1;
    uint64_t ndups = get_count(r, 16);
    s->dups = malloc((ndups ? ndups : 1) * sizeof *s->dups);
    if (!s->dups)
        return -1;
    s->dups_cap = ndups ? ndups : 1;
    for (uint64_t i = 0; i < ndups; i++) {
        s->dups[i].key = get_u64(r);
        s->dups[i].source = get_u32(r);
        s->dups[i].content = get_u32(r);
    }
    s->ndups = ndups;
    if (get_sources(r, s, nstrings) != 0)
        return -1;
    for (uint64_t i = 0; i < ndups; i++)
        if (s->dups[i].source >= s->nsources || s->dups[i].content > 1)
            return -1;
    /* the events last: their checks need the sources and the id list. Left packed in the mapping when
     * the strings keep it (storefile_event reads them, storefile_unpack makes the array): a partial
     * reopen reads each once, and an array of them was a hundred megabytes of fresh memory. */
    struct in ev = {events_at, nevents * EVENT_BYTES, 0, 0, NULL, 0};
    x->nevents = nevents;
    x->packed = lazy ? events_at : NULL;
    x->nstrings = nstrings;
    s->sorted = 1;
    int64_t last = INT64_MIN;
    for (size_t i = 0; i < nevents; i++) {
        struct event one = {0}, *e = lazy ? &one : &s->events[i];
        if (get_event(&ev, e, s->nsources, s->nlist, nstrings) != 0)
            return -1;
        s->nevents = lazy ? 0 : i + 1;
        if (e->time_ms < last)
            s->sorted = 0;
        last = e->time_ms;
        if (!lazy && ((i + 1) % 65536 == 0 || i + 1 == nevents)) /* behind the read, not after all of it */
            release(r, events_at + (i + 1 - ((i + 1) % 65536 ? (i + 1) % 65536 : 65536)) * EVENT_BYTES,
                    ((i + 1) % 65536 ? (i + 1) % 65536 : 65536) * EVENT_BYTES);
    }

    if (get_problems(r, s) != 0 || x->walk_problems > s->problems.count || get_files(r, x) != 0)
        return -1;
    const unsigned char *end = get(r, 2);
    return end && end[0] == 0x5a && end[1] == 0x5a && r->left == 0 ? 0 : -1;
}

struct sum {
    const unsigned char *body;
    uint64_t len;
    uint32_t crc;
};

/* The body's CRC-32. It drops no page: the reading, behind it, drops each once read (see release). */
static void *checksum(void *arg)
{
    struct sum *m = arg;
    m->crc = libdeflate_crc32(0, m->body, m->len);
    return NULL;
}

/* The head's body length and CRC: 0, or -1 with *err saying why it is refused. */
static int read_head(const char *bytes, size_t len, uint64_t *total, uint32_t *crc, char **err)
{
    if (len < STOREFILE_HEAD || memcmp(bytes, magic, sizeof magic) != 0)
        return errmsg_set(err, "not a saved index");
    uint32_t version, esize;
    memcpy(&version, bytes + 8, 4);
    memcpy(&esize, bytes + 12, 4);
    memcpy(total, bytes + 16, 8);
    memcpy(crc, bytes + 24, 4);
    if (version != STOREFILE_VERSION || esize != EVENT_BYTES)
        return errmsg_set(err, "saved by another version (%u)", version);
    if (*total != len - STOREFILE_HEAD)
        return errmsg_set(err, "truncated or extended (%zu bytes, %llu expected)", len - STOREFILE_HEAD,
                          (unsigned long long)*total);
    return 0;
}

int storefile_read(const char *bytes, size_t len, const char *key, int mapped, struct storefile **out,
                   char **err)
{
    *out = NULL;
    uint64_t total = 0;
    uint32_t crc = 0;
    void *map = mapped ? (void *)bytes : NULL; /* the caller's mapping, the read's now */
    if (read_head(bytes, len, &total, &crc, err) != 0) {
        if (map)
            munmap(map, len);
        return -1;
    }
    /* The checksum on another core while the body is read: the reading checks every bound itself, so
     * what it makes of a damaged body is only thrown away. */
    struct sum sum = {(const unsigned char *)bytes + STOREFILE_HEAD, total, 0};
    pthread_t t;
    int threaded = total >= (1u << 20) && pthread_create(&t, NULL, checksum, &sum) == 0;
    if (!threaded)
        checksum(&sum);
    struct storefile *x = calloc(1, sizeof *x);
    const char *why = "out of memory";
    int rc = -1;
    if (x && (x->store = store_new())) {
        struct in r = {sum.body, total, 0, mapped, map, len};
        why = "damaged";
        rc = get_body(&r, key, x, &why);
        map = r.map;
    }
    if (threaded)
        pthread_join(t, NULL);
    if (map)
        munmap(map, len); /* the strings did not take it: nothing points into it */
    if (sum.crc != crc) {
        rc = -1;
        why = "damaged (checksum)";
    }
    if (rc != 0) {
        storefile_free(x); /* and the mapping, when its strings took it */
        return errmsg_set(err, "%s", why);
    }
    *out = x;
    return 0;
}

void storefile_free(struct storefile *x)
{
    if (!x)
        return;
    store_free(x->store);
    for (size_t i = 0; i < x->nfiles; i++) {
        free(x->files[i].path);
        free(x->files[i].etag);
    }
    free(x->files);
    free(x);
}

void storefile_drop_packed(struct storefile *x)
{
    const struct in mapping = {NULL, 0, 0, 1, NULL, 0};
    if (x->packed)
        release(&mapping, x->packed, x->nevents * EVENT_BYTES);
    x->packed = NULL;
}

int storefile_event(const struct storefile *x, size_t i, struct event *e)
{
    if (i >= x->nevents)
        return -1;
    if (!x->packed) {
        *e = x->store->events[i];
        return 0;
    }
    struct in r = {x->packed + i * EVENT_BYTES, EVENT_BYTES, 0, 0, NULL, 0};
    return get_event(&r, e, x->store->nsources, x->store->nlist, x->nstrings);
}

int storefile_unpack(struct storefile *x)
{
    struct store *s = x->store;
    if (!x->packed)
        return 0;
    s->events = big_alloc((x->nevents ? x->nevents : 1) * sizeof *s->events);
    if (!s->events)
        return -1;
    s->cap = x->nevents ? x->nevents : 1;
    const struct in mapping = {NULL, 0, 0, 1, NULL, 0};
    for (size_t i = 0; i < x->nevents; i++) {
        if (storefile_event(x, i, &s->events[i]) != 0)
            return -1;
        if ((i + 1) % 65536 == 0) /* the packed pages behind the unpacking: not held twice */
            release(&mapping, x->packed + (i + 1 - 65536) * EVENT_BYTES, 65536 * EVENT_BYTES);
    }
    s->nevents = x->nevents;
    storefile_drop_packed(x);
    return 0;
}
