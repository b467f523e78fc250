#include "model/base/timefmt.h"

#include <stdio.h>

int64_t timefmt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm: exact for every proleptic Gregorian date. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Reads exactly n digits at s[*i]; returns -1 if any is missing. */
static int digits(const char *s, size_t len, size_t *i, int n)
{
    int v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    return v;
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

int timefmt_parse(const char *s, size_t len, int64_t *ms)
{
    size_t i = 0;
    int y = digits(s, len, &i, 4);
    if (y < 0 || i >= len || s[i++] != '-')
        return -1;
    int mo = digits(s, len, &i, 2);
    if (mo < 1 || mo > 12 || i >= len || s[i++] != '-')
        return -1;
    int d = digits(s, len, &i, 2);
    if (d < 1 || d > days_in_month(y, mo))
        return -1;
    int h = 0, mi = 0, sec = 0, frac = 0;
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        i++;
        h = digits(s, len, &i, 2);
        if (h < 0 || h > 23 || i >= len || s[i++] != ':')
            return -1;
        mi = digits(s, len, &i, 2);
        if (mi < 0 || mi > 59)
            return -1;
        if (i < len && s[i] == ':') {
            i++;
            sec = digits(s, len, &i, 2);
            if (sec < 0 || sec > 60)
                return -1;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                int n = 0;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    if (n < 3)
                        frac = frac * 10 + (s[i] - '0');
                    n++, i++;
                }
                if (n == 0)
                    return -1;
                for (; n < 3; n++)
                    frac *= 10;
            }
        }
    }
    int64_t offset_min = 0;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i++] == '-' ? -1 : 1;
        int oh = digits(s, len, &i, 2);
        if (oh < 0 || oh > 23)
            return -1;
        if (i < len && s[i] == ':')
            i++;
        int om = digits(s, len, &i, 2);
        if (om < 0 || om > 59)
            return -1;
        offset_min = sign * (oh * 60 + om);
    }
    if (i != len)
        return -1;
    int64_t days = timefmt_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    *ms = secs * 1000 + frac;
    return 0;
}

const char *timefmt_format(int64_t ms, char *buf)
{
    if (ms == TIME_NONE) {
        snprintf(buf, TIMEFMT_BUF, "-");
        return buf;
    }
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int frac = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int rem = (int)(secs - days * 86400);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (frac)
        snprintf(buf, TIMEFMT_BUF, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d, rem / 3600,
                 rem / 60 % 60, rem % 60, frac);
    else
        snprintf(buf, TIMEFMT_BUF, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d, rem / 3600,
                 rem / 60 % 60, rem % 60);
    return buf;
}
