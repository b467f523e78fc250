/* columns: the event list's columns as data: title and how to get each cell's text from an event.
 * The TUI draws them, --list prints them; both read this one table. */
#ifndef CTVIEW_COLUMNS_H
#define CTVIEW_COLUMNS_H

#include <stddef.h>

#include "model/store.h"

enum column_id {
    COL_TIME,
    COL_ACCOUNT,
    COL_REGION,
    COL_SERVICE,
    COL_EVENT,
    COL_IDENTITY,
    COL_IP,
    COL_ERROR,
    COL_EVENT_ID,
    COL__COUNT
};

#define COLUMN_BUF 128

struct column {
    const char *title;
    int width; /* widest the column grows to fit the cells on screen (wider cells are cut with an
                * ellipsis); 0: takes what is left */
    int min;   /* narrowest useful width */
    int prio;  /* when the default list is narrow, the lowest priority is hidden first; 0: never hidden */
    /* the cell's text: borrowed from the store, or written to buf (COLUMN_BUF bytes) */
    const char *(*text)(const struct store *s, const struct event *e, char *buf);
};

const struct column *column_get(enum column_id id);

/* The cell text of column id for event e: a borrowed string, or a string written to buf (COLUMN_BUF
 * bytes). "" for a missing value. The text is raw log text: escape it before display. */
const char *column_text(const struct store *s, const struct event *e, enum column_id id, char *buf);

/* The identity the list shows: arn tail (user/Alice, assumed-role/Role/session), else userName, else
 * invokedBy, else an Identity Center user's onBehalfOf.userId, else type; "(masked user)" for
 * HIDDEN_DUE_TO_SECURITY_REASONS. */
const char *column_identity_short(const struct store *s, const struct event *e);

/* The identity as --list prints it: arn, else userName, else onBehalfOf.userId, else userIdentity.type. */
const char *column_identity_full(const struct store *s, const struct event *e);

/* The error cell: errorCode, else errorMessage, else "Failure" for a failed ConsoleLogin. */
const char *column_error(const struct store *s, const struct event *e);

/* eventSource without ".amazonaws.com". */
const char *column_service(const struct store *s, const struct event *e, char *buf);

#endif
