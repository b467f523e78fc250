/* state: what the interface remembers between runs (the filter, search and ':' histories), in one text
 * file under the XDG state directory: $XDG_STATE_HOME/ctview/state, by default
 * ~/.local/state/ctview/state.
 *
 * The file is written whole to a temporary file beside it (mode 0600) and renamed over it, so a crash
 * never leaves half a file. A file that cannot be read is reported (one message), ignored and left alone;
 * a damaged line is skipped: never fatal. Its format, one entry a line, oldest first:
 *   ctview-state 1
 *   filter src:sts -error:*
 *   search AssumeRole
 *   command goto 100
 * with \\, \n, \t, \r and \xHH escapes for backslashes and control bytes. */
#ifndef CTVIEW_STATE_H
#define CTVIEW_STATE_H

#include <stddef.h>

enum state_list { STATE_FILTER, STATE_SEARCH, STATE_COMMAND, STATE__LISTS };

#define STATE_LIST_MAX 100

struct state {
    char *items[STATE__LISTS][STATE_LIST_MAX]; /* owned, oldest first */
    size_t n[STATE__LISTS];
};

/* The state file's path (owned by the caller), or NULL when neither XDG_STATE_HOME (absolute) nor HOME
 * is set. */
char *state_path(void);

/* Adds text as the newest entry of a list (an equal older entry moves up; empty text is ignored; the
 * oldest entry goes past STATE_LIST_MAX). Returns 0, or -1 when out of memory (nothing changed). */
int state_add(struct state *st, enum state_list list, const char *text);

/* Empties st (it may then be reused). */
void state_clear(struct state *st);

/* Reads path into st (emptied first). A missing file is an empty state: 0. A bad line costs only itself:
 * it is skipped and 0 returned with a note naming it in *err (owned by the caller; NULL when every line
 * was read). Returns -1 with a message naming the file in *err (owned by the caller) when the file cannot
 * be read or is not a state file; st is then empty. A symbolic link, FIFO, device or folder at path is
 * never opened for reading (safefile.h). */
int state_load(struct state *st, const char *path, char **err);

/* Merges st into the file at path: under a lock (flock on its folder), the file is read again, st's
 * entries are added after its own (so two instances keep both histories), and the result is written
 * atomically with mode 0600, creating the missing directories (mode 0700). Returns 0, or -1 with a
 * message in *err (owned by the caller); an existing file is then left as it was, as is one that cannot
 * be read as a state file. */
int state_save(const struct state *st, const char *path, char **err);

#endif
