/* jsonscan: the byte-level JSON reader every hand-walk of JSON text shares: blanks, the end of a string,
 * skipping a value, and the members of an object. The record splitter (parsers/split.c), the scanner
 * (parsers/scan.c), the path reader (model/json/path.c), the paths seen (model/index/pathseen.c), the
 * piece reader (model/index/piecepath.c) and the detail layout (model/json/jsonfmt.c) all read with it.
 *
 * It works on bytes in hand, never past len, and never fails: damaged text is read as far as it goes.
 * The splitter and the scanner spend the load's time here, so it is all static inline.
 *
 * Two rules for blanks, both kept on purpose: JSON's four (space, tab, newline, carriage return) for
 * text ctview walks itself, and cJSON's (every byte up to the space) where the scanner must accept what
 * cJSON accepts. */
#ifndef CTVIEW_JSONSCAN_H
#define CTVIEW_JSONSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static inline int jscan_is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The index of the first byte at or after i that is not JSON whitespace (len at the end). */
static inline size_t jscan_ws(const char *s, size_t len, size_t i)
{
    while (i < len && jscan_is_ws(s[i]))
        i++;
    return i;
}

/* The same with cJSON's rule: every byte up to and including the space is blank. */
static inline size_t jscan_blank(const char *s, size_t len, size_t i)
{
    while (i < len && (unsigned char)s[i] <= 32)
        i++;
    return i;
}

enum { JSCAN_ESCAPED = 1, JSCAN_NUL = 2 };

/* The index of the first quote, backslash or NUL at or after s[i], or len when there is none. Sixteen
 * bytes at a time where SSE2 is (every x86-64), else eight: both the splitter and the scanner spend
 * most of their time inside string values, and a memchr per quote cost more than the search itself
 * for the short strings CloudTrail is made of. */
static inline size_t jscan_special(const char *s, size_t len, size_t i)
{
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), zero = _mm_setzero_si128();
    while (i + 16 <= len) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, quote), _mm_cmpeq_epi8(w, backslash)),
                                 _mm_cmpeq_epi8(w, zero));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
        i += 16;
    }
#endif
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (i + 8 <= len) {
        uint64_t w, q, b;
        memcpy(&w, s + i, sizeof w);
        q = w ^ (ones * '"');
        b = w ^ (ones * '\\');
        /* a byte is zero in x when (x - 1) & ~x has its high bit; the lowest such byte is exact */
        uint64_t m = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones) & ~w)) & highs;
        if (m)
            return i + (size_t)__builtin_ctzll(m) / 8;
        i += 8;
    }
    while (i < len && s[i] != '"' && s[i] != '\\' && s[i] != '\0')
        i++;
    return i;
}

/* The index of the quote that closes the string whose content starts at s[i], or len when it is not
 * closed; a backslash escapes the byte after it. *flags gets JSCAN_ESCAPED when a backslash is inside,
 * JSCAN_NUL when a raw NUL byte is. */
static inline size_t jscan_string_end(const char *s, size_t len, size_t i, unsigned *flags)
{
    unsigned f = 0;
    for (;;) {
        i = jscan_special(s, len, i);
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
            f |= JSCAN_ESCAPED;
            i += 2;
            continue;
        }
        f |= JSCAN_NUL;
        i++;
    }
}

/* At s[i] == '"': the index after the closing quote, or len (with *cut set) when it is not closed. */
static inline size_t jscan_skip_string(const char *s, size_t len, size_t i, int *cut)
{
    unsigned flags;
    size_t end = jscan_string_end(s, len, i + 1, &flags);
    *cut = end >= len;
    return end >= len ? len : end + 1;
}

/* At the first byte of a value: the index after it. A string ends at its closing quote; a scalar at
 * any blank (cJSON's rule) or punctuation; an object or array at the bracket that closes it, brackets
 * of both kinds counted as one depth outside strings (a record whose brackets are mismatched is still
 * bounded, and a JSON parser then says what is wrong inside it), without recursion. *cut is set, and
 * len returned, when the value runs past the end. */
static inline size_t jscan_skip_value(const char *s, size_t len, size_t i, int *cut)
{
    *cut = 0;
    if (i >= len)
        return len;
    char c = s[i];
    if (c == '"')
        return jscan_skip_string(s, len, i, cut);
    if (c != '{' && c != '[') {
        while (i < len && (unsigned char)s[i] > 32 && s[i] != ',' && s[i] != ']' && s[i] != '}' &&
               s[i] != '{' && s[i] != '[' && s[i] != '"')
            i++;
        return i;
    }
    size_t depth = 0;
    for (; i < len; i++) {
        c = s[i];
        if (c == '"') {
            i = jscan_skip_string(s, len, i, cut) - 1;
            if (*cut)
                return len;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    *cut = 1;
    return len;
}

/* The next member of an object, read leniently (stray commas are passed over, so a damaged record is
 * still walked). Call it with *i just after the '{' or after the previous member's value. */
enum jscan_member {
    JSCAN_MEMBER, /* a key: s[*key .. *key_end) is its token, quotes included; *i is at its value */
    JSCAN_CLOSE,  /* the closing '}': *i is after it */
    JSCAN_END,    /* the text ended first (*i == len) */
    JSCAN_BAD,    /* something that is not a key, or a key without ':' (*i at the byte) */
};

static inline enum jscan_member jscan_next_member(const char *s, size_t len, size_t *i, size_t *key,
                                                  size_t *key_end)
{
    size_t p = *i;
    while (p < len && (s[p] == ',' || jscan_is_ws(s[p])))
        p++;
    *i = p;
    if (p >= len)
        return JSCAN_END;
    if (s[p] == '}') {
        *i = p + 1;
        return JSCAN_CLOSE;
    }
    if (s[p] != '"')
        return JSCAN_BAD;
    int cut;
    *key = p;
    p = jscan_skip_string(s, len, p, &cut);
    *key_end = p;
    if (cut) {
        *i = len;
        return JSCAN_END;
    }
    p = jscan_ws(s, len, p);
    if (p >= len) {
        *i = len;
        return JSCAN_END;
    }
    if (s[p] != ':') {
        *i = p;
        return JSCAN_BAD;
    }
    *i = jscan_ws(s, len, p + 1);
    return JSCAN_MEMBER;
}

#endif
