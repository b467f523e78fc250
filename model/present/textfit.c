/* textfit: text cut to a width, the cut shown. See textfit.h. */
#include "model/present/textfit.h"

#include "model/present/textsafe.h"

int textfit_width(const char *s, size_t len)
{
    int w = 0;
    struct text_unit u;
    for (size_t i = 0; i < len; i += u.len) {
        textsafe_next_unit(s + i, len - i, &u);
        w += u.width;
    }
    return w;
}

size_t textfit_head(const char *s, size_t len, int width, int *cut)
{
    *cut = 0;
    if (textfit_width(s, len) <= width)
        return len;
    *cut = 1;
    int w = 0;
    size_t i = 0;
    struct text_unit u;
    while (i < len) {
        textsafe_next_unit(s + i, len - i, &u);
        if (w + u.width > width - 1)
            break;
        w += u.width;
        i += u.len;
    }
    return i;
}

size_t textfit_tail(const char *s, size_t len, int width, int *cut)
{
    *cut = 0;
    int total = textfit_width(s, len);
    if (total <= width)
        return 0;
    *cut = 1;
    /* the first unit boundary from which the rest fits width - 1 columns */
    size_t i = 0;
    struct text_unit u;
    while (i < len && total > width - 1) {
        textsafe_next_unit(s + i, len - i, &u);
        total -= u.width;
        i += u.len;
    }
    /* from the next '/' when there is one, so the ellipsis stands for whole folders */
    for (size_t k = i; k < len; k++)
        if (s[k] == '/' && k + 1 < len)
            return k;
    return i;
}

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

static size_t word_end(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] != ' ')
        i++;
    return i;
}

/* Fills *line with the words from pos that fit budget columns; a first word wider than the whole
 * width keeps its tail (last: 0) or its head (last: 1, the line ends with the ellipsis). Returns the
 * end of what the line took. */
static size_t fill(const char *s, size_t len, size_t pos, int width, int budget, int last,
                   struct textfit_line *line)
{
    size_t end = pos;
    int w = 0;
    while (end < len) {
        size_t ws = skip_spaces(s, len, end), we = word_end(s, len, ws);
        if (ws == len)
            break;
        int gap = (int)(ws - end), ww = textfit_width(s + ws, we - ws);
        if (end == pos)
            gap = 0;
        if (w + gap + ww > budget) {
            if (end > pos)
                break;
            int cut;
            if (last) {
                size_t keep = textfit_head(s + ws, we - ws, width, &cut);
                *line = (struct textfit_line){ws, keep, 0, 1};
            } else {
                size_t from = textfit_tail(s + ws, we - ws, width, &cut);
                *line = (struct textfit_line){ws + from, we - ws - from, 1, 0};
            }
            return we;
        }
        w += gap + ww;
        end = we;
    }
    *line = (struct textfit_line){pos, end - pos, 0, 0};
    if (last && end < len && w + 1 <= budget && s[end] == ' ')
        line->len++; /* the ellipsis after a space: the cut is between words */
    return end;
}

size_t textfit_wrap(const char *s, size_t len, int width, struct textfit_line *lines, size_t max)
{
    size_t n = 0, pos = skip_spaces(s, len, 0);
    while (pos < len && n < max) {
        size_t end;
        if (n + 1 == max && textfit_width(s + pos, len - pos) > width) {
            /* the last line there is room for, and more than it holds: cut between words */
            end = fill(s, len, pos, width, width - 1, 1, &lines[n]);
            lines[n].trail = 1;
        } else {
            end = fill(s, len, pos, width, width, 0, &lines[n]);
        }
        n++;
        pos = skip_spaces(s, len, end);
    }
    return n;
}
