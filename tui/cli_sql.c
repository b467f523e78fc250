#include "tui/cli_sql.h"

#include <stdlib.h>
#include <string.h>

#include "model/sql/sql.h"

int cli_sql(const char *expr, int64_t since, int64_t until, const char *table, const char *select, FILE *out)
{
    struct sql_opts o = {table, SQL_SELECT_EVENTS, since, until};
    if (select && strcmp(select, "paths") == 0) {
        o.select = SQL_SELECT_PATHS;
    } else if (select && strcmp(select, "events") != 0) {
        fprintf(stderr, "ctview: --select takes events or paths (try 'ctview --help')\n");
        return 1;
    }
    struct sql_error err;
    char *q = sql_from_filter(expr, &o, &err);
    if (!q) {
        fprintf(stderr, "ctview: --sql: %s\n", err.message);
        return err.nomem ? 2 : 1;
    }
    fputs(q, out);
    free(q);
    return fflush(out) == 0 ? 0 : 1;
}
