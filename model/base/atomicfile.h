/* atomicfile: a file replaced whole or not at all. What is written goes to a temporary file in the
 * destination's folder, mode 0600 whatever the umask (exports and the state hold key ids, addresses and
 * filters typed over them); once complete it is flushed to disk and renamed over the destination, and
 * the folder flushed too, so a crash or a full disk leaves the old file or the new one, never a part.
 *
 * Each step reports like the system calls it wraps, -1 with errno set, so the caller words the message
 * for its own reader (model/base/errmsg.h). */
#ifndef CTVIEW_ATOMICFILE_H
#define CTVIEW_ATOMICFILE_H

#include <stddef.h>

struct atomicfile {
    int fd;           /* the temporary file, open for writing; -1 once closed */
    char *tmp;        /* owned: its name, NULL once it is in place */
    char *dir;        /* owned: the destination's folder (NULL when out of memory) */
    const char *path; /* borrowed: the destination */
    int cache;        /* set by the caller after atomicfile_open: a cache file whose reader checks it whole (a
                         checksum), so nothing is flushed to disk: a crash may leave a torn file under the name,
                         which the reader refuses and rebuilds, and no one waits for the disk */
};

/* Creates the temporary file for path. Returns 0, or -1 with errno set; either way atomicfile_done
 * must follow (it frees a). */
int atomicfile_open(struct atomicfile *a, const char *path);

/* Makes the file complete on disk: mode 0600, fsync (unless a->cache), close. 0, or -1 with errno set. */
int atomicfile_sync(struct atomicfile *a);

/* Puts the synced file at its path: renamed over what is there when replace is nonzero, else only when
 * nothing is (then 1 when something is, the temporary file removed). Flushes the folder (unless a->cache). 0,
 * 1, or -1 with errno set. */
int atomicfile_place(struct atomicfile *a, int replace);

/* Closes and frees a, removing the temporary file unless it was placed. Keeps errno. */
void atomicfile_done(struct atomicfile *a);

/* Writes data[0..len) as the whole of path (replacing it). 0, or -1 with *err set to "cannot write
 * PATH: reason" (owned by the caller; NULL when out of memory). */
int atomicfile_write(const char *path, const char *data, size_t len, char **err);

#endif
