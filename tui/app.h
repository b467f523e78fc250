/* app: the terminal interface. Owns the screen, the layout, focus and the key loop. */
#ifndef CTVIEW_APP_H
#define CTVIEW_APP_H

#include <stddef.h>
#include <stdint.h>

/* Loads paths and runs the interface until the user quits. Returns the process exit status. */
/* What the interface starts with besides the paths: a time range that prunes folders and files, and
 * a filter in force from the first screen (NULL for none). */
struct app_start {
    int64_t since_ms, until_ms; /* INT64_MIN / INT64_MAX for none */
    const char *filter;
    int follow; /* watch the directories for new files */
};

int app_run(const char *const *paths, size_t npaths, const struct app_start *start);

#endif
