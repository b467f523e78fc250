#include "model/present/highlight.h"

#include <stdlib.h>
#include <string.h>

#include "model/base/filterquote.h"

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Adds each '*'-free run of v[0..n) as a needle. */
static int add_pieces(struct highlight *h, const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && h->n < HIGHLIGHT_MAX) {
        size_t j = i;
        while (j < n && v[j] != '*')
            j++;
        if (j > i) {
            char *s = malloc(j - i + 1);
            if (!s)
                return -1;
            for (size_t k = i; k < j; k++)
                s[k - i] = lower(v[k]);
            s[j - i] = '\0';
            h->needle[h->n] = s;
            h->len[h->n++] = j - i;
        }
        i = j + 1;
    }
    return 0;
}

/* Fields whose values are not text found in the event. */
static int skipped_field(const char *f, size_t n)
{
    static const char *const names[] = {"after", "before", "ro", NULL};
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == n && strncmp(f, names[i], n) == 0)
            return 1;
    return 0;
}

int highlight_compile(struct highlight *h, const char *expr)
{
    highlight_free(h);
    const char *p = expr;
    char *buf = malloc(strlen(expr) + 1); /* one term's text: never longer than the expression */
    if (!buf)
        return -1;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '(' || *p == ')')
            p++;
        if (!*p)
            break;
        int negated = 0;
        while (*p == '-')
            negated = 1, p++;
        /* one term: up to a blank or a parenthesis outside quotes; quoted text read as the filter reads it */
        size_t n = 0, colon = SIZE_MAX;
        int regex = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '(' && *p != ')') {
            if (*p == '/' && (n == 0 || n == colon + 1)) {
                /* a /REGEX/ term (its text is no needle; blanks and parentheses inside are its own) */
                const char *end = filterquote_regex_end(p);
                p = end ? end : p + strlen(p);
                regex = 1;
                continue;
            }
            if (*p == '"') {
                size_t k;
                const char *end = filterquote_read(p, buf + n, &k);
                n += k;
                p = end ? end : p + strlen(p);
                continue;
            }
            if (*p == ':' && colon == SIZE_MAX)
                colon = n;
            buf[n++] = *p++;
        }
        if (negated || regex || n == 0 || (n == 2 && strncmp(buf, "OR", 2) == 0 && colon == SIZE_MAX))
            continue;
        const char *v = buf;
        size_t vn = n;
        if (colon != SIZE_MAX) {
            if (skipped_field(buf, colon))
                continue;
            v = buf + colon + 1;
            vn = n - colon - 1;
            /* a network is not text in the event */
            if (colon == 2 && strncmp(buf, "ip", 2) == 0 && memchr(v, '/', vn))
                continue;
        }
        if (add_pieces(h, v, vn) != 0) {
            free(buf);
            return -1;
        }
    }
    free(buf);
    return 0;
}

void highlight_free(struct highlight *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->needle[i]);
    memset(h, 0, sizeof *h);
}

int highlight_find(const struct highlight *h, const char *text, size_t len, size_t from, size_t *start,
                   size_t *end)
{
    for (size_t i = from; i < len; i++) {
        size_t best = 0;
        for (size_t k = 0; k < h->n; k++) {
            size_t m = h->len[k];
            if (m <= best || m > len - i)
                continue;
            size_t j = 0;
            while (j < m && lower(text[i + j]) == h->needle[k][j])
                j++;
            if (j == m)
                best = m;
        }
        if (best) {
            *start = i;
            *end = i + best;
            return 1;
        }
    }
    return 0;
}
