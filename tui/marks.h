/* marks: which events the user marked (space, M, U), one flag per store event in struct app. */
#ifndef CTVIEW_MARKS_H
#define CTVIEW_MARKS_H

#include <stddef.h>
#include <stdint.h>

#include "tui/pane.h"

struct app;

/* Allocates the flags at the first mark. Returns 0, or -1 when out of memory. */
int marks_ensure(struct app *a);
enum reaction marks_toggle(struct app *a); /* the selected event, then moves down */
enum reaction marks_all_shown(struct app *a);
enum reaction marks_clear(struct app *a);
/* Selects the next (dir 1) or previous (dir -1) shown event that is marked, wrapping; says so when none. */
enum reaction marks_jump(struct app *a, int dir);

/* The events an export writes, in time order: the marked ones, else the shown ones; store indexes,
 * owned by the caller, *n of them. NULL when out of memory. */
uint32_t *marks_chosen(struct app *a, size_t *n);

#endif
