/* inputs: the paths the user named, made into what the loader reads: --paths-from FILE's lines added
 * (one path or s3:// URL a line; '-' reads standard input). The loader opens s3:// URLs itself
 * (parsers/s3open.h), decoding their objects as they come in. Every mode and the interface start from
 * it. */
#ifndef CTVIEW_INPUTS_H
#define CTVIEW_INPUTS_H

#include <stddef.h>

#include "model/base/problems.h"
#include "parsers/s3open.h"

#define INPUTS_MAX_LINES 1000000

struct inputs {
    char **paths; /* owned: what the loader reads */
    size_t n;
};

/* Fills in from argv's paths and the lines of paths_from (NULL: none). Returns 0, or -1 with a
 * message on stderr (a --paths-from file that cannot be read). */
int inputs_expand(struct inputs *in, const char *const *paths, size_t n, const char *paths_from);
void inputs_free(struct inputs *in);

enum inputs_opt { INPUTS_ACCOUNT, INPUTS_REGION, INPUTS_NO_CACHE, INPUTS_CACHE_SIZE, INPUTS_PATHS_FROM };

/* Takes one of the input options (--account LIST, --region LIST, --no-cache, --cache-size SIZE,
 * --paths-from FILE) into o and *paths_from. Returns 0, or -1 after a message on stderr. */
int inputs_option(enum inputs_opt which, const char *arg, struct s3open_opts *o, const char **paths_from);

#endif
