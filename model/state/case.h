/* case: the investigator's case over one set of logs: marks, notes and tags on events, kept between runs.
 *
 * An event is named by its key "recipientAccountId:eventID" (the dedupe key, README: Inputs), so a case
 * outlives the store it was made over: notes on events that are no longer loaded are kept and listed,
 * never dropped. The file is JSON, one object (README: The case):
 *   {"ctview_case": 1, "name": "default", "inputs": ["/abs/path", ...],
 *    "events": [{"event": "111122223333:eventid", "marked": true, "tags": ["exfil"],
 *                "notes": ["read the key", ...], "updated": 1733600000123}, ...]}
 * Two instances saving one case: case_save re-reads the file under a lock and applies to it only the
 * changes made here since the last save (struct case_op: a mark, an unmark, a tag added or removed, a
 * note), each on its own, so that neither loses the other's work (a mark here and a tag there on one
 * event are both kept). An import merges whole entries: "updated" (ms since the epoch) decides which
 * copy's mark and tags win, the newer; the notes of both are kept (a note is never removed: the case is
 * a record of the investigation, and a merge must not lose a colleague's note), entries only one side
 * has are kept. An entry that holds nothing any more (its mark and last tag removed) stays in the file with
 * its time, so that the removal wins over an older copy that still has them.
 *
 * Limits, each refused with the file, the position and the reason: the file CASE_MAX_FILE bytes,
 * CASE_MAX_EVENTS entries, a note CASE_MAX_NOTE bytes (CASE_MAX_NOTES of them an event), a tag
 * CASE_MAX_TAG bytes of letters, digits and -_.:/@ (CASE_MAX_TAGS an event). */
#ifndef CTVIEW_CASE_H
#define CTVIEW_CASE_H

#include <stddef.h>
#include <stdint.h>

#define CASE_MAX_FILE   (256u << 20)
#define CASE_MAX_EVENTS 1000000
#define CASE_MAX_NOTE   4096
#define CASE_MAX_NOTES  64
#define CASE_MAX_TAG    64
#define CASE_MAX_TAGS   32
/* the latest "updated" a file may hold: 9999-12-31T23:59:59.999Z in ms */
#define CASE_MAX_UPDATED 253402300799999LL

struct case_entry {
    char *event; /* owned: "ACCOUNT:EVENTID" */
    int marked;
    char **tags; /* owned, each owned, sorted, no duplicates */
    size_t ntags;
    char **notes; /* owned, each owned, in the order written */
    size_t nnotes;
    int64_t updated; /* ms since the epoch of the last change */
};

/* One change made here, kept until it is saved: a save applies these, not the whole entry, to the file
 * as another instance may have left it, so that each part of an entry (its mark, each tag, each note)
 * is merged on its own. */
enum case_op_kind { CASE_OP_MARK, CASE_OP_UNMARK, CASE_OP_TAG, CASE_OP_UNTAG, CASE_OP_NOTE };
struct case_op {
    unsigned char kind; /* enum case_op_kind */
    char *key;          /* owned */
    char *arg;          /* owned: the tag or note, or NULL */
    int64_t at;         /* ms since the epoch */
};

struct ctcase {
    char *name;           /* owned */
    struct case_entry *v; /* owned, in the order first written (the file is sorted by event); entries
                             that hold nothing (case_get says NULL) are removals kept for merging */
    size_t n, cap;
    uint32_t *slots; /* owned: hash index of v by event (index + 1, 0 empty), nslots a power of two */
    size_t nslots;
    char **inputs; /* owned: what the case is over, as written in the file (case_set_inputs) */
    size_t ninputs;
    uint64_t gen; /* changes at every change of an entry: for what is computed from the case */
    /* the file as case_save last wrote it (device, inode, size, mtime in ns): unchanged since, it holds
       nothing to merge, and the next save need not read it again */
    uint64_t saved_id[4];
    char *notice;        /* owned: what reading a file left out or repaired (entries, notes), or NULL */
    struct case_op *ops; /* owned: the changes made here since the last save, in order */
    size_t nops, capops;
    int no_journal; /* changes are not kept in ops (a case a save builds) */
};

/* A new empty case named name ("default" when NULL); NULL when out of memory. */
struct ctcase *case_new(const char *name);
void case_free(struct ctcase *c);

/* The entry of event key, or NULL when the case holds nothing for it. Borrowed: valid until the case
 * changes. */
const struct case_entry *case_get(const struct ctcase *c, const char *key);

/* How many events the case holds something for (a mark, a tag or a note). */
size_t case_count(const struct ctcase *c);

/* Records what the case is over (copied; written in the file as "inputs"). 0, or -1 out of memory. */
int case_set_inputs(struct ctcase *c, const char *const *inputs, size_t n);

/* Changes to one event's entry. Each returns 0, or -1 with *err (a static string) saying why (a tag
 * that is not a tag, a note too long or not UTF-8, too many); case_remove_tag returns 1 with *err when
 * the event has no such tag. now_ms stamps the entry's "updated". */
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

/* case_load that also says how many entries of c the file added or changed (*changed, may be NULL). */
int case_merge_file(struct ctcase *c, const char *path, size_t *changed, char **err);

/* case_merge_file for --case-import: a missing file is an error when must_exist, and an "updated"
 * after now_ms (another machine's clock ahead) is taken as now_ms, so that a later change here wins.
 * With must_exist the file is read strictly (one bad entry refuses it all, it may be a symbolic link, a
 * pipe or '-' for standard input) and notes left out at CASE_MAX_NOTES return 1 with *err (the rest
 * is merged); else an entry that cannot be read is left out, a note that is not UTF-8 repaired, and
 * c->notice says so. */
int case_import_file(struct ctcase *c, const char *path, int64_t now_ms, int must_exist, size_t *changed,
                     char **err);

/* The case as the file holds it: one JSON object, entries sorted by event. Owned by the caller; NULL
 * when out of memory. */
char *case_json(const struct ctcase *c);

/* Writes c to path: under an exclusive lock on path.lock, when path changed since c last read or wrote
 * it, reads it again and applies to it the changes made here (c->ops), which then is c; writes a
 * temporary file beside it (mode 0600), fsyncs and renames it over path. Returns 0, or -1 with *err
 * (owned by the caller): not saved, or saved without a change that no longer applies (a 65th note). */
int case_save(struct ctcase *c, const char *path, char **err);

/* case_save that first merges the case file import (case_import_file, must_exist) into the case as
 * path holds it, under the same lock: what another instance saved meanwhile is kept. Returns as
 * case_import_file (1: notes left out at the limit, the rest saved). */
int case_import_save(struct ctcase *c, const char *path, const char *import, int64_t now_ms, size_t *changed,
                     char **err);

/* The case file for inputs (canonical paths, in any order) and a case name, under
 * $XDG_DATA_HOME/ctview/cases/ (else ~/.local/share/ctview/cases/): the same inputs and name give the
 * same file. Owned by the caller; NULL when no home is known or out of memory. */
char *case_path_for(const char *const *inputs, size_t n, const char *name);

#endif
