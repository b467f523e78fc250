/* cli: the modes that run without a screen (--list, --stats), for scripts and tests. */
#ifndef CTVIEW_CLI_H
#define CTVIEW_CLI_H

#include <stdio.h>

#include "model/query/field.h"
#include "model/detect/findings.h"
#include "model/detect/sigma.h"
#include "model/store/store.h"

/* The events a command shows: indexes into the store in time order, or every event when all is set. */
struct cli_shown {
    int all;
    const uint32_t *idx; /* borrowed */
    size_t n;
    size_t undecided; /* events -f could not decide (a regular expression gave up on them): left out */
};

/* Prints one line per shown event in time order: the cells of the default columns (FIELD_LIST_DEFAULT of
 * model/query/field.h: time, account, region, source, name, identity, source IP, error, eventID) exactly
 * as cli_list_columns prints them. With json, each event's original bytes on one line instead. Returns
 * 0, 1 when an event's bytes cannot be read, 2 when out of memory. */
int cli_list(struct store *s, const struct cli_shown *shown, FILE *out, int json);

/* Prints one line per shown event with the cells of cols[0..ncols) (--columns), tab-separated: every value
 * of the field joined by ',', '-' for a missing or empty one, log text escaped. Returns 0, 1 when an
 * event's bytes cannot be read, 2 when out of memory. */
int cli_list_columns(struct store *s, const struct cli_shown *shown, struct field *cols, size_t ncols,
                     FILE *out);

/* Prints the `top` most frequent values of field f (named name on the command line) over the shown
 * events: "COUNT<TAB>VALUE" lines, by count descending then value ascending; with json one object
 * {"field":F,"events":E,"distinct":D,"missing":M,"top":[{"value":V,"count":C},...]}. An event counts
 * once per distinct value; events without a value count as missing and are not listed. Returns 0, or 2
 * when out of memory. */
int cli_top(struct store *s, const struct cli_shown *shown, struct field *f, const char *name, size_t top,
            FILE *out, int json);

/* Prints the load counts and the number of shown events, as one JSON object when json is set. */
int cli_stats(const struct store *s, const struct cli_shown *shown, FILE *out, int json, double load_seconds);

/* Prints the identity chain of the event named by spec ("EVENTID" or "ACCOUNT:EVENTID") as a tree, or
 * as one JSON object. Returns 0; 1 when no event or several match (they are listed on stderr); 2 when
 * out of memory. */
int cli_trace(struct store *s, const char *spec, FILE *out, int json);

/* Writes into out the folder of the shipped rules: rules/ beside the binary (a build tree), else
 * ../share/ctview/rules from it, else the configured install folder. Returns 0, or -1 when none exists
 * (out then names the configured one). */
int cli_default_rules(char *out, size_t cap);

/* Reads the rules at paths[0..n) (files or directories), or the shipped rules when n is 0. Returns the
 * set (owned) with its refusals, or NULL when out of memory. */
struct sigma_set *cli_load_rules(const char *const *paths, size_t n);

/* Names on err each rule path of set (NULL: none) that could not be read (missing, unreadable, a
 * dangling link), one line each; returns how many: the caller's exit status is 3 when there are any. */
size_t cli_report_unread_rules(const struct sigma_set *set, FILE *err);

/* The same a file at a time: a loader of those rules into set (sigma_loader_step), owned by the caller,
 * or NULL when out of memory. */
struct sigma_loader *cli_rules_loader(struct sigma_set *set, const char *const *paths, size_t n);

/* --findings: for each rule that matched shown events, by level then title, `LEVEL<TAB>COUNT<TAB>TITLE`
 * and the refusals on stderr; with json one object {"rules_loaded", "rules_refused", "findings"}.
 * f must be complete. Returns 0, or 2 when out of memory. */
int cli_findings(struct store *s, const struct cli_shown *shown, const struct findings *f, FILE *out,
                 int json);

/* Prints, over the shown events, one line per origin (actor) as a table, or with json one object
 * {"actors":[{"type","arn","account","events","sessions","accounts","roles","first","last","ips",
 * "errors"},...]} sorted by events, most first, then by arn (model/identity/actors.h). Computes the store's
 * origins first. Returns 0, or 2 when out of memory. */
int cli_actors(struct store *s, const struct cli_shown *shown, FILE *out, int json);

/* Writes s as a JSON string, or null when empty or NULL. */
void cli_json_string(FILE *out, const char *s);
/* Prints "ctview: PATH: reason" on err for each of paths[0..n) that could not be read at all (see
 * problems_unread; "-" is never one), escaped. Returns how many. */
size_t cli_report_unread(const struct store *s, const char *const *paths, size_t n, FILE *err);

/* Prints "ctview: FILE byte N: reason" on err for each problem of s from row `from` on (those a step
 * after the load added, such as a rule's regular expression giving up on an event), escaped. */
void cli_report_problems(const struct store *s, size_t from, FILE *err);

/* Peak resident set size of this process in bytes. */
long long cli_peak_rss_bytes(void);

struct ctcase;

/* --report FILE: the Markdown report (model/query/report.h) of the shown events c marks, else of every
 * shown event; filter (or NULL) is what chose them; an existing FILE is replaced only with force.
 * Returns the exit status after saying what was written or why not. */
int cli_report(struct store *s, const struct cli_shown *shown, const struct ctcase *c, const char *filter,
               const char *file, int force);

#endif
