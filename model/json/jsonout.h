/* jsonout: the one JSON string writer. Every --json output and the jsonl/records exports write text
 * through it, so they agree on what reaches a JSON reader:
 *   - '"' and '\' escaped; control characters (C0 and DEL) as \u00XX;
 *   - a byte that does not start a valid UTF-8 character (invalid, overlong, surrogate, cut short) as
 *     \ufffd, one per byte;
 *   - valid UTF-8 kept as it is.
 * The output is always valid JSON, whatever bytes a log held. */
#ifndef CTVIEW_JSONOUT_H
#define CTVIEW_JSONOUT_H

#include <stddef.h>
#include <stdio.h>

/* The most bytes jsonout_escape writes for len bytes of input (every byte may become "\u00XX"). */
#define JSONOUT_ESCAPED_MAX(len) (6 * (len))

/* Writes the inside of a JSON string (no quotes) holding s[0..len) into out (room for
 * JSONOUT_ESCAPED_MAX(len) bytes) and returns the length written. */
size_t jsonout_escape(const char *s, size_t len, char *out);

/* Writes s[0..len) to f as a JSON string, quotes included. */
void jsonout_string(FILE *f, const char *s, size_t len);

/* The same without the quotes, for a string written in parts ("ACCOUNT:ID"). */
void jsonout_chars(FILE *f, const char *s, size_t len);

/* Writes the JSON text in[0..len) (a record as logged) into out (room for JSONOUT_ESCAPED_MAX(len)
 * bytes) and returns the length written. Inside its strings, escapes stay as written and the bytes are
 * made valid as jsonout_escape makes them (a raw control character becomes \u00XX, invalid UTF-8
 * \ufffd); outside them, with minify, blanks are dropped (every byte up to the space, as the loader
 * reads them), else a control byte that is not JSON whitespace becomes a space. Valid JSON with valid
 * UTF-8 comes out unchanged (minify: as jsonfmt_minify writes it). */
size_t jsonout_record(const char *in, size_t len, int minify, char *out);

#endif
