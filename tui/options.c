/* options: the command line read into struct options, option by option from one table (opts), then
 * checked for which options go together (check_options), in the order the messages have always been
 * given. */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/base/timefmt.h"
#include "model/base/tz.h"
#include "tui/inputs.h"
#include "tui/options.h"
#include "tui/usage.h"

static int usage_error(const char *msg)
{
    fprintf(stderr, "ctview: %s (try 'ctview --help')\n", msg);
    return 1;
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

/* What the option checks need to know of each mode. */
static const struct {
    const char *flag; /* the option that chooses it ("" for the interface) */
    int json;         /* takes --json */
} mode_info[MODE__COUNT] = {
    [MODE_LIST] = {"--list", 1},
    [MODE_STATS] = {"--stats", 1},
    [MODE_ACTORS] = {"--actors", 1},
    [MODE_EXPORT] = {"--export", 0},
    [MODE_TRACE] = {"--trace", 1},
    [MODE_TOP] = {"--top", 1},
    [MODE_FINDINGS] = {"--findings", 1},
    [MODE_REPORT] = {"--report", 0},
    [MODE_SQL] = {"--sql", 0},
    [MODE_CASE_EXPORT] = {"--case-export", 0},
    [MODE_CASE_IMPORT] = {"--case-import", 0},
    [MODE_INTERFACE] = {"", 0},
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
        [INPUTS_ACCOUNT] = "account",       [INPUTS_REGION] = "region",
        [INPUTS_NO_CACHE] = "no-cache",     [INPUTS_CACHE_SIZE] = "cache-size",
        [INPUTS_PATHS_FROM] = "paths-from",
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
                         left == 0 && len ? " " : "", mode_info[m].flag);
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
        json_modes |= mode_info[m].json ? MODE_BIT(m) : 0;
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
    if ((o->format_given || o->eo.gzip || (o->eo.force && !o->case_export && !o->report_file)) &&
        !o->export_file)
        return usage_error(
            "--format, --gzip and --force go with --export (--force with --report and --case-export too)");
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

int options_parse(int argc, char **argv, struct options *o, enum mode *mode)
{
    int rc = parse_options(argc, argv, o);
    return rc < 0 ? check_options(o, mode) : rc;
}
