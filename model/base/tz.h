/* tz: the time zone the interface shows times in, and relative ages ("3h ago").
 *
 * CloudTrail writes UTC, and UTC is the default. Any other zone is read by the C library's TZ rules: an
 * IANA name (Europe/Paris, from the system's zoneinfo), "local" (the zone the process started with), or
 * a POSIX TZ string (EST5EDT, <+0530>-5:30). Switching away from UTC sets the process's TZ variable, so
 * only the thread that draws may use a non-UTC zone; UTC never touches the C library. The command-line
 * modes and exports keep CloudTrail's UTC text and never call tz_set. */
#ifndef CTVIEW_TZ_H
#define CTVIEW_TZ_H

#include <stddef.h>
#include <stdint.h>

#define TZ_NAME_MAX 64
#define TZ_BUF      64

struct tz {
    int utc;                /* the default: formatted without the C library */
    char name[TZ_NAME_MAX]; /* as the user gave it ("UTC", "local", "Europe/Paris") */
};

/* Sets *z to UTC. */
void tz_utc(struct tz *z);

/* Sets *z to the zone named name ("UTC", "Z", "local", an IANA name, a POSIX TZ string) and makes it the
 * process's zone. Returns 0, or -1 with a message in err[0..errlen) (then *z is unchanged): an unknown
 * zone is refused, never taken silently as UTC. */
int tz_set(struct tz *z, const char *name, char *err, size_t errlen);

/* 0 when name would be accepted by tz_set, else -1 with the reason; changes nothing. */
int tz_check(const char *name, char *err, size_t errlen);

/* The zone's abbreviation at time ms ("UTC", "CET", "CEST"), for the header. Into buf[TZ_BUF]. */
const char *tz_abbrev(const struct tz *z, int64_t ms, char *buf);

/* A time for the list in z: "2024-03-01T10:00:00Z" in UTC (CloudTrail's text), else
 * "2024-03-01 11:00:00" (the header names the zone); "-" for TIME_NONE. Into buf[TZ_BUF]. */
const char *tz_format(const struct tz *z, int64_t ms, char *buf);

/* The same with the offset, unambiguous on its own: "2024-03-01T11:00:00+01:00" ("...Z" in UTC). */
const char *tz_format_full(const struct tz *z, int64_t ms, char *buf);

/* How long before now_ms ms was: "now", "42s ago", "5m ago", "3h ago", "12d ago", "2y ago"; a time after
 * now_ms is "in 5m". Truncated to the unit. "-" for TIME_NONE. Into buf[TZ_BUF]. */
const char *tz_relative(int64_t ms, int64_t now_ms, char *buf);

/* Reads an ISO date or date-time as timefmt_parse does, except that one without "Z" or an offset is a
 * wall-clock time in z (UTC when z is). A wall-clock time that does not exist in z (the hour skipped when
 * summer time starts) is the end of that gap, the instant of the change (so 02:30 on the night Paris goes
 * from 02:00 to 03:00 is 03:00 CEST, as 02:00 is); one that exists twice (the hour repeated when it ends)
 * is its first occurrence. Returns 0 and sets *ms, or -1. */
int tz_parse(const struct tz *z, const char *s, size_t len, int64_t *ms);

#endif
