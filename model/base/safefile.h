/* safefile: reading a small file the program keeps (state, columns, config) without being led astray:
 * never blocking on a FIFO or device, never reading a directory, optionally never following a symbolic
 * link, and never reading more than a limit. */
#ifndef CTVIEW_SAFEFILE_H
#define CTVIEW_SAFEFILE_H

#include <stddef.h>

enum safefile_flags {
    SAFEFILE_NOFOLLOW = 1, /* a symbolic link at path is refused, not followed */
};

/* Reads the regular file at path, of at most max bytes, into *text (owned by the caller, NUL-terminated;
 * the NUL is not counted in *len). Returns 0; 1 when there is no file at path (nothing set); -1 with a
 * message naming path in *err (owned by the caller) when it is not a regular file (FIFO, device, folder,
 * a symbolic link with SAFEFILE_NOFOLLOW), cannot be read, or is larger than max. */
int safefile_read(const char *path, size_t max, int flags, char **text, size_t *len, char **err);

#endif
