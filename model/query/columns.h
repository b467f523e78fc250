/* columns: the event list's columns as data: title and how to get each cell's text from an event.
 * The TUI draws them, --list prints them; both read this one table. */
#ifndef CTVIEW_COLUMNS_H
#define CTVIEW_COLUMNS_H

#include <stddef.h>

#include "model/present/colfit.h"
#include "model/store/store.h"
#include "model/store/evtext.h"

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

#define COLUMN_BUF EVTEXT_BUF

/* A column and how it fits on screen (model/colfit): the list measures its cells over the rows shown,
 * header included, and gives it at most width columns; narrow, it shrinks to floor, then the
 * lowest-priority columns are hidden first. The part of a cell that whole returns is never cut: the
 * column is as wide as the widest such part on screen (up to width), or hidden. */
struct column {
    const char *title;
    int width; /* the cap: widest the column grows to fit the cells on screen (wider ones are cut with
                * an ellipsis) */
    int floor; /* narrowest before a column of lower priority is hidden */
    int last;  /* 0, or what the column's whole part may be cut to before the column is hidden */
    int min;   /* narrowest useful width (a never-hidden column on a very narrow screen) */
    int prio;  /* when narrow, the lowest priority is hidden first; 0: never hidden */
    enum colfit_grow grow;
    /* the cell's text: borrowed from the store, or written to buf (COLUMN_BUF bytes) */
    const char *(*text)(const struct store *s, const struct event *e, char *buf);
    /* NULL, or the part of the cell that is never cut (borrowed or in buf, like text) */
    const char *(*whole)(const struct store *s, const struct event *e, char *buf);
};

const struct column *column_get(enum column_id id);

/* The cell text of column id for event e: a borrowed string, or a string written to buf (COLUMN_BUF
 * bytes). "" for a missing value. The text is raw log text: escape it before display. */
const char *column_text(const struct store *s, const struct event *e, enum column_id id, char *buf);

#endif
