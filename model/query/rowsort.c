/* rowsort: sorting the list's rows by a column. See rowsort.h. */
#include "model/query/rowsort.h"

#include <stdlib.h>
#include <string.h>

/* A value and the row it came from, for the radix sorts. */
struct pair {
    uint64_t key;
    uint32_t row;
};

/* Sorts p[0..n) by key, stably, with tmp (n pairs) as scratch: least significant byte first, skipping
 * the bytes in which every key agrees (pointers into one heap, interned ids and times differ in few). */
static void radix_pairs(struct pair *p, struct pair *tmp, size_t n)
{
    uint64_t differ = 0;
    for (size_t i = 1; i < n; i++)
        differ |= p[i].key ^ p[0].key;
    for (int shift = 0; shift < 64; shift += 8) {
        if (!((differ >> shift) & 0xff))
            continue; /* every key has the same byte here */
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((p[i].key >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            tmp[count[(p[i].key >> shift) & 0xff]++] = p[i];
        memcpy(p, tmp, n * sizeof *p);
    }
}

/* One distinct text, with what its comparisons need worked out once. */
#define UNIQ_WORDS 4

struct uniq {
    const char *text;
    size_t len;
    /* the first 32 bytes, ASCII-folded, 8 to a word, big-endian, zero-padded: most comparisons (and the
     * radix passes over the first words) never read the text, which lies anywhere in memory */
    uint64_t head[UNIQ_WORDS];
    double num;
    int is_num;
    uint32_t rank;
};

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

int rowsort_number(const char *t, size_t len, double *value)
{
    /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else (no blanks, hex, inf or nan) */
    size_t i = 0;
    if (i < len && t[i] == '-')
        i++;
    if (i >= len || t[i] < '0' || t[i] > '9')
        return 0;
    if (t[i] == '0')
        i++;
    else
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++;
    if (i < len && t[i] == '.') {
        if (++i >= len || t[i] < '0' || t[i] > '9')
            return 0;
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= len || t[i] < '0' || t[i] > '9')
            return 0;
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    if (i != len || len > 64)
        return 0;
    char buf[65];
    memcpy(buf, t, len);
    buf[len] = '\0';
    *value = strtod(buf, NULL);
    return 1;
}

/* The 8 folded bytes of text[0..len) from byte at, big-endian, zero-padded: comparing these words in
 * turn compares the texts (a text holds no NUL, so a shorter text sorts first). */
static uint64_t fold8(const char *text, size_t len, size_t at)
{
    uint64_t c = 0;
    for (size_t k = at; k < at + 8; k++)
        c = c << 8 | (k < len ? fold((unsigned char)text[k]) : 0);
    return c;
}

static void uniq_init(struct uniq *u, const char *text, size_t len)
{
    u->text = text;
    u->len = len;
    for (size_t k = 0; k < UNIQ_WORDS; k++)
        u->head[k] = fold8(text, len, 8 * k);
    u->is_num = rowsort_number(text, u->len, &u->num);
}

/* Numbers first, by value; then words, by their text ignoring ASCII case. 0 for values that tie. */
static int uniq_cmp(const void *pa, const void *pb)
{
    const struct uniq *a = pa, *b = pb;
    if (a->is_num != b->is_num)
        return a->is_num ? -1 : 1;
    if (a->is_num)
        return a->num < b->num ? -1 : a->num > b->num;
    for (size_t k = 0; k < UNIQ_WORDS; k++)
        if (a->head[k] != b->head[k])
            return a->head[k] < b->head[k] ? -1 : 1;
    for (size_t k = 8 * UNIQ_WORDS; k < a->len && k < b->len; k++) {
        unsigned char x = fold((unsigned char)a->text[k]), y = fold((unsigned char)b->text[k]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a->len < b->len ? -1 : a->len > b->len;
}

/* The 8 folded bytes of u's text from byte at (a multiple of 8). */
static uint64_t chunk(const struct uniq *u, size_t at)
{
    return at < 8 * UNIQ_WORDS ? u->head[at / 8] : fold8(u->text, u->len, at);
}

static int uniq_ptr_cmp(const void *pa, const void *pb)
{
    return uniq_cmp(*(struct uniq *const *)pa, *(struct uniq *const *)pb);
}

/* Sorts the words w[0..n), which agree on their first `at` bytes: a radix sort on the next 8 bytes,
 * then each run that still agrees on them, 8 bytes further. Sets same[i] when w[i] equals w[i - 1]
 * (0 for the first), so ranking never reads the texts again. p, tmp and w2 are scratch of n entries.
 * Small runs, and runs that agree on a long stretch (attacker-made values), take a comparison sort. */
static void sort_words(struct uniq **w, size_t n, size_t at, struct pair *p, struct pair *tmp,
                       struct uniq **w2, unsigned char *same)
{
    if (n < 256 || at >= 512) {
        qsort(w, n, sizeof *w, uniq_ptr_cmp);
        for (size_t i = 0; i < n; i++)
            same[i] = i > 0 && uniq_cmp(w[i - 1], w[i]) == 0;
        return;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (struct pair){chunk(w[i], at), (uint32_t)i};
    radix_pairs(p, tmp, n);
    for (size_t i = 0; i < n; i++)
        w2[i] = w[p[i].row];
    memcpy(w, w2, n * sizeof *w);
    /* a run's keys are in p; the scratch beyond the run's start is free for the run */
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        uint64_t key = p[lo].key;
        for (hi = lo + 1; hi < n && p[hi].key == key; hi++)
            ;
        if (hi - lo > 1 && (key & 0xff)) { /* the texts go on past these 8 bytes */
            sort_words(w + lo, hi - lo, at + 8, p + lo, tmp + lo, w2 + lo, same + lo);
            continue;
        }
        for (size_t i = lo; i < hi; i++) /* they end here: one value */
            same[i] = i > lo;
    }
}

/* Sorts the numbers w[0..n) by value: a radix sort on the doubles' bits made to order as unsigned. */
static void sort_numbers(struct uniq **w, size_t n, struct pair *p, struct pair *tmp, struct uniq **w2)
{
    for (size_t i = 0; i < n; i++) {
        double d = w[i]->num == 0 ? 0.0 : w[i]->num; /* -0 is 0 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        bits = bits >> 63 ? ~bits : bits | UINT64_C(1) << 63;
        p[i] = (struct pair){bits, (uint32_t)i};
    }
    radix_pairs(p, tmp, n);
    for (size_t i = 0; i < n; i++)
        w2[i] = w[p[i].row];
    memcpy(w, w2, n * sizeof *w);
}

/* Ranks the distinct values u[0..nu) but "" (numbers first, then words): sets each one's dense rank,
 * and ROWSORT_MISSING for "". Sets *nranks. Returns 0, or -1 when out of memory. */
static int rank_uniq(struct uniq *u, size_t nu, uint32_t *nranks)
{
    size_t cap = nu ? nu : 1;
    struct pair *p = malloc(cap * sizeof *p), *tmp = malloc(cap * sizeof *tmp);
    struct uniq **w = malloc(cap * sizeof *w), **w2 = malloc(cap * sizeof *w2);
    unsigned char *same = malloc(cap);
    int rc = -1;
    if (!p || !tmp || !w || !w2 || !same)
        goto out;
    size_t nnum = 0, ne = 0;
    for (size_t k = 0; k < nu; k++) {
        nnum += u[k].is_num != 0;
        ne += u[k].len != 0;
        u[k].rank = ROWSORT_MISSING;
    }
    size_t a = 0, b = nnum;
    for (size_t k = 0; k < nu; k++)
        if (u[k].len)
            w[u[k].is_num ? a++ : b++] = &u[k];
    sort_numbers(w, nnum, p, tmp, w2);
    for (size_t k = 0; k < nnum; k++)
        same[k] = k > 0 && w[k - 1]->num == w[k]->num;
    sort_words(w + nnum, ne - nnum, 0, p, tmp, w2, same + nnum);
    /* dense ranks: a value equal to the one before shares its rank */
    uint32_t r = 0;
    for (size_t k = 0; k < ne; k++) {
        r += k > 0 && !same[k];
        w[k]->rank = r;
    }
    *nranks = ne ? r + 1 : 0;
    rc = 0;
out:
    free(p);
    free(tmp);
    free(w);
    free(w2);
    free(same);
    return rc;
}

/* The text of a key: borrowed, valid while the ranking runs; its length in *len. */
typedef const char *(*key_text_fn)(const void *ctx, uint64_t key, size_t *len);
/* A hint, no effect on results: starts loading the text of key. */
typedef void (*key_prefetch_fn)(const void *ctx, uint64_t key);

#define PREFETCH_AHEAD 16

#define KEY_MISSING UINT64_MAX

/* Ranks rows by keys: keys[i] stands for one value (KEY_MISSING: none), text(ctx, key) gives its text,
 * asked once per distinct key; different keys may have equal texts. As rowsort_rank_texts. */
static int rank_keys(const uint64_t *keys, size_t n, key_text_fn text, key_prefetch_fn prefetch,
                     const void *ctx, uint32_t *rank, uint32_t *nranks)
{
    *nranks = 0;
    struct pair *p = malloc((n ? n : 1) * sizeof *p), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    struct uniq *u = NULL;
    if (!p || !tmp)
        goto nomem;
    /* the rows with a value, grouped by key: each distinct value is read once, in key order ("" is
     * missing too: found there) */
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        rank[i] = ROWSORT_MISSING;
        if (keys[i] != KEY_MISSING)
            p[np++] = (struct pair){keys[i], (uint32_t)i};
    }
    radix_pairs(p, tmp, np);
    size_t nu = 0;
    for (size_t i = 0; i < np; i++)
        nu += i == 0 || p[i].key != p[i - 1].key;
    if (!(u = malloc((nu ? nu : 1) * sizeof *u)))
        goto nomem;
    /* tmp's rows now say which distinct value each row has; p's first nu keys the distinct keys */
    nu = 0;
    for (size_t i = 0; i < np; i++) {
        if (i == 0 || p[i].key != p[i - 1].key)
            p[nu++].key = p[i].key;
        tmp[i].row = p[i].row;
        tmp[i].key = nu - 1;
    }
    /* a million distinct values lie far apart in memory: ask for the ones a few steps ahead */
    for (size_t k = 0; k < nu; k++) {
        if (k + PREFETCH_AHEAD < nu)
            prefetch(ctx, p[k + PREFETCH_AHEAD].key);
        size_t len;
        const char *t = text(ctx, p[k].key, &len);
        uniq_init(&u[k], t, len);
    }
    free(p);
    p = NULL;
    if (rank_uniq(u, nu, nranks) != 0)
        goto nomem;
    for (size_t i = 0; i < np; i++)
        rank[tmp[i].row] = u[tmp[i].key].rank;
    free(u);
    free(tmp);
    return 0;
nomem:
    free(u);
    free(p);
    free(tmp);
    return -1;
}

static const char *pointer_text(const void *ctx, uint64_t key, size_t *len)
{
    (void)ctx;
    const char *t = (const char *)(uintptr_t)key;
    *len = strlen(t);
    return t;
}

static void pointer_prefetch(const void *ctx, uint64_t key)
{
    (void)ctx;
    __builtin_prefetch((const char *)(uintptr_t)key);
}

int rowsort_rank_texts(const char *const *vals, size_t n, uint32_t *rank, uint32_t *nranks)
{
    uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return -1;
    for (size_t i = 0; i < n; i++)
        keys[i] = vals[i] ? (uint64_t)(uintptr_t)vals[i] : KEY_MISSING;
    int rc = rank_keys(keys, n, pointer_text, pointer_prefetch, NULL, rank, nranks);
    free(keys);
    return rc;
}

int rowsort_rank_numbers(const int64_t *vals, const unsigned char *missing, size_t n, uint32_t *rank,
                         uint32_t *nranks)
{
    *nranks = 0;
    /* the shown list is in time order, so times usually come sorted already: rank them in one pass */
    int sorted = 1;
    int64_t last = INT64_MIN;
    for (size_t i = 0; i < n && sorted; i++) {
        if (missing && missing[i])
            continue;
        sorted = vals[i] >= last;
        last = vals[i];
    }
    if (sorted) {
        uint32_t r = 0;
        int any = 0;
        for (size_t i = 0; i < n; i++) {
            if (missing && missing[i]) {
                rank[i] = ROWSORT_MISSING;
                continue;
            }
            if (any && vals[i] != last)
                r++;
            any = 1;
            last = vals[i];
            rank[i] = r;
        }
        *nranks = any ? r + 1 : 0;
        return 0;
    }
    struct pair *p = malloc(n * sizeof *p), *tmp = malloc(n * sizeof *tmp);
    if (!p || !tmp) {
        free(p);
        free(tmp);
        return -1;
    }
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        rank[i] = ROWSORT_MISSING;
        if (!missing || !missing[i]) /* flipping the sign bit orders signed values as unsigned */
            p[np++] = (struct pair){(uint64_t)vals[i] ^ (UINT64_C(1) << 63), (uint32_t)i};
    }
    radix_pairs(p, tmp, np);
    uint32_t r = 0;
    for (size_t i = 0; i < np; i++) {
        if (i > 0 && p[i].key != p[i - 1].key)
            r++;
        rank[p[i].row] = r;
    }
    *nranks = np ? r + 1 : 0;
    free(p);
    free(tmp);
    return 0;
}

int rowsort_by_rank(const uint32_t *rank, const uint32_t *idx, size_t n, uint32_t nranks, int desc,
                    uint32_t *order)
{
    /* a counting sort: bucket b holds rank b (desc: nranks - 1 - b); the last bucket the missing */
    size_t *start = calloc((size_t)nranks + 2, sizeof *start);
    if (!start)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = rank[idx ? idx[i] : i];
        uint32_t b = r == ROWSORT_MISSING ? nranks : desc ? nranks - 1 - r : r;
        start[(size_t)b + 1]++;
    }
    for (size_t b = 0; b <= nranks; b++)
        start[b + 1] += start[b];
    for (size_t i = 0; i < n; i++) {
        uint32_t r = rank[idx ? idx[i] : i];
        uint32_t b = r == ROWSORT_MISSING ? nranks : desc ? nranks - 1 - r : r;
        order[start[b]++] = (uint32_t)i;
    }
    free(start);
    return 0;
}

/* A field's keys are its values' identity (intern ids: field.h); their texts are the field's. A binary
 * UUID's text (field_may_be_binary) is written into `texts`, a slot per row, since the ranking holds
 * every text it was given. */
struct field_ctx {
    const struct store *s;
    const struct field *f;
    char *texts; /* owned: STORE_UUID_TEXT bytes per row, or NULL */
    size_t used;
};

/* Where a key's text is, without reading it: an intern id of the field's table (a path's own, else the
 * store's; readOnly's 0/1 give some string of it, which does no harm to ask for). */
static void field_prefetch(const void *ctx, uint64_t key)
{
    const struct field_ctx *c = ctx;
    const struct intern *t = c->f->kind == FIELD_PATH ? (c->f->px ? c->f->px->values : NULL) : c->s->strings;
    if (t)
        __builtin_prefetch(intern_str(t, (uint32_t)key));
}

static const char *key_text(const void *ctx, uint64_t key, size_t *len)
{
    struct field_ctx *c = (struct field_ctx *)ctx;
    char buf[64]; /* only time and binary UUIDs write here; times are ranked as numbers */
    const char *t = field_key_text(c->s, c->f, key, buf, len);
    if (t != buf)
        return t;
    if (!c->texts || *len >= STORE_UUID_TEXT)
        return "";
    char *keep = c->texts + c->used++ * STORE_UUID_TEXT;
    memcpy(keep, t, *len);
    return keep;
}

/* The text the default list's column shows for e, as a stable pointer. The service column strips
 * ".amazonaws.com" into a buffer: the full eventSource sorts the same. */
static const char *column_value(const struct store *s, const struct event *e, enum column_id c)
{
    char buf[COLUMN_BUF];
    if (c == COL_SERVICE)
        return store_str(s, e, EF_SOURCE);
    const char *t = column_text(s, e, c, buf);
    return t == buf ? NULL : t;
}

/* Whether `by` gives times (compared as numbers) rather than texts. */
static int by_time(const struct store *s, const struct rowsort_by *by)
{
    if (!by->field)
        return by->column == COL_TIME;
    (void)s;
    return field_is_time(by->field);
}

int rowsort_ranks(const struct store *s, const struct rowsort_by *by, const uint32_t *idx, size_t n,
                  uint32_t *rank, uint32_t *nranks_out)
{
    if (!by->field && by->column == COL_EVENT_ID) {
        /* the eventID column is the field id: a UUID's text has no stable pointer to rank by */
        struct field id;
        struct field_error err;
        if (field_parse("id", 2, &id, &err) != 0)
            return -1;
        struct rowsort_by as_field = {&id, COL_EVENT_ID};
        int rc = rowsort_ranks(s, &as_field, idx, n, rank, nranks_out);
        field_free(&id);
        return rc;
    }
    uint32_t nranks = 0;
    int rc = -1;
    if (by_time(s, by)) {
        int64_t *t = malloc((n ? n : 1) * sizeof *t);
        unsigned char *missing = malloc(n ? n : 1);
        struct field_keys k = {0};
        int ok = t && missing;
        for (size_t i = 0; i < n && ok; i++) {
            size_t ev = idx ? idx[i] : i;
            if (!by->field) {
                t[i] = s->events[ev].time_ms;
                missing[i] = t[i] == TIME_NONE;
                continue;
            }
            int got = field_keys(s, by->field, ev, &k);
            ok = got >= 0;
            missing[i] = got <= 0;
            t[i] = got > 0 ? (int64_t)k.k[0] : 0;
        }
        if (ok)
            rc = rowsort_rank_numbers(t, missing, n, rank, &nranks);
        field_keys_free(&k);
        free(t);
        free(missing);
    } else {
        uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
        struct field_keys k = {0};
        int ok = keys != NULL;
        for (size_t i = 0; i < n && ok; i++) {
            size_t ev = idx ? idx[i] : i;
            if (!by->field) {
                const char *t = column_value(s, &s->events[ev], by->column);
                keys[i] = t ? (uint64_t)(uintptr_t)t : KEY_MISSING;
                continue;
            }
            int got = field_keys(s, by->field, ev, &k);
            ok = got >= 0;
            keys[i] = got > 0 ? k.k[0] : KEY_MISSING;
        }
        struct field_ctx ctx = {s, by->field, NULL, 0};
        if (ok && by->field && field_may_be_binary(by->field))
            ok = (ctx.texts = malloc((n ? n : 1) * STORE_UUID_TEXT)) != NULL;
        if (ok)
            rc = rank_keys(keys, n, by->field ? key_text : pointer_text,
                           by->field ? field_prefetch : pointer_prefetch, &ctx, rank, &nranks);
        field_keys_free(&k);
        free(keys);
        free(ctx.texts);
    }
    *nranks_out = nranks;
    return rc;
}

int rowsort_order(const struct store *s, const struct rowsort_by *by, const uint32_t *idx, size_t n, int desc,
                  uint32_t *order)
{
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank), nranks = 0;
    if (!rank)
        return -1;
    int rc = rowsort_ranks(s, by, idx, n, rank, &nranks);
    if (rc == 0)
        rc = rowsort_by_rank(rank, NULL, n, nranks, desc, order);
    free(rank);
    return rc;
}
