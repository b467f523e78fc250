/* yank: the selected event out of the terminal: its minified JSON to the clipboard (OSC 52), its pretty
 * JSON in $PAGER. */
#ifndef CTVIEW_YANK_H
#define CTVIEW_YANK_H

#include <stddef.h>

#include "tui/pane.h"

struct app;

/* Copies store event ev's minified JSON to the clipboard with OSC 52 (base64 of exactly those bytes);
 * says so, with the size, in the status line. */
enum reaction yank_event(struct app *a, size_t ev);

/* Copies text[0..len) to the clipboard with OSC 52 and says so, naming it as what ("the value"). */
enum reaction yank_text(struct app *a, const char *text, size_t len, const char *what);

/* Shows store event ev's pretty JSON in $PAGER (default less) from a private read-only copy; the screen
 * comes back as it was. */
enum reaction yank_page_event(struct app *a, size_t ev);

/* Opens the marked events, in time order, in $EDITOR (default vi) as one read-only CloudTrail log file of
 * their pretty JSON, from a private copy removed afterwards. */
enum reaction yank_edit_marked(struct app *a);

#endif
