/* source: the decoded bytes of one input (a file or stdin), gzip recognised by its magic bytes.
 *
 * A damaged gzip stream is not fatal: everything decoded before the damage is returned, and the
 * damage is reported as a warning with its position, so the records before it still load. */
#ifndef CTVIEW_SOURCE_H
#define CTVIEW_SOURCE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Most decoded bytes one input may produce; past it the input is cut and reported (a gzip bomb
 * must not take the machine's memory). */
#define SOURCE_MAX_DECODED ((size_t)2 << 30)

struct source_data {
    char *data; /* owned decoded bytes (NUL-terminated; the NUL is not counted in len) */
    size_t len;
    int gzip;               /* the input was gzip */
    int64_t size;           /* bytes read from the input, before decoding */
    int64_t mtime;          /* modification time in seconds, 0 for stdin */
    char *warning;          /* owned; set when only part of the input could be decoded */
    int64_t warning_offset; /* decoded byte offset where decoding stopped, with warning */
};

/* Reads and decodes a regular file. Never blocks on a FIFO or device (they are refused). Returns 0 and
 * fills *out (release with source_data_free), or -1 with *err set (owned) when nothing could be read.
 * stop (may be NULL): once another thread sets it, the read ends within a few milliseconds, returning
 * -1 with "cancelled" (quitting during a 2 GB file must not wait for it). */
int source_read_path(const char *path, atomic_int *stop, struct source_data *out, char **err);

/* source_read_path for a regular file whose size and mtime a stat just gave (the walk's): no other
 * system call than open, read and close (a folder of thousands of small files pays each one thousands of
 * times). A file turned into a FIFO since is not waited on (opened non-blocking); out->mtime is mtime. */
int source_read_known(const char *path, int64_t size, int64_t mtime, atomic_int *stop,
                      struct source_data *out, char **err);

/* Reads and decodes everything from fd (stdin). Same contract as source_read_path; with stop, waits
 * for input at most 50 ms at a time, so a pipe that stays open does not hold a quit back. */
int source_read_fd(int fd, atomic_int *stop, struct source_data *out, char **err);

/* Decodes in[0..len): gunzips it when it starts with the gzip magic (all members), else copies it.
 * limit caps the decoded size. Returns 0 (out->warning may be set) or -1 on out of memory. */
int source_decode(const char *in, size_t len, size_t limit, struct source_data *out, char **err);

/* Refuses, before any read, a regular file (open as fd, of size bytes) whose decoded content must pass
 * SOURCE_MAX_DECODED: larger on disk, or gzip whose trailer (ISIZE: the last member's size modulo
 * 4 GiB, so a lower bound of the whole) says so, when deflate could have made that size from the file. Returns 0, or -1 with *err (owned) naming the limit. */
int source_check_size(int fd, int64_t size, char **err);

void source_data_free(struct source_data *d);

/* Opens path for reading when it is a regular file, and fills *st. Returns the descriptor, or -1 with
 * *err set (owned by the caller). */
int source_open(const char *path, struct stat *st, char **err);

#endif
