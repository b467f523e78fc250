/* cli_findings: --rules and --findings: the rule set in force, and what it found among the shown events. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/json/jsonout.h"
#include "model/store/intern.h"
#include "model/present/textsafe.h"
#include "model/identity/trace.h"
#include "tui/cli.h"

#ifndef CTVIEW_RULES_DIR
#define CTVIEW_RULES_DIR "/usr/local/share/ctview/rules"
#endif

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_default_rules(char *out, size_t cap)
{
    if (!out || cap == 0)
        return -1;
    /* Beside the binary (a build tree: meson copies rules/ there), then the installed share folder
     * relative to the binary (a moved prefix), then the configured one. */
    if (!out || !cap)
        return -1;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, cap, "%s/rules", exe);
            if (is_dir(out))
                return 0;
            snprintf(out, cap, "%s/../share/ctview/rules", exe);
            if (is_dir(out))
                return 0;
        }
    }
    snprintf(out, cap, "%s", CTVIEW_RULES_DIR);
    return is_dir(out) ? 0 : -1;
}

struct sigma_loader *cli_rules_loader(struct sigma_set *set, const char *const *paths, size_t n)
{
    char dflt[PATH_MAX + 32];
    const char *one = dflt;
    if (n == 0) {
        if (cli_default_rules(dflt, sizeof dflt) != 0) {
            if (sigma_set_refuse(set, dflt, 0, "the shipped rules are not installed") != 0)
                return NULL;
            return sigma_loader_new(set, NULL, 0);
        }
        paths = &one;
        n = 1;
    }
    return sigma_loader_new(set, paths, n);
}

struct sigma_set *cli_load_rules(const char *const *paths, size_t n)
{
    struct sigma_set *set = sigma_set_new();
    struct sigma_loader *l = set ? cli_rules_loader(set, paths, n) : NULL;
    int rc = 0;
    while (l && rc == 0)
        rc = sigma_loader_step(l);
    sigma_loader_free(l);
    if (!l || rc < 0) {
        sigma_set_free(set);
        return NULL;
    }
    return set;
}

static void put_safe(FILE *out, const char *s)
{
    char *e = textsafe_escape_dup(s, strlen(s));
    fputs(e ? e : "?", out);
    free(e);
}

/* Whether a refusal is a path that could not be read rather than a rule refused for its content:
 * model/detect/sigma_files.c words every such refusal "cannot read...". */
static int refusal_unread(const struct sigma_refusal *r)
{
    return strncmp(r->reason, "cannot read", 11) == 0;
}

size_t cli_report_unread_rules(const struct sigma_set *set, FILE *err)
{
    size_t n = 0;
    for (size_t i = 0; set && i < sigma_set_refused(set); i++) {
        const struct sigma_refusal *r = sigma_set_refusal(set, i);
        if (!refusal_unread(r))
            continue;
        fputs("ctview: --rules ", err);
        put_safe(err, r->file);
        fputs(": ", err);
        put_safe(err, r->reason);
        fputc('\n', err);
        n++;
    }
    return n;
}

/* An event's key as a JSON string, as in --trace: "ACCOUNT:EVENTID"; a comma before it unless first. */
static void put_event_key(FILE *out, const struct store *s, size_t ev, int first)
{
    const char *acct = intern_str(s->strings, trace_event_account(s, ev));
    const char *id = store_str(s, &s->events[ev], EF_EVENT_ID);
    fputs(first ? "\"" : ",\"", out);
    jsonout_chars(out, acct, strlen(acct));
    fputc(':', out);
    jsonout_chars(out, id, strlen(id));
    fputc('"', out);
}

/* The events of rule r that are shown: a filtered copy of its list (owned), or its list itself. */
static const uint32_t *shown_events(const struct findings *f, size_t r, const uint8_t *shown_mask,
                                    uint32_t *scratch, size_t *n)
{
    const uint32_t *ev = findings_rule_events(f, r, n);
    if (!shown_mask)
        return ev;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (shown_mask[ev[i]])
            scratch[k++] = ev[i];
    *n = k;
    return scratch;
}

int cli_findings(struct store *s, const struct cli_shown *shown, const struct findings *f, FILE *out,
                 int json)
{
    const struct sigma_set *set = findings_set(f);
    size_t nrules = sigma_set_count(set);
    uint32_t *order = malloc((nrules ? nrules : 1) * sizeof *order);
    uint32_t *scratch = malloc((s->nevents ? s->nevents : 1) * sizeof *scratch);
    uint8_t *mask = NULL;
    if (!shown->all)
        mask = calloc(s->nevents ? s->nevents : 1, 1);
    if (!order || !scratch || (!shown->all && !mask)) {
        free(order);
        free(scratch);
        free(mask);
        fprintf(stderr, "ctview: out of memory\n");
        return 2;
    }
    for (size_t i = 0; mask && i < shown->n; i++)
        mask[shown->idx[i]] = 1;
    size_t nsorted = findings_sorted(f, order);
    if (json) {
        fprintf(out, "{\"rules_loaded\":%zu,\"rules_refused\":[", nrules);
        for (size_t i = 0; i < sigma_set_refused(set); i++) {
            const struct sigma_refusal *r = sigma_set_refusal(set, i);
            fputs(i ? ",{\"file\":" : "{\"file\":", out);
            jsonout_string(out, r->file, strlen(r->file));
            fprintf(out, ",\"line\":%d,\"reason\":", r->line);
            jsonout_string(out, r->reason, strlen(r->reason));
            fputc('}', out);
        }
        fputs("],\"findings\":[", out);
    }
    int first = 1;
    for (size_t k = 0; k < nsorted; k++) {
        const struct sigma_rule *rule = sigma_set_rule(set, order[k]);
        size_t n;
        const uint32_t *ev = shown_events(f, order[k], mask, scratch, &n);
        if (n == 0)
            continue;
        size_t failed = 0; /* attempts among the shown events (findings_event_attempt) */
        for (size_t i = 0; i < n; i++)
            failed += (size_t)findings_event_attempt(f, ev[i]);
        if (!json) {
            fprintf(out, "%s\t%zu\t", sigma_level_name(sigma_rule_level(rule)), n);
            put_safe(out, sigma_rule_title(rule));
            if (failed)
                fprintf(out, " (%zu failed)", failed);
            fputc('\n', out);
            continue;
        }
        fputs(first ? "{\"id\":" : ",{\"id\":", out);
        first = 0;
        if (sigma_rule_id(rule)[0])
            jsonout_string(out, sigma_rule_id(rule), strlen(sigma_rule_id(rule)));
        else
            fputs("null", out);
        fputs(",\"title\":", out);
        jsonout_string(out, sigma_rule_title(rule), strlen(sigma_rule_title(rule)));
        fprintf(out, ",\"level\":\"%s\",\"events\":[", sigma_level_name(sigma_rule_level(rule)));
        for (size_t i = 0; i < n; i++)
            put_event_key(out, s, ev[i], i == 0);
        /* the events whose call failed: a subset of "events", in the same order */
        fputs("],\"failed\":[", out);
        for (size_t i = 0, k = 0; i < n && k < failed; i++)
            if (findings_event_attempt(f, ev[i]))
                put_event_key(out, s, ev[i], k++ == 0);
        fputs("]}", out);
    }
    if (json) {
        fputs("]}\n", out);
    } else {
        for (size_t i = 0; i < sigma_set_refused(set); i++) {
            const struct sigma_refusal *r = sigma_set_refusal(set, i);
            if (refusal_unread(r))
                continue; /* said by cli_report_unread_rules, with the exit status */
            fputs("ctview: rule refused: ", stderr);
            put_safe(stderr, r->file);
            if (r->line)
                fprintf(stderr, ":%d", r->line);
            fputs(": ", stderr);
            put_safe(stderr, r->reason);
            fputc('\n', stderr);
        }
        if (sigma_set_ignored(set))
            fprintf(stderr, "ctview: %zu rule%s for other log sources ignored\n", sigma_set_ignored(set),
                    sigma_set_ignored(set) == 1 ? "" : "s");
    }
    if (findings_read_errors(f))
        fprintf(stderr, "ctview: %zu event%s could not be read for the rules\n", findings_read_errors(f),
                findings_read_errors(f) == 1 ? "" : "s");
    free(order);
    free(scratch);
    free(mask);
    return 0;
}
