/* ctview: a terminal browser for AWS CloudTrail logs. Parses the command line, loads, and hands over to
 * the TUI or to one of the screenless modes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/filter.h"
#include "parsers/load.h"
#include "tui/app.h"
#include "tui/cli.h"

static const char usage[] =
    "usage: ctview [OPTIONS] PATH...\n"
    "\n"
    "Browse AWS CloudTrail logs: files or directories (walked recursively), plain or gzip;\n"
    "'-' reads standard input. Without a mode option, opens the terminal interface.\n"
    "\n"
    "Modes (no screen):\n"
    "  --list          print one line per event, tab-separated: eventTime, recipientAccountId,\n"
    "                  awsRegion, eventSource, eventName, identity, sourceIPAddress, errorCode, eventID\n"
    "  --stats         print load counts: files, records, events, duplicates, problems, time, memory\n"
    "  --json          with --list: each event's JSON on one line; with --stats: one JSON object\n"
    "  -f EXPR         show only the events that match the filter EXPR (see Filters)\n"
    "\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n"
    "\n"
    "Filters:\n"
    "  Terms separated by spaces must all hold; OR between terms; -term negates; (...) groups.\n"
    "  field:value compares case-insensitively, '*' matches any run of characters; a bare word\n"
    "  (or \"quoted text\") matches anywhere in the event's JSON. Fields:\n"
    "    name src user acct region type ip key id shared req error ro ua res etype cat role\n"
    "    srcid host after before\n"
    "  e.g.  name:AssumeRole* src:sts -error:*     ip:192.0.2.0/24 OR ip:2001:db8::/32\n"
    "        user:alice after:2024-03-01T10:00 before:2024-03-02     \"tag:team\"\n"
    "\n"
    "Exit status: 0 on success, 1 on a usage error or when an event cannot be read, 2 when out of memory.\n";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "ctview: %s (try 'ctview --help')\n", msg);
    return 1;
}

/* Compiles expr and, when run is given, runs it over the store into *run. Returns 0, or the exit
 * status after printing why: 1 for a bad expression, 2 when out of memory. */
static int run_filter(const struct store *s, const char *expr, struct filter_run *run)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, s, &err);
    if (!f) {
        fprintf(stderr, "ctview: -f: %s\n", err.message);
        return err.column ? 1 : 2;
    }
    int rc = 0;
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

int main(int argc, char **argv)
{
    enum { OPT_LIST = 256, OPT_STATS, OPT_JSON };
    static const struct option opts[] = {
        {"list", no_argument, NULL, OPT_LIST}, {"stats", no_argument, NULL, OPT_STATS},
        {"json", no_argument, NULL, OPT_JSON}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},   {NULL, 0, NULL, 0},
    };
    int list = 0, stats = 0, json = 0, c;
    const char *expr = NULL;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hVf:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            expr = optarg;
            break;
        case ':':
            return usage_error("-f needs a filter expression");
        case OPT_LIST:
            list = 1;
            break;
        case OPT_STATS:
            stats = 1;
            break;
        case OPT_JSON:
            json = 1;
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
    if (list && stats)
        return usage_error("--list and --stats cannot be combined");
    if (json && !list && !stats)
        return usage_error("--json goes with --list or --stats");
    if (optind >= argc)
        return usage_error("no PATH given");
    if (expr && !list && !stats)
        return usage_error("-f goes with --list or --stats (in the terminal interface, press /)");
    const char *const *paths = (const char *const *)argv + optind;
    size_t npaths = (size_t)(argc - optind);

    if (!list && !stats)
        return app_run(paths, npaths);

    struct store *s = store_new();
    if (!s) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    /* A bad expression is reported before a long load, not after. */
    int rc = expr ? run_filter(s, expr, NULL) : 0;
    if (rc != 0) {
        store_free(s);
        return rc;
    }
    double t0 = now_seconds();
    if (load_paths(s, paths, npaths, NULL, NULL) != 0) {
        fprintf(stderr, "ctview: out of memory while loading\n");
        store_free(s);
        return 2;
    }
    double secs = now_seconds() - t0;
    struct cli_shown shown = {.all = 1};
    struct filter_run run = {0};
    if (expr) {
        rc = run_filter(s, expr, &run);
        shown = (struct cli_shown){0, run.shown, run.nshown};
    }
    if (rc == 0)
        rc = list ? cli_list(s, &shown, stdout, json) : cli_stats(s, &shown, stdout, json, secs);
    if (fflush(stdout) != 0 && rc == 0)
        rc = 1;
    filter_run_free(&run);
    store_free(s);
    return rc;
}
