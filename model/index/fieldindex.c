/* fieldindex: per-field orders of the store's events. See fieldindex.h. */
#include "model/index/fieldindex.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/base/grow.h"
#include "model/base/hash.h"

struct fx_pair {
    uint64_t key; /* FX_VALUE: the folded hash; FX_ADDR: the IPv4 address, or an IPv6 address's top half */
    uint32_t ev;
    uint32_t id; /* store_str_id: equal strings, equal ids (or STORE_NO_ID) */
};

/* Keys already worked out, by string id: a value that repeats is read and hashed once (most are). */
#define MEMO_SLOTS 4096
struct fx_memo {
    uint32_t id;
    int family; /* FX_ADDR: 4, 6, or 0 when not an address */
    uint64_t key;
};

/* The radix sort orders pairs by 32 bits of the key, 8 bits a pass (a pass per step); fix_runs then
 * puts keys that share those bits in full order. */
#define RADIX_PASSES 4
#define PHASE_READ   0
#define PHASE_GROUP  (1 + RADIX_PASSES)

/* Positions looked at ahead of use: their events and strings are fetched while earlier ones are tested
 * (an index visits events out of order, and each would otherwise wait on memory twice). */
#define AHEAD 32

/* Distinct values are copied for pattern scans when there are at least this many events a value. */
#define TEXT_EVENTS 4

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ASCII upper-case letters to lower case, eight bytes at once (other bytes unchanged, as match.c folds). */
static uint64_t fold8(uint64_t w)
{
    uint64_t low7 = w & 0x7f7f7f7f7f7f7f7full;
    uint64_t ge_a = low7 + 0x3f3f3f3f3f3f3f3full; /* high bit set where the byte is >= 'A' */
    uint64_t gt_z = low7 + 0x2525252525252525ull; /* high bit set where the byte is > 'Z' */
    uint64_t upper = ge_a & ~gt_z & ~w & 0x8080808080808080ull;
    return w | (upper >> 2);
}

uint64_t fieldindex_hash(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ fold8(w)) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    if (i < len) {
        uint64_t w = 0;
        memcpy(&w, s + i, len - i);
        h = (h ^ fold8(w)) * 0x100000001b3ull;
    }
    return hash_mix64(h);
}

/* An address's sort key and family (4 or 6), or 0 when the string is not one address. */
static int addr_key(const char *str, size_t len, uint64_t *key)
{
    struct ipnet a;
    if (memchr(str, '/', len) || ipnet_parse(str, len, &a) != 0)
        return 0;
    uint64_t k = 0;
    int bytes = a.family == 4 ? 4 : 8;
    for (int i = 0; i < bytes; i++)
        k = k << 8 | a.addr[i];
    *key = k;
    return a.family;
}

static void index_free(struct fieldindex *x)
{
    if (!x)
        return;
    free(x->ev);
    free(x->start);
    free(x->mixed);
    free(x->tmp);
    free(x->alt);
    free(x->first);
    free(x->memo);
    free(x->text);
    free(x->text_off);
    free(x);
}

size_t fieldindex_bytes_of(const struct fieldindex *x)
{
    size_t words = (x->m + 63) / 64;
    return sizeof *x + x->m * sizeof *x->ev + (x->start ? 2 * words * sizeof *x->start : 0) +
           (x->text ? x->text_cap + (x->ngroups + 1) * sizeof *x->text_off : 0);
}

/* The store's indexes: derived data of the store (fieldindexes_ops), an array of EF__COUNT * FX__COUNT
 * pointers (owned, NULL where none was asked for). */
#define NSLOTS ((size_t)EF__COUNT * FX__COUNT)

static void slots_free(void *data)
{
    struct fieldindex **slots = data;
    for (size_t i = 0; i < NSLOTS; i++)
        index_free(slots[i]);
    free(slots);
}

static int slots_moved(void *data, struct store *s, const struct store_move *mv)
{
    (void)data, (void)s, (void)mv;
    return 1; /* indexed by event position: rebuilt on the next use */
}

static size_t slots_bytes(const void *data)
{
    struct fieldindex *const *slots = data;
    size_t n = 0;
    for (size_t i = 0; i < NSLOTS; i++)
        if (slots[i] && slots[i]->ready)
            n += fieldindex_bytes_of(slots[i]);
    return n;
}

static const struct store_derived_ops fieldindexes_ops = {
    .name = "field indexes",
    .free = slots_free,
    .events_moved = slots_moved,
    .bytes = slots_bytes,
};

static struct fieldindex **slot_of(const struct store *s, enum event_field f, enum fieldindex_order o)
{
    struct fieldindex **slots = store_derived_get(s, &fieldindexes_ops);
    return slots ? &slots[(size_t)f * FX__COUNT + o] : NULL;
}

void fieldindex_drop(struct store *s)
{
    store_derived_set(s, &fieldindexes_ops, NULL);
}

const struct fieldindex *fieldindex_get(const struct store *s, enum event_field f, enum fieldindex_order o)
{
    struct fieldindex **slot = slot_of(s, f, o);
    const struct fieldindex *x = slot ? *slot : NULL;
    return x && x->ready && x->nevents == s->nevents ? x : NULL;
}

static const char *str_of(const struct store *s, const struct fieldindex *x, uint32_t ev)
{
    return store_str(s, &s->events[ev], x->field);
}

/* The key of a string: its folded hash, or its address (family 0 when it is not one). */
static uint64_t key_of(const struct fieldindex *x, const char *str, int *family)
{
    size_t len = strlen(str);
    uint64_t key = 0;
    if (x->order == FX_VALUE) {
        *family = 1;
        return fieldindex_hash(str, len);
    }
    *family = addr_key(str, len, &key);
    return key;
}

/* The pair of field x->field of event i into tmp, when present (and an address, for FX_ADDR). */
static void read_one(const struct store *s, struct fieldindex *x, size_t i)
{
    const struct event *e = &s->events[i];
    uint32_t id = store_str_id(s, e, x->field);
    if (id == 0)
        return; /* absent (or an empty string, which is absent to the filter too) */
    int family;
    uint64_t key;
    struct fx_memo *m = id != STORE_NO_ID ? &x->memo[id % MEMO_SLOTS] : NULL;
    if (m && m->id == id) {
        family = m->family;
        key = m->key;
    } else {
        const char *str = store_str(s, e, x->field);
        if (!*str)
            return;
        key = key_of(x, str, &family);
        if (m)
            *m = (struct fx_memo){id, family, key};
    }
    if (family == 1 || family == 4)
        x->tmp[x->order == FX_VALUE ? x->m++ : x->nv4++] = (struct fx_pair){key, (uint32_t)i, id};
    else if (family == 6)
        x->tmp[s->nevents - 1 - x->nv6++] = (struct fx_pair){key, (uint32_t)i, id};
}

/* Starts fetching the string of event i unless its key is known already. */
static void fetch_ahead(const struct store *s, const struct fieldindex *x, size_t i)
{
    const struct event *e = &s->events[i];
    uint32_t id = store_str_id(s, e, x->field);
    if (id != 0 && (id == STORE_NO_ID || x->memo[id % MEMO_SLOTS].id != id))
        __builtin_prefetch(store_str(s, e, x->field));
}

/* Reads events [from, from + work) for every index of xs (all at `from`), each event's line once. */
static void read_keys(const struct store *s, struct fieldindex **xs, int n, size_t from, size_t work)
{
    size_t end = s->nevents - from < work ? s->nevents : from + work;
    for (size_t i = from; i < end; i++)
        for (int k = 0; k < n; k++) {
            if (i + AHEAD < end)
                fetch_ahead(s, xs[k], i + AHEAD);
            read_one(s, xs[k], i);
        }
    for (int k = 0; k < n; k++) {
        struct fieldindex *x = xs[k];
        x->done = end;
        if (x->done < s->nevents)
            continue;
        if (x->order == FX_ADDR) {
            /* the IPv6 pairs, written from the end, go right after the IPv4 ones */
            memmove(x->tmp + x->nv4, x->tmp + s->nevents - x->nv6, x->nv6 * sizeof *x->tmp);
            x->m = x->nv4 + x->nv6;
        }
        free(x->memo);
        x->memo = NULL;
        x->phase++;
        x->done = 0;
    }
}

/* One stable counting pass of pairs [lo, hi) from src to dst on the key's byte at shift. */
static void radix_pass(const struct fx_pair *src, struct fx_pair *dst, size_t lo, size_t hi, int shift)
{
    size_t count[257] = {0};
    for (size_t i = lo; i < hi; i++)
        count[((src[i].key >> shift) & 0xff) + 1]++;
    for (int d = 0; d < 256; d++)
        count[d + 1] += count[d];
    for (size_t i = lo; i < hi; i++)
        dst[lo + count[(src[i].key >> shift) & 0xff]++] = src[i];
}

static int pair_cmp(const void *a, const void *b)
{
    const struct fx_pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->ev < y->ev ? -1 : x->ev > y->ev;
}

/* Pairs [lo, hi) are in order of the 32 bits the radix passes sorted (the top half, unless whole): runs that
 * share them and are out of order are sorted in full. Runs of one value are already in order, and
 * different keys sharing 32 bits are rare unless made on purpose, which costs a sort, not a quadratic. */
static void fix_runs(struct fx_pair *a, size_t lo, size_t hi, int whole)
{
    if (whole)
        return; /* the radix passes saw every bit of the key */
    uint64_t mask = ~0ull << 32;
    for (size_t i = lo; i < hi;) {
        size_t j = i + 1, sorted = 1;
        while (j < hi && (a[j].key & mask) == (a[i].key & mask)) {
            sorted &= pair_cmp(&a[j - 1], &a[j]) <= 0;
            j++;
        }
        if (!sorted)
            qsort(a + i, j - i, sizeof *a, pair_cmp);
        i = j;
    }
}

static void warm(const struct store *s, const struct fieldindex *x, const size_t *pos, size_t n)
{
    for (size_t j = 0; j < n; j++)
        __builtin_prefetch(&s->events[x->ev[pos[j]]]);
    for (size_t j = 0; j < n; j++)
        __builtin_prefetch(str_of(s, x, x->ev[pos[j]]));
}

/* Keeps a copy of the string of the group starting at k, to compare the group's other events with
 * when the store has no ids for them (store_str's result is only read before the next call). */
static int keep_first(const struct store *s, struct fieldindex *x, size_t k)
{
    const char *str = str_of(s, x, x->ev[k]);
    size_t len = strlen(str);
    if (len + 1 > x->first_cap) {
        char *b = realloc(x->first, len + 1);
        if (!b)
            return -1;
        x->first = b;
        x->first_cap = len + 1;
    }
    memcpy(x->first, str, len + 1);
    return 0;
}

/* Appends the string of the group starting at k to the text. */
static int add_text(const struct store *s, struct fieldindex *x, size_t k)
{
    const char *str = str_of(s, x, x->ev[k]);
    size_t len = strlen(str);
    if (x->text_len + len + 1 > UINT32_MAX)
        return -1;
    if (grow_array_from((void **)&x->text, &x->text_cap, x->text_len + len + 1, 1, 4096) != 0)
        return -1;
    x->text_off[x->text_groups++] = (uint32_t)x->text_len;
    memcpy(x->text + x->text_len, str, len + 1);
    x->text_len += len + 1;
    return 0;
}

static size_t group_end(const struct fieldindex *x, size_t k);

/* Copies the groups' strings into the text, about `work` groups a call (fetching ahead). Returns 1 when
 * done, 0 when more remain, -1 when out of memory. */
static int gather_text(const struct store *s, struct fieldindex *x, size_t work)
{
    size_t pos[AHEAD + 1];
    while (x->tpos < x->m && work) {
        size_t n = 0;
        pos[0] = x->tpos;
        while (n < AHEAD && pos[n] < x->m) {
            pos[n + 1] = group_end(x, pos[n]);
            n++;
        }
        warm(s, x, pos, n);
        for (size_t j = 0; j < n; j++)
            if (add_text(s, x, pos[j]) != 0)
                return -1;
        x->tpos = pos[n];
        work = work > n ? work - n : 0;
    }
    if (x->tpos < x->m)
        return 0;
    x->text_off[x->text_groups] = (uint32_t)x->text_len;
    char *t = realloc(x->text, x->text_len ? x->text_len : 1);
    if (t) {
        x->text = t;
        x->text_cap = x->text_len ? x->text_len : 1;
    }
    return 1;
}

/* The sorted pairs become the index: event numbers and group starts at once, then mixed groups marked
 * by about `work` positions a call. Returns 1 when done, 0 when more remain, -1 when out of memory. */
static int finish(const struct store *s, struct fieldindex *x, size_t work)
{
    size_t m = x->m, words = (m + 63) / 64;
    if (!x->ev) {
        x->ev = malloc((m ? m : 1) * sizeof *x->ev);
        if (!x->ev)
            return -1;
        for (size_t k = 0; k < m; k++)
            x->ev[k] = x->tmp[k].ev;
        x->done = 0;
        if (x->order == FX_VALUE) {
            x->start = calloc(words ? words : 1, sizeof *x->start);
            x->mixed = calloc(words ? words : 1, sizeof *x->mixed);
            if (!x->start || !x->mixed)
                return -1;
            for (size_t k = 0; k < m; k++)
                if (k == 0 || x->tmp[k].key != x->tmp[k - 1].key) {
                    x->start[k / 64] |= 1ull << (k % 64);
                    x->ngroups++;
                }
            if (x->ngroups * TEXT_EVENTS <= m &&
                !(x->text_off = malloc((x->ngroups + 1) * sizeof *x->text_off)))
                return -1;
        }
        free(x->alt);
        x->alt = NULL;
        if (x->order == FX_VALUE)
            return 0;
        x->done = m;
    }
    /* A group's strings are compared with its first (by id where the store has them): equal hashes of
     * different strings (case variants, or a collision) are tested event by event. */
    size_t end = m - x->done < work ? m : x->done + work;
    for (size_t k = x->done; k < end; k++) {
        uint32_t id = x->tmp[k].id;
        if (x->start[k / 64] >> (k % 64) & 1) {
            int single = k + 1 >= m || x->tmp[k + 1].key != x->tmp[k].key;
            x->group = k;
            if (!single && id == STORE_NO_ID && keep_first(s, x, k) != 0)
                return -1;
            continue;
        }
        uint32_t first = x->tmp[x->group].id;
        int differs = id != STORE_NO_ID && first != STORE_NO_ID
                          ? id != first
                          : strcmp(str_of(s, x, x->ev[k]), x->first) != 0;
        if (differs)
            x->mixed[x->group / 64] |= 1ull << (x->group % 64);
    }
    x->done = end;
    if (x->done < m)
        return 0;
    if (x->text_off) {
        int r = gather_text(s, x, work);
        if (r <= 0)
            return r;
    }
    free(x->tmp);
    free(x->first);
    x->tmp = NULL;
    x->first = NULL;
    x->first_cap = 0;
    x->ready = 1;
    return 1;
}

/* One sort pass over each of the index's ranges (the FX_ADDR families sort apart). */
static void sort_pass(struct fieldindex *x, int pass)
{
    size_t bounds[3] = {0, x->order == FX_ADDR ? x->nv4 : x->m, x->m};
    int nranges = x->order == FX_ADDR ? 2 : 1;
    /* IPv4 keys have 32 bits; the others are sorted on their top 32, then fixed up */
    int whole[2] = {x->order == FX_ADDR, 0};
    for (int r = 0; r < nranges; r++)
        radix_pass(x->tmp, x->alt, bounds[r], bounds[r + 1], (whole[r] ? 0 : 32) + 8 * pass);
    struct fx_pair *t = x->tmp;
    x->tmp = x->alt;
    x->alt = t;
    if (pass == RADIX_PASSES - 1)
        for (int r = 0; r < nranges; r++)
            fix_runs(x->tmp, bounds[r], bounds[r + 1], whole[r]);
}

/* The store's index of field f in order o, created (or made anew when stale). NULL when out of memory. */
static struct fieldindex *index_for(struct store *s, enum event_field f, enum fieldindex_order o)
{
    if (!store_derived_get(s, &fieldindexes_ops)) {
        struct fieldindex **slots = calloc(NSLOTS, sizeof *slots);
        if (!slots || store_derived_set(s, &fieldindexes_ops, slots) != 0) {
            free(slots);
            return NULL;
        }
    }
    struct fieldindex **slot = slot_of(s, f, o);
    struct fieldindex *x = *slot;
    if (x && x->nevents != s->nevents) {
        index_free(x);
        *slot = x = NULL;
    }
    if (!x) {
        if (!(x = calloc(1, sizeof *x)))
            return NULL;
        x->field = f;
        x->order = o;
        x->nevents = s->nevents;
        *slot = x;
    }
    return x;
}

/* A step of the index's sort or of its finish. Returns 0, or -1 when out of memory. */
static int step(struct store *s, struct fieldindex *x, size_t work)
{
    if (x->phase < PHASE_GROUP) {
        if (!x->alt && !(x->alt = malloc((x->m ? x->m : 1) * sizeof *x->alt)))
            return -1;
        sort_pass(x, x->phase - 1);
        x->phase++;
        return 0;
    }
    return finish(s, x, work) < 0 ? -1 : 0;
}

/* Whether field x->field has few distinct values (FEW_VALUES or fewer among SAMPLE events spread over a
 * store of at least SAMPLE_MIN events): then the event-by-event test is cheap (its memo stays in cache)
 * and an index would cost 4 bytes an event for little. */
#define SAMPLE     1024
#define SAMPLE_MIN 4096
#define FEW_VALUES 64

static int id_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int has_few_values(const struct store *s, const struct fieldindex *x)
{
    if (s->nevents < SAMPLE_MIN)
        return 0;
    uint32_t ids[SAMPLE];
    for (size_t k = 0; k < SAMPLE; k++)
        ids[k] = store_str_id(s, &s->events[k * (s->nevents / SAMPLE)], x->field);
    qsort(ids, SAMPLE, sizeof *ids, id_cmp);
    size_t distinct = 0;
    for (size_t k = 0; k < SAMPLE; k++)
        if (ids[k] == STORE_NO_ID || (ids[k] != 0 && (k == 0 || ids[k] != ids[k - 1])))
            distinct++;
    return distinct <= FEW_VALUES;
}

int fieldindex_want(struct store *s, const enum event_field *f, int nf, enum fieldindex_order o)
{
    struct fieldindex *xs[EF__COUNT];
    int many = 0, want = 1;
    for (int k = 0; k < nf && k < EF__COUNT; k++) {
        struct fieldindex *x = xs[k] = index_for(s, f[k], o);
        if (!x)
            return -1;
        if (!x->sampled) {
            x->few = has_few_values(s, x);
            x->sampled = 1;
        }
        many |= !x->few || x->ready || x->tmp;
    }
    for (int k = 0; many && k < nf && k < EF__COUNT; k++)
        if (!xs[k]->ready && !xs[k]->tmp && xs[k]->uses++ == 0)
            want = 0;
    return many && want;
}

int fieldindex_build(struct store *s, const enum event_field *f, int nf, enum fieldindex_order o, size_t work)
{
    double t0 = cpu_ms();
    struct fieldindex *reading[EF__COUNT];
    int nread = 0, ready = 1;
    size_t from = SIZE_MAX;
    work = work ? work : 1;
    for (int k = 0; k < nf; k++) {
        struct fieldindex *x = index_for(s, f[k], o);
        if (!x)
            return -1;
        if (x->ready)
            continue;
        ready = 0;
        if (x->phase != PHASE_READ) {
            if (step(s, x, work) != 0)
                return -1;
            continue;
        }
        if (!x->tmp && (!(x->tmp = malloc((s->nevents ? s->nevents : 1) * sizeof *x->tmp)) ||
                        !(x->memo = calloc(MEMO_SLOTS, sizeof *x->memo))))
            return -1;
        /* indexes started together read together; one started apart catches up on its own */
        if (x->done < from) {
            from = x->done;
            nread = 0;
        }
        if (x->done == from && nread < EF__COUNT)
            reading[nread++] = x;
    }
    if (nread)
        read_keys(s, reading, nread, from, work);
    double spent = (cpu_ms() - t0) / (nf ? nf : 1);
    for (int k = 0; k < nf; k++)
        (*slot_of(s, f[k], o))->build_ms += spent;
    return ready;
}

static void set_bit(uint64_t *hits, uint32_t ev)
{
    hits[ev / 64] |= 1ull << (ev % 64);
}

static int bit(const uint64_t *bits, size_t k)
{
    return (int)(bits[k / 64] >> (k % 64) & 1);
}

/* The end of the group starting at k: the next start, or m. */
static size_t group_end(const struct fieldindex *x, size_t k)
{
    size_t w = (k + 1) / 64, words = (x->m + 63) / 64;
    if (w >= words)
        return x->m;
    uint64_t b = x->start[w] & (~0ull << ((k + 1) % 64));
    while (!b && ++w < words)
        b = x->start[w];
    return b ? w * 64 + (size_t)__builtin_ctzll(b) : x->m;
}

static int passes(const struct store *s, const struct fieldindex *x, uint32_t ev, fieldindex_test_fn test,
                  const void *ctx)
{
    const char *str = str_of(s, x, ev);
    return test(ctx, str, strlen(str));
}

/* Tests the group [k, end): once, or each event when its strings differ. */
static void test_group(const struct store *s, const struct fieldindex *x, size_t k, size_t end,
                       fieldindex_test_fn test, const void *ctx, uint64_t *hits)
{
    if (!bit(x->mixed, k)) {
        if (!passes(s, x, x->ev[k], test, ctx))
            return;
        for (size_t j = k; j < end; j++)
            set_bit(hits, x->ev[j]);
        return;
    }
    for (size_t j = k; j < end; j++)
        if (passes(s, x, x->ev[j], test, ctx))
            set_bit(hits, x->ev[j]);
}

void fieldindex_scan(const struct store *s, const struct fieldindex *x, fieldindex_test_fn test,
                     const void *ctx, uint64_t *hits)
{
    if (x->text) {
        for (size_t k = 0, g = 0; k < x->m; g++) {
            size_t end = group_end(x, k);
            if (x->mixed[k / 64] >> (k % 64) & 1)
                test_group(s, x, k, end, test, ctx, hits);
            else if (test(ctx, x->text + x->text_off[g], x->text_off[g + 1] - x->text_off[g] - 1))
                for (size_t j = k; j < end; j++)
                    set_bit(hits, x->ev[j]);
            k = end;
        }
        return;
    }
    size_t pos[AHEAD + 1];
    for (size_t k = 0; k < x->m;) {
        size_t n = 0;
        pos[0] = k;
        while (n < AHEAD && pos[n] < x->m) {
            pos[n + 1] = group_end(x, pos[n]);
            n++;
        }
        warm(s, x, pos, n);
        for (size_t j = 0; j < n; j++)
            test_group(s, x, pos[j], pos[j + 1], test, ctx, hits);
        k = pos[n];
    }
}

/* The first position in [lo, hi) whose key is >= key (reading each probe's string). */
static size_t lower_bound(const struct store *s, const struct fieldindex *x, size_t lo, size_t hi,
                          uint64_t key)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *str = str_of(s, x, x->ev[mid]);
        uint64_t k = 0;
        if (x->order == FX_VALUE)
            k = fieldindex_hash(str, strlen(str));
        else
            addr_key(str, strlen(str), &k);
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void fieldindex_exact(const struct store *s, const struct fieldindex *x, const char *lit, size_t len,
                      fieldindex_test_fn test, const void *ctx, uint64_t *hits)
{
    uint64_t h = fieldindex_hash(lit, len);
    size_t k = lower_bound(s, x, 0, x->m, h);
    if (k >= x->m)
        return;
    const char *str = str_of(s, x, x->ev[k]);
    if (fieldindex_hash(str, strlen(str)) != h)
        return;
    test_group(s, x, k, group_end(x, k), test, ctx, hits);
}

void fieldindex_net(const struct store *s, const struct fieldindex *x, const struct ipnet *net,
                    uint64_t *hits)
{
    size_t lo = net->family == 4 ? 0 : x->nv4, hi = net->family == 4 ? x->nv4 : x->m;
    int bits = net->family == 4 ? 32 : 64;
    uint64_t top = 0;
    for (int i = 0; i < bits / 8; i++)
        top = top << 8 | net->addr[i];
    int prefix = net->prefix < bits ? net->prefix : bits;
    uint64_t full = bits == 64 ? ~0ull : (1ull << 32) - 1;
    uint64_t span = prefix >= bits ? 0 : full >> prefix;
    uint64_t first = top & ~span, last = first | span;
    size_t a = lower_bound(s, x, lo, hi, first);
    size_t b = last == ~0ull ? hi : lower_bound(s, x, a, hi, last + 1);
    /* An IPv6 prefix past 64 bits: the range holds the /64, each address is checked. */
    int check = net->family == 6 && net->prefix > 64;
    for (size_t k = a; k < b; k++) {
        if (check) {
            const char *str = str_of(s, x, x->ev[k]);
            if (!ipnet_contains(net, str, strlen(str)))
                continue;
        }
        set_bit(hits, x->ev[k]);
    }
}
