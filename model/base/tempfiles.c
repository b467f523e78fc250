/* tempfiles: see tempfiles.h. */
#include "model/base/tempfiles.h"

#include <limits.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { SLOT_FREE, SLOT_FILLING, SLOT_FILE, SLOT_DIR };

static struct {
    atomic_int state;
    atomic_uint order; /* when it was added: newest removed first */
    char path[PATH_MAX];
} slots[TEMPFILES_SLOTS];

static atomic_uint counter;

int tempfiles_add(const char *path, int is_dir)
{
    size_t len = strlen(path);
    if (len >= PATH_MAX)
        return -1;
    for (int i = 0; i < TEMPFILES_SLOTS; i++) {
        int expect = SLOT_FREE;
        if (!atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_FILLING))
            continue;
        memcpy(slots[i].path, path, len + 1);
        atomic_store(&slots[i].order, atomic_fetch_add(&counter, 1) + 1);
        atomic_store(&slots[i].state, is_dir ? SLOT_DIR : SLOT_FILE);
        return i;
    }
    return -1;
}

void tempfiles_drop(int slot)
{
    if (slot >= 0 && slot < TEMPFILES_SLOTS)
        atomic_store(&slots[slot].state, SLOT_FREE);
}

void tempfiles_remove_all(void)
{
    /* newest first: a folder's files before the folder */
    unsigned done_above = UINT_MAX;
    for (;;) {
        int best = -1;
        unsigned best_order = 0;
        for (int i = 0; i < TEMPFILES_SLOTS; i++) {
            int st = atomic_load(&slots[i].state);
            unsigned o = atomic_load(&slots[i].order);
            if ((st == SLOT_FILE || st == SLOT_DIR) && o < done_above && o > best_order) {
                best = i;
                best_order = o;
            }
        }
        if (best < 0)
            return;
        if (atomic_load(&slots[best].state) == SLOT_DIR)
            rmdir(slots[best].path);
        else
            unlink(slots[best].path);
        done_above = best_order;
    }
}
