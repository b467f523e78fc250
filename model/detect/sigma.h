/* sigma: a Sigma rule engine for CloudTrail events (README: Detections).
 *
 * Rules are read from YAML (libyaml) into a rule set; each rule is checked against the subset of the
 * Sigma specification that CloudTrail rules use, and a rule outside it is refused with its file, line
 * and reason while the others load. Events are not read here: the engine asks a caller-supplied
 * function for "the values of field PATH of event E", so it runs over the store (model/detect/findings.c), over
 * a test's hand-made events, or under a fuzzer alike.
 *
 * Matching follows the specification: strings compare case-insensitively (ASCII letters; `cased` makes
 * them exact), `*` and `?` are wildcards and `\` escapes them, `re` is a PCRE2 search (case-sensitive
 * unless `re|i`), a field that holds a list matches when any element does, `null` is a missing or null
 * field, a field that holds an object or array of objects is matched as its minified JSON text. */
#ifndef CTVIEW_SIGMA_H
#define CTVIEW_SIGMA_H

#include <stddef.h>
#include <stdint.h>

enum sigma_level { SIGMA_INFORMATIONAL, SIGMA_LOW, SIGMA_MEDIUM, SIGMA_HIGH, SIGMA_CRITICAL, SIGMA__LEVELS };

/* The level's name: informational, low, medium, high, critical. */
const char *sigma_level_name(enum sigma_level l);

/* Parses a level name (case-insensitive); returns -1 when s is not one. */
int sigma_level_parse(const char *s, size_t len);

enum sigma_vtype { SV_STRING, SV_NUMBER, SV_BOOL, SV_NULL, SV_JSON /* an object: its minified JSON text */ };

/* One value of a field of an event, as the field function hands it over (borrowed). */
struct sigma_value {
    const char *s; /* the text: decoded string, number or "true"/"false" as logged, "" for null */
    size_t len;
    enum sigma_vtype type;
};

/* The field function's answer. */
enum sigma_fetch {
    SIGMA_FETCH_OK,    /* vals and n filled (n == 0: the field is missing) */
    SIGMA_FETCH_LATER, /* only when cheap was asked: the value costs reading the event; ask again later */
    SIGMA_FETCH_ERROR, /* the event cannot be read: the rule does not match it */
};

/* Values of a field of event ev: path_id is the field's index in the rule set (sigma_set_path: a
 * dotted JSON path), or -1 for the event's whole text (keywords). The array is valid until the next
 * call; the strings it points to until a call for another event. A call with cheap set may answer
 * SIGMA_FETCH_LATER instead of reading the event. */
struct sigma_source {
    void *ctx;
    enum sigma_fetch (*values)(void *ctx, size_t ev, int path_id, int cheap, const struct sigma_value **vals,
                               size_t *n);
    /* Optional (NULL: not counted): incremented each time a regular expression gives up on a value
     * (SIGMA_RE_MATCH_LIMIT or SIGMA_RE_DEPTH_LIMIT reached). The value then counts as not matching, so
     * a caller that sees the count grow during sigma_rule_eval reports the rule's answer for that event
     * as unknown rather than taking it as a non-match. */
    size_t *re_gave_up;
};

/* The bounds on one regular expression match (PCRE2's match and depth limits): far above what a
 * reasonable pattern needs on a CloudTrail value, far below a catastrophic backtrack's minutes. */
#define SIGMA_RE_MATCH_LIMIT 1000000u
#define SIGMA_RE_DEPTH_LIMIT 10000u
#define SIGMA_RE_JIT_STACK   (1u << 20) /* bytes */

struct sigma_rule;
struct sigma_set;

struct sigma_refusal {
    char *file;   /* owned */
    int line;     /* 1-based; 0 when the whole file is concerned */
    char *reason; /* owned */
};

/* A new empty rule set (owned; free with sigma_set_free), or NULL when out of memory. */
struct sigma_set *sigma_set_new(void);
void sigma_set_free(struct sigma_set *set);

/* Reads the rule in text[0..len) (one YAML file named file, for messages) into set. A rule outside the
 * subset, or text that is not YAML, adds one refusal; a rule for another log source is counted as
 * ignored. Returns 0, or -1 when out of memory. */
int sigma_set_add_text(struct sigma_set *set, const char *file, const char *text, size_t len);

/* Adds every rule at path: a file, or a directory walked recursively for *.yml and *.yaml files (in
 * name order, so refusals and ties come out the same every run). A path that cannot be read is one
 * refusal. Returns 0, or -1 when out of memory. */
int sigma_set_add_path(struct sigma_set *set, const char *path);

/* The same, a file at a time, so an interface stays responsive while many rules load. sigma_loader_new
 * lists paths (folders walked now: names only; a path that cannot be read is one refusal) for set
 * (borrowed; it must outlive the loader); returns the loader (owned; free with sigma_loader_free) or NULL
 * when out of memory. sigma_loader_step reads the next file into set (one file is bounded: 4 MiB, and
 * the YAML limits of sigma_yaml.c) and returns 1 once every file is read, 0 when more are left, -1 when
 * out of memory. */
struct sigma_loader;
struct sigma_loader *sigma_loader_new(struct sigma_set *set, const char *const *paths, size_t n);
int sigma_loader_step(struct sigma_loader *l);
void sigma_loader_free(struct sigma_loader *l);

/* Adds a refusal (file and reason copied): for a path the caller could not even name. Returns 0, or -1
 * when out of memory. */
int sigma_set_refuse(struct sigma_set *set, const char *file, int line, const char *reason);

size_t sigma_set_count(const struct sigma_set *set);
const struct sigma_rule *sigma_set_rule(const struct sigma_set *set, size_t i);
size_t sigma_set_ignored(const struct sigma_set *set); /* rules for other log sources */
size_t sigma_set_refused(const struct sigma_set *set);
const struct sigma_refusal *sigma_set_refusal(const struct sigma_set *set, size_t i);

/* Distinct field paths the rules use, indexed by path_id. */
size_t sigma_set_paths(const struct sigma_set *set);
const char *sigma_set_path(const struct sigma_set *set, size_t path_id);

/* A rule's attributes (borrowed; "" when the rule has none, except title, which is required). */
const char *sigma_rule_title(const struct sigma_rule *r);
const char *sigma_rule_id(const struct sigma_rule *r);
const char *sigma_rule_author(const struct sigma_rule *r);
const char *sigma_rule_file(const struct sigma_rule *r);
enum sigma_level sigma_rule_level(const struct sigma_rule *r);

enum sigma_result { SIGMA_NO = 0, SIGMA_YES = 1, SIGMA_LATER = 2 };

/* Whether rule r matches event ev. With cheap set, values the source defers make the answer
 * SIGMA_LATER unless the rest decides it (three-valued: false and anything is false). */
enum sigma_result sigma_rule_eval(const struct sigma_rule *r, const struct sigma_source *src, size_t ev,
                                  int cheap);

struct sigma_test;

/* The tests on field path_id (no fieldref) that rule r cannot match without: the rule holds on an event
 * only if one of them holds on that event's values of the field. Writes up to cap of them to out and
 * returns how many, or 0 when the rule has no such gate (or more than cap). A caller that sees all of
 * them fail skips the rule; one that cannot tell evaluates it. */
size_t sigma_rule_gates(const struct sigma_rule *r, int path_id, const struct sigma_test **out, size_t cap);

/* Whether test t (a gate) holds on the values vals[0..n) of its field; a regular expression that gives
 * up counts as holding (the rule itself then decides, and reports it). */
int sigma_test_holds(const struct sigma_test *t, const struct sigma_value *vals, size_t n);

#endif
