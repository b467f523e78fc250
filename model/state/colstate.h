/* colstate: the event list's column layout remembered between runs, in its own file beside the
 * interface's state: $XDG_STATE_HOME/ctview/columns (by default ~/.local/state/ctview/columns). The file
 * holds one line: the columns as --columns takes them ("time,acct,requestParameters.roleArn"); an empty
 * line or no file means the default layout. Written whole to a temporary file (mode 0600) and renamed
 * over it, so a crash never leaves half a file. */
#ifndef CTVIEW_COLSTATE_H
#define CTVIEW_COLSTATE_H

#include <stddef.h>

/* The file's path (owned by the caller), or NULL when neither XDG_STATE_HOME (absolute) nor HOME is set. */
char *colstate_path(void);

/* Reads the layout from path into out (cap bytes, NUL-terminated; "" for the default or a missing
 * file). Returns 0, or -1 with a message in *err (owned by the caller), also for a symbolic link, FIFO,
 * device or folder at path (never opened for reading: safefile.h). */
int colstate_load(const char *path, char *out, size_t cap, char **err);

/* Writes spec to path atomically with mode 0600, creating missing directories (mode 0700). Returns 0,
 * or -1 with a message in *err (owned by the caller); an existing file is then left as it was. */
int colstate_save(const char *path, const char *spec, char **err);

#endif
