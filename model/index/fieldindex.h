/* fieldindex: the events of the store ordered by the value of one event field, so a filter term on a
 * field whose values are per-event distinct (eventID, a source address, an access key, a session ARN)
 * costs a lookup, or one test per distinct value, instead of one test per event.
 *
 * Two orders exist per field, each built on first use and kept with the store until its events move:
 *   FX_VALUE  grouped by value: sorted by a case-folded 64-bit hash of the string, so equal strings
 *             (ASCII case aside) are adjacent; an exact value is a binary search, a pattern is tested
 *             once per group.
 *   FX_ADDR   sorted by the parsed address (IPv4 first, then IPv6): a CIDR is a range.
 * Only events with the field present (and, for FX_ADDR, holding an address) are in an index. Values are
 * read through store_str(), so an index does not depend on how the store keeps the field.
 *
 * Memory: 4 bytes per event holding the field plus 2 bits (group starts, mixed groups) for FX_VALUE,
 * and when values repeat (4 events a value or more) a copy of each distinct value (its bytes + 5);
 * 4 bytes for FX_ADDR. A build reads every event's string (in slices), radix-sorts 16-byte pairs (a
 * pass per call; about 32 bytes per event while it runs, freed at the end), then compares each group's
 * strings (in slices). */
#ifndef CTVIEW_FIELDINDEX_H
#define CTVIEW_FIELDINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "model/index/match.h"
#include "model/store/store.h"

enum fieldindex_order { FX_VALUE, FX_ADDR, FX__COUNT };

struct fx_pair;
struct fx_memo;

struct fieldindex {
    enum event_field field;
    enum fieldindex_order order;
    size_t nevents; /* the store's event count when built; a different count means stale */
    uint32_t *ev;   /* owned, m events in the index's order */
    size_t m;
    uint64_t *start;    /* owned, FX_VALUE: m bits, position begins a group (a distinct value) */
    uint64_t *mixed;    /* owned, FX_VALUE: m bits, set at the start of a group whose strings are not all
                           the same bytes (case variants or a hash collision): tested event by event */
    size_t nv4;         /* FX_ADDR: ev[0..nv4) are IPv4 addresses, the rest IPv6 */
    size_t ngroups;     /* FX_VALUE: distinct values */
    char *text;         /* owned, FX_VALUE with at least TEXT_EVENTS events a value on average, else NULL:
                           each group's string, NUL-terminated, in group order, so a pattern reads them in
                           one sweep instead of fetching an event and its string per value */
    uint32_t *text_off; /* owned with text: ngroups + 1 offsets */
    size_t text_len, text_cap, text_groups;
    size_t tpos; /* the text's progress while building, in positions */
    /* the build, in steps */
    int ready;
    int phase;            /* 0 reading strings, then one per radix pass, then grouping */
    size_t done;          /* events read so far */
    struct fx_pair *tmp;  /* owned while building */
    struct fx_pair *alt;  /* owned while building */
    struct fx_memo *memo; /* owned while reading */
    size_t nv6;           /* FX_ADDR: v6 pairs, filled from the end of tmp */
    size_t group;         /* the group whose strings are being compared */
    char *first;          /* owned while building: the string of that group */
    size_t first_cap;
    double build_ms;  /* CPU time the build took */
    unsigned uses;    /* fieldindex_want calls before the build started */
    int sampled, few; /* fieldindex_want looked at the field's values; it has few (not worth an index) */
};

/* Whether the indexes of fields f[0..nf) in order o are worth using: 0 when every one of the fields has
 * few distinct values in a sample (the event-by-event test is cheap then: its memo stays in cache); else
 * 1 when they are ready, being built or were asked for before (since the events last moved), and 0 the
 * first time (counted): a build costs a few evaluations event by event, so a field filtered on once
 * (the command line's --list -f, the refresh after each merge of a followed directory) is not indexed.
 * -1 when out of memory. */
int fieldindex_want(struct store *s, const enum event_field *f, int nf, enum fieldindex_order o);

/* Builds (or continues building) the store's indexes of fields f[0..nf) in order o, by about `work`
 * units (events read, for all of them in one pass over the events; or a sort pass, or `work` positions
 * of the finish, for each). Returns 1 once they are all ready, 0 when more remain, -1 when out of
 * memory. An index whose events moved (store_finish, store_merge_tail) is rebuilt. */
int fieldindex_build(struct store *s, const enum event_field *f, int nf, enum fieldindex_order o,
                     size_t work);

/* The store's ready index of field f in order o, or NULL. Valid until the store's events change. */
const struct fieldindex *fieldindex_get(const struct store *s, enum event_field f, enum fieldindex_order o);

/* How a caller decides whether a string passes: test(ctx, s, len) returns nonzero when it does. */
typedef int (*fieldindex_test_fn)(const void *ctx, const char *s, size_t len);

/* Sets in hits (one bit per store event) every event whose string passes test, testing each distinct
 * value once (each event of a mixed group). FX_VALUE only. */
void fieldindex_scan(const struct store *s, const struct fieldindex *x, fieldindex_test_fn test,
                     const void *ctx, uint64_t *hits);

/* Sets in hits every event whose string equals lit[0..len) ASCII case-insensitively and passes test
 * (the caller's own check of each candidate value). FX_VALUE only. */
void fieldindex_exact(const struct store *s, const struct fieldindex *x, const char *lit, size_t len,
                      fieldindex_test_fn test, const void *ctx, uint64_t *hits);

/* Sets in hits every event whose string is an address inside net (as ipnet_contains). FX_ADDR only. */
void fieldindex_net(const struct store *s, const struct fieldindex *x, const struct ipnet *net,
                    uint64_t *hits);

/* The case-folded hash the FX_VALUE order uses. */
uint64_t fieldindex_hash(const char *s, size_t len);

/* Drops every index of the store. The store keeps them as derived data (store_derived_set): they are
 * dropped when its events move, freed with it, and the ready ones counted in store_bytes. */
void fieldindex_drop(struct store *s);

/* Bytes one index holds. */
size_t fieldindex_bytes_of(const struct fieldindex *x);

#endif
