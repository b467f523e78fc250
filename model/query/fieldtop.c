/* fieldtop: top values of a field. Counts per key in an array when keys are small integers (interned
 * ids), else (and for the field model's labels) by sorting; then a bounded heap keeps the top rows, so a
 * field with a million distinct values costs O(distinct * log top) after counting. */
#include "model/query/fieldtop.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"

/* Whether row a ranks before row b: more events first, then the smaller text. */
static int ranks_before(const struct store *s, const struct field *f, const struct fieldtop_row *a,
                        const struct fieldtop_row *b)
{
    if (a->count != b->count)
        return a->count > b->count;
    char ba[64], bb[64];
    size_t la, lb;
    const char *ta = field_key_text(s, f, a->key, ba, &la);
    const char *tb = field_key_text(s, f, b->key, bb, &lb);
    int c = memcmp(ta, tb, la < lb ? la : lb);
    return c != 0 ? c < 0 : la < lb;
}

/* The heap keeps the worst-ranked of the kept rows at its root, to be replaced by a better one. */
struct heap {
    const struct store *s;
    const struct field *f;
    struct fieldtop_row *rows;
    size_t n, cap;
};

static void sift_down(struct heap *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, worst = i;
        if (l < h->n && ranks_before(h->s, h->f, &h->rows[worst], &h->rows[l]))
            worst = l;
        if (r < h->n && ranks_before(h->s, h->f, &h->rows[worst], &h->rows[r]))
            worst = r;
        if (worst == i)
            return;
        struct fieldtop_row t = h->rows[i];
        h->rows[i] = h->rows[worst];
        h->rows[worst] = t;
        i = worst;
    }
}

static void sift_up(struct heap *h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ranks_before(h->s, h->f, &h->rows[parent], &h->rows[i]))
            return;
        struct fieldtop_row t = h->rows[i];
        h->rows[i] = h->rows[parent];
        h->rows[parent] = t;
        i = parent;
    }
}

static void offer(struct heap *h, uint64_t key, uint32_t count)
{
    struct fieldtop_row r = {key, count};
    if (h->n < h->cap) {
        h->rows[h->n++] = r;
        sift_up(h, h->n - 1);
    } else if (h->cap && ranks_before(h->s, h->f, &r, &h->rows[0])) {
        h->rows[0] = r;
        sift_down(h, 0);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Orders the keys of every event (field_key_cmp): one value's keys end up side by side. */
static int cmp_keys(const void *a, const void *b, void *heap)
{
    const struct heap *h = heap;
    return field_key_cmp(h->s, h->f, *(const uint64_t *)a, *(const uint64_t *)b);
}

/* Removes repeats from k[0..n) (order not kept); returns the new count. */
static size_t distinct_keys(uint64_t *k, size_t n)
{
    if (n < 2)
        return n;
    if (n > 16) {
        qsort(k, n, sizeof *k, cmp_u64);
        size_t m = 1;
        for (size_t i = 1; i < n; i++)
            if (k[i] != k[m - 1])
                k[m++] = k[i];
        return m;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < m && k[j] != k[i])
            j++;
        if (j == m)
            k[m++] = k[i];
    }
    return m;
}

int fieldtop_build(const struct store *s, const struct field *f, const uint32_t *idx, size_t n, size_t top,
                   struct fieldtop *t)
{
    memset(t, 0, sizeof *t);
    t->events = n;
    uint64_t bound = field_key_bound(s, f);
    uint32_t *counts = NULL; /* per key, when keys are small */
    uint64_t *all = NULL;    /* else every (event, distinct value) key, to sort */
    size_t nall = 0, all_cap = 0;
    struct field_keys k = {0};
    struct heap h = {s, f, NULL, 0, top};
    if (bound) {
        counts = calloc(bound, sizeof *counts);
        if (!counts)
            goto nomem;
    }
    for (size_t j = 0; j < n; j++) {
        int got = field_keys(s, f, idx ? idx[j] : j, &k);
        if (got < 0)
            goto nomem;
        size_t m = distinct_keys(k.k, (size_t)got);
        if (m == 0) {
            t->missing++;
            continue;
        }
        /* keys below the bound are counted in the array, the others (labels) sorted */
        for (size_t q = 0; q < m; q++) {
            if (counts && k.k[q] < bound) {
                t->distinct += counts[k.k[q]]++ == 0;
                continue;
            }
            if (grow_array((void **)&all, &all_cap, nall + 1, sizeof *all) != 0)
                goto nomem;
            all[nall++] = k.k[q];
        }
    }
    h.rows = malloc((top ? top : 1) * sizeof *h.rows);
    if (!h.rows)
        goto nomem;
    if (counts)
        for (uint64_t key = 0; key < bound; key++)
            if (counts[key])
                offer(&h, key, counts[key]);
    if (nall)
        qsort_r(all, nall, sizeof *all, cmp_keys, &h);
    for (size_t i = 0; i < nall;) {
        size_t e = i + 1;
        while (e < nall && field_key_cmp(s, f, all[e], all[i]) == 0)
            e++;
        t->distinct++;
        offer(&h, all[i], (uint32_t)(e - i));
        i = e;
    }
    size_t kept = h.n;
    /* best first: pop the worst to the end, repeatedly */
    for (size_t i = h.n; i > 1; i--) {
        struct fieldtop_row worst = h.rows[0];
        h.rows[0] = h.rows[i - 1];
        h.n = i - 1;
        sift_down(&h, 0);
        h.rows[i - 1] = worst;
    }
    t->rows = h.rows;
    t->nrows = kept;
    free(counts);
    free(all);
    field_keys_free(&k);
    return 0;
nomem:
    free(counts);
    free(all);
    free(h.rows);
    field_keys_free(&k);
    memset(t, 0, sizeof *t);
    return -1;
}

void fieldtop_free(struct fieldtop *t)
{
    free(t->rows);
    memset(t, 0, sizeof *t);
}
