#include "model/present/textsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/utf8.h"

size_t textsafe_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    return utf8_decode(s, len, cp);
}

int textsafe_is_unsafe(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
        return 1; /* C0, DEL, C1: the terminal's own control language */
    if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f))
        return 1; /* zero-width, directional marks and overrides, invisible operators */
    if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0x00ad || cp == 0x061c || cp == 0x180e)
        return 1; /* line/paragraph separators, BOM, soft hyphen, Arabic letter mark, Mongolian separator */
    if ((cp >= 0xfff9 && cp <= 0xfffb) || (cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef))
        return 1; /* interlinear annotation controls, non-characters */
    if (cp >= 0xe0000 && cp <= 0xe007f)
        return 1; /* tag characters: invisible, used to smuggle text */
    return 0;
}

size_t textsafe_escape(const char *in, size_t len, char *out, size_t outcap)
{
    size_t need = 0;
    char tmp[16];
#define EMIT(p, n)                                                                                           \
    do {                                                                                                     \
        for (size_t k_ = 0; k_ < (n); k_++, need++)                                                          \
            if (need + 1 < outcap)                                                                           \
                out[need] = (p)[k_];                                                                         \
    } while (0)
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = textsafe_utf8_decode(in + i, len - i, &cp);
        if (n == 0) {
            int m = snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned char)in[i]);
            EMIT(tmp, (size_t)m);
            i++;
            continue;
        }
        if (textsafe_is_unsafe(cp)) {
            int m = cp < 0x100 ? snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)cp)
                               : snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
            EMIT(tmp, (size_t)m);
        } else {
            EMIT(in + i, n);
        }
        i += n;
    }
#undef EMIT
    if (outcap)
        out[need < outcap ? need : outcap - 1] = '\0';
    return need;
}

int textsafe_json_write(FILE *f, const char *in, size_t len)
{
    int in_string = 0, escaped = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = textsafe_utf8_decode(in + i, len - i, &cp);
        if (n == 0 || textsafe_is_unsafe(cp) || (!in_string && cp >= 0x80)) {
            if (!in_string) {
                if (n == 1 && (cp == '\n' || cp == '\t' || cp == '\r'))
                    fputc((int)cp, f); /* JSON's own white space */
            } else if (n == 0) {
                fputs("\\ufffd", f);
            } else if (cp > 0xffff) {
                uint32_t v = cp - 0x10000;
                fprintf(f, "\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
            } else {
                fprintf(f, "\\u%04x", (unsigned)cp);
            }
            escaped = 0;
            i += n ? n : 1;
            continue;
        }
        if (in_string && !escaped && cp == '"')
            in_string = 0;
        else if (!in_string && cp == '"')
            in_string = 1;
        escaped = in_string && !escaped && cp == '\\';
        fwrite(in + i, 1, n, f);
        i += n;
    }
    return ferror(f) ? -1 : 0;
}

char *textsafe_escape_dup(const char *in, size_t len)
{
    size_t need = textsafe_escape(in, len, NULL, 0);
    char *out = malloc(need + 1);
    if (out)
        textsafe_escape(in, len, out, need + 1);
    return out;
}

void textsafe_next_unit(const char *s, size_t len, struct text_unit *u)
{
    uint32_t cp;
    size_t n = textsafe_utf8_decode(s, len, &cp);
    u->esc[0] = '\0';
    if (n == 0) {
        snprintf(u->esc, sizeof u->esc, "\\x%02x", (unsigned char)s[0]);
        u->len = 1;
    } else {
        u->len = n;
        int wdt = textsafe_is_unsafe(cp) ? -1 : wcwidth((wchar_t)cp);
        if (wdt > 0) {
            u->wc = (wchar_t)cp;
            u->width = wdt;
            return;
        }
        if (cp < 0x100)
            snprintf(u->esc, sizeof u->esc, "\\x%02x", (unsigned)cp);
        else
            snprintf(u->esc, sizeof u->esc, "\\u%04x", (unsigned)cp);
    }
    u->width = (int)strlen(u->esc);
}
