/* stream: a large input's decoded bytes in order, a window at a time, so that it is never held whole.
 *
 * A plain file is read as it is; a gzip file (recognised by its magic bytes) is inflated as it is read, all
 * members, with the damage reported as source_read_path reports it: what decoded before the damage is
 * returned, and the damage becomes the warning. */
#ifndef CTVIEW_STREAM_H
#define CTVIEW_STREAM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct stream;

/* Opens a regular file. Returns 0 and sets *out (free with stream_close), or -1 with *err set (owned). */
int stream_open(const char *path, struct stream **out, char **err);

/* Reads up to cap decoded bytes into buf; *got = 0 at the end (or at the damage, or at the
 * SOURCE_MAX_DECODED limit). Returns 0, or -1 with *err set (owned) when the file cannot be read further or
 * stop was set (err "cancelled"). */
int stream_read(struct stream *st, char *buf, size_t cap, size_t *got, atomic_int *stop, char **err);

int stream_gzip(const struct stream *st);
int64_t stream_size(const struct stream *st);  /* bytes of the file, as opened */
int64_t stream_mtime(const struct stream *st); /* seconds */

/* Why the decoded bytes ended early (borrowed, NULL when they did not), and the decoded offset where. */
const char *stream_warning(const struct stream *st, int64_t *offset);

void stream_close(struct stream *st);

/* Reads bytes [off, off + len) of the plain file path into buf, after checking that it still has the size and
 * modification time it had at load. Returns 0, or -1 with *err set (owned). */
int stream_pread(const char *path, int64_t size, int64_t mtime, uint64_t off, char *buf, size_t len,
                 char **err);

#endif
