/* field: "the value(s) of field F of event E", the one accessor the list, --list, --columns, CSV, --top,
 * the overview, filters' "apply as filter", rules and SQL share. A field is a short name or a JSON path
 * (model/json/path.h).
 *
 * Short names are one table (field.c): the --list columns (time acct region src name identity ip error
 * id), every filter field name with the values its filter term compares (user: userName, ARN,
 * principalId and an Identity Center user's id; key: the access key used and the one issued; role: the
 * role asked for and the session's issuer; res: every resource ARN; ro: true/false; after/before: the
 * time; origin: the event's origin; rule and level: its Sigma findings), and outcome (failed or ok).
 * identity is who acted: EVTEXT_MASKED for a sign-in whose name AWS masked, else the ARN, userName,
 * invokedBy, an Identity Center user's onBehalfOf.userId, else userIdentity.type; acct is
 * recipientAccountId, else the account of the trail that delivered the file (its S3 name); error is
 * errorCode, else errorMessage, else "Failure" for a failed sign-in (store_event_failed's rule). Short names
 * compare ASCII case-insensitively, as in the filter.
 *
 * Any other word is a path when path_is_word() says so (a '.' in it, or a top-level key of the
 * CloudTrail record format); else it is an unknown field, so a typo is an error and never silently
 * selects nothing. A path equal to one the store indexes at load (event.h, e.g. userIdentity.arn)
 * reads that index: the same text, except that an empty string counts as missing there. Other paths
 * are read from the event's bytes, or from the store's path index once one was built (field_prepare).
 *
 * Values come back as strings (field_values, or joined by ',': field_text) or, for counting and
 * sorting, as keys (field_keys): a key stands for one distinct value of that field in that store,
 * field_key_text turns it back. */
#ifndef CTVIEW_FIELD_H
#define CTVIEW_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "model/json/path.h"
#include "model/index/pathindex.h"
#include "model/store/store.h"

enum field_kind {
    FIELD_SHORT,   /* a short name */
    FIELD_INDEXED, /* a path the store indexes at load: one event_field */
    FIELD_PATH,    /* any other path */
};

struct field_short; /* private table row */

/* The --list columns, and the columns CSV export writes when none are chosen (its header keeps the
 * names of those fields' JSON keys: export.c). */
#define FIELD_LIST_DEFAULT "time,acct,region,src,name,identity,ip,error,id"
#define FIELD_CSV_DEFAULT                                                                                    \
    "time,recipientAccountId,awsRegion,eventSource,eventName,identity,sourceIPAddress,errorCode,eventID,"    \
    "errorMessage"

/* What a field needs computed over the store before its values are known: the origins (field_prepare
 * computes them) or the Sigma findings (the caller runs the rules: store.findings). */
enum { FIELD_NEEDS_ORIGINS = 1, FIELD_NEEDS_FINDINGS = 2 };

/* The size of the buffer field_key_text may write to. */
#define FIELD_KEY_BUF 64

struct field {
    enum field_kind kind;
    const struct field_short *sh; /* FIELD_SHORT */
    enum event_field ef;          /* FIELD_INDEXED */
    struct path path;             /* FIELD_PATH and FIELD_INDEXED: owned */
    struct pathindex *px;         /* FIELD_PATH: held from the store once field_prepare started */
    struct store *store;          /* the store px belongs to */
    char name[PATH_MAX_LEN + 1];  /* as written */
};

struct field_error {
    char message[320];
};

/* Parses text[0..len) as a field name. Returns 0 (release with field_free, before the store it was
 * prepared on is freed), or -1 with err filled:
 * "unknown field 'usr' (...)" for a word that is neither, or the path's syntax error. */
int field_parse(const char *text, size_t len, struct field *f, struct field_error *err);
void field_free(struct field *f);

/* Parses a comma-separated list of field names ("time,acct,requestParameters.roleArn"). Returns 0 and
 * sets *fields (owned: release with field_list_free) and *n, or -1 with err filled (naming the bad
 * entry). */
int field_list_parse(const char *list, struct field **fields, size_t *n, struct field_error *err);
void field_list_free(struct field *fields, size_t n);

/* Whether word[0..len) is one of the short names. */
int field_is_short(const char *word, size_t len);

/* The short names, space-separated, for help and error messages. */
const char *field_short_names(void);

/* The values of field f for event index i of s, in document order, into v (cleared first). Returns
 * their count (0: missing), or -1 with *err set (owned) when the event's bytes cannot be read or out of
 * memory. Strings are raw log text: escape them before display. */
int field_values(struct store *s, size_t i, struct field *f, struct path_values *v, char **err);

/* Whether f's keys are times (time, after, before): ranked as numbers, not texts. */
int field_is_time(const struct field *f);

/* What f needs computed first: FIELD_NEEDS_* bits. */
unsigned field_needs(const struct field *f);

/* The values of f for event i joined by ',' (in v->text, *len bytes; *len 0 when missing): the cell
 * of every list and CSV. Returns as field_values. */
int field_text(struct store *s, size_t i, struct field *f, struct path_values *v, size_t *len, char **err);

/* The first value of short or indexed field f for event i, for a list cell drawn often: borrowed from
 * the store, or written to buf (cap bytes, FIELD_KEY_BUF at least); "" when missing, and for a path. */
const char *field_text1(const struct store *s, const struct field *f, size_t i, char *buf, size_t cap);

/* Makes field_keys usable on every event of s: computes the store's origins when f needs them, and for
 * a path, builds the store's index for it, up to `work` events per call (at least one). Returns 1 when
 * ready, 0 when more work remains, -1 when out of memory. Cheap (returns 1 at once) for short names
 * and indexed paths once the origins are current. */
int field_prepare(struct store *s, struct field *f, size_t work);

/* Before reading f's values (field_values) for n events of s: computes the origins when f needs them;
 * builds the store's index for a path
 * when n is a large share of the store (reading every event's bytes then costs more than indexing them
 * all on every core), else leaves the values to be read from the bytes. 0, or -1 when out of memory. */
int field_prepare_for(struct store *s, struct field *f, size_t n);

/* Keys of one event's values, reused from event to event. */
struct field_keys {
    uint64_t *k; /* owned */
    size_t n, cap;
};

void field_keys_free(struct field_keys *k);

/* The keys of field f's values for event i (field_prepare done), into k (cleared first), in document
 * order, repeats kept. Returns the count, or -1 when out of memory. */
int field_keys(const struct store *s, const struct field *f, size_t i, struct field_keys *k);

/* Keys of field f below this bound (field_prepare done) are small integers, so a count per key fits an
 * array; a key at or above it (a label of the field model: the masked identity, a sign-in's Failure)
 * is counted otherwise. 0 when keys are not small integers (time, eventID and requestID). */
uint64_t field_key_bound(const struct store *s, const struct field *f);

/* Whether field f's values may be binary UUIDs (eventID, requestID): their keys name the event holding
 * the value, and field_key_text writes their text into buf. */
int field_may_be_binary(const struct field *f);

/* Orders keys of field f (<0, 0, >0) so that the keys of one value are adjacent and compare 0: keys
 * are one value when equal, except that the keys of an eventID or requestID held as a binary UUID name
 * the event holding it, and two events may hold the same. */
int field_key_cmp(const struct store *s, const struct field *f, uint64_t a, uint64_t b);

/* The text of a key of field f: borrowed from the store or its index, or written to buf (FIELD_KEY_BUF).
 * Sets *len (a value may hold a NUL). */
const char *field_key_text(const struct store *s, const struct field *f, uint64_t key, char *buf,
                           size_t *len);

/* The filter term that selects the events whose field f has the value of key (field_key_text's), for
 * "apply as filter" on a count: NAME:"value" for a filter field or a path, the term of a label (the
 * masked name, a sign-in's Failure), a choice of terms for identity. Writes out (cap bytes)
 * and returns its length; 0 when no term selects one value (time). */
size_t field_key_term(const struct store *s, const struct field *f, uint64_t key, char *out, size_t cap);

#endif
