#include "tui/prompt.h"

#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"

#define CTRL(c) ((c)&0x1f)

void prompt_history_add(struct history *h, const char *line)
{
    if (!line[0] || (h->n && strcmp(h->items[h->n - 1], line) == 0))
        return;
    char *copy = strdup(line);
    if (!copy)
        return; /* a lost history entry is not worth failing for */
    if (h->n == HISTORY_MAX) {
        free(h->items[0]);
        memmove(h->items, h->items + 1, (HISTORY_MAX - 1) * sizeof *h->items);
        h->n--;
    }
    h->items[h->n++] = copy;
}

void prompt_history_clear(struct history *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->items[i]);
    h->n = 0;
}

static int is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

static void set_text(struct prompt *p, const char *text)
{
    size_t n = strlen(text);
    p->cut = n >= PROMPT_MAX;
    if (p->cut) /* on a character boundary */
        for (n = PROMPT_MAX - 1; n > 0 && is_cont(text[n]); n--)
            ;
    memcpy(p->buf, text, n);
    p->buf[n] = '\0';
    p->len = p->cur = n;
}

void prompt_open(struct prompt *p, const char *text, struct history *hist)
{
    set_text(p, text ? text : "");
    p->hist = hist;
    p->hpos = hist ? hist->n : 0;
    p->draft[0] = '\0';
}

static size_t prev_char(const struct prompt *p, size_t i)
{
    while (i > 0 && is_cont(p->buf[--i]))
        ;
    return i;
}

static size_t next_char(const struct prompt *p, size_t i)
{
    if (i < p->len)
        i++;
    while (i < p->len && is_cont(p->buf[i]))
        i++;
    return i;
}

static void delete_range(struct prompt *p, size_t from, size_t to)
{
    memmove(p->buf + from, p->buf + to, p->len - to + 1);
    p->len -= to - from;
    p->cur = from;
}

static enum prompt_result step_history(struct prompt *p, int dir)
{
    struct history *h = p->hist;
    if (!h || !h->n)
        return PR_NONE;
    if (dir < 0 && p->hpos == 0)
        return PR_NONE;
    if (dir > 0 && p->hpos >= h->n)
        return PR_NONE;
    if (p->hpos == h->n) {
        memcpy(p->draft, p->buf, p->len + 1);
        p->draft_cut = p->cut;
    }
    p->hpos = dir < 0 ? p->hpos - 1 : p->hpos + 1;
    /* an entry that is the text being edited (the filter in force the prompt opened with, which is also
     * the newest entry) would make Up look like it did nothing: step over it */
    if (p->hpos < h->n && strcmp(h->items[p->hpos], p->draft) == 0) {
        if (dir < 0 && p->hpos > 0)
            p->hpos--;
        else if (dir > 0)
            p->hpos++;
    }
    set_text(p, p->hpos == h->n ? p->draft : h->items[p->hpos]);
    if (p->hpos == h->n)
        p->cut = p->draft_cut;
    return PR_EDITED;
}

enum prompt_result prompt_key(struct prompt *p, int ch)
{
    switch (ch) {
    case '\n':
    case '\r':
    case KEY_ENTER:
        return p->cut ? PR_FULL : PR_ACCEPT;
    case 27:
    case CTRL('c'):
    case CTRL('g'):
        return PR_CANCEL;
    case KEY_LEFT:
    case CTRL('b'):
        p->cur = prev_char(p, p->cur);
        return PR_MOVED;
    case KEY_RIGHT:
    case CTRL('f'):
        p->cur = next_char(p, p->cur);
        return PR_MOVED;
    case KEY_HOME:
    case CTRL('a'):
        p->cur = 0;
        return PR_MOVED;
    case KEY_END:
    case CTRL('e'):
        p->cur = p->len;
        return PR_MOVED;
    case KEY_BACKSPACE:
    case 127:
    case CTRL('h'):
        if (p->cur == 0)
            return PR_NONE;
        delete_range(p, prev_char(p, p->cur), p->cur);
        return PR_EDITED;
    case KEY_DC:
    case CTRL('d'):
        if (p->cur >= p->len)
            return PR_NONE;
        delete_range(p, p->cur, next_char(p, p->cur));
        return PR_EDITED;
    case CTRL('u'):
        if (!p->len)
            return PR_NONE;
        set_text(p, "");
        return PR_EDITED;
    case CTRL('k'):
        if (p->cur == p->len)
            return PR_NONE;
        p->buf[p->cur] = '\0';
        p->len = p->cur;
        return PR_EDITED;
    case CTRL('w'): {
        size_t i = p->cur;
        while (i > 0 && p->buf[i - 1] == ' ')
            i--;
        while (i > 0 && p->buf[i - 1] != ' ')
            i--;
        if (i == p->cur)
            return PR_NONE;
        delete_range(p, i, p->cur);
        return PR_EDITED;
    }
    case KEY_UP:
    case CTRL('p'):
        return step_history(p, -1);
    case KEY_DOWN:
    case CTRL('n'):
        return step_history(p, 1);
    default:
        break;
    }
    /* Text: printable ASCII and the bytes of UTF-8 characters; control characters are refused so a
     * pasted escape sequence cannot end up in a filter. */
    if (ch < 0x20 || ch == 0x7f || ch > 0xff)
        return PR_NONE;
    if (p->len + 1 >= PROMPT_MAX) {
        p->cut = 1;
        return PR_FULL;
    }
    memmove(p->buf + p->cur + 1, p->buf + p->cur, p->len - p->cur + 1);
    p->buf[p->cur++] = (char)ch;
    p->len++;
    return PR_EDITED;
}

int prompt_cut(const struct prompt *p)
{
    return p->cut;
}

void prompt_draw(const struct prompt *p, WINDOW *w, int y, int x, int width, const char *label, attr_t at)
{
    draw_fill(w, y, x, width, at);
    int lw = draw_text(w, y, x, width, label, strlen(label), at, 0, 0);
    int room = width - lw - 1;
    if (room < 1)
        return;
    /* Scroll so the cursor stays visible, keeping a few columns of context on its left. */
    int before = draw_width(p->buf, p->cur);
    int skip = before > room - 1 ? before - room + 1 : 0;
    draw_text(w, y, x + lw, room + 1, p->buf, p->len, at, skip, 0);
    wmove(w, y, x + lw + before - skip);
}
