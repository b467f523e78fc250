/* marks: which events the user marked (space, M, U): a flag on each store event (EVF_MARKED), so a
 * mark follows its event wherever the store moves it; struct app keeps their count, and the case
 * (tui/casefile.h) keeps them between runs. */
#ifndef CTVIEW_MARKS_H
#define CTVIEW_MARKS_H

#include <stddef.h>
#include <stdint.h>

#include "tui/pane.h"

struct app;

/* Whether store event ev is marked; marks or unmarks it (keeping the count). */
int marks_on(const struct app *a, size_t ev);
void marks_set(struct app *a, size_t ev, int on);
/* Marks events [from, nevents) that the case marks (tui/casefile.h): the marks of an earlier run come
 * back as their events load. marks_set keeps the case in step. */
void marks_from_case(struct app *a, size_t from);
/* Counts the marks again, after the store was replaced (tui/follow.c). */
void marks_recount(struct app *a);
enum reaction marks_toggle(struct app *a); /* the selected event, then moves down */
enum reaction marks_all_shown(struct app *a);
enum reaction marks_clear(struct app *a);
/* Selects the next (dir 1) or previous (dir -1) shown event that is marked, wrapping; says so when none. */
enum reaction marks_jump(struct app *a, int dir);

/* The events an export writes, in time order: the marked ones, else the shown ones; store indexes,
 * owned by the caller, *n of them. NULL when out of memory. */
uint32_t *marks_chosen(struct app *a, size_t *n);

#endif
