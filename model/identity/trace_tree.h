/* trace_tree: the identity trace laid out as an indented tree of lines, once, for the trace pane and
 * for --trace (README: Identity trace). Each line says what it is, how deep it sits and which event it names;
 * the caller only prints or draws it, with the marker of its kind. Line text is raw log text: escape
 * it before it reaches a terminal (model/textsafe). */
#ifndef CTVIEW_TRACE_TREE_H
#define CTVIEW_TRACE_TREE_H

#include <stddef.h>

#include "model/identity/trace.h"

enum tree_kind {
    TREE_HEAD,     /* a heading: hop and event counts, the forward list's title */
    TREE_ORIGIN,   /* the principal that started the chain */
    TREE_CALL,     /* an STS call on the way (or its twin, or an Insights partner): names an event */
    TREE_NOTE,     /* what a call issued: role, session, key, source identity */
    TREE_MISSING,  /* something not in the loaded logs, or a walk that stopped */
    TREE_SELECTED, /* the traced event */
    TREE_SESSION,  /* an event of the forward list */
    TREE_CONFLICT, /* what the log says against a hop made by access key alone */
};

struct tree_line {
    enum tree_kind kind;
    int depth;    /* indentation level, from 0 */
    size_t event; /* the event the line names, TRACE_NONE for none */
    char *text;   /* owned */
};

struct trace_tree {
    struct tree_line *lines; /* owned */
    size_t n, cap;
};

/* Lays out trace t of store s (both borrowed), listing at most max_session events of the forward list
 * (the count is always given). Returns 0, or -1 when out of memory (the tree is then empty). Release
 * with trace_tree_free, which leaves an empty tree. */
int trace_tree_build(const struct store *s, const struct trace *t, size_t max_session, struct trace_tree *tr);
void trace_tree_free(struct trace_tree *tr);

struct tz;
/* trace_tree_build with every time in zone z (borrowed; NULL: UTC), its offset said: the interface's
 * zone (model/base/tz.h). */
int trace_tree_build_tz(const struct store *s, const struct trace *t, size_t max_session, const struct tz *z,
                        struct trace_tree *tr);

/* The marker drawn before a line of kind k ("└ " for a call), static. */
const char *trace_tree_marker(enum tree_kind k);

#endif
