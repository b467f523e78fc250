/* athena: rows of Athena's CloudTrail table (README: Athena) turned back into the CloudTrail events they
 * came from, recognised by content:
 *   - JSON lines as UNLOAD ... WITH (format = 'JSON') writes them: lower-case column names, struct columns
 *     as objects, requestparameters/responseelements/additionaleventdata as JSON text;
 *   - the CSV the Athena console downloads: a header of column names, every cell quoted, structs in
 *     Trino's text form ({type=IAMUser, arn=..., sessioncontext={...}}), NULL as an empty unquoted cell.
 * Restored: CloudTrail's key names and nesting (userIdentity.sessionContext.sessionIssuer.arn,
 * resources[].ARN), readOnly as a boolean, the JSON text columns as JSON. Left out: NULLs (the table
 * cannot tell a null from an absent key), the partition columns (timestamp, account, region) and "$path". */
#ifndef CTVIEW_ATHENA_H
#define CTVIEW_ATHENA_H

#include <stddef.h>

enum athena_shape {
    ATHENA_NONE, /* not Athena rows */
    ATHENA_JSON, /* UNLOAD JSON lines */
    ATHENA_CSV,  /* console CSV */
};

/* What data[0..len) (decoded) is, from its first line. */
enum athena_shape athena_detect(const char *data, size_t len);

/* Called for each row that cannot be restored: its byte offset in the input, its index among the rows
 * (0-based) and why. */
typedef void (*athena_bad_fn)(void *ctx, size_t off, size_t index, const char *reason);

/* Restores every row of data[0..len) (of the given shape) as one CloudTrail event per line. Returns 0
 * and sets *out (owned, NUL-terminated) and *out_len; -1 when out of memory. */
int athena_restore(enum athena_shape shape, const char *data, size_t len, char **out, size_t *out_len,
                   athena_bad_fn bad, void *ctx);

#endif
