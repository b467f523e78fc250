#include "tui/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/present/textsafe.h"
#include "model/state/config.h"
#include "model/state/state.h"
#include "tui/app.h"

/* The app's histories, in the state file's list order. */
static struct history *history_of(struct app *a, enum state_list l)
{
    switch (l) {
    case STATE_FILTER:
        return &a->bar.filter_hist;
    case STATE_SEARCH:
        return &a->bar.search_hist;
    default:
        return &a->cmd_hist;
    }
}

int session_start(struct app *a, const struct app_start *start)
{
    struct config c;
    config_defaults(&c);
    char *path = config_path(), *err = NULL;
    int rc = path ? config_load(&c, path, &err) : 0;
    free(path);
    if (rc != 0) {
        /* the message quotes the file's value: escaped, as anything read from a file */
        char *safe = err ? textsafe_escape_dup(err, strlen(err)) : NULL;
        fprintf(stderr, "ctview: %s\n", safe ? safe : "out of memory");
        free(safe);
        free(err);
        return 1;
    }
    a->mono = c.mono;
    a->mouse = start->no_mouse ? 0 : c.mouse;
    a->relative_time = c.relative_time;
    const char *zone = start->tz ? start->tz : c.tz[0] ? c.tz : "UTC";
    char why[200];
    if (tz_set(&a->tz, zone, why, sizeof why) != 0) {
        char *safe = textsafe_escape_dup(why, strlen(why));
        fprintf(stderr, "ctview: %s%s\n", start->tz ? "--tz: " : "config: tz: ", safe ? safe : "?");
        free(safe);
        return 1;
    }
    if (start->no_state)
        return 0;
    a->state_path = state_path();
    if (!a->state_path)
        return 0;
    struct state st = {0};
    if (state_load(&st, a->state_path, &err) != 0) {
        /* said once, in the status line; state_save leaves such a file alone at quit too */
        app_message(a, "state file ignored and left alone: %s", err ? err : "out of memory");
        free(err);
        return 0;
    }
    if (err) /* lines skipped, the rest read */
        app_message(a, "state: %s", err);
    free(err);
    for (int l = 0; l < STATE__LISTS; l++)
        for (size_t i = 0; i < st.n[l]; i++)
            prompt_history_add(history_of(a, (enum state_list)l), st.items[l][i]);
    state_clear(&st);
    return 0;
}

void session_end(struct app *a)
{
    if (a->state_path) {
        struct state st = {0};
        int nomem = 0;
        for (int l = 0; l < STATE__LISTS; l++) {
            const struct history *h = history_of(a, (enum state_list)l);
            for (size_t i = 0; i < h->n; i++)
                nomem |= state_add(&st, (enum state_list)l, h->items[i]) != 0;
        }
        char *err = NULL;
        if (!nomem && state_save(&st, a->state_path, &err) != 0)
            fprintf(stderr, "ctview: state not saved: %s\n", err ? err : "out of memory");
        free(err);
        state_clear(&st);
    }
    free(a->state_path);
    a->state_path = NULL;
    prompt_history_clear(&a->cmd_hist);
}
