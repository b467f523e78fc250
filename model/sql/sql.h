/* sql: a filter (README: Filters, Athena) as one Trino query (Athena engine 3) over the CloudTrail table AWS
 * documents: lower-case columns, userIdentity/tlsDetails/resources as structs, requestParameters,
 * responseElements and additionalEventData as JSON text, partition projection on "timestamp"
 * (yyyy/MM/dd, the day CloudTrail wrote the file).
 *
 * Every term keeps ctview's meaning: ASCII case-insensitive globs become lower(x) LIKE '...' ESCAPE '\',
 * an absent or empty value never matches, '-' holds where the term does not (NOT coalesce(..., false)),
 * after:/before: compare eventTime and, when they hold for the whole query, bound the partitions. A
 * term the table cannot answer exactly is translated to its closest form under a "--" comment saying
 * what differs; a term it cannot answer at all is an error. Literals are escaped: no filter text can
 * change the query's structure, and no control character reaches the output. */
#ifndef CTVIEW_SQL_H
#define CTVIEW_SQL_H

#include <stdint.h>

enum sql_select {
    SQL_SELECT_EVENTS, /* SELECT *: the rows, to UNLOAD as JSON or download as CSV and open in ctview */
    SQL_SELECT_PATHS,  /* SELECT DISTINCT "$path": the S3 objects holding the matches */
};

struct sql_opts {
    const char *table; /* "cloudtrail_logs" when NULL; letters, digits, '_' and '.' only */
    enum sql_select select;
    int64_t since; /* INT64_MIN: none; else events at or after (epoch ms) */
    int64_t until; /* INT64_MAX: none; else events before (epoch ms) */
};

struct sql_error {
    int nomem;         /* out of memory (else the filter or an option is at fault) */
    char message[400]; /* "column 1: srcid:x cannot be expressed in SQL: ..." */
};

/* Whether name is a table name --table accepts: parts of [A-Za-z0-9_] separated by single dots. */
int sql_table_name_ok(const char *name);

/* The query for filter expr (NULL or blank: every event) under o, ending in a newline. Returns it (owned;
 * free()), or NULL with *err filled. */
char *sql_from_filter(const char *expr, const struct sql_opts *o, struct sql_error *err);

#endif
