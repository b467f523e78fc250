#include "model/base/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/base/timefmt.h"

/* The TZ the process started with, for "local" (unset: the system's /etc/localtime). */
static struct {
    int saved, was_set;
    char value[256];
} start_tz;

static void save_start_tz(void)
{
    if (start_tz.saved)
        return;
    const char *v = getenv("TZ");
    start_tz.saved = 1;
    start_tz.was_set = v != NULL && strlen(v) < sizeof start_tz.value;
    if (start_tz.was_set)
        strcpy(start_tz.value, v);
}

void tz_utc(struct tz *z)
{
    z->utc = 1;
    strcpy(z->name, "UTC");
}

static int is_utc_name(const char *name)
{
    static const char *const names[] = {"UTC", "utc", "Z", "z", "GMT", "Etc/UTC", "UTC0", NULL};
    for (size_t i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* An IANA name is a path under the zoneinfo directory, never outside it. */
static int zoneinfo_has(const char *name)
{
    if (name[0] == '/' || name[0] == '.' || strstr(name, "..") || strlen(name) > 200)
        return 0;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char magic[4];
    int ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
    fclose(f);
    return ok;
}

/* A POSIX TZ string: a name (three letters or more, or <...>), an offset, then optionally a summer
 * name, offset and rules, which the C library reads. Checked as far as the first offset. */
static int is_posix_tz(const char *s)
{
    size_t i = 0, n = 0;
    if (s[0] == '<') {
        const char *close = strchr(s, '>');
        if (!close || close - s < 4)
            return 0;
        i = (size_t)(close - s) + 1;
    } else {
        while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))
            i++, n++;
        if (n < 3)
            return 0;
    }
    if (s[i] == '+' || s[i] == '-')
        i++;
    if (s[i] < '0' || s[i] > '9')
        return 0;
    for (; s[i]; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789<>+-:,./", s[i]))
            return 0;
    return 1;
}

int tz_check(const char *name, char *err, size_t errlen)
{
    if (!name[0]) {
        snprintf(err, errlen, "no time zone given (UTC, local, an IANA name such as Europe/Paris)");
        return -1;
    }
    if (strlen(name) >= TZ_NAME_MAX) {
        snprintf(err, errlen, "time zone name too long");
        return -1;
    }
    if (is_utc_name(name) || strcmp(name, "local") == 0 || zoneinfo_has(name) || is_posix_tz(name))
        return 0;
    snprintf(err, errlen, "unknown time zone '%s' (UTC, local, an IANA name such as Europe/Paris)", name);
    return -1;
}

int tz_set(struct tz *z, const char *name, char *err, size_t errlen)
{
    if (tz_check(name, err, errlen) != 0)
        return -1;
    save_start_tz();
    if (is_utc_name(name)) {
        tz_utc(z);
        return 0;
    }
    if (strcmp(name, "local") == 0) {
        if (start_tz.was_set)
            setenv("TZ", start_tz.value, 1);
        else
            unsetenv("TZ");
    } else {
        setenv("TZ", name, 1);
    }
    tzset();
    z->utc = 0;
    strlcpy(z->name, name, sizeof z->name);
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int local_tm(int64_t ms, struct tm *tm)
{
    time_t t = (time_t)floor_div(ms, 1000);
    return localtime_r(&t, tm) ? 0 : -1;
}

const char *tz_abbrev(const struct tz *z, int64_t ms, char *buf)
{
    struct tm tm;
    if (z->utc || local_tm(ms == TIME_NONE ? 0 : ms, &tm) != 0 || !tm.tm_zone)
        snprintf(buf, TZ_BUF, "UTC");
    else
        snprintf(buf, TZ_BUF, "%s", tm.tm_zone);
    return buf;
}

static const char *format(const struct tz *z, int64_t ms, char *buf, int full)
{
    if (z->utc || ms == TIME_NONE)
        return timefmt_format(ms, buf);
    struct tm tm;
    if (local_tm(ms, &tm) != 0)
        return timefmt_format(ms, buf);
    int n = snprintf(buf, TZ_BUF, "%04d-%02d-%02d%c%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, full ? 'T' : ' ', tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (full && n > 0 && n < TZ_BUF) {
        long off = tm.tm_gmtoff;
        char sign = off < 0 ? '-' : '+';
        off = off < 0 ? -off : off;
        snprintf(buf + n, (size_t)(TZ_BUF - n), "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
    }
    return buf;
}

const char *tz_format(const struct tz *z, int64_t ms, char *buf)
{
    return format(z, ms, buf, 0);
}

const char *tz_format_full(const struct tz *z, int64_t ms, char *buf)
{
    return format(z, ms, buf, 1);
}

const char *tz_relative(int64_t ms, int64_t now_ms, char *buf)
{
    if (ms == TIME_NONE) {
        snprintf(buf, TZ_BUF, "-");
        return buf;
    }
    int64_t d = now_ms - ms;
    int future = d < 0;
    int64_t s = (future ? -d : d) / 1000;
    static const struct {
        int64_t below, unit; /* seconds */
        const char *name;
    } units[] = {
        {60, 1, "s"},          {3600, 60, "m"}, {2 * 86400, 3600, "h"}, {365 * 86400, 86400, "d"},
        {0, 365 * 86400, "y"},
    };
    if (s == 0) {
        snprintf(buf, TZ_BUF, "now");
        return buf;
    }
    size_t u = 0;
    while (units[u].below && s >= units[u].below)
        u++;
    snprintf(buf, TZ_BUF, future ? "in %lld%s" : "%lld%s ago", (long long)(s / units[u].unit), units[u].name);
    return buf;
}

/* The zone's offset from UTC at the instant secs, in seconds; 0 when localtime_r cannot tell. */
static int64_t offset_at(int64_t secs)
{
    struct tm tm;
    time_t t = (time_t)secs;
    return localtime_r(&t, &tm) ? (int64_t)tm.tm_gmtoff : 0;
}

/* The UTC instant of the wall-clock time wall (seconds, its fields as if in UTC) in the current TZ.
   mktime guesses in a gap (it moves 02:30 of a spring-forward to 03:30, past events shown at 03:00) and in
   a repeated hour its pick follows its previous calls; this is deterministic: a time in a gap is the end of
   the gap (the instant of the change, as the gap's start already is), a time in a repeated hour its first
   occurrence. The offsets a day either side are the two rules around wall (zones change at most once a
   day). */
static int64_t wall_to_utc(int64_t wall)
{
    int64_t early = offset_at(wall - 86400), late = offset_at(wall + 86400);
    int64_t u1 = wall - early, u2 = wall - late;
    int ok1 = offset_at(u1) == early, ok2 = offset_at(u2) == late;
    if (ok1 && ok2)
        return u1 < u2 ? u1 : u2;
    if (ok1 || ok2)
        return ok1 ? u1 : u2;
    /* a gap: the offset grows from early to late somewhere in [u2, u1]; find the first second of late */
    int64_t lo = u2 < u1 ? u2 : u1, hi = u2 < u1 ? u1 : u2;
    if (offset_at(hi) != late)
        return u1; /* not one change between the two: take the earlier rule's reading */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (offset_at(mid) == late)
            hi = mid;
        else
            lo = mid;
    }
    return offset_at(lo) == late ? lo : hi;
}

int tz_parse(const struct tz *z, const char *s, size_t len, int64_t *ms)
{
    int64_t t;
    if (timefmt_parse(s, len, &t) != 0)
        return -1;
    /* after the date, a Z or a sign can only be the zone */
    int zoned = 0;
    for (size_t i = 10; i < len; i++)
        zoned |= s[i] == 'Z' || s[i] == 'z' || s[i] == '+' || s[i] == '-';
    if (zoned || z->utc) {
        *ms = t;
        return 0;
    }
    /* t holds the wall-clock fields as if in UTC: read them back in the zone */
    int64_t secs = floor_div(t, 1000), utc = wall_to_utc(secs);
    /* in a gap the instant is the change itself: a fraction of the missing wall time does not move it */
    *ms = utc * 1000 + (utc + offset_at(utc) == secs ? t - secs * 1000 : 0);
    return 0;
}
