/* jobs: the background work the app loop runs between keys, as a table beside the pane table
 * (tui/pane.h). A job is a name, whether it has work now (busy), one slice of that work in a time
 * budget (step), and optionally its progress for the status line, a line of its own above the status
 * line, and a way to stop it when the program ends. The loop knows no job by name: it asks this
 * module how long it may wait for a key, runs one round when none came, and draws what it is told.
 *
 * A round steps every job that is busy and whose jobs to wait for (its `waits`) are all idle; the
 * round's time is shared by those that run, so a key never waits longer than the largest budget.
 * Adding a job: one line in JOBS below and its entry in tui/jobs.c's table. */
#ifndef CTVIEW_JOBS_H
#define CTVIEW_JOBS_H

#include <stddef.h>

/* X(id): every job, in the order a round steps them and the status line looks for progress. */
#define JOBS(X)                                                                                              \
    X(JOB_FILTER)       /* the filter being applied (tui/filterbar.c) */                                     \
    X(JOB_LOAD)         /* the first load (tui/loading.c) */                                                 \
    X(JOB_FOLLOW_START) /* --follow: the watches, set once the first load is done (tui/follow.c) */          \
    X(JOB_SORT)         /* a sort by a path whose index is being built (tui/listsort.c) */                   \
    X(JOB_RULES)        /* the Sigma rules (tui/pane_findings.c) */                                          \
    X(JOB_FOLLOW)       /* new files in the followed directories (tui/follow.c) */                           \
    X(JOB_PATHS)        /* a pane waits for a path's index built on worker threads (tui/pane_overview.c) */  \
    /* a new job: one more line above this one */

enum job_id {
#define X(id) id,
    JOBS(X)
#undef X
        JOB__COUNT
};

#define JOB_BIT(id) (1u << (id))

struct app;

struct job {
    const char *name; /* the word the status line shows with its percent */
    unsigned waits;   /* JOB_BITs of the jobs that must be idle before this one runs */
    int wait_ms;      /* how long the loop may wait for a key before stepping it again: 0 when it has
                         work to do now, more for a job that polls */
    double budget;    /* seconds of work per step when it runs alone; 0 for a poll (one bounded look) */
    int before_keys;  /* a key outside the prompt waits until it is done (it acts on what the job makes) */
    int (*busy)(const struct app *a);
    /* One slice of about `seconds`; returns 1 when the screen must be drawn again. */
    int (*step)(struct app *a, double seconds);
    /* Its progress, 0 to 100, or -1 for none now; may replace the word in label (cap bytes, which
     * holds the name on entry). NULL: never shown in the status line. */
    int (*percent)(const struct app *a, char *label, size_t cap);
    void (*draw_line)(struct app *a, int y); /* its own line above the status line while busy, or NULL */
    void (*cancel)(struct app *a); /* stops it and frees what it holds (the program ends), or NULL */
};

/* How long the loop may wait for a key before the next round, in milliseconds; -1 when no job runs
 * (wait for a key for ever). */
int jobs_wait_ms(const struct app *a);

/* Steps every runnable job once, sharing the round's time; returns 1 when the screen must be drawn. */
int jobs_step(struct app *a);

/* Runs each job that keys wait for (before_keys) to its end, calling draw (when not NULL) between
 * slices so its progress stays in view. */
void jobs_finish(struct app *a, void (*draw)(struct app *a));

/* The status line's progress: "WORD N%" of the first job that has one, in table order; "" when none.
 * Returns the length written. */
size_t jobs_progress(const struct app *a, char *out, size_t cap);

/* Lines the busy jobs take above the status line, and drawing them from line y down. */
int jobs_lines(const struct app *a);
void jobs_draw_lines(struct app *a, int y);

/* Stops every job that can be stopped (the program ends). */
void jobs_cancel(struct app *a);

#endif
