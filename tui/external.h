/* external: show text in the user's own program ($PAGER for one event, $EDITOR for the marked ones),
 * then come back to the interface as it was.
 *
 * The text goes to a file of its own in a new private directory (mode 0700, the file 0400: a read-only
 * copy) under $TMPDIR, is escaped like anything else from a log (no control character reaches the
 * terminal through a pager that passes them, as `less -R` does), and is removed when the program exits.
 * While it runs, the terminal is the program's: curses is suspended, and ^C reaches the program only. */
#ifndef CTVIEW_EXTERNAL_H
#define CTVIEW_EXTERNAL_H

#include <stdio.h>

/* Writes the content; returns 0, or -1 (the write failed or out of memory). */
typedef int (*external_write_fn)(void *ctx, FILE *f);

/* Runs the program named by environment variable env (fallback when unset or empty: "less", "vi") on a
 * file called name holding what write produced. The command is run by /bin/sh with the file as its
 * argument, so "less -S" or "code --wait" work. Returns 0, or -1 with the reason in msg[0..msglen) (the
 * file could not be made, the program could not be started or failed). */
int external_show(const char *env, const char *fallback, const char *name, external_write_fn write, void *ctx,
                  char *msg, size_t msglen);

/* Writes text[0..len) to f escaped by model/textsafe, line by line (newlines and tabs kept). Returns 0
 * or -1. */
int external_put_safe(FILE *f, const char *text, size_t len);

#endif
