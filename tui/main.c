/* ctview: a terminal browser for AWS CloudTrail logs. main reads the command line (tui/options.h) and
 * hands over to one mode (the table modes): the interface, --sql, or a mode that loads the logs and
 * prints (with_logs, then the mode's print). */
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
#include "model/present/textsafe.h"
#include "parsers/load.h"
#include "parsers/savedidx.h"
#include "tui/app.h"
#include "tui/casefile.h"
#include "tui/cli.h"
#include "tui/signals.h"
#include "tui/cli_sql.h"
#include "tui/inputs.h"
#include "tui/options.h"

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

/* How many events a regular expression's give-ups kept out of shown (n of them, from a run of expr):
 * those a second run that lets them in adds (filter_regex_bound). Returns 0, or -1 when out of memory. */
static int count_undecided(struct store *s, const char *expr, size_t shown, size_t *out)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, s, &err);
    if (!f)
        return -1; /* compiled once already: only memory fails */
    filter_regex_bound(f, 1);
    struct filter_run r;
    filter_run_init(&r, f);
    int rc = filter_run_all(&r);
    *out = rc == 0 && r.nshown > shown ? r.nshown - shown : 0;
    filter_run_free(&r);
    filter_free(f);
    return rc;
}

/* Compiles expr and, when run is given, runs it over the store into *run, and sets *undecided (when
 * not NULL) to the events a regular expression could not decide (a bound reached), said on stderr: left
 * out of the run. Returns 0, or the exit status after printing why: 1 for a bad expression, 2 when out
 * of memory. */
static int run_filter(struct store *s, const char *expr, struct filter_run *run, size_t *undecided)
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
        size_t left = 0;
        if (rc == 0 && filter_regex_gave_up(f, re, sizeof re)) {
            rc = count_undecided(s, expr, run->nshown, &left);
            if (rc != 0)
                fprintf(stderr, "ctview: out of memory while filtering\n");
        }
        if (left) /* a give-up that decided no event's result changes nothing: not worth a word */
            fprintf(stderr,
                    "ctview: -f: the regular expression %s gave up on %zu event%s (PCRE2's match limit of %u "
                    "steps, or its depth or heap limit, reached): left out of the output whether they "
                    "match or not, so it is incomplete\n",
                    re, left, left == 1 ? "" : "s", FILTER_RE_MATCH_LIMIT);
        if (undecided)
            *undecided = left;
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
        fprintf(stderr, "ctview: wrote %s, %s\n", file, err ? err : "left out some events");
        free(err);
        return 1;
    }
    if (strcmp(file, "-") != 0)
        fprintf(stderr, "ctview: wrote %zu event%s to %s (%s%s)\n", n, n == 1 ? "" : "s", file,
                export_format_name(o->format), o->gzip ? ", gzip" : "");
    return 0;
}

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
    double secs;      /* the load's time */
    size_t undecided; /* events -f could not decide (a regular expression's bound), left out */
};

/* What each mode runs (tui/options.h names the modes and their options). */
struct mode_ops {
    int rules; /* runs the rules whatever the filter */
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
    int rc = o->user_expr ? run_filter(l->s, o->user_expr, NULL, NULL) : 0;
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
        rc = run_filter(l->s, o->expr, &l->run, &l->undecided);
        l->shown = (struct cli_shown){0, l->run.shown, l->run.nshown, l->undecided};
    }
    return rc;
}

/* A log mode: checks, loads the paths, selects the shown events and prints them with m->print. The
 * status: the mode's, else 1 when standard output could not be written, 3 when a PATH (or a --rules
 * path the mode read) could not be read, 1 when some events could not be read for a path the output
 * needed or -f could not decide some (a regular expression gave up on them). */
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
    if (rc == 0 && l.undecided)
        rc = 1; /* the output lacks events it may have held: said above, in run_filter */
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
        int rc = empty ? run_filter(empty, o->user_expr, NULL, NULL) : 2;
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

static int run_case_export(const struct options *o, const struct mode_ops *m)
{
    (void)m;
    char *err = NULL;
    if (!operands_readable(o)) /* as --case-import: the case of logs that are not there is a typo's */
        return 3;
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

static int run_case_import(const struct options *o, const struct mode_ops *m)
{
    (void)m;
    char *err = NULL;
    size_t changed = 0;
    if (!operands_readable(o))
        return 3;
    int rc = casefile_import(o->case_import, &changed, &err);
    char shown[1200];
    if (err) /* it may quote an event's key, as logged */
        textsafe_escape(err, strlen(err), shown, sizeof shown);
    if (rc < 0) {
        fprintf(stderr, "ctview: --case-import: %s\n", err ? shown : "out of memory");
        free(err);
        return 1;
    }
    const struct ctcase *c = app_case();
    fprintf(stderr, "ctview: merged %s into the case '%s': %zu event%s added or changed, %zu in all (%s)\n",
            o->case_import, c->name, changed, changed == 1 ? "" : "s", case_count(c), casefile_path());
    if (rc > 0)
        fprintf(stderr, "ctview: --case-import: %s\n", shown);
    free(err);
    return rc > 0 ? 1 : 0;
}

/* Whether the run reads the case: --report (its tags and notes), --case-export, or a filter, column
 * or --top that names a case field. A word check: it may say so of a filter that does not (then the
 * run stops only when the case cannot be read). */
static int needs_case(const struct options *o, enum mode mode)
{
    if (mode == MODE_REPORT || mode == MODE_CASE_EXPORT || mode == MODE_CASE_IMPORT)
        return 1;
    const char *v[] = {o->user_expr, o->columns, o->top};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        if (v[i] && (strstr(v[i], "tag") || strstr(v[i], "note") || strstr(v[i], "marked")))
            return 1;
    return 0;
}

static const struct mode_ops modes[MODE__COUNT] = {
    [MODE_LIST] = {0, with_logs, print_list},
    [MODE_STATS] = {0, with_logs, print_stats},
    [MODE_ACTORS] = {0, with_logs, print_actors},
    [MODE_EXPORT] = {0, with_logs, print_export},
    [MODE_TRACE] = {0, with_logs, print_trace},
    [MODE_TOP] = {0, with_logs, print_top},
    [MODE_FINDINGS] = {1, with_logs, print_findings},
    [MODE_REPORT] = {1, with_logs, print_report},
    [MODE_SQL] = {0, run_sql, NULL},
    [MODE_CASE_EXPORT] = {0, run_case_export, NULL},
    [MODE_CASE_IMPORT] = {0, run_case_import, NULL},
    [MODE_INTERFACE] = {0, run_interface, NULL},
};

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
    int rc = options_parse(argc, argv, &o, &mode);
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
            if (needs_case(&o, mode)) /* its answer without the case would be wrong, not empty */
                rc = 1;
        } else if (casefile_notice() && mode != MODE_INTERFACE) {
            char shown[1200];
            textsafe_escape(casefile_notice(), strlen(casefile_notice()), shown, sizeof shown);
            fprintf(stderr, "ctview: the case: %s\n", shown);
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
