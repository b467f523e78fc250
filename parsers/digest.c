/* digest: SHA-256, HMAC-SHA-256, MD5 (see digest.h). */
#include "parsers/digest.h"

#include <string.h>

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(struct sha256 *c, const unsigned char *p)
{
    uint32_t w[64], s[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
               p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(s, c->h, sizeof s);
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ror(s[4], 6) ^ ror(s[4], 11) ^ ror(s[4], 25);
        uint32_t ch = (s[4] & s[5]) ^ (~s[4] & s[6]);
        uint32_t t1 = s[7] + S1 + ch + K256[i] + w[i];
        uint32_t S0 = ror(s[0], 2) ^ ror(s[0], 13) ^ ror(s[0], 22);
        uint32_t maj = (s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]);
        uint32_t t2 = S0 + maj;
        memmove(&s[1], &s[0], 7 * sizeof *s);
        s[4] += t1;
        s[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        c->h[i] += s[i];
}

void sha256_init(struct sha256 *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->len = 0;
    c->nbuf = 0;
}

/* Both hashes eat 64-byte blocks: data is gathered in buf (nbuf bytes held) and each full block handed
 * to block. */
static void feed(unsigned char *buf, size_t *nbuf, const void *data, size_t len,
                 void (*block)(void *ctx, const unsigned char *p), void *ctx)
{
    const unsigned char *p = data;
    while (len > 0) {
        if (*nbuf == 0 && len >= 64) { /* whole blocks straight from the data: no copy */
            block(ctx, p);
            p += 64;
            len -= 64;
            continue;
        }
        size_t take = 64 - *nbuf < len ? 64 - *nbuf : len;
        memcpy(buf + *nbuf, p, take);
        *nbuf += take;
        p += take;
        len -= take;
        if (*nbuf == 64) {
            block(ctx, buf);
            *nbuf = 0;
        }
    }
}

static void sha256_feed_block(void *ctx, const unsigned char *p)
{
    sha256_block(ctx, p);
}

void sha256_update(struct sha256 *c, const void *data, size_t len)
{
    c->len += len;
    feed(c->buf, &c->nbuf, data, len, sha256_feed_block, c);
}

void sha256_final(struct sha256 *c, unsigned char out[32])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80, zero = 0, be[8];
    sha256_update(c, &pad, 1);
    while (c->nbuf != 56)
        sha256_update(c, &zero, 1);
    for (int i = 0; i < 8; i++)
        be[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, be, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

void sha256(const void *data, size_t len, unsigned char out[32])
{
    struct sha256 c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final(&c, out);
}

void hmac_sha256(const void *key, size_t klen, const void *data, size_t len, unsigned char out[32])
{
    unsigned char k[64] = {0}, pad[64], inner[32];
    if (klen > 64)
        sha256(key, klen, k);
    else
        memcpy(k, key, klen);
    struct sha256 c;
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    sha256_init(&c);
    sha256_update(&c, pad, 64);
    sha256_update(&c, data, len);
    sha256_final(&c, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    sha256_init(&c);
    sha256_update(&c, pad, 64);
    sha256_update(&c, inner, 32);
    sha256_final(&c, out);
}

/* MD5 (RFC 1321): the sines' constants */
static const uint32_t K5[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* The 64 steps written out (RFC 1321's order): rounds of fixed functions, shifts and word orders,
 * which a loop would look up at every step. MD5 is what checks every byte S3 sends (s3.c). */
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))
#define MD5_STEP(f, a, b, c, d, add, s)                                                                      \
    do {                                                                                                     \
        (a) += f((b), (c), (d)) + (add);                                                                     \
        (a) = ((a) << (s) | (a) >> (32 - (s))) + (b);                                                        \
    } while (0)

static void md5_block(struct md5 *c, const unsigned char *p)
{
    uint32_t m[16], a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    MD5_STEP(MD5_F, a, b, cc, d, m[0] + K5[0], 7);
    MD5_STEP(MD5_F, d, a, b, cc, m[1] + K5[1], 12);
    MD5_STEP(MD5_F, cc, d, a, b, m[2] + K5[2], 17);
    MD5_STEP(MD5_F, b, cc, d, a, m[3] + K5[3], 22);
    MD5_STEP(MD5_F, a, b, cc, d, m[4] + K5[4], 7);
    MD5_STEP(MD5_F, d, a, b, cc, m[5] + K5[5], 12);
    MD5_STEP(MD5_F, cc, d, a, b, m[6] + K5[6], 17);
    MD5_STEP(MD5_F, b, cc, d, a, m[7] + K5[7], 22);
    MD5_STEP(MD5_F, a, b, cc, d, m[8] + K5[8], 7);
    MD5_STEP(MD5_F, d, a, b, cc, m[9] + K5[9], 12);
    MD5_STEP(MD5_F, cc, d, a, b, m[10] + K5[10], 17);
    MD5_STEP(MD5_F, b, cc, d, a, m[11] + K5[11], 22);
    MD5_STEP(MD5_F, a, b, cc, d, m[12] + K5[12], 7);
    MD5_STEP(MD5_F, d, a, b, cc, m[13] + K5[13], 12);
    MD5_STEP(MD5_F, cc, d, a, b, m[14] + K5[14], 17);
    MD5_STEP(MD5_F, b, cc, d, a, m[15] + K5[15], 22);
    MD5_STEP(MD5_G, a, b, cc, d, m[1] + K5[16], 5);
    MD5_STEP(MD5_G, d, a, b, cc, m[6] + K5[17], 9);
    MD5_STEP(MD5_G, cc, d, a, b, m[11] + K5[18], 14);
    MD5_STEP(MD5_G, b, cc, d, a, m[0] + K5[19], 20);
    MD5_STEP(MD5_G, a, b, cc, d, m[5] + K5[20], 5);
    MD5_STEP(MD5_G, d, a, b, cc, m[10] + K5[21], 9);
    MD5_STEP(MD5_G, cc, d, a, b, m[15] + K5[22], 14);
    MD5_STEP(MD5_G, b, cc, d, a, m[4] + K5[23], 20);
    MD5_STEP(MD5_G, a, b, cc, d, m[9] + K5[24], 5);
    MD5_STEP(MD5_G, d, a, b, cc, m[14] + K5[25], 9);
    MD5_STEP(MD5_G, cc, d, a, b, m[3] + K5[26], 14);
    MD5_STEP(MD5_G, b, cc, d, a, m[8] + K5[27], 20);
    MD5_STEP(MD5_G, a, b, cc, d, m[13] + K5[28], 5);
    MD5_STEP(MD5_G, d, a, b, cc, m[2] + K5[29], 9);
    MD5_STEP(MD5_G, cc, d, a, b, m[7] + K5[30], 14);
    MD5_STEP(MD5_G, b, cc, d, a, m[12] + K5[31], 20);
    MD5_STEP(MD5_H, a, b, cc, d, m[5] + K5[32], 4);
    MD5_STEP(MD5_H, d, a, b, cc, m[8] + K5[33], 11);
    MD5_STEP(MD5_H, cc, d, a, b, m[11] + K5[34], 16);
    MD5_STEP(MD5_H, b, cc, d, a, m[14] + K5[35], 23);
    MD5_STEP(MD5_H, a, b, cc, d, m[1] + K5[36], 4);
    MD5_STEP(MD5_H, d, a, b, cc, m[4] + K5[37], 11);
    MD5_STEP(MD5_H, cc, d, a, b, m[7] + K5[38], 16);
    MD5_STEP(MD5_H, b, cc, d, a, m[10] + K5[39], 23);
    MD5_STEP(MD5_H, a, b, cc, d, m[13] + K5[40], 4);
    MD5_STEP(MD5_H, d, a, b, cc, m[0] + K5[41], 11);
    MD5_STEP(MD5_H, cc, d, a, b, m[3] + K5[42], 16);
    MD5_STEP(MD5_H, b, cc, d, a, m[6] + K5[43], 23);
    MD5_STEP(MD5_H, a, b, cc, d, m[9] + K5[44], 4);
    MD5_STEP(MD5_H, d, a, b, cc, m[12] + K5[45], 11);
    MD5_STEP(MD5_H, cc, d, a, b, m[15] + K5[46], 16);
    MD5_STEP(MD5_H, b, cc, d, a, m[2] + K5[47], 23);
    MD5_STEP(MD5_I, a, b, cc, d, m[0] + K5[48], 6);
    MD5_STEP(MD5_I, d, a, b, cc, m[7] + K5[49], 10);
    MD5_STEP(MD5_I, cc, d, a, b, m[14] + K5[50], 15);
    MD5_STEP(MD5_I, b, cc, d, a, m[5] + K5[51], 21);
    MD5_STEP(MD5_I, a, b, cc, d, m[12] + K5[52], 6);
    MD5_STEP(MD5_I, d, a, b, cc, m[3] + K5[53], 10);
    MD5_STEP(MD5_I, cc, d, a, b, m[10] + K5[54], 15);
    MD5_STEP(MD5_I, b, cc, d, a, m[1] + K5[55], 21);
    MD5_STEP(MD5_I, a, b, cc, d, m[8] + K5[56], 6);
    MD5_STEP(MD5_I, d, a, b, cc, m[15] + K5[57], 10);
    MD5_STEP(MD5_I, cc, d, a, b, m[6] + K5[58], 15);
    MD5_STEP(MD5_I, b, cc, d, a, m[13] + K5[59], 21);
    MD5_STEP(MD5_I, a, b, cc, d, m[4] + K5[60], 6);
    MD5_STEP(MD5_I, d, a, b, cc, m[11] + K5[61], 10);
    MD5_STEP(MD5_I, cc, d, a, b, m[2] + K5[62], 15);
    MD5_STEP(MD5_I, b, cc, d, a, m[9] + K5[63], 21);
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
}

void md5_init(struct md5 *c)
{
    c->h[0] = 0x67452301;
    c->h[1] = 0xefcdab89;
    c->h[2] = 0x98badcfe;
    c->h[3] = 0x10325476;
    c->len = 0;
    c->nbuf = 0;
}

static void md5_feed_block(void *ctx, const unsigned char *p)
{
    md5_block(ctx, p);
}

void md5_update(struct md5 *c, const void *data, size_t len)
{
    c->len += len;
    feed(c->buf, &c->nbuf, data, len, md5_feed_block, c);
}

void md5_final(struct md5 *c, unsigned char out[16])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80, zero = 0, le[8];
    md5_update(c, &pad, 1);
    while (c->nbuf != 56)
        md5_update(c, &zero, 1);
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(bits >> (8 * i));
    md5_update(c, le, 8);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++)
            out[4 * i + k] = (unsigned char)(c->h[i] >> (8 * k));
}

void digest_hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[bytes[i] >> 4];
        out[2 * i + 1] = hx[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}
