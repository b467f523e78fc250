/* jsonfmt: lay out a record's original JSON text for reading, without changing any token.
 *
 * Works on bytes, not on a parsed tree, so numbers, escapes and key order appear exactly as logged.
 * It never fails: text that is not valid JSON is laid out as far as its tokens allow, which is what
 * the detail view wants for a record the user is investigating. */
#ifndef CTVIEW_JSONFMT_H
#define CTVIEW_JSONFMT_H

#include <stddef.h>
#include <stdint.h>

enum json_class {
    JC_PUNCT,  /* { } [ ] , : */
    JC_KEY,    /* an object key, quotes included */
    JC_STRING, /* a string value */
    JC_NUMBER,
    JC_LITERAL, /* true false null */
    JC_OTHER,   /* anything that is not a JSON token */
};

struct json_line {
    size_t off, len; /* the line's text in the doc's text buffer, indentation included */
    int depth;       /* nesting depth of the line's first token */
    int32_t close;   /* for a line that opens a container left open at its end: the index of the line
                        that closes it; -1 otherwise */
};

struct json_doc {
    char *text;         /* the laid-out text, lines separated by nothing (see json_line) */
    unsigned char *cls; /* enum json_class for each byte of text */
    size_t text_len;
    struct json_line *lines;
    size_t nlines;
};

/* Lays out in[0..len) with indent spaces per level. Returns 0, or -1 when out of memory (doc is then
 * empty). The doc owns its buffers: release with jsonfmt_free. */
int jsonfmt_pretty(const char *in, size_t len, int indent, struct json_doc *doc);
void jsonfmt_free(struct json_doc *doc);

/* The key path of a doc line, keys joined by '.', array positions left out ("resources.ARN"), written
 * NUL-terminated into path (cut to cap). Returns the path's length; 0 for a line with no key. */
size_t jsonfmt_line_path(const struct json_doc *doc, size_t line, char *path, size_t cap);

/* The first scalar value on a doc line (a string token with its quotes, a number or a literal).
 * Returns 0 and sets *value, *len (borrowed from doc) and *cls, or -1 when the line has none. */
int jsonfmt_line_value(const struct json_doc *doc, size_t line, const char **value, size_t *len,
                       enum json_class *cls);

/* The value of a doc line as one would paste it: a string's unescaped text, a number or literal as
 * written, a container the line opens (folded or not) as minified JSON, an empty one as written.
 * Returns 1 and sets *out (owned by the caller, NUL-terminated) and *len; 0 when the line has no value
 * (a closing bracket); -1 when out of memory. */
int jsonfmt_line_copy(const struct json_doc *doc, size_t line, char **out, size_t *len);

/* Decodes the JSON string token in[0..len) (quotes included) into out (needs at most len bytes):
 * escapes become their characters, \u escapes UTF-8 (surrogate pairs joined, lone surrogates U+FFFD).
 * Returns the length written. */
size_t jsonfmt_unescape(const char *in, size_t len, char *out);

/* Writes in[0..len) without whitespace outside strings into out (needs at most len bytes) and returns
 * the length written. Newlines inside strings cannot occur in valid JSON and are kept as they are. */
size_t jsonfmt_minify(const char *in, size_t len, char *out);

#endif
