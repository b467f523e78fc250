/* pathinfo: what the S3 delivery layout says about a log file, read from its path alone.
 *   AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<id>.json.gz
 */
#ifndef CTVIEW_PATHINFO_H
#define CTVIEW_PATHINFO_H

#include <stddef.h>
#include <stdint.h>

struct pathinfo {
    char account[13]; /* 12-digit trail account, "" when the path does not say */
    int is_digest;    /* under a CloudTrail-Digest folder, or named like a digest file */
};

void pathinfo_parse(const char *path, struct pathinfo *out);

/* The span of event times a path of the S3 layout can hold, read from its name alone: a CloudTrail date
 * folder (.../YYYY, .../YYYY/MM, .../YYYY/MM/DD under a CloudTrail folder) or a log file named
 * <account>_CloudTrail_<region>_YYYYMMDDTHHMMZ_<id>. CloudTrail writes a file minutes after its events,
 * into the folder of the day it writes it, so the span reaches a day back from what the name says.
 * Returns 1 and sets [*lo, *hi] (epoch ms), or 0 when the path says nothing about time. */
int pathinfo_time_span(const char *path, int is_dir, int64_t *lo, int64_t *hi);

/* Whether item[0..n) is one of the comma-separated list (--account, --region); a NULL list holds
 * everything. */
int pathinfo_listed(const char *list, const char *item, size_t n);

/* Whether path is the folder of the S3 layout AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/ of an account
 * or a region its comma-separated list leaves out (NULL: every one). Only the folder that names them is
 * (what is below it is left with it): a path outside the layout, above that folder or below it, is not. */
int pathinfo_scope_outside(const char *path, const char *accounts, const char *regions);

#endif
