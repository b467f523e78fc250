/* goto: where ":goto ARG" points in the shown list.
 *
 *   :goto 100                      row 100 (1-based; past the end: the last row)
 *   :goto 50%                      halfway down
 *   :goto 2024-03-01T10:00         the first event at or after that time (in the interface's zone unless
 *   :goto 2024-03-01               the text names one: Z, +01:00)
 *   :goto -2h   :goto +30m         two hours before / thirty minutes after the selected event's time
 *                                  (units s m h d w), i.e. the first event at or after that time */
#ifndef CTVIEW_GOTO_H
#define CTVIEW_GOTO_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"
#include "model/base/tz.h"

enum goto_kind {
    GOTO_ROW,      /* value: 0-based row */
    GOTO_PERCENT,  /* value: 0..100 */
    GOTO_TIME,     /* value: epoch ms */
    GOTO_RELATIVE, /* value: ms to add to the selected event's time */
};

struct goto_target {
    enum goto_kind kind;
    int64_t value;
};

/* Reads arg (surrounding blanks ignored). Returns 0, or -1 with the reason in err[0..errlen). */
int goto_parse(const char *arg, const struct tz *z, struct goto_target *t, char *err, size_t errlen);

/* The row of shown[0..n) (indexes into s->events; NULL: row i is event i) that t points at, from the
 * selected row cur. A time
 * goes to the first row at or after it when the rows are in time order, else to the row nearest in time;
 * past the last time: the last row with a time. Returns cur when n is 0 or the selected event has no time
 * for GOTO_RELATIVE. */
size_t goto_row(const struct goto_target *t, const struct store *s, const uint32_t *shown, size_t n,
                size_t cur);

#endif
