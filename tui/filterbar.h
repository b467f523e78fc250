/* filterbar: the filter prompt (/), the search prompt (s) and n/N, and running a filter over the store
 * in slices between keys so that typing never waits for it. It is the one place the shown set changes
 * (besides app_absorb, which re-runs the filter in force through filterbar_refresh). */
#ifndef CTVIEW_FILTERBAR_H
#define CTVIEW_FILTERBAR_H

#include <stddef.h>
#include <stdint.h>

#include "model/query/filter.h"
#include "model/present/highlight.h"
#include "tui/pane.h"
#include "tui/prompt.h"
#include "tui/scroll.h"
#include "tui/shown.h"

enum bar_kind { BAR_CLOSED, BAR_FILTER, BAR_SEARCH };

struct filterbar {
    enum bar_kind kind;
    struct prompt line;
    struct shown saved; /* the filter in force when the filter prompt opened, restored by Esc */
    struct scroll saved_list;
    char error[320]; /* why the text in the prompt is not a valid expression */
    int typing;      /* the filter prompt's cursor is on a term being typed: not applied yet */
    struct {
        struct filter *f; /* owned while a filter runs over the store, else NULL */
        struct filter_run run;
        char *expr; /* owned */
    } job;
    struct history filter_hist, search_hist;
    struct filter *search;  /* owned: the compiled search of n/N, or NULL */
    char *search_expr;      /* owned */
    struct highlight marks; /* owned: the search's text, highlighted in the list and the detail */
    /* The shown rows the search matches, in order, for n/N's "k of N": worked out once per search and
     * shown list (valid while shown_gen is the app's), so n and N are a binary search. */
    struct {
        size_t *rows; /* owned */
        size_t n;
        uint64_t shown_gen;
        int valid;
    } hits;
};

struct app;

enum reaction filterbar_open(struct app *a, enum bar_kind kind);
enum reaction filterbar_key(struct app *a, int ch); /* while the bar is open: every key goes here */
int filterbar_rows(const struct app *a);            /* lines the bar takes above the status line */
void filterbar_draw(struct app *a, int y);          /* the prompt on line y, its error on y + 1 */
int filterbar_busy(const struct app *a);            /* a filter is running over the store */
int filterbar_work(struct app *a, double seconds);  /* runs it for about that long; 1 when it finished */
enum reaction filterbar_add_term(struct app *a, const char *term); /* ANDs term to the filter in force */
enum reaction filterbar_set(struct app *a, const char *expr);      /* replaces the filter in force */
enum reaction filterbar_search_jump(struct app *a, int dir);       /* n (dir 1) and N (dir -1) */
/* Re-runs the filter in force over the whole store (it grew) and selects store event sel. */
void filterbar_refresh(struct app *a, size_t sel);
void filterbar_free(struct app *a);

#endif
