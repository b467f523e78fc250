#include "model/store/store.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"
#include "model/base/errmsg.h"
#include "model/base/hash.h"
#include "model/json/jsonfmt.h"
#include "model/base/timefmt.h"

static const char *const field_paths[EF__COUNT] = {
#define X(e, path) [e] = path,
    EVENT_FIELDS(X)
#undef X
};

const char *event_field_path(enum event_field f)
{
    return f < EF__COUNT ? field_paths[f] : "";
}

struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->strings = intern_new();
    if (!s->strings) {
        free(s);
        return NULL;
    }
    problems_init(&s->problems);
    for (size_t i = 0; i < STORE_CACHE_SLOTS; i++)
        s->cache[i].source = UINT32_MAX;
    s->sorted = 1;
    return s;
}

/* Frees entry k's data and removes it, keeping the others in registration order. */
static void derived_remove(struct store *s, size_t k)
{
    struct store_derived d = s->derived[k];
    memmove(s->derived + k, s->derived + k + 1, (s->nderived - k - 1) * sizeof *s->derived);
    s->nderived--;
    if (d.ops->free)
        d.ops->free(d.data);
}

void *store_derived_get(const struct store *s, const struct store_derived_ops *ops)
{
    for (size_t k = 0; k < s->nderived; k++)
        if (s->derived[k].ops == ops)
            return s->derived[k].data;
    return NULL;
}

int store_derived_set(struct store *s, const struct store_derived_ops *ops, void *data)
{
    for (size_t k = 0; k < s->nderived; k++) {
        if (s->derived[k].ops != ops)
            continue;
        void *old = s->derived[k].data;
        if (!data) {
            derived_remove(s, k); /* frees old */
            return 0;
        }
        s->derived[k].data = data;
        if (old != data && ops->free)
            ops->free(old);
        return 0;
    }
    if (!data)
        return 0;
    if (grow_array((void **)&s->derived, &s->derived_cap, s->nderived + 1, sizeof *s->derived) != 0)
        return -1;
    s->derived[s->nderived++] = (struct store_derived){ops, data};
    return 0;
}

/* Tells every derived data that the events moved; drops the ones that do not follow. */
static void derived_moved(struct store *s, const struct store_move *mv)
{
    for (size_t k = 0; k < s->nderived;) {
        const struct store_derived_ops *ops = s->derived[k].ops;
        if (ops->events_moved && ops->events_moved(s->derived[k].data, s, mv) != 0)
            derived_remove(s, k);
        else
            k++;
    }
}

void store_free(struct store *s)
{
    if (!s)
        return;
    /* first: a path index build on worker threads reads the sources */
    while (s->nderived)
        derived_remove(s, 0);
    free(s->derived);
    for (size_t i = 0; i < s->nsources; i++) {
        free(s->sources[i].path);
        free(s->sources[i].data);
    }
    free(s->sources);
    free(s->events);
    free(s->list_ids);
    free(s->seen);
    free(s->dups);
    for (size_t i = 0; i < STORE_CACHE_SLOTS; i++)
        free(s->cache[i].data);
    free(s->unescaped);
    free(s->range_buf);
    problems_clear(&s->problems);
    intern_free(s->strings);
    free(s);
}

void store_set_reader(struct store *s, store_reader_fn reader)
{
    s->reader = reader;
}

void store_set_range_reader(struct store *s, store_range_reader_fn reader)
{
    s->range_reader = reader;
}

/* The bytes of an event of a SOURCE_RANGE source, read alone into range_buf. */
static const char *range_get(struct store *s, const struct source *src, const struct event *e, char **err)
{
    if (!s->range_reader) {
        *err = strdup("no reader for large file sources");
        return NULL;
    }
    if (e->raw_len > s->range_cap || !s->range_buf) {
        char *b = realloc(s->range_buf, e->raw_len ? e->raw_len : 1);
        if (!b) {
            *err = strdup("out of memory");
            return NULL;
        }
        s->range_buf = b;
        s->range_cap = e->raw_len;
    }
    if (s->range_reader(src, e->raw_off, s->range_buf, e->raw_len, err) != 0)
        return NULL;
    return s->range_buf;
}

uint32_t store_add_source(struct store *s, const char *path, enum source_kind kind, int gzip, int64_t size,
                          int64_t mtime, const char *trail_account, char *data, size_t data_len)
{
    char *p = strdup(path);
    uint32_t acct = trail_account ? intern_add(s->strings, trail_account, strlen(trail_account)) : 0;
    if (!p || acct == UINT32_MAX || s->nsources >= UINT32_MAX - 1 ||
        grow_array((void **)&s->sources, &s->sources_cap, s->nsources + 1, sizeof *s->sources) != 0) {
        free(p);
        free(data);
        return UINT32_MAX;
    }
    s->sources[s->nsources] = (struct source){
        .path = p,
        .kind = kind,
        .gzip = gzip,
        .size = size,
        .mtime = mtime,
        .trail_account = acct,
        .data = data,
        .data_len = data_len,
    };
    return (uint32_t)s->nsources++;
}

static uint64_t hash_bytes64(const char *p, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    for (; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    return h;
}

static int seen_grow(struct store *s)
{
    size_t n = s->seen_slots ? s->seen_slots * 2 : 4096;
    uint64_t *t = calloc(n, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < s->seen_slots; i++) {
        uint64_t k = s->seen[i];
        if (!k)
            continue;
        size_t j = hash_mix64(k) & (n - 1);
        while (t[j])
            j = (j + 1) & (n - 1);
        t[j] = k;
    }
    free(s->seen);
    s->seen = t;
    s->seen_slots = n;
    return 0;
}

/* Inserts key; returns 1 if it was new, 0 if already there, -1 when out of memory. */
static int seen_insert(struct store *s, uint64_t key)
{
    if ((s->nseen + 1) * 4 > s->seen_slots * 3 && seen_grow(s) != 0)
        return -1;
    size_t mask = s->seen_slots - 1, j = hash_mix64(key) & mask;
    for (; s->seen[j]; j = (j + 1) & mask)
        if (s->seen[j] == key)
            return 0;
    s->seen[j] = key;
    s->nseen++;
    return 1;
}

uint64_t store_content_hash(const char *text, size_t len, char *scratch)
{
    return hash_bytes64(scratch, jsonfmt_minify(text, len, scratch)) | 1;
}

const struct store_binary_field store_binary_fields[2] = {
    {EF_EVENT_ID, 0, EVF_ID_UUID, EVF_ID_UPPER, 0},
    {EF_REQUEST_ID, 1, EVF_REQ_UUID, EVF_REQ_UPPER, EVF_REQ_HEX16},
};

/* Digit value of a hex character, 16 for any other byte; a letter's case is or-ed into *cases (1: lower,
 * 2: upper). */
static int hex_value(unsigned char c, int *cases)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f') {
        *cases |= 1;
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        *cases |= 2;
        return c - 'A' + 10;
    }
    return 16;
}

int store_uuid_parse(const char *text, size_t len, uint8_t bin[16], int *upper)
{
    if (len != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return 0;
    int cases = 0, n = 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            continue;
        int hi = hex_value((unsigned char)text[i], &cases);
        int lo = hex_value((unsigned char)text[++i], &cases);
        if (hi > 15 || lo > 15)
            return 0;
        bin[n++] = (uint8_t)(hi << 4 | lo);
    }
    if (cases == 3)
        return 0; /* mixed case: kept as written, interned */
    *upper = cases == 2;
    return 1;
}

/* Parses 16 upper-case hex digits (S3's request ids) into bin[0..8), zeroing the rest; 0 if not. */
static int hex16_parse(const char *text, size_t len, uint8_t bin[16])
{
    if (len != 16)
        return 0;
    int cases = 0;
    memset(bin, 0, 16);
    for (size_t i = 0; i < 16; i += 2) {
        int hi = hex_value((unsigned char)text[i], &cases),
            lo = hex_value((unsigned char)text[i + 1], &cases);
        if (hi > 15 || lo > 15)
            return 0;
        bin[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (cases & 1) == 0;
}

static void uuid_format(const uint8_t bin[16], int upper, char out[STORE_UUID_TEXT])
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = digits[bin[i] >> 4];
        *p++ = digits[bin[i] & 15];
    }
    *p = '\0';
}

int store_uuid_equals(const struct store *s, const struct event *e, enum event_field f, const uint8_t bin[16],
                      int upper)
{
    const struct store_binary_field *b = store_binary_field(f);
    return store_field_binary(s, e, f) && !(e->flags & b->upper) == !upper && !(e->flags & b->hex16) &&
           memcmp(e->uuid[b->slot], bin, 16) == 0;
}

const char *store_field_text(const struct store *s, const struct event *e, enum event_field f, char *buf,
                             size_t *len)
{
    if (store_field_binary(s, e, f)) {
        const struct store_binary_field *b = store_binary_field(f);
        if (e->flags & b->hex16) {
            static const char digits[] = "0123456789ABCDEF";
            for (int i = 0; i < 8; i++) {
                buf[2 * i] = digits[e->uuid[b->slot][i] >> 4];
                buf[2 * i + 1] = digits[e->uuid[b->slot][i] & 15];
            }
            buf[16] = '\0';
            *len = 16;
            return buf;
        }
        uuid_format(e->uuid[b->slot], (e->flags & b->upper) != 0, buf);
        *len = STORE_UUID_TEXT - 1;
        return buf;
    }
    uint32_t id = store_field(s, e, f);
    *len = intern_len(s->strings, id);
    return intern_str(s->strings, id);
}

/* Holds text (field f's) in binary in e when it is a UUID (or, for requestID, S3's 16 hex digits);
 * returns whether it did. */
static int parse_uuid(struct event *e, const struct strref *text, enum event_field f)
{
    const struct store_binary_field *b = store_binary_field(f);
    int upper;
    if (store_uuid_parse(text->s, text->len, e->uuid[b->slot], &upper)) {
        e->flags |= b->held | (upper ? b->upper : 0);
        return 1;
    }
    if (b->hex16 && hex16_parse(text->s, text->len, e->uuid[b->slot])) {
        e->flags |= b->held | b->hex16;
        return 1;
    }
    return 0;
}

/* parse_uuid of in's field f, or what a loader's worker made of it already (in->binary). */
static int take_uuid(struct event *e, const struct event_in *in, enum event_field f)
{
    if (!in->binary)
        return parse_uuid(e, &in->f[f], f);
    const struct store_binary_field *b = store_binary_field(f);
    memcpy(e->uuid[b->slot], in->binary->uuid[b->slot], sizeof e->uuid[b->slot]);
    e->flags |= in->binary->flags & (b->held | b->upper | b->hex16);
    return (in->binary->flags & b->held) != 0;
}

void store_binary_take(const struct event_in *in, struct event_binary *out)
{
    struct event e = {0};
    parse_uuid(&e, &in->f[EF_EVENT_ID], EF_EVENT_ID);
    parse_uuid(&e, &in->f[EF_REQUEST_ID], EF_REQUEST_ID);
    out->flags = e.flags;
    memcpy(out->uuid, e.uuid, sizeof out->uuid);
}

/* The dedupe key of eventID (event_id, or the binary UUID in e) + account, never 0 for a present
 * eventID. */
static uint64_t event_id_key(const struct event *e, uint32_t event_id, uint32_t account)
{
    if (!(e->flags & EVF_ID_UUID))
        return (uint64_t)event_id << 32 | account;
    uint64_t a, b;
    memcpy(&a, e->uuid[0], 8);
    memcpy(&b, e->uuid[0] + 8, 8);
    /* 64 bits of 128 (+ case and account): two distinct ids share a key with odds of 1 in 10^19 a pair,
     * as the content hash below already does for records without an account */
    return hash_mix64(a ^ hash_mix64(b ^ ((uint64_t)account << 1 | (e->flags & EVF_ID_UPPER ? 1 : 0)))) |
           1ull << 63;
}

static uint32_t add_string(struct store *s, const struct event_in *in, size_t k, const struct strref *r)
{
    return in->hashes ? intern_add_hashed(s->strings, r->s, r->len, in->hashes[k])
                      : intern_add(s->strings, r->s, r->len);
}

/* A piece: most are one event's alone (request parameters, response elements) and turn cold, compressed
 * (intern.h). */
static uint32_t add_piece(struct store *s, const struct event_in *in, size_t k, const struct strref *r)
{
    return intern_add_piece(s->strings, r->s, r->len, in->hashes ? in->hashes[k] : intern_hash(r->s, r->len));
}

/* Puts the field ids into e: the dense ones in place, the rare ones present as a run at the end of the
 * store's id list (room for EVENT_RARE more was made). */
static void pack_fields(struct store *s, struct event *e, const uint32_t id[EF__COUNT])
{
    uint32_t rare[EVENT_RARE];
    for (int f = 0; f < EF__COUNT; f++) {
        unsigned slot = event_field_slot[f];
        if (slot < EVENT_DENSE) {
            e->dense[slot] = id[f];
        } else if (id[f]) {
            e->rare |= (uint16_t)(1u << (slot - EVENT_DENSE));
            rare[slot - EVENT_DENSE] = id[f];
        }
    }
    e->list_first = (uint32_t)s->nlist;
    for (unsigned k = 0; k < EVENT_RARE; k++)
        if (e->rare & (1u << k))
            s->list_ids[s->nlist++] = rare[k];
}

enum add_result store_add_event(struct store *s, uint32_t source, const struct event_in *in)
{
    struct event e = {
        .time_ms = in->time_ms,
        .raw_off = in->raw_off,
        .raw_len = in->raw_len,
        .source = source,
        .flags = (uint16_t)(in->flags & ~EVF_MARKED), /* a mark is the user's, never a parser's */
    };
    uint32_t id[EF__COUNT] = {0};
    /* The dedupe key first: a duplicate (a third of a multi-region tree) costs no further interning. */
    static const enum event_field key_fields[] = {EF_EVENT_ID, EF_ACCOUNT, EF_UI_ACCOUNT};
    for (size_t k = 0; k < sizeof key_fields / sizeof *key_fields; k++) {
        enum event_field f = key_fields[k];
        if (f == EF_EVENT_ID && take_uuid(&e, in, f))
            continue;
        id[f] = add_string(s, in, (size_t)f, &in->f[f]);
        if (id[f] == UINT32_MAX)
            return ADD_NOMEM;
    }
    if (id[EF_EVENT_ID] || (e.flags & EVF_ID_UUID)) {
        uint64_t key = event_id_key(&e, id[EF_EVENT_ID], id[EF_ACCOUNT]);
        if (!id[EF_ACCOUNT]) {
            /* No recipient: the same eventID may be two records (the sides of a cross-account call), so
             * only the same content is a copy. Minified, so a pasted pretty-printed copy still matches. */
            uint32_t acct = source < s->nsources ? s->sources[source].trail_account : 0;
            uint64_t content = acct ? acct : id[EF_UI_ACCOUNT];
            if (in->content_hash) {
                content = in->content_hash;
            } else if (in->text) {
                char *min = malloc(in->text_len ? in->text_len : 1);
                if (!min)
                    return ADD_NOMEM;
                content = store_content_hash(in->text, in->text_len, min);
                free(min);
            }
            key = hash_mix64(key ^ hash_mix64(content)) | 1; /* never the empty slot's 0 */
        }
        int fresh = seen_insert(s, key);
        if (fresh < 0)
            return ADD_NOMEM;
        if (!fresh)
            return store_add_dup(s, source, key, !id[EF_ACCOUNT]) == 0 ? ADD_DUPLICATE : ADD_NOMEM;
    }
    for (int f = 0; f < EF__COUNT; f++) {
        if (f == EF_EVENT_ID || f == EF_ACCOUNT || f == EF_UI_ACCOUNT ||
            (f == EF_REQUEST_ID && take_uuid(&e, in, f)))
            continue;
        id[f] = add_string(s, in, (size_t)f, &in->f[f]);
        if (id[f] == UINT32_MAX)
            return ADD_NOMEM;
    }
    size_t nres = in->nresources > UINT8_MAX ? UINT8_MAX : in->nresources;
    size_t npieces = in->npieces > UINT8_MAX ? UINT8_MAX : in->npieces;
    size_t most = EVENT_RARE + nres + npieces;
    if (s->nlist + most > UINT32_MAX ||
        grow_array((void **)&s->list_ids, &s->list_cap, s->nlist + most, sizeof *s->list_ids) != 0 ||
        grow_array((void **)&s->events, &s->cap, s->nevents + 1, sizeof *s->events) != 0)
        return ADD_NOMEM;
    size_t start = s->nlist;
    pack_fields(s, &e, id);
    for (size_t i = 0; i < nres + npieces; i++) {
        const struct strref *r = i < nres ? &in->resources[i] : &in->pieces[i - nres];
        size_t k = EF__COUNT + (i < nres ? i : in->nresources + (i - nres));
        uint32_t lid = i < nres ? add_string(s, in, k, r) : add_piece(s, in, k, r);
        if (lid == UINT32_MAX) {
            s->nlist = start; /* the event is not added: neither is its run */
            return ADD_NOMEM;
        }
        s->list_ids[s->nlist++] = lid;
    }
    e.res_count = (uint8_t)nres;
    e.piece_count = (uint8_t)npieces;
    if (s->nevents && s->events[s->nevents - 1].time_ms > e.time_ms)
        s->sorted = 0;
    s->events[s->nevents++] = e;
    s->counts.events++;
    return ADD_LOADED;
}

int store_seen(const struct store *s, uint64_t key)
{
    if (!s->seen_slots || !key)
        return 0;
    size_t mask = s->seen_slots - 1;
    for (size_t j = hash_mix64(key) & mask; s->seen[j]; j = (j + 1) & mask)
        if (s->seen[j] == key)
            return 1;
    return 0;
}

int store_add_dup(struct store *s, uint32_t source, uint64_t key, int content)
{
    if (grow_array((void **)&s->dups, &s->dups_cap, s->ndups + 1, sizeof *s->dups) != 0)
        return -1;
    s->dups[s->ndups++] = (struct store_dup){key, source, content != 0};
    s->counts.duplicates++;
    return 0;
}

int store_event_key(const struct store *s, const struct event *e, uint64_t *key)
{
    uint32_t id = (e->flags & EVF_ID_UUID) ? 0 : store_field(s, e, EF_EVENT_ID);
    uint32_t account = store_field(s, e, EF_ACCOUNT);
    if (!id && !(e->flags & EVF_ID_UUID))
        return 0;
    if (!account)
        return -1;
    *key = event_id_key(e, id, account);
    return 1;
}

enum add_result store_add_copy(struct store *s, uint32_t source, const struct event *e, const uint32_t *run,
                               size_t nrun, uint64_t key)
{
    if (key) {
        int fresh = seen_insert(s, key);
        if (fresh < 0)
            return ADD_NOMEM;
        if (!fresh)
            return store_add_dup(s, source, key, 0) == 0 ? ADD_DUPLICATE : ADD_NOMEM;
    }
    if (s->nlist + nrun > UINT32_MAX ||
        grow_array((void **)&s->list_ids, &s->list_cap, s->nlist + nrun, sizeof *s->list_ids) != 0 ||
        grow_array((void **)&s->events, &s->cap, s->nevents + 1, sizeof *s->events) != 0)
        return ADD_NOMEM;
    struct event c = *e;
    c.source = source;
    c.list_first = (uint32_t)s->nlist;
    if (nrun)
        memcpy(s->list_ids + s->nlist, run, nrun * sizeof *run);
    s->nlist += nrun;
    if (s->nevents && s->events[s->nevents - 1].time_ms > c.time_ms)
        s->sorted = 0;
    s->events[s->nevents++] = c;
    s->counts.events++;
    return ADD_LOADED;
}

static void insertion_sort(struct event *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct event x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1].time_ms > x.time_ms; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Stable merge sort by time: qsort is not stable, and ties (same second, many events) are common. */
static void merge_sort(struct event *a, struct event *tmp, size_t n)
{
    if (n <= 16) {
        insertion_sort(a, n);
        return;
    }
    size_t h = n / 2;
    merge_sort(a, tmp, h);
    merge_sort(a + h, tmp, n - h);
    if (a[h - 1].time_ms <= a[h].time_ms)
        return;
    memcpy(tmp, a, h * sizeof *a);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        a[k++] = a[j].time_ms < tmp[i].time_ms ? a[j++] : tmp[i++];
    while (i < h)
        a[k++] = tmp[i++];
}

/* An event's place in the sort: its time, then its load position (so the order is total and stable). */
struct order {
    int64_t time_ms;
    uint32_t index;
};

static int order_before(const struct order *a, const struct order *b)
{
    return a->time_ms < b->time_ms || (a->time_ms == b->time_ms && a->index < b->index);
}

/* Merge sort that keeps runs already in order untouched: files deliver events nearly sorted. */
static void order_sort(struct order *a, struct order *tmp, size_t n)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            struct order x = a[i];
            size_t j = i;
            for (; j > 0 && order_before(&x, &a[j - 1]); j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    order_sort(a, tmp, h);
    order_sort(a + h, tmp, n - h);
    if (!order_before(&a[h], &a[h - 1]))
        return;
    memcpy(tmp, a, h * sizeof *a);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        a[k++] = order_before(&a[j], &tmp[i]) ? a[j++] : tmp[i++];
    while (i < h)
        a[k++] = tmp[i++];
}

/* Sorts the events by time through 16-byte (time, position) pairs, then moves each event once, cycle
 * by cycle: sorting the 120-byte records themselves needed half of them again as scratch, the peak
 * of the whole load. Returns -1 when out of memory (nothing moved). */
static int sort_by_order(struct store *s)
{
    size_t n = s->nevents;
    struct order *o = malloc(n * sizeof *o), *tmp = malloc((n / 2 + 1) * sizeof *tmp);
    if (!o || !tmp) {
        free(o);
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        o[i] = (struct order){s->events[i].time_ms, (uint32_t)i};
    order_sort(o, tmp, n);
    free(tmp);
    /* o[k].index: the event that goes to k. Follow each cycle k <- o[k].index <- ..., marking the
     * places filled with UINT32_MAX. */
    for (size_t k = 0; k < n; k++) {
        if (o[k].index == UINT32_MAX || o[k].index == k)
            continue;
        struct event first = s->events[k];
        size_t j = k;
        while (o[j].index != k) {
            size_t from = o[j].index;
            s->events[j] = s->events[from];
            o[j].index = UINT32_MAX;
            j = from;
        }
        s->events[j] = first;
        o[j].index = UINT32_MAX;
    }
    free(o);
    return 0;
}

void store_finish(struct store *s)
{
    /* the last pieces loaded turn cold too; out of memory leaves them plain, still readable */
    (void)intern_cool(s->strings);
    if (s->sorted || s->nevents < 2) {
        s->sorted = 1;
        return;
    }
    if (sort_by_order(s) != 0)
        insertion_sort(s->events, s->nevents); /* out of memory for the pairs: slow but stable, in place */
    s->sorted = 1;
    derived_moved(s, &(struct store_move){.whole = 1});
}

int store_finish_as(struct store *s, uint32_t *to)
{
    size_t n = s->nevents;
    for (size_t k = 0; k < n; k++)
        if (to[k] >= n)
            return -1;
    for (size_t k = 1; k < n; k++) {
        struct order a = {s->events[to[k - 1]].time_ms, to[k - 1]}, b = {s->events[to[k]].time_ms, to[k]};
        if (!order_before(&a, &b))
            return -1; /* strictly increasing: each event once, and the order store_finish gives */
    }
    for (size_t k = 0; k < n; k++) { /* each cycle k <- to[k] <- ... moved once, as sort_by_order */
        if (to[k] == UINT32_MAX || to[k] == k)
            continue;
        struct event first = s->events[k];
        size_t j = k;
        while (to[j] != k) {
            size_t from = to[j];
            s->events[j] = s->events[from];
            to[j] = UINT32_MAX;
            j = from;
        }
        s->events[j] = first;
        to[j] = UINT32_MAX;
    }
    s->sorted = 1;
    derived_moved(s, &(struct store_move){.whole = 1});
    return 0;
}

int store_merge_tail(struct store *s, size_t from, uint32_t **moved)
{
    *moved = NULL;
    size_t n = s->nevents;
    (void)intern_cool(s->strings);
    if (from >= n)
        return 0;
    struct event *tmp = malloc((n - from) / 2 * sizeof *tmp + sizeof *tmp);
    if (!tmp)
        return -1;
    merge_sort(s->events + from, tmp, n - from);
    free(tmp);
    s->sorted = 1;
    derived_moved(s, &(struct store_move){.from = from}); /* the tail moved */
    if (from == 0 || s->events[from - 1].time_ms <= s->events[from].time_ms)
        return 0;
    struct event *out = malloc(n * sizeof *out);
    uint32_t *map = malloc(from * sizeof *map);
    if (!out || !map) {
        free(out);
        free(map);
        return -1;
    }
    size_t i = 0, j = from, k = 0;
    while (i < from || j < n) {
        /* ties keep the earlier-loaded event first, as the first sort did */
        if (j >= n || (i < from && s->events[i].time_ms <= s->events[j].time_ms)) {
            map[i] = (uint32_t)k;
            out[k++] = s->events[i++];
        } else {
            out[k++] = s->events[j++];
        }
    }
    memcpy(s->events, out, n * sizeof *out);
    free(out);
    derived_moved(s, &(struct store_move){.from = from, .moved = map}); /* and the events before it */
    *moved = map;
    return 0;
}

const char *store_str(const struct store *s, const struct event *e, enum event_field f)
{
    if (!store_field_binary(s, e, f))
        return intern_str(s->strings, store_field(s, e, f));
    static _Thread_local char ring[8][STORE_UUID_TEXT];
    static _Thread_local unsigned next;
    size_t len;
    return store_field_text(s, e, f, ring[next++ % 8], &len);
}

uint32_t store_str_id(const struct store *s, const struct event *e, enum event_field f)
{
    /* interned: one id per distinct string; a binary UUID's text is made on each read */
    return store_field_binary(s, e, f) ? STORE_NO_ID : store_field(s, e, f);
}

/* The decoded bytes of file source id, from the cache or read now. NULL with *err on failure. */
static const struct raw_cache *cache_get(struct store *s, uint32_t id, char **err)
{
    struct raw_cache *victim = NULL; /* an empty slot, else the least recently used */
    for (size_t i = 0; i < STORE_CACHE_SLOTS; i++) {
        struct raw_cache *c = &s->cache[i];
        if (c->source == id) {
            c->used = ++s->cache_tick;
            return c;
        }
        if (c->source == UINT32_MAX) {
            if (!victim || victim->source != UINT32_MAX)
                victim = c;
        } else if (!victim || (victim->source != UINT32_MAX && c->used < victim->used)) {
            victim = c;
        }
    }
    if (!s->reader) {
        *err = strdup("no reader for file sources");
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0;
    if (s->reader(&s->sources[id], &buf, &n, err) != 0)
        return NULL;
    /* stay under the byte budget: drop the least recently used until the new one fits */
    for (;;) {
        s->cache_bytes -= victim->len;
        free(victim->data);
        *victim = (struct raw_cache){UINT32_MAX, NULL, 0, 0};
        if (s->cache_bytes + n <= STORE_CACHE_BYTES || s->cache_bytes == 0)
            break;
        for (size_t i = 0; i < STORE_CACHE_SLOTS; i++)
            if (s->cache[i].source != UINT32_MAX &&
                (victim->source == UINT32_MAX || s->cache[i].used < victim->used))
                victim = &s->cache[i];
    }
    *victim = (struct raw_cache){id, buf, n, ++s->cache_tick};
    s->cache_bytes += n;
    return victim;
}

const char *store_record_bytes(const struct source *src, const char *data, size_t data_len, uint64_t raw_off,
                               uint32_t raw_len, int embedded, char **scratch, size_t *scratch_cap,
                               size_t *len, char **err)
{
    *err = NULL;
    if (raw_off > data_len || raw_len > data_len - raw_off) {
        errmsg_set(err, "%s changed since it was loaded (record at byte %llu is gone)", src->path,
                   (unsigned long long)raw_off);
        return NULL;
    }
    if (!embedded) {
        *len = raw_len;
        return data + raw_off;
    }
    if (raw_len > *scratch_cap) {
        char *b = realloc(*scratch, raw_len);
        if (!b) {
            *err = strdup("out of memory");
            return NULL;
        }
        *scratch = b;
        *scratch_cap = raw_len;
    }
    *len = jsonfmt_unescape(data + raw_off, raw_len, *scratch);
    return *scratch;
}

const char *store_raw(struct store *s, const struct event *e, size_t *len, char **err)
{
    *err = NULL;
    if (e->source >= s->nsources) {
        *err = strdup("event has no source");
        return NULL;
    }
    const struct source *src = &s->sources[e->source];
    int embedded = (e->flags & EVF_EMBEDDED) != 0;
    if (src->kind == SOURCE_RANGE) {
        const char *range = range_get(s, src, e, err); /* the record alone */
        if (!range)
            return NULL;
        return store_record_bytes(src, range, e->raw_len, 0, e->raw_len, embedded, &s->unescaped,
                                  &s->unescaped_cap, len, err);
    }
    const char *data;
    size_t data_len;
    if (src->kind == SOURCE_MEMORY) {
        data = src->data;
        data_len = src->data_len;
    } else {
        const struct raw_cache *c = cache_get(s, e->source, err);
        if (!c)
            return NULL;
        data = c->data;
        data_len = c->len;
    }
    return store_record_bytes(src, data, data_len, e->raw_off, e->raw_len, embedded, &s->unescaped,
                              &s->unescaped_cap, len, err);
}

static size_t derived_bytes(const struct store *s)
{
    size_t n = 0;
    for (size_t k = 0; k < s->nderived; k++)
        if (s->derived[k].ops->bytes)
            n += s->derived[k].ops->bytes(s->derived[k].data);
    return n;
}

size_t store_bytes(const struct store *s)
{
    return intern_bytes(s->strings) + s->cap * sizeof *s->events + s->list_cap * sizeof *s->list_ids +
           s->seen_slots * sizeof *s->seen + s->dups_cap * sizeof *s->dups +
           s->sources_cap * sizeof *s->sources + derived_bytes(s);
}
