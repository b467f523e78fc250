#include "parsers/pathinfo.h"

#include <string.h>

static int twelve_digits(const char *s)
{
    for (int i = 0; i < 12; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

void pathinfo_parse(const char *path, struct pathinfo *out)
{
    memset(out, 0, sizeof *out);
    out->is_digest = strstr(path, "CloudTrail-Digest") != NULL;
    /* The file name is the most specific witness: <account>_CloudTrail_... */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strlen(base) > 13 && twelve_digits(base) && base[12] == '_') {
        memcpy(out->account, base, 12);
        return;
    }
    /* Else the folder after AWSLogs/ (or after AWSLogs/o-xxxx/). */
    const char *p = path, *hit = NULL;
    while ((p = strstr(p, "AWSLogs/")) != NULL)
        hit = p, p += 8;
    if (!hit)
        return;
    const char *seg = hit + 8;
    if (strncmp(seg, "o-", 2) == 0) {
        const char *slash = strchr(seg, '/');
        if (!slash)
            return;
        seg = slash + 1;
    }
    if (strlen(seg) >= 12 && twelve_digits(seg) && (seg[12] == '/' || seg[12] == '\0'))
        memcpy(out->account, seg, 12);
}
