/* The command line's --report mode (README: Timesketch timeline and incident report). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/query/export.h"
#include "model/query/report.h"
#include "model/query/timeline.h"
#include "model/state/case.h"
#include "tui/cli.h"

int cli_report(struct store *s, const struct cli_shown *shown, const struct ctcase *c, const char *filter,
               const char *file, int force)
{
    int rc = 0;
    size_t n = shown->all ? s->nevents : shown->n, nmarked = 0;
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        rc = 2;
    for (size_t i = 0; i < n && idx; i++) {
        uint32_t ev = shown->all ? (uint32_t)i : shown->idx[i];
        char key[400];
        const struct case_entry *ce = c ? case_get(c, timeline_event_key(s, ev, key, sizeof key)) : NULL;
        if (ce && ce->marked)
            idx[nmarked++] = ev;
    }
    for (size_t i = 0; i < n && idx && !nmarked; i++)
        idx[i] = shown->all ? (uint32_t)i : shown->idx[i];
    size_t count = nmarked ? nmarked : n;
    struct report_opts ro = {c, nmarked > 0, filter, shown->undecided};
    struct tl_text md = {0};
    char *err = NULL;
    if (rc == 0 && report_markdown(s, idx, count, &ro, &md, &err) != 0) {
        fprintf(stderr, "ctview: --report: %s\n", err ? err : "out of memory");
        rc = 1;
    }
    enum export_status r = rc == 0 ? export_text(md.p ? md.p : "", md.len, file, force, &err) : EXPORT_FAILED;
    if (rc == 0 && r == EXPORT_EXISTS)
        fprintf(stderr, "ctview: %s exists; use --force to replace it\n", file);
    else if (rc == 0 && r != EXPORT_OK)
        fprintf(stderr, "ctview: report failed: %s\n", err ? err : "out of memory");
    else if (rc == 0 && strcmp(file, "-") != 0)
        fprintf(stderr, "ctview: wrote the report of %zu %s event%s to %s\n", count,
                nmarked ? "marked" : "shown", count == 1 ? "" : "s", file);
    if (rc == 0 && r != EXPORT_OK)
        rc = 1;
    if (rc == 2)
        fprintf(stderr, "ctview: out of memory\n");
    free(err);
    free(md.p);
    free(idx);
    return rc;
}
