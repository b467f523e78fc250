/* sigv4: AWS Signature Version 4 for one request (as the AWS documentation's "Signature Version 4
 * signing process" describes it): the canonical request, the string to sign, the signing key derived
 * from the secret, and the Authorization header. tests/unit/test_s3.c checks it against AWS's published
 * examples. The secret never leaves this file's stack. */
#ifndef CTVIEW_SIGV4_H
#define CTVIEW_SIGV4_H

#include <stddef.h>

struct sigv4_header {
    const char *name;  /* lower case */
    const char *value; /* trimmed */
};

struct sigv4_request {
    const char *method;
    const char *uri;   /* canonical URI: each path segment URI-encoded (sigv4_encode with keep_slash) */
    const char *query; /* canonical query: name=value pairs URI-encoded, sorted by name, joined by '&' */
    const struct sigv4_header *headers; /* every signed header, "host" and "x-amz-date" included */
    size_t nheaders;
    const char *payload_hash; /* hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
    const char *amz_date;     /* YYYYMMDDTHHMMSSZ */
    const char *region;
    const char *service;
};

#define SIGV4_MAX 4096

/* The signing key derived from a secret for one day, region and service (four HMACs), kept by a client
 * that signs many requests with the same secret: it changes once a day. Not the secret itself; clear
 * it (memset) when done. */
struct sigv4_key {
    char scope[128]; /* date/region/service it was derived for; "" when none */
    unsigned char k[32];
};

/* The canonical request and string to sign of r (each SIGV4_MAX bytes; for tests), and the value of
 * the Authorization header into auth (SIGV4_MAX bytes). Returns 0, or -1 when a part does not fit. */
int sigv4_sign(const struct sigv4_request *r, const char *key_id, const char *secret, char *auth,
               char *canonical, char *to_sign);

/* sigv4_sign with the signing key taken from *key when it was derived for r's day, region and service
 * (else derived and kept there). key must always be used with the same secret. */
int sigv4_sign_keyed(const struct sigv4_request *r, const char *key_id, const char *secret,
                     struct sigv4_key *key, char *auth, char *canonical, char *to_sign);

/* URI-encodes s into out (cap bytes) as SigV4 wants: unreserved bytes (A-Z a-z 0-9 - . _ ~) kept, '/'
 * kept when keep_slash, every other byte %XX upper case. Returns the length, or -1 when it does not
 * fit. */
int sigv4_encode(const char *s, int keep_slash, char *out, size_t cap);

#endif
