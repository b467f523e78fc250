#include "tui/keys.h"

#include <curses.h>
#include <stdio.h>

static const char *const help_texts[ACT__COUNT] = {[ACT_NONE] = "",
#define X(e, help) [e] = help,
                                                   ACTIONS(X)
#undef X
};

#define CTRL(c) ((c)&0x1f)

static const struct keybinding bindings[] = {
    {KEY_UP, ACT_UP, "Up"},
    {'k', ACT_UP, "k"},
    {KEY_DOWN, ACT_DOWN, "Down"},
    {'j', ACT_DOWN, "j"},
    {KEY_PPAGE, ACT_PAGE_UP, "PgUp"},
    {CTRL('b'), ACT_PAGE_UP, "^B"},
    {KEY_NPAGE, ACT_PAGE_DOWN, "PgDn"},
    {CTRL('f'), ACT_PAGE_DOWN, "^F"},
    {CTRL('u'), ACT_HALF_UP, "^U"},
    {CTRL('d'), ACT_HALF_DOWN, "^D"},
    {KEY_HOME, ACT_TOP, "Home"},
    {'g', ACT_TOP, "g"},
    {KEY_END, ACT_BOTTOM, "End"},
    {'G', ACT_BOTTOM, "G"},
    {KEY_LEFT, ACT_LEFT, "Left"},
    {'h', ACT_LEFT, "h"},
    {KEY_RIGHT, ACT_RIGHT, "Right"},
    {'l', ACT_RIGHT, "l"},
    {'\n', ACT_ENTER, "Enter"},
    {'\r', ACT_ENTER, NULL},
    {KEY_ENTER, ACT_ENTER, NULL},
    {'\t', ACT_NEXT_PANE, "Tab"},
    {KEY_BTAB, ACT_NEXT_PANE, NULL},
    {'/', ACT_FILTER, "/"},
    {'+', ACT_FILTER_IN, "+"},
    {'=', ACT_FILTER_IN, "="},
    {'-', ACT_FILTER_OUT, "-"},
    {'c', ACT_ADD_COLUMN, "c"},
    {'C', ACT_COLUMNS, "C"},
    {'f', ACT_SECTION_FIELD, "f"},
    {'s', ACT_SEARCH, "s"},
    {'>', ACT_SORT_NEXT, ">"},
    {'<', ACT_SORT_PREV, "<"},
    {'I', ACT_SORT_INVERT, "I"},
    {'o', ACT_OVERVIEW, "o"},
    {'t', ACT_TRACE, "t"},
    {'T', ACT_TRACE_FILTER, "T"},
    {'a', ACT_ACTORS, "a"},
    {'F', ACT_FOLLOW, "F"},
    {' ', ACT_MARK, "Space"},
    {'M', ACT_MARK_ALL, "M"},
    {'U', ACT_UNMARK_ALL, "U"},
    {']', ACT_MARK_NEXT, "]"},
    {'[', ACT_MARK_PREV, "["},
    {'e', ACT_EXPORT, "e"},
    {'n', ACT_SEARCH_NEXT, "n"},
    {'N', ACT_SEARCH_PREV, "N"},
    {27, ACT_CLOSE, "Esc"},
    {KEY_BACKSPACE, ACT_CLOSE, NULL},
    {'p', ACT_PROBLEMS, "p"},
    {'d', ACT_FINDINGS, "d"},
    {'?', ACT_HELP, "?"},
    {KEY_F(1), ACT_HELP, "F1"},
    {'y', ACT_YANK, "y"},
    {'v', ACT_PAGER, "v"},
    {'E', ACT_EDITOR, "E"},
    {':', ACT_COMMAND, ":"},
    {CTRL('l'), ACT_REDRAW, "^L"},
    {'q', ACT_QUIT, "q"},
};

enum action keys_action(int key)
{
    for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
        if (bindings[i].key == key)
            return bindings[i].action;
    return ACT_NONE;
}

const char *keys_help(enum action a)
{
    return a < ACT__COUNT ? help_texts[a] : "";
}

const struct keybinding *keys_table(size_t *n)
{
    *n = sizeof bindings / sizeof *bindings;
    return bindings;
}

/* Keys bound without a help name, or not bound at all, that still deserve a readable name. */
static const struct {
    int key;
    const char *name;
} other_names[] = {
    {'\r', "Enter"},    {KEY_ENTER, "Enter"}, {KEY_BACKSPACE, "Backspace"},
    {127, "Backspace"}, {KEY_BTAB, "S-Tab"},  {KEY_DC, "Del"},
    {' ', "Space"},
};

char *keys_name(int key, char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
        if (bindings[i].key == key && bindings[i].name) {
            snprintf(buf, cap, "%s", bindings[i].name);
            return buf;
        }
    for (size_t i = 0; i < sizeof other_names / sizeof *other_names; i++)
        if (other_names[i].key == key) {
            snprintf(buf, cap, "%s", other_names[i].name);
            return buf;
        }
    const char *k;
    if (key >= KEY_F(1) && key <= KEY_F(63))
        snprintf(buf, cap, "F%d", key - KEY_F0);
    else if (key > 0x20 && key < 0x7f)
        snprintf(buf, cap, "%c", key);
    else if ((k = keyname(key)) != NULL) /* ^X, KEY_..., M-x: ASCII */
        snprintf(buf, cap, "%s", k);
    else
        snprintf(buf, cap, "key %d", key);
    return buf;
}
