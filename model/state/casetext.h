/* casetext: the bytes of a case file (model/state/case.h): read within a limit, checked for
 * what cJSON would take silently (a \u0000 that cuts a string, bytes that are not UTF-8), and an
 * event key that is not UTF-8 written as hex so that it is read back as the same bytes. */
#ifndef CTVIEW_CASETEXT_H
#define CTVIEW_CASETEXT_H

#include <stddef.h>

/* Whether s is valid UTF-8 throughout. */
int casetext_utf8_valid(const char *s);

/* s with each byte that does not start a valid UTF-8 character as U+FFFD (owned), or NULL out of
 * memory. */
char *casetext_utf8_repaired(const char *s);

/* The bytes the lower-case hex text hex stands for, NUL-terminated (owned), or NULL when it is not
 * hex, odd, holds a 0 byte, or out of memory. */
char *casetext_from_hex(const char *hex);

/* The text of path (at most limit bytes), NUL-terminated (owned), its length in *len. The case file itself
 * (any 0) is opened without following a symbolic link and must be a regular file; an import (any 1) may be a
 * link, a pipe or '-' (standard input). NULL with *err (owned), or with *missing when there is no such
 * file. */
char *casetext_read(const char *path, int any, size_t limit, size_t *len, char **err, int *missing);

/* The position of the first \u0000 escape in text[0..len) (its backslash), or -1: cJSON would cut the
 * string there, so a note or tag would lose its end without a word. */
long casetext_nul_escape(const char *text, size_t len);

#endif
