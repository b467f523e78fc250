/* utf8: one UTF-8 character decoded, the rule every output that checks text shares (the terminal's
 * escaping in model/present/textsafe.c, JSON output in model/json/jsonout.c). */
#ifndef CTVIEW_UTF8_H
#define CTVIEW_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one UTF-8 character at s[0..len). Returns its length (1-4) and sets *cp, or returns 0 for an
 * invalid, overlong, surrogate or truncated sequence (then exactly one byte should be skipped). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

#endif
