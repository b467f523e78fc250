/* ctview: a terminal browser for AWS CloudTrail logs. main parses the command line (the table opts),
 * checks which options go together, and hands over to one mode (the table modes): the interface,
 * --sql, or a mode that loads the logs and prints (with_logs, then the mode's print). */
#include <getopt.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/query/export.h"
#include "model/state/case.h"
#include "model/query/filter.h"
#include "model/identity/origin.h"
#include "model/index/pathindex.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"
#include "model/present/textsafe.h"
#include "parsers/load.h"
#include "parsers/savedidx.h"
#include "tui/app.h"
#include "tui/casefile.h"
#include "tui/cli.h"
#include "tui/signals.h"
#include "tui/cli_sql.h"
#include "tui/inputs.h"
#include "tui/usage.h"
#include "model/present/textsafe.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct inputs in; /* what the loader reads: argv's paths, --paths-from, s3:// objects */

static void free_inputs(void)
{
    inputs_free(&in);
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "ctview: %s (try 'ctview --help')\n", msg);
    return 1;
}

/* Compiles expr and, when run is given, runs it over the store into *run. Returns 0, or the exit
 * status after printing why: 1 for a bad expression, 2 when out of memory. */
static int run_filter(struct store *s, const char *expr, struct filter_run *run)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, s, &err);
    if (!f) {
        fprintf(stderr, "ctview: -f: %s\n", err.message);
        return err.column ? 1 : 2;
    }
    int rc = 0;
    if (run && filter_uses_origins(f) && origins_ensure(s, NULL) != 0) {
        filter_free(f);
        fprintf(stderr, "ctview: out of memory while tracing origins\n");
        return 2;
    }
    if (run) {
        filter_run_init(run, f);
        rc = filter_run_all(run);
        run->f = NULL;
        if (rc != 0)
            fprintf(stderr, "ctview: out of memory while filtering\n");
        char re[80];
        size_t gave_up = filter_regex_gave_up(f, re, sizeof re);
        if (gave_up)
            fprintf(stderr,
                    "ctview: -f: the regular expression %s gave up on %zu values (PCRE2's match, depth or "
                    "heap limit reached): they count as not matching\n",
                    re, gave_up);
    }
    filter_free(f);
    return rc ? 2 : 0;
}

/* Reads the rules (the shipped set when npaths is 0) and runs them over every event. Returns 0, or 2
 * when out of memory (then nothing is left allocated). */
static int run_rules(struct store *s, const char *const *paths, size_t npaths, struct sigma_set **set,
                     struct findings **found)
{
    *set = cli_load_rules(paths, npaths);
    *found = *set ? findings_new(*set, s) : NULL;
    size_t problems_before = s->problems.count;
    int failed = !*found || findings_run_all(*found) != 0;
    cli_report_problems(s, problems_before, stderr); /* rules whose answer for an event is unknown */
    if (failed) {
        fprintf(stderr, "ctview: out of memory while running the rules\n");
        findings_free(*found);
        sigma_set_free(*set);
        *found = NULL;
        *set = NULL;
        return 2;
    }
    return 0;
}

/* Exports the shown events; returns the exit status. */
static int run_export(struct store *s, const struct cli_shown *shown, const char *file,
                      const struct export_opts *o, struct field *cols, size_t ncols)
{
    uint32_t *all = NULL;
    const uint32_t *idx = shown->idx;
    size_t n = shown->all ? s->nevents : shown->n;
    if (shown->all) {
        all = malloc((n ? n : 1) * sizeof *all);
        if (!all) {
            fprintf(stderr, "ctview: out of memory\n");
            return 2;
        }
        for (size_t i = 0; i < n; i++)
            all[i] = (uint32_t)i;
        idx = all;
    }
    if (strcmp(file, "-") == 0 && isatty(STDOUT_FILENO)) {
        /* as gzip does: records hold bytes a terminal acts on, and gzip output is binary */
        fprintf(stderr, "ctview: not writing an export to a terminal: redirect it to a file or a pipe "
                        "(--list shows events on a terminal)\n");
        free(all);
        return 1;
    }
    char *err = NULL;
    enum export_status r = export_events_columns(s, idx, n, file, o, cols, ncols, &err);
    free(all);
    if (r == EXPORT_EXISTS) {
        fprintf(stderr, "ctview: %s exists; use --force to replace it\n", file);
        return 1;
    }
    if (r == EXPORT_FAILED) {
        fprintf(stderr, "ctview: export failed: %s\n", err ? err : "out of memory");
        free(err);
        return 1;
    }
    if (r == EXPORT_PARTIAL) {
        fprintf(stderr, "ctview: wrote %s without what its files no longer hold: %s\n", file, err ? err : "?");
        free(err);
        return 1;
    }
    if (strcmp(file, "-") != 0)
        fprintf(stderr, "ctview: wrote %zu event%s to %s (%s%s)\n", n, n == 1 ? "" : "s", file,
                export_format_name(o->format), o->gzip ? ", gzip" : "");
    return 0;
}

/* A --since/--until value: an ISO date or date-time (UTC), or an age before now ("30m", "2h", "7d",
 * "2w"). A bare date given to --until means the end of that day. */
static int parse_when(const char *s, int is_until, int64_t *ms)
{
    size_t len = strlen(s);
    char *end;
    long long n = strtoll(s, &end, 10);
    if (len >= 2 && end == s + len - 1 && n >= 0 && strchr("smhdw", s[len - 1])) {
        static const int64_t unit[] = {['s' - 'a'] = 1000,
                                       ['m' - 'a'] = 60000,
                                       ['h' - 'a'] = 3600000,
                                       ['d' - 'a'] = 86400000,
                                       ['w' - 'a'] = 7 * 86400000LL};
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        *ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - (int64_t)n * unit[s[len - 1] - 'a'];
        return 0;
    }
    if (timefmt_parse(s, len, ms) != 0)
        return -1;
    if (is_until && len == 10)
        *ms += 86400000;
    return 0;
}

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

/* What a log mode prints from: the loaded store and what main worked out over it. */
struct logs {
    struct store *s; /* owned */
    struct cli_shown shown;
    struct filter_run run; /* owned: the -f run behind shown */
    struct sigma_set *rules;
    struct findings *found; /* owned, with rules: the rules' findings when they ran */
    struct field *cols;     /* owned: --columns, ncols of them, or NULL */
    size_t ncols;
    struct field top; /* owned when has_top: --top's field */
    int has_top;
    double secs; /* the load's time */
};

struct mode_ops {
    const char *flag; /* the option that chooses it ("" for the interface) */
    int json;         /* takes --json */
    int rules;        /* runs the rules whatever the filter */
    /* Runs the mode; returns the exit status. */
    int (*run)(const struct options *o, const struct mode_ops *m);
    /* A log mode's output, from what with_logs loaded (NULL for the other modes). */
    int (*print)(const struct options *o, struct logs *l);
};

static int print_list(const struct options *o, struct logs *l)
{
    if (l->cols)
        return cli_list_columns(l->s, &l->shown, l->cols, l->ncols, stdout);
    return cli_list(l->s, &l->shown, stdout, o->json);
}

static int print_stats(const struct options *o, struct logs *l)
{
    return cli_stats(l->s, &l->shown, stdout, o->json, l->secs);
}

static int print_actors(const struct options *o, struct logs *l)
{
    return cli_actors(l->s, &l->shown, stdout, o->json);
}

static int print_export(const struct options *o, struct logs *l)
{
    struct export_opts eo = o->eo;
    eo.ccase = app_case();
    return run_export(l->s, &l->shown, o->export_file, &eo, l->cols, l->ncols);
}

static int print_report(const struct options *o, struct logs *l)
{
    return cli_report(l->s, &l->shown, app_case(), o->user_expr, o->report_file, o->eo.force);
}

static int print_trace(const struct options *o, struct logs *l)
{
    return cli_trace(l->s, o->trace, stdout, o->json);
}

static int print_top(const struct options *o, struct logs *l)
{
    return cli_top(l->s, &l->shown, &l->top, o->top, (size_t)o->top_n, stdout, o->json);
}

static int print_findings(const struct options *o, struct logs *l)
{
    return cli_findings(l->s, &l->shown, l->found, stdout, o->json);
}

static void logs_free(struct logs *l)
{
    filter_run_free(&l->run);
    if (l->has_top)
        field_free(&l->top);
    field_list_free(l->cols, l->ncols);
    findings_free(l->found);
    sigma_set_free(l->rules);
    store_free(l->s);
}

/* What can be refused is refused before a long load: the filter (the user's own, for its columns),
 * --columns and the --top field. Returns 0, or the exit status after saying why. */
static int logs_check(const struct options *o, struct logs *l)
{
    if (!(l->s = store_new()) || casefile_attach(l->s) != 0) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    int rc = o->user_expr ? run_filter(l->s, o->user_expr, NULL) : 0;
    if (rc != 0)
        return rc;
    struct field_error ferr;
    if (o->columns && field_list_parse(o->columns, &l->cols, &l->ncols, &ferr) != 0) {
        fprintf(stderr, "ctview: --columns: %s\n", ferr.message);
        return 1;
    }
    if (o->top) {
        if (field_parse(o->top, strlen(o->top), &l->top, &ferr) != 0) {
            fprintf(stderr, "ctview: --top: %s\n", ferr.message);
            return 1;
        }
        l->has_top = 1;
    }
    return 0;
}

/* After the load: the rules when the mode, a column, the --top field or the filter needs them (before
 * the filter: -f rule:... and level:... select by their findings), then the filter. Returns 0 or the
 * exit status. */
static int logs_select(const struct options *o, int findings, struct logs *l)
{
    int rc = 0, need_rules = findings || (l->has_top && (field_needs(&l->top) & FIELD_NEEDS_FINDINGS)) ||
                             (o->export_file && o->eo.format == EXPORT_TIMESKETCH); /* its finding titles */
    for (size_t c = 0; c < l->ncols; c++)
        need_rules |= (field_needs(&l->cols[c]) & FIELD_NEEDS_FINDINGS) != 0;
    if (o->user_expr && !need_rules) {
        struct filter_error ferr;
        struct filter *probe = filter_compile(o->user_expr, l->s, &ferr);
        need_rules = probe && filter_uses_findings(probe);
        filter_free(probe);
    }
    if (need_rules) {
        rc = run_rules(l->s, o->rule_paths, o->nrule_paths, &l->rules, &l->found);
        if (rc == 0 && findings_attach(l->s, l->found) != 0) {
            fprintf(stderr, "ctview: out of memory while running the rules\n");
            rc = 2;
        }
    }
    if (o->expr && rc == 0) {
        rc = run_filter(l->s, o->expr, &l->run);
        l->shown = (struct cli_shown){0, l->run.shown, l->run.nshown};
    }
    return rc;
}

/* A log mode: checks, loads the paths, selects the shown events and prints them with m->print. The
 * status: the mode's, else 1 when standard output could not be written, 3 when a PATH (or a --rules
 * path the mode read) could not be read, 1 when some events could not be read for a path the output
 * needed. */
static int with_logs(const struct options *o, const struct mode_ops *m)
{
    struct logs l = {.shown = {.all = 1}};
    signals_install(); /* a signal removes an export's temporary file; a write past ulimit -f is an error */
    int rc = logs_check(o, &l);
    double t0 = now_seconds();
    char *err = NULL;
    if (rc == 0 && load_paths_scope(l.s, o->paths, o->npaths, &o->s3o, NULL, NULL, &err) != 0) {
        /* an s3:// path that could not be opened at all (credentials, bucket, network): one message */
        const char *why = err ? err : "out of memory while loading";
        char shown[1024];
        textsafe_escape(why, strlen(why), shown, sizeof shown);
        fprintf(stderr, "ctview: %s\n", shown);
        rc = err ? 3 : 2;
    }
    free(err);
    if (rc != 0) {
        logs_free(&l);
        return rc;
    }
    l.secs = now_seconds() - t0;
    size_t unfetched = (size_t)s3open_totals()->objects_failed; /* objects S3 would not give */
    size_t unread = cli_report_unread(l.s, o->paths, o->npaths, stderr) + unfetched;
    rc = logs_select(o, m->rules, &l);
    if (rc == 0)
        rc = m->print(o, &l);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        /* a full disk or a closed pipe: the output is incomplete, which the exit status alone hides */
        fprintf(stderr, "ctview: cannot write the output: %s\n", errno ? strerror(errno) : "write error");
        if (rc == 0)
            rc = 1;
    }
    unread += cli_report_unread_rules(l.rules, stderr); /* a --rules path counts as a PATH */
    if (rc == 0 && unread)
        rc = 3;
    size_t unreadable = 0;
    const char *why = pathindex_problem(l.s, &unreadable);
    if (why) {
        /* a path's value for these events is not known: said, not shown as missing without a word */
        fprintf(stderr, "ctview: %zu events not read for a path: %s\n", unreadable, why);
        if (rc == 0)
            rc = 1;
    }
    logs_free(&l);
    return rc;
}

static int run_sql(const struct options *o, const struct mode_ops *m)
{
    (void)m;
    return cli_sql(o->expr, o->since, o->until, o->sql_table, o->sql_select, stdout);
}

static int run_interface(const struct options *o, const struct mode_ops *m)
{
    (void)m;
    if (o->user_expr) { /* -f opens the interface filtered: a bad expression is said before the screen */
        struct store *empty = store_new();
        int rc = empty ? run_filter(empty, o->user_expr, NULL) : 2;
        store_free(empty);
        if (rc != 0)
            return rc;
    }
    struct app_start start = {.since_ms = o->since,
                              .until_ms = o->until,
                              .filter = o->expr ? o->expr : NULL,
                              .follow = o->follow,
                              .poll_s = o->poll_s,
                              .rules = o->rule_paths,
                              .nrules = o->nrule_paths,
                              .tz = o->tz,
                              .no_state = o->no_state,
                              .no_mouse = o->no_mouse,
                              .scope = &o->s3o};
    return app_run(o->paths, o->npaths, &start);
}

static int run_case_export(const struct options *o, const struct mode_ops *m)
{
    (void)m;
    char *err = NULL;
    int rc = casefile_export(o->case_export, o->eo.force, &err);
    const struct ctcase *c = app_case();
    if (rc == 1)
        fprintf(stderr, "ctview: %s exists; use --force to replace it\n", o->case_export);
    else if (rc < 0)
        fprintf(stderr, "ctview: --case-export: %s\n", err ? err : "out of memory");
    else if (strcmp(o->case_export, "-") != 0)
        fprintf(stderr, "ctview: wrote the case '%s' (%zu event%s) to %s\n", c->name, case_count(c),
                case_count(c) == 1 ? "" : "s", o->case_export);
    free(err);
    return rc == 0 ? 0 : 1;
}

/* Whether every local PATH operand can be read: an import would otherwise make a case for logs that
 * are not there (a typo). s3:// and '-' are read only when loaded. Says which one cannot. */
static int operands_readable(const struct options *o)
{
    for (size_t i = 0; i < o->npaths; i++) {
        const char *p = o->paths[i];
        if (strncmp(p, "s3://", 5) == 0 || strcmp(p, "-") == 0 || access(p, R_OK) == 0)
            continue;
        fprintf(stderr, "ctview: %s: not read: %s\n", p, strerror(errno));
        return 0;
    }
    return 1;
}

static int run_case_import(const struct options *o, const struct mode_ops *m)
{
    (void)m;
    char *err = NULL;
    size_t changed = 0;
    if (!operands_readable(o))
        return 3;
    if (casefile_import(o->case_import, &changed, &err) != 0) {
        fprintf(stderr, "ctview: --case-import: %s\n", err ? err : "out of memory");
        free(err);
        return 1;
    }
    const struct ctcase *c = app_case();
    fprintf(stderr, "ctview: merged %s into the case '%s': %zu event%s added or changed, %zu in all (%s)\n",
            o->case_import, c->name, changed, changed == 1 ? "" : "s", case_count(c), casefile_path());
    return 0;
}

static const struct mode_ops modes[MODE__COUNT] = {
    [MODE_LIST] = {"--list", 1, 0, with_logs, print_list},
    [MODE_STATS] = {"--stats", 1, 0, with_logs, print_stats},
    [MODE_ACTORS] = {"--actors", 1, 0, with_logs, print_actors},
    [MODE_EXPORT] = {"--export", 0, 0, with_logs, print_export},
    [MODE_TRACE] = {"--trace", 1, 0, with_logs, print_trace},
    [MODE_TOP] = {"--top", 1, 0, with_logs, print_top},
    [MODE_FINDINGS] = {"--findings", 1, 1, with_logs, print_findings},
    [MODE_REPORT] = {"--report", 0, 1, with_logs, print_report},
    [MODE_SQL] = {"--sql", 0, 0, run_sql, NULL},
    [MODE_CASE_EXPORT] = {"--case-export", 0, 0, run_case_export, NULL},
    [MODE_CASE_IMPORT] = {"--case-import", 0, 0, run_case_import, NULL},
    [MODE_INTERFACE] = {"", 0, 0, run_interface, NULL},
};

/* The options that need more than storing their value: each checks it, and returns -1 to go on or the
 * exit status (after saying why). */
struct opt;
static int set_format(struct options *o, const char *v, const struct opt *opt);
static int set_tz(struct options *o, const char *v, const struct opt *opt);
static int set_input(struct options *o, const char *v, const struct opt *opt);
static int set_when(struct options *o, const char *v, const struct opt *opt);
static int add_rules(struct options *o, const char *v, const struct opt *opt);
static int set_count(struct options *o, const char *v, const struct opt *opt);
static int set_poll(struct options *o, const char *v, const struct opt *opt);
static int show_help(struct options *o, const char *v, const struct opt *opt);
static int show_version(struct options *o, const char *v, const struct opt *opt);

#define NO_FIELD SIZE_MAX
#define FIELD(f) offsetof(struct options, f)

/* Every option. Without set, an option without a value sets the int at field to 1 and one with a
 * value stores it in the const char * at field (the last given wins); a mode's option also chooses
 * its mode. */
static const struct opt {
    const char *name; /* long name, or NULL */
    char letter;      /* short name, or 0 */
    int has_arg;
    int mode;     /* the mode it chooses, or -1 */
    size_t field; /* FIELD() of what it sets, NO_FIELD for none */
    int (*set)(struct options *o, const char *v, const struct opt *opt);
} opts[] = {
    {"list", 0, no_argument, MODE_LIST, NO_FIELD, NULL},
    {"stats", 0, no_argument, MODE_STATS, NO_FIELD, NULL},
    {"json", 0, no_argument, -1, FIELD(json), NULL},
    {"export", 0, required_argument, MODE_EXPORT, FIELD(export_file), NULL},
    {"format", 0, required_argument, -1, NO_FIELD, set_format},
    {"gzip", 0, no_argument, -1, FIELD(eo.gzip), NULL},
    {"force", 0, no_argument, -1, FIELD(eo.force), NULL},
    {"trace", 0, required_argument, MODE_TRACE, FIELD(trace), NULL},
    {"since", 0, required_argument, -1, FIELD(since), set_when},
    {"until", 0, required_argument, -1, FIELD(until), set_when},
    {"follow", 0, no_argument, -1, FIELD(follow), NULL},
    {"poll", 0, required_argument, -1, NO_FIELD, set_poll},
    {"tz", 0, required_argument, -1, NO_FIELD, set_tz},
    {"no-state", 0, no_argument, -1, FIELD(no_state), NULL},
    {"no-mouse", 0, no_argument, -1, FIELD(no_mouse), NULL},
    {"columns", 0, required_argument, -1, FIELD(columns), NULL},
    {"top", 0, required_argument, MODE_TOP, FIELD(top), NULL},
    {"actors", 0, no_argument, MODE_ACTORS, NO_FIELD, NULL},
    {"findings", 0, no_argument, MODE_FINDINGS, NO_FIELD, NULL},
    {"rules", 0, required_argument, -1, NO_FIELD, add_rules},
    {"sql", 0, no_argument, -1, FIELD(sql), NULL},
    {"table", 0, required_argument, -1, FIELD(sql_table), NULL},
    {"select", 0, required_argument, -1, FIELD(sql_select), NULL},
    {"account", 0, required_argument, -1, NO_FIELD, set_input},
    {"region", 0, required_argument, -1, NO_FIELD, set_input},
    {"no-cache", 0, no_argument, -1, NO_FIELD, set_input},
    {"cache-size", 0, required_argument, -1, NO_FIELD, set_input},
    {"paths-from", 0, required_argument, -1, NO_FIELD, set_input},
    {"case", 0, required_argument, -1, FIELD(case_name), NULL},
    {"case-export", 0, required_argument, MODE_CASE_EXPORT, FIELD(case_export), NULL},
    {"case-import", 0, required_argument, MODE_CASE_IMPORT, FIELD(case_import), NULL},
    {"help", 'h', no_argument, -1, NO_FIELD, show_help},
    {"version", 'V', no_argument, -1, NO_FIELD, show_version},
    {NULL, 'f', required_argument, -1, FIELD(expr), NULL},
    {NULL, 'n', required_argument, -1, NO_FIELD, set_count},
    {"report", 0, required_argument, MODE_REPORT, FIELD(report_file), NULL},
};

#define NOPTS    (sizeof opts / sizeof *opts)
#define LONG_VAL 256 /* getopt's value of long-only option i: LONG_VAL + i */

static int set_format(struct options *o, const char *v, const struct opt *opt)
{
    (void)opt;
    o->eo.format = export_format_parse(v);
    o->format_given = 1;
    if (o->eo.format == EXPORT__COUNT) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown format '%.100s': records, jsonl, csv or timesketch", v);
        return usage_error(msg);
    }
    return -1;
}

/* --account, --region, --no-cache, --cache-size, --paths-from (tui/inputs.h) */
static int set_input(struct options *o, const char *v, const struct opt *opt)
{
    static const char *const names[] = {
        [INPUTS_ACCOUNT] = "account",       [INPUTS_REGION] = "region",         [INPUTS_NO_CACHE] = "no-cache",
        [INPUTS_CACHE_SIZE] = "cache-size", [INPUTS_PATHS_FROM] = "paths-from",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(opt->name, names[i]) == 0)
            return inputs_option((enum inputs_opt)i, v, &o->s3o, &o->paths_from) == 0 ? -1 : 1;
    return 1;
}

static int set_tz(struct options *o, const char *v, const struct opt *opt)
{
    (void)opt;
    char why[200], msg[260];
    if (tz_check(v, why, sizeof why) != 0) {
        snprintf(msg, sizeof msg, "--tz: %s", why);
        return usage_error(msg);
    }
    o->tz = v;
    return -1;
}

static int set_when(struct options *o, const char *v, const struct opt *opt)
{
    int is_until = opt->field == FIELD(until);
    if (parse_when(v, is_until, is_until ? &o->until : &o->since) != 0) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "--%s: '%.60s' is not a date (YYYY-MM-DD[THH:MM[:SS]], UTC) or an age (30m, 2h, 7d)",
                 opt->name, v);
        return usage_error(msg);
    }
    return -1;
}

static int add_rules(struct options *o, const char *v, const struct opt *opt)
{
    (void)opt;
    o->rule_paths[o->nrule_paths++] = v;
    return -1;
}

static int set_count(struct options *o, const char *v, const struct opt *opt)
{
    (void)opt;
    const char *bad = NULL;
    o->top_n = (long)strtonum(v, 1, 1000000000, &bad);
    o->top_n_given = 1;
    if (bad)
        return usage_error("-n takes a count from 1 up");
    return -1;
}

static int set_poll(struct options *o, const char *v, const struct opt *opt)
{
    (void)opt;
    const char *bad = NULL;
    o->poll_s = (int)strtonum(v, 1, 86400, &bad);
    if (bad)
        return usage_error("--poll takes seconds from 1 to 86400");
    return -1;
}

static int show_help(struct options *o, const char *v, const struct opt *opt)
{
    (void)o, (void)v, (void)opt;
    fputs(ctview_usage, stdout);
    return 0;
}

static int show_version(struct options *o, const char *v, const struct opt *opt)
{
    (void)o, (void)v, (void)opt;
    printf("ctview %s\n", CTVIEW_VERSION);
    return 0;
}

/* getopt's reply c: the option's table entry, or NULL for none. */
static const struct opt *opt_of(int c)
{
    for (size_t i = 0; i < NOPTS; i++)
        if ((opts[i].letter && opts[i].letter == c) || (!opts[i].letter && c == LONG_VAL + (int)i))
            return &opts[i];
    return NULL;
}

/* Stores what opt says with value v (NULL without one). Returns -1 to go on, or the exit status. */
static int apply(struct options *o, const struct opt *opt, const char *v)
{
    if (opt->mode >= 0)
        o->modes |= MODE_BIT(opt->mode);
    if (opt->set)
        return opt->set(o, v, opt);
    if (opt->field == NO_FIELD)
        return -1;
    if (opt->has_arg == required_argument)
        *(const char **)((char *)o + opt->field) = v;
    else
        *(int *)((char *)o + opt->field) = 1;
    return -1;
}

/* Reads argv into o. Returns -1 to go on, or the exit status (after --help, --version or a usage
 * error). */
static int parse_options(int argc, char **argv, struct options *o)
{
    struct option longs[NOPTS + 1];
    char shorts[2 + 2 * NOPTS] = ":"; /* ':' first: a missing value is told apart from an unknown option */
    size_t nlongs = 0, ns = 1;
    for (size_t i = 0; i < NOPTS; i++) {
        int val = opts[i].letter ? opts[i].letter : LONG_VAL + (int)i;
        if (opts[i].name)
            longs[nlongs++] = (struct option){opts[i].name, opts[i].has_arg, NULL, val};
        if (opts[i].letter) {
            shorts[ns++] = opts[i].letter;
            if (opts[i].has_arg == required_argument)
                shorts[ns++] = ':';
        }
    }
    longs[nlongs] = (struct option){NULL, 0, NULL, 0};
    shorts[ns] = '\0';
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const struct opt *opt = opt_of(c);
        char msg[128];
        if (c == ':' && optopt == 'f')
            return usage_error("-f needs a filter expression");
        if (c == ':') {
            snprintf(msg, sizeof msg, "%s needs a value", argv[optind - 1]);
            return usage_error(msg);
        }
        if (!opt) {
            if (optopt)
                snprintf(msg, sizeof msg, "unknown option '-%c'", optopt);
            else
                snprintf(msg, sizeof msg, "unknown option '%s'", argv[optind - 1]);
            return usage_error(msg);
        }
        int rc = apply(o, opt, optarg);
        if (rc >= 0)
            return rc;
    }
    o->paths = (const char *const *)argv + optind;
    o->npaths = (size_t)(argc - optind);
    o->given = o->paths;
    o->ngiven = o->npaths;
    return -1;
}

/* --sql's combinations. Returns -1 to go on, or the exit status. */
static int check_sql(const struct options *o)
{
    if (o->modes || o->json || o->follow || o->format_given || o->eo.gzip || o->eo.force || o->columns ||
        o->top_n_given || o->case_name)
        return usage_error("--sql goes with -f, --since, --until, --table and --select only");
    if (o->npaths)
        return usage_error("--sql reads no logs: give no PATH");
    if (o->since != INT64_MIN && o->until != INT64_MAX && o->since >= o->until)
        return usage_error("--since must be before --until");
    return -1;
}

/* The range prunes folders and files by name, then filters events exactly: its terms are added to
 * -f. Returns -1, or 2 when out of memory. */
static int add_range(struct options *o)
{
    char tbuf[TIMEFMT_BUF];
    if (o->since != INT64_MIN)
        snprintf(o->range, sizeof o->range, "after:%s", timefmt_format(o->since, tbuf));
    if (o->until != INT64_MAX)
        snprintf(o->range + strlen(o->range), sizeof o->range - strlen(o->range), "%sbefore:%s",
                 o->range[0] ? " " : "", timefmt_format(o->until, tbuf));
    o->user_expr = o->expr;
    if (!o->range[0])
        return -1;
    const char *e = o->expr;
    if (asprintf(&o->combined, "%s%s%s%s", e ? "(" : "", e ? e : "", e ? ") " : "", o->range) < 0) {
        o->combined = NULL;
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    o->expr = o->combined;
    return -1;
}

/* "A, B and C" (joiner "and"): the flags of the modes in bits, in the table's order. */
static const char *mode_flags(unsigned bits, const char *joiner, char *out, size_t cap)
{
    size_t len = 0, left = 0;
    for (int m = 0; m < MODE__COUNT; m++)
        left += (bits & MODE_BIT(m)) != 0;
    out[0] = '\0';
    for (int m = 0; m < MODE__COUNT && len < cap; m++) {
        if (!(bits & MODE_BIT(m)))
            continue;
        left--;
        const char *sep = len == 0 ? "" : left == 0 ? " " : ", ";
        int n = snprintf(out + len, cap - len, "%s%s%s%s", sep, left == 0 && len ? joiner : "",
                         left == 0 && len ? " " : "", modes[m].flag);
        len += n > 0 ? (size_t)n : 0;
    }
    return out;
}

/* Which options go together, in the order the messages have always been given. Returns -1 with the
 * mode to run in *mode, or the exit status. */
static int check_options(struct options *o, enum mode *mode)
{
    if ((o->sql_table || o->sql_select) && !o->sql)
        return usage_error("--table and --select go with --sql");
    if (o->sql) {
        *mode = MODE_SQL;
        return check_sql(o);
    }
    unsigned json_modes = 0;
    for (int m = 0; m < MODE__COUNT; m++)
        json_modes |= modes[m].json ? MODE_BIT(m) : 0;
    char flags[200], msg[260];
    if (o->modes & (o->modes - 1)) {
        snprintf(msg, sizeof msg, "%s cannot be combined", mode_flags(LOG_MODES, "and", flags, sizeof flags));
        return usage_error(msg);
    }
    if (o->json && !(o->modes & json_modes)) {
        snprintf(msg, sizeof msg, "--json goes with %s", mode_flags(json_modes, "or", flags, sizeof flags));
        return usage_error(msg);
    }
    if (o->columns && !(o->modes & MODE_BIT(MODE_LIST)) && !(o->export_file && o->eo.format == EXPORT_CSV))
        return usage_error("--columns goes with --list or --export --format csv");
    if (o->columns && o->json)
        return usage_error("--columns does not go with --json");
    if (o->top_n_given && !o->top)
        return usage_error("-n goes with --top");
    if (o->expr && o->trace)
        return usage_error("-f does not go with --trace");
    if (o->since != INT64_MIN && o->until != INT64_MAX && o->since >= o->until)
        return usage_error("--since must be before --until");
    int rc = add_range(o);
    if (rc >= 0)
        return rc;
    int case_mode = (o->modes & (MODE_BIT(MODE_CASE_EXPORT) | MODE_BIT(MODE_CASE_IMPORT))) != 0;
    if (case_mode && (o->expr || o->range[0] || o->columns || o->top_n_given || o->nrule_paths))
        return usage_error("--case-export and --case-import go with --case and PATHs only (--force too "
                           "for --case-export)");
    if ((o->format_given || o->eo.gzip || (o->eo.force && !o->case_export && !o->report_file)) && !o->export_file)
        return usage_error("--format, --gzip and --force go with --export (--force with --report and --case-export too)");
    if (!o->npaths && !o->paths_from)
        return usage_error("no PATH given");
    if (o->follow && o->modes)
        return usage_error("--follow is for the terminal interface");
    if (o->poll_s && !o->follow)
        return usage_error("--poll goes with --follow");
    if (o->no_state && (o->modes & MODE_BIT(MODE_CASE_IMPORT)))
        return usage_error("--case-import does not go with --no-state (it saves the merged case)");
    if ((o->tz || o->no_state || o->no_mouse) && o->modes)
        return usage_error("--tz and --no-state are for the terminal interface (the modes print CloudTrail's "
                           "UTC times)");
    *mode = MODE_INTERFACE;
    for (int m = 0; m < MODE__COUNT; m++)
        if (o->modes & MODE_BIT(m))
            *mode = (enum mode)m;
    return -1;
}

int main(int argc, char **argv)
{
    /* Each input's decoded bytes are a buffer of a megabyte or more, allocated on one thread and freed
     * on another: served by mmap, every one of them cost page faults, and its munmap a TLB shootdown
     * across the loading threads (a fifth of the load's time was in the kernel). Keep them in the heap. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    const char *rule_paths[argc > 0 ? argc : 1]; /* the --rules values: at most one per argument */
    struct options o = {.top_n = 10,
                        .since = INT64_MIN,
                        .until = INT64_MAX,
                        .eo = {EXPORT_RECORDS, 0, 0, NULL},
                        .rule_paths = rule_paths};
    enum mode mode = MODE_INTERFACE;
    int rc = parse_options(argc, argv, &o);
    if (rc < 0)
        rc = check_options(&o, &mode);
    if (rc < 0 && mode != MODE_SQL) {
        /* the case: read by every mode, saved by the interface unless --no-state (tui/casefile.h) */
        char *err = NULL;
        if (casefile_open(o.paths, o.npaths, o.paths_from, o.case_name,
                          mode != MODE_INTERFACE && mode != MODE_CASE_IMPORT ? 1 : o.no_state, &err) != 0) {
            fprintf(stderr, "ctview: %s\n", err ? err : "out of memory");
            rc = err ? 1 : 2;
        } else if (casefile_warning() && mode != MODE_INTERFACE) {
            char shown[600];
            textsafe_escape(casefile_warning(), strlen(casefile_warning()), shown, sizeof shown);
            fprintf(stderr, "ctview: the case cannot be read: %s\n", shown);
        }
        free(err);
        atexit(casefile_close);
    }
    if (rc < 0 && mode != MODE_SQL && mode != MODE_CASE_EXPORT && mode != MODE_CASE_IMPORT) {
        /* what the loader reads: the PATHs, --paths-from's lines, s3:// objects; kept until exit */
        atexit(free_inputs);
        o.s3o.since_ms = o.since;
        o.s3o.until_ms = o.until;
        char idx_opts[64 + 2 * 4096];
        snprintf(idx_opts, sizeof idx_opts, "account %.4096s region %.4096s",
                 o.s3o.accounts ? o.s3o.accounts : "*", o.s3o.regions ? o.s3o.regions : "*");
        savedidx_configure(!o.s3o.no_cache, (o.s3o.cache_cap ? o.s3o.cache_cap : S3OPEN_DEFAULT_CACHE) / 4,
                           idx_opts);
        if (inputs_expand(&in, o.paths, o.npaths, o.paths_from) != 0)
            rc = 3;
        o.paths = (const char *const *)in.paths;
        o.npaths = in.n;
    }
    if (rc < 0)
        rc = modes[mode].run(&o, &modes[mode]);
    free(o.combined);
    return rc;
}
