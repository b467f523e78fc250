/* The job table and the round that runs it (tui/jobs.h). Each job is a few lines over its module's
 * own functions: the modules know nothing of the table, and the loop nothing of the modules. */
#include "tui/jobs.h"

#include <limits.h>
#include <stdio.h>

#include "model/json/path.h"
#include "model/query/filter.h"
#include "tui/app.h"
#include "tui/follow.h"
#include "tui/loading.h"
#include "tui/pane_findings.h"

/* Seconds per slice while a key waits for a before_keys job (its progress is drawn between slices). */
#define FINISH_SLICE 0.1

static int filter_busy(const struct app *a)
{
    return filterbar_busy(a);
}

static int filter_step(struct app *a, double seconds)
{
    filterbar_work(a, seconds);
    return 1; /* its progress is in the status line */
}

/* "indexing PATH" while the filter waits for a path's index (a first use), else "filtering". */
static int filter_percent(const struct app *a, char *label, size_t cap)
{
    if (!filterbar_busy(a))
        return -1;
    const char *path = NULL;
    int built = filter_run_indexing(&a->bar.job.run, &path);
    if (built >= 0) {
        snprintf(label, cap, "indexing %s", path);
        return built;
    }
    size_t total = a->store->nevents ? a->store->nevents : 1;
    return (int)(a->bar.job.run.next * 100 / total);
}

static int load_busy(const struct app *a)
{
    return loading_on(a);
}

static int follow_start_busy(const struct app *a)
{
    return a->follow_asked;
}

static int follow_start_step(struct app *a, double seconds)
{
    (void)seconds;
    a->follow_asked = 0;
    if (follow_start(a, a->paths, a->npaths) == 0)
        app_message(a, "following: new log files load as they arrive");
    return 1;
}

static int sort_busy(const struct app *a)
{
    return listsort_busy(a);
}

static int sort_step(struct app *a, double seconds)
{
    listsort_work(a, seconds);
    return 1;
}

static int sort_percent(const struct app *a, char *label, size_t cap)
{
    (void)label;
    (void)cap;
    return listsort_busy(a) ? listsort_percent(a) : -1;
}

static int rules_step(struct app *a, double seconds)
{
    pane_findings_work(a, seconds);
    return 1;
}

static int rules_percent(const struct app *a, char *label, size_t cap)
{
    (void)label;
    (void)cap;
    return pane_findings_percent(a);
}

static int follow_busy(const struct app *a)
{
    return follow_on(a);
}

/* Not while the prompt or a dialog is open: new events would move the list under what the user types. */
static int follow_step(struct app *a, double seconds)
{
    (void)seconds;
    return a->bar.kind == BAR_CLOSED && a->dialog == PANE__COUNT && follow_poll(a);
}

static int paths_busy(const struct app *a)
{
    return a->redraw_soon;
}

/* Nothing to do but draw: the pane shows the index's progress, and sets redraw_soon again while the
 * index is still being built. */
static int paths_step(struct app *a, double seconds)
{
    (void)a;
    (void)seconds;
    return 1;
}

#define BEFORE_RULES (JOB_BIT(JOB_LOAD) | JOB_BIT(JOB_FILTER) | JOB_BIT(JOB_SORT))

/* Who waits for whom: the filter runs beside the load (the list fills filtered); --follow's watches
 * are set as soon as the load ends (files that arrive while the rules run are not missed); a sort by a
 * path waits for the load and the filter, the rules for those and the sort; polling for new files and
 * redrawing a path index's progress wait for all of these. */
static const struct job table[JOB__COUNT] = {
    [JOB_FILTER] = {.name = "filtering",
                    .wait_ms = 0,
                    .budget = 0.04,
                    .before_keys = 1,
                    .busy = filter_busy,
                    .step = filter_step,
                    .percent = filter_percent},
    [JOB_LOAD] = {.name = "loading",
                  .wait_ms = 0, /* its step waits for the readers, up to its budget */
                  .budget = 0.05,
                  .busy = load_busy,
                  .step = loading_step,
                  .draw_line = loading_draw,
                  .cancel = loading_stop},
    [JOB_FOLLOW_START] = {.name = "following",
                          .waits = JOB_BIT(JOB_LOAD),
                          .busy = follow_start_busy,
                          .step = follow_start_step},
    [JOB_SORT] = {.name = "sorting",
                  .waits = JOB_BIT(JOB_LOAD) | JOB_BIT(JOB_FILTER),
                  .budget = 0.04,
                  .busy = sort_busy,
                  .step = sort_step,
                  .percent = sort_percent},
    [JOB_RULES] = {.name = "rules",
                   .waits = BEFORE_RULES,
                   .budget = 0.04,
                   .busy = pane_findings_busy,
                   .step = rules_step,
                   .percent = rules_percent},
    [JOB_FOLLOW] = {.name = "following",
                    .waits = BEFORE_RULES | JOB_BIT(JOB_RULES),
                    .wait_ms = 250, /* a look at the directories four times a second */
                    .busy = follow_busy,
                    .step = follow_step,
                    .cancel = follow_stop},
    [JOB_PATHS] = {.name = "indexing",
                   .waits = BEFORE_RULES | JOB_BIT(JOB_RULES),
                   .wait_ms = 100,
                   .busy = paths_busy,
                   .step = paths_step},
};

/* The jobs a round steps now, as JOB_BITs: busy, and none of their waits busy. */
static unsigned runnable(const struct app *a)
{
    unsigned busy = 0, run = 0;
    for (int j = 0; j < JOB__COUNT; j++)
        if (table[j].busy(a))
            busy |= JOB_BIT(j);
    for (int j = 0; j < JOB__COUNT; j++)
        if ((busy & JOB_BIT(j)) && !(table[j].waits & busy))
            run |= JOB_BIT(j);
    return run;
}

int jobs_wait_ms(const struct app *a)
{
    unsigned run = runnable(a);
    int wait = INT_MAX;
    for (int j = 0; j < JOB__COUNT; j++)
        if ((run & JOB_BIT(j)) && table[j].wait_ms < wait)
            wait = table[j].wait_ms;
    return run ? wait : -1;
}

int jobs_step(struct app *a)
{
    unsigned run = runnable(a);
    int sharing = 0, changed = 0;
    for (int j = 0; j < JOB__COUNT; j++)
        sharing += (run & JOB_BIT(j)) && table[j].budget > 0;
    for (int j = 0; j < JOB__COUNT; j++) {
        /* an earlier step may have ended it (the load's end restarts the filter, not the reverse) */
        if ((run & JOB_BIT(j)) && table[j].busy(a))
            changed |= table[j].step(a, table[j].budget / (sharing ? sharing : 1));
    }
    return changed;
}

void jobs_finish(struct app *a, void (*draw)(struct app *a))
{
    for (int j = 0; j < JOB__COUNT; j++) {
        if (!table[j].before_keys)
            continue;
        while (table[j].busy(a)) {
            table[j].step(a, FINISH_SLICE);
            if (draw && table[j].busy(a))
                draw(a);
        }
    }
}

size_t jobs_progress(const struct app *a, char *out, size_t cap)
{
    out[0] = '\0';
    for (int j = 0; j < JOB__COUNT; j++) {
        if (!table[j].percent)
            continue;
        char label[PATH_MAX_LEN + 16];
        snprintf(label, sizeof label, "%s", table[j].name);
        int pct = table[j].percent(a, label, sizeof label);
        if (pct < 0)
            continue;
        int n = snprintf(out, cap, "%s %d%%", label, pct);
        return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
    }
    return 0;
}

int jobs_lines(const struct app *a)
{
    int lines = 0;
    for (int j = 0; j < JOB__COUNT; j++)
        lines += table[j].draw_line && table[j].busy(a);
    return lines;
}

void jobs_draw_lines(struct app *a, int y)
{
    for (int j = 0; j < JOB__COUNT; j++)
        if (table[j].draw_line && table[j].busy(a))
            table[j].draw_line(a, y++);
}

void jobs_cancel(struct app *a)
{
    for (int j = 0; j < JOB__COUNT; j++)
        if (table[j].cancel)
            table[j].cancel(a);
}
