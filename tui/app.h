/* app: the terminal interface. Owns the screen, the layout, focus and the key loop. */
#ifndef CTVIEW_APP_H
#define CTVIEW_APP_H

#include <stddef.h>

/* Loads paths and runs the interface until the user quits. Returns the process exit status. */
int app_run(const char *const *paths, size_t npaths);

#endif
