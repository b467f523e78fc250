/* field: short names and paths, and the values of either for one event. See field.h. */
#include "model/query/field.h"
#include "model/query/evcase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/base/filterquote.h"
#include "model/base/grow.h"
#include "model/base/timefmt.h"
#include "model/detect/findings.h"
#include "model/identity/origin.h"
#include "model/index/pathindex.h"
#include "model/store/evtext.h"

/* How a field's keys read back (field_key_text) and how many there can be (field_key_bound). */
enum key_space {
    KS_STRINGS, /* interned ids of the store's strings, a binary UUID's event, or a label (KEY_LABEL) */
    KS_TIME,    /* eventTime in ms */
    KS_ENUM,    /* an index into the row's labels */
    KS_RULES,   /* an index into the rule set of the store's findings */
    KS_CASE,    /* a text of the store's case (model/query/evcase.h): a tag or a note */
};

/* Keys with this bit are labels of the field model itself (labels[] below), never a log's text. */
#define KEY_LABEL (1ull << 62)
enum { LABEL_MASKED, LABEL_LOGIN_FAILURE };
static const char *const labels[] = {[LABEL_MASKED] = EVTEXT_MASKED, [LABEL_LOGIN_FAILURE] = "Failure"};

/* How a filter term selects the events with one value of a field. */
enum term_kind {
    TERM_VALUE,    /* NAME:"value": the field is a filter field of the same name */
    TERM_NONE,     /* no term (time: after: and before: take ranges) */
    TERM_IDENTITY, /* whichever of user:, invokedBy and type: gave the value */
};

/* One field: its name, where its values come from, and what it needs computed first. Adding a
 * computed field is one row here (and, when it needs a new kind of value, one keys function). */
struct field_short {
    const char *name;
    enum key_space space;
    /* the keys of event i, appended to k (distinct, in document order) */
    int (*keys)(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k);
    enum event_field ef[4]; /* keys_fields: the indexed fields read, in order */
    int nef;
    const char *const *labels; /* KS_ENUM: the text of key 0, 1, ... */
    size_t nlabels;
    unsigned needs;      /* FIELD_NEEDS_* */
    enum term_kind term; /* how a filter selects one of its values (field_key_term) */
};

static int push_key(struct field_keys *k, uint64_t key);
static uint64_t indexed_key(const struct store *s, const struct event *e, enum event_field ef);

/* The distinct non-empty values of the row's indexed fields (what the filter compares for them). */
static int keys_fields(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    const struct event *e = &s->events[i];
    for (int j = 0; j < sh->nef; j++) {
        uint64_t id = indexed_key(s, e, sh->ef[j]);
        int seen = id == 0;
        for (int m = 0; m < j && !seen; m++)
            seen = indexed_key(s, e, sh->ef[m]) == id;
        if (!seen && push_key(k, id) != 0)
            return -1;
    }
    return 0;
}

static int keys_time(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    int64_t t = s->events[i].time_ms;
    return t == TIME_NONE ? 0 : push_key(k, (uint64_t)t);
}

/* recipientAccountId, else the account whose trail delivered the file (as the trace takes it): the
 * account the event was logged in, also for the few records that do not name it. */
static int keys_account(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    const struct event *e = &s->events[i];
    uint32_t id = store_field(s, e, EF_ACCOUNT);
    if (!id && e->source < s->nsources)
        id = s->sources[e->source].trail_account;
    return id ? push_key(k, id) : 0;
}

/* Who: the masked label for a sign-in whose name AWS masked, else the ARN, userName, invokedBy (an AWS
 * service), an Identity Center user's onBehalfOf.userId, else userIdentity.type. */
static int keys_identity(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    const struct event *e = &s->events[i];
    if (e->flags & EVF_USER_MASKED)
        return push_key(k, KEY_LABEL | LABEL_MASKED);
    static const enum event_field order[] = {EF_UI_ARN, EF_UI_USER, EF_UI_INVOKED_BY, EF_UI_OBO_USER,
                                             EF_UI_TYPE};
    for (size_t j = 0; j < sizeof order / sizeof *order; j++)
        if (store_field(s, e, order[j]))
            return push_key(k, store_field(s, e, order[j]));
    return 0;
}

/* The one failure rule (store_event_failed): errorCode, else errorMessage, else "Failure" for a failed
 * sign-in, which logs neither. */
static int keys_error(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    const struct event *e = &s->events[i];
    if (store_field(s, e, EF_ERROR_CODE))
        return push_key(k, store_field(s, e, EF_ERROR_CODE));
    if (store_field(s, e, EF_ERROR_MESSAGE))
        return push_key(k, store_field(s, e, EF_ERROR_MESSAGE));
    return e->flags & EVF_LOGIN_FAILURE ? push_key(k, KEY_LABEL | LABEL_LOGIN_FAILURE) : 0;
}

static const char *const outcome_labels[] = {"ok", "failed"};

static int keys_outcome(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    return push_key(k, store_event_failed(s, &s->events[i]) ? 1 : 0);
}

static const char *const ro_labels[] = {"false", "true"};

static int keys_ro(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    const struct event *e = &s->events[i];
    if (e->flags & EVF_READONLY_TRUE)
        return push_key(k, 1);
    return e->flags & EVF_READONLY_FALSE ? push_key(k, 0) : 0;
}

static int keys_res(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    const struct event *e = &s->events[i];
    const uint32_t *ids = store_res_ids(s, e);
    for (int j = 0; j < e->res_count; j++)
        if (push_key(k, ids[j]) != 0)
            return -1;
    return 0;
}

/* The origin the origin: filter compares (model/identity/origin.h): missing until the store's origins
 * cover the event (field_prepare computes them). */
static int keys_origin(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    const struct origins *o = origins_of(s);
    if (!o || i >= o->nevents)
        return 0;
    const struct origin_actor *a = &o->actors[origins_actor_of(o, i)];
    if (a->masked)
        return push_key(k, KEY_LABEL | LABEL_MASKED);
    return a->arn ? push_key(k, a->arn) : 0;
}

/* The rules event i matched (*n of them, borrowed), none without the store's complete findings. */
static const uint32_t *event_rules(const struct store *s, size_t i, size_t *n)
{
    const struct findings *fd = findings_of(s);
    *n = 0;
    return fd && findings_done(fd) ? findings_event_rules(fd, i, n) : NULL;
}

/* The rules among the event's findings (what rule: matches): missing without complete findings. */
static int keys_rule(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    size_t n;
    const uint32_t *rules = event_rules(s, i, &n);
    for (size_t j = 0; j < n; j++)
        if (push_key(k, rules[j]) != 0)
            return -1;
    return 0;
}

static const char *const level_labels[SIGMA__LEVELS] = {"informational", "low", "medium", "high", "critical"};

/* The distinct levels among the event's findings (what level: compares), highest first. */
static int keys_level(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    size_t n;
    const uint32_t *rules = event_rules(s, i, &n);
    if (!rules)
        return 0;
    const struct sigma_set *set = findings_set(findings_of(s));
    int have[SIGMA__LEVELS] = {0};
    for (size_t j = 0; j < n; j++) {
        int l = (int)sigma_rule_level(sigma_set_rule(set, rules[j]));
        if (l >= 0 && l < SIGMA__LEVELS)
            have[l] = 1;
    }
    for (int l = SIGMA__LEVELS - 1; l >= 0; l--)
        if (have[l] && push_key(k, (uint64_t)l) != 0)
            return -1;
    return 0;
}

/* The event's tags (sorted) or notes (in the order written) in the store's case. */
static int keys_case(const struct store *s, size_t i, struct field_keys *k, int notes)
{
    const struct case_entry *e = evcase_entry(s, i);
    size_t n = e ? (notes ? e->nnotes : e->ntags) : 0;
    for (size_t j = 0; j < n; j++) {
        uint32_t id = evcase_text_id(s, notes ? e->notes[j] : e->tags[j]);
        if (!id || push_key(k, id) != 0)
            return -1;
    }
    return 0;
}

static int keys_tag(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    return keys_case(s, i, k, 0);
}

static int keys_note(const struct store *s, const struct field_short *sh, size_t i, struct field_keys *k)
{
    (void)sh;
    return keys_case(s, i, k, 1);
}

#define FIELDS(...)                                                                                          \
    .keys = keys_fields, .ef = {__VA_ARGS__},                                                                \
    .nef = sizeof((enum event_field[]){__VA_ARGS__}) / sizeof(enum event_field)
#define COMPUTED(fn) .keys = fn
#define ENUM(fn, l)  .keys = fn, .labels = l, .nlabels = sizeof l / sizeof *l

/* The --list columns first (time acct region src name identity ip error id), then every other filter
 * field (their values are what their filter term compares: user is userName, ARN, principalId and an
 * Identity Center user's id; key the access key used and the one issued; role the role asked for and
 * the session's issuer; res every resource ARN; ro true/false; after/before the time; origin, rule and
 * level as the filter takes them), then outcome (failed or ok, by the one failure rule), then tag and
 * note: the event's tags and notes in the case kept with the store (model/query/evcase.h). */
static const struct field_short shorts[] = {
    {"time", KS_TIME, COMPUTED(keys_time), .term = TERM_NONE},
    {"acct", KS_STRINGS, COMPUTED(keys_account)},
    {"region", KS_STRINGS, FIELDS(EF_REGION)},
    {"src", KS_STRINGS, FIELDS(EF_SOURCE)},
    {"name", KS_STRINGS, FIELDS(EF_NAME)},
    {"identity", KS_STRINGS, COMPUTED(keys_identity), .term = TERM_IDENTITY},
    {"ip", KS_STRINGS, FIELDS(EF_IP)},
    {"error", KS_STRINGS, COMPUTED(keys_error)},
    {"id", KS_STRINGS, FIELDS(EF_EVENT_ID)},
    {"user", KS_STRINGS, FIELDS(EF_UI_USER, EF_UI_ARN, EF_UI_PRINCIPAL, EF_UI_OBO_USER)},
    {"type", KS_STRINGS, FIELDS(EF_UI_TYPE)},
    {"key", KS_STRINGS, FIELDS(EF_UI_KEY, EF_ISSUED_KEY)},
    {"shared", KS_STRINGS, FIELDS(EF_SHARED_ID)},
    {"req", KS_STRINGS, FIELDS(EF_REQUEST_ID)},
    {"ro", KS_ENUM, ENUM(keys_ro, ro_labels)},
    {"ua", KS_STRINGS, FIELDS(EF_UA)},
    {"res", KS_STRINGS, COMPUTED(keys_res)},
    {"etype", KS_STRINGS, FIELDS(EF_EVENT_TYPE)},
    {"cat", KS_STRINGS, FIELDS(EF_EVENT_CATEGORY)},
    {"role", KS_STRINGS, FIELDS(EF_ROLE_ARN, EF_UI_ISSUER_ARN)},
    {"srcid", KS_STRINGS, FIELDS(EF_UI_SOURCE_IDENTITY)},
    {"host", KS_STRINGS, FIELDS(EF_TLS_HOST)},
    {"origin", KS_STRINGS, COMPUTED(keys_origin), .needs = FIELD_NEEDS_ORIGINS},
    {"after", KS_TIME, COMPUTED(keys_time), .term = TERM_NONE},
    {"before", KS_TIME, COMPUTED(keys_time), .term = TERM_NONE},
    {"rule", KS_RULES, COMPUTED(keys_rule), .needs = FIELD_NEEDS_FINDINGS},
    {"level", KS_ENUM, ENUM(keys_level, level_labels), .needs = FIELD_NEEDS_FINDINGS},
    {"outcome", KS_ENUM, ENUM(keys_outcome, outcome_labels)},
    {"tag", KS_CASE, COMPUTED(keys_tag)},
    {"note", KS_CASE, COMPUTED(keys_note)},
};
#define NSHORTS (sizeof shorts / sizeof *shorts)

const char *field_short_names(void)
{
    static char names[NSHORTS * 12];
    if (!names[0]) {
        size_t n = 0;
        for (size_t i = 0; i < NSHORTS; i++)
            n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? " " : "", shorts[i].name);
    }
    return names;
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
    if (f->kind != FIELD_SHORT || f->sh->keys != keys_fields)
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
static int short_keys(const struct store *s, const struct field *f, size_t i, struct field_keys *k)
{
    if (f->kind == FIELD_INDEXED) {
        uint64_t key = indexed_key(s, &s->events[i], f->ef);
        return key ? push_key(k, key) : 0;
    }
    return f->sh->keys(s, f->sh, i, k);
}

int field_keys(const struct store *s, const struct field *f, size_t i, struct field_keys *k)
{
    k->n = 0;
    if (f->kind != FIELD_PATH)
        return short_keys(s, f, i, k) != 0 ? -1 : (int)k->n;
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
    enum key_space space = f->kind == FIELD_SHORT ? f->sh->space : KS_STRINGS;
    if (space == KS_TIME)
        t = timefmt_format((int64_t)key, buf);
    else if (space == KS_ENUM)
        t = key < f->sh->nlabels ? f->sh->labels[key] : "";
    else if (space == KS_CASE)
        return evcase_text(s, (uint32_t)key, len);
    else if (space == KS_RULES)
        t = findings_of(s) && key < sigma_set_count(findings_set(findings_of(s)))
                ? sigma_rule_title(sigma_set_rule(findings_set(findings_of(s)), (size_t)key))
                : "";
    else if (key & KEY_LABEL)
        t = (key & ~KEY_LABEL) < sizeof labels / sizeof *labels ? labels[key & ~KEY_LABEL] : "";
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
    enum key_space space = f->kind == FIELD_SHORT ? f->sh->space : KS_STRINGS;
    switch (space) {
    case KS_TIME:
        return 0;
    case KS_ENUM:
        return f->sh->nlabels;
    case KS_RULES:
        return findings_of(s) ? sigma_set_count(findings_set(findings_of(s))) : 0;
    case KS_CASE:
        return evcase_text_count(s);
    case KS_STRINGS:
        break;
    }
    return field_may_be_binary(f) ? 0 : intern_count(s->strings);
}

int field_is_time(const struct field *f)
{
    return f->kind == FIELD_SHORT && f->sh->space == KS_TIME;
}

unsigned field_needs(const struct field *f)
{
    return f->kind == FIELD_SHORT ? f->sh->needs : 0;
}

int field_prepare(struct store *s, struct field *f, size_t work)
{
    if ((field_needs(f) & FIELD_NEEDS_ORIGINS) && origins_ensure(s, NULL) != 0)
        return -1;
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
    if ((field_needs(f) & FIELD_NEEDS_ORIGINS) && origins_ensure(s, NULL) != 0)
        return -1;
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

int field_text(struct store *s, size_t i, struct field *f, struct path_values *v, size_t *len, char **err)
{
    int got = field_values(s, i, f, v, err);
    if (got <= 0) {
        *len = 0;
        return got;
    }
    /* The values lie back to back with a NUL after each: with the NULs between them made ',', they are
     * the joined text. */
    for (int k = 0; k + 1 < got; k++)
        v->text[v->off[k + 1] - 1] = ',';
    *len = v->text_len - 1;
    return got;
}

const char *field_text1(const struct store *s, const struct field *f, size_t i, char *buf, size_t cap)
{
    if (f->kind == FIELD_PATH || cap == 0)
        return "";
    struct field_keys k = {0};
    const char *t = "";
    if (short_keys(s, f, i, &k) == 0 && k.n > 0) {
        char kbuf[FIELD_KEY_BUF];
        size_t len;
        t = field_key_text(s, f, k.k[0], kbuf, &len);
        if (t == kbuf) {
            snprintf(buf, cap, "%s", kbuf);
            t = buf;
        }
    }
    field_keys_free(&k);
    return t;
}

/* Appends t to out (n used of cap, at most cap - 1), cut when it does not fit. Returns the new n. */
static size_t put_str(char *out, size_t n, size_t cap, const char *t)
{
    while (*t && n + 1 < cap)
        out[n++] = *t++;
    out[n] = '\0';
    return n;
}

/* Appends NAME:"value" to out (n used of cap; model/base/filterquote.h). Returns the new n. */
static size_t put_term(char *out, size_t n, size_t cap, const char *name, const char *v, size_t len)
{
    size_t need = filterquote_term(name, v, len, out + n, cap - n);
    return n + (need < cap - n ? need : cap - n - 1);
}

size_t field_key_term(const struct store *s, const struct field *f, uint64_t key, char *out, size_t cap)
{
    if (cap < 2)
        return 0;
    out[0] = '\0';
    enum term_kind kind = f->kind == FIELD_SHORT ? f->sh->term : TERM_VALUE;
    const char *name = f->kind == FIELD_SHORT ? f->sh->name : f->name;
    int label = f->kind == FIELD_SHORT && f->sh->space == KS_STRINGS && (key & KEY_LABEL);
    if (kind == TERM_NONE)
        return 0;
    if (label && (key & ~KEY_LABEL) == LABEL_LOGIN_FAILURE)
        return put_str(out, 0, cap, "error:* -errorCode:* -errorMessage:*");
    if (label) /* the masked name, as userName (identity) or as the origin's name holds it */
        return put_term(out, 0, cap, kind == TERM_IDENTITY ? "user" : name, "HIDDEN_DUE_TO_SECURITY_REASONS",
                        30);
    char buf[FIELD_KEY_BUF];
    size_t len;
    const char *v = field_key_text(s, f, key, buf, &len);
    if (kind == TERM_VALUE)
        return put_term(out, 0, cap, name, v, len);
    /* identity: the ARN, userName or Identity Center id (user:), invokedBy, or the type */
    size_t n = put_str(out, 0, cap, "(");
    n = put_term(out, n, cap, "user", v, len);
    n = put_str(out, n, cap, " OR ");
    n = put_term(out, n, cap, "userIdentity.invokedBy", v, len);
    n = put_str(out, n, cap, " OR ");
    n = put_term(out, n, cap, "type", v, len);
    n = put_str(out, n, cap, ")");
    return n;
}
