#include "model/present/osc52.h"

#include <stdlib.h>
#include <string.h>

size_t osc52_base64(const char *data, size_t len, char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *in = (const unsigned char *)data;
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        out[o++] = abc[v >> 18];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = abc[v >> 6 & 63];
        out[o++] = abc[v & 63];
    }
    if (len - i == 1) {
        unsigned v = (unsigned)in[i] << 16;
        out[o++] = abc[v >> 18];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
        out[o++] = abc[v >> 18];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = abc[v >> 6 & 63];
        out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}

char *osc52_encode(const char *data, size_t len, size_t *out_len)
{
    static const char head[] = "\033]52;c;";
    if (len > OSC52_MAX)
        return NULL;
    size_t hl = sizeof head - 1;
    char *s = malloc(hl + 4 * ((len + 2) / 3) + 2);
    if (!s)
        return NULL;
    memcpy(s, head, hl);
    size_t n = hl + osc52_base64(data, len, s + hl);
    s[n++] = '\a';
    s[n] = '\0';
    *out_len = n;
    return s;
}
