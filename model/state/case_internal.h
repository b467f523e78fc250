/* case_internal: what model/state/case.c shares with casesave.c (the save and its merge), for these two
 * files only. */
#ifndef CTVIEW_CASE_INTERNAL_H
#define CTVIEW_CASE_INTERNAL_H

struct ctcase;     /* model/state/case.h */
struct case_entry; /* model/state/case.h */

/* The entry of key, made (empty) when there is none; NULL with *err when out of memory or full. Borrowed:
 * valid until the case changes. */
struct case_entry *case_entry_for(struct ctcase *c, const char *key, const char **err);

/* Whether e holds note text. */
int case_entry_has_note(const struct case_entry *e, const char *text);

/* Forgets the changes kept for the next save (c->ops): they are in the file. */
void case_ops_clear(struct ctcase *c);

#endif
