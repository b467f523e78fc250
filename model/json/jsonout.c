/* jsonout: the one JSON string writer. See jsonout.h. */
#include "model/json/jsonout.h"

#include <stdint.h>
#include <string.h>

#include "model/base/utf8.h"

static const char hex[] = "0123456789abcdef";

/* Writes the byte or character at s[i] (i < len) into out as JSON string text; *used gets the input
 * bytes it stood for. Returns the bytes written. */
static size_t put_char(const char *s, size_t len, size_t i, char *out, size_t *used)
{
    unsigned char c = (unsigned char)s[i];
    *used = 1;
    if (c == '"' || c == '\\') {
        out[0] = '\\';
        out[1] = (char)c;
        return 2;
    }
    if (c < 0x20 || c == 0x7f) {
        memcpy(out, "\\u00", 4);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    uint32_t cp;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (n == 0) {
        memcpy(out, "\\ufffd", 6);
        return 6;
    }
    memcpy(out, s + i, n);
    *used = n;
    return n;
}

size_t jsonout_escape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t used;
        o += put_char(s, len, i, out + o, &used);
        i += used;
    }
    return o;
}

void jsonout_chars(FILE *f, const char *s, size_t len)
{
    char buf[JSONOUT_ESCAPED_MAX(256)];
    /* in slices, each ending on a character boundary the writer itself found */
    for (size_t i = 0; i < len;) {
        size_t o = 0;
        while (i < len && o + 6 <= sizeof buf - 6) {
            size_t used;
            o += put_char(s, len, i, buf + o, &used);
            i += used;
        }
        /* buf[0..o) was written by put_char above; cppcheck does not see through it */
        // cppcheck-suppress uninitvar
        fwrite(buf, 1, o, f);
    }
}

void jsonout_string(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    jsonout_chars(f, s, len);
    fputc('"', f);
}

size_t jsonout_record(const char *in, size_t len, int minify, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)in[i];
        if (c != '"') {
            i++;
            if (c > ' ')
                out[o++] = (char)c;
            else if (!minify)
                out[o++] = c == '\t' || c == '\n' || c == '\r' ? (char)c : ' ';
            continue;
        }
        out[o++] = '"';
        for (i++; i < len;) {
            c = (unsigned char)in[i];
            if (c == '"') {
                out[o++] = '"';
                i++;
                break;
            }
            if (c == '\\' && i + 1 < len && in[i + 1] >= 0x20 && in[i + 1] < 0x7f) {
                out[o++] = '\\'; /* an escape as written (its second byte never ends the string) */
                out[o++] = in[i + 1];
                i += 2;
            } else if (c >= 0x20 && c <= 0x7f && c != '\\') {
                out[o++] = (char)c; /* DEL is valid JSON: as logged */
                i++;
            } else {
                size_t used; /* a control byte, a backslash no escape follows, or a non-ASCII byte */
                o += put_char(in, len, i, out + o, &used);
                i += used;
            }
        }
    }
    return o;
}
