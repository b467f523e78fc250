#include "model/findings.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/grow.h"
#include "model/intern.h"
#include "model/sigma_impl.h"

#define PATH_MAX_SEGS 32

/* An (event, rule) pair the first pass could not decide, with where the event's bytes are. */
struct pending {
    uint32_t source, off, ev, rule;
};

struct hits {
    uint32_t *ev; /* owned */
    size_t n, cap;
};

enum phase { PH_CHEAP, PH_SORT, PH_FULL, PH_FINISH, PH_DONE };

struct findings {
    const struct sigma_set *set;
    struct store *s;
    size_t nrules, nev;
    struct hits *hits; /* per rule */
    struct pending *later;
    size_t nlater, later_cap, later_next;
    size_t next_ev;
    enum phase phase;
    int failed;
    int *field_of_path; /* per path id: the indexed field holding it, or -1 */
    char **segs;        /* per path id: the path split at '.', NUL-separated, owned */
    struct sigma_value *vals;
    size_t nvals, vcap;
    /* The event whose JSON is parsed (second pass). */
    size_t cur_ev;
    cJSON *root;
    int cur_failed;
    char *text;   /* its minified JSON, for keywords (owned, made on first use) */
    char **arena; /* strings made for the current event (owned) */
    size_t narena, arena_cap;
    char numbuf[40 * 64];
    size_t numused;
    size_t read, read_errors;
    /* Results, once complete. */
    uint32_t *ev_first; /* nev + 1 offsets into ev_rules */
    uint32_t *ev_rules;
    int8_t *ev_level;
};

static void drop_event(struct findings *f)
{
    cJSON_Delete(f->root);
    f->root = NULL;
    free(f->text);
    f->text = NULL;
    for (size_t i = 0; i < f->narena; i++)
        free(f->arena[i]);
    f->narena = 0;
    f->numused = 0;
    f->cur_ev = SIZE_MAX;
    f->cur_failed = 0;
}

static int push_val(struct findings *f, const char *s, size_t len, enum sigma_vtype type)
{
    if (grow_array((void **)&f->vals, &f->vcap, f->nvals + 1, sizeof *f->vals) != 0)
        return -1;
    f->vals[f->nvals++] = (struct sigma_value){s, len, type};
    return 0;
}

static char *keep(struct findings *f, char *owned)
{
    if (!owned || grow_array((void **)&f->arena, &f->arena_cap, f->narena + 1, sizeof *f->arena) != 0) {
        free(owned);
        return NULL;
    }
    return f->arena[f->narena++] = owned;
}

/* Numbers as the index writes them: integers without a fraction, others with 17 digits. */
static const char *number_text(struct findings *f, double d, size_t *len)
{
    char tmp[40];
    int w = (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
                ? snprintf(tmp, sizeof tmp, "%lld", (long long)d)
                : snprintf(tmp, sizeof tmp, "%.17g", d);
    *len = w > 0 ? (size_t)w : 0;
    if (f->numused + *len + 1 > sizeof f->numbuf)
        return keep(f, strndup(tmp, *len));
    char *out = f->numbuf + f->numused;
    memcpy(out, tmp, *len + 1);
    f->numused += *len + 1;
    return out;
}

/* A leaf's values: scalars as text, objects as their minified JSON, arrays element by element. */
static int emit(struct findings *f, const cJSON *n, int depth)
{
    if (cJSON_IsArray(n)) {
        if (depth > 64)
            return 0;
        for (const cJSON *e = n->child; e; e = e->next)
            if (emit(f, e, depth + 1) != 0)
                return -1;
        return 0;
    }
    if (cJSON_IsString(n))
        return push_val(f, n->valuestring, strlen(n->valuestring), SV_STRING);
    if (cJSON_IsNumber(n)) {
        size_t len;
        const char *t = number_text(f, n->valuedouble, &len);
        return t ? push_val(f, t, len, SV_NUMBER) : -1;
    }
    if (cJSON_IsBool(n))
        return cJSON_IsTrue(n) ? push_val(f, "true", 4, SV_BOOL) : push_val(f, "false", 5, SV_BOOL);
    if (cJSON_IsNull(n))
        return push_val(f, "", 0, SV_NULL);
    if (cJSON_IsObject(n)) {
        char *t = keep(f, cJSON_PrintUnformatted(n));
        return t ? push_val(f, t, strlen(t), SV_JSON) : -1;
    }
    return 0;
}

/* Follows the path segs (NUL-separated, nsegs of them) from n; an array on the way applies the rest
 * of the path to each element. */
static int walk(struct findings *f, const cJSON *n, const char *seg, int nsegs, int depth)
{
    if (depth > 64)
        return 0;
    if (cJSON_IsArray(n) && nsegs > 0) {
        for (const cJSON *e = n->child; e; e = e->next)
            if (walk(f, e, seg, nsegs, depth + 1) != 0)
                return -1;
        return 0;
    }
    if (nsegs == 0)
        return emit(f, n, depth);
    if (!cJSON_IsObject(n))
        return 0;
    /* The first member of that name, as the index reads duplicates. */
    for (const cJSON *c = n->child; c; c = c->next)
        if (c->string && strcmp(c->string, seg) == 0)
            return walk(f, c, seg + strlen(seg) + 1, nsegs - 1, depth + 1);
    return 0;
}

static int load_event(struct findings *f, size_t ev)
{
    if (f->cur_ev == ev)
        return f->cur_failed ? -1 : 0;
    drop_event(f);
    f->cur_ev = ev;
    size_t len;
    char *err = NULL;
    const char *raw = store_raw(f->s, &f->s->events[ev], &len, &err);
    free(err);
    f->read++;
    if (raw)
        f->root = cJSON_ParseWithLength(raw, len);
    if (!f->root) {
        f->cur_failed = 1;
        f->read_errors++;
        return -1;
    }
    return 0;
}

static enum sigma_fetch fetch(void *ctx, size_t ev, int path_id, int cheap, const struct sigma_value **vals,
                              size_t *n)
{
    struct findings *f = ctx;
    f->nvals = 0;
    *vals = f->vals;
    *n = 0;
    int field = path_id >= 0 ? f->field_of_path[path_id] : -1;
    if (field >= 0 && f->s->events[ev].f[field]) {
        const char *s = intern_str(f->s->strings, f->s->events[ev].f[field]);
        if (push_val(f, s, strlen(s), SV_STRING) != 0)
            return SIGMA_FETCH_ERROR;
        *vals = f->vals;
        *n = 1;
        return SIGMA_FETCH_OK;
    }
    /* Nothing indexed: the field is missing, null, empty, or an object; only the event's bytes say. */
    if (cheap)
        return SIGMA_FETCH_LATER;
    if (load_event(f, ev) != 0)
        return SIGMA_FETCH_ERROR;
    if (path_id < 0) {
        if (!f->text && !(f->text = cJSON_PrintUnformatted(f->root)))
            return SIGMA_FETCH_ERROR;
        if (push_val(f, f->text, strlen(f->text), SV_STRING) != 0)
            return SIGMA_FETCH_ERROR;
    } else {
        const char *segs = f->segs[path_id];
        int nsegs = 0;
        for (const char *p = segs; *p; p += strlen(p) + 1)
            nsegs++;
        if (walk(f, f->root, segs, nsegs, 0) != 0)
            return SIGMA_FETCH_ERROR;
    }
    *vals = f->vals;
    *n = f->nvals;
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
    f->nev = s->nevents;
    f->cur_ev = SIZE_MAX;
    size_t np = sigma_set_paths(set);
    f->hits = calloc(f->nrules ? f->nrules : 1, sizeof *f->hits);
    f->field_of_path = calloc(np ? np : 1, sizeof *f->field_of_path);
    f->segs = calloc(np ? np : 1, sizeof *f->segs);
    if (!f->hits || !f->field_of_path || !f->segs) {
        findings_free(f);
        return NULL;
    }
    for (size_t p = 0; p < np; p++) {
        const char *path = sigma_set_path(set, p);
        f->field_of_path[p] = -1;
        for (int e = 0; e < EF__COUNT; e++)
            if (strcmp(event_field_path((enum event_field)e), path) == 0)
                f->field_of_path[p] = e;
        /* "a.b.c" as "a\0b\0c\0\0"; an empty segment stays one (it matches a key "") */
        size_t len = strlen(path);
        if (!(f->segs[p] = malloc(len + 2))) {
            findings_free(f);
            return NULL;
        }
        for (size_t i = 0; i <= len; i++)
            f->segs[p][i] = path[i] == '.' ? '\0' : path[i];
        f->segs[p][len + 1] = '\0';
        if (len == 0)
            f->segs[p][0] = f->segs[p][1] = '\0';
    }
    return f;
}

void findings_free(struct findings *f)
{
    if (!f)
        return;
    drop_event(f);
    for (size_t r = 0; r < f->nrules && f->hits; r++)
        free(f->hits[r].ev);
    size_t np = sigma_set_paths(f->set);
    for (size_t p = 0; p < np && f->segs; p++)
        free(f->segs[p]);
    free(f->segs);
    free(f->hits);
    free(f->later);
    free(f->field_of_path);
    free(f->vals);
    free(f->arena);
    free(f->ev_first);
    free(f->ev_rules);
    free(f->ev_level);
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
            if (lvl > f->ev_level[e])
                f->ev_level[e] = (int8_t)lvl;
        }
    }
    free(fill);
    return 0;
}

int findings_step(struct findings *f, size_t work)
{
    struct sigma_source src = {f, fetch};
    size_t done = 0;
    while (f->phase != PH_DONE && done < work) {
        switch (f->phase) {
        case PH_CHEAP:
            if (f->next_ev >= f->nev) {
                f->phase = PH_SORT;
                break;
            }
            for (size_t r = 0; r < f->nrules; r++) {
                enum sigma_result res = sigma_rule_eval(sigma_set_rule(f->set, r), &src, f->next_ev, 1);
                if (res == SIGMA_YES && add_hit(f, r, f->next_ev) != 0)
                    goto nomem;
                if (res == SIGMA_LATER) {
                    if (grow_array((void **)&f->later, &f->later_cap, f->nlater + 1, sizeof *f->later) != 0)
                        goto nomem;
                    const struct event *e = &f->s->events[f->next_ev];
                    f->later[f->nlater++] =
                        (struct pending){e->source, e->raw_off, (uint32_t)f->next_ev, (uint32_t)r};
                }
            }
            f->next_ev++;
            done += f->nrules ? f->nrules : 1;
            break;
        case PH_SORT:
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
            if (sigma_rule_eval(sigma_set_rule(f->set, p->rule), &src, p->ev, 0) == SIGMA_YES &&
                add_hit(f, p->rule, p->ev) != 0)
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

int findings_run_all(struct findings *f)
{
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
    qsort_r(order, n, sizeof *order, cmp_rules, (void *)f->set);
    return n;
}
