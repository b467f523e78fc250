/* errmsg: the one way an error becomes a value. A function that fails sets *err to a message it
 * formats (owned by the caller, free()) and returns -1; the message names what failed and why, a file
 * first and its position when there is one ("file: byte N: reason"), so the status line, the Problems
 * view and stderr print it as it is. */
#ifndef CTVIEW_ERRMSG_H
#define CTVIEW_ERRMSG_H

/* Sets *err to the formatted message, or to NULL when out of memory (the caller then says "out of
 * memory"). Returns -1: `return errmsg_set(err, "cannot open %s: %s", path, strerror(errno));`. */
int errmsg_set(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
