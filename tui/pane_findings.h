/* pane_findings: the Sigma findings view (one line per rule that matched) and the run of the rules behind
 * it. The rules run once the load is done, in slices between keys, and again after new events arrive
 * (following); while they run the status line shows their progress. When a run completes the store's
 * findings point to it (store.findings), which the list's gutter, the detail pane and the rule: and
 * level: filters read. */
#ifndef CTVIEW_PANE_FINDINGS_H
#define CTVIEW_PANE_FINDINGS_H

#include <curses.h>

#include "tui/theme.h"

struct app;

/* Whether the rules have work to do now (the load is done and they have not run over every event). */
int pane_findings_busy(const struct app *a);

/* Runs them for about `seconds`; returns 1 when the run completed. */
int pane_findings_work(struct app *a, double seconds);

/* Progress of the run in progress, 0 to 100, or -1 when none runs. */
int pane_findings_percent(const struct app *a);

/* The role a level is drawn with (enum sigma_level). */
enum role pane_findings_level_role(int level);

#endif
