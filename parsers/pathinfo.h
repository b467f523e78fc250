/* pathinfo: what the S3 delivery layout says about a log file, read from its path alone.
 *   AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<id>.json.gz
 */
#ifndef CTVIEW_PATHINFO_H
#define CTVIEW_PATHINFO_H

struct pathinfo {
    char account[13]; /* 12-digit trail account, "" when the path does not say */
    int is_digest;    /* under a CloudTrail-Digest folder, or named like a digest file */
};

void pathinfo_parse(const char *path, struct pathinfo *out);

#endif
