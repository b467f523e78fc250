/* The ':' command line (vi, lnav): a prompt above the status line with completion (Tab) and a history
 * (Up/Down, kept between runs). What the commands are, their arguments and help, is model/command's
 * table; this pane runs them. A command that fails leaves the line open with the reason under it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/index/pathseen.h"
#include "model/query/command.h"
#include "model/query/export.h"
#include "model/query/filter.h"
#include "model/query/goto.h"
#include "model/query/report.h"
#include "model/base/timefmt.h"
#include "model/query/evcase.h"
#include "model/state/case.h"
#include "tui/app.h"
#include "tui/casefile.h"
#include "tui/draw.h"
#include "tui/filterbar.h"
#include "tui/marks.h"
#include "tui/theme.h"

/* The line holds a :note of the longest a case keeps, with its command ("note " and the text). */
_Static_assert(PROMPT_MAX > CASE_MAX_NOTE + 16, "the command line holds the longest note");

/* The pane's state: the line being typed and what to show under it. */
struct cmdline {
    struct prompt line;
    char info[512]; /* completions, or why the command failed */
    int error;      /* info is an error */
};

static int cmd_open(struct app *a, void *st)
{
    struct cmdline *c = st;
    prompt_open(&c->line, "", &a->cmd_hist);
    c->info[0] = '\0';
    curs_set(1);
    return 0;
}

static void cmd_close(struct app *a, void *st)
{
    (void)a;
    (void)st;
    curs_set(0);
}

static void cmd_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    struct cmdline *c = st;
    draw_fill(a->win, r.y + 1, r.x, r.w, theme_attr(R_NORMAL));
    if (c->info[0])
        draw_str(a->win, r.y + 1, r.x, r.w, c->info, theme_attr(c->error ? R_ERROR : R_TITLE));
    prompt_draw(&c->line, a->win, r.y, r.x, r.w, ":", theme_attr(R_NORMAL));
}

static int fail(struct cmdline *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cmdline *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->info, sizeof c->info, fmt, ap);
    va_end(ap);
    c->error = 1;
    return -1;
}

static int run_goto(struct app *a, struct cmdline *c, const char *arg)
{
    struct goto_target t;
    char err[256];
    if (goto_parse(arg, &a->tz, &t, err, sizeof err) != 0)
        return fail(c, "%s", err);
    size_t n = app_count(a);
    if (!n)
        return fail(c, "no event is shown");
    if (t.kind == GOTO_RELATIVE && a->store->events[app_event(a, a->list.cur)].time_ms == TIME_NONE)
        return fail(c, "the selected event has no time to count from");
    if (a->sort.order && (t.kind == GOTO_TIME || t.kind == GOTO_RELATIVE)) {
        /* sorted: a time goes to the first event at or after it in time order, wherever the sort put
         * it (goto_row works on the shown list, which stays in time order) */
        size_t pos = goto_row(&t, a->store, a->shown.idx, n, a->sort.order[a->list.cur]);
        a->list.cur = pos < a->sort.n ? a->sort.row_of[pos] : pos;
        app_message(a, "#%zu: the first event at or after that time (the list is sorted by %s)",
                    a->list.cur + 1, a->sort.name);
        return 0;
    }
    a->list.cur = goto_row(&t, a->store, a->shown.idx, n, a->list.cur);
    app_message(a, "#%zu", a->list.cur + 1);
    return 0;
}

/* :sort [COLUMN [asc|desc]]: no column is time order. */
static int run_sort(struct app *a, struct cmdline *c, const struct cmd_call *call)
{
    int desc = 0;
    if (call->argc > 1) {
        if (strcmp(call->argv[1], "desc") != 0 && strcmp(call->argv[1], "asc") != 0)
            return fail(c, "'%s': asc or desc", call->argv[1]);
        desc = strcmp(call->argv[1], "desc") == 0;
    }
    char err[400];
    if (listsort_set(a, call->argc ? call->argv[0] : "", desc, err, sizeof err) != 0)
        return fail(c, "%s", err);
    return 0;
}

static int run_mark(struct app *a, struct cmdline *c, const char *expr)
{
    struct filter_error err;
    struct filter *f = filter_compile_tz(expr, a->store, &a->tz, &err);
    if (!f)
        return fail(c, "%s", err.message);
    size_t n = app_count(a), hits = 0;
    int nomem = 0;
    for (size_t row = 0; row < n && !nomem; row++) {
        size_t ev = app_event(a, row);
        int m = filter_match(f, ev);
        nomem = m < 0;
        if (m > 0) {
            hits++;
            marks_set(a, ev, 1);
        }
    }
    filter_free(f);
    if (nomem)
        return fail(c, "out of memory");
    app_message(a, "%zu shown event%s match%s: %zu marked in all", hits, hits == 1 ? "" : "s",
                hits == 1 ? "es" : "", a->nmarked);
    return 0;
}

/* The format named, else the one the file name's extension says, else records. */
static enum export_format format_for(const char *file, const char *name)
{
    if (name)
        return export_format_parse(name);
    const char *dot = strrchr(file, '.');
    if (dot && strcmp(dot, ".csv") == 0)
        return EXPORT_CSV;
    if (dot && strcmp(dot, ".jsonl") == 0)
        return EXPORT_JSONL;
    return EXPORT_RECORDS;
}

static int run_export(struct app *a, struct cmdline *c, const struct cmd_call *call)
{
    const char *file = call->argv[0];
    struct export_opts o = {format_for(file, call->argc > 1 ? call->argv[1] : NULL), 0, 0, app_case()};
    if (o.format == EXPORT__COUNT)
        return fail(c, "unknown format '%s': records, jsonl, csv or timesketch", call->argv[1]);
    size_t n;
    uint32_t *idx = marks_chosen(a, &n);
    if (!idx)
        return fail(c, "out of memory");
    char *err = NULL;
    enum export_status r = export_events(a->store, idx, n, file, &o, &err);
    free(idx);
    if (r == EXPORT_EXISTS)
        return fail(c, "%s exists: not replaced (the e dialog asks before replacing)", file);
    if (r == EXPORT_FAILED) {
        fail(c, "export failed: %s", err ? err : "out of memory");
        free(err);
        return -1;
    }
    if (r == EXPORT_PARTIAL) /* what was left out is named, by reason; the rest is written */
        app_message(a, "wrote %s (%s), %s", file, export_format_name(o.format),
                    err ? err : "left out some events");
    else
        app_message(a, "wrote %zu %s event%s to %s (%s)", n, a->nmarked ? "marked" : "shown",
                    n == 1 ? "" : "s", file, export_format_name(o.format));
    free(err);
    return 0;
}

/* :report FILE: the incident report of the marked events, else the shown ones (model/query/report.h). */
static int run_report(struct app *a, struct cmdline *c, const char *file)
{
    size_t n;
    uint32_t *idx = marks_chosen(a, &n);
    if (!idx)
        return fail(c, "out of memory");
    struct report_opts ro = {app_case(), a->nmarked > 0, a->shown.expr, 0};
    struct tl_text md = {0};
    char *err = NULL;
    enum export_status r = EXPORT_FAILED;
    if (report_markdown(a->store, idx, n, &ro, &md, &err) == 0)
        r = export_text(md.p ? md.p : "", md.len, file, 0, &err);
    free(md.p);
    free(idx);
    if (r == EXPORT_EXISTS)
        return fail(c, "%s exists: not replaced", file);
    if (r != EXPORT_OK) {
        fail(c, "report failed: %s", err ? err : "out of memory");
        free(err);
        return -1;
    }
    app_message(a, "wrote the report of %zu %s event%s to %s", n, a->nmarked ? "marked" : "shown",
                n == 1 ? "" : "s", file);
    return 0;
}

static int run_tz(struct app *a, struct cmdline *c, const char *zone)
{
    char err[200];
    if (tz_set(&a->tz, zone, err, sizeof err) != 0)
        return fail(c, "%s", err);
    /* the filter in force was typed in the zone shown: its times are read again in the new one */
    char *expr = a->shown.expr && a->shown.expr[0] ? strdup(a->shown.expr) : NULL;
    if (expr)
        filterbar_set(a, expr);
    free(expr);
    app_message(a, "times in %s", a->tz.name);
    return 0;
}

enum case_edit { EDIT_NOTE, EDIT_TAG, EDIT_UNTAG };

/* One edit of the case on event ev. 0, or -1 with *why. */
static int edit_one(struct app *a, size_t ev, enum case_edit what, const char *arg, const char **why)
{
    if (what == EDIT_NOTE)
        return casefile_note(a->store, ev, arg, why);
    return casefile_tag(a->store, ev, arg, what == EDIT_TAG, why);
}

/* :note TEXT, :tag NAME, :untag NAME: on the marked events, else on the selected one (as an export
 * takes the marked ones). The case is saved after the command (tui/app.c). */
static int run_edit(struct app *a, struct cmdline *c, enum case_edit what, const char *arg)
{
    static const char *const verbs[] = {
        [EDIT_NOTE] = "noted", [EDIT_TAG] = "tagged", [EDIT_UNTAG] = "untagged"};
    const char *why = NULL;
    if (what != EDIT_NOTE && !case_tag_valid(arg, &why))
        return fail(c, "'%s': %s", arg, why);
    size_t done = 0, failed = 0, untagged = 0; /* untagged: had no such tag */
    if (a->nmarked) {
        for (size_t ev = 0; ev < a->store->nevents; ev++)
            if (marks_on(a, ev)) {
                int rc = edit_one(a, ev, what, arg, &why);
                done += rc == 0;
                failed += rc < 0;
                untagged += rc > 0;
            }
    } else {
        if (!app_count(a))
            return fail(c, "no event is shown");
        int rc = edit_one(a, app_event(a, a->list.cur), what, arg, &why);
        if (rc > 0)
            return fail(c, "the selected event has no tag %s", arg);
        if (rc != 0)
            return fail(c, "%s", why);
        done = 1;
    }
    if (!done && untagged && !failed)
        return fail(c, "none of the marked events has the tag %s", arg);
    if (!done)
        return fail(c, "%s", why ? why : "nothing changed");
    /* a filter on tag: or note: now selects otherwise: shown again, the selection kept */
    filterbar_refresh(a, app_count(a) ? app_event(a, a->list.cur) : SIZE_MAX);
    char which[64];
    if (a->nmarked)
        snprintf(which, sizeof which, "%zu marked event%s", done, done == 1 ? "" : "s");
    else
        snprintf(which, sizeof which, "the selected event");
    int named = what != EDIT_NOTE; /* the tag is said; a note is in the detail */
    app_message(a, "%s %s%s%s%s%s", verbs[what], which, named ? " " : "", named ? arg : "",
                failed ? " (some have no eventID)" : "",
                casefile_saves() ? "" : " (not saved: --no-state or an unreadable case)");
    return 0;
}

/* :case: the case view (tui/pane_case.c) lists every event the case holds, those this run has not
 * loaded too; the status line counts them. */
static int run_case(struct app *a, struct cmdline *c)
{
    const struct ctcase *k = app_case();
    if (!k)
        return fail(c, "no case is open");
    size_t marked = 0, tagged = 0, noted = 0;
    for (size_t i = 0; i < k->n; i++) {
        marked += k->v[i].marked != 0;
        tagged += k->v[i].ntags != 0;
        noted += k->v[i].nnotes != 0;
    }
    app_open(a, PANE_CASE);
    app_message(a, "%zu marked, %zu tagged, %zu noted%s%s", marked, tagged, noted,
                casefile_path() ? " in " : "", casefile_path() ? casefile_path() : "");
    return 0;
}

/* Runs the line; returns 0 (the line closes), 1 to quit, or -1 with c->info saying why. */
static int run(struct app *a, struct cmdline *c, const char *line)
{
    struct cmd_call call;
    char err[512];
    if (cmd_parse(line, &call, err, sizeof err) != 0)
        return err[0] ? fail(c, "%s", err) : 0;
    const char *arg = call.argc ? call.argv[0] : "";
    switch (call.def->id) {
    case CMD_GOTO:
        return run_goto(a, c, arg);
    case CMD_FILTER:
        filterbar_set(a, arg);
        return 0;
    case CMD_MARK:
        return run_mark(a, c, arg);
    case CMD_EXPORT:
        return run_export(a, c, &call);
    case CMD_TZ:
        return run_tz(a, c, arg);
    case CMD_SORT:
        return run_sort(a, c, &call);
    case CMD_HELP:
        app_open(a, PANE_HELP);
        return 0;
    case CMD_QUIT:
        return 1;
    case CMD_REPORT:
        return run_report(a, c, arg);
    case CMD_NOTE:
        return run_edit(a, c, EDIT_NOTE, arg);
    case CMD_TAG:
        return run_edit(a, c, EDIT_TAG, arg);
    case CMD_UNTAG:
        return run_edit(a, c, EDIT_UNTAG, arg);
    case CMD_CASE:
        return run_case(a, c);
    default:
        return fail(c, "not a command here");
    }
}

/* Events sampled for the JSON paths :sort completes (as the column chooser, tui/pane_columns.c). */
#define PATH_SAMPLE 2000

/* Adds to out[0..*n) (cmd_complete's, grown) the lines that complete a field argument with the JSON paths
 * seen in the shown events that start with it, most common first. Returns 0, or -1 when out of memory. */
static int add_paths(struct app *a, const char *line, char ***out, int *n)
{
    enum cmd_arg kind;
    size_t head;
    if (cmd_word(line, &kind, &head) != 0 || kind != ARG_FIELD)
        return 0;
    const char *word = line + head;
    size_t wl = strlen(word);
    if (!wl)
        return 0; /* every path of every event: only short names for an empty word */
    struct pathseen seen;
    if (pathseen_collect(a->store, a->shown.idx, app_count(a), PATH_SAMPLE, &seen) != 0)
        return -1;
    int rc = 0;
    for (size_t k = 0; k < seen.n && rc == 0 && *n < 1000; k++) {
        const char *path = pathseen_name(&seen, k);
        if (strncmp(path, word, wl) != 0 || !strchr(path, '.'))
            continue; /* a top-level key without a '.' is a short name or not a column */
        char **grown = realloc(*out, (size_t)(*n + 1) * sizeof *grown);
        char *l = NULL;
        if (!grown || asprintf(&l, "%.*s%s ", (int)head, line, path) < 0) {
            if (grown)
                *out = grown;
            rc = -1;
            break;
        }
        *out = grown;
        (*out)[(*n)++] = l;
    }
    pathseen_free(&seen);
    return rc;
}

/* Tab: the only completion, else the common part and the candidates under the line. */
static void complete(struct app *a, struct cmdline *c)
{
    char **out;
    int n = cmd_complete(c->line.buf, &out);
    if (n >= 0 && add_paths(a, c->line.buf, &out, &n) != 0) {
        for (int i = 0; i < n; i++)
            free(out[i]);
        free(out);
        n = -1;
    }
    c->error = 0;
    if (n <= 0) {
        snprintf(c->info, sizeof c->info, n < 0 ? "out of memory" : "no completion");
        return;
    }
    size_t k = cmd_common_prefix(out, (size_t)n);
    if (k > c->line.len || n == 1) {
        char common[PROMPT_MAX]; /* out[0] itself is listed below, whole */
        snprintf(common, sizeof common, "%.*s", (int)k, out[0]);
        prompt_open(&c->line, common, &a->cmd_hist);
    }
    c->info[0] = '\0';
    if (n > 1) {
        size_t used = 0;
        for (int i = 0; i < n && used + 1 < sizeof c->info; i++) {
            /* the word being completed, without the line before it */
            size_t len = strlen(out[i]);
            while (len && out[i][len - 1] == ' ') /* a command name completes with its space */
                len--;
            size_t start = len;
            while (start && out[i][start - 1] != ' ')
                start--;
            int w = snprintf(c->info + used, sizeof c->info - used, "%s%.*s", used ? "  " : "",
                             (int)(len - start), out[i] + start);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
}

static enum reaction cmd_key(struct app *a, void *st, const struct keypress *k)
{
    struct cmdline *c = st;
    if (k->ch == '\t') {
        complete(a, c);
        return RE_REDRAW;
    }
    enum prompt_result r = prompt_key(&c->line, k->ch);
    switch (r) {
    case PR_NONE:
        return RE_UNHANDLED;
    case PR_CANCEL:
        app_close(a, PANE_COMMAND);
        return RE_REDRAW;
    case PR_FULL: /* a cut command is never run: a note would be saved without its end */
        snprintf(c->info, sizeof c->info,
                 "the line is longer than %d bytes: characters were refused, nothing is run (^U clears it)",
                 PROMPT_MAX - 1);
        c->error = 1;
        return RE_REDRAW;
    case PR_ACCEPT: {
        char line[PROMPT_MAX];
        snprintf(line, sizeof line, "%s", c->line.buf);
        prompt_history_add(&a->cmd_hist, line);
        c->info[0] = '\0';
        c->error = 0;
        /* closed first: :help opens a view, and a failure reopens the line with its reason */
        app_close(a, PANE_COMMAND);
        int rc = run(a, c, line);
        if (rc < 0) {
            char why[sizeof c->info];
            snprintf(why, sizeof why, "%s", c->info);
            app_open(a, PANE_COMMAND);
            prompt_open(&c->line, line, &a->cmd_hist);
            snprintf(c->info, sizeof c->info, "%s", why);
            c->error = 1;
        }
        return rc > 0 ? RE_QUIT : RE_REDRAW;
    }
    default:
        if (!prompt_cut(&c->line))
            c->info[0] = '\0';
        return RE_REDRAW;
    }
}

const struct pane_ops pane_command_ops = {
    .name = "command",
    .place = PLACE_DIALOG,
    .toggle = ACT_COMMAND,
    .height = 2,
    .size = sizeof(struct cmdline),
    .open = cmd_open,
    .close = cmd_close,
    .draw = cmd_draw,
    .key = cmd_key,
};
