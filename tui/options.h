/* options: what the command line asks for (the modes and every option), read from argv and checked for
 * which options go together. */
#ifndef CTVIEW_OPTIONS_H
#define CTVIEW_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "model/query/export.h"
#include "parsers/s3open.h"

/* The modes: the interface when no mode option is given, --sql (reads no logs), and those that load the
 * logs and print (tui/cli*.c). */
enum mode {
    MODE_LIST,
    MODE_STATS,
    MODE_ACTORS,
    MODE_EXPORT,
    MODE_TRACE,
    MODE_TOP,
    MODE_FINDINGS,
    MODE_REPORT,
    MODE_SQL,
    MODE_CASE_EXPORT,
    MODE_CASE_IMPORT,
    MODE_INTERFACE,
    MODE__COUNT
};

#define MODE_BIT(m) (1u << (m))
/* the modes that read the logs and print (at most one of them) */
#define LOG_MODES (MODE_BIT(MODE_SQL) - 1)

/* What the command line asked for. The strings are borrowed from argv. */
struct options {
    unsigned modes; /* MODE_BITs of the log modes given */
    int sql, json, format_given, follow, no_state, no_mouse, top_n_given;
    const char *report_file;  /* --report FILE */
    const char *const *given; /* the PATH operands as given (argv), ngiven of them: the case's key */
    size_t ngiven;
    const char *tz, *expr, *export_file, *trace, *sql_table, *sql_select, *columns, *top;
    const char **rule_paths; /* the --rules values, nrule_paths of them (an array of argc) */
    size_t nrule_paths;
    long top_n;
    int64_t since, until; /* INT64_MIN / INT64_MAX for none */
    struct export_opts eo;
    const char *const *paths; /* the PATH operands, npaths of them; then what the loader reads (inputs) */
    size_t npaths;
    struct s3open_opts s3o; /* --account, --region, --no-cache, --cache-size */
    const char *paths_from; /* --paths-from FILE, or NULL */
    int poll_s;             /* --poll SECONDS, or 0 */
    /* --case, --case-export, --case-import */
    const char *case_name, *case_export, *case_import;
    /* worked out by check_options */
    char range[160];       /* the after:/before: terms of --since and --until, "" for none */
    const char *user_expr; /* -f as given; expr is it and the range together */
    char *combined;        /* owned: expr when the range had to be added to -f */
};

/* Reads argv into o (whose defaults the caller set, rule_paths an array of argc) and checks which options
 * go together. Returns -1 with the mode to run in *mode, or the exit status after --help, --version or a
 * usage error (said on stderr). The strings stay borrowed from argv. */
int options_parse(int argc, char **argv, struct options *o, enum mode *mode);

#endif
