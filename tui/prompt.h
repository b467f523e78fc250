/* prompt: a one-line editor with a history, for the filter and search prompts. Knows nothing of what
 * the line means; the caller reacts to what prompt_key() reports. */
#ifndef CTVIEW_PROMPT_H
#define CTVIEW_PROMPT_H

#include <curses.h>
#include <stddef.h>

/* The longest line, in bytes with its NUL: room for the longest filter (FILTER_MAX_LEN,
 * model/query/filter.h) and a :note of CASE_MAX_NOTE bytes (model/state/case.h) with its command, which
 * filterbar.c and pane_command.c check at compile time. */
#define PROMPT_MAX  16384
#define HISTORY_MAX 100

struct history {
    char *items[HISTORY_MAX]; /* owned, oldest first */
    size_t n;
};

/* Adds line as the newest entry unless it is empty or the same as the newest. */
void prompt_history_add(struct history *h, const char *line);
void prompt_history_clear(struct history *h);

struct prompt {
    char buf[PROMPT_MAX];   /* NUL-terminated */
    size_t len, cur;        /* bytes; cur is always on a character boundary */
    struct history *hist;   /* borrowed, may be NULL */
    size_t hpos;            /* position while walking the history; hist->n when on the edited line */
    char draft[PROMPT_MAX]; /* the edited line, kept while walking the history */
    int cut;                /* a character was refused for want of room: the text is not what was typed */
    int draft_cut;          /* the draft's cut */
};

enum prompt_result {
    PR_NONE,   /* nothing changed */
    PR_MOVED,  /* the cursor moved */
    PR_EDITED, /* the text changed */
    PR_ACCEPT, /* Enter */
    PR_CANCEL, /* Esc, or ^C */
    PR_FULL,   /* a character refused for want of room, or Enter on such a cut line: the caller says so
                  and applies nothing (prompt_cut) */
};

/* Starts editing text (may be NULL) with the cursor at the end. */
void prompt_open(struct prompt *p, const char *text, struct history *hist);

/* Handles one key from getch(): printable characters (UTF-8 bytes arrive one by one), Left/Right,
 * Home/End, ^A/^E, Backspace, Delete, ^U (clear), ^W (delete word), Up/Down (history). Past PROMPT_MAX - 1
 * bytes a character is refused and the line marked cut; Enter on a cut line gives PR_FULL, not
 * PR_ACCEPT. */
enum prompt_result prompt_key(struct prompt *p, int ch);

/* Whether characters were refused for want of room since the line was opened or cleared (^U, a
 * history entry): the line is not what was typed, and must not be applied. */
int prompt_cut(const struct prompt *p);

/* Draws label and the text at (y, x) in width columns, scrolled so the cursor shows, and leaves the
 * curses cursor there. */
void prompt_draw(const struct prompt *p, WINDOW *w, int y, int x, int width, const char *label, attr_t at);

#endif
