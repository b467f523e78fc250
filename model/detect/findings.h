/* findings: a Sigma rule set run over the store's events, and what matched.
 *
 * The run has two passes. The first asks every rule about every event using only the indexed fields
 * (no event bytes are read); most rules are decided there, because CloudTrail rules start with an
 * eventSource or eventName. The (event, rule) pairs left undecided are then evaluated on the event's
 * JSON, read once per event and in file order, so each source file is decoded once. Both passes go in
 * steps of bounded work, so the interface can run them between keys. The result: for each rule its
 * events in time order, for each event its rules. */
#ifndef CTVIEW_FINDINGS_H
#define CTVIEW_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "model/detect/sigma.h"
#include "model/store/store.h"

struct findings;

/* A run of set (borrowed) over the events of s (borrowed; its events must not move meanwhile). Returns
 * the run (owned; free with findings_free) or NULL when out of memory. */
struct findings *findings_new(const struct sigma_set *set, struct store *s);
void findings_free(struct findings *f);

/* Does about `work` units (one unit: one rule on one event) and returns 1 once the run is complete, 0
 * when there is more to do, -1 when out of memory (the run is then complete with what it found). */
int findings_step(struct findings *f, size_t work);

/* Runs to completion: 0, or -1 when out of memory. */
int findings_run_all(struct findings *f);

int findings_done(const struct findings *f);

/* Progress of the run, 0 to 1000. */
int findings_permille(const struct findings *f);

/* Events read for the second pass so far, and events that could not be read (they match no rule that
 * needs their bytes). */
size_t findings_events_read(const struct findings *f);
size_t findings_read_errors(const struct findings *f);

const struct sigma_set *findings_set(const struct findings *f);

/* The events rule r matched (store indexes in time order; borrowed, valid until findings_free). Only
 * once the run is complete. */
const uint32_t *findings_rule_events(const struct findings *f, size_t r, size_t *n);

/* The rules event ev matched (indexes into the set, ascending; borrowed). Only once complete. */
const uint32_t *findings_event_rules(const struct findings *f, size_t ev, size_t *n);

/* The highest level among the rules event ev matched, or -1 when none did. */
int findings_event_level(const struct findings *f, size_t ev);

/* Whether a finding on event ev is an attempt: the call failed (store_event_failed, the one failure
 * rule: a non-empty errorCode or errorMessage, or a ConsoleLogin Failure). A rule that means a success
 * excludes failed calls itself; every other finding on a failed call is shown as attempted. */
int findings_event_attempt(const struct findings *f, size_t ev);

/* How many of the events rule r matched are attempts (findings_event_attempt). Only once complete. */
size_t findings_rule_attempts(const struct findings *f, size_t r);

/* Makes f the store's findings (borrowed: the caller frees f after detaching it with NULL), the ones
 * the rule: and level: filters, the list's gutter and the detail read. Returns 0, or -1 when out of
 * memory (then none is attached). */
int findings_attach(struct store *s, struct findings *f);

/* The store's findings (borrowed), or NULL when none are attached. */
const struct findings *findings_of(const struct store *s);

/* Writes into order the rules that matched at least one event, by level (critical first), then title,
 * then id, then file (byte order); order holds at least sigma_set_count() entries. Returns how many. */
size_t findings_sorted(const struct findings *f, uint32_t *order);

#endif
