/* filter: the filter language (README: Filters), compiled against a store and evaluated over its events.
 *
 *   expr   := group+                 terms side by side must all hold
 *   group  := unary ("OR" unary)*    OR binds tighter than the space: "a b OR c" is a AND (b OR c)
 *   unary  := "-" unary | "(" expr ")" | term
 *   term   := field ":" value | word | "quoted text"
 *
 * Values and words compare ASCII case-insensitively; '*' stands for any run of characters. A field
 * term compares interned strings, each distinct string at most once per compiled filter, so it costs
 * one table lookup per event; a filter run answers it from the store's field indexes instead (a lookup,
 * a range of addresses, or one test per distinct value: model/index/fieldindex.h), built by the first run that
 * needs them, in its steps. A bare word matches anywhere in the event's JSON: its keys and values
 * as logged (see store.h for what is indexed), and its eventTime.
 *
 * A field term may also name a JSON path (model/json/path.h, model/query/field.h): PATH:VALUE holds when any value
 * of the path matches. The first filter on a path builds the store's index for it (in the run's steps);
 * later filters on that path read the index.
 *
 * A value (or a bare word) written /REGEX/ is a PCRE2 expression searched in the same strings
 * (filter_regex.c), case-insensitively, within the bounds below. */
#ifndef CTVIEW_FILTER_H
#define CTVIEW_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"

struct filter;

/* The bounds of a /REGEX/ term (as the Sigma rules' expressions, model/detect/sigma.h): the longest
 * expression in bytes, and PCRE2's match, depth and heap (KiB) limits for one value, far above what a
 * reasonable expression needs on a CloudTrail value, far below a catastrophic backtrack's minutes. */
#define FILTER_RE_MAX_LEN     1000u

/* The longest filter expression, in bytes: a bound the interface's filter line holds (tui/prompt.h). */
#define FILTER_MAX_LEN 16000u
#define FILTER_RE_MATCH_LIMIT 1000000u
#define FILTER_RE_DEPTH_LIMIT 10000u
#define FILTER_RE_HEAP_LIMIT  20000u     /* KiB */
#define FILTER_RE_JIT_STACK   (1u << 20) /* bytes */

struct filter_error {
    int column;        /* 1-based column (in characters) of the offending term; 0 for out of memory */
    char message[320]; /* "unknown field 'usr' in 'usr:bob' at column 1" */
};

/* Compiles expr for store s (borrowed; must outlive the filter and not gain events meanwhile). An empty
 * or all-blank expr compiles to a filter that shows everything. Returns the filter (owned; free with
 * filter_free), or NULL with *err filled. */
struct filter *filter_compile(const char *expr, const struct store *s, struct filter_error *err);
void filter_free(struct filter *f);

struct tz;
/* filter_compile, with the times of after: and before: terms that say no zone of their own (no "Z",
 * no "+02:00") read as wall-clock times in z (borrowed, used only during the call; NULL: UTC): the
 * interface reads what is typed in the zone it shows times in (model/base/tz.h: the thread that set
 * the zone only). */
struct filter *filter_compile_tz(const char *expr, const struct store *s, const struct tz *z,
                                 struct filter_error *err);

/* Whether the filter shows every event (the expression was empty). */
int filter_is_all(const struct filter *f);

/* Whether the filter has a free-text word, whose preparation scans every interned string. */
int filter_has_words(const struct filter *f);

/* Whether the filter has rule: or level: terms, which need the store's Sigma findings (store.findings)
 * before it is compiled. */
int filter_uses_findings(const struct filter *f);

/* Whether the filter has an origin: term, which reads the store's origins: the caller computes them
 * (origins_ensure) before running it; without them the term matches nothing. */
int filter_uses_origins(const struct filter *f);

/* The names of the fields, space-separated, for help and error messages. */
const char *filter_field_names(void);

/* Writes into out (cap bytes, NUL-terminated) the term that selects value (a JSON token as logged, with
 * its quotes when is_string) found at the JSON key path (e.g. "userIdentity.arn"): field:value when the
 * path has a field, else the value as quoted text; '-' before it when negate. Returns its length. */
size_t filter_term_for(const char *path, const char *value, size_t len, int is_string, int negate, char *out,
                       size_t cap);

/* One pass of a filter over the whole store, in steps small enough to keep a terminal responsive:
 * the caller interleaves filter_run_step() with reading keys and drops the run to start another. */
struct filter_run {
    struct filter *f; /* borrowed */
    size_t prepared;  /* word preparation progress, in interned strings */
    size_t next;      /* next event to evaluate */
    uint32_t *shown;  /* owned: indexes of the events that pass, ascending */
    size_t nshown, cap;
    int done, failed; /* failed: out of memory */
    int paths_ready;  /* the store's indexes of the filter's paths cover every event */
};

void filter_run_init(struct filter_run *r, struct filter *f);

/* Does about `work` units (one unit = one event or one interned string) and returns 1 once the run is
 * complete (or failed), else 0. While a path's index is built on worker threads, a step waits for them
 * at most PATHINDEX_WAIT seconds. */
int filter_run_step(struct filter_run *r, size_t work);

/* Steps the run for about `seconds` (a step past them at most a few tenths of a second even when every
 * /REGEX/ test reaches its match limit: the clock is read every few strings or events) and returns 1
 * once the run is complete (or failed), else 0. For an interface that must read keys between steps. */
int filter_run_for(struct filter_run *r, double seconds);

/* Runs to completion; returns 0, or -1 when out of memory. */
int filter_run_all(struct filter_run *r);

/* While the run waits for the index of one of its paths (a first use: built on worker threads), the
 * percent built and the path (*path borrowed from the filter); else -1. */
int filter_run_indexing(const struct filter_run *r, const char **path);

/* Hands the shown list over to the caller (owned; free()) and leaves the run empty. */
uint32_t *filter_run_take(struct filter_run *r, size_t *n);
void filter_run_free(struct filter_run *r);

/* How many values the filter's regular expressions gave up on so far (a bound above reached). When some
 * did, what gets the first such expression as typed (/.../, cut to cap bytes). A value given up on is
 * neither a match nor a non-match: the term takes the answer that leaves the event out of the result
 * (filter_compile sets that); the caller says so, with the events it left out (filter_regex_bound). */
size_t filter_regex_gave_up(const struct filter *f, char *what, size_t cap);

/* Which answer a regular expression's give-up takes, for a filter not yet run: upper 0 (as compiled),
 * the one that leaves the event out; upper 1, the one that lets it in. The events a run with upper 1
 * shows beyond those of a run with upper 0 are exactly those whose result a give-up decided: the
 * events the filter could not decide. */
void filter_regex_bound(struct filter *f, int upper);

/* Whether event i passes (prepares words first if needed; slow for one-off calls with words). Returns
 * -1 when out of memory. */
int filter_match(struct filter *f, size_t i);

#endif
