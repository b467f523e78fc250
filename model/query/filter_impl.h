/* filter_impl: what filter.c (syntax, compilation) and filter_eval.c (evaluation) share, and what sql.c
 * reads to write a filter as SQL. Private to model/. */
#ifndef CTVIEW_FILTER_IMPL_H
#define CTVIEW_FILTER_IMPL_H

#include "model/base/cores.h"
#include "model/query/filter.h"
#include "model/query/field.h"
#include "model/index/match.h"
#include "model/json/path.h"
#include "model/index/pathindex.h"

/* Events evaluated per step; bit sets of this many bits live in every node. */
#define FILTER_CHUNK       65536
#define FILTER_CHUNK_WORDS (FILTER_CHUNK / 64)
#define FILTER_WORD_LANES  CORES_MAX /* threads preparing free-text words (filter_prepare_words) */

enum term_kind {
    TK_GLOB,    /* the pattern against one or more string fields */
    TK_RES,     /* the pattern against each resource ARN */
    TK_IP,      /* CIDR, exact address, or pattern */
    TK_ERROR,   /* errorCode or errorMessage; "*" also takes failed sign-ins */
    TK_RO,      /* readOnly */
    TK_AFTER,   /* eventTime >= value */
    TK_BEFORE,  /* eventTime < value */
    TK_WORD,    /* anywhere in the event's JSON */
    TK_INDEXED, /* a JSON path the store indexes at load (event.h): one event field */
    TK_PATH,    /* any other JSON path: every value of it, from the store's path index */
    TK_ORIGIN,  /* the ARN (or name) of the event's origin, from the store's origins (model/identity/origin.h)
                 */
    TK_RULE,    /* a Sigma rule (id or title) among the event's findings */
    TK_LEVEL,   /* a level among the event's findings */
    TK_OUTCOME, /* failed or ok: the one failure rule (store_event_failed) */
    TK_FIELD,   /* the pattern against each value of a field-model field (field.c): tag, note */
};

enum level_cmp { LEVEL_EQ, LEVEL_GE, LEVEL_GT, LEVEL_LE, LEVEL_LT };

/* How a field's string is also tried, besides whole. */
enum xform {
    XF_NONE,
    XF_SERVICE, /* without ".amazonaws.com": src:sts */
    XF_TAIL,    /* after the last '/' or ':': the user or session name inside an ARN or principal id */
};

struct field_spec {
    const char *name;
    enum term_kind kind;
    enum xform xf;
    enum event_field fields[4];
    int nfields;
};

struct filter_re;

struct term {
    const struct field_spec *spec; /* NULL for a word */
    enum term_kind kind;
    char *pat; /* owned, NUL-terminated: a glob, or a regular expression's text when re is set */
    size_t plen;
    struct filter_re *re; /* owned: a /REGEX/ term's compiled expression (filter_regex.c), else NULL */
    int any;              /* error:* */
    int ro;               /* ro:true */
    int failed;           /* outcome:failed (1) or outcome:ok (0) */
    int timeish;          /* a word that could be part of an eventTime */
    int use_net;          /* ip: compare as an address or network */
    struct ipnet net;
    int64_t time;
    unsigned char *memo; /* owned, one byte per interned string: 0 unknown, 1 no, 2 yes (TK_PATH: per
                            value of the path index, memo_n of them, grown as the index grows) */
    size_t memo_n;
    enum event_field ef;  /* TK_INDEXED */
    struct path path;     /* TK_PATH: owned */
    struct pathindex *px; /* TK_PATH: borrowed from the store (built on first use, kept by the store) */
    unsigned char *rules; /* owned, TK_RULE: one byte per rule of the store's findings, 1 when it matches */
    int level, level_cmp; /* TK_LEVEL: enum sigma_level and enum level_cmp */
    uint64_t *hits;       /* owned: the term's result for every event, from the store's field indexes
                             (filter_index.c), or NULL: tested event by event */
    int per_event;        /* the filter's run tests this term event by event (its fields' first use) */
    struct field *fld;    /* owned, TK_FIELD: the field whose values are compared */
    struct field_keys fkeys; /* owned, TK_FIELD: one event's keys, reused */
};

enum node_kind { NODE_ALL, NODE_TERM, NODE_AND, NODE_OR, NODE_NOT };

struct node {
    enum node_kind kind;
    int left, right; /* child node indexes (NOT uses left) */
    struct term term;
    uint64_t *bits; /* owned, FILTER_CHUNK_WORDS: the node's result for the chunk */
    uint64_t *care; /* owned for AND/OR: where the right child needs evaluating */
};

struct filter {
    const struct store *s;
    struct node *nodes;
    size_t nnodes, cap;
    int root;
    int nwords;
    uint32_t prepared;                            /* interned strings checked against every word so far */
    uint32_t nstrings;                            /* intern_count when compiled */
    struct intern_cursor cold[FILTER_WORD_LANES]; /* owned: where word preparation reads cold pieces */
    int indexed;                                  /* every field term has its hits (filter_index_prepare) */
};

/* rule: and level: terms (filter_findings.c). Compile returns 0, -1 with *why set for a bad value, -2
 * when out of memory; match tells whether event ev passes. */
int filter_findings_compile(const struct store *s, struct term *t, const char **why);
int filter_findings_match(const struct filter *f, const struct term *t, size_t ev);

/* Extends the path indexes of the filter's path terms by up to `work` events. Returns 1 when they cover
 * every event, 0 when more remain, -1 when out of memory. */
int filter_prepare_paths(struct filter *f, size_t work);

/* Checks interned strings [f->prepared, f->prepared + n) against every word; returns 0 or -1 (memory). */
int filter_prepare_words(struct filter *f, uint32_t n);

/* Gives the next field term its hits, building the store's field indexes it needs by about `work`
 * events a call (filter_index.c). Returns 1 when every field term has them, 0 when more remain, -1 when
 * out of memory. */
int filter_index_prepare(struct filter *f, size_t work);

/* out[0..words) = care & the hits of events [lo, lo + 64 * words) (of nevents). */
void filter_index_bits(const uint64_t *hits, size_t nevents, size_t lo, size_t words, const uint64_t *care,
                       uint64_t *out);

/* Whether string s[0..len) passes field term t (the test filter_eval applies to each interned string). */
int filter_string_matches(const struct term *t, const char *s, size_t len);

/* A /REGEX/ term's expression (filter_regex.c). Compile returns 0 with *out set (owned; free with
 * filter_re_free), -1 with PCRE2's message in msg and the byte offset in pat where it stopped in *off, or
 * -2 when out of memory. Case-insensitive, UTF-8 (invalid bytes in a subject are matched as they are). */
int filter_re_compile(const char *pat, size_t len, struct filter_re **out, char *msg, size_t cap,
                      size_t *off);
void filter_re_free(struct filter_re *re);
/* Whether the expression matches the empty string (an SQL column may hold one where ctview has none). */
int filter_re_matches_empty(const struct filter_re *re);

/* The term's value against s[0..len): its expression searched anywhere in s, or its glob matched against
 * the whole of s (matches) or anywhere in it (contains). An expression that gives up (a limit) answers 0
 * and is counted for filter_regex_gave_up. */
int filter_pattern_matches(const struct term *t, const char *s, size_t len);
int filter_pattern_contains(const struct term *t, const char *s, size_t len);

/* Evaluates the tree for events [lo, lo + cnt), cnt <= FILTER_CHUNK, where care is set; the result is
 * left in the root node's bits. Returns 0 or -1 when out of memory. */
int filter_eval_chunk(struct filter *f, size_t lo, size_t cnt, const uint64_t *care);

#endif
