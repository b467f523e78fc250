#include "parsers/pathinfo.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/timefmt.h"

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

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

#define DAY_MS 86400000LL
/* How long after its events CloudTrail may write a file: normally minutes; a day leaves room for late
 * deliveries so pruning never drops a file that could hold an event in range. */
#define LAG_MS DAY_MS

int pathinfo_time_span(const char *path, int is_dir, int64_t *lo, int64_t *hi)
{
    if (!strstr(path, "CloudTrail"))
        return 0;
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (!is_dir) {
        const char *base = memrchr(path, '/', len);
        base = base ? base + 1 : path;
        const char *p = strstr(base, "_CloudTrail");
        /* ..._<region>_YYYYMMDDTHHMMZ_<id>: the stamp is the component after the region */
        for (p = p ? strchr(p + 1, '_') : NULL; p; p = strchr(p + 1, '_')) {
            if (strlen(p) >= 15 && digits(p + 1, 8) && p[9] == 'T' && digits(p + 10, 4) && p[14] == 'Z') {
                char iso[32];
                snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s", p + 1, p + 5, p + 7, p + 10, p + 12);
                int64_t t;
                if (timefmt_parse(iso, strlen(iso), &t) != 0)
                    return 0;
                *lo = t - LAG_MS;
                *hi = t + 3600000; /* the stamp rounds to the minute; allow for clock skew */
                return 1;
            }
        }
        return 0;
    }
    /* the last one to three components: YYYY, YYYY/MM or YYYY/MM/DD */
    const char *comp[3] = {0};
    size_t clen[3] = {0}, end = len;
    for (int k = 0; k < 3; k++) {
        const char *slash = memrchr(path, '/', end);
        size_t start = slash ? (size_t)(slash - path) + 1 : 0;
        comp[k] = path + start;
        clen[k] = end - start;
        if (!slash)
            break;
        end = start - 1;
    }
    int y = -1, m = -1, d = -1;
    if (clen[0] == 4 && digits(comp[0], 4)) {
        y = atoi(comp[0]);
    } else if (clen[0] == 2 && digits(comp[0], 2) && clen[1] == 4 && digits(comp[1], 4)) {
        y = atoi(comp[1]);
        m = atoi(comp[0]);
    } else if (clen[0] == 2 && digits(comp[0], 2) && clen[1] == 2 && digits(comp[1], 2) && clen[2] == 4 &&
               digits(comp[2], 4)) {
        y = atoi(comp[2]);
        m = atoi(comp[1]);
        d = atoi(comp[0]);
    } else {
        return 0;
    }
    if (y < 1970 || m == 0 || m > 12 || d == 0 || d > 31)
        return 0;
    int64_t first = timefmt_days_from_civil(y, m > 0 ? (unsigned)m : 1, d > 0 ? (unsigned)d : 1) * DAY_MS;
    int64_t last;
    if (d > 0)
        last = first + DAY_MS;
    else if (m > 0)
        last = timefmt_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : (unsigned)m + 1, 1) * DAY_MS;
    else
        last = timefmt_days_from_civil(y + 1, 1, 1) * DAY_MS;
    *lo = first - LAG_MS;
    *hi = last + 3600000;
    return 1;
}

int pathinfo_listed(const char *list, const char *item, size_t n)
{
    if (!list)
        return 1;
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, item, n) == 0)
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

int pathinfo_scope_outside(const char *path, const char *accounts, const char *regions)
{
    if (!accounts && !regions)
        return 0;
    const char *p = path, *hit = NULL;
    while ((p = strstr(p, "AWSLogs/")) != NULL) {
        if (p == path || p[-1] == '/')
            hit = p;
        p += 8;
    }
    if (!hit)
        return 0;
    const char *seg = hit + 8;
    if (strncmp(seg, "o-", 2) == 0) {
        const char *slash = strchr(seg, '/');
        if (!slash)
            return 0;
        seg = slash + 1;
    }
    size_t n = strcspn(seg, "/");
    if (n != 12 || !digits(seg, 12))
        return 0; /* not the layout: kept */
    if (!seg[n] || (seg[n] == '/' && !seg[n + 1]))
        return !pathinfo_listed(accounts, seg, 12);
    seg += n + 1;
    n = strcspn(seg, "/");
    if (!((n == 10 && strncmp(seg, "CloudTrail", 10) == 0) ||
          (n == 18 && strncmp(seg, "CloudTrail-Insight", 18) == 0) ||
          (n == 17 && strncmp(seg, "CloudTrail-Digest", 17) == 0)) ||
        !seg[n])
        return 0;
    seg += n + 1;
    n = strcspn(seg, "/");
    /* a region's folder (a file beside them, named with a '.', is not one) */
    return n > 0 && (!seg[n] || (seg[n] == '/' && !seg[n + 1])) && !memchr(seg, '.', n) &&
           !pathinfo_listed(regions, seg, n);
}
