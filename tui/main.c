/* ctview: a terminal browser for AWS CloudTrail logs. Parses the command line, loads, and hands over to
 * the TUI or to one of the screenless modes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
    "\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n"
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

int main(int argc, char **argv)
{
    enum { OPT_LIST = 256, OPT_STATS, OPT_JSON };
    static const struct option opts[] = {
        {"list", no_argument, NULL, OPT_LIST}, {"stats", no_argument, NULL, OPT_STATS},
        {"json", no_argument, NULL, OPT_JSON}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},   {NULL, 0, NULL, 0},
    };
    int list = 0, stats = 0, json = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
        switch (c) {
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
    const char *const *paths = (const char *const *)argv + optind;
    size_t npaths = (size_t)(argc - optind);

    if (!list && !stats)
        return app_run(paths, npaths);

    struct store *s = store_new();
    if (!s) {
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    double t0 = now_seconds();
    if (load_paths(s, paths, npaths, NULL, NULL) != 0) {
        fprintf(stderr, "ctview: out of memory while loading\n");
        store_free(s);
        return 2;
    }
    double secs = now_seconds() - t0;
    int rc = list ? cli_list(s, stdout, json) : cli_stats(s, stdout, json, secs);
    if (fflush(stdout) != 0)
        rc = 1;
    store_free(s);
    return rc;
}
