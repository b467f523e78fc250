/* keys: every user action, declared once with its help text, and the default key bindings as data.
 * The `?` help screen is generated from these tables. */
#ifndef CTVIEW_KEYS_H
#define CTVIEW_KEYS_H

#include <stddef.h>

/* X(enum name, help text) */
#define ACTIONS(X)                                                                                           \
    X(ACT_UP, "Move up one line")                                                                            \
    X(ACT_DOWN, "Move down one line")                                                                        \
    X(ACT_PAGE_UP, "Move up one page")                                                                       \
    X(ACT_PAGE_DOWN, "Move down one page")                                                                   \
    X(ACT_HALF_UP, "Move up half a page")                                                                    \
    X(ACT_HALF_DOWN, "Move down half a page")                                                                \
    X(ACT_TOP, "Go to the first line")                                                                       \
    X(ACT_BOTTOM, "Go to the last line")                                                                     \
    X(ACT_LEFT, "Scroll left (chosen list columns, detail, trace, problems)")                                \
    X(ACT_RIGHT, "Scroll right (chosen list columns, detail, trace, problems)")                              \
    X(ACT_ENTER, "Open the event's JSON / fold or unfold the object under the cursor")                       \
    X(ACT_NEXT_PANE, "Switch focus between the list and the pane below it")                                  \
    X(ACT_FILTER, "Filter the list (live; Enter keeps, Esc restores, Up/Down: history)")                     \
    X(ACT_FILTER_IN, "Detail: keep only events with the value under the cursor")                             \
    X(ACT_FILTER_OUT, "Detail: hide events with the value under the cursor")                                 \
    X(ACT_ADD_COLUMN, "Detail: add the path under the cursor as a list column")                              \
    X(ACT_COLUMNS, "Choose the list's columns: short fields and JSON paths (Tab completes)")                 \
    X(ACT_SECTION_FIELD, "Overview: show any field or JSON path in the selected section")                    \
    X(ACT_SEARCH, "Search: a word or expression for n/N")                                                    \
    X(ACT_SORT_NEXT, "Sort the list by the next column to the right (past the last: time order)")            \
    X(ACT_SORT_PREV, "Sort the list by the previous column (before the first: time order)")                  \
    X(ACT_SORT_INVERT, "Invert the sort: descending / ascending (in time order: newest first)")              \
    X(ACT_OVERVIEW, "Overview: time histogram and top values of the shown events")                           \
    X(ACT_TRACE, "Show or hide the identity trace of the selected event")                                    \
    X(ACT_TRACE_FILTER, "Filter the list to the whole chain of the selected event (every session)")          \
    X(ACT_ACTORS, "Actors: who started the shown events (Enter: all one did, anywhere)")                     \
    X(ACT_FOLLOW, "Follow the directories: load new log files as they arrive (or stop)")                     \
    X(ACT_MARK, "Mark or unmark the selected event, then move down")                                         \
    X(ACT_MARK_ALL, "Mark every shown event")                                                                \
    X(ACT_UNMARK_ALL, "Clear all marks")                                                                     \
    X(ACT_MARK_NEXT, "Jump to the next marked event (marks are bookmarks)")                                  \
    X(ACT_MARK_PREV, "Jump to the previous marked event")                                                    \
    X(ACT_EXPORT, "Export the marked events (or all shown when none is marked)")                             \
    X(ACT_SEARCH_NEXT, "Jump to the next shown event that matches the search")                               \
    X(ACT_SEARCH_PREV, "Jump to the previous shown event that matches the search")                           \
    X(ACT_CLOSE, "Close the detail pane or the current view")                                                \
    X(ACT_PROBLEMS, "Show the problems found while loading")                                                 \
    X(ACT_FINDINGS, "Findings: the Sigma rules that matched, by level (Enter: filter to a rule's events)")   \
    X(ACT_HELP, "Show this help")                                                                            \
    X(ACT_YANK, "Copy the event's JSON (in the JSON: the value under the cursor) to the clipboard (OSC 52)") \
    X(ACT_PAGER, "Show the selected event's JSON in $PAGER (default less)")                                  \
    X(ACT_EDITOR, "Open the marked events in $EDITOR (default vi), a read-only copy")                        \
    X(ACT_COMMAND,                                                                                           \
      "Command line: :goto TIME|ROW, :filter, :mark, :export, :sort, :tz, :help (Tab completes)")            \
    X(ACT_REDRAW, "Redraw the screen")                                                                       \
    X(ACT_QUIT, "Quit")

enum action {
    ACT_NONE,
#define X(e, help) e,
    ACTIONS(X)
#undef X
        ACT__COUNT
};

struct keybinding {
    int key; /* curses key code or character */
    enum action action;
    const char *name; /* as shown in help */
};

/* The action bound to key, or ACT_NONE. */
enum action keys_action(int key);

/* Help text of an action. */
const char *keys_help(enum action a);

/* The name of key for the status line, in buf: as help shows it, else the character, else curses'
 * name for it. Returns buf. */
char *keys_name(int key, char *buf, size_t cap);

/* The binding table (n set to its length). */
const struct keybinding *keys_table(size_t *n);

#endif
