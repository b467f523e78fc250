/* actors: the origins of a list of events aggregated per origin (README: Actors): for each, its events,
 * sessions, accounts, roles, first and last time, source IPs and errors; sorted by events, most first,
 * then by key (the ARN), then by account. One reading for the actors view and for --actors. */
#ifndef CTVIEW_ACTORS_H
#define CTVIEW_ACTORS_H

#include <stddef.h>
#include <stdint.h>

#include "model/identity/origin.h"
#include "model/store/store.h"

struct actor_row {
    uint32_t actor;      /* index into the origins' actors */
    size_t events;       /* shown events that go back to it */
    size_t sessions;     /* distinct access key ids (AKIA and ASIA) those events were made with */
    size_t ips;          /* distinct sourceIPAddress values */
    size_t errors;       /* events that failed (store_event_failed) */
    int64_t first, last; /* eventTime range (TIME_NONE when no event has a time) */
    uint32_t *accounts;  /* borrowed from the table: distinct recipient accounts (interned), by string */
    size_t naccounts;
    uint32_t *roles; /* borrowed from the table: distinct role ARNs assumed along its chains, by string */
    size_t nroles;
};

struct actor_table {
    struct actor_row *rows; /* owned */
    size_t n;
    uint32_t *ids; /* owned: the rows' accounts and roles */
};

/* Aggregates events idx[0..n) of s (every event when idx is NULL) by origin; origins_of(s) must be current
 * (origins_ensure). Returns 0, or -1 when out of memory (the table is then empty). */
int actors_build(const struct store *s, const uint32_t *idx, size_t n, struct actor_table *out);
void actors_free(struct actor_table *t);

/* The columns of the actors table, laid out once for --actors and the actors view. */
enum actor_col {
    AC_EVENTS,
    AC_SESSIONS,
    AC_IPS,
    AC_ERRORS,
    AC_FIRST,
    AC_LAST,
    AC_TYPE,
    AC_ACCOUNT,
    AC_ACTOR,    /* the actor's key (origin.h); an Identity Center user's name (userId "in" its identity
                    store); " (uncertain)" after an origin reached through a conflict hop */
    AC_ACCOUNTS, /* comma-separated */
    AC_ROLES,    /* comma-separated */
    AC__COUNT
};

/* The column's title ("EVENTS") and whether it is a number (right-aligned). */
const char *actors_col_title(enum actor_col c);
int actors_col_numeric(enum actor_col c);

/* The text of column c for row r, written into buf (cap bytes, cut to fit) and returned; "-" for none.
 * Raw log text: escape it before display. */
const char *actors_cell(const struct store *s, const struct actor_row *r, enum actor_col c, char *buf,
                        size_t cap);

struct tz;
/* actors_cell with the first and last times in zone z (borrowed; NULL: UTC), their offset said: the
 * interface's zone (model/base/tz.h). */
const char *actors_cell_tz(const struct store *s, const struct actor_row *r, enum actor_col c,
                           const struct tz *z, char *buf, size_t cap);

/* The key of a row's actor (origin.h), what origin: matches: the ARN, a service, an Identity Center
 * user's userId...; borrowed. */
const char *actors_name(const struct store *s, const struct actor_row *r);

#endif
