/* loading: the first load, in the background: the list fills while keys work. */
#ifndef CTVIEW_LOADING_H
#define CTVIEW_LOADING_H

#include <stddef.h>
#include <stdint.h>

struct app;

/* Starts the workers. Returns 0, or -1 when out of memory. */
struct s3open_opts;
int loading_start(struct app *a, const char *const *paths, size_t npaths, int64_t since_ms, int64_t until_ms,
                  const struct s3open_opts *scope);
/* Merges what the workers read for about budget seconds; ends the load when done. Returns 1 when
 * something on the screen changed (the progress, the events, or the end of the load). */
int loading_step(struct app *a, double budget);
void loading_draw(struct app *a, int y); /* the progress line */
void loading_stop(struct app *a);
int loading_on(const struct app *a); /* the first load is running */

#endif
