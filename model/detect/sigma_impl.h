/* sigma_impl: what the rule reader (sigma_rule.c), the condition parser (sigma_cond.c) and the matcher
 * (sigma_match.c) share. Private to the engine. */
#ifndef CTVIEW_SIGMA_IMPL_H
#define CTVIEW_SIGMA_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "model/index/match.h"
#include "model/detect/sigma.h"

/* A compiled glob is a run of tokens: a byte (0..255, folded to lower case unless cased), or one of: */
#define GLOB_STAR 256 /* any run of characters */
#define GLOB_ONE  257 /* exactly one character (one UTF-8 sequence) */

enum pat_kind {
    PAT_GLOB,     /* wildcard string (plain values, contains, startswith, endswith, keywords) */
    PAT_NULL,     /* null: the field is missing or null */
    PAT_RE,       /* re: a PCRE2 search */
    PAT_CIDR,     /* cidr: the value is an address inside the network */
    PAT_FIELDREF, /* fieldref: the value equals (contains, starts, ends with) another field's value */
    PAT_EXISTS,   /* exists: true or false */
};

enum ref_where { REF_EQUAL, REF_CONTAINS, REF_STARTS, REF_ENDS };

struct sigma_pat {
    enum pat_kind kind;
    uint16_t *tok; /* PAT_GLOB: owned tokens */
    size_t ntok;
    pcre2_code *re;           /* PAT_RE: owned */
    pcre2_match_context *mctx; /* PAT_RE: owned; the match and depth limits, and jit's stack */
    pcre2_jit_stack *jit;      /* PAT_RE: owned, or NULL (the expression is not compiled to code) */
    struct ipnet net;         /* PAT_CIDR */
    int exists;               /* PAT_EXISTS: the value given */
    int ref_id;               /* PAT_FIELDREF: path id of the other field */
    enum ref_where ref_where; /* PAT_FIELDREF */
};

/* One "field|modifiers: value(s)" entry of a map, or a keyword list (path_id -1). */
struct sigma_test {
    int path_id; /* -1: the event's text */
    int all;     /* every value must match (else any) */
    int cased;
    struct sigma_pat *pats; /* owned */
    size_t npats;
};

/* A map: every test must hold. */
struct sigma_map {
    struct sigma_test *tests; /* owned */
    size_t ntests;
};

/* A search identifier: a map, a list of maps (any holds), or keywords (one map of one test). */
struct sigma_ident {
    char *name; /* owned */
    struct sigma_map *maps;
    size_t nmaps;
};

enum cnode_kind { CN_IDENT, CN_AND, CN_OR, CN_NOT, CN_ANY, CN_ALL };

struct cnode {
    enum cnode_kind kind;
    int a, b;          /* children (CN_NOT: a) */
    int ident;         /* CN_IDENT */
    size_t first, cnt; /* CN_ANY / CN_ALL: identifiers refs[first .. first + cnt) */
};

struct sigma_cond {
    struct cnode *nodes; /* owned */
    size_t n, cap;
    int root;
    int *refs; /* owned: identifier indexes of the x-of nodes */
    size_t nrefs, refs_cap;
};

struct sigma_rule {
    char *title, *id, *author, *file; /* owned */
    enum sigma_level level;
    struct sigma_ident *idents; /* owned */
    size_t nidents;
    struct sigma_cond cond;
};

struct sigma_set {
    struct sigma_rule **rules; /* owned */
    size_t nrules, rules_cap;
    struct sigma_refusal *refusals; /* owned */
    size_t nrefusals, refusals_cap;
    size_t ignored;
    char **paths; /* owned: distinct field paths, by path id */
    size_t npaths, paths_cap;
};

/* Parses a condition over the identifiers names[0..n). Returns 0, or -1 with err (cap bytes) filled
 * ("" when out of memory). */
int sigma_cond_parse(const char *text, const char *const *names, size_t n, struct sigma_cond *c, char *err,
                     size_t errcap);
void sigma_cond_free(struct sigma_cond *c);

/* Compiles the Sigma string v[0..len) into glob tokens, resolving '\' escapes; with pre/post a '*' is
 * put before/after (contains, endswith, startswith). Returns 0, or -1 when out of memory. */
int sigma_glob_compile(const char *v, size_t len, int cased, int pre, int post, struct sigma_pat *p);

/* Whether s[0..len) matches the glob tokens (folding s's ASCII letters unless cased). */
int sigma_glob_match(const uint16_t *tok, size_t ntok, const char *s, size_t len, int cased);

/* Distinct field names a rule set may use: the rules for CloudTrail use a few hundred. */
#define SIGMA_MAX_PATHS 2000

/* Checks text[0..len) against the YAML bounds of sigma_yaml.c (nesting depth, size with aliases
 * expanded) before it is loaded as a document. Returns 0 when within them (or not YAML: the loader says
 * why), 1 when refused with the reason in why and its line in *line, -1 when out of memory. */
int sigma_yaml_check(const char *text, size_t len, char *why, size_t whylen, int *line);

/* Evaluates one test on what the source gives. */
enum sigma_result sigma_test_eval(const struct sigma_test *t, const struct sigma_source *src, size_t ev,
                                  int cheap);

void sigma_pat_free(struct sigma_pat *p);

#endif
