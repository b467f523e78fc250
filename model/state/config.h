/* config: the user's defaults for the interface, from $XDG_CONFIG_HOME/ctview/config (by default
 * ~/.config/ctview/config). One "key = value" a line; '#' starts a comment line; blank lines are
 * ignored:
 *   tz = Europe/Paris      the time zone (UTC, local, an IANA name, a POSIX TZ string); default UTC
 *   theme = mono           default (colours) or mono (attributes only, as with NO_COLOR)
 *   mouse = off            on (default): click selects, the wheel scrolls; off leaves the mouse to the
 *                          terminal (its own selection)
 *   time = relative        absolute (default) or relative ("3h ago") times in the list
 * A bad entry is an error that names the file and the line; the command-line options win over the file. */
#ifndef CTVIEW_CONFIG_H
#define CTVIEW_CONFIG_H

#include "model/base/tz.h"

struct config {
    char tz[TZ_NAME_MAX]; /* "" when not set */
    int mono;
    int mouse;
    int relative_time;
};

/* The defaults: no zone (UTC), colours, mouse on, absolute times. */
void config_defaults(struct config *c);

/* The config file's path (owned by the caller), or NULL when neither XDG_CONFIG_HOME (absolute) nor
 * HOME is set. */
char *config_path(void);

/* Reads path over the defaults already in *c. A missing file changes nothing: 0. Returns -1 with
 * "PATH:LINE: reason" in *err (owned by the caller) for the first bad entry, or "PATH: reason" when
 * the file cannot be read; *c then holds the entries before it. */
int config_load(struct config *c, const char *path, char **err);

/* The same over text already in memory, named path in messages (tests). */
int config_parse(struct config *c, const char *path, const char *text, char **err);

#endif
