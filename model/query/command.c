#include "model/query/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/filterquote.h"
#include "model/base/grow.h"
#include "model/query/export.h"
#include "model/query/field.h"

static const struct cmd_def table[CMD__COUNT] = {
    {"goto", CMD_GOTO, 1, 1, ARG_TEXT, ARG_NONE, ":goto ROW|N%|TIME|-2h",
     "go to a row, a share of the list, the first event at or after a time, or a time before/after the "
     "selection"},
    {"filter", CMD_FILTER, 0, 1, ARG_TEXT, ARG_NONE, ":filter EXPR",
     "filter the list (no EXPR: show every event)"},
    {"mark", CMD_MARK, 1, 1, ARG_TEXT, ARG_NONE, ":mark EXPR", "mark every shown event that matches EXPR"},
    {"export", CMD_EXPORT, 1, 2, ARG_NONE, ARG_FORMAT, ":export FILE [FORMAT]",
     "write the marked events (or all shown) to FILE as records, jsonl, csv or timesketch (default: by the "
     "file's extension); an existing FILE is not replaced"},
    {"tz", CMD_TZ, 1, 1, ARG_ZONE, ARG_NONE, ":tz ZONE", "show times in ZONE: UTC, local, Europe/Paris..."},
    {"sort", CMD_SORT, 0, 2, ARG_FIELD, ARG_ORDER, ":sort [COLUMN [asc|desc]]",
     "sort the list by a column (a short field or JSON path); :sort alone: back to time order"},
    {"help", CMD_HELP, 0, 0, ARG_NONE, ARG_NONE, ":help", "the keys and commands"},
    {"quit", CMD_QUIT, 0, 0, ARG_NONE, ARG_NONE, ":quit", "quit"},
    {"report", CMD_REPORT, 1, 1, ARG_NONE, ARG_NONE, ":report FILE",
     "write the incident report (Markdown) of the marked events (or all shown) to FILE; an existing FILE is "
     "not replaced"},
    {"note", CMD_NOTE, 1, 1, ARG_TEXT, ARG_NONE, ":note TEXT",
     "add a note to the marked events (none marked: the selected one); kept in the case"},
    {"tag", CMD_TAG, 1, 1, ARG_NONE, ARG_NONE, ":tag NAME", "tag the marked events (or the selected one)"},
    {"untag", CMD_UNTAG, 1, 1, ARG_NONE, ARG_NONE, ":untag NAME",
     "remove a tag from the marked events (or the selected one)"},
    {"case", CMD_CASE, 0, 0, ARG_NONE, ARG_NONE, ":case",
     "every event the case holds (marks, tags, notes), those not loaded too"},
};

const struct cmd_def *cmd_table(void)
{
    return table;
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* The commands whose name starts with name[0..len); an exact name wins over longer ones. */
static size_t find(const char *name, size_t len, const struct cmd_def **found)
{
    size_t n = 0;
    for (size_t i = 0; i < CMD__COUNT; i++) {
        if (strncmp(table[i].name, name, len) != 0)
            continue;
        if (strlen(table[i].name) == len) {
            *found = &table[i];
            return 1;
        }
        if (n++ == 0)
            *found = &table[i];
    }
    return n;
}

/* Copies the next word of *s (a "quoted word" may hold blanks; \" and \\ inside) into out. Returns 0,
 * or -1 for an unclosed quote or a word too long. */
static int next_word(const char **s, char *out)
{
    const char *p = skip_blanks(*s);
    size_t o = 0;
    if (*p == '"') {
        const char *end = filterquote_read(p, NULL, &o);
        if (!end || o + 1 >= CMD_LINE_MAX)
            return -1;
        filterquote_read(p, out, &o);
        p = end;
    } else {
        for (; *p && *p != ' ' && *p != '\t'; p++) {
            if (o + 1 >= CMD_LINE_MAX)
                return -1;
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    *s = p;
    return 0;
}

int cmd_parse(const char *line, struct cmd_call *call, char *err, size_t errlen)
{
    err[0] = '\0';
    const char *p = skip_blanks(line);
    if (!*p)
        return -1;
    size_t len = strcspn(p, " \t");
    const struct cmd_def *d = NULL;
    size_t n = find(p, len, &d);
    if (n != 1) {
        int w = (int)(len > 40 ? 40 : len);
        int o = snprintf(err, errlen,
                         n ? "ambiguous command '%.*s':" : "unknown command '%.*s'; commands:", w, p);
        for (size_t i = 0; i < CMD__COUNT && o > 0 && (size_t)o < errlen; i++)
            if (!n || strncmp(table[i].name, p, len) == 0)
                o += snprintf(err + o, errlen - (size_t)o, " %s", table[i].name);
        return -1;
    }
    memset(call, 0, sizeof *call);
    call->def = d;
    p = skip_blanks(p + len);
    if (d->arg1 == ARG_TEXT) {
        /* the rest of the line is one expression */
        size_t rest = strlen(p);
        while (rest && (p[rest - 1] == ' ' || p[rest - 1] == '\t'))
            rest--;
        if (rest >= CMD_LINE_MAX) {
            snprintf(err, errlen, "line too long");
            return -1;
        }
        memcpy(call->argv[0], p, rest);
        call->argc = rest > 0;
    } else {
        while (*skip_blanks(p)) {
            if (call->argc == d->max_args) {
                snprintf(err, errlen, "too many arguments: %s", d->usage);
                return -1;
            }
            if (next_word(&p, call->argv[call->argc]) != 0) {
                snprintf(err, errlen, "unclosed quote or word too long: %s", d->usage);
                return -1;
            }
            call->argc++;
        }
    }
    if (call->argc < d->min_args) {
        snprintf(err, errlen, "%s", d->usage);
        return -1;
    }
    return 0;
}

struct list {
    char **items;
    size_t n, cap;
    int nomem;
};

static void add(struct list *l, const char *head, size_t head_len, const char *word, const char *tail)
{
    if (l->nomem)
        return;
    if (grow_array_from((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items, 16) != 0) {
        l->nomem = 1;
        return;
    }
    char *s = NULL;
    if (asprintf(&s, "%.*s%s%s", (int)head_len, head, word, tail) < 0) {
        l->nomem = 1;
        return;
    }
    l->items[l->n++] = s;
}

/* The short field names for :sort (a path is typed whole). */
static void add_short_fields(struct list *l, const char *line, size_t head_len, const char *word)
{
    const char *names = field_short_names();
    size_t wl = strlen(word);
    while (*names) {
        size_t len = strcspn(names, " ");
        char name[32];
        if (len < sizeof name && len >= wl && strncmp(names, word, wl) == 0) {
            memcpy(name, names, len);
            name[len] = '\0';
            add(l, line, head_len, name, " ");
        }
        names += len;
        names += *names == ' ';
    }
}

/* Zone names for :tz: UTC, local, and the canonical zones the system lists (tzdata's zone1970.tab). */
static void add_zones(struct list *l, const char *line, size_t head_len, const char *word)
{
    size_t wl = strlen(word);
    static const char *const fixed[] = {"UTC", "local"};
    for (size_t i = 0; i < 2; i++)
        if (strncmp(fixed[i], word, wl) == 0)
            add(l, line, head_len, fixed[i], "");
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/zone1970.tab", dir && *dir ? dir : "/usr/share/zoneinfo");
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char buf[512];
    while (fgets(buf, sizeof buf, f) && l->n < 1000) {
        if (buf[0] == '#')
            continue;
        /* code(s) TAB coordinates TAB zone [TAB comment] */
        char *t1 = strchr(buf, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2)
            continue;
        char *zone = t2 + 1;
        zone[strcspn(zone, "\t\n")] = '\0';
        if (strncmp(zone, word, wl) == 0)
            add(l, line, head_len, zone, "");
    }
    fclose(f);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_complete(const char *line, char ***out)
{
    struct list l = {0};
    *out = NULL;
    const char *p = skip_blanks(line);
    size_t len = strcspn(p, " \t");
    if (!p[len]) {
        /* the command name */
        for (size_t i = 0; i < CMD__COUNT; i++)
            if (strncmp(table[i].name, p, len) == 0)
                add(&l, line, (size_t)(p - line), table[i].name, table[i].max_args ? " " : "");
    } else {
        const struct cmd_def *d = NULL;
        if (find(p, len, &d) == 1) {
            /* which word the end of the line is in, counting the arguments */
            const char *q = skip_blanks(p + len), *word = q;
            int argn = 1;
            for (const char *r = q; *r; r++)
                if ((*r == ' ' || *r == '\t') && r[1] && r[1] != ' ' && r[1] != '\t') {
                    argn++;
                    word = r + 1;
                }
            if (*q && (line[strlen(line) - 1] == ' ' || line[strlen(line) - 1] == '\t')) {
                argn++;
                word = line + strlen(line);
            }
            enum cmd_arg kind = argn == 1 ? d->arg1 : argn == 2 ? d->arg2 : ARG_NONE;
            size_t head = (size_t)(word - line);
            if (kind == ARG_FORMAT) {
                for (int f = 0; f < EXPORT__COUNT; f++) {
                    const char *name = export_format_name((enum export_format)f);
                    if (strncmp(name, word, strlen(word)) == 0)
                        add(&l, line, head, name, "");
                }
            } else if (kind == ARG_ZONE) {
                add_zones(&l, line, head, word);
            } else if (kind == ARG_ORDER) {
                static const char *const orders[] = {"asc", "desc"};
                for (size_t i = 0; i < 2; i++)
                    if (strncmp(orders[i], word, strlen(word)) == 0)
                        add(&l, line, head, orders[i], "");
            } else if (kind == ARG_FIELD) {
                add_short_fields(&l, line, head, word);
            }
        }
    }
    if (l.nomem) {
        for (size_t i = 0; i < l.n; i++)
            free(l.items[i]);
        free(l.items);
        return -1;
    }
    if (l.n > 1)
        qsort(l.items, l.n, sizeof *l.items, by_text);
    *out = l.items;
    return (int)l.n;
}

size_t cmd_common_prefix(char *const *lines, size_t n)
{
    if (n == 0)
        return 0;
    size_t k = strlen(lines[0]);
    for (size_t i = 1; i < n; i++) {
        size_t j = 0;
        while (j < k && lines[i][j] == lines[0][j])
            j++;
        k = j;
    }
    return k;
}
