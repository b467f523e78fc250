/* walk: expand the user's paths into the list of files to read, in a stable order.
 *
 * Directories are walked recursively, entries sorted by name so the same tree always loads in the same
 * order. Symbolic links are followed, but each directory is entered once (by device and inode), which
 * ends symlink loops. FIFOs, sockets and devices are never opened. Everything not read is reported. */
#ifndef CTVIEW_WALK_H
#define CTVIEW_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "model/base/problems.h"

struct walk_file {
    char *path;    /* owned */
    int64_t size;  /* as seen by stat */
    int is_stdin;  /* the path was "-" */
    int walked;    /* size and mtime come from the walk's stat: a regular file then */
    int64_t mtime; /* as seen by stat, with walked */
    char *etag;    /* owned: an S3 object's ETag as listed (path is its file in the S3 cache), else NULL */
};

struct walk_list {
    struct walk_file *files;
    size_t count, cap;
    uint64_t skipped; /* entries that are not regular files, or could not be entered */
    uint64_t pruned;  /* files and folders left unopened because their name is outside the time range */
    int ranged;       /* prune by [since_ms, until_ms) (set before walking) */
    int64_t since_ms, until_ms;
    const char *accounts, *regions; /* borrowed, comma-separated or NULL: the S3 layout's accounts and
                                       regions to enter (pathinfo_scope_outside); others count in pruned */
};

/* Appends the files under paths[0..n) to list; problems get a row for every entry not read. Entries the
 * S3 layout dates outside [list->since_ms, list->until_ms) are counted in pruned, not opened, when
 * list->ranged is set; so are the layout's folders of accounts and regions outside list->accounts and
 * list->regions.
 * Returns 0, or -1 when out of memory. */
int walk_paths(const char *const *paths, size_t n, struct walk_list *list, struct problems *problems);
void walk_list_free(struct walk_list *list);

#endif
