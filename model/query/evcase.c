/* evcase: the case seen from a store's events (see evcase.h). */
#include "model/query/evcase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/identity/trace.h"
#include "model/store/intern.h"

/* What the store keeps: the case (borrowed) and the texts given out as field keys (owned). */
struct evcase {
    const struct ctcase *c;
    struct intern *texts;
};

static void link_free(void *data)
{
    struct evcase *x = data;
    if (!x)
        return;
    intern_free(x->texts);
    free(x);
}

/* keyed by account and eventID, never by position: the events may move freely */
static const struct store_derived_ops evcase_ops = {.name = "case", .free = link_free};

size_t evcase_key(const struct store *s, size_t i, char *buf)
{
    const struct event *e = &s->events[i];
    char idbuf[STORE_UUID_TEXT];
    size_t idlen = 0;
    const char *id = store_field_text(s, e, EF_EVENT_ID, idbuf, &idlen);
    if (!id || !idlen)
        return 0;
    uint32_t acct = trace_event_account(s, i);
    const char *a = acct ? intern_str(s->strings, acct) : "";
    int n = snprintf(buf, EVCASE_KEY_BUF, "%s:%.*s", a, (int)idlen, id);
    return n > 0 && n < EVCASE_KEY_BUF ? (size_t)n : 0;
}

int evcase_attach(struct store *s, const struct ctcase *c)
{
    if (!c)
        return store_derived_set(s, &evcase_ops, NULL);
    struct evcase *x = calloc(1, sizeof *x);
    if (!x || !(x->texts = intern_new())) {
        free(x);
        return -1;
    }
    x->c = c;
    if (store_derived_set(s, &evcase_ops, x) != 0) {
        link_free(x);
        return -1;
    }
    return 0;
}

const struct ctcase *evcase_of(const struct store *s)
{
    const struct evcase *x = store_derived_get(s, &evcase_ops);
    return x ? x->c : NULL;
}

const struct case_entry *evcase_entry(const struct store *s, size_t i)
{
    const struct ctcase *c = evcase_of(s);
    char key[EVCASE_KEY_BUF];
    if (!c || !c->n || i >= s->nevents || !evcase_key(s, i, key))
        return NULL;
    return case_get(c, key);
}

uint32_t evcase_text_id(const struct store *s, const char *text)
{
    /* the texts are a cache of the case's, kept with the store like its path indexes: filling it
     * changes no event */
    struct evcase *x = store_derived_get(s, &evcase_ops);
    uint32_t id = x ? intern_add(x->texts, text, strlen(text)) : 0;
    return id == UINT32_MAX ? 0 : id;
}

const char *evcase_text(const struct store *s, uint32_t id, size_t *len)
{
    const struct evcase *x = store_derived_get(s, &evcase_ops);
    if (!x || id == 0 || id >= intern_count(x->texts)) {
        *len = 0;
        return "";
    }
    *len = intern_len(x->texts, id);
    return intern_str(x->texts, id);
}

uint32_t evcase_text_count(const struct store *s)
{
    const struct evcase *x = store_derived_get(s, &evcase_ops);
    return x ? intern_count(x->texts) : 0;
}
