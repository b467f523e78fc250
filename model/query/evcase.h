/* evcase: the investigator's case (model/state/case.h) seen from the events of a store: each event's
 * case key, and the case kept with the store (borrowed) so that the tag and note fields (field.c), the
 * tag: and note: filter terms, the list and the detail read one event's entry the same way.
 *
 * An event's key is "ACCOUNT:EVENTID": its account as --trace names it (recipientAccountId, else the
 * trail's account, model/identity/trace.h) and its eventID; an event without an eventID has none and
 * cannot be noted. */
#ifndef CTVIEW_EVCASE_H
#define CTVIEW_EVCASE_H

#include <stddef.h>

#include "model/state/case.h"
#include "model/store/store.h"

/* The size of a buffer evcase_key writes to. */
#define EVCASE_KEY_BUF 320

/* Writes event i's key into buf (EVCASE_KEY_BUF). Returns its length, or 0 when it has no eventID. */
size_t evcase_key(const struct store *s, size_t i, char *buf);

/* Keeps c (borrowed: it must outlive its use by s, or be detached with NULL) with s. 0, or -1 when out
 * of memory (then none is kept). */
int evcase_attach(struct store *s, const struct ctcase *c);

/* The case kept with s (borrowed), or NULL. */
const struct ctcase *evcase_of(const struct store *s);

/* The case entry of event i (borrowed from the case: valid until it changes), or NULL when the case
 * holds nothing for it or none is kept. */
const struct case_entry *evcase_entry(const struct store *s, size_t i);

/* Ids of the texts (tags and notes) the field model gives out as keys: one id per distinct text, kept
 * with the store's case. evcase_text_id returns 0 when out of memory or no case is kept. */
uint32_t evcase_text_id(const struct store *s, const char *text);
const char *evcase_text(const struct store *s, uint32_t id, size_t *len);
uint32_t evcase_text_count(const struct store *s);

#endif
