/* timeline: one event told outside ctview: a one-line summary (who did what to what, from where, with
 * what outcome) and its Timesketch line (README: Export), for the timesketch export and the report.
 *
 * A Timesketch line is one JSON object: Timesketch's mandatory message (the summary), datetime
 * (eventTime, ISO 8601 with its +00:00 offset) and timestamp_desc ("Event Time"), then timestamp
 * (microseconds since the epoch), the event's short fields (model/query/field.h, under their short
 * names; a field several values joined by ','), event_key, and from the case its tags ("tag"), notes
 * ("note") and marked, and the titles of the rules it matched ("finding"). Every string goes through
 * model/json/jsonout, so the line is valid JSON whatever the log held. */
#ifndef CTVIEW_TIMELINE_H
#define CTVIEW_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"

struct ctcase;

/* A growing text; owned by whoever holds it (free p). */
struct tl_text {
    char *p;
    size_t len, cap;
};

/* Appends s[0..n), or a NUL-terminated s. 0, or -1 when out of memory (the text then unchanged). */
int tl_append(struct tl_text *t, const char *s, size_t n);
int tl_puts(struct tl_text *t, const char *s);

/* The fields a timeline reads, prepared for n events of s (both borrowed; s's events must not move
 * while it is used). NULL with *err set (owned) when out of memory. Free with timeline_free. */
struct timeline *timeline_new(struct store *s, size_t n, char **err);
void timeline_free(struct timeline *t);

/* The name of event ev in a case, "ACCOUNT:EVENTID" as evcase_key writes it (empty when the event has
 * no eventID), into buf (cap bytes, at least EVCASE_KEY_BUF); returns buf. */
const char *timeline_event_key(const struct store *s, size_t ev, char *buf, size_t cap);

/* Appends the summary of event ev: "IDENTITY SRC:NAME on TARGET from IP in ACCOUNT REGION (origin
 * ORIGIN): OUTCOME", each part left out when the log lacks it. Raw log text: escape it before it is
 * shown. Returns 0, or -1 with *err (owned) when the event cannot be read or out of memory. */
int timeline_message(struct timeline *t, size_t ev, struct tl_text *out, char **err);

/* Appends event ev's Timesketch line with its newline (its message the summary with every character
 * textsafe.h escapes made visible, so it stays one line); c (borrowed, NULL for none) gives its tags, notes
 * and mark. Returns 1 when written, 0 when the event has no eventTime (Timesketch needs one: nothing is
 * appended), -1 with *err (owned) when it cannot be read or out of memory. */
int timeline_timesketch(struct timeline *t, size_t ev, const struct ctcase *c, struct tl_text *out,
                        char **err);

/* Appends the titles of the rules event ev matched, joined by sep (none when the store has no
 * complete findings). 0, or -1 when out of memory. */
int timeline_findings(const struct store *s, size_t ev, const char *sep, struct tl_text *out);

#endif
