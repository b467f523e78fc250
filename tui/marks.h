/* marks: which events the user marked (space, M, U), one flag per store event in struct app. */
#ifndef CTVIEW_MARKS_H
#define CTVIEW_MARKS_H

#include "tui/pane.h"

struct app;

/* Allocates the flags at the first mark. Returns 0, or -1 when out of memory. */
int marks_ensure(struct app *a);
enum reaction marks_toggle(struct app *a); /* the selected event, then moves down */
enum reaction marks_all_shown(struct app *a);
enum reaction marks_clear(struct app *a);

#endif
