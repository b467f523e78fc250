#include "model/query/goto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/timefmt.h"

int goto_parse(const char *arg, const struct tz *z, struct goto_target *t, char *err, size_t errlen)
{
    while (*arg == ' ' || *arg == '\t')
        arg++;
    size_t len = strlen(arg);
    while (len && (arg[len - 1] == ' ' || arg[len - 1] == '\t'))
        len--;
    if (len == 0) {
        snprintf(err, errlen, "goto where? a row (100), a share (50%%), a time (2024-03-01T10:00) or -2h");
        return -1;
    }
    char *end;
    if (arg[0] >= '0' && arg[0] <= '9') {
        unsigned long long n = strtoull(arg, &end, 10);
        if ((size_t)(end - arg) == len) {
            if (n == 0) {
                snprintf(err, errlen, "rows count from 1");
                return -1;
            }
            *t = (struct goto_target){GOTO_ROW,
                                      n > (unsigned long long)INT64_MAX ? INT64_MAX : (int64_t)n - 1};
            return 0;
        }
        if ((size_t)(end - arg) == len - 1 && arg[len - 1] == '%') {
            *t = (struct goto_target){GOTO_PERCENT, n > 100 ? 100 : (int64_t)n};
            return 0;
        }
    }
    if (arg[0] == '-' || arg[0] == '+') {
        static const struct {
            char unit;
            int64_t ms;
        } units[] = {{'s', 1000}, {'m', 60000}, {'h', 3600000}, {'d', 86400000}, {'w', 7 * 86400000LL}};
        long long n = strtoll(arg + 1, &end, 10);
        if (end > arg + 1 && (size_t)(end - arg) == len - 1 && n >= 0 && n < 1000000000) {
            for (size_t i = 0; i < sizeof units / sizeof *units; i++)
                if (units[i].unit == arg[len - 1]) {
                    *t = (struct goto_target){GOTO_RELATIVE, (arg[0] == '-' ? -1 : 1) * n * units[i].ms};
                    return 0;
                }
        }
        snprintf(err, errlen, "'%.*s': a relative time is a sign, a number and a unit (-2h, +30m; s m h d w)",
                 (int)(len > 60 ? 60 : len), arg);
        return -1;
    }
    int64_t ms;
    if (tz_parse(z, arg, len, &ms) == 0) {
        *t = (struct goto_target){GOTO_TIME, ms};
        return 0;
    }
    snprintf(err, errlen, "'%.*s' is not a row, a share, a time (YYYY-MM-DD[THH:MM[:SS]]) or -2h/+30m",
             (int)(len > 60 ? 60 : len), arg);
    return -1;
}

static int64_t row_time(const struct store *s, const uint32_t *shown, size_t i)
{
    return s->events[shown ? shown[i] : i].time_ms;
}

/* The first row at or after ms in rows that are in time order (TIME_NONE sorts last). */
static size_t first_at_or_after(const struct store *s, const uint32_t *shown, size_t n, int64_t ms)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (row_time(s, shown, mid) < ms)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* past every time: the last row that has one */
    while (lo > 0 && (lo == n || row_time(s, shown, lo) == TIME_NONE))
        lo--;
    return lo;
}

static size_t nearest(const struct store *s, const uint32_t *shown, size_t n, int64_t ms)
{
    size_t best = 0;
    uint64_t best_d = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        int64_t t = row_time(s, shown, i);
        if (t == TIME_NONE)
            continue;
        uint64_t d = t > ms ? (uint64_t)t - (uint64_t)ms : (uint64_t)ms - (uint64_t)t;
        if (d < best_d)
            best = i, best_d = d;
    }
    return best;
}

size_t goto_row(const struct goto_target *t, const struct store *s, const uint32_t *shown, size_t n,
                size_t cur)
{
    if (n == 0)
        return cur;
    int64_t ms;
    switch (t->kind) {
    case GOTO_ROW:
        return (uint64_t)t->value >= n ? n - 1 : (size_t)t->value;
    case GOTO_PERCENT:
        return (size_t)((n - 1) * (uint64_t)t->value / 100);
    case GOTO_RELATIVE:
        if (cur >= n || row_time(s, shown, cur) == TIME_NONE)
            return cur;
        ms = row_time(s, shown, cur) + t->value;
        break;
    default:
        ms = t->value;
        break;
    }
    for (size_t i = 1; i < n; i++)
        if (row_time(s, shown, i) < row_time(s, shown, i - 1))
            return nearest(s, shown, n, ms);
    return first_at_or_after(s, shown, n, ms);
}
