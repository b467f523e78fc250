/* pathseen: paths occurring in sampled events. See pathseen.h. */
#include "model/index/pathseen.h"

#include <stdlib.h>
#include <string.h>

#include "model/store/intern.h"
#include "model/json/jsonfmt.h"
#include "model/json/jsonscan.h"
#include "model/json/path.h"

#define MAX_DEPTH 16

struct walk {
    const char *s;
    size_t n, i;
    char path[PATH_MAX_LEN + 1];
    struct pathseen *ps;
    uint32_t *last; /* per path id: the sample number that last counted it */
    size_t cap;     /* of last and ps->count */
    uint32_t sample;
    int nomem;
};

static void ws(struct walk *w)
{
    w->i = jscan_ws(w->s, w->n, w->i);
}

/* At the first byte of a value: moves past it (model/json/jsonscan.h). */
static void skip(struct walk *w)
{
    int cut;
    w->i = jscan_skip_value(w->s, w->n, w->i, &cut);
}

static void note(struct walk *w, size_t len)
{
    uint32_t id = intern_add(w->ps->names, w->path, len);
    if (id == UINT32_MAX) {
        w->nomem = 1;
        return;
    }
    if (id >= w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        while (cap <= id)
            cap *= 2;
        uint32_t *last = realloc(w->last, cap * sizeof *last);
        if (last)
            w->last = last;
        uint32_t *count = realloc(w->ps->count, cap * sizeof *count);
        if (count)
            w->ps->count = count;
        if (!last || !count) {
            w->nomem = 1;
            return;
        }
        memset(w->last + w->cap, 0, (cap - w->cap) * sizeof *last);
        memset(w->ps->count + w->cap, 0, (cap - w->cap) * sizeof *count);
        w->cap = cap;
    }
    if (id >= w->ps->n)
        w->ps->n = (size_t)id + 1;
    if (w->last[id] != w->sample) {
        w->last[id] = w->sample;
        w->ps->count[id]++;
    }
}

static void value(struct walk *w, size_t len, int depth);

static void object(struct walk *w, size_t len, int depth)
{
    w->i++; /* '{' */
    for (;;) {
        if (w->nomem)
            return;
        size_t ka, kb;
        enum jscan_member m = jscan_next_member(w->s, w->n, &w->i, &ka, &kb);
        if (m == JSCAN_BAD)
            w->i = w->n;
        if (m != JSCAN_MEMBER)
            return;
        char key[PATH_MAX_LEN + 2];
        size_t klen = kb - ka <= sizeof key ? jsonfmt_unescape(w->s + ka, kb - ka, key) : 0;
        size_t plen = len + (len ? 1 : 0) + klen;
        struct path probe;
        struct path_error err;
        int named = 0;
        if (klen > 0 && plen <= PATH_MAX_LEN && path_parse(key, klen, &probe, &err) == 0) {
            named = probe.nsteps == 1; /* a key with a '.' would read as two */
            path_free(&probe);
        }
        if (named) {
            if (len)
                w->path[len] = '.';
            memcpy(w->path + len + (len ? 1 : 0), key, klen);
            note(w, plen);
            value(w, plen, depth + 1);
        } else {
            value(w, len, MAX_DEPTH); /* skipped, not walked into */
        }
    }
}

/* The value at w->i for the path w->path[0..len); leaves the cursor after it. */
static void value(struct walk *w, size_t len, int depth)
{
    if (w->i >= w->n)
        return;
    char c = w->s[w->i];
    if (c == '{' && depth < MAX_DEPTH) {
        object(w, len, depth);
        return;
    }
    if (c == '[' && depth < MAX_DEPTH) {
        w->i++;
        for (;;) {
            ws(w);
            if (w->i >= w->n || w->nomem)
                return;
            if (w->s[w->i] == ']') {
                w->i++;
                return;
            }
            if (w->s[w->i] == ',') {
                w->i++;
                continue;
            }
            size_t before = w->i;
            value(w, len, depth + 1);
            if (w->i == before)
                return;
        }
    }
    skip(w); /* a scalar, or a container too deep to walk */
}

static int by_count(const void *a, const void *b, void *ctx)
{
    const struct pathseen *ps = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (ps->count[x] != ps->count[y])
        return ps->count[x] > ps->count[y] ? -1 : 1;
    return strcmp(intern_str(ps->names, x), intern_str(ps->names, y));
}

int pathseen_collect(struct store *s, const uint32_t *idx, size_t n, size_t max_events, struct pathseen *ps)
{
    memset(ps, 0, sizeof *ps);
    if (!(ps->names = intern_new()))
        return -1;
    struct walk w = {0};
    w.ps = ps;
    size_t step = max_events && n > max_events ? n / max_events : 1;
    for (size_t j = 0; j < n && !w.nomem; j += step) {
        size_t len;
        char *err = NULL;
        const char *raw = store_raw(s, &s->events[idx ? idx[j] : j], &len, &err);
        free(err);
        if (!raw)
            continue;
        w.s = raw;
        w.n = len;
        w.i = 0;
        w.sample++;
        ws(&w);
        if (w.i < w.n && raw[w.i] == '{')
            object(&w, 0, 0);
    }
    free(w.last);
    /* id 0 is the empty string, never a path */
    ps->ids = malloc((ps->n ? ps->n : 1) * sizeof *ps->ids);
    if (w.nomem || !ps->ids) {
        pathseen_free(ps);
        return -1;
    }
    size_t k = 0;
    for (size_t id = 1; id < ps->n; id++)
        ps->ids[k++] = (uint32_t)id;
    ps->n = k;
    qsort_r(ps->ids, ps->n, sizeof *ps->ids, by_count, ps);
    return 0;
}

void pathseen_free(struct pathseen *ps)
{
    intern_free(ps->names);
    free(ps->ids);
    free(ps->count);
    memset(ps, 0, sizeof *ps);
}

const char *pathseen_name(const struct pathseen *ps, size_t k)
{
    return intern_str(ps->names, ps->ids[k]);
}
