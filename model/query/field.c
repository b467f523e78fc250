/* field: short names and paths, and the values of either for one event. See field.h. */
#include "model/query/field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/base/grow.h"
#include "model/index/pathindex.h"
#include "model/base/timefmt.h"

enum short_kind {
    SK_FIELDS,   /* the distinct non-empty values of up to three indexed fields */
    SK_TIME,     /* eventTime as the list prints it */
    SK_IDENTITY, /* the identity as --list prints it */
    SK_RO,       /* readOnly */
    SK_RES,      /* every resource ARN */
};

struct field_short {
    const char *name;
    enum short_kind kind;
    enum event_field ef[3];
    int nef;
};

/* The --list columns first (their values are what --list prints), then the filter fields (their values
 * are what the filter compares). */
static const struct field_short shorts[] = {
    {"time", SK_TIME, {0}, 0},
    {"acct", SK_FIELDS, {EF_ACCOUNT}, 1},
    {"region", SK_FIELDS, {EF_REGION}, 1},
    {"src", SK_FIELDS, {EF_SOURCE}, 1},
    {"name", SK_FIELDS, {EF_NAME}, 1},
    {"identity", SK_IDENTITY, {0}, 0},
    {"ip", SK_FIELDS, {EF_IP}, 1},
    {"error", SK_FIELDS, {EF_ERROR_CODE}, 1},
    {"id", SK_FIELDS, {EF_EVENT_ID}, 1},
    {"user", SK_FIELDS, {EF_UI_USER, EF_UI_ARN, EF_UI_PRINCIPAL}, 3},
    {"type", SK_FIELDS, {EF_UI_TYPE}, 1},
    {"key", SK_FIELDS, {EF_UI_KEY, EF_ISSUED_KEY}, 2},
    {"shared", SK_FIELDS, {EF_SHARED_ID}, 1},
    {"req", SK_FIELDS, {EF_REQUEST_ID}, 1},
    {"ro", SK_RO, {0}, 0},
    {"ua", SK_FIELDS, {EF_UA}, 1},
    {"res", SK_RES, {0}, 0},
    {"etype", SK_FIELDS, {EF_EVENT_TYPE}, 1},
    {"cat", SK_FIELDS, {EF_EVENT_CATEGORY}, 1},
    {"role", SK_FIELDS, {EF_ROLE_ARN, EF_UI_ISSUER_ARN}, 2},
    {"srcid", SK_FIELDS, {EF_UI_SOURCE_IDENTITY}, 1},
    {"host", SK_FIELDS, {EF_TLS_HOST}, 1},
    {"after", SK_TIME, {0}, 0},
    {"before", SK_TIME, {0}, 0},
};
#define NSHORTS (sizeof shorts / sizeof *shorts)

const char *field_short_names(void)
{
    return "time acct region src name identity ip error id user type key shared req ro ua res etype cat role "
           "srcid host after before";
}

static const struct field_short *find_short(const char *word, size_t len)
{
    for (size_t i = 0; i < NSHORTS; i++)
        if (strlen(shorts[i].name) == len && strncasecmp(shorts[i].name, word, len) == 0)
            return &shorts[i];
    return NULL;
}

int field_is_short(const char *word, size_t len)
{
    return find_short(word, len) != NULL;
}

int field_parse(const char *text, size_t len, struct field *f, struct field_error *err)
{
    memset(f, 0, sizeof *f);
    err->message[0] = '\0';
    int shown = len > 80 ? 80 : (int)len;
    const struct field_short *sh = find_short(text, len);
    if (sh) {
        f->kind = FIELD_SHORT;
        f->sh = sh;
        snprintf(f->name, sizeof f->name, "%.*s", (int)len, text);
        return 0;
    }
    if (!path_is_word(text, len)) {
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)text[i] < ' ' || text[i] == 0x7f) {
                snprintf(err->message, sizeof err->message,
                         "unknown field (a control character in its name)");
                return -1;
            }
        snprintf(err->message, sizeof err->message,
                 "unknown field '%.*s' (fields: %s; or a JSON path such as requestParameters.roleArn)", shown,
                 text, field_short_names());
        return -1;
    }
    struct path_error perr;
    if (path_parse(text, len, &f->path, &perr) != 0) {
        strlcpy(err->message, perr.message, sizeof err->message);
        return -1;
    }
    strlcpy(f->name, f->path.text, sizeof f->name);
    f->kind = FIELD_PATH;
    for (int k = 0; k < EF__COUNT; k++)
        if (strcmp(event_field_path((enum event_field)k), f->path.text) == 0) {
            f->kind = FIELD_INDEXED;
            f->ef = (enum event_field)k;
        }
    return 0;
}

void field_free(struct field *f)
{
    path_free(&f->path);
    if (f->px)
        pathindex_release(f->store, f->px);
    f->px = NULL;
    f->store = NULL;
}

int field_list_parse(const char *list, struct field **fields, size_t *n, struct field_error *err)
{
    *fields = NULL;
    *n = 0;
    size_t count = 1;
    for (const char *p = list; *p; p++)
        count += *p == ',';
    struct field *out = calloc(count, sizeof *out);
    if (!out) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    const char *p = list;
    for (size_t k = 0; k < count; k++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0) {
            snprintf(err->message, sizeof err->message, "empty name at entry %zu of the list", k + 1);
            field_list_free(out, k);
            return -1;
        }
        if (field_parse(p, len, &out[k], err) != 0) {
            field_list_free(out, k);
            return -1;
        }
        p = end ? end + 1 : p + len;
    }
    *fields = out;
    *n = count;
    return 0;
}

void field_list_free(struct field *fields, size_t n)
{
    for (size_t k = 0; fields && k < n; k++)
        field_free(&fields[k]);
    free(fields);
}

void field_keys_free(struct field_keys *k)
{
    free(k->k);
    memset(k, 0, sizeof *k);
}

static int push_key(struct field_keys *k, uint64_t key)
{
    if (grow_array((void **)&k->k, &k->cap, k->n + 1, sizeof *k->k) != 0)
        return -1;
    k->k[k->n++] = key;
    return 0;
}

/* The identity --list prints, as the id of the field it comes from (see evtext_identity_full). */
static uint32_t identity_id(const struct store *s, const struct event *e)
{
    if (store_field(s, e, EF_UI_ARN))
        return store_field(s, e, EF_UI_ARN);
    if (store_field(s, e, EF_UI_USER))
        return store_field(s, e, EF_UI_USER);
    return store_field(s, e, EF_UI_TYPE);
}

/* The key of indexed field ef of event e: its intern id, or for a binary UUID (no intern id) the
 * event that holds it, tagged by the top bit (time keys, the only others beyond 32 bits, are never
 * mixed with these). Equal values of two events then have two keys: field_key_cmp says they are one. */
#define KEY_BINARY (1ull << 63)
static uint64_t indexed_key(const struct store *s, const struct event *e, enum event_field ef)
{
    if (store_field_binary(s, e, ef))
        return KEY_BINARY | (uint64_t)ef << 32 | (uint64_t)(e - s->events);
    return store_field(s, e, ef);
}

int field_may_be_binary(const struct field *f)
{
    if (f->kind == FIELD_INDEXED)
        return store_binary_field(f->ef) != NULL;
    if (f->kind != FIELD_SHORT || f->sh->kind != SK_FIELDS)
        return 0;
    for (int j = 0; j < f->sh->nef; j++)
        if (store_binary_field(f->sh->ef[j]))
            return 1;
    return 0;
}

int field_key_cmp(const struct store *s, const struct field *f, uint64_t a, uint64_t b)
{
    if (!field_may_be_binary(f) || !(a & KEY_BINARY) || !(b & KEY_BINARY))
        return a < b ? -1 : a > b;
    /* one value, one order: by field, then case, then the 16 bytes */
    enum event_field fa = (enum event_field)(a >> 32 & 0x7fffffff),
                     fb = (enum event_field)(b >> 32 & 0x7fffffff);
    if (fa != fb)
        return fa < fb ? -1 : 1;
    const struct store_binary_field *bf = store_binary_field(fa);
    const struct event *ea = &s->events[(uint32_t)a], *eb = &s->events[(uint32_t)b];
    int ua = (ea->flags & (bf->upper | bf->hex16)), ub = (eb->flags & (bf->upper | bf->hex16));
    if (ua != ub)
        return ua - ub;
    return memcmp(ea->uuid[bf->slot], eb->uuid[bf->slot], sizeof ea->uuid[bf->slot]);
}

/* Keys of a short or indexed field; FIELD_PATH is handled by the caller. */
static int short_keys(const struct store *s, const struct field *f, const struct event *e,
                      struct field_keys *k)
{
    if (f->kind == FIELD_INDEXED) {
        uint64_t key = indexed_key(s, e, f->ef);
        return key ? push_key(k, key) : 0;
    }
    const struct field_short *sh = f->sh;
    switch (sh->kind) {
    case SK_FIELDS:
        for (int j = 0; j < sh->nef; j++) {
            uint64_t id = indexed_key(s, e, sh->ef[j]);
            int seen = id == 0;
            for (int m = 0; m < j && !seen; m++)
                seen = indexed_key(s, e, sh->ef[m]) == id;
            if (!seen && push_key(k, id) != 0)
                return -1;
        }
        return 0;
    case SK_TIME:
        return e->time_ms == TIME_NONE ? 0 : push_key(k, (uint64_t)e->time_ms);
    case SK_IDENTITY:
        return identity_id(s, e) ? push_key(k, identity_id(s, e)) : 0;
    case SK_RO:
        if (e->flags & EVF_READONLY_TRUE)
            return push_key(k, 1);
        return e->flags & EVF_READONLY_FALSE ? push_key(k, 0) : 0;
    case SK_RES: {
        const uint32_t *ids = store_res_ids(s, e);
        for (int j = 0; j < e->res_count; j++)
            if (push_key(k, ids[j]) != 0)
                return -1;
        return 0;
    }
    }
    return 0;
}

int field_keys(const struct store *s, const struct field *f, size_t i, struct field_keys *k)
{
    k->n = 0;
    if (f->kind != FIELD_PATH)
        return short_keys(s, f, &s->events[i], k) != 0 ? -1 : (int)k->n;
    if (!f->px || !pathindex_has(f->px, i))
        return 0;
    const uint32_t *ids;
    uint32_t one;
    size_t n = pathindex_ids(f->px, i, &ids, &one);
    for (size_t j = 0; j < n; j++)
        if (push_key(k, ids[j]) != 0)
            return -1;
    return (int)k->n;
}

const char *field_key_text(const struct store *s, const struct field *f, uint64_t key, char *buf, size_t *len)
{
    const char *t;
    if (f->kind == FIELD_PATH) {
        *len = f->px ? intern_len(f->px->values, (uint32_t)key) : 0;
        return f->px ? intern_str(f->px->values, (uint32_t)key) : "";
    }
    if (f->kind == FIELD_SHORT && f->sh->kind == SK_TIME)
        t = timefmt_format((int64_t)key, buf);
    else if (f->kind == FIELD_SHORT && f->sh->kind == SK_RO)
        t = key ? "true" : "false";
    else if (field_may_be_binary(f) && (key & KEY_BINARY))
        return store_field_text(s, &s->events[(uint32_t)key], (enum event_field)(key >> 32 & 0x7fffffff), buf,
                                len);
    else {
        *len = intern_len(s->strings, (uint32_t)key);
        return intern_str(s->strings, (uint32_t)key);
    }
    *len = strlen(t);
    return t;
}

uint64_t field_key_bound(const struct store *s, const struct field *f)
{
    if (f->kind == FIELD_PATH)
        return f->px ? intern_count(f->px->values) : 0;
    if (f->kind == FIELD_SHORT && f->sh->kind == SK_TIME)
        return 0;
    if (f->kind == FIELD_SHORT && f->sh->kind == SK_RO)
        return 2;
    return field_may_be_binary(f) ? 0 : intern_count(s->strings);
}

int field_prepare(struct store *s, struct field *f, size_t work)
{
    if (f->kind != FIELD_PATH)
        return 1;
    if (!f->px) {
        if (!(f->px = pathindex_get(s, &f->path)))
            return -1;
        f->store = s;
    }
    return pathindex_build(s, f->px, work);
}

int field_prepare_for(struct store *s, struct field *f, size_t n)
{
    if (f->kind != FIELD_PATH || n < PATHINDEX_THREADED || n < s->nevents / 4)
        return 0;
    int r;
    while ((r = field_prepare(s, f, 1 << 20)) == 0)
        ;
    return r < 0 ? -1 : 0;
}

int field_values(struct store *s, size_t i, struct field *f, struct path_values *v, char **err)
{
    *err = NULL;
    path_values_clear(v);
    if (f->kind == FIELD_PATH) {
        /* an index another filter or field built serves too, for this call */
        const struct pathindex *x = f->px ? f->px : pathindex_find(s, &f->path);
        /* an event the index could not read is read again, so the caller hears why as before */
        if (x && pathindex_has(x, i) && !(x->unreadable && x->slot[i] == 0)) {
            const uint32_t *ids;
            uint32_t one;
            size_t n = pathindex_ids(x, i, &ids, &one);
            for (size_t j = 0; j < n; j++)
                if (path_values_push(v, intern_str(x->values, ids[j]), intern_len(x->values, ids[j])) != 0)
                    goto nomem;
            return (int)v->n;
        }
        size_t len;
        const char *raw = store_raw(s, &s->events[i], &len, err);
        if (!raw)
            return -1;
        int n = path_get(&f->path, raw, len, v);
        if (n < 0)
            goto nomem;
        return n;
    }
    struct field_keys k = {0};
    if (field_keys(s, f, i, &k) < 0) {
        field_keys_free(&k);
        goto nomem;
    }
    for (size_t j = 0; j < k.n; j++) {
        char buf[64];
        size_t len;
        const char *t = field_key_text(s, f, k.k[j], buf, &len);
        if (path_values_push(v, t, len) != 0) {
            field_keys_free(&k);
            goto nomem;
        }
    }
    field_keys_free(&k);
    return (int)v->n;
nomem:
    *err = strdup("out of memory");
    return -1;
}
