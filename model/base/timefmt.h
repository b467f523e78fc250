/* timefmt: ISO 8601 timestamps <-> epoch milliseconds, UTC only, no locale, no libc time zone state. */
#ifndef CTVIEW_TIMEFMT_H
#define CTVIEW_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Stands for "no eventTime": sorts after every real time. */
#define TIME_NONE INT64_MAX

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff…]]" with an optional "Z" or "+HH:MM"/"-HH:MM"
 * (a space may stand for the T). Returns 0 and sets *ms, or -1 when s[0..len) is not such a time
 * (then *ms is untouched). Fractions beyond milliseconds are truncated. */
int timefmt_parse(const char *s, size_t len, int64_t *ms);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (with ".mmm" when ms is not a whole second) into buf and returns it;
 * "-" for TIME_NONE. buf must hold TIMEFMT_BUF bytes. */
#define TIMEFMT_BUF 64
const char *timefmt_format(int64_t ms, char *buf);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t timefmt_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
