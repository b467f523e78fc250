#include "model/query/columns.h"

#include <string.h>

#include "model/base/timefmt.h"

static const char *cell_time(const struct store *s, const struct event *e, char *buf)
{
    (void)s;
    return timefmt_format(e->time_ms, buf);
}

static const char *cell_account(const struct store *s, const struct event *e, char *buf)
{
    (void)buf;
    /* recipientAccountId, else the account whose trail delivered the file */
    if (store_field(s, e, EF_ACCOUNT))
        return store_str(s, e, EF_ACCOUNT);
    return e->source < s->nsources ? intern_str(s->strings, s->sources[e->source].trail_account) : "";
}

#define FIELD_CELL(fn, field)                                                                                \
    static const char *fn(const struct store *s, const struct event *e, char *buf)                           \
    {                                                                                                        \
        (void)buf;                                                                                           \
        return store_str(s, e, field);                                                                       \
    }
FIELD_CELL(cell_region, EF_REGION)
FIELD_CELL(cell_event, EF_NAME)
FIELD_CELL(cell_ip, EF_IP)
FIELD_CELL(cell_event_id, EF_EVENT_ID)

static const char *cell_identity(const struct store *s, const struct event *e, char *buf)
{
    (void)buf;
    return evtext_identity_short(s, e);
}

static const char *cell_error(const struct store *s, const struct event *e, char *buf)
{
    (void)buf;
    return evtext_error(s, e);
}

static const char *cell_error_code(const struct store *s, const struct event *e, char *buf)
{
    (void)buf;
    return store_field(s, e, EF_ERROR_CODE) ? store_str(s, e, EF_ERROR_CODE) : "";
}

/* The list's columns, and how they give way when the terminal narrows (model/colfit lays them out).
 * Widths are caps: the list measures the cells it shows, so a short column costs little. Caps keep
 * whole the longest regions (us-isof-south-1, and the anonymised ones of shared samples), services
 * (elasticloadbalancing) and error codes (S3's ServerSideEncryptionConfigurationNotFoundError, 46).
 *
 * Narrowing, by prio (hidden lowest first): Source IP (spare: only when every other column has all it
 * wants), Service (the event name mostly says it), Region, Account, Error; Time, Event and Identity are
 * never hidden. Account, Region, Service and the error code (the whole accessor) are whole or hidden;
 * the code alone may be cut (to last) once Account has gone, which for codes up to 46 characters
 * happens only below 100 columns. The error code keeps its width before the identity takes any spare; then
 * the identity and an error message (shown for want of a code) share what is left evenly. Floors: event 15,
 * identity 16. */
static const struct column columns[COL__COUNT] = {
    /* title, cap, floor, last, min, prio, how it grows, the cell, its part never cut */
    [COL_TIME] = {"Time", 19, 19, 0, 19, 0, COLFIT_GROWS, cell_time, NULL},
    [COL_ACCOUNT] = {"Account", 12, 12, 0, 6, 4, COLFIT_GROWS, cell_account, cell_account},
    [COL_REGION] = {"Region", 24, 6, 0, 6, 3, COLFIT_GROWS, cell_region, cell_region},
    [COL_SERVICE] = {"Service", 20, 6, 0, 6, 2, COLFIT_GROWS, evtext_service, evtext_service},
    [COL_EVENT] = {"Event", 32, 15, 0, 8, 0, COLFIT_GROWS, cell_event, NULL},
    [COL_IDENTITY] = {"Identity", 96, 16, 0, 8, 0, COLFIT_SHARES, cell_identity, NULL},
    [COL_IP] = {"Source IP", 39, 7, 0, 7, 1, COLFIT_SPARE, cell_ip, NULL},
    [COL_ERROR] = {"Error", 48, 12, 12, 5, 5, COLFIT_SHARES, cell_error, cell_error_code},
    [COL_EVENT_ID] = {"Event ID", 36, 36, 0, 8, 0, COLFIT_GROWS, cell_event_id, NULL},
};

const struct column *column_get(enum column_id id)
{
    return &columns[id];
}

const char *column_text(const struct store *s, const struct event *e, enum column_id id, char *buf)
{
    return id < COL__COUNT ? columns[id].text(s, e, buf) : "";
}
