/* path: a JSON path into an event ("requestParameters.roleArn", "resources.ARN") and its values.
 *
 * A path is object keys joined by '.', compared byte for byte (case-sensitive, as CloudTrail writes
 * them). A step that meets an array applies to every element, so "resources.ARN" is every resource's
 * ARN; arrays inside arrays are walked through the same way. The value at the end of a path (a leaf):
 *   - a string: its text, unescaped (\u escapes become UTF-8, surrogate pairs joined);
 *   - a number, true or false: the token as written ("1.50", "true");
 *   - an object or array: its JSON minified, escapes and numbers as written;
 *   - null, or a key that is not there: no value (missing).
 * In an object that repeats a key, the first one counts (as cJSON reads it).
 *
 * Values are read from an event's original bytes (store_raw), without building a tree: nothing is
 * allocated per event beyond the caller's reusable value vector. */
#ifndef CTVIEW_PATH_H
#define CTVIEW_PATH_H

#include <stddef.h>
#include <stdint.h>

#define PATH_MAX_LEN   255 /* bytes of path text */
#define PATH_MAX_STEPS 32

struct path_step {
    const char *key; /* borrowed from the path's text, not NUL-terminated */
    size_t len;
};

struct path {
    char *text; /* owned: the path as written, NUL-terminated */
    size_t len;
    struct path_step steps[PATH_MAX_STEPS];
    size_t nsteps;
};

struct path_error {
    char message[320]; /* "bad path 'a..b': empty key at byte 3" */
};

/* Parses text[0..len) as a path into *p. Every key is one or more bytes, none of them a space or
 * control character, '.', ':', '"', '\\', '(', ')' or '*'. Returns 0 (free p with path_free), or -1
 * with err->message filled (p is then empty and path_free on it is harmless). */
int path_parse(const char *text, size_t len, struct path *p, struct path_error *err);
void path_free(struct path *p);

/* Whether word[0..len) names a path rather than a short field: it holds a '.', or it is a top-level
 * key of AWS's CloudTrail record format (path_is_record_key). */
int path_is_word(const char *word, size_t len);

/* Whether word[0..len) is a top-level key of the CloudTrail record format (eventVersion, userIdentity,
 * requestParameters, tlsDetails, ...; exact case). */
int path_is_record_key(const char *word, size_t len);

/* The top-level keys of the CloudTrail record format, in AWS's order (static; *n gets their count): the
 * one list, also used to spell the Athena table's columns (parsers/athena.c). */
const char *const *path_record_keys(size_t *n);

/* The values of one path in one event: a reusable vector, owned by the caller. */
struct path_values {
    char *text; /* owned: the values back to back, each followed by a NUL */
    size_t text_len, text_cap;
    size_t *off; /* owned: value k is text + off[k], length off[k + 1] - off[k] - 1 */
    size_t n, off_cap;
};

void path_values_init(struct path_values *v);
void path_values_free(struct path_values *v);
void path_values_clear(struct path_values *v);

/* Value k (k < v->n): borrowed, NUL-terminated (a value may hold a NUL from \u0000: use *len). */
const char *path_value(const struct path_values *v, size_t k, size_t *len);

/* Appends s[0..len) as one more value. Returns 0, or -1 when out of memory. */
int path_values_push(struct path_values *v, const char *s, size_t len);

/* Replaces v's contents with the values of path p in the JSON text json[0..len), in document order.
 * Text that is not valid JSON gives the values found before the damage. Returns the number of values
 * (0: missing), or -1 when out of memory. */
int path_get(const struct path *p, const char *json, size_t len, struct path_values *v);

#endif
