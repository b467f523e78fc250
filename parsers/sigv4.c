/* sigv4: AWS Signature Version 4 (see sigv4.h). */
#include "parsers/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/digest.h"

int sigv4_encode(const char *s, int keep_slash, char *out, size_t cap)
{
    static const char hx[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                   *p == '-' || *p == '.' || *p == '_' || *p == '~' || (keep_slash && *p == '/');
        if (n + (keep ? 1 : 3) >= cap)
            return -1;
        if (keep) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hx[*p >> 4];
            out[n++] = hx[*p & 15];
        }
    }
    out[n] = '\0';
    return (int)n;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct sigv4_header *)a)->name, ((const struct sigv4_header *)b)->name);
}

/* Appends to out[*n..cap) what fmt says; -1 when it does not fit. */
static int put(char *out, size_t cap, size_t *n, const char *s)
{
    size_t len = strlen(s);
    if (*n + len >= cap)
        return -1;
    memcpy(out + *n, s, len + 1);
    *n += len;
    return 0;
}

int sigv4_sign(const struct sigv4_request *r, const char *key_id, const char *secret, char *auth,
               char *canonical, char *to_sign)
{
    struct sigv4_key key = {"", {0}};
    int rc = sigv4_sign_keyed(r, key_id, secret, &key, auth, canonical, to_sign);
    memset(&key, 0, sizeof key);
    return rc;
}

int sigv4_sign_keyed(const struct sigv4_request *r, const char *key_id, const char *secret,
                     struct sigv4_key *key, char *auth, char *canonical, char *to_sign)
{
    struct sigv4_header hs[32];
    if (r->nheaders > 32)
        return -1;
    memcpy(hs, r->headers, r->nheaders * sizeof *hs);
    qsort(hs, r->nheaders, sizeof *hs, by_name);
    char signed_names[512] = "";
    size_t sn = 0, n = 0;
    int bad = put(canonical, SIGV4_MAX, &n, r->method) || put(canonical, SIGV4_MAX, &n, "\n") ||
              put(canonical, SIGV4_MAX, &n, r->uri) || put(canonical, SIGV4_MAX, &n, "\n") ||
              put(canonical, SIGV4_MAX, &n, r->query ? r->query : "") || put(canonical, SIGV4_MAX, &n, "\n");
    for (size_t i = 0; i < r->nheaders && !bad; i++) {
        bad = put(canonical, SIGV4_MAX, &n, hs[i].name) || put(canonical, SIGV4_MAX, &n, ":") ||
              put(canonical, SIGV4_MAX, &n, hs[i].value) || put(canonical, SIGV4_MAX, &n, "\n") ||
              (i && put(signed_names, sizeof signed_names, &sn, ";")) ||
              put(signed_names, sizeof signed_names, &sn, hs[i].name);
    }
    bad = bad || put(canonical, SIGV4_MAX, &n, "\n") || put(canonical, SIGV4_MAX, &n, signed_names) ||
          put(canonical, SIGV4_MAX, &n, "\n") || put(canonical, SIGV4_MAX, &n, r->payload_hash);
    if (bad || strlen(r->amz_date) != 16)
        return -1;
    unsigned char h[32];
    char hex[65], scope[256], date[9];
    memcpy(date, r->amz_date, 8);
    date[8] = '\0';
    sha256(canonical, n, h);
    digest_hex(h, 32, hex);
    if (snprintf(scope, sizeof scope, "%s/%s/%s/aws4_request", date, r->region, r->service) >=
            (int)sizeof scope ||
        snprintf(to_sign, SIGV4_MAX, "AWS4-HMAC-SHA256\n%s\n%s\n%s", r->amz_date, scope, hex) >= SIGV4_MAX)
        return -1;
    /* the signing key: HMAC chain from "AWS4" + secret over date, region, service, "aws4_request";
     * derived once a day (the scope names the day) */
    if (strcmp(key->scope, scope) != 0) {
        char kbuf[256];
        unsigned char k[32];
        key->scope[0] = '\0';
        if (strlen(scope) >= sizeof key->scope ||
            snprintf(kbuf, sizeof kbuf, "AWS4%s", secret) >= (int)sizeof kbuf)
            return -1;
        hmac_sha256(kbuf, strlen(kbuf), date, 8, k);
        memset(kbuf, 0, sizeof kbuf);
        hmac_sha256(k, 32, r->region, strlen(r->region), k);
        hmac_sha256(k, 32, r->service, strlen(r->service), k);
        hmac_sha256(k, 32, "aws4_request", 12, key->k);
        memset(k, 0, sizeof k);
        memcpy(key->scope, scope, strlen(scope) + 1);
    }
    hmac_sha256(key->k, 32, to_sign, strlen(to_sign), h);
    digest_hex(h, 32, hex);
    if (snprintf(auth, SIGV4_MAX, "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s", key_id,
                 scope, signed_names, hex) >= SIGV4_MAX)
        return -1;
    return 0;
}
