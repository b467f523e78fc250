#include "tui/theme.h"

#include <stdlib.h>

struct look {
    short fg, bg; /* colours when the terminal has them */
    attr_t attr;  /* attributes always applied */
    attr_t mono;  /* attributes used instead of colour */
};

static const struct look looks[R__COUNT] = {
    [R_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [R_HEADER] = {COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [R_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [R_SELECTED_DIM] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_UNDERLINE},
    [R_STATUS] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
    [R_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [R_TITLE] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [R_J_KEY] = {COLOR_BLUE, -1, A_BOLD, A_BOLD},
    [R_J_STRING] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [R_J_NUMBER] = {COLOR_MAGENTA, -1, A_NORMAL, A_NORMAL},
    [R_J_LITERAL] = {COLOR_YELLOW, -1, A_NORMAL, A_NORMAL},
    [R_J_PUNCT] = {-1, -1, A_NORMAL, A_NORMAL},
    [R_ESCAPED] = {COLOR_RED, -1, A_NORMAL, A_UNDERLINE},
    [R_LEVEL_INFO] = {-1, -1, A_DIM, A_DIM},
    [R_LEVEL_LOW] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [R_LEVEL_MEDIUM] = {COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE},
    [R_LEVEL_HIGH] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [R_LEVEL_CRITICAL] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE},
};

static attr_t attrs[R__COUNT];

void theme_init(int mono)
{
    const char *no_color = getenv("NO_COLOR");
    int color = !mono && has_colors() && !(no_color && *no_color);
    if (color) {
        start_color();
        use_default_colors();
    }
    for (int r = 0; r < R__COUNT; r++) {
        if (color && r > 0 && r < COLOR_PAIRS) {
            init_pair((short)r, looks[r].fg, looks[r].bg);
            attrs[r] = COLOR_PAIR(r) | looks[r].attr;
        } else {
            attrs[r] = looks[r].mono;
        }
    }
}

attr_t theme_attr(enum role r)
{
    return attrs[r];
}
