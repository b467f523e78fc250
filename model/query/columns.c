/* columns: the default list's columns, each a field of the field model (model/query/field.h) with how
 * the screen fits it. See columns.h. */
#include "model/query/columns.h"

#include <stdio.h>
#include <string.h>

#include "model/base/timefmt.h"

/* The screen's shorter forms of a field's text: the service without ".amazonaws.com", an ARN's tail. */
static const char *show_service(const char *text, char *buf)
{
    static const char suffix[] = ".amazonaws.com";
    size_t n = strlen(text), k = sizeof suffix - 1;
    if (n > k && n - k < COLUMN_BUF && strcmp(text + n - k, suffix) == 0) {
        memcpy(buf, text, n - k);
        buf[n - k] = '\0';
        return buf;
    }
    return text;
}

static const char *show_arn_tail(const char *text, char *buf)
{
    (void)buf;
    return evtext_arn_tail(text);
}

/* The list's columns, and how they give way when the terminal narrows (model/colfit lays them out).
 * Widths are caps: the list measures the cells it shows, so a short column costs little. Caps keep
 * whole the longest regions (us-isof-south-1, and the anonymised ones of shared samples), services
 * (elasticloadbalancing) and error codes (S3's ServerSideEncryptionConfigurationNotFoundError, 46).
 *
 * Narrowing, by prio (hidden lowest first): Source IP (spare: only when every other column has all it
 * wants), Service (the event name mostly says it), Region, Account, Error; Time, Event and Identity are
 * never hidden. Account, Region, Service and the error code (the whole part) are whole or hidden; the
 * code alone may be cut (to last) once Account has gone, which for codes up to 46 characters happens
 * only below 100 columns. The error code keeps its width before the identity takes any spare; then the
 * identity and an error message (shown for want of a code) share what is left evenly. Floors: event 15,
 * identity 16. */
static const struct column columns[COL__COUNT] = {
    /* title, field, cap, floor, last, min, prio, how it grows, shown as, part never cut */
    [COL_TIME] = {"Time", "time", 19, 19, 0, 19, 0, COLFIT_GROWS, NULL, WHOLE_NONE},
    [COL_ACCOUNT] = {"Account", "acct", 12, 12, 0, 6, 4, COLFIT_GROWS, NULL, WHOLE_CELL},
    [COL_REGION] = {"Region", "region", 24, 6, 0, 6, 3, COLFIT_GROWS, NULL, WHOLE_CELL},
    [COL_SERVICE] = {"Service", "src", 20, 6, 0, 6, 2, COLFIT_GROWS, show_service, WHOLE_CELL},
    [COL_EVENT] = {"Event", "name", 32, 15, 0, 8, 0, COLFIT_GROWS, NULL, WHOLE_NONE},
    [COL_IDENTITY] = {"Identity", "identity", 96, 16, 0, 8, 0, COLFIT_SHARES, show_arn_tail, WHOLE_NONE},
    [COL_IP] = {"Source IP", "ip", 39, 7, 0, 7, 1, COLFIT_SPARE, NULL, WHOLE_NONE},
    [COL_ERROR] = {"Error", "error", 48, 12, 12, 5, 5, COLFIT_SHARES, NULL, WHOLE_ERROR_CODE},
    [COL_EVENT_ID] = {"Event ID", "id", 36, 36, 0, 8, 0, COLFIT_GROWS, NULL, WHOLE_NONE},
};

const struct column *column_get(enum column_id id)
{
    return &columns[id];
}

/* The columns' fields, parsed once: short names, which own nothing. */
static const struct field *column_field(enum column_id id)
{
    static struct field fields[COL__COUNT];
    static int parsed[COL__COUNT];
    if (!parsed[id]) {
        struct field_error err;
        if (field_parse(columns[id].field, strlen(columns[id].field), &fields[id], &err) != 0)
            return NULL; /* a name of the table above: cannot happen */
        parsed[id] = 1;
    }
    return &fields[id];
}

const char *column_text(const struct store *s, const struct event *e, enum column_id id, char *buf)
{
    const struct field *f = id < COL__COUNT ? column_field(id) : NULL;
    if (!f)
        return "";
    const char *t = field_text1(s, f, (size_t)(e - s->events), buf, COLUMN_BUF);
    if (!columns[id].show || !*t)
        return t;
    if (t == buf) {
        /* the shorter form is a tail or a prefix of the text: work on a copy */
        char copy[COLUMN_BUF];
        snprintf(copy, sizeof copy, "%s", buf);
        t = columns[id].show(copy, buf);
        return t == buf ? buf : strcpy(buf, t);
    }
    return columns[id].show(t, buf);
}

const char *column_whole(const struct store *s, const struct event *e, enum column_id id, char *buf)
{
    switch (id < COL__COUNT ? columns[id].whole : WHOLE_NONE) {
    case WHOLE_CELL:
        return column_text(s, e, id, buf);
    case WHOLE_ERROR_CODE:
        return store_field(s, e, EF_ERROR_CODE) ? store_str(s, e, EF_ERROR_CODE) : "";
    case WHOLE_NONE:
        break;
    }
    return NULL;
}
