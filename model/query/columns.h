/* columns: the default layout of the event list as data: each column is a field of the field model
 * (model/query/field.h), so its cell is that field's text (shown shorter where the screen wants it:
 * the service without ".amazonaws.com", an identity's ARN tail), with its title and how it fits the
 * screen. --list prints the same fields whole (FIELD_LIST_DEFAULT). */
#ifndef CTVIEW_COLUMNS_H
#define CTVIEW_COLUMNS_H

#include <stddef.h>

#include "model/present/colfit.h"
#include "model/query/field.h"
#include "model/store/evtext.h"
#include "model/store/store.h"

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

/* The list on screen shows the columns before this one, in id order; the event ID is --list's only. */
#define COL_SHOWN COL_EVENT_ID

#define COLUMN_BUF EVTEXT_BUF

/* The part of a cell that is never cut (see struct column). */
enum column_whole {
    WHOLE_NONE,       /* none */
    WHOLE_CELL,       /* the whole cell */
    WHOLE_ERROR_CODE, /* errorCode: the error cell may add a message after it */
};

/* A column and how it fits on screen (model/colfit): the list measures its cells over the rows shown,
 * header included, and gives it at most width columns; narrow, it shrinks to floor, then the
 * lowest-priority columns are hidden first. The part of a cell named by whole (column_whole) is never
 * cut: the column is as wide as the widest such part on screen (up to width), or hidden. */
struct column {
    const char *title;
    const char *field; /* the field's short name */
    int width;         /* the cap: widest the column grows to fit the cells on screen (wider ones are cut with
                        * an ellipsis) */
    int floor;         /* narrowest before a column of lower priority is hidden */
    int last;          /* 0, or what the column's whole part may be cut to before the column is hidden */
    int min;           /* narrowest useful width (a never-hidden column on a very narrow screen) */
    int prio;          /* when narrow, the lowest priority is hidden first; 0: never hidden */
    enum colfit_grow grow;
    /* NULL, or the screen's shorter form of the field's text (borrowed from text or written to buf,
     * COLUMN_BUF bytes) */
    const char *(*show)(const char *text, char *buf);
    enum column_whole whole;
};

const struct column *column_get(enum column_id id);

/* The cell text of column id for event e: its field's text as the screen shows it, borrowed or written
 * to buf (COLUMN_BUF bytes). "" for a missing value. The text is raw log text: escape it before display. */
const char *column_text(const struct store *s, const struct event *e, enum column_id id, char *buf);

/* The part of the cell that is never cut (borrowed or in buf, as column_text), or NULL when the column
 * has none. */
const char *column_whole(const struct store *s, const struct event *e, enum column_id id, char *buf);

#endif
