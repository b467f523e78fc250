/* follow: following directories (--follow, F) with inotify; new log files load as they arrive and
 * their events are merged into the list (app_absorb). */
#ifndef CTVIEW_FOLLOW_H
#define CTVIEW_FOLLOW_H

#include <stddef.h>

struct app;

/* Watches every directory under paths. Returns 0, or -1 after saying why in the status line. */
int follow_start(struct app *a, const char *const *paths, size_t npaths);
void follow_stop(struct app *a);
int follow_on(const struct app *a); /* following now */
/* Loads what arrived; returns 1 when something changed. */
int follow_poll(struct app *a);

#endif
