#include "model/index/match.h"

#include <arpa/inet.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Whether the literal p[0..plen) (no '*') matches s at position 0, case-insensitively. */
static int same_at(const char *p, size_t plen, const char *s)
{
    for (size_t i = 0; i < plen; i++)
        if (fold((unsigned char)p[i]) != fold((unsigned char)s[i]))
            return 0;
    return 1;
}

/* The upper-case twin of a folded byte (itself when not a letter). */
static unsigned char twin(unsigned char lo)
{
    return (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - 32) : lo;
}

/* First position >= from where the literal p[0..plen) occurs in s[0..slen), or SIZE_MAX. A free-text
 * word is looked for in every interned string (hundreds of MB on a million diverse events), and most
 * strings fail before the second byte: with SSE2, 16 positions are tried at once on the pattern's
 * first two bytes, both cases, and only those candidates are compared in full. */
static size_t find_literal(const char *p, size_t plen, const char *s, size_t slen, size_t from)
{
    if (plen == 0)
        return from;
    if (slen < plen)
        return SIZE_MAX;
    unsigned char lo = fold((unsigned char)p[0]);
    unsigned char up = twin(lo);
    size_t last = slen - plen, i = from;
#if defined(__SSE2__)
    if (plen >= 2) {
        unsigned char lo1 = fold((unsigned char)p[1]);
        __m128i a0 = _mm_set1_epi8((char)lo), b0 = _mm_set1_epi8((char)up);
        __m128i a1 = _mm_set1_epi8((char)lo1), b1 = _mm_set1_epi8((char)twin(lo1));
        /* a block tries positions i..i+15 and reads s[i..i+16]: within s while i + 17 <= slen */
        for (; i <= last && i + 17 <= slen; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
            __m128i m0 = _mm_or_si128(_mm_cmpeq_epi8(x, a0), _mm_cmpeq_epi8(x, b0));
            __m128i m1 = _mm_or_si128(_mm_cmpeq_epi8(y, a1), _mm_cmpeq_epi8(y, b1));
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(m0, m1));
            for (; mask; mask &= mask - 1) {
                size_t at = i + (size_t)__builtin_ctz(mask);
                if (at > last)
                    return SIZE_MAX;
                if (same_at(p + 2, plen - 2, s + at + 2))
                    return at;
            }
        }
    }
#endif
    for (; i <= last; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c == lo || c == up) && same_at(p + 1, plen - 1, s + i + 1))
            return i;
    }
    return SIZE_MAX;
}

/* Matches the segments of p (split at '*') in order inside s[from..slen). When anchor_start, the first
 * segment must sit at from; when anchor_end, the last must end at slen. Greedy leftmost placement of
 * each middle segment is enough for '*'-only patterns. */
static int match_segments(const char *p, size_t plen, const char *s, size_t slen, int anchor_start,
                          int anchor_end)
{
    size_t pos = 0, i = 0;
    int first = 1;
    for (;;) {
        const char *star = memchr(p + i, '*', plen - i);
        size_t seg_end = star ? (size_t)(star - p) : plen;
        size_t seg_len = seg_end - i;
        int last = star == NULL;
        if (last && anchor_end) {
            if (slen - pos < seg_len || (first && anchor_start && slen != seg_len))
                return 0;
            return same_at(p + i, seg_len, s + slen - seg_len);
        }
        if (first && anchor_start) {
            if (slen < seg_len || !same_at(p + i, seg_len, s))
                return 0;
            pos = seg_len;
        } else if (seg_len) {
            size_t at = find_literal(p + i, seg_len, s, slen, pos);
            if (at == SIZE_MAX)
                return 0;
            pos = at + seg_len;
        }
        if (last)
            return 1;
        first = 0;
        i = seg_end + 1;
    }
}

int match_glob(const char *p, size_t plen, const char *s, size_t slen)
{
    if (!memchr(p, '*', plen))
        return plen == slen && same_at(p, plen, s);
    return match_segments(p, plen, s, slen, 1, 1);
}

int match_contains(const char *p, size_t plen, const char *s, size_t slen)
{
    if (!memchr(p, '*', plen))
        return find_literal(p, plen, s, slen, 0) != SIZE_MAX;
    return match_segments(p, plen, s, slen, 0, 0);
}

/* Dotted-quad IPv4, strictly: four decimal parts of at most three digits, each <= 255. inet_pton
 * accepts the same and is the reference, but copying and calling it per address showed in the ip:
 * filter on a million distinct addresses. */
static int parse_v4(const char *s, size_t len, unsigned char *addr)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part && (i >= len || s[i++] != '.'))
            return -1;
        unsigned v = 0, digits = 0;
        if (i + 1 < len && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9')
            return -1; /* a leading zero: octal to some parsers, refused by inet_pton */
        while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(s[i++] - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return -1;
        addr[part] = (unsigned char)v;
    }
    return i == len ? 0 : -1;
}

static int parse_addr(const char *s, size_t len, unsigned char *addr, int *family)
{
    if (len && len <= 15 && s[0] >= '0' && s[0] <= '9' && !memchr(s, ':', len)) {
        *family = 4;
        return parse_v4(s, len, addr);
    }
    char buf[INET6_ADDRSTRLEN + 1];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, addr) == 1) {
        *family = 4;
        return 0;
    }
    if (inet_pton(AF_INET6, buf, addr) == 1) {
        *family = 6;
        return 0;
    }
    return -1;
}

int ipnet_parse(const char *s, size_t len, struct ipnet *net)
{
    memset(net, 0, sizeof *net);
    const char *slash = memchr(s, '/', len);
    size_t alen = slash ? (size_t)(slash - s) : len;
    if (parse_addr(s, alen, net->addr, &net->family) != 0)
        return -1;
    int max = net->family == 4 ? 32 : 128;
    net->prefix = max;
    if (!slash)
        return 0;
    size_t plen = len - alen - 1;
    if (plen == 0 || plen > 3)
        return -1;
    int n = 0;
    for (size_t i = 0; i < plen; i++) {
        char c = slash[1 + i];
        if (c < '0' || c > '9')
            return -1;
        n = n * 10 + (c - '0');
    }
    if (n > max)
        return -1;
    net->prefix = n;
    return 0;
}

int ipnet_contains(const struct ipnet *net, const char *s, size_t len)
{
    unsigned char addr[16];
    int family;
    if (parse_addr(s, len, addr, &family) != 0 || family != net->family)
        return 0;
    int whole = net->prefix / 8, rest = net->prefix % 8;
    if (memcmp(addr, net->addr, (size_t)whole) != 0)
        return 0;
    if (rest == 0)
        return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (addr[whole] & mask) == (net->addr[whole] & mask);
}
