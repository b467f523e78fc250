/* filterquote: a value written as a filter term, so that the filter reads back exactly that value.
 *
 * The filter language (model/query/filter.h) reads "quoted text" with \" and \\ as the only escapes;
 * inside quotes a blank, "OR", '-', '(' and ')' are plain text. Every place that builds a filter from a
 * value (apply-as-filter, the trace's chain, the actors and findings panes, the overview) quotes it
 * here, so a value taken from a log can never end the quotes early or add a term. It lives in base so
 * that the layers below the query layer (model/identity/trace.c) can use it too. */
#ifndef CTVIEW_FILTERQUOTE_H
#define CTVIEW_FILTERQUOTE_H

#include <stddef.h>

/* Writes field:"value" into out (cap bytes, NUL-terminated when cap > 0), or just "value" when field is
 * NULL; value is v[0..len) (a NUL in it ends it: filter expressions are C strings). An empty value gives
 * field:"", which the filter refuses ("missing value"): callers have no term for it. Returns the length
 * the whole term needs, not counting the NUL, like snprintf: the term is complete when that is < cap. */
size_t filterquote_term(const char *field, const char *v, size_t len, char *out, size_t cap);

/* The same term as a new string (owned by the caller), or NULL when out of memory. */
char *filterquote_term_dup(const char *field, const char *v, size_t len);

/* The inverse, the one reader of quoted text (the filter's lexer, highlighting, the command line): p[0]
 * is the opening '"'. Writes the text inside, \" and \\ undone, into out when it is not NULL (room for
 * strlen(p) bytes; not NUL-terminated) and sets *len. Returns the byte after the closing quote, or NULL
 * when the quotes are not closed (then out holds the text up to the end). */
const char *filterquote_read(const char *p, char *out, size_t *len);

/* The one reader of a regular expression term's extent (the filter's lexer, highlighting): p[0] is the
 * opening '/'. The expression runs to the next '/' that no backslash escapes (a backslash takes the
 * byte after it along, so \/ is a '/' inside and \\ a backslash); the text between is handed to PCRE2
 * unchanged, where \/ is a literal '/'. Returns the byte after the closing '/', or NULL when
 * there is none. */
const char *filterquote_regex_end(const char *p);

#endif
