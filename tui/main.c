/* ctview: a terminal browser for AWS CloudTrail logs. Parses the command line, loads, and hands over to
 * the TUI or to one of the screenless modes. */
#include <getopt.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/query/export.h"
#include "model/query/filter.h"
#include "model/identity/origin.h"
#include "model/index/pathindex.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"
#include "parsers/load.h"
#include "tui/app.h"
#include "tui/cli.h"
#include "tui/signals.h"
#include "tui/cli_sql.h"
#include "tui/inputs.h"

static const char usage[] =
    "usage: ctview [OPTIONS] PATH...\n"
    "\n"
    "Browse AWS CloudTrail logs: files or directories (walked recursively), plain or gzip;\n"
    "'-' reads standard input. Without a mode option, opens the terminal interface.\n"
    "\n"
    "Modes (no screen):\n"
    "  --list          print one line per event, tab-separated: the columns\n"
    "                  time,acct,region,src,name,identity,ip,error,id (see --columns)\n"
    "  --stats         print load counts: files, records, events, duplicates, problems, time, memory\n"
    "  --columns LIST  with --list or --export --format csv: print these columns instead, in this\n"
    "                  order: comma-separated short names and JSON paths\n"
    "                  (requestParameters.roleArn); several values joined by ','; '-' (csv: empty)\n"
    "                  when missing. Short names: every filter field name (origin, rule and level\n"
    "                  included: the rules run when one is asked for), time, and identity: who\n"
    "                  acted, the ARN, else userName, invokedBy, onBehalfOf.userId, type, and\n"
    "                  '(masked user)' for a sign-in AWS masked; acct is recipientAccountId, else\n"
    "                  the trail's account (its S3 name); error is errorCode, else errorMessage,\n"
    "                  else Failure for a failed sign-in\n"
    "  --top FIELD     the most frequent values of FIELD (a short name or a JSON path) over the\n"
    "                  shown events: COUNT<TAB>VALUE lines, by count then value; an event\n"
    "                  counts once per distinct value; with --json one object\n"
    "  -n N            with --top: how many values (default 10)\n"
    "  --json          with --list: each event's JSON on one line; with --stats, --trace, --top,\n"
    "                  --actors or --findings: one JSON object\n"
    "  --export FILE   write the shown events to FILE ('-': standard output), in time order;\n"
    "                  an existing FILE is refused without --force; written to a temporary file,\n"
    "                  fsynced and renamed, mode 0600\n"
    "    --format F    records (default: {\"Records\":[...]} with each event's original bytes),\n"
    "                  jsonl (one minified event per line) or csv (RFC 4180, spreadsheet-safe)\n"
    "    --gzip        compress (gzip, readable by zcat)\n"
    "    --force       replace an existing FILE\n"
    "  --trace EVENT   the identity chain of EVENT (an eventID, or ACCOUNT:EVENTID when several\n"
    "                  accounts logged it): from the origin principal through every role session\n"
    "                  to the event, then every event of its session; with --json one object\n"
    "  --actors        the origins behind the shown events (the principal at the start of each chain:\n"
    "                  person, root, federated or Identity Center user, service), one per line with\n"
    "                  events, sessions, source IPs, errors, first and last time, accounts and roles,\n"
    "                  most events first; with --json one object {\"actors\":[...]}\n"
    "  --findings      run the Sigma rules over the shown events: one line per rule that matched,\n"
    "                  LEVEL<TAB>COUNT<TAB>TITLE[ (N failed)], by level then title; refused rules\n"
    "                  on stderr; with --json one object: rules_loaded, rules_refused, findings\n"
    "  --rules PATH    use the Sigma rules in PATH (a file, or a directory walked for .yml/.yaml)\n"
    "                  instead of the shipped set; may be repeated\n"
    "  -f EXPR         show only the events that match the filter EXPR (see Filters)\n"
    "  --since WHEN    only events at or after WHEN, --until WHEN only events before WHEN: a UTC date\n"
    "  --until WHEN    or date-time (YYYY-MM-DD[THH:MM[:SS]]; a date for --until means through that\n"
    "                  day) or an age (30m, 2h, 7d, 2w); folders and files of the S3 layout named\n"
    "                  outside the range are not opened; with every mode and the interface\n"
    "  --account LIST  --region LIST: s3:// paths list only these accounts and regions of the\n"
    "  --region LIST   AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/ layout (comma-separated)\n"
    "  --paths-from FILE  read more paths or s3:// URLs from FILE, one a line ('-': standard input)\n"
    "  --no-cache      fetch s3:// objects into a private folder removed at exit, not the cache\n"
    "  --cache-size SIZE  cap of the s3:// cache in $XDG_CACHE_HOME/ctview/s3 (default 10G; K, M, G)\n"
    "\n"
    "  --sql           print the filter (-f, --since, --until) as one Trino SQL query for Athena's\n"
    "                  CloudTrail table (partition projection on \"timestamp\"); reads no logs\n"
    "    --table NAME  the table (default cloudtrail_logs)\n"
    "    --select S    events (SELECT *, default) or paths (SELECT DISTINCT \"$path\": the S3 objects)\n"
    "\n"
    "  --follow        (interface) watch the directories and load new log files as they arrive\n"
    "  --tz ZONE       (interface) show times in ZONE: UTC (default), local, an IANA name such as\n"
    "                  Europe/Paris, or a POSIX TZ string\n"
    "  --no-mouse      (interface) leave the mouse to the terminal (its own selection)\n"
    "  --no-state      (interface) do not read or write the histories kept in\n"
    "                  $XDG_STATE_HOME/ctview/state\n"

    "\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n"
    "\n"
    "Filters:\n"
    "  Terms separated by spaces must all hold; OR between terms; -term negates; (...) groups.\n"
    "  field:value compares case-insensitively, '*' matches any run of characters; a bare word\n"
    "  (or \"quoted text\") matches anywhere in the event's JSON. Fields:\n"
    "    name src user acct region type ip key id shared req error ro ua res etype cat role\n"
    "    srcid host origin after before rule level outcome\n"
    "  and any JSON path: a word with a '.', or a top-level key of the CloudTrail record\n"
    "  (requestParameters, resources, tlsDetails, ...); PATH:* = present and not null; an event\n"
    "  matches when any of its values does (resources.ARN: every resource's ARN)\n"

    "  e.g.  name:AssumeRole* src:sts -error:*     ip:192.0.2.0/24 OR ip:2001:db8::/32\n"
    "        user:alice after:2024-03-01T10:00 before:2024-03-02     \"tag:team\"\n"
    "        origin:bob name:Delete*  (every delete Bob caused, through any role, in any account)\n"
    "\n"
    "Exit status: 0 on success; 1 on a usage error, a bad filter (with --sql: a term SQL cannot\n"
    "express), an export that was refused or failed, or an event that cannot be read; 2 when out of\n"
    "memory; 3 when a PATH named on the command line could not be read (the reason is on standard\n"
    "error; the other paths were processed).\n";

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

int main(int argc, char **argv)
{
    enum {
        OPT_LIST = 256,
        OPT_STATS,
        OPT_JSON,
        OPT_EXPORT,
        OPT_FORMAT,
        OPT_GZIP,
        OPT_FORCE,
        OPT_TRACE,
        OPT_SINCE,
        OPT_UNTIL,
        OPT_FOLLOW,
        OPT_TZ,
        OPT_NO_STATE,
        OPT_NO_MOUSE,
        OPT_COLUMNS,
        OPT_TOP,
        OPT_ACTORS,
        OPT_FINDINGS,
        OPT_RULES,
        OPT_SQL,
        OPT_TABLE,
        OPT_SELECT,
        OPT_ACCOUNT,
        OPT_REGION,
        OPT_NO_CACHE,
        OPT_CACHE_SIZE,
        OPT_PATHS_FROM
    };
    static const struct option opts[] = {
        {"list", no_argument, NULL, OPT_LIST},
        {"stats", no_argument, NULL, OPT_STATS},
        {"json", no_argument, NULL, OPT_JSON},
        {"export", required_argument, NULL, OPT_EXPORT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"gzip", no_argument, NULL, OPT_GZIP},
        {"force", no_argument, NULL, OPT_FORCE},
        {"trace", required_argument, NULL, OPT_TRACE},
        {"since", required_argument, NULL, OPT_SINCE},
        {"until", required_argument, NULL, OPT_UNTIL},
        {"follow", no_argument, NULL, OPT_FOLLOW},
        {"account", required_argument, NULL, OPT_ACCOUNT},
        {"region", required_argument, NULL, OPT_REGION},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        {"cache-size", required_argument, NULL, OPT_CACHE_SIZE},
        {"paths-from", required_argument, NULL, OPT_PATHS_FROM},
        {"tz", required_argument, NULL, OPT_TZ},
        {"no-state", no_argument, NULL, OPT_NO_STATE},
        {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"top", required_argument, NULL, OPT_TOP},
        {"actors", no_argument, NULL, OPT_ACTORS},
        {"findings", no_argument, NULL, OPT_FINDINGS},
        {"rules", required_argument, NULL, OPT_RULES},
        {"sql", no_argument, NULL, OPT_SQL},
        {"table", required_argument, NULL, OPT_TABLE},
        {"select", required_argument, NULL, OPT_SELECT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    /* Each input's decoded bytes are a buffer of a megabyte or more, allocated on one thread and freed
     * on another: served by mmap, every one of them cost page faults, and its munmap a TLB shootdown
     * across the loading threads (a fifth of the load's time was in the kernel). Keep them in the heap. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    int no_state = 0, no_mouse = 0;
    const char *tz = NULL;
    int list = 0, stats = 0, json = 0, format_given = 0, follow = 0, actors = 0, findings = 0, c;
    const char *rule_paths[argc > 0 ? argc : 1]; /* the --rules values: at most one per argument */
    size_t nrule_paths = 0;
    const char *expr = NULL, *export_file = NULL, *trace = NULL, *sql_table = NULL, *sql_select = NULL;
    const char *columns = NULL, *top = NULL;
    long top_n = 10;
    int top_n_given = 0, sql = 0;
    int64_t since = INT64_MIN, until = INT64_MAX;
    struct export_opts eo = {EXPORT_RECORDS, 0, 0};
    struct s3open_opts s3o = {0};
    const char *paths_from = NULL;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hVf:n:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            expr = optarg;
            break;
        case ':': {
            if (optopt == 'f')
                return usage_error("-f needs a filter expression");
            char msg[128];
            snprintf(msg, sizeof msg, "%s needs a value", argv[optind - 1]);
            return usage_error(msg);
        }
        case OPT_LIST:
            list = 1;
            break;
        case OPT_STATS:
            stats = 1;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_EXPORT:
            export_file = optarg;
            break;
        case OPT_FORMAT:
            eo.format = export_format_parse(optarg);
            format_given = 1;
            if (eo.format == EXPORT__COUNT) {
                char msg[160];
                snprintf(msg, sizeof msg, "unknown format '%.100s': records, jsonl or csv", optarg);
                return usage_error(msg);
            }
            break;
        case OPT_TRACE:
            trace = optarg;
            break;
        case OPT_FOLLOW:
            follow = 1;
            break;
        case OPT_ACCOUNT:
        case OPT_REGION:
        case OPT_NO_CACHE:
        case OPT_CACHE_SIZE:
        case OPT_PATHS_FROM:
            if (inputs_option((enum inputs_opt)(c - OPT_ACCOUNT), optarg, &s3o, &paths_from) != 0)
                return 1;
            break;
        case OPT_TZ: {
            char why[200], msg[260];
            if (tz_check(optarg, why, sizeof why) != 0) {
                snprintf(msg, sizeof msg, "--tz: %s", why);
                return usage_error(msg);
            }
            tz = optarg;
            break;
        }
        case OPT_NO_STATE:
            no_state = 1;
            break;
        case OPT_NO_MOUSE:
            no_mouse = 1;
            break;

        case OPT_FINDINGS:
            findings = 1;
            break;
        case OPT_RULES:
            rule_paths[nrule_paths++] = optarg;
            break;
        case OPT_COLUMNS:
            columns = optarg;
            break;
        case OPT_TOP:
            top = optarg;
            break;
        case 'n': {
            char *end;
            top_n = strtol(optarg, &end, 10);
            top_n_given = 1;
            if (end == optarg || *end || top_n < 1 || top_n > 1000000000)
                return usage_error("-n takes a count from 1 up");
            break;
        }
        case OPT_ACTORS:
            actors = 1;
            break;
        case OPT_SQL:
            sql = 1;
            break;
        case OPT_TABLE:
            sql_table = optarg;
            break;
        case OPT_SELECT:
            sql_select = optarg;
            break;
        case OPT_SINCE:
        case OPT_UNTIL:
            if (parse_when(optarg, c == OPT_UNTIL, c == OPT_SINCE ? &since : &until) != 0) {
                char msg[200];
                snprintf(msg, sizeof msg,
                         "%s: '%.60s' is not a date (YYYY-MM-DD[THH:MM[:SS]], UTC) or an age (30m, 2h, 7d)",
                         c == OPT_SINCE ? "--since" : "--until", optarg);
                return usage_error(msg);
            }
            break;
        case OPT_GZIP:
            eo.gzip = 1;
            break;
        case OPT_FORCE:
            eo.force = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        case 'V':
            printf("ctview %s\n", CTVIEW_VERSION);
            return 0;
        default: {
            char msg[128];
            if (optopt)
                snprintf(msg, sizeof msg, "unknown option '-%c'", optopt);
            else
                snprintf(msg, sizeof msg, "unknown option '%s'", argv[optind - 1]);
            return usage_error(msg);
        }
        }
    }
    int modes = list + stats + actors + (export_file != NULL) + (trace != NULL) + (top != NULL) + findings;
    if ((sql_table || sql_select) && !sql)
        return usage_error("--table and --select go with --sql");
    if (sql && (modes || json || follow || format_given || eo.gzip || eo.force || columns || top_n_given))
        return usage_error("--sql goes with -f, --since, --until, --table and --select only");
    if (sql && optind < argc)
        return usage_error("--sql reads no logs: give no PATH");
    if (sql && since != INT64_MIN && until != INT64_MAX && since >= until)
        return usage_error("--since must be before --until");
    if (sql)
        return cli_sql(expr, since, until, sql_table, sql_select, stdout);
    if (modes > 1)
        return usage_error(
            "--list, --stats, --actors, --export, --trace, --top and --findings cannot be combined");
    if (json && !list && !stats && !trace && !actors && !top && !findings)
        return usage_error("--json goes with --list, --stats, --actors, --trace, --top or --findings");
    if (columns && !list && !(export_file && eo.format == EXPORT_CSV))
        return usage_error("--columns goes with --list or --export --format csv");
    if (columns && json)
        return usage_error("--columns does not go with --json");
    if (top_n_given && !top)
        return usage_error("-n goes with --top");
    if (expr && trace)
        return usage_error("-f does not go with --trace");
    if (since != INT64_MIN && until != INT64_MAX && since >= until)
        return usage_error("--since must be before --until");
    /* the range prunes folders and files by name, then filters events exactly */
    char range[160] = "", *combined = NULL;
    char tbuf[TIMEFMT_BUF];
    if (since != INT64_MIN)
        snprintf(range, sizeof range, "after:%s", timefmt_format(since, tbuf));
    if (until != INT64_MAX)
        snprintf(range + strlen(range), sizeof range - strlen(range), "%sbefore:%s", range[0] ? " " : "",
                 timefmt_format(until, tbuf));
    const char *user_expr = expr;
    if (range[0]) {
        if (asprintf(&combined, "%s%s%s%s", expr ? "(" : "", expr ? expr : "", expr ? ") " : "", range) < 0) {
            fprintf(stderr, "ctview: out of memory\n");
            return 2;
        }
        expr = combined;
    }
    if ((format_given || eo.gzip || eo.force) && !export_file)
        return usage_error("--format, --gzip and --force go with --export");
    if (optind >= argc && !paths_from)
        return usage_error("no PATH given");
    if (follow && modes)
        return usage_error("--follow is for the terminal interface");
    if ((tz || no_state || no_mouse) && modes)
        return usage_error("--tz and --no-state are for the terminal interface (the modes print CloudTrail's "
                           "UTC times)");
    if (user_expr && !modes)
        return usage_error("-f goes with --list, --stats, --actors, --export or --findings (in the terminal "
                           "interface, press /)");
    s3o.since_ms = since;
    s3o.until_ms = until;
    /* the inputs live until exit: every return below reads them */
    atexit(free_inputs);
    if (inputs_expand(&in, (const char *const *)argv + optind, (size_t)(argc - optind), paths_from, &s3o) != 0) {
        free(combined);
        return 3;
    }
    const char *const *paths = (const char *const *)in.paths;
    size_t npaths = in.n;

    if (!modes) {
        struct app_start start = {
            since, until, range[0] ? range : NULL, follow, rule_paths, nrule_paths, tz, no_state, no_mouse,
            &in.problems};
        return app_run(paths, npaths, &start);
    }

    signals_install(); /* a signal removes an export's temporary file; a write past ulimit -f is an error */
    struct store *s = store_new();
    if (!s) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    /* A bad expression is reported before a long load, not after (the user's own, for its columns). */
    int rc = user_expr ? run_filter(s, user_expr, NULL) : 0;
    if (rc != 0) {
        store_free(s);
        return rc;
    }
    /* Columns and the --top field are checked before the load too. */
    struct field *cols = NULL, top_field;
    size_t ncols = 0;
    struct field_error ferr;
    if (columns && field_list_parse(columns, &cols, &ncols, &ferr) != 0) {
        fprintf(stderr, "ctview: --columns: %s\n", ferr.message);
        store_free(s);
        return 1;
    }
    if (top && field_parse(top, strlen(top), &top_field, &ferr) != 0) {
        fprintf(stderr, "ctview: --top: %s\n", ferr.message);
        field_list_free(cols, ncols);
        store_free(s);
        return 1;
    }
    double t0 = now_seconds();
    if (load_paths_range(s, paths, npaths, since, until, NULL, NULL) != 0) {
        fprintf(stderr, "ctview: out of memory while loading\n");
        if (top)
            field_free(&top_field);
        field_list_free(cols, ncols);
        store_free(s);
        return 2;
    }
    double secs = now_seconds() - t0;
    size_t unfetched = problems_count(&in.problems, PROBLEM_FILE);
    problems_take(&s->problems, &in.problems); /* objects S3 would not give */
    size_t unread = cli_report_unread(s, paths, npaths, stderr) + unfetched;
    struct cli_shown shown = {.all = 1};
    struct filter_run run = {0};
    /* Rules run before the filter: -f rule:... and level:... select by their findings. */
    struct sigma_set *rules = NULL;
    struct findings *found = NULL;
    int need_rules = findings || (top && (field_needs(&top_field) & FIELD_NEEDS_FINDINGS));
    for (size_t c = 0; c < ncols; c++)
        need_rules |= (field_needs(&cols[c]) & FIELD_NEEDS_FINDINGS) != 0;
    if (user_expr && !need_rules) {
        struct filter_error ferr;
        struct filter *probe = filter_compile(user_expr, s, &ferr);
        need_rules = probe && filter_uses_findings(probe);
        filter_free(probe);
    }
    if (need_rules) {
        rc = run_rules(s, rule_paths, nrule_paths, &rules, &found);
        if (rc == 0)
            s->findings = found;
    }
    if (expr && rc == 0) {
        rc = run_filter(s, expr, &run);
        shown = (struct cli_shown){0, run.shown, run.nshown};
    }
    if (rc == 0 && trace)
        rc = cli_trace(s, trace, stdout, json);
    else if (rc == 0 && actors)
        rc = cli_actors(s, &shown, stdout, json);
    else if (rc == 0 && findings)
        rc = cli_findings(s, &shown, found, stdout, json);
    else if (rc == 0 && export_file)
        rc = run_export(s, &shown, export_file, &eo, cols, ncols);
    else if (rc == 0 && top)
        rc = cli_top(s, &shown, &top_field, top, (size_t)top_n, stdout, json);
    else if (rc == 0 && cols)
        rc = cli_list_columns(s, &shown, cols, ncols, stdout);
    else if (rc == 0)
        rc = list ? cli_list(s, &shown, stdout, json) : cli_stats(s, &shown, stdout, json, secs);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        /* a full disk or a closed pipe: the output is incomplete, which the exit status alone hides */
        fprintf(stderr, "ctview: cannot write the output: %s\n", errno ? strerror(errno) : "write error");
        if (rc == 0)
            rc = 1;
    }
    if (rc == 0 && unread)
        rc = 3;
    size_t unreadable = 0;
    const char *why = pathindex_problem(s, &unreadable);
    if (why) {
        /* a path's value for these events is not known: said, not shown as missing without a word */
        fprintf(stderr, "ctview: %zu events not read for a path: %s\n", unreadable, why);
        if (rc == 0)
            rc = 1;
    }
    filter_run_free(&run);
    if (top)
        field_free(&top_field);
    field_list_free(cols, ncols);
    findings_free(found);
    sigma_set_free(rules);
    store_free(s);
    free(combined);
    return rc;
}
