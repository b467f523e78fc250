/* case: the investigator's case over one set of logs: marks, notes and tags on events, kept between runs.
 *
 * An event is named by its key "recipientAccountId:eventID" (the dedupe key, README: Inputs), so a case
 * outlives the store it was made over: notes on events that are no longer loaded are kept and listed,
 * never dropped. The file is JSON, one object (README: The case):
 *   {"ctview_case": 1, "name": "default", "inputs": ["/abs/path", ...],
 *    "events": [{"event": "111122223333:eventid", "marked": true, "tags": ["exfil"],
 *                "notes": ["read the key", ...], "updated": 1733600000123}, ...]}
 * "updated" (ms since the epoch) decides which of two copies of one event's entry wins when two
 * instances save the same case (case_save re-reads the file and merges: the newer entry wins, entries
 * only one side has are kept).
 *
 * Limits, each refused with the file, the position and the reason: the file CASE_MAX_FILE bytes,
 * CASE_MAX_EVENTS entries, a note CASE_MAX_NOTE bytes (CASE_MAX_NOTES of them an event), a tag
 * CASE_MAX_TAG bytes of letters, digits and -_.:/@ (CASE_MAX_TAGS an event). */
#ifndef CTVIEW_CASE_H
#define CTVIEW_CASE_H

#include <stddef.h>
#include <stdint.h>

#define CASE_MAX_FILE (64u << 20)
#define CASE_MAX_EVENTS 1000000
#define CASE_MAX_NOTE 4096
#define CASE_MAX_NOTES 64
#define CASE_MAX_TAG 64
#define CASE_MAX_TAGS 32

struct case_entry {
    char *event; /* owned: "ACCOUNT:EVENTID" */
    int marked;
    char **tags; /* owned, each owned, sorted, no duplicates */
    size_t ntags;
    char **notes; /* owned, each owned, in the order written */
    size_t nnotes;
    int64_t updated; /* ms since the epoch of the last change */
};

struct ctcase {
    char *name; /* owned */
    struct case_entry *v; /* owned, sorted by event */
    size_t n, cap;
};

/* A new empty case named name ("default" when NULL); NULL when out of memory. */
struct ctcase *case_new(const char *name);
void case_free(struct ctcase *c);

/* The entry of event key, or NULL. Borrowed: valid until the case changes. */
const struct case_entry *case_get(const struct ctcase *c, const char *key);

/* Changes to one event's entry. Each returns 0, or -1 with *err (a static string) saying why (a tag
 * that is not a tag, a note too long, too many). now_ms stamps the entry's "updated". */
int case_set_mark(struct ctcase *c, const char *key, int marked, int64_t now_ms, const char **err);
int case_add_note(struct ctcase *c, const char *key, const char *text, int64_t now_ms, const char **err);
int case_add_tag(struct ctcase *c, const char *key, const char *tag, int64_t now_ms, const char **err);
int case_remove_tag(struct ctcase *c, const char *key, const char *tag, int64_t now_ms, const char **err);

/* Whether tag is a valid tag name (NULL *why when it is, else the reason). */
int case_tag_valid(const char *tag, const char **why);

/* Reads a case file into c, merging (an entry of the file replaces c's when it is newer). A missing
 * file is not an error (returns 0). Returns 0, or -1 with *err (owned by the caller): the path, the
 * position where known, and the reason; c is then unchanged. */
int case_load(struct ctcase *c, const char *path, char **err);

/* Writes c to path: under an exclusive lock on path.lock, re-reads path and merges it into c first (so
 * a second instance's work is kept), then writes a temporary file beside it (mode 0600), fsyncs and
 * renames it over path. Returns 0, or -1 with *err (owned by the caller). */
int case_save(struct ctcase *c, const char *path, char **err);

/* The case file for inputs (canonical paths, in any order) and a case name, under
 * $XDG_DATA_HOME/ctview/cases/ (else ~/.local/share/ctview/cases/): the same inputs and name give the
 * same file. Owned by the caller; NULL when no home is known or out of memory. */
char *case_path_for(const char *const *inputs, size_t n, const char *name);

#endif
