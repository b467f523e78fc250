/* digest: SHA-256, HMAC-SHA-256 and MD5, the hashes S3 requests need (Signature Version 4 signs with the
 * first two; a single-part object's ETag is the MD5 of its bytes). Written here from FIPS 180-4 and
 * RFC 1321 / RFC 2104; checked by tests/unit/test_s3.c against published vectors. */
#ifndef CTVIEW_DIGEST_H
#define CTVIEW_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    unsigned char buf[64];
    size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[32]);

/* out = SHA-256(data) */
void sha256(const void *data, size_t len, unsigned char out[32]);

/* out = HMAC-SHA-256(key, data) */
void hmac_sha256(const void *key, size_t klen, const void *data, size_t len, unsigned char out[32]);

struct md5 {
    uint32_t h[4];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
};

void md5_init(struct md5 *c);
void md5_update(struct md5 *c, const void *data, size_t len);
void md5_final(struct md5 *c, unsigned char out[16]);

/* Lower-case hex of bytes[0..n) into out (2n + 1 bytes, NUL-terminated). */
void digest_hex(const unsigned char *bytes, size_t n, char *out);

#endif
