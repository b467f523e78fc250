/* casefile: the one case of this run (model/state/case.h): opened once, before the interface or a
 * command-line mode runs, for the inputs named on the command line and the --case name; kept with
 * every store that is loaded (model/query/evcase.h) so the tag and note fields read it; changed by the
 * interface (marks, :note, :tag, :untag) and saved after each change (casefile_flush).
 *
 * The case is named by the PATH operands as given (each made absolute and canonical; an s3:// URL as
 * written, without a trailing '/'; '-' for standard input), in any order, the --paths-from file when
 * one is given, and the --case name: the same inputs and name reopen the same case. */
#ifndef CTVIEW_CASEFILE_H
#define CTVIEW_CASEFILE_H

#include <stddef.h>

#include "model/state/case.h"
#include "model/store/store.h"

/* Opens the case of these inputs and name (NULL: "default"); writes nothing when read_only (the
 * command-line modes, --no-state). Returns 0; -1 with *err (owned) when the name is not a name or out
 * of memory. A case file that cannot be read is no error here: the case is then empty, never saved
 * (the file keeps the user's work), and casefile_warning says why. */
int casefile_open(const char *const *operands, size_t n, const char *paths_from, const char *name,
                  int read_only, char **err);
void casefile_close(void);

/* The case of this run (borrowed, valid until casefile_close), or NULL before casefile_open: for
 * anything that shows or writes the analyst's marks, tags and notes (an export, a report). */
const struct ctcase *app_case(void);

/* Where the case is kept (borrowed), or NULL when no home is known. */
const char *casefile_path(void);

/* Why the case file could not be read at open (borrowed), or NULL. */
const char *casefile_warning(void);

/* What reading the case file left out or repaired (borrowed), or NULL: the rest is read and saved. */
const char *casefile_notice(void);

/* Whether changes are saved (not --no-state, not a mode, the file was readable). */
int casefile_saves(void);

/* Keeps the case with store s (the tag and note fields). 0, or -1 when out of memory. */
int casefile_attach(struct store *s);

/* Changes to the entry of event ev of s. 0, or -1 with *why (static): the event has no eventID, a tag
 * that is not one, a note too long, no case. */
int casefile_mark(const struct store *s, size_t ev, int on, const char **why);
int casefile_note(const struct store *s, size_t ev, const char *text, const char **why);
int casefile_tag(const struct store *s, size_t ev, const char *tag, int add, const char **why);

/* Saves the case when it changed since the last save and changes are saved (casefile_saves). 0 (also
 * when nothing was to be saved), or -1 with *err (owned). */
int casefile_flush(char **err);

/* --case-export: writes the case (the file's JSON) to file ('-': standard output, escaped for a terminal
 * as --list --json is; a device as --export writes one); an existing file is replaced only with force
 * (else returns 1 without writing); a case file that cannot be read is not written. 0, 1, or -1 with
 * *err (owned). */
int casefile_export(const char *file, int force, char **err);

/* --case-import: merges file into the case (case.h: the newer copy's mark and tags, every note) and
 * saves it; *changed: the entries added or changed. 0; 1 with *err (owned) when notes were left out at
 * the limit (the rest is saved); or -1 with *err (owned). */
int casefile_import(const char *file, size_t *changed, char **err);

#endif
