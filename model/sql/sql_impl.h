/* sql_impl: what sql.c (the query, the short fields) and sql_path.c (JSON path terms) share. Private. */
#ifndef CTVIEW_SQL_IMPL_H
#define CTVIEW_SQL_IMPL_H

#include <stdio.h>

#include "model/query/filter_impl.h"
#include "model/sql/sql.h"

#define MAX_NOTES 16

struct writer {
    FILE *out; /* open_memstream: the body of the query */
    char *buf;
    size_t len;
    char *notes[MAX_NOTES]; /* owned: "-- differs from ctview -f:" lines */
    int nnotes;
    struct sql_error *err;
    int failed;
};

/* Fills w->err (first failure only) and returns -1. */
int sql_fail(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds a note (a difference from ctview's meaning), once. */
void sql_note(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The term as the user could have written it, control bytes escaped: for comments and messages. */
void sql_term_text(const struct term *t, char *out, size_t cap);

/* s[0..n) as an SQL string literal; control bytes as chr(N) outside the quotes. */
void sql_put_literal(FILE *o, const char *s, size_t n);

/* Whether the term's pattern is only '*'. */
int sql_all_stars(const struct term *t);

/* " LIKE '<pattern><post>' ESCAPE '\'" for the term's glob (anywhere in the text when contains). */
void sql_put_like(struct writer *w, const struct term *t, const char *post, int contains);

/* "regexp_like(col, '(?i)RE')" for a /REGEX/ term; when absent_empty and the expression matches the
 * empty string, only where col is not empty (ctview holds an empty field as absent). */
void sql_put_regex(struct writer *w, const struct term *t, const char *col, int absent_empty);

/* The term's glob (or regular expression) against the string expression col (with the short field's extra forms). */
void sql_put_column_glob(struct writer *w, const struct term *t, const char *col);

/* A JSON path term (TK_INDEXED, TK_PATH) as a condition. Returns 0 or -1 (w failed). */
int sql_put_path(struct writer *w, const struct term *t, const char *indexed_sql, const char *missing);

#endif
