#include "tui/pane.h"

/* The pane table: generated from PANES, so a pane is listed once. */
static const struct pane_ops *const table[PANE__COUNT] = {
#define X(id, ops) [id] = &ops,
    PANES(X)
#undef X
};

const struct pane_ops *pane_get(enum pane_id p)
{
    return table[p];
}

enum pane_id pane_by_toggle(enum action act)
{
    for (int p = 0; p < PANE__COUNT; p++)
        if (act != ACT_NONE && table[p]->toggle == act)
            return (enum pane_id)p;
    return PANE__COUNT;
}
