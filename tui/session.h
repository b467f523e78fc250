/* session: what the interface carries from one run to the next and from the user's config: the config
 * file's defaults (time zone, theme, mouse, relative times), the command-line options over them, and the
 * state file (filter, search and ':' histories) read at start and written at quit. */
#ifndef CTVIEW_SESSION_H
#define CTVIEW_SESSION_H

struct app;
struct app_start;

/* Before the screen opens: reads the config file and applies it, then the options in start. Returns 0,
 * or the exit status after printing why on stderr (1: a bad config entry, named by file and line; a bad
 * zone). Reads the state file unless start->no_state; a damaged one is said once in the status line. */
int session_start(struct app *a, const struct app_start *start);

/* After the screen closed: writes the state file (unless disabled); a failure is said on stderr. Frees
 * what session_start allocated. */
void session_end(struct app *a);

#endif
