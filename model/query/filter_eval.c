/* filter_eval: evaluating a compiled filter over the store, a chunk of events at a time.
 *
 * Each node computes a bit set for the chunk, only where its parent still cares: the right side of an
 * AND runs only on events the left side kept, the right side of an OR only on those it dropped. So a
 * costly word behind a cheap field term only looks at the few events the field term let through. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/query/filter_impl.h"
#include "model/base/cores.h"
#include "model/base/grow.h"
#include "model/identity/origin.h"
#include "model/base/timefmt.h"

static int tail_matches(const struct term *t, const char *s, size_t len, char sep)
{
    const char *cut = memrchr(s, sep, len);
    if (!cut)
        return 0;
    size_t off = (size_t)(cut + 1 - s);
    return filter_pattern_matches(t, s + off, len - off);
}

/* The pattern of a field term against one interned string. */
static int string_matches(const struct term *t, const char *s, size_t len)
{
    if (t->kind == TK_IP) {
        if (t->use_net)
            return ipnet_contains(&t->net, s, len);
        return filter_pattern_matches(t, s, len);
    }
    if (filter_pattern_matches(t, s, len))
        return 1;
    if (!t->spec)
        return 0;
    if (t->spec->xf == XF_SERVICE) {
        static const char suffix[] = ".amazonaws.com";
        size_t sl = sizeof suffix - 1;
        return len > sl && memcmp(s + len - sl, suffix, sl) == 0 && filter_pattern_matches(t, s, len - sl);
    }
    if (t->spec->xf == XF_TAIL)
        return tail_matches(t, s, len, '/') || tail_matches(t, s, len, ':');
    return 0;
}

static int ensure_memo(struct filter *f, struct term *t)
{
    if (!t->memo)
        t->memo = calloc(f->nstrings ? f->nstrings : 1, 1);
    return t->memo ? 0 : -1;
}

/* Whether interned string id passes a field term, computed once per id. Id 0 (absent) never does. */
static inline int id_matches(struct filter *f, struct term *t, uint32_t id)
{
    if (id == 0 || id >= f->nstrings)
        return 0;
    unsigned char m = t->memo[id];
    if (!m) {
        const struct intern *in = f->s->strings;
        m = string_matches(t, intern_str(in, id), intern_len(in, id)) ? 2 : 1;
        t->memo[id] = m;
    }
    return m == 2;
}

/* A field term against field ef of event e: by intern id, or by its text for a binary UUID. */
static int field_matches(struct filter *f, struct term *t, const struct event *e, enum event_field ef)
{
    if (!store_field_binary(f->s, e, ef))
        return id_matches(f, t, store_field(f->s, e, ef));
    char buf[STORE_UUID_TEXT];
    size_t len;
    const char *s = store_field_text(f->s, e, ef, buf, &len);
    return string_matches(t, s, len);
}

/* Word terms against strings [from, to): each string read once (a cold piece's block decompressed once per
 * lane), tested against every word. 0, or -1 when out of memory. */
struct prep_lane {
    struct filter *f;
    struct term **words;
    int nwords;
    uint32_t from, to;
    struct intern_cursor *cur;
    int failed;
};

static void *prep_run(void *arg)
{
    struct prep_lane *l = arg;
    const struct intern *in = l->f->s->strings;
    for (uint32_t id = l->from; id < l->to; id++) {
        size_t len;
        const char *str = intern_get(in, id, l->cur, &len);
        if (!str) {
            l->failed = 1;
            break;
        }
        for (int w = 0; w < l->nwords; w++)
            l->words[w]->memo[id] = filter_pattern_contains(l->words[w], str, len) ? 2 : 1;
    }
    return NULL;
}

/* Strings a slice needs before it is worth a thread: most of them are cold pieces, a block decompressed per
 * few dozen, and free text must keep up as the user types (on every core). */
#define PREP_LANE_MIN 8192

int filter_prepare_words(struct filter *f, uint32_t n)
{
    uint32_t from = f->prepared ? f->prepared : 1;
    uint32_t end = f->nstrings - f->prepared < n ? f->nstrings : f->prepared + n;
    struct term *words[64];
    int nwords = 0, regex = 0;
    for (size_t k = 0; k < f->nnodes; k++) {
        struct term *t = &f->nodes[k].term;
        if (f->nodes[k].kind != NODE_TERM || t->kind != TK_WORD)
            continue;
        if (ensure_memo(f, t) != 0)
            return -1;
        regex |= t->re != NULL; /* a regex's match data is the term's own: one thread */
        if (nwords == 64) {     /* more words than that: in turns */
            struct prep_lane l = {f, words, nwords, from, end, &f->cold[0], 0};
            prep_run(&l);
            if (l.failed)
                return -1;
            nwords = 0;
        }
        words[nwords++] = t;
    }
    int lanes = regex || end - from < 2 * PREP_LANE_MIN ? 1 : cores_count();
    if (lanes > FILTER_WORD_LANES)
        lanes = FILTER_WORD_LANES;
    if ((uint32_t)lanes > (end - from) / PREP_LANE_MIN)
        lanes = (int)((end - from) / PREP_LANE_MIN) > 1 ? (int)((end - from) / PREP_LANE_MIN) : 1;
    struct prep_lane l[FILTER_WORD_LANES] = {{0}};
    pthread_t tid[FILTER_WORD_LANES];
    int started[FILTER_WORD_LANES] = {0};
    uint32_t part = (end - from) / (uint32_t)lanes;
    for (int k = 0; k < lanes; k++)
        l[k] = (struct prep_lane){f,
                                  words,
                                  nwords,
                                  from + (uint32_t)k * part,
                                  k + 1 == lanes ? end : from + (uint32_t)(k + 1) * part,
                                  &f->cold[k],
                                  0};
    for (int k = 1; k < lanes; k++)
        started[k] = pthread_create(&tid[k], NULL, prep_run, &l[k]) == 0;
    prep_run(&l[0]);
    int failed = l[0].failed;
    for (int k = 1; k < lanes; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            prep_run(&l[k]);
        failed |= l[k].failed;
    }
    if (failed)
        return -1;
    f->prepared = end;
    return 0;
}

/* The path term's memo covers every value its index has so far (the index grows while it is built). */
static int ensure_path_memo(struct term *t)
{
    size_t n = intern_count(t->px->values);
    if (n <= t->memo_n && t->memo)
        return 0;
    unsigned char *m = realloc(t->memo, n ? n : 1);
    if (!m)
        return -1;
    memset(m + t->memo_n, 0, (n ? n : 1) - t->memo_n);
    t->memo = m;
    t->memo_n = n ? n : 1;
    return 0;
}

/* Whether any value of the path term's index for event i matches (the index covers i). */
static int path_matches(struct term *t, size_t i)
{
    const uint32_t *ids;
    uint32_t one;
    size_t n = pathindex_ids(t->px, i, &ids, &one);
    const struct intern *in = t->px->values;
    for (size_t k = 0; k < n; k++) {
        unsigned char m = t->memo[ids[k]];
        if (!m) {
            m = filter_pattern_matches(t, intern_str(in, ids[k]), intern_len(in, ids[k])) ? 2 : 1;
            t->memo[ids[k]] = m;
        }
        if (m == 2)
            return 1;
    }
    return 0;
}

int filter_prepare_paths(struct filter *f, size_t work)
{
    /* The indexes are caches the store keeps for every later filter: filling them changes no event. */
    struct store *s = (struct store *)f->s;
    for (size_t k = 0; k < f->nnodes; k++) {
        struct term *t = &f->nodes[k].term;
        if (f->nodes[k].kind != NODE_TERM || t->kind != TK_PATH || t->px->covered >= s->nevents)
            continue;
        return pathindex_build(s, t->px, work) < 0 ? -1 : 0;
    }
    return 1;
}

int filter_run_indexing(const struct filter_run *r, const char **path)
{
    const struct filter *f = r->f;
    if (r->done || r->paths_ready || (f->nwords && f->prepared < f->nstrings))
        return -1;
    for (size_t k = 0; k < f->nnodes; k++) {
        const struct term *t = &f->nodes[k].term;
        if (f->nodes[k].kind == NODE_TERM && t->kind == TK_PATH && t->px->covered < f->s->nevents) {
            *path = t->px->path.text;
            return pathindex_percent(f->s, t->px);
        }
    }
    return -1;
}

/* Whether a word could occur in a UUID's text: hex digits, '-' and '*' only (an expression may). */
static int uuid_could_hold(const struct term *t)
{
    if (t->re)
        return 1;
    for (size_t k = 0; k < t->plen; k++)
        if (!isxdigit((unsigned char)t->pat[k]) && t->pat[k] != '-' && t->pat[k] != '*')
            return 0;
    return 1;
}

static int word_matches(const struct filter *f, const struct term *t, const struct event *e)
{
    const unsigned char *memo = t->memo;
    const uint32_t *run;
    size_t nrun;
    const uint32_t *dense = store_ids(f->s, e, &run, &nrun);
    for (int k = 0; k < EVENT_DENSE; k++)
        if (memo[dense[k]] == 2)
            return 1;
    for (size_t k = 0; k < nrun; k++)
        if (memo[run[k]] == 2)
            return 1;
    if ((e->flags & (EVF_ID_UUID | EVF_REQ_UUID)) && uuid_could_hold(t)) {
        char buf[STORE_UUID_TEXT];
        size_t len;
        for (size_t b = 0; b < sizeof store_binary_fields / sizeof *store_binary_fields; b++) {
            enum event_field ef = store_binary_fields[b].f;
            if (!store_field_binary(f->s, e, ef))
                continue;
            const char *s = store_field_text(f->s, e, ef, buf, &len);
            if (filter_pattern_contains(t, s, len))
                return 1;
        }
    }
    if ((t->timeish || t->re) && e->time_ms != TIME_NONE) {
        char buf[TIMEFMT_BUF];
        const char *txt = timefmt_format(e->time_ms, buf);
        return filter_pattern_contains(t, txt, strlen(txt));
    }
    return 0;
}

/* Whether any value of the term's field for event i matches (out of memory: none does). */
static int values_match(const struct filter *f, struct term *t, size_t i)
{
    if (field_keys(f->s, t->fld, i, &t->fkeys) <= 0)
        return 0;
    for (size_t k = 0; k < t->fkeys.n; k++) {
        char buf[FIELD_KEY_BUF];
        size_t len;
        const char *v = field_key_text(f->s, t->fld, t->fkeys.k[k], buf, &len);
        if (filter_pattern_matches(t, v, len))
            return 1;
    }
    return 0;
}

static int term_matches(struct filter *f, struct term *t, const struct event *e)
{
    switch (t->kind) {
    case TK_GLOB:
    case TK_IP:
        for (int k = 0; k < t->spec->nfields; k++)
            if (field_matches(f, t, e, t->spec->fields[k]))
                return 1;
        return 0;
    case TK_ERROR:
        if (t->any)
            return store_event_failed(f->s, e);
        return id_matches(f, t, store_field(f->s, e, EF_ERROR_CODE)) ||
               id_matches(f, t, store_field(f->s, e, EF_ERROR_MESSAGE));
    case TK_RES: {
        const uint32_t *ids = store_res_ids(f->s, e);
        for (int k = 0; k < e->res_count; k++)
            if (id_matches(f, t, ids[k]))
                return 1;
        return 0;
    }
    case TK_OUTCOME:
        return store_event_failed(f->s, e) == t->failed;
    case TK_RO:
        return (e->flags & (t->ro ? EVF_READONLY_TRUE : EVF_READONLY_FALSE)) != 0;
    case TK_AFTER:
        return e->time_ms != TIME_NONE && e->time_ms >= t->time;
    case TK_BEFORE:
        return e->time_ms < t->time;
    case TK_WORD:
        return word_matches(f, t, e);
    case TK_ORIGIN: {
        /* the actor's key (its arn is the key or ends with it after '/' or ':', origin.h), or an
         * Identity Center user's name */
        const struct origins *o = origins_of(f->s);
        size_t i = (size_t)(e - f->s->events);
        if (!o || i >= o->nevents)
            return 0;
        const struct origin_actor *a = &o->actors[origins_actor_of(o, i)];
        return id_matches(f, t, a->arn) || (a->name && string_matches(t, a->name, strlen(a->name)));
    }
    case TK_INDEXED:
        return field_matches(f, t, e, t->ef);
    case TK_PATH:
        return path_matches(t, (size_t)(e - f->s->events));
    case TK_RULE:
    case TK_LEVEL:
        return filter_findings_match(f, t, (size_t)(e - f->s->events));
    case TK_FIELD:
        return values_match(f, t, (size_t)(e - f->s->events));
    }
    return 0;
}

static int eval_node(struct filter *f, int idx, size_t lo, size_t words, const uint64_t *care)
{
    struct node *n = &f->nodes[idx];
    switch (n->kind) {
    case NODE_ALL:
        memcpy(n->bits, care, words * sizeof *care);
        return 0;
    case NODE_TERM: {
        struct term *t = &n->term;
        if (t->hits) {
            filter_index_bits(t->hits, f->s->nevents, lo, words, care, n->bits);
            return 0;
        }
        if (t->kind == TK_PATH) {
            size_t need = lo + words * 64 < f->s->nevents ? lo + words * 64 : f->s->nevents;
            if (pathindex_cover((struct store *)f->s, t->px, need) != 0 || ensure_path_memo(t) != 0)
                return -1;
        } else if (t->kind != TK_WORD && t->kind != TK_RO && t->kind != TK_AFTER && t->kind != TK_BEFORE &&
                   t->kind != TK_RULE && t->kind != TK_LEVEL && t->kind != TK_OUTCOME &&
                   t->kind != TK_FIELD && !(t->kind == TK_ERROR && t->any) && ensure_memo(f, t) != 0)
            return -1;
        const struct event *ev = f->s->events + lo;
        for (size_t w = 0; w < words; w++) {
            uint64_t in = care[w], out = 0;
            while (in) {
                int b = __builtin_ctzll(in);
                in &= in - 1;
                if (term_matches(f, t, &ev[w * 64 + (size_t)b]))
                    out |= 1ull << b;
            }
            n->bits[w] = out;
        }
        return 0;
    }
    case NODE_NOT: {
        if (eval_node(f, n->left, lo, words, care) != 0)
            return -1;
        const uint64_t *c = f->nodes[n->left].bits;
        for (size_t w = 0; w < words; w++)
            n->bits[w] = care[w] & ~c[w];
        return 0;
    }
    case NODE_AND:
    case NODE_OR: {
        if (eval_node(f, n->left, lo, words, care) != 0)
            return -1;
        const uint64_t *l = f->nodes[n->left].bits;
        for (size_t w = 0; w < words; w++)
            n->care[w] = n->kind == NODE_AND ? care[w] & l[w] : care[w] & ~l[w];
        if (eval_node(f, n->right, lo, words, n->care) != 0)
            return -1;
        const uint64_t *r = f->nodes[n->right].bits;
        for (size_t w = 0; w < words; w++)
            n->bits[w] = n->kind == NODE_AND ? r[w] : l[w] | r[w];
        return 0;
    }
    }
    return 0;
}

int filter_eval_chunk(struct filter *f, size_t lo, size_t cnt, const uint64_t *care)
{
    return eval_node(f, f->root, lo, (cnt + 63) / 64, care);
}

void filter_run_init(struct filter_run *r, struct filter *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
}

static int push_shown(struct filter_run *r, const uint64_t *bits, size_t lo, size_t cnt)
{
    if (grow_array_from((void **)&r->shown, &r->cap, r->nshown + cnt, sizeof *r->shown, 1024) != 0)
        return -1;
    for (size_t w = 0; w < (cnt + 63) / 64; w++) {
        uint64_t b = bits[w];
        while (b) {
            r->shown[r->nshown++] = (uint32_t)(lo + w * 64 + (size_t)__builtin_ctzll(b));
            b &= b - 1;
        }
    }
    return 0;
}

int filter_run_step(struct filter_run *r, size_t work)
{
    if (r->done)
        return 1;
    struct filter *f = r->f;
    if (work == 0)
        work = 1;
    if (f->nwords && f->prepared < f->nstrings) {
        if (filter_prepare_words(f, work > UINT32_MAX ? UINT32_MAX : (uint32_t)work) != 0)
            r->failed = r->done = 1;
        return r->done;
    }
    if (!r->paths_ready) {
        int ready = filter_prepare_paths(f, work);
        if (ready < 0)
            r->failed = r->done = 1;
        r->paths_ready = ready == 1;
        return r->done;
    }
    if (!f->indexed) {
        int ready = filter_index_prepare(f, work);
        if (ready < 0)
            r->failed = r->done = 1;
        f->indexed = ready == 1;
        return r->done;
    }
    size_t total = f->s->nevents;
    /* Chunks stay word-aligned so the bit sets line up with event indexes. */
    size_t cnt = work < FILTER_CHUNK ? ((work + 63) / 64) * 64 : FILTER_CHUNK;
    if (cnt > total - r->next)
        cnt = total - r->next;
    if (cnt) {
        uint64_t care[FILTER_CHUNK_WORDS];
        size_t words = (cnt + 63) / 64;
        memset(care, 0xff, words * sizeof *care);
        if (cnt % 64)
            care[words - 1] = (1ull << (cnt % 64)) - 1;
        if (filter_eval_chunk(f, r->next, cnt, care) != 0 ||
            push_shown(r, f->nodes[f->root].bits, r->next, cnt) != 0) {
            r->failed = r->done = 1;
            return 1;
        }
        r->next += cnt;
    }
    if (r->next >= total)
        r->done = 1;
    return r->done;
}

/* Units a time-bounded run does between two looks at the clock, in the phases where one unit may be a
 * /REGEX/ test (a word against one interned string; an event, each of whose values may be tested): an
 * expression that reaches FILTER_RE_MATCH_LIMIT costs a few milliseconds per test, so a slice of
 * RUN_SLICE_STRINGS strings, or of one 64-event chunk, ends a step at most a few tenths of a second past
 * its budget even when every test gives up. Without expressions, a unit costs microseconds: whole
 * chunks. */
#define RUN_SLICE_STRINGS 16
#define RUN_SLICE_EVENTS  64

static int has_regex(const struct filter *f)
{
    for (size_t k = 0; k < f->nnodes; k++)
        if (f->nodes[k].kind == NODE_TERM && f->nodes[k].term.re)
            return 1;
    return 0;
}

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int filter_run_for(struct filter_run *r, double seconds)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const struct filter *f = r->f;
    int re = has_regex(f);
    do {
        size_t work = FILTER_CHUNK;
        if (f->nwords && f->prepared < f->nstrings)
            work = RUN_SLICE_STRINGS;
        else if (re && r->paths_ready && f->indexed)
            work = RUN_SLICE_EVENTS;
        if (filter_run_step(r, work))
            return 1;
    } while (since(&t0) < seconds);
    return 0;
}

int filter_run_all(struct filter_run *r)
{
    while (!filter_run_step(r, FILTER_CHUNK))
        ;
    return r->failed ? -1 : 0;
}

uint32_t *filter_run_take(struct filter_run *r, size_t *n)
{
    uint32_t *s = r->shown;
    *n = r->nshown;
    r->shown = NULL;
    r->nshown = r->cap = 0;
    return s;
}

void filter_run_free(struct filter_run *r)
{
    free(r->shown);
    r->shown = NULL;
    r->nshown = r->cap = 0;
}

int filter_string_matches(const struct term *t, const char *s, size_t len)
{
    return string_matches(t, s, len);
}

int filter_match(struct filter *f, size_t i)
{
    while (f->nwords && f->prepared < f->nstrings)
        if (filter_prepare_words(f, UINT32_MAX) != 0)
            return -1;
    uint64_t care = 1;
    if (filter_eval_chunk(f, i, 1, &care) != 0)
        return -1;
    return (int)(f->nodes[f->root].bits[0] & 1);
}
