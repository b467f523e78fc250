/* problems: what went wrong while loading, one row per problem, with where and why.
 *
 * A row names the file, a byte offset into its decoded content (or -1 when the problem concerns the
 * whole file), the record's index in the file (or -1), and a reason. Rows are kept in the order they
 * were added; the Problems view and --stats read them. */
#ifndef CTVIEW_PROBLEMS_H
#define CTVIEW_PROBLEMS_H

#include <stddef.h>
#include <stdint.h>

enum problem_kind {
    PROBLEM_FILE,   /* the file as a whole: unreadable, truncated gzip, not a log, ... */
    PROBLEM_RECORD, /* one record: malformed JSON, not an object, ... (counted in bad_records) */
    PROBLEM_NOTE,   /* a skipped digest or non-JSON file: counted, not an error */
};

struct problem {
    enum problem_kind kind;
    char *file;     /* owned */
    int64_t offset; /* byte offset in the decoded file, -1 if none */
    int64_t record; /* 0-based record index in the file, -1 if none */
    char *reason;   /* owned */
};

struct problems {
    struct problem *rows;
    size_t count, cap;
};

void problems_init(struct problems *p);
void problems_clear(struct problems *p);

/* Adds a row; file and the formatted reason are copied. Returns 0, or -1 when out of memory (the row
 * is then lost, which is the one case where a problem is not recorded). */
int problems_add(struct problems *p, enum problem_kind kind, const char *file, int64_t offset, int64_t record,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Moves every row of src to the end of dst, leaving src empty. Returns 0 or -1 (out of memory; src kept). */
int problems_take(struct problems *dst, struct problems *src);

/* Number of rows of the given kind. */
size_t problems_count(const struct problems *p, enum problem_kind kind);

/* The row saying why the input named exactly path was not read at all (missing, unreadable, not
 * enterable, too large), or NULL when it was read (damage found inside a read file, a skipped FIFO or a
 * non-log file do not count). Borrowed from p. The command line uses it for the paths the user named. */
const struct problem *problems_unread(const struct problems *p, const char *path);

#endif
