/* highlight: what of a search to highlight on screen. The search is a filter expression; its literal
 * text (bare words, quoted text, the values of field terms, cut at each '*') is what the user looks for
 * in the list and the JSON. Negated terms, after:/before:/ro: and CIDR values are left out: the text
 * they match is not theirs to show. Case-insensitive (ASCII), as the filter compares. */
#ifndef CTVIEW_HIGHLIGHT_H
#define CTVIEW_HIGHLIGHT_H

#include <stddef.h>

#define HIGHLIGHT_MAX 16

struct highlight {
    char *needle[HIGHLIGHT_MAX]; /* owned, lower case, non-empty */
    size_t len[HIGHLIGHT_MAX];
    size_t n;
};

/* Collects the needles of expr into *h (emptied first). Returns 0, or -1 when out of memory. */
int highlight_compile(struct highlight *h, const char *expr);

void highlight_free(struct highlight *h);

/* The first match in text[from..len) (the leftmost, the longest of those): returns 1 and sets
 * [*start, *end), or 0 when there is none. */
int highlight_find(const struct highlight *h, const char *text, size_t len, size_t from, size_t *start,
                   size_t *end);

#endif
