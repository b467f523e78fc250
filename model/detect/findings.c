#include "model/detect/findings.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/cores.h"
#include "model/base/grow.h"
#include "model/store/intern.h"
#include "model/json/jsonfmt.h"
#include "model/json/path.h"
#include "model/index/piecepath.h"
#include "model/detect/sigma_impl.h"

/* An (event, rule) pair the first pass could not decide, with where the event's bytes are. */
struct pending {
    uint32_t source, off, ev, rule;
};

struct hits {
    uint32_t *ev; /* owned */
    size_t n, cap;
    size_t attempts; /* of ev, those whose call failed (set by finish) */
};

/* One field the rules use, and its values for the event being read. */
struct field_cache {
    struct path path;         /* owned; empty when the rule set's name is not a path (never matches) */
    int indexed;              /* the event_field holding it, or -1 */
    size_t ev;                /* event the values are for, SIZE_MAX: none */
    struct path_values pv;    /* owned */
    struct piecepath_memo pm; /* owned: its values per piece of the events */
    struct sigma_value *vals; /* owned */
    size_t n, cap;
    char uuid[STORE_UUID_TEXT]; /* the text of an indexed field the store holds as a binary UUID */
};

enum phase { PH_CHEAP, PH_SORT, PH_FULL, PH_FINISH, PH_DONE };

/* Gates (sigma_rule_gates) on eventSource or eventName: a rule whose gates all fail on an event's value
 * of that field cannot match it. Their answers depend only on the value, so they are remembered per
 * interned value: one row of per-rule answers (0 not asked, 1 pass, 2 skip) per distinct value. */
#define GATES_MAX 64
static const enum event_field gate_fields[] = {EF_SOURCE, EF_NAME};
#define NGATE_FIELDS (sizeof gate_fields / sizeof *gate_fields)

struct gate_memo {
    uint32_t *keys; /* owned: open addressing, 0 empty */
    uint8_t **rows; /* owned: per key, nrules answers (owned) */
    size_t cap, n;
};

struct rule_gate {
    int field; /* index into gate_fields, -1: no gate */
    const struct sigma_test *tests[GATES_MAX];
    size_t ntests;
};

struct findings {
    const struct sigma_set *set;
    struct store *s;
    size_t nrules, nev;
    struct hits *hits; /* per rule */
    struct pending *later;
    size_t nlater, later_cap, later_next;
    size_t next_ev, end_ev; /* the first pass: [next_ev, end_ev) left, positions in order */
    /* borrowed from the first lane (owned there, NULL: time order): the events in the order they were
     * loaded, in which their cold pieces lie (intern.h): the first pass goes that way, so a block is
     * decompressed once, not once per event that reads it */
    const uint32_t *order;
    uint32_t *order_owned;
    int order_tried;
    struct rule_gate *gates;             /* owned: per rule */
    struct gate_memo memo[NGATE_FIELDS]; /* owned */
    enum phase phase;
    int failed;
    struct field_cache *fields; /* per path id */
    size_t nfields;
    /* The event whose bytes are read (second pass): valid until the next store_raw. */
    size_t cur_ev;
    const char *raw;
    size_t raw_len;
    int cur_failed;
    char *text; /* owned: the event's JSON minified, for keywords (made on first use) */
    size_t text_cap;
    int text_ready;
    struct sigma_value text_val;
    size_t read, read_errors;
    size_t re_gave_up;         /* regular expressions that gave up on a value (sigma_source.re_gave_up) */
    struct intern_cursor cold; /* owned: the cold pieces' block the field caches read last */
    /* Results, once complete. */
    uint32_t *ev_first; /* nev + 1 offsets into ev_rules */
    uint32_t *ev_rules;
    int8_t *ev_level;
};

static void drop_event(struct findings *f)
{
    f->cur_ev = SIZE_MAX;
    f->raw = NULL;
    f->cur_failed = 0;
    f->text_ready = 0;
}

static int load_event(struct findings *f, size_t ev)
{
    if (f->cur_ev == ev)
        return f->cur_failed ? -1 : 0;
    drop_event(f);
    f->cur_ev = ev;
    char *err = NULL;
    f->raw = store_raw(f->s, &f->s->events[ev], &f->raw_len, &err);
    free(err);
    f->read++;
    if (!f->raw) {
        f->cur_failed = 1;
        f->read_errors++;
        return -1;
    }
    return 0;
}

/* The values of field c for event ev, as the engine takes them; they live in c until c is asked about
 * another event, so a fieldref can hold one field's values while it fetches the other's. */
static int set_values(struct field_cache *c, size_t n)
{
    if (grow_array((void **)&c->vals, &c->cap, n ? n : 1, sizeof *c->vals) != 0)
        return -1;
    c->n = n;
    return 0;
}

static enum sigma_fetch fetch(void *ctx, size_t ev, int path_id, int cheap, const struct sigma_value **vals,
                              size_t *n)
{
    struct findings *f = ctx;
    *n = 0;
    if (path_id < 0) { /* keywords: the event's JSON as logged, minified */
        if (cheap)
            return SIGMA_FETCH_LATER;
        if (load_event(f, ev) != 0)
            return SIGMA_FETCH_ERROR;
        if (!f->text_ready) {
            if (grow_array((void **)&f->text, &f->text_cap, f->raw_len + 1, 1) != 0)
                return SIGMA_FETCH_ERROR;
            size_t len = jsonfmt_minify(f->raw, f->raw_len, f->text);
            f->text_val = (struct sigma_value){f->text, len, SV_STRING};
            f->text_ready = 1;
        }
        *vals = &f->text_val;
        *n = 1;
        return SIGMA_FETCH_OK;
    }
    struct field_cache *c = &f->fields[path_id];
    if (c->ev == ev) {
        *vals = c->vals;
        *n = c->n;
        return SIGMA_FETCH_OK;
    }
    const struct event *e = &f->s->events[ev];
    uint32_t id = c->indexed >= 0 ? store_field(f->s, e, c->indexed) : 0;
    if (c->indexed >= 0 && store_field_binary(f->s, e, c->indexed)) {
        if (set_values(c, 1) != 0)
            return SIGMA_FETCH_ERROR;
        size_t len;
        store_field_text(f->s, e, c->indexed, c->uuid, &len);
        c->vals[0] = (struct sigma_value){c->uuid, len, SV_STRING};
    } else if (id) {
        if (set_values(c, 1) != 0)
            return SIGMA_FETCH_ERROR;
        c->vals[0] =
            (struct sigma_value){intern_str(f->s->strings, id), intern_len(f->s->strings, id), SV_STRING};
    } else {
        /* Nothing indexed (missing, null, empty, an object) or not an indexed field: the event's pieces
         * hold it, or else its bytes. */
        int got = piecepath_get(&c->pm, &c->path, f->s, ev, &c->pv);
        if (got == -2) {
            if (cheap)
                return SIGMA_FETCH_LATER;
            if (load_event(f, ev) != 0)
                return SIGMA_FETCH_ERROR;
            got = path_get(&c->path, f->raw, f->raw_len, &c->pv);
        }
        if (got < 0 || set_values(c, (size_t)got) != 0)
            return SIGMA_FETCH_ERROR;
        for (size_t k = 0; k < (size_t)got; k++) {
            size_t len;
            const char *s = path_value(&c->pv, k, &len);
            c->vals[k] = (struct sigma_value){s, len, SV_STRING};
        }
    }
    /* Values read from the bytes are kept only while the event is (cheap ones could be kept longer,
     * but the next event comes at once). */
    c->ev = ev;
    *vals = c->vals;
    *n = c->n;
    return SIGMA_FETCH_OK;
}

struct findings *findings_new(const struct sigma_set *set, struct store *s)
{
    struct findings *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->set = set;
    f->s = s;
    f->nrules = sigma_set_count(set);
    f->nev = f->end_ev = s->nevents;
    f->cur_ev = SIZE_MAX;
    f->nfields = sigma_set_paths(set);
    f->hits = calloc(f->nrules ? f->nrules : 1, sizeof *f->hits);
    f->fields = calloc(f->nfields ? f->nfields : 1, sizeof *f->fields);
    if (!f->hits || !f->fields) {
        findings_free(f);
        return NULL;
    }
    if (!(f->gates = calloc(f->nrules ? f->nrules : 1, sizeof *f->gates))) {
        findings_free(f);
        return NULL;
    }
    for (size_t r = 0; r < f->nrules; r++) {
        struct rule_gate *g = &f->gates[r];
        g->field = -1;
        for (size_t k = 0; k < NGATE_FIELDS && g->field < 0; k++)
            for (size_t p = 0; p < f->nfields; p++)
                if (strcmp(sigma_set_path(set, p), event_field_path(gate_fields[k])) == 0 &&
                    (g->ntests = sigma_rule_gates(sigma_set_rule(set, r), (int)p, g->tests, GATES_MAX)) > 0) {
                    g->field = (int)k;
                    break;
                }
    }
    for (size_t p = 0; p < f->nfields; p++) {
        struct field_cache *c = &f->fields[p];
        const char *name = sigma_set_path(set, p);
        struct path_error err;
        path_values_init(&c->pv);
        c->ev = SIZE_MAX;
        c->indexed = -1;
        path_parse(name, strlen(name), &c->path, &err); /* the reader refused rules whose names are not */
        piecepath_init(&c->pm, &c->path);
        c->pm.shared = &f->cold;
        for (int e = 0; e < EF__COUNT; e++)
            if (strcmp(event_field_path((enum event_field)e), name) == 0)
                c->indexed = e;
    }
    return f;
}

void findings_free(struct findings *f)
{
    if (!f)
        return;
    for (size_t r = 0; r < f->nrules && f->hits; r++)
        free(f->hits[r].ev);
    for (size_t g = 0; g < NGATE_FIELDS; g++) {
        for (size_t i = 0; i < f->memo[g].cap; i++)
            free(f->memo[g].rows[i]);
        free(f->memo[g].keys);
        free(f->memo[g].rows);
    }
    free(f->gates);
    for (size_t p = 0; p < f->nfields && f->fields; p++) {
        path_free(&f->fields[p].path);
        path_values_free(&f->fields[p].pv);
        piecepath_free(&f->fields[p].pm);
        free(f->fields[p].vals);
    }
    free(f->fields);
    free(f->hits);
    free(f->later);
    free(f->text);
    free(f->ev_first);
    free(f->ev_rules);
    free(f->ev_level);
    free(f->order_owned);
    intern_cursor_free(&f->cold);
    free(f);
}

static int add_hit(struct findings *f, size_t r, size_t ev)
{
    struct hits *h = &f->hits[r];
    if (grow_array((void **)&h->ev, &h->cap, h->n + 1, sizeof *h->ev) != 0)
        return -1;
    h->ev[h->n++] = (uint32_t)ev;
    return 0;
}

static int cmp_pending(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if (x->ev != y->ev)
        return x->ev < y->ev ? -1 : 1;
    return (x->rule > y->rule) - (x->rule < y->rule);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sorts each rule's events into time order and builds the per-event lists. */
static int finish(struct findings *f)
{
    size_t total = 0;
    for (size_t r = 0; r < f->nrules; r++) {
        if (f->hits[r].n > 1)
            qsort(f->hits[r].ev, f->hits[r].n, sizeof(uint32_t), cmp_u32);
        total += f->hits[r].n;
    }
    f->ev_first = calloc(f->nev + 1, sizeof *f->ev_first);
    f->ev_rules = malloc((total ? total : 1) * sizeof *f->ev_rules);
    f->ev_level = malloc(f->nev ? f->nev : 1);
    if (!f->ev_first || !f->ev_rules || !f->ev_level)
        return -1;
    memset(f->ev_level, -1, f->nev);
    for (size_t r = 0; r < f->nrules; r++)
        for (size_t k = 0; k < f->hits[r].n; k++)
            f->ev_first[f->hits[r].ev[k] + 1]++;
    for (size_t e = 0; e < f->nev; e++)
        f->ev_first[e + 1] += f->ev_first[e];
    uint32_t *fill = calloc(f->nev ? f->nev : 1, sizeof *fill);
    if (!fill)
        return -1;
    for (size_t r = 0; r < f->nrules; r++) {
        int lvl = (int)sigma_rule_level(sigma_set_rule(f->set, r));
        for (size_t k = 0; k < f->hits[r].n; k++) {
            uint32_t e = f->hits[r].ev[k];
            f->ev_rules[f->ev_first[e] + fill[e]++] = (uint32_t)r;
            f->hits[r].attempts += (size_t)store_event_failed(f->s, &f->s->events[e]);
            if (lvl > f->ev_level[e])
                f->ev_level[e] = (int8_t)lvl;
        }
    }
    free(fill);
    return 0;
}

/* The first pass over events [f->next_ev, end): hits and undecided pairs into f. Returns 0, or -1 when
 * out of memory. */
/* The remembered gate answers for value id of gate field g (a zeroed row when new), or NULL when out of
 * memory. */
static uint8_t *gate_row(struct findings *f, size_t g, uint32_t id)
{
    struct gate_memo *m = &f->memo[g];
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        uint32_t *keys = calloc(cap, sizeof *keys);
        uint8_t **rows = calloc(cap, sizeof *rows);
        if (!keys || !rows) {
            free(keys);
            free(rows);
            return NULL;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = (m->keys[i] * 2654435761u) & (cap - 1);
                while (keys[j])
                    j = (j + 1) & (cap - 1);
                keys[j] = m->keys[i];
                rows[j] = m->rows[i];
            }
        free(m->keys);
        free(m->rows);
        m->keys = keys;
        m->rows = rows;
        m->cap = cap;
    }
    size_t j = (id * 2654435761u) & (m->cap - 1);
    while (m->keys[j] && m->keys[j] != id)
        j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) {
        if (!(m->rows[j] = calloc(f->nrules ? f->nrules : 1, 1)))
            return NULL;
        m->keys[j] = id;
        m->n++;
    }
    return m->rows[j];
}

/* Whether rule r may match event ev as far as its gate says (1), or cannot (0); -1 when out of memory. */
static int gate_open(struct findings *f, size_t r, size_t ev, uint8_t **rows)
{
    const struct rule_gate *g = &f->gates[r];
    if (g->field < 0)
        return 1;
    uint32_t id = store_field(f->s, &f->s->events[ev], gate_fields[g->field]);
    if (!id)
        return 1; /* missing, empty or not a string: the rule itself decides */
    if (!rows[g->field] && !(rows[g->field] = gate_row(f, (size_t)g->field, id)))
        return -1;
    uint8_t *a = &rows[g->field][r];
    if (!*a) {
        struct sigma_value v = {intern_str(f->s->strings, id), intern_len(f->s->strings, id), SV_STRING};
        *a = 2;
        for (size_t k = 0; k < g->ntests && *a == 2; k++)
            if (sigma_test_holds(g->tests[k], &v, 1))
                *a = 1;
    }
    return *a == 1;
}

/* sigma_rule_eval of rule r on event ev; a regular expression that gave up and left the rule unmatched
 * is a problem of the event's file (its answer is unknown, not "no"). */
static enum sigma_result eval_rule(struct findings *f, size_t r, size_t ev, int cheap)
{
    size_t before = f->re_gave_up;
    struct sigma_source src = {f, fetch, &f->re_gave_up};
    const struct sigma_rule *rule = sigma_set_rule(f->set, r);
    enum sigma_result res = sigma_rule_eval(rule, &src, ev, cheap);
    if (f->re_gave_up != before && res == SIGMA_NO) {
        const struct event *e = &f->s->events[ev];
        /* out of memory loses the row only: the run goes on */
        (void)problems_add(&f->s->problems, PROBLEM_RECORD, f->s->sources[e->source].path, e->raw_off, -1,
                           "Sigma rule '%s' (%s): a regular expression gave up on this event (PCRE2 match "
                           "limit %u or depth limit %u reached): whether the rule matches it is unknown",
                           sigma_rule_title(rule), sigma_rule_file(rule), SIGMA_RE_MATCH_LIMIT,
                           SIGMA_RE_DEPTH_LIMIT);
    }
    return res;
}

static int cheap_pass(struct findings *f, size_t end)
{
    for (; f->next_ev < end; f->next_ev++) {
        size_t ev = f->order ? f->order[f->next_ev] : f->next_ev;
        uint8_t *rows[NGATE_FIELDS] = {NULL};
        for (size_t r = 0; r < f->nrules; r++) {
            int open = gate_open(f, r, ev, rows);
            if (open < 0)
                return -1;
            if (!open)
                continue;
            enum sigma_result res = eval_rule(f, r, ev, 1);
            if (res == SIGMA_YES && add_hit(f, r, ev) != 0)
                return -1;
            if (res == SIGMA_LATER) {
                if (grow_array((void **)&f->later, &f->later_cap, f->nlater + 1, sizeof *f->later) != 0)
                    return -1;
                const struct event *e = &f->s->events[ev];
                f->later[f->nlater++] = (struct pending){e->source, e->raw_off, (uint32_t)ev, (uint32_t)r};
            }
        }
    }
    return 0;
}

/* The events of s by list_first (the order they were loaded in, ties kept), for the first pass when
 * some pieces are cold; NULL when none is (time order then) or out of memory (time order: slower, the
 * same answers). A radix sort of (list_first, index) pairs on 16-bit digits. */
static uint32_t *load_order(const struct store *s)
{
    size_t n = s->nevents;
    int cold = 0;
    for (size_t i = 0; i < n && !cold && i < 4096; i++) {
        const struct event *e = &s->events[i];
        const uint32_t *ids = store_res_ids(s, e) + e->res_count;
        for (int k = 0; k < e->piece_count && !cold; k++)
            cold = intern_is_cold(s->strings, ids[k]);
    }
    if (!cold || n > UINT32_MAX)
        return NULL;
    uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    uint32_t *order = malloc(n * sizeof *order);
    size_t *count = calloc(1u << 16, sizeof *count);
    if (!a || !b || !order || !count) {
        free(a), free(b), free(order), free(count);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = (uint64_t)s->events[i].list_first << 32 | i;
    for (int shift = 32; shift < 64; shift += 16) {
        memset(count, 0, (1u << 16) * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[a[i] >> shift & 0xffff]++;
        for (size_t d = 0, sum = 0; d < (1u << 16); d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[a[i] >> shift & 0xffff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)a[i];
    free(a), free(b), free(count);
    return order;
}

static void ensure_order(struct findings *f)
{
    if (f->order_tried)
        return;
    f->order_tried = 1;
    if (f->nev >= 4096 && f->next_ev == 0) /* fewer: a handful of blocks at most */
        f->order = f->order_owned = load_order(f->s);
}

int findings_step(struct findings *f, size_t work)
{
    size_t done = 0;
    while (f->phase != PH_DONE && done < work) {
        switch (f->phase) {
        case PH_CHEAP: {
            ensure_order(f);
            if (f->next_ev >= f->end_ev) {
                f->phase = PH_SORT;
                break;
            }
            size_t per = f->nrules ? f->nrules : 1, n = (work - done) / per + 1;
            size_t end = f->end_ev - f->next_ev < n ? f->end_ev : f->next_ev + n;
            done += (end - f->next_ev) * per;
            if (cheap_pass(f, end) != 0)
                goto nomem;
            break;
        }
        case PH_SORT:
            if (f->nlater > 1)
                qsort(f->later, f->nlater, sizeof *f->later, cmp_pending);
            f->phase = PH_FULL;
            done += f->nlater / 16 + 1;
            break;
        case PH_FULL: {
            if (f->later_next >= f->nlater) {
                drop_event(f);
                f->phase = PH_FINISH;
                break;
            }
            const struct pending *p = &f->later[f->later_next++];
            /* reading the event costs far more than a rule on the index */
            if (p->ev != f->cur_ev)
                done += 16;
            if (eval_rule(f, p->rule, p->ev, 0) == SIGMA_YES && add_hit(f, p->rule, p->ev) != 0)
                goto nomem;
            done++;
            break;
        }
        case PH_FINISH:
            if (finish(f) != 0)
                goto nomem;
            f->phase = PH_DONE;
            break;
        case PH_DONE:
            break;
        }
    }
    return f->phase == PH_DONE;
nomem:
    f->failed = 1;
    drop_event(f);
    f->phase = PH_DONE;
    if (!f->ev_first)
        finish(f);
    return -1;
}

static void *lane_run(void *arg)
{
    struct findings *lane = arg;
    lane->failed = cheap_pass(lane, lane->end_ev) != 0;
    return NULL;
}

/* Appends a lane's results to f's: its hits (later in time than f's, sorted at the end anyway) and its
 * undecided pairs. Returns 0, or -1 when out of memory. */
static int merge_lane(struct findings *f, const struct findings *lane)
{
    for (size_t r = 0; r < f->nrules; r++) {
        struct hits *h = &f->hits[r];
        const struct hits *l = &lane->hits[r];
        if (!l->n)
            continue;
        if (grow_array((void **)&h->ev, &h->cap, h->n + l->n, sizeof *h->ev) != 0)
            return -1;
        memcpy(h->ev + h->n, l->ev, l->n * sizeof *l->ev);
        h->n += l->n;
    }
    if (lane->nlater) {
        if (grow_array((void **)&f->later, &f->later_cap, f->nlater + lane->nlater, sizeof *f->later) != 0)
            return -1;
        memcpy(f->later + f->nlater, lane->later, lane->nlater * sizeof *lane->later);
        f->nlater += lane->nlater;
    }
    return 0;
}

#define LANES_MAX 16

/* The first pass on every core: lanes of their own (field caches, piece memos, results) over equal
 * ranges of events, reading only the store's index and pieces, which nothing writes meanwhile. */
static int parallel_cheap_pass(struct findings *f)
{
    ensure_order(f);
    int cores = cores_count(); /* as the loader: CTVIEW_THREADS runs the same on fewer cores */
    size_t n = cores > LANES_MAX ? LANES_MAX : (size_t)cores;
    size_t left = f->end_ev - f->next_ev;
    if (n < 2 || left < 4096)
        return 0; /* findings_step does it */
    struct findings *lanes[LANES_MAX] = {0};
    pthread_t tids[LANES_MAX];
    int started[LANES_MAX] = {0}, rc = 0;
    size_t begin = f->next_ev, part = left / n;
    for (size_t k = 1; k < n; k++) {
        lanes[k] = findings_new(f->set, f->s);
        if (!lanes[k]) {
            rc = -1;
            break;
        }
        lanes[k]->order = f->order;
        lanes[k]->order_tried = 1;
        lanes[k]->next_ev = begin + k * part;
        lanes[k]->end_ev = k + 1 == n ? f->end_ev : begin + (k + 1) * part;
        started[k] = pthread_create(&tids[k], NULL, lane_run, lanes[k]) == 0;
        if (!started[k])
            lane_run(lanes[k]);
    }
    if (rc == 0 && cheap_pass(f, begin + part) != 0)
        rc = -1;
    for (size_t k = 1; k < n; k++) {
        if (started[k])
            pthread_join(tids[k], NULL);
        if (lanes[k] && (lanes[k]->failed || (rc == 0 && merge_lane(f, lanes[k]) != 0)))
            rc = -1;
        findings_free(lanes[k]);
    }
    if (rc == 0)
        f->next_ev = f->end_ev;
    return rc;
}

int findings_run_all(struct findings *f)
{
    if (f->phase == PH_CHEAP && parallel_cheap_pass(f) != 0) {
        f->failed = 1;
        f->phase = PH_DONE;
        finish(f);
        return -1;
    }
    int rc;
    while ((rc = findings_step(f, 1 << 20)) == 0)
        ;
    return rc < 0 ? -1 : 0;
}

int findings_done(const struct findings *f)
{
    return f->phase == PH_DONE && f->ev_first != NULL;
}

int findings_permille(const struct findings *f)
{
    if (f->phase == PH_DONE)
        return 1000;
    /* the first pass is counted as half, the second (reading events) as the other half */
    if (f->phase == PH_CHEAP)
        return f->nev ? (int)(500 * f->next_ev / f->nev) : 0;
    return 500 + (f->nlater ? (int)(499 * f->later_next / f->nlater) : 499);
}

size_t findings_events_read(const struct findings *f)
{
    return f->read;
}

size_t findings_read_errors(const struct findings *f)
{
    return f->read_errors;
}

const struct sigma_set *findings_set(const struct findings *f)
{
    return f->set;
}

const uint32_t *findings_rule_events(const struct findings *f, size_t r, size_t *n)
{
    *n = findings_done(f) && r < f->nrules ? f->hits[r].n : 0;
    return *n ? f->hits[r].ev : NULL;
}

const uint32_t *findings_event_rules(const struct findings *f, size_t ev, size_t *n)
{
    if (!findings_done(f) || ev >= f->nev) {
        *n = 0;
        return NULL;
    }
    *n = f->ev_first[ev + 1] - f->ev_first[ev];
    return f->ev_rules + f->ev_first[ev];
}

int findings_event_level(const struct findings *f, size_t ev)
{
    return findings_done(f) && ev < f->nev ? f->ev_level[ev] : -1;
}

int findings_event_attempt(const struct findings *f, size_t ev)
{
    return ev < f->nev && store_event_failed(f->s, &f->s->events[ev]);
}

size_t findings_rule_attempts(const struct findings *f, size_t r)
{
    return findings_done(f) && r < f->nrules ? f->hits[r].attempts : 0;
}

static int cmp_rules(const void *a, const void *b, void *set)
{
    const struct sigma_rule *x = sigma_set_rule(set, *(const uint32_t *)a),
                            *y = sigma_set_rule(set, *(const uint32_t *)b);
    if (x->level != y->level)
        return x->level > y->level ? -1 : 1;
    int c = strcmp(x->title, y->title);
    if (!c)
        c = strcmp(x->id, y->id);
    if (!c)
        c = strcmp(x->file, y->file);
    return c;
}

size_t findings_sorted(const struct findings *f, uint32_t *order)
{
    size_t n = 0;
    for (size_t r = 0; r < f->nrules; r++)
        if (findings_done(f) && f->hits[r].n)
            order[n++] = (uint32_t)r;
    if (n > 1)
        qsort_r(order, n, sizeof *order, cmp_rules, (void *)f->set);
    return n;
}

/* Borrowed: the owner (the findings view, the command line) frees the run after detaching it. The
 * store does not drop it when events move: the owner does when the store changes, and runs the rules
 * again (tui/pane_findings.c, findings_changed). */
static const struct store_derived_ops findings_ops = {.name = "findings"};

int findings_attach(struct store *s, struct findings *f)
{
    return store_derived_set(s, &findings_ops, f);
}

const struct findings *findings_of(const struct store *s)
{
    return store_derived_get(s, &findings_ops);
}
