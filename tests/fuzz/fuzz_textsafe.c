/* libFuzzer: the display escaping of log text, checked, not just run. For any bytes:
 * - the escaped text (what --list, the TSV and the trace print) is valid UTF-8 holding no character a
 *   terminal would act on, by a list written here apart from textsafe's own, and equals the input when
 *   the input is valid UTF-8 with nothing textsafe escapes;
 * - a cut escape (a small buffer) is the NUL-terminated start of the full one and reports its length;
 * - the display units the TUI draws cover every input byte once, and each is either a character of
 *   width 1 or 2 that is not on the list, or escape text of printable ASCII as wide as it is long;
 * - the JSON written for a terminal (--list --json) holds nothing on the list but JSON's white space,
 *   and printable ASCII comes out as it went in. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/present/textsafe.h"

/* What must never reach a terminal as is: C0, DEL, C1 (ESC, CSI, OSC and the rest), zero-width
 * characters and directional marks, BiDi embeddings, overrides and isolates, line and paragraph
 * separators, the BOM, interlinear annotations, tag characters. */
static int acts_on_terminal(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x00, 0x1f},     {0x7f, 0x9f},     {0x200b, 0x200f}, {0x2028, 0x202e},
        {0x2060, 0x2069}, {0xfeff, 0xfeff}, {0xfff9, 0xfffb}, {0xe0000, 0xe007f},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return 1;
    return 0;
}

/* True when t[0..len) is valid UTF-8 (textsafe's decoder) with no character that unsafe() says. */
static int clean_utf8(const char *t, size_t len, int (*unsafe)(uint32_t))
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = textsafe_utf8_decode(t + i, len - i, &cp);
        if (n == 0 || unsafe(cp))
            return 0;
        i += n;
    }
    return 1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        abort(); /* widths would all be -1: the unit checks would test nothing */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    size_t need = textsafe_escape(in, size, NULL, 0);
    char *full = textsafe_escape_dup(in, size);
    if (!full)
        return 0;
    if (strlen(full) != need || !clean_utf8(full, need, acts_on_terminal))
        abort();
    /* textsafe escapes more than the list (soft hyphen, non-characters...): text it finds clean
     * comes out as it went in */
    if (clean_utf8(in, size, textsafe_is_unsafe) && (need != size || memcmp(full, in, size) != 0))
        abort();

    size_t cap = size ? data[0] % 64 + 1 : 1;
    char *cut = malloc(cap);
    if (!cut)
        abort();
    size_t kept = need < cap - 1 ? need : cap - 1;
    if (textsafe_escape(in, size, cut, cap) != need || strlen(cut) != kept || memcmp(cut, full, kept) != 0)
        abort();
    free(cut);
    free(full);

    for (size_t i = 0; i < size;) {
        struct text_unit u;
        textsafe_next_unit(in + i, size - i, &u);
        if (u.len < 1 || u.len > size - i || u.len > 4)
            abort();
        if (u.esc[0]) {
            size_t elen = strlen(u.esc);
            for (size_t k = 0; k < elen; k++)
                if (u.esc[k] < 0x20 || u.esc[k] > 0x7e)
                    abort();
            if (u.width != (int)elen || u.esc[0] != '\\')
                abort();
        } else if (u.width < 1 || u.width > 2 || acts_on_terminal((uint32_t)u.wc)) {
            abort();
        }
        i += u.len;
    }

    /* the JSON writer for terminals: for any bytes, valid UTF-8 holding nothing a terminal acts on but
     * JSON's white space, and the input unchanged when it is clean */
    char *js = NULL;
    size_t jlen = 0;
    FILE *jf = open_memstream(&js, &jlen);
    if (!jf)
        return 0;
    int wrc = textsafe_json_write(jf, in, size);
    if (fclose(jf) != 0 || wrc != 0) {
        free(js);
        return 0;
    }
    for (size_t i = 0; i < jlen;) {
        uint32_t cp;
        size_t n = textsafe_utf8_decode(js + i, jlen - i, &cp);
        if (n == 0 || (acts_on_terminal(cp) && cp != '\n' && cp != '\t' && cp != '\r'))
            abort();
        i += n;
    }
    int printable = 1;
    for (size_t i = 0; i < size && printable; i++)
        printable = data[i] >= 0x20 && data[i] < 0x7f;
    if (printable && (jlen != size || memcmp(js, in, size) != 0))
        abort();
    free(js);
    return 0;
}
