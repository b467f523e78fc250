/* export: write chosen events to a file, unchanged (README: Export).
 *
 * Formats: records ({"Records":[…]} with each event's original bytes, which CloudTrail tools and ctview
 * read back byte for byte), jsonl (one minified event per line) and csv (RFC 4180, spreadsheet-safe).
 * Optional gzip. A file is written to a temporary file beside the target, fsynced, and renamed over it,
 * mode 0600; on any error the temporary file is removed and an existing target is left as it was. */
#ifndef CTVIEW_EXPORT_H
#define CTVIEW_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/store.h"

enum export_format { EXPORT_RECORDS, EXPORT_JSONL, EXPORT_CSV, EXPORT_TIMESKETCH, EXPORT__COUNT };

struct ctcase;

/* "records", "jsonl", "csv", "timesketch". */
const char *export_format_name(enum export_format f);

/* The format named name, or EXPORT__COUNT when there is none. */
enum export_format export_format_parse(const char *name);

/* File name extension of a format, with ".gz" when gzip: ".json", ".jsonl.gz", ... */
const char *export_extension(enum export_format f, int gzip);

struct export_opts {
    enum export_format format;
    int gzip;
    int force; /* replace an existing regular file */
    const struct ctcase *ccase; /* timesketch: the tags, notes and marks written (borrowed; NULL: none) */
};

enum export_status {
    EXPORT_OK,
    EXPORT_EXISTS, /* the target is an existing file and force was not set: nothing written */
    EXPORT_FAILED, /* *err says why: nothing written, an existing target untouched */
    EXPORT_PARTIAL, /* written, without some events: those whose bytes could not be read back (their file
                       changed or went since it was loaded) and, for Timesketch, those without an
                       eventTime. *err says "left out ..." with each reason and the first eventID (escaped) */
};

/* Writes events idx[0..n) of s (store indexes, written in that order) to path; "-" is standard output.
 * A target that exists but is not a regular file (a FIFO, /dev/stdout, /dev/full) is written in place.
 * On EXPORT_FAILED sets *err (owned by the caller): what failed, with the path and the system's reason. */
enum export_status export_events(struct store *s, const uint32_t *idx, size_t n, const char *path,
                                 const struct export_opts *o, char **err);

struct field;

/* As export_events, with csv's columns chosen (--columns): a header of the names as written, then each
 * field's values joined by ',' (empty when missing). cols (borrowed; model/query/field.h) NULL: the default
 * columns. Other formats ignore cols. */
enum export_status export_events_columns(struct store *s, const uint32_t *idx, size_t n, const char *path,
                                         const struct export_opts *o, struct field *cols, size_t ncols,
                                         char **err);

/* Writes text[0..len) to path as export_events writes a file (never gzip): "-", a non-regular target,
 * EXPORT_EXISTS without force, a temporary file renamed over path. For the report (model/query/report.h). */
enum export_status export_text(const char *text, size_t len, const char *path, int force, char **err);

/* The CSV text of one field into out (cap bytes), RFC 4180 quoting and a leading ' before =, +, -, @,
 * tab or CR so a spreadsheet does not run it as a formula. Returns the length (cut at cap - 1). */
size_t export_csv_field(const char *value, char *out, size_t cap);

#endif
