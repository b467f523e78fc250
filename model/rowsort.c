/* rowsort: sorting the list's rows by a column. See rowsort.h. */
#include "model/rowsort.h"

#include <stdlib.h>
#include <string.h>

/* A value and the row it came from, for the radix sorts. */
struct pair {
    uint64_t key;
    uint32_t row;
};

/* Sorts p[0..n) by key, stably, with tmp (n pairs) as scratch: least significant byte first, skipping
 * the bytes in which every key agrees (pointers into one heap differ in few). */
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
struct uniq {
    const char *text;
    size_t len;
    uint64_t prefix; /* the first 8 bytes, ASCII-folded, big-endian, zero-padded */
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

static void uniq_init(struct uniq *u, const char *text)
{
    u->text = text;
    u->len = strlen(text);
    u->prefix = 0;
    for (size_t k = 0; k < 8; k++)
        u->prefix = u->prefix << 8 | (k < u->len ? fold((unsigned char)text[k]) : 0);
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
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    for (size_t k = 8; k < a->len && k < b->len; k++) {
        unsigned char x = fold((unsigned char)a->text[k]), y = fold((unsigned char)b->text[k]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a->len < b->len ? -1 : a->len > b->len;
}

int rowsort_rank_texts(const char *const *vals, size_t n, uint32_t *rank, uint32_t *nranks)
{
    *nranks = 0;
    struct pair *p = malloc((n ? n : 1) * sizeof *p), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    struct uniq *u = NULL;
    if (!p || !tmp)
        goto nomem;
    /* the rows with a value, grouped by the value's pointer: each distinct pointer is read once */
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        rank[i] = ROWSORT_MISSING;
        if (vals[i] && vals[i][0])
            p[np++] = (struct pair){(uint64_t)(uintptr_t)vals[i], (uint32_t)i};
    }
    radix_pairs(p, tmp, np);
    size_t nu = 0;
    for (size_t i = 0; i < np; i++)
        nu += i == 0 || p[i].key != p[i - 1].key;
    u = malloc((nu ? nu : 1) * sizeof *u);
    if (!u)
        goto nomem;
    /* tmp's rows now say which distinct value each row has */
    nu = 0;
    for (size_t i = 0; i < np; i++) {
        if (i == 0 || p[i].key != p[i - 1].key) {
            uniq_init(&u[nu], vals[p[i].row]);
            u[nu].rank = (uint32_t)nu; /* for now: where the value was before sorting */
            nu++;
        }
        tmp[i].row = p[i].row;
        tmp[i].key = nu - 1;
    }
    qsort(u, nu, sizeof *u, uniq_cmp);
    /* dense ranks, then each distinct value's rank by its place before sorting */
    uint32_t *rank_of = malloc((nu ? nu : 1) * sizeof *rank_of);
    if (!rank_of)
        goto nomem;
    uint32_t r = 0;
    for (size_t k = 0; k < nu; k++) {
        if (k > 0 && uniq_cmp(&u[k - 1], &u[k]) != 0)
            r++;
        rank_of[u[k].rank] = r;
    }
    for (size_t i = 0; i < np; i++)
        rank[tmp[i].row] = rank_of[tmp[i].key];
    *nranks = nu ? r + 1 : 0;
    free(rank_of);
    free(u);
    free(p);
    free(tmp);
    return 0;
nomem:
    free(u);
    free(p);
    free(tmp);
    return -1;
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

int rowsort_by_rank(const uint32_t *rank, size_t n, uint32_t nranks, int desc, uint32_t *order)
{
    /* a counting sort: bucket b holds rank b (desc: nranks - 1 - b); the last bucket the missing */
    size_t *start = calloc((size_t)nranks + 2, sizeof *start);
    if (!start)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t b = rank[i] == ROWSORT_MISSING ? nranks : desc ? nranks - 1 - rank[i] : rank[i];
        start[(size_t)b + 1]++;
    }
    for (size_t b = 0; b <= nranks; b++)
        start[b + 1] += start[b];
    for (size_t i = 0; i < n; i++) {
        uint32_t b = rank[i] == ROWSORT_MISSING ? nranks : desc ? nranks - 1 - rank[i] : rank[i];
        order[start[b]++] = (uint32_t)i;
    }
    free(start);
    return 0;
}

/* The first value of the field for event ev, as a stable pointer (interned, or static), else NULL. */
static const char *field_text(const struct store *s, const struct field *f, size_t ev, struct field_keys *k)
{
    if (field_keys(s, f, ev, k) <= 0)
        return NULL;
    char buf[64];
    size_t len;
    return field_key_text(s, f, k->k[0], buf, &len);
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
    return field_key_bound(s, by->field) == 0;
}

int rowsort_order(const struct store *s, const struct rowsort_by *by, const uint32_t *idx, size_t n, int desc,
                  uint32_t *order)
{
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank), nranks = 0;
    if (!rank)
        return -1;
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
        const char **v = malloc((n ? n : 1) * sizeof *v);
        struct field_keys k = {0};
        if (v) {
            for (size_t i = 0; i < n; i++) {
                size_t ev = idx ? idx[i] : i;
                v[i] = by->field ? field_text(s, by->field, ev, &k)
                                 : column_value(s, &s->events[ev], by->column);
            }
            rc = rowsort_rank_texts(v, n, rank, &nranks);
        }
        field_keys_free(&k);
        free(v);
    }
    if (rc == 0)
        rc = rowsort_by_rank(rank, n, nranks, desc, order);
    free(rank);
    return rc;
}
