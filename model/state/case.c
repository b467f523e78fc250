/* case: marks, notes and tags on events, kept between runs (see case.h). */
#include "model/state/case.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/errmsg.h"
#include "model/base/utf8.h"
#include "model/state/case_internal.h"
#include "model/state/casetext.h"

struct ctcase *case_new(const char *name)
{
    struct ctcase *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->name = strdup(name ? name : "default");
    if (!c->name) {
        free(c);
        return NULL;
    }
    return c;
}

static void entry_clear(struct case_entry *e)
{
    free(e->event);
    for (size_t i = 0; i < e->ntags; i++)
        free(e->tags[i]);
    free(e->tags);
    for (size_t i = 0; i < e->nnotes; i++)
        free(e->notes[i]);
    free(e->notes);
    memset(e, 0, sizeof *e);
}

static void free_inputs(struct ctcase *c)
{
    for (size_t i = 0; i < c->ninputs; i++)
        free(c->inputs[i]);
    free(c->inputs);
    c->inputs = NULL;
    c->ninputs = 0;
}

void case_ops_clear(struct ctcase *c)
{
    for (size_t i = 0; i < c->nops; i++) {
        free(c->ops[i].key);
        free(c->ops[i].arg);
    }
    free(c->ops);
    c->ops = NULL;
    c->nops = c->capops = 0;
}

/* Keeps a change made here for the next save (case.h: struct case_op). 0, or -1 out of memory. */
static int journal(struct ctcase *c, enum case_op_kind kind, const char *key, const char *arg, int64_t at)
{
    if (c->no_journal)
        return 0;
    if (c->nops == c->capops) {
        size_t cap = c->capops ? c->capops * 2 : 16;
        struct case_op *v = reallocarray(c->ops, cap, sizeof *v);
        if (!v)
            return -1;
        c->ops = v;
        c->capops = cap;
    }
    struct case_op *o = &c->ops[c->nops];
    o->kind = (unsigned char)kind;
    o->at = at;
    o->key = strdup(key);
    o->arg = arg ? strdup(arg) : NULL;
    if (!o->key || (arg && !o->arg)) {
        free(o->key);
        free(o->arg);
        return -1;
    }
    c->nops++;
    return 0;
}

void case_free(struct ctcase *c)
{
    if (!c)
        return;
    case_ops_clear(c);
    for (size_t i = 0; i < c->n; i++)
        entry_clear(&c->v[i]);
    free(c->v);
    free(c->slots);
    free_inputs(c);
    free(c->name);
    free(c->notice);
    free(c);
}

static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h ^ (h >> 29);
}

/* The slot of key in c->slots: the one holding its entry (*found 1), else the empty one where it would
 * go. The index is kept at most half full (entry_for), so a probe always ends. */
static size_t find_slot(const struct ctcase *c, const char *key, int *found)
{
    *found = 0;
    if (!c->nslots)
        return 0;
    size_t mask = c->nslots - 1;
    for (size_t at = (size_t)key_hash(key) & mask;; at = (at + 1) & mask) {
        uint32_t s = c->slots[at];
        if (!s)
            return at;
        if (strcmp(c->v[s - 1].event, key) == 0) {
            *found = 1;
            return at;
        }
    }
}

/* The position of key in c->v (*found 1), else c->n (*found 0). */
static size_t find(const struct ctcase *c, const char *key, int *found)
{
    size_t at = find_slot(c, key, found);
    return *found ? c->slots[at] - 1 : c->n;
}

static int holds_something(const struct case_entry *e)
{
    return e->marked || e->ntags || e->nnotes;
}

const struct case_entry *case_get(const struct ctcase *c, const char *key)
{
    int found;
    size_t i = find(c, key, &found);
    return found && holds_something(&c->v[i]) ? &c->v[i] : NULL;
}

size_t case_count(const struct ctcase *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += holds_something(&c->v[i]) != 0;
    return n;
}

int case_set_inputs(struct ctcase *c, const char *const *inputs, size_t n)
{
    free_inputs(c);
    if (!(c->inputs = calloc(n ? n : 1, sizeof *c->inputs)))
        return -1;
    for (; c->ninputs < n; c->ninputs++)
        if (!(c->inputs[c->ninputs] = strdup(inputs[c->ninputs])))
            return -1;
    return 0;
}

/* Indexes c->v again in a table of nslots (a power of two). 0, or -1 out of memory (c unchanged). */
static int rehash(struct ctcase *c, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    free(c->slots);
    c->slots = slots;
    c->nslots = nslots;
    for (size_t i = 0; i < c->n; i++) {
        int found;
        c->slots[find_slot(c, c->v[i].event, &found)] = (uint32_t)(i + 1);
    }
    return 0;
}

/* The entry of key, made (empty) when there is none; NULL when out of memory or full. */
struct case_entry *case_entry_for(struct ctcase *c, const char *key, const char **err)
{
    int found;
    size_t i = find(c, key, &found);
    if (found)
        return &c->v[i];
    if (c->n >= CASE_MAX_EVENTS) {
        *err = "the case holds too many events";
        return NULL;
    }
    if ((c->n + 1) * 2 > c->nslots && rehash(c, c->nslots ? c->nslots * 2 : 64) != 0) {
        *err = "out of memory";
        return NULL;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct case_entry *v = reallocarray(c->v, cap, sizeof *v);
        if (!v) {
            *err = "out of memory";
            return NULL;
        }
        c->v = v;
        c->cap = cap;
    }
    char *ev = strdup(key);
    if (!ev) {
        *err = "out of memory";
        return NULL;
    }
    memset(&c->v[c->n], 0, sizeof c->v[c->n]);
    c->v[c->n].event = ev;
    c->slots[find_slot(c, key, &found)] = (uint32_t)(c->n + 1);
    c->n++;
    return &c->v[c->n - 1];
}

/* Stamps a local change: later than the entry's own time even when that is ahead of this clock (an
 * imported or another machine's entry), so that the change wins the next save's merge. */
static void stamp(struct case_entry *e, int64_t now_ms)
{
    e->updated = now_ms > e->updated ? now_ms : e->updated + 1;
}

int case_set_mark(struct ctcase *c, const char *key, int marked, int64_t now_ms, const char **err)
{
    if (!marked && !case_get(c, key))
        return 0;
    struct case_entry *e = case_entry_for(c, key, err);
    if (!e)
        return -1;
    if (journal(c, marked ? CASE_OP_MARK : CASE_OP_UNMARK, key, NULL, now_ms) != 0) {
        *err = "out of memory";
        return -1;
    }
    e->marked = marked != 0;
    stamp(e, now_ms);
    c->gen++;
    return 0;
}

static int push(char ***v, size_t *n, size_t at, char *s)
{
    char **grown = reallocarray(*v, *n + 1, sizeof **v);
    if (!grown)
        return -1;
    *v = grown;
    memmove(&grown[at + 1], &grown[at], (*n - at) * sizeof *grown);
    grown[at] = s;
    (*n)++;
    return 0;
}

int case_add_note(struct ctcase *c, const char *key, const char *text, int64_t now_ms, const char **err)
{
    size_t len = strlen(text);
    if (len == 0) {
        *err = "an empty note";
        return -1;
    }
    if (!casetext_utf8_valid(text)) {
        /* saved as it is, it would make the file JSON no reader takes (and the case unreadable) */
        *err = "a note is text in UTF-8: this one holds a byte that is not (is the terminal set to UTF-8?)";
        return -1;
    }
    if (len > CASE_MAX_NOTE) {
        *err = "a note is at most 4096 bytes";
        return -1;
    }
    const struct case_entry *old = case_get(c, key);
    if (old && old->nnotes >= CASE_MAX_NOTES) {
        *err = "an event holds at most 64 notes";
        return -1;
    }
    struct case_entry *e = case_entry_for(c, key, err);
    char *t = e ? strdup(text) : NULL;
    if (!t || journal(c, CASE_OP_NOTE, key, text, now_ms) != 0 ||
        push(&e->notes, &e->nnotes, e->nnotes, t) != 0) {
        free(t);
        *err = "out of memory";
        return -1;
    }
    stamp(e, now_ms);
    c->gen++;
    return 0;
}

int case_tag_valid(const char *tag, const char **why)
{
    size_t n = strlen(tag);
    if (n == 0 || n > CASE_MAX_TAG) {
        *why = "a tag is 1 to 64 characters";
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *)tag; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-_.:/@", *p))) {
            *why = "a tag is letters, digits and - _ . : / @";
            return 0;
        }
    *why = NULL;
    return 1;
}

int case_add_tag(struct ctcase *c, const char *key, const char *tag, int64_t now_ms, const char **err)
{
    if (!case_tag_valid(tag, err))
        return -1;
    struct case_entry *e = case_entry_for(c, key, err);
    if (!e)
        return -1;
    size_t at = 0;
    while (at < e->ntags && strcmp(e->tags[at], tag) < 0)
        at++;
    if (at < e->ntags && strcmp(e->tags[at], tag) == 0)
        return 0;
    if (e->ntags >= CASE_MAX_TAGS) {
        *err = "an event holds at most 32 tags";
        return -1;
    }
    char *t = strdup(tag);
    if (!t || journal(c, CASE_OP_TAG, key, tag, now_ms) != 0 || push(&e->tags, &e->ntags, at, t) != 0) {
        free(t);
        *err = "out of memory";
        return -1;
    }
    stamp(e, now_ms);
    c->gen++;
    return 0;
}

int case_remove_tag(struct ctcase *c, const char *key, const char *tag, int64_t now_ms, const char **err)
{
    int found;
    size_t i = find(c, key, &found);
    struct case_entry *e = found ? &c->v[i] : NULL;
    for (size_t k = 0; e && k < e->ntags; k++)
        if (strcmp(e->tags[k], tag) == 0) {
            if (journal(c, CASE_OP_UNTAG, key, tag, now_ms) != 0) {
                *err = "out of memory";
                return -1;
            }
            free(e->tags[k]);
            memmove(&e->tags[k], &e->tags[k + 1], (e->ntags - k - 1) * sizeof *e->tags);
            e->ntags--;
            stamp(e, now_ms);
            c->gen++;
            return 0;
        }
    *err = "the event has no such tag";
    return 1;
}

/* One "events" item of a case file into *out (zeroed first), its "updated" capped at cap_ms. A note
 * that is not UTF-8 is refused when strict (an import), else read with U+FFFD for each bad byte,
 * counted in *repaired. Returns NULL, or why it is refused. */
static const char *entry_parse(const cJSON *j, int64_t cap_ms, int strict, struct case_entry *out,
                               size_t *repaired)
{
    memset(out, 0, sizeof *out);
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(j, "event_hex");
    if (cJSON_IsString(hex)) {
        if (!(out->event = casetext_from_hex(hex->valuestring)))
            return "\"event_hex\" is not the hex of a key";
    } else if (cJSON_IsString(ev) && !(out->event = strdup(ev->valuestring)))
        return "out of memory";
    /* a key that is not UTF-8 (an eventID as logged, or a file written before "event_hex") is kept as
       its bytes: it names the event the store names so */
    if (!out->event || !strchr(out->event, ':') || strlen(out->event) > 256)
        return "\"event\" is not ACCOUNT:EVENTID";
    const cJSON *mk = cJSON_GetObjectItemCaseSensitive(j, "marked");
    if (mk && !cJSON_IsBool(mk))
        return "\"marked\" is not true or false";
    out->marked = cJSON_IsTrue(mk);
    const cJSON *up = cJSON_GetObjectItemCaseSensitive(j, "updated");
    if (up && (!cJSON_IsNumber(up) || !(up->valuedouble >= 0 && up->valuedouble <= CASE_MAX_UPDATED) ||
               (double)(int64_t)up->valuedouble != up->valuedouble))
        return "\"updated\" is not a whole number of ms from 0 to 253402300799999 (year 9999)";
    out->updated = up ? (int64_t)up->valuedouble : 0;
    if (out->updated > cap_ms)
        out->updated = cap_ms; /* a clock ahead must not make this copy win over every later change */
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(j, "tags"), *t;
    if (tags && !cJSON_IsArray(tags))
        return "\"tags\" is not a list";
    cJSON_ArrayForEach(t, tags)
    {
        const char *why;
        if (!cJSON_IsString(t) || !case_tag_valid(t->valuestring, &why))
            return "a tag is not a valid tag name";
        if (out->ntags >= CASE_MAX_TAGS)
            return "more than 32 tags on an event";
        size_t at = 0;
        while (at < out->ntags && strcmp(out->tags[at], t->valuestring) < 0)
            at++;
        if (at < out->ntags && strcmp(out->tags[at], t->valuestring) == 0)
            continue;
        char *s = strdup(t->valuestring);
        if (!s || push(&out->tags, &out->ntags, at, s) != 0) {
            free(s);
            return "out of memory";
        }
    }
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(j, "notes"), *nt;
    if (notes && !cJSON_IsArray(notes))
        return "\"notes\" is not a list";
    cJSON_ArrayForEach(nt, notes)
    {
        if (!cJSON_IsString(nt) || !*nt->valuestring || strlen(nt->valuestring) > CASE_MAX_NOTE)
            return "a note is not a string of 1 to 4096 bytes";
        int bad = !casetext_utf8_valid(nt->valuestring);
        if (bad && strict)
            return "a note is not valid UTF-8";
        if (out->nnotes >= CASE_MAX_NOTES)
            return "more than 64 notes on an event";
        *repaired += bad;
        char *s = bad ? casetext_utf8_repaired(nt->valuestring) : strdup(nt->valuestring);
        if (!s || push(&out->notes, &out->nnotes, out->nnotes, s) != 0) {
            free(s);
            return "out of memory";
        }
    }
    return NULL;
}

/* Whether e holds note text. */
int case_entry_has_note(const struct case_entry *e, const char *text)
{
    for (size_t k = 0; k < e->nnotes; k++)
        if (strcmp(e->notes[k], text) == 0)
            return 1;
    return 0;
}

/* Merges one parsed entry o into c's entry e of the same event (see case.h): the newer copy's mark
 * and tags, the notes of both (e's first); the notes past CASE_MAX_NOTES are counted in *dropped. o is
 * taken over. Returns whether e changed. */
static int merge_entry(struct case_entry *e, struct case_entry *o, size_t *dropped)
{
    int changed = 0;
    if (o->updated > e->updated) {
        changed = e->marked != o->marked || e->ntags != o->ntags;
        for (size_t k = 0; !changed && k < e->ntags; k++)
            changed = strcmp(e->tags[k], o->tags[k]) != 0;
        e->marked = o->marked;
        char **t = e->tags;
        size_t nt = e->ntags;
        e->tags = o->tags;
        e->ntags = o->ntags;
        o->tags = t;
        o->ntags = nt;
        e->updated = o->updated;
    }
    for (size_t k = 0; k < o->nnotes; k++) {
        if (case_entry_has_note(e, o->notes[k]))
            continue;
        if (e->nnotes >= CASE_MAX_NOTES || push(&e->notes, &e->nnotes, e->nnotes, o->notes[k]) != 0) {
            (*dropped)++;
            continue;
        }
        o->notes[k] = NULL; /* moved */
        changed = 1;
    }
    entry_clear(o);
    return changed;
}

/* Merges parsed entries into c (case_merge_entry); taken over (freed or moved). Counts the entries of c
 * added or changed into *changed (each once, however often the file names it), the notes left out at
 * CASE_MAX_NOTES into *dropped (*dropped_at: the first such event, owned). */
static int merge(struct ctcase *c, struct case_entry *v, size_t n, size_t *changed, size_t *dropped,
                 char **dropped_at)
{
    int rc = 0;
    unsigned char *seen = calloc(c->n + n + 1, 1); /* by position in c->v: counted already */
    if (!seen) {
        for (size_t i = 0; i < n; i++)
            entry_clear(&v[i]);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *why;
        int found;
        size_t at = find(c, v[i].event, &found), before = *dropped;
        if (found) {
            if (merge_entry(&c->v[at], &v[i], dropped)) {
                c->gen++;
                *changed += !seen[at];
                seen[at] = 1;
            }
            if (*dropped > before && !*dropped_at)
                *dropped_at = strdup(c->v[at].event);
            continue;
        }
        struct case_entry *e = case_entry_for(c, v[i].event, &why);
        if (!e) {
            entry_clear(&v[i]);
            rc = -1;
            continue;
        }
        char *key = e->event;
        *e = v[i];
        free(key);
        c->gen++;
        *changed += holds_something(e) != 0;
        seen[e - c->v] = holds_something(e) != 0;
    }
    free(seen);
    return rc;
}

int case_load(struct ctcase *c, const char *path, char **err)
{
    return case_merge_file(c, path, NULL, err);
}

/* The file's "inputs" when c has none: they say what a case found by its hashed name is over. */
static void take_inputs(struct ctcase *c, const cJSON *inputs)
{
    const cJSON *in;
    size_t n = 0;
    if (c->ninputs || !cJSON_IsArray(inputs))
        return;
    const char *v[64];
    cJSON_ArrayForEach(in, inputs)
    {
        if (cJSON_IsString(in) && n < sizeof v / sizeof *v)
            v[n++] = in->valuestring;
    }
    if (n && case_set_inputs(c, v, n) != 0)
        free_inputs(c);
}

/* The one JSON value of text[0..len) (only white space after it), or NULL with *err naming the byte. */
static cJSON *parse_whole(const char *path, const char *text, size_t len, char **err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root && end) {
        while (end < text + len && strchr(" \t\r\n", *end) && *end)
            end++;
        if (end == text + len)
            return root;
        cJSON_Delete(root);
        errmsg_set(err, "%s: byte %zu: text after the case's JSON object", path, (size_t)(end - text));
        return NULL;
    }
    cJSON_Delete(root);
    size_t at = end && end >= text ? (size_t)(end - text) : 0;
    errmsg_set(err, "%s: byte %zu: not JSON", path, at);
    return NULL;
}

int case_merge_file(struct ctcase *c, const char *path, size_t *changed, char **err)
{
    return case_import_file(c, path, CASE_MAX_UPDATED, 0, changed, err);
}

/* Adds what to c->notice ("; " between). */
static void notice_add(struct ctcase *c, const char *what)
{
    char *n = NULL;
    if (asprintf(&n, "%s%s%s", c->notice ? c->notice : "", c->notice ? "; " : "", what) < 0)
        return;
    free(c->notice);
    c->notice = n;
}

/* The events of root parsed into *out (owned, *n of them): strict (an import), the first entry that
 * is refused refuses them all; else it is left out and said in c->notice, and the rest are read. */
static int parse_events(struct ctcase *c, const char *path, const cJSON *events, int64_t now_ms, int strict,
                        struct case_entry **out, size_t *n, char **err)
{
    int total = cJSON_GetArraySize(events);
    if (total > CASE_MAX_EVENTS)
        return errmsg_set(err, "%s: more than %d events", path, CASE_MAX_EVENTS);
    struct case_entry *v = calloc((size_t)total + 1, sizeof *v);
    if (!v)
        return errmsg_set(err, "%s: out of memory", path);
    size_t k = 0, skipped = 0, repaired = 0;
    int at = 0;
    char first[160] = "";
    const cJSON *j;
    cJSON_ArrayForEach(j, events)
    {
        const char *why = entry_parse(j, now_ms, strict, &v[k], &repaired);
        at++;
        if (why && strict) {
            for (size_t i = 0; i <= k; i++)
                entry_clear(&v[i]);
            free(v);
            return errmsg_set(err, "%s: event %d: %s", path, at, why);
        }
        if (why) {
            entry_clear(&v[k]);
            if (!skipped++)
                snprintf(first, sizeof first, "event %d: %s", at, why);
            continue;
        }
        k++;
    }
    char what[400];
    if (skipped) {
        snprintf(what, sizeof what, "%s: %zu entr%s left out, kept no more (%s)", path, skipped,
                 skipped == 1 ? "y" : "ies", first);
        notice_add(c, what);
    }
    if (repaired) {
        snprintf(what, sizeof what, "%s: %zu note%s not UTF-8, read with U+FFFD for each bad byte", path,
                 repaired, repaired == 1 ? "" : "s");
        notice_add(c, what);
    }
    *out = v;
    *n = k;
    return 0;
}

int case_import_file(struct ctcase *c, const char *path, int64_t now_ms, int must_exist, size_t *changed,
                     char **err)
{
    size_t dummy = 0;
    if (!changed)
        changed = &dummy;
    *changed = 0;
    size_t len = 0;
    int missing;
    /* an import (must_exist) is strict: a file that is not all right changes nothing; the case's own
       file is read as far as it can be, so that one bad entry does not lose the others */
    int strict = must_exist;
    char *text = casetext_read(path, strict, CASE_MAX_FILE, &len, err, &missing);
    if (!text && missing && must_exist)
        return errmsg_set(err, "%s: %s", path, strerror(ENOENT));
    if (!text)
        return missing ? 0 : -1;
    for (long nul; (nul = casetext_nul_escape(text, len)) >= 0;) {
        if (strict) {
            free(text);
            return errmsg_set(err,
                              "%s: byte %ld: a string holds \\u0000 (NUL), which no note, tag or event can",
                              path, nul);
        }
        memcpy(text + nul, "\\ufffd", 6);
        char what[300];
        snprintf(what, sizeof what, "%s: byte %ld: \\u0000 (NUL) read as U+FFFD", path, nul);
        notice_add(c, what);
    }
    cJSON *root = parse_whole(path, text, len, err);
    free(text);
    if (!root)
        return -1;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "ctview_case");
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(root, "events");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != 1 || (events && !cJSON_IsArray(events))) {
        cJSON_Delete(root);
        return errmsg_set(err, "%s: not a ctview case (version 1)", path);
    }
    struct case_entry *v = NULL;
    size_t n = 0;
    if (parse_events(c, path, events, now_ms, strict, &v, &n, err) != 0) {
        cJSON_Delete(root);
        return -1;
    }
    take_inputs(c, cJSON_GetObjectItemCaseSensitive(root, "inputs"));
    cJSON_Delete(root);
    size_t dropped = 0;
    char *dropped_at = NULL;
    int rc = merge(c, v, n, changed, &dropped, &dropped_at);
    free(v);
    if (rc != 0)
        rc = errmsg_set(err, "%s: out of memory or too many events while merging", path);
    else if (dropped) {
        /* the rest is merged; what is left out is said, never dropped without a word */
        char what[400];
        snprintf(what, sizeof what,
                 "%s: %zu note%s not merged: an event holds at most %d notes (the first: event %.300s)", path,
                 dropped, dropped == 1 ? "" : "s", CASE_MAX_NOTES, dropped_at ? dropped_at : "?");
        rc = strict ? errmsg_set(err, "%s", what) : 0;
        if (!strict)
            notice_add(c, what);
        else
            rc = 1;
    }
    free(dropped_at);
    return rc;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct case_entry *x = *(const struct case_entry *const *)a,
                            *y = *(const struct case_entry *const *)b;
    return strcmp(x->event, y->event);
}

/* A JSON list of the strings v[0..n): [] for none (cJSON_CreateStringArray gives NULL then). */
static cJSON *string_list(char *const *v, size_t n)
{
    return n ? cJSON_CreateStringArray((const char *const *)v, (int)n) : cJSON_CreateArray();
}

static cJSON *to_json(const struct ctcase *c)
{
    cJSON *root = cJSON_CreateObject(), *events = cJSON_CreateArray();
    if (!root || !events) {
        cJSON_Delete(root);
        cJSON_Delete(events);
        return NULL;
    }
    cJSON_AddNumberToObject(root, "ctview_case", 1);
    cJSON_AddStringToObject(root, "name", c->name);
    cJSON_AddItemToObject(root, "inputs", string_list(c->inputs, c->ninputs));
    cJSON_AddItemToObject(root, "events", events);
    /* sorted by event: the same case is the same bytes, and a diff of two exports reads well */
    const struct case_entry **order = malloc((c->n ? c->n : 1) * sizeof *order);
    if (!order) {
        cJSON_Delete(root);
        return NULL;
    }
    for (size_t i = 0; i < c->n; i++)
        order[i] = &c->v[i];
    qsort(order, c->n, sizeof *order, cmp_entry);
    for (size_t i = 0; i < c->n; i++) {
        const struct case_entry *e = order[i];
        cJSON *o = cJSON_CreateObject();
        if (!o) {
            free(order);
            cJSON_Delete(root);
            return NULL;
        }
        cJSON_AddItemToArray(events, o);
        if (casetext_utf8_valid(e->event))
            cJSON_AddStringToObject(o, "event", e->event);
        else {
            /* an eventID as logged may hold any byte: "event" shows it (U+FFFD for a bad byte),
               "event_hex" keeps its bytes, so that it still names the same event when read again */
            char *shown = casetext_utf8_repaired(e->event), *hex = malloc(2 * strlen(e->event) + 1);
            for (size_t k = 0; hex && e->event[k]; k++)
                snprintf(hex + 2 * k, 3, "%02x", (unsigned char)e->event[k]);
            if (!shown || !hex) {
                free(shown);
                free(hex);
                free(order);
                cJSON_Delete(root);
                return NULL;
            }
            cJSON_AddStringToObject(o, "event", shown);
            cJSON_AddStringToObject(o, "event_hex", hex);
            free(shown);
            free(hex);
        }
        cJSON_AddBoolToObject(o, "marked", e->marked);
        cJSON_AddItemToObject(o, "tags", string_list(e->tags, e->ntags));
        cJSON_AddItemToObject(o, "notes", string_list(e->notes, e->nnotes));
        cJSON_AddNumberToObject(o, "updated", (double)e->updated);
    }
    free(order);
    return root;
}

char *case_json(const struct ctcase *c)
{
    cJSON *j = to_json(c);
    char *text = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    return text;
}
