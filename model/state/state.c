#include "model/state/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/atomicfile.h"
#include "model/base/errmsg.h"
#include "model/base/xdg.h"

static const char header[] = "ctview-state 1";
static const char *const list_names[STATE__LISTS] = {
    [STATE_FILTER] = "filter",
    [STATE_SEARCH] = "search",
    [STATE_COMMAND] = "command",
};

/* A file this large is not ours. */
#define STATE_FILE_MAX (4 << 20)

char *state_path(void)
{
    return xdg_file("XDG_STATE_HOME", ".local/state", "state");
}

int state_add(struct state *st, enum state_list list, const char *text)
{
    if (!text || !text[0])
        return 0;
    char **items = st->items[list];
    size_t *n = &st->n[list];
    char *copy = strdup(text);
    if (!copy)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(items[i], text) == 0) {
            free(items[i]);
            memmove(items + i, items + i + 1, (*n - i - 1) * sizeof *items);
            (*n)--;
            break;
        }
    if (*n == STATE_LIST_MAX) {
        free(items[0]);
        memmove(items, items + 1, (*n - 1) * sizeof *items);
        (*n)--;
    }
    items[(*n)++] = copy;
    return 0;
}

void state_clear(struct state *st)
{
    for (int l = 0; l < STATE__LISTS; l++)
        for (size_t i = 0; i < st->n[l]; i++)
            free(st->items[l][i]);
    memset(st, 0, sizeof *st);
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes s[0..len) in place; returns the new length, or -1 for a bad escape or a raw control byte. */
static long unescape(char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return -1;
        if (c != '\\') {
            s[o++] = (char)c;
            continue;
        }
        if (++i >= len)
            return -1;
        switch (s[i]) {
        case '\\':
            s[o++] = '\\';
            break;
        case 'n':
            s[o++] = '\n';
            break;
        case 't':
            s[o++] = '\t';
            break;
        case 'r':
            s[o++] = '\r';
            break;
        case 'x': {
            int h = i + 2 < len ? hex(s[i + 1]) : -1, l = i + 2 < len ? hex(s[i + 2]) : -1;
            if (h < 0 || l < 0 || (h == 0 && l == 0))
                return -1;
            s[o++] = (char)(h << 4 | l);
            i += 2;
            break;
        }
        default:
            return -1;
        }
    }
    s[o] = '\0';
    return (long)o;
}

static int parse(struct state *st, char *text, size_t len, const char *path, char **err)
{
    if (memchr(text, '\0', len))
        return errmsg_set(err, "%s: holds a NUL byte", path);
    size_t line = 0;
    char *p = text, *end = text + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        line++;
        *eol = '\0';
        if (line == 1) {
            if (strcmp(p, header) != 0)
                return errmsg_set(err, "%s: line 1: not a ctview state file (expected '%s')", path, header);
        } else if (eol > p) {
            char *sp = memchr(p, ' ', (size_t)(eol - p));
            int list = -1;
            for (int l = 0; sp && l < STATE__LISTS; l++)
                if ((size_t)(sp - p) == strlen(list_names[l]) &&
                    memcmp(p, list_names[l], (size_t)(sp - p)) == 0)
                    list = l;
            if (list < 0)
                return errmsg_set(err, "%s: line %zu: unknown entry (filter, search or command)", path, line);
            if (unescape(sp + 1, (size_t)(eol - sp - 1)) < 0)
                return errmsg_set(err, "%s: line %zu: bad escape or control character", path, line);
            if (state_add(st, (enum state_list)list, sp + 1) != 0)
                return errmsg_set(err, "out of memory");
        }
        p = eol + 1;
    }
    if (line == 0)
        return errmsg_set(err, "%s: empty (expected '%s')", path, header);
    return 0;
}

int state_load(struct state *st, const char *path, char **err)
{
    state_clear(st);
    *err = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? 0 : errmsg_set(err, "%s: %s", path, strerror(errno));
    char *text = malloc(STATE_FILE_MAX + 1);
    if (!text) {
        fclose(f);
        return errmsg_set(err, "out of memory");
    }
    size_t len = fread(text, 1, STATE_FILE_MAX + 1, f);
    int rd_err = ferror(f);
    fclose(f);
    int rc;
    if (rd_err)
        rc = errmsg_set(err, "%s: read failed", path);
    else if (len > STATE_FILE_MAX)
        rc = errmsg_set(err, "%s: larger than %d MiB", path, STATE_FILE_MAX >> 20);
    else
        rc = parse(st, text, len, path, err);
    free(text);
    if (rc != 0)
        state_clear(st);
    return rc;
}

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\')
            fputs("\\\\", f);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

int state_save(const struct state *st, const char *path, char **err)
{
    *err = NULL;
    if (xdg_make_parents(path, err) != 0)
        return -1;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return errmsg_set(err, "out of memory");
    fprintf(f, "%s\n", header);
    for (int l = 0; l < STATE__LISTS; l++)
        for (size_t i = 0; i < st->n[l]; i++) {
            fprintf(f, "%s ", list_names[l]);
            put_escaped(f, st->items[l][i]);
            fputc('\n', f);
        }
    int rc = fclose(f) == 0 ? atomicfile_write(path, text, len, err) : errmsg_set(err, "out of memory");
    free(text);
    return rc;
}
