/* report: the incident report, Markdown that reads as plain text too (README: Report).
 *
 * The report of a list of events: the time range, the accounts and the actors (origins, model/identity/
 * actors.h) involved, then a timeline table, one row per event in time order: its time (UTC), its key
 * (ACCOUNT:EVENTID), the summary (model/query/timeline.h: who did what to what, from where, the
 * outcome), its origin and role chain (model/identity/trace.h), the titles of the rules it matched, and
 * the analyst's tags and notes from the case. Every text from a log, a rule or the case is made safe for
 * a table cell: no control character is written (they become visible escapes, textsafe.h), and the
 * characters Markdown acts on (| ` * _ [ ] < > \ and the like) are escaped; a note's line breaks become
 * <br>. */
#ifndef CTVIEW_REPORT_H
#define CTVIEW_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/query/timeline.h"
#include "model/store/store.h"

struct ctcase;

struct report_opts {
    const struct ctcase *c; /* tags and notes (borrowed; NULL: none) */
    int marked;             /* the events are the marked ones (else the shown ones, none being marked) */
    const char *filter;     /* the filter that chose the shown events, or NULL */
    size_t undecided;       /* events the filter could not decide (a regular expression gave up), left
                               out of the shown ones: said in the header, so the file alone tells */
};

/* Appends the report of events idx[0..n) of s (store indexes in time order) to out. Computes the
 * store's origins when they are not current. Returns 0, or -1 with *err (owned) when out of memory or
 * an event cannot be read. */
int report_markdown(struct store *s, const uint32_t *idx, size_t n, const struct report_opts *o,
                    struct tl_text *out, char **err);

/* Appends text[0..len) escaped for a Markdown table cell (see above). 0, or -1 when out of memory. */
int report_cell(struct tl_text *out, const char *text, size_t len);

#endif
