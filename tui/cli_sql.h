/* cli_sql: --sql, the filter as Trino SQL for Athena's CloudTrail table (model/sql/sql.h). */
#ifndef CTVIEW_CLI_SQL_H
#define CTVIEW_CLI_SQL_H

#include <stdint.h>
#include <stdio.h>

/* Prints the query for expr (may be NULL) and the --since/--until range (INT64_MIN/INT64_MAX: none) to
 * out. table may be NULL (the default); select is "events", "paths" or NULL (events). Returns the exit
 * status: 0; 1 for a bad filter, a term SQL cannot express or a bad option value (said on stderr); 2
 * when out of memory. */
int cli_sql(const char *expr, int64_t since, int64_t until, const char *table, const char *select, FILE *out);

#endif
