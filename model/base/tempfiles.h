/* tempfiles: the temporary files and folders the program has on disk right now (an export being
 * written, the copy a pager or editor reads), so that a signal that ends the program removes them.
 *
 * A fixed number of slots, filled and emptied by any thread, read by a signal handler: tempfiles_remove_all
 * only calls unlink and rmdir, which are async-signal-safe. */
#ifndef CTVIEW_TEMPFILES_H
#define CTVIEW_TEMPFILES_H

#define TEMPFILES_SLOTS 8

/* Remembers path (copied; a folder when is_dir, removed after the files registered after it). Returns a
 * slot number for tempfiles_drop, or -1 when every slot is taken or the path is too long (the file is
 * then not removed on a signal, as before). */
int tempfiles_add(const char *path, int is_dir);

/* Forgets slot (once the file is renamed into place or removed); -1 is ignored. */
void tempfiles_drop(int slot);

/* Removes every remembered file and folder, newest first. For a signal handler. */
void tempfiles_remove_all(void);

#endif
