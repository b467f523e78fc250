#include "model/identity/actors.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/grow.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"
#include "model/identity/trace.h"
#include "model/store/evtext.h"

/* What a set entry counts, in its top bits. */
enum tag { T_SESSION = 1, T_ACCOUNT, T_IP, T_CHAIN, T_ROLE };

/* A set of (tag, actor, id) triples packed into 64 bits; 0 is the empty slot (tags start at 1). */
struct set {
    uint64_t *slots;
    size_t cap, n;
};

static uint64_t pack(enum tag tag, uint32_t actor, uint32_t id)
{
    return (uint64_t)tag << 61 | (uint64_t)(actor & 0x1fffffff) << 32 | id;
}

static size_t slot_of(uint64_t k, size_t cap)
{
    k ^= k >> 31;
    k *= 0x9e3779b97f4a7c15ULL;
    return (size_t)(k >> 17) & (cap - 1);
}

/* Adds k; returns 1 when it was new, 0 when present, -1 when out of memory. */
static int set_add(struct set *s, uint64_t k)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) {
                size_t j = slot_of(s->slots[i], cap);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = s->slots[i];
            }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t j = slot_of(k, s->cap);
    for (; s->slots[j]; j = (j + 1) & (s->cap - 1))
        if (s->slots[j] == k)
            return 0;
    s->slots[j] = k;
    s->n++;
    return 1;
}

/* A first-claim cache in front of the set: stamp[id] holds the (tag, row) that counted id first, so the
 * common case (an id seen by one row only) costs one array access instead of a hash probe; another
 * (tag, row) pair for the same id goes to the set. */
struct counter {
    uint32_t *stamp; /* owned, per interned string (ids) or per chain */
    size_t n;
    struct set *set;
};

/* Returns 1 when (tag, row, id) is new, 0 when seen, -1 when out of memory. */
static int count_new(struct counter *c, enum tag tag, uint32_t row, uint32_t id)
{
    if (!id)
        return 0; /* absent: nothing to count */
    uint32_t want = (uint32_t)tag << 29 | (row + 1);
    if (id < c->n) {
        if (c->stamp[id] == want)
            return 0;
        if (!c->stamp[id]) {
            c->stamp[id] = want;
            return 1;
        }
    }
    return set_add(c->set, pack(tag, row, id));
}

struct listed {
    uint32_t row, id;
    enum tag tag;
};

/* The listed ids met so far, as (row, id, tag); sorted at the end. */
struct lists {
    struct listed *v;
    size_t n, cap;
};

static int list_add(struct lists *l, uint32_t row, uint32_t id, enum tag tag)
{
    if (grow_array_from((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v, 256) != 0)
        return -1;
    l->v[l->n++] = (struct listed){row, id, tag};
    return 0;
}

static const struct store *sort_store; /* for the qsort comparators (single-threaded use) */
static const struct origins *sort_origins; /* sort_store's */

static int cmp_listed(const void *a, const void *b)
{
    const struct listed *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->tag != y->tag)
        return x->tag < y->tag ? -1 : 1;
    return strcmp(intern_str(sort_store->strings, x->id), intern_str(sort_store->strings, y->id));
}

static int cmp_rows(const void *a, const void *b)
{
    const struct actor_row *x = a, *y = b;
    if (x->events != y->events)
        return x->events > y->events ? -1 : 1;
    const struct origin_actor *p = &sort_origins->actors[x->actor], *q = &sort_origins->actors[y->actor];
    int c = strcmp(p->key, q->key);
    if (c)
        return c;
    c = strcmp(intern_str(sort_store->strings, p->account), intern_str(sort_store->strings, q->account));
    if (c)
        return c;
    c = strcmp(p->type, q->type);
    return c ? c : p->uncertain - q->uncertain;
}

int actors_build(const struct store *s, const uint32_t *idx, size_t n, struct actor_table *out)
{
    memset(out, 0, sizeof *out);
    const struct origins *o = origins_of(s);
    if (!o || o->nevents != s->nevents)
        return -1;
    if (!idx)
        n = s->nevents;
    uint32_t *row_of = malloc((o->nactors ? o->nactors : 1) * sizeof *row_of);
    struct actor_row *rows = calloc(o->nactors ? o->nactors : 1, sizeof *rows);
    struct set set = {0};
    struct counter ids = {calloc(intern_count(s->strings) + 1, sizeof(uint32_t)), intern_count(s->strings),
                          &set};
    struct counter chains = {calloc(o->nchains + 1, sizeof(uint32_t)), o->nchains, &set};
    struct lists l = {0};
    int rc = -1;
    if (!row_of || !rows || !ids.stamp || !chains.stamp || o->nactors >= (1u << 29))
        goto done;
    memset(row_of, 0xff, (o->nactors ? o->nactors : 1) * sizeof *row_of);
    size_t nrows = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = idx ? idx[k] : k;
        const struct event *e = &s->events[i];
        const struct origin_chain *c = &o->chains[o->chain_of[i]];
        uint32_t a = c->actor;
        if (row_of[a] == UINT32_MAX) {
            row_of[a] = (uint32_t)nrows;
            rows[nrows] = (struct actor_row){.actor = a, .first = TIME_NONE, .last = TIME_NONE};
            nrows++;
        }
        uint32_t r = row_of[a];
        struct actor_row *row = &rows[r];
        row->events++;
        row->errors += store_event_failed(s, e);
        if (e->time_ms != TIME_NONE) {
            if (row->first == TIME_NONE || e->time_ms < row->first)
                row->first = e->time_ms;
            if (row->last == TIME_NONE || e->time_ms > row->last)
                row->last = e->time_ms;
        }
        /* sessions and IPs are counted; accounts and roles are listed too */
        int nk = count_new(&ids, T_SESSION, r, store_field(s, e, EF_UI_KEY));
        int ni = count_new(&ids, T_IP, r, store_field(s, e, EF_IP));
        int na = count_new(&ids, T_ACCOUNT, r, trace_event_account(s, i));
        if (nk < 0 || ni < 0 || na < 0 ||
            (na > 0 && list_add(&l, r, trace_event_account(s, i), T_ACCOUNT) != 0))
            goto done;
        row->sessions += (size_t)nk;
        row->ips += (size_t)ni;
        /* roles: once per distinct chain of the row (count_new takes 0 for absent: chain 0 is a chain) */
        int isnew = count_new(&chains, T_CHAIN, r, o->chain_of[i] + 1);
        if (isnew < 0)
            goto done;
        for (uint32_t q = 0; isnew && q < c->nroles; q++) {
            uint32_t role = o->roles[c->roles_first + q];
            int rn = count_new(&ids, T_ROLE, r, role);
            if (rn < 0 || (rn > 0 && list_add(&l, r, role, T_ROLE) != 0))
                goto done;
        }
    }
    out->ids = malloc((l.n ? l.n : 1) * sizeof *out->ids);
    if (!out->ids)
        goto done;
    sort_store = s;
    sort_origins = o;
    if (l.n) /* l.v is NULL when nothing was listed, which qsort may not be given */
        qsort(l.v, l.n, sizeof *l.v, cmp_listed);
    for (size_t k = 0; k < l.n; k++) {
        out->ids[k] = l.v[k].id;
        struct actor_row *row = &rows[l.v[k].row];
        if (l.v[k].tag == T_ACCOUNT) {
            if (!row->naccounts++)
                row->accounts = out->ids + k;
        } else if (!row->nroles++) {
            row->roles = out->ids + k;
        }
    }
    qsort(rows, nrows, sizeof *rows, cmp_rows);
    sort_store = NULL;
    sort_origins = NULL;
    out->rows = rows;
    out->n = nrows;
    rows = NULL;
    rc = 0;
done:
    if (rc != 0) {
        free(out->ids);
        out->ids = NULL;
    }
    free(row_of);
    free(rows);
    free(set.slots);
    free(ids.stamp);
    free(chains.stamp);
    free(l.v);
    return rc;
}

void actors_free(struct actor_table *t)
{
    free(t->rows);
    free(t->ids);
    memset(t, 0, sizeof *t);
}

const char *actors_name(const struct store *s, const struct actor_row *r)
{
    return origins_of(s)->actors[r->actor].key;
}

static const struct {
    const char *title;
    int numeric;
} cols[AC__COUNT] = {
    [AC_EVENTS] = {"EVENTS", 1},     [AC_SESSIONS] = {"SESSIONS", 1}, [AC_IPS] = {"IPS", 1},
    [AC_ERRORS] = {"ERRORS", 1},     [AC_FIRST] = {"FIRST", 0},       [AC_LAST] = {"LAST", 0},
    [AC_TYPE] = {"TYPE", 0},         [AC_ACCOUNT] = {"ACCOUNT", 0},   [AC_ACTOR] = {"ACTOR", 0},
    [AC_ACCOUNTS] = {"ACCOUNTS", 0}, [AC_ROLES] = {"ROLES", 0},
};

const char *actors_col_title(enum actor_col c)
{
    return c < AC__COUNT ? cols[c].title : "";
}

int actors_col_numeric(enum actor_col c)
{
    return c < AC__COUNT && cols[c].numeric;
}

static const char *join(const struct store *s, const uint32_t *ids, size_t n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && len + 1 < cap; k++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", k ? "," : "", intern_str(s->strings, ids[k]));
    return n ? buf : "-";
}

const char *actors_cell(const struct store *s, const struct actor_row *r, enum actor_col c, char *buf,
                        size_t cap)
{
    return actors_cell_tz(s, r, c, NULL, buf, cap);
}

const char *actors_cell_tz(const struct store *s, const struct actor_row *r, enum actor_col c,
                           const struct tz *z, char *buf, size_t cap)
{
    const struct origin_actor *a = &origins_of(s)->actors[r->actor];
    char t[TIMEFMT_BUF > TZ_BUF ? TIMEFMT_BUF : TZ_BUF];
    const char *v = "";
    switch (c) {
    case AC_EVENTS:
    case AC_SESSIONS:
    case AC_IPS:
    case AC_ERRORS: {
        size_t n = c == AC_EVENTS     ? r->events
                   : c == AC_SESSIONS ? r->sessions
                   : c == AC_IPS      ? r->ips
                                      : r->errors;
        snprintf(buf, cap, "%zu", n);
        return buf;
    }
    case AC_FIRST:
    case AC_LAST:
        v = z ? tz_format_full(z, c == AC_FIRST ? r->first : r->last, t)
              : timefmt_format(c == AC_FIRST ? r->first : r->last, t);
        break;
    case AC_TYPE:
        v = a->type;
        break;
    case AC_ACCOUNT:
        v = intern_str(s->strings, a->account);
        break;
    case AC_ACTOR:
        /* an Identity Center user: "name (user id in store)"; a masked sign-in by the one masked label;
         * a doubtful origin says so */
        snprintf(buf, cap, "%s%s%s%s%s%s%s", a->name && strcmp(a->name, a->key) != 0 ? a->name : "",
                 a->name && strcmp(a->name, a->key) != 0 ? " (" : "", a->masked ? EVTEXT_MASKED : a->key,
                 a->store ? " in " : "", a->store ? intern_str(s->strings, a->store) : "",
                 a->name && strcmp(a->name, a->key) != 0 ? ")" : "", a->uncertain ? " (uncertain)" : "");
        return buf[0] ? buf : "-";
    case AC_ACCOUNTS:
        return join(s, r->accounts, r->naccounts, buf, cap);
    case AC_ROLES:
        return join(s, r->roles, r->nroles, buf, cap);
    case AC__COUNT:
        break;
    }
    snprintf(buf, cap, "%s", *v ? v : "-");
    return buf;
}
