/* textsafe: make attacker-controlled log text safe to put on a terminal or in a line-based output.
 *
 * Log fields can hold anything: ESC/CSI/OSC sequences, C1 controls, BiDi overrides, zero-width
 * characters, invalid UTF-8. textsafe_escape() turns every such character into visible ASCII
 * (\x1b, \u202e, and \xff for an invalid byte) and leaves printable UTF-8 as it is. */
#ifndef CTVIEW_TEXTSAFE_H
#define CTVIEW_TEXTSAFE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <wchar.h>

/* Decodes one UTF-8 character at s[0..len). Returns its length (1-4) and sets *cp, or returns 0 for an
 * invalid, overlong, surrogate or truncated sequence (then exactly one byte should be skipped). */
size_t textsafe_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* True when code point cp must not be written to a terminal as is: C0, DEL, C1, BiDi controls,
 * zero-width and other format characters, line/paragraph separators, non-characters. */
int textsafe_is_unsafe(uint32_t cp);

/* Writes the escaped form of in[0..len) to out (at most outcap bytes, always NUL-terminated when
 * outcap > 0) and returns the length the full escaped text needs (not counting the NUL), like snprintf. */
size_t textsafe_escape(const char *in, size_t len, char *out, size_t outcap);

/* Returns a newly allocated escaped copy (caller frees), or NULL when out of memory. */
char *textsafe_escape_dup(const char *in, size_t len);

/* Writes the JSON text in[0..len) to f so that no byte a terminal acts on reaches it, the JSON meaning
 * kept: inside strings, every character textsafe_is_unsafe names becomes its \uXXXX escape (a pair of
 * them past U+FFFF) and every invalid UTF-8 byte \ufffd; outside strings, only what JSON allows there
 * is written (an unsafe or invalid byte becomes nothing). Returns 0, or -1 on a write error.
 * Not a second JSON writer: --list --json passes it what model/json/jsonout.h wrote, valid JSON whose
 * strings are valid UTF-8 without C0, and it adds only the escapes of what a terminal would act on. */
int textsafe_json_write(FILE *f, const char *in, size_t len);

/* One unit of text on a terminal: a printable character, or the escape text that stands for a byte or
 * character that must not be written as is. Characters of no width (combining marks and the like) are
 * escaped too: they can stack without limit on one cell or hide what precedes them. Needs the locale's
 * LC_CTYPE set (wcwidth). */
struct text_unit {
    wchar_t wc;   /* the character, when esc is empty */
    char esc[12]; /* the escape text (printable ASCII), or "" */
    int width;    /* terminal columns: wcwidth(wc), or the length of esc */
    size_t len;   /* bytes of the input it stands for (>= 1) */
};

/* Reads the unit at s[0..len), len >= 1. */
void textsafe_next_unit(const char *s, size_t len, struct text_unit *u);

#endif
