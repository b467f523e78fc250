/* The help view, generated from the key table: every action with every key bound to it, then a summary
 * of the filter language with the field names from the model. */
#include <stdio.h>
#include <string.h>

#include "model/query/command.h"
#include "model/query/filter.h"
#include "tui/draw.h"
#include "tui/rows.h"
#include "tui/theme.h"
#include "tui/app.h"

/* Lines of help: one per action, then the filter summary, then the ':' commands. */
#define FILTER_LINES 7
#define HELP_LINES   (ACT__COUNT - 1 + FILTER_LINES + 2 + CMD__COUNT)

/* The line of action act: the keys bound to it, then what it does. */
static void action_line(struct app *a, enum action act, const struct rows_item *it)
{
    size_t nb;
    const struct keybinding *kb = keys_table(&nb);
    char keys[64] = "";
    size_t used = 0;
    for (size_t i = 0; i < nb; i++) {
        if (kb[i].action != act || !kb[i].name)
            continue;
        int n = snprintf(keys + used, sizeof keys - used, "%s%s", used ? " " : "", kb[i].name);
        if (n < 0 || (size_t)n >= sizeof keys - used)
            break;
        used += (size_t)n;
    }
    draw_str(a->win, it->y, it->x + 1, 18, keys, theme_attr(R_J_KEY));
    if (it->w > 21)
        draw_str(a->win, it->y, it->x + 20, it->w - 20, keys_help(act), theme_attr(R_NORMAL));
}

/* Line i of the filter summary. */
static void filter_line(struct app *a, size_t i, const struct rows_item *it)
{
    char fields[256];
    snprintf(fields, sizeof fields, "  fields: %s", filter_field_names());
    const char *filter_help[FILTER_LINES] = {
        "",
        "Filter (/): terms separated by spaces must all hold; OR between terms; -term negates; ( ) group",
        "  field:value, case-insensitive, * matches anything: name:AssumeRole* src:sts -error:*",
        fields,
        "  ip:10.0.0.0/8 (CIDR)  after:2024-03-01T10:00 (inclusive)  before:2024-03-02 (exclusive), zone shown",
        "  a bare word or \"quoted text\" matches anywhere in the event's JSON",
        "  field:/REGEX/ or /REGEX/ alone: a PCRE2 search, case-insensitive; \\/ is a '/' inside: ua:/boto3\\/1\\./",
    };
    draw_str(a->win, it->y, it->x + 1, it->w - 1, filter_help[i], theme_attr(i == 1 ? R_TITLE : R_NORMAL));
}

/* Line i of the command line's part, from model/command's table: a blank line, the title, the commands. */
static void command_line(struct app *a, size_t i, const struct rows_item *it)
{
    if (i == 1)
        draw_str(a->win, it->y, it->x + 1, it->w - 1, "Commands (:, Tab completes, Up/Down: history)",
                 theme_attr(R_TITLE));
    if (i < 2)
        return;
    const struct cmd_def *d = &cmd_table()[i - 2];
    draw_str(a->win, it->y, it->x + 1, 34, d->usage, theme_attr(R_J_KEY));
    if (it->w > 37)
        draw_str(a->win, it->y, it->x + 36, it->w - 36, d->help, theme_attr(R_NORMAL));
}

static void help_row(struct app *a, void *ctx, const struct rows_item *it)
{
    (void)ctx;
    size_t i = it->i;
    if (i < ACT__COUNT - 1) {
        action_line(a, (enum action)(i + 1), it);
        return;
    }
    i -= ACT__COUNT - 1;
    if (i < FILTER_LINES)
        filter_line(a, i, it);
    else
        command_line(a, i - FILTER_LINES, it);
}

static void help_draw(struct app *a, void *st, struct rect r, int focused)
{
    (void)focused;
    draw_str(a->win, r.y, r.x, r.w, " ctview keys   Esc: back", theme_attr(R_HEADER));
    /* no cursor: the help scrolls (help_key) */
    struct rows v = {st, HELP_LINES, {r.y + 1, r.x, r.h - 1, r.w}, 0};
    rows_draw(a, &v, help_row, NULL);
}

static enum reaction help_key(struct app *a, void *st, const struct keypress *k)
{
    (void)a;
    struct scroll *help = st;
    /* the help has no cursor: j/k and the arrows scroll it a line (as in less) */
    if (k->act == ACT_UP || k->act == ACT_DOWN) {
        size_t page = k->page > 0 ? (size_t)k->page : 1, last = HELP_LINES > page ? HELP_LINES - page : 0;
        if (k->act == ACT_UP && help->top > 0)
            help->top--;
        else if (k->act == ACT_DOWN && help->top < last)
            help->top++;
        help->cur = help->top;
        return RE_REDRAW;
    }
    return scroll_move(help, HELP_LINES, k->page, k->act);
}

const struct pane_ops pane_help_ops = {
    .name = "help",
    .place = PLACE_OVERLAY,
    .toggle = ACT_HELP,
    .size = sizeof(struct scroll),
    .draw = help_draw,
    .key = help_key,
};
