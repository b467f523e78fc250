/* strscan: the end of a JSON string, eight bytes at a time. Both the record splitter and the scanner
 * spend most of their time inside string values; a memchr per quote cost more than the search itself
 * for the short strings CloudTrail is made of. */
#ifndef CTVIEW_STRSCAN_H
#define CTVIEW_STRSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { STR_ESCAPED = 1, STR_NUL = 2 };

/* The index of the quote that closes the string whose content starts at s[i], or len when it is not
 * closed. *flags gets STR_ESCAPED when a backslash is inside, STR_NUL when a raw NUL byte is. */
static inline size_t strscan_end(const char *s, size_t len, size_t i, unsigned *flags)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    unsigned f = 0;
    for (;;) {
        while (i + 8 <= len) {
            uint64_t w, q, b;
            memcpy(&w, s + i, sizeof w);
            q = w ^ (ones * '"');
            b = w ^ (ones * '\\');
            /* a byte is zero in x when (x - 1) & ~x has its high bit; the lowest such byte is exact */
            uint64_t m = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones) & ~w)) & highs;
            if (m) {
                i += (size_t)__builtin_ctzll(m) / 8;
                break;
            }
            i += 8;
        }
        if (i >= len) {
            *flags = f;
            return len;
        }
        char c = s[i];
        if (c == '"') {
            *flags = f;
            return i;
        }
        if (c == '\\') {
            f |= STR_ESCAPED;
            i += 2;
            continue;
        }
        if (c == '\0')
            f |= STR_NUL;
        i++;
    }
}

#endif
