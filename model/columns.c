#include "model/columns.h"

#include <string.h>

#include "model/timefmt.h"

const char *column_identity_full(const struct store *s, const struct event *e)
{
    if (store_field(s, e, EF_UI_ARN))
        return store_str(s, e, EF_UI_ARN);
    if (store_field(s, e, EF_UI_USER))
        return store_str(s, e, EF_UI_USER);
    if (store_field(s, e, EF_UI_OBO_USER))
        return store_str(s, e, EF_UI_OBO_USER); /* an Identity Center user has no ARN */
    return store_str(s, e, EF_UI_TYPE);
}

const char *column_identity_short(const struct store *s, const struct event *e)
{
    if (e->flags & EVF_USER_MASKED)
        return "(masked user)";
    if (store_field(s, e, EF_UI_ARN)) {
        /* arn:partition:service:region:account:resource -> resource */
        const char *arn = store_str(s, e, EF_UI_ARN), *p = arn;
        for (int colons = 0; colons < 5 && p; colons++) {
            p = strchr(p, ':');
            if (p)
                p++;
        }
        return p && *p ? p : arn;
    }
    if (store_field(s, e, EF_UI_USER))
        return store_str(s, e, EF_UI_USER);
    if (store_field(s, e, EF_UI_INVOKED_BY))
        return store_str(s, e, EF_UI_INVOKED_BY);
    if (store_field(s, e, EF_UI_OBO_USER))
        return store_str(s, e, EF_UI_OBO_USER);
    return store_str(s, e, EF_UI_TYPE);
}

const char *column_error(const struct store *s, const struct event *e)
{
    if (store_field(s, e, EF_ERROR_CODE))
        return store_str(s, e, EF_ERROR_CODE);
    if (store_field(s, e, EF_ERROR_MESSAGE))
        return store_str(s, e, EF_ERROR_MESSAGE);
    return e->flags & EVF_LOGIN_FAILURE ? "Failure" : "";
}

const char *column_service(const struct store *s, const struct event *e, char *buf)
{
    const char *src = store_str(s, e, EF_SOURCE);
    static const char suffix[] = ".amazonaws.com";
    size_t n = strlen(src), k = sizeof suffix - 1;
    if (n > k && n - k < COLUMN_BUF && strcmp(src + n - k, suffix) == 0) {
        memcpy(buf, src, n - k);
        buf[n - k] = '\0';
        return buf;
    }
    return src;
}

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
    return column_identity_short(s, e);
}

static const char *cell_error(const struct store *s, const struct event *e, char *buf)
{
    (void)buf;
    return column_error(s, e);
}

static const struct column columns[COL__COUNT] = {
    [COL_TIME] = {"Time", 19, 19, cell_time},
    [COL_ACCOUNT] = {"Account", 12, 6, cell_account},
    [COL_REGION] = {"Region", 11, 6, cell_region},
    [COL_SERVICE] = {"Service", 10, 6, column_service},
    [COL_EVENT] = {"Event", 22, 10, cell_event},
    [COL_IDENTITY] = {"Identity", 0, 8, cell_identity},
    [COL_IP] = {"Source IP", 15, 7, cell_ip},
    [COL_ERROR] = {"Error", 14, 5, cell_error},
    [COL_EVENT_ID] = {"Event ID", 36, 8, cell_event_id},
};

const struct column *column_get(enum column_id id)
{
    return &columns[id];
}

const char *column_text(const struct store *s, const struct event *e, enum column_id id, char *buf)
{
    return id < COL__COUNT ? columns[id].text(s, e, buf) : "";
}
