#include "parsers/athena.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/base/grow.h"
#include "model/json/path.h"

/* CloudTrail's spelling of every key the table holds (and of a few it drops, for other tables' rows):
 * a column or struct field is matched to it case-insensitively. The top-level keys are the record
 * format's own list (path_record_keys in model/json/path.h); these are the keys nested inside them. */
static const char *const key_names[] = {
    "type",
    "principalId",
    "arn",
    "accountId",
    "invokedBy",
    "accessKeyId",
    "userName",
    "onBehalfOf",
    "userId",
    "identityStoreArn",
    "sessionContext",
    "attributes",
    "mfaAuthenticated",
    "creationDate",
    "sessionIssuer",
    "ec2RoleDelivery",
    "webIdFederationData",
    "federatedProvider",
    "sourceIdentity",
    "identityProvider",
    "credentialId",
    "reason",
    "updatedFields",
    "originalRequestID",
    "originalEventID",
    "tlsVersion",
    "cipherSuite",
    "clientProvidedHostHeader",
};

/* Columns the table holds as JSON text, restored as JSON. */
static const char *const json_text_columns[] = {"requestparameters",   "responseelements",
                                                "additionaleventdata", "serviceeventdetails",
                                                "edgedevicedetails",   "insightdetails"};
/* Columns CloudTrail logs as booleans, held as "true"/"false". */
static const char *const bool_columns[] = {"readonly", "managementevent"};
/* Columns that are not part of the event: the partitions of the documented tables. */
static const char *const partition_columns[] = {"timestamp", "account", "region"};
/* Struct columns, written by the console's CSV in Trino's text form. */
static const char *const struct_columns[] = {"useridentity", "resources", "tlsdetails", "addendum"};

#define IN(name, table) in_table(name, table, sizeof table / sizeof *table)

/* A cheap test before strcasecmp: most names differ in their first letter. */
static int same_first(const char *a, const char *b)
{
    return (a[0] | 0x20) == (b[0] | 0x20);
}

static int in_table(const char *name, const char *const *table, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (same_first(name, table[i]) && strcasecmp(name, table[i]) == 0)
            return 1;
    return 0;
}

static const char *ct_name(const char *key, int in_resources)
{
    if (in_resources && strcasecmp(key, "arn") == 0)
        return "ARN";
    size_t ntop;
    const char *const *top = path_record_keys(&ntop);
    for (size_t i = 0; i < ntop; i++)
        if (same_first(key, top[i]) && strcasecmp(key, top[i]) == 0)
            return top[i];
    for (size_t i = 0; i < sizeof key_names / sizeof *key_names; i++)
        if (same_first(key, key_names[i]) && strcasecmp(key, key_names[i]) == 0)
            return key_names[i];
    return key;
}

static int contains_key(const char *s, size_t len, const char *key)
{
    return memmem(s, len, key, strlen(key)) != NULL;
}

enum athena_shape athena_detect(const char *data, size_t len)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i >= len)
        return ATHENA_NONE;
    const char *line = data + i;
    const char *nl = memchr(line, '\n', len - i);
    size_t n = nl ? (size_t)(nl - line) : len - i;
    if (n > 65536)
        n = 65536; /* a key of the first row is near its start */
    if (line[0] == '{') {
        /* CloudTrail's own spelling first, "Records" (a log file's first key) before the rest: on the
         * files almost every input is, the first search stops a few bytes in, where searching for the
         * lower-case names first would read the whole line (a log file is one line) several times. */
        if (contains_key(line, n, "\"Records\"") || contains_key(line, n, "\"eventTime\"") ||
            contains_key(line, n, "\"eventID\"") || contains_key(line, n, "\"eventName\""))
            return ATHENA_NONE;
        int lower = contains_key(line, n, "\"eventtime\":") || contains_key(line, n, "\"eventid\":") ||
                    contains_key(line, n, "\"eventname\":");
        return lower ? ATHENA_JSON : ATHENA_NONE;
    }
    if (line[0] == '"' && (contains_key(line, n, "\"eventtime\"") || contains_key(line, n, "\"eventid\"") ||
                           contains_key(line, n, "\"eventname\"")))
        return ATHENA_CSV;
    return ATHENA_NONE;
}

/* --- Trino's text form of a ROW or ARRAY cell: {a=x, b={c=y}, d=null}, [{...}, {...}] --- */

struct tp {
    const char *s;
    size_t n, i;
    int depth;
};

static cJSON *tp_value(struct tp *p, int in_array);

/* Whether a struct field "key=" starts at i: a run of characters that are not separators, then '='. */
static int tp_key_at(const struct tp *p, size_t i)
{
    size_t k = i;
    while (k < p->n && !strchr("=,{}[] ", p->s[k]))
        k++;
    return k > i && k < p->n && p->s[k] == '=';
}

static cJSON *tp_struct(struct tp *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    p->i++; /* '{' */
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        return o;
    }
    for (;;) {
        size_t k = p->i;
        if (!tp_key_at(p, k))
            break;
        while (p->s[p->i] != '=')
            p->i++;
        char *key = strndup(p->s + k, p->i - k);
        p->i++;
        cJSON *v = key ? tp_value(p, 0) : NULL;
        if (!v) {
            free(key);
            break;
        }
        cJSON_AddItemToObject(o, key, v);
        free(key);
        if (p->i + 1 < p->n && p->s[p->i] == ',' && p->s[p->i + 1] == ' ') {
            p->i += 2;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == '}') {
            p->i++;
            return o;
        }
        break;
    }
    cJSON_Delete(o);
    return NULL;
}

static cJSON *tp_array(struct tp *p)
{
    cJSON *a = cJSON_CreateArray();
    if (!a)
        return NULL;
    p->i++; /* '[' */
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        return a;
    }
    for (;;) {
        cJSON *v = tp_value(p, 1);
        if (!v)
            break;
        cJSON_AddItemToArray(a, v);
        if (p->i + 1 < p->n && p->s[p->i] == ',' && p->s[p->i + 1] == ' ') {
            p->i += 2;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
            return a;
        }
        break;
    }
    cJSON_Delete(a);
    return NULL;
}

/* A scalar ends where its container goes on: at ", " before the next field (or element), or at the
 * closing bracket. CloudTrail's struct values (ARNs, ids, names, dates) hold neither. */
static cJSON *tp_value(struct tp *p, int in_array)
{
    if (p->i < p->n && (p->s[p->i] == '{' || p->s[p->i] == '[')) {
        if (++p->depth > 32)
            return NULL;
        cJSON *v = p->s[p->i] == '{' ? tp_struct(p) : tp_array(p);
        p->depth--;
        return v;
    }
    size_t j = p->i;
    while (j < p->n) {
        char c = p->s[j];
        if (c == (in_array ? ']' : '}'))
            break;
        if (c == ',' && j + 1 < p->n && p->s[j + 1] == ' ' && (in_array || tp_key_at(p, j + 2)))
            break;
        j++;
    }
    size_t len = j - p->i;
    const char *v = p->s + p->i;
    p->i = j;
    if (len == 4 && memcmp(v, "null", 4) == 0)
        return cJSON_CreateNull();
    char *s = strndup(v, len);
    cJSON *r = s ? cJSON_CreateString(s) : NULL;
    free(s);
    return r;
}

/* --- rows to events --- */

struct out {
    char *buf;
    size_t len, cap;
};

static int out_add(struct out *o, const char *s, size_t n)
{
    if (grow_array((void **)&o->buf, &o->cap, o->len + n + 1, 1) != 0)
        return -1;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
    return 0;
}

/* Gives item the key name (a static string: no copy, and cJSON_Delete leaves it alone). */
static void rename_item(cJSON *item, const char *name)
{
    if (item->string == name)
        return;
    if (!(item->type & cJSON_StringIsConst))
        cJSON_free(item->string);
    item->string = (char *)name;
    item->type |= cJSON_StringIsConst;
}

/* Rewrites a struct or array in place with CloudTrail's key names, dropping NULLs and the structs they
 * leave empty. */
static void restore_in_place(cJSON *v, int in_resources)
{
    cJSON *c = v->child;
    while (c) {
        cJSON *next = c->next;
        if (cJSON_IsObject(v) && cJSON_IsNull(c)) {
            cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
        } else {
            restore_in_place(c, cJSON_IsArray(v) && in_resources);
            if (cJSON_IsObject(v) && cJSON_IsObject(c) && !c->child)
                cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
            else if (cJSON_IsObject(v) && c->string)
                rename_item(c, ct_name(c->string, in_resources));
        }
        c = next;
    }
}

/* JSON text as a raw item: validated, its line breaks (whitespace, outside strings) made spaces so the
 * event stays on one line. NULL with *why when it is not JSON. */
static cJSON *restore_json_text(const char *col, const char *text, char *why, size_t whycap)
{
    const char *end = NULL;
    size_t len = strlen(text);
    cJSON *parsed = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    int ok = parsed != NULL;
    cJSON_Delete(parsed);
    while (ok && end && end < text + len && strchr(" \t\r\n", *end))
        end++;
    if (!ok || (end && end != text + len)) {
        snprintf(why, whycap, "%s is not JSON text", col);
        return NULL;
    }
    char *raw = strdup(text);
    if (!raw)
        return NULL;
    for (char *p = raw; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    cJSON *r = cJSON_CreateRaw(raw);
    free(raw);
    return r;
}

/* Turns one row (an object of column -> value) into its event, in place. Returns 0, or -1 with *why
("" when out of memory). */
static int restore_row(cJSON *row, char *why, size_t whycap)
{
    why[0] = '\0';
    int event_columns = 0;
    cJSON *c = row->child;
    while (c) {
        cJSON *next = c->next;
        const char *col = c->string ? c->string : "";
        if (col[0] == '$' || IN(col, partition_columns) || cJSON_IsNull(c)) {
            cJSON_Delete(cJSON_DetachItemViaPointer(row, c));
            c = next;
            continue;
        }
        const char *name = ct_name(col, 0);
        cJSON *v = NULL;
        if (IN(col, json_text_columns) && cJSON_IsString(c)) {
            if (!(v = restore_json_text(col, c->valuestring, why, whycap)))
                return -1;
        } else if (IN(col, bool_columns) && cJSON_IsString(c) &&
                   (strcmp(c->valuestring, "true") == 0 || strcmp(c->valuestring, "false") == 0)) {
            if (!(v = cJSON_CreateBool(c->valuestring[0] == 't')))
                return -1;
        } else {
            restore_in_place(c, strcasecmp(col, "resources") == 0);
        }
        if (v) {
            cJSON_ReplaceItemViaPointer(row, c, v);
            c = v;
        }
        rename_item(c, name);
        event_columns +=
            strcmp(name, "eventTime") == 0 || strcmp(name, "eventID") == 0 || strcmp(name, "eventName") == 0;
        c = next;
    }
    if (!event_columns) {
        snprintf(why, whycap, "row has none of eventtime, eventid, eventname: not a CloudTrail event");
        return -1;
    }
    return 0;
}

/* Appends the restored row, or reports why not. Returns -1 only when out of memory. */
static int emit(struct out *o, cJSON *row, size_t off, size_t index, athena_bad_fn bad, void *ctx)
{
    char why[160];
    if (restore_row(row, why, sizeof why) != 0) {
        if (!why[0])
            return -1;
        bad(ctx, off, index, why);
        return 0;
    }
    char *text = cJSON_PrintUnformatted(row);
    if (!text)
        return -1;
    int rc = out_add(o, text, strlen(text)) != 0 || out_add(o, "\n", 1) != 0 ? -1 : 0;
    free(text);
    return rc;
}

static int restore_json_lines(const char *data, size_t len, struct out *o, athena_bad_fn bad, void *ctx)
{
    size_t index = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len, n = end - i;
        const char *line = data + i;
        size_t k = 0;
        while (k < n && strchr(" \t\r", line[k]))
            k++;
        if (k < n) {
            cJSON *row = cJSON_ParseWithLength(line, n);
            if (!cJSON_IsObject(row))
                bad(ctx, i, index, "not a JSON object (UNLOAD JSON rows are one object per line)");
            else if (emit(o, row, i, index, bad, ctx) != 0) {
                cJSON_Delete(row);
                return -1;
            }
            cJSON_Delete(row);
            index++;
        }
        i = end + 1;
    }
    return 0;
}

/* One CSV record (RFC 4180) from data[*pos]; cells unescaped into cells[] (owned strings, NULL for an
 * empty unquoted cell). Returns the number of cells, or -1 for an unclosed quote, -2 out of memory. */
static void free_cells(char **cells, int n)
{
    for (int k = 0; k < n; k++)
        free(cells[k]);
}

/* Frees the n cells read so far of a record that failed, and returns rc. */
static int fail_record(char **cells, int n, int rc)
{
    free_cells(cells, n);
    return rc;
}

static int csv_record(const char *data, size_t len, size_t *pos, char ***cells, size_t *cap)
{
    size_t i = *pos;
    int n = 0;
    for (;;) {
        if (grow_array((void **)cells, cap, (size_t)n + 1, sizeof **cells) != 0)
            return fail_record(*cells, n, -2);
        char *cell = NULL;
        if (i < len && data[i] == '"') {
            size_t w = 0;
            i++;
            cell = malloc(1);
            size_t ccap = 1;
            for (;;) {
                if (i >= len) {
                    free(cell);
                    *pos = len;
                    return fail_record(*cells, n, -1);
                }
                if (data[i] == '"' && !(i + 1 < len && data[i + 1] == '"'))
                    break;
                size_t step = data[i] == '"' ? 2 : 1;
                if (!cell || grow_array((void **)&cell, &ccap, w + 2, 1) != 0) {
                    free(cell);
                    return fail_record(*cells, n, -2);
                }
                cell[w++] = data[i];
                i += step;
            }
            cell[w] = '\0';
            i++; /* closing quote */
        } else {
            size_t start = i;
            while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
                i++;
            if (i > start && !(cell = strndup(data + start, i - start)))
                return fail_record(*cells, n, -2);
        }
        (*cells)[n++] = cell;
        if (i < len && data[i] == ',') {
            i++;
            continue;
        }
        while (i < len && data[i] != '\n')
            i++;
        *pos = i + 1;
        return n;
    }
}

static int restore_csv(const char *data, size_t len, struct out *o, athena_bad_fn bad, void *ctx)
{
    size_t pos = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, hcap = 0, ccap = 0;
    char **header = NULL, **cells = NULL;
    int nh = csv_record(data, len, &pos, &header, &hcap), rc = 0;
    if (nh == -2)
        return -1;
    size_t index = 0;
    while (nh > 0 && pos < len && rc == 0) {
        size_t at = pos;
        int n = csv_record(data, len, &pos, &cells, &ccap);
        if (n == -2) {
            rc = -1;
            break;
        }
        if (n == 1 && !cells[0]) { /* a blank line */
            free_cells(cells, n);
            continue;
        }
        char why[160] = "";
        cJSON *row = n == nh ? cJSON_CreateObject() : NULL;
        if (n < 0)
            snprintf(why, sizeof why, "unclosed quote");
        else if (n != nh)
            snprintf(why, sizeof why, "%d cells for %d columns", n, nh);
        for (int k = 0; row && k < n && !why[0]; k++) {
            const char *name = header[k] ? header[k] : "";
            cJSON *v;
            if (!cells[k]) {
                v = cJSON_CreateNull();
            } else if (IN(name, struct_columns) && (cells[k][0] == '{' || cells[k][0] == '[')) {
                struct tp p = {cells[k], strlen(cells[k]), 0, 0};
                v = tp_value(&p, 0);
                if (!v || p.i != p.n) {
                    cJSON_Delete(v);
                    v = NULL;
                    snprintf(why, sizeof why, "cannot read the %.40s struct text at character %zu", name,
                             p.i + 1);
                }
            } else {
                v = cJSON_CreateString(cells[k]);
            }
            if (v)
                cJSON_AddItemToObject(row, name, v);
        }
        if (why[0])
            bad(ctx, at, index, why);
        else if (!row || emit(o, row, at, index, bad, ctx) != 0)
            rc = -1;
        cJSON_Delete(row);
        if (n > 0)
            free_cells(cells, n);
        index++;
    }
    if (nh > 0)
        free_cells(header, nh);
    free(header);
    free(cells);
    return rc;
}

int athena_restore(enum athena_shape shape, const char *data, size_t len, char **out, size_t *out_len,
                   athena_bad_fn bad, void *ctx)
{
    struct out o = {0};
    if (out_add(&o, "", 0) != 0)
        return -1;
    int rc = shape == ATHENA_CSV ? restore_csv(data, len, &o, bad, ctx)
                                 : restore_json_lines(data, len, &o, bad, ctx);
    if (rc != 0) {
        free(o.buf);
        return -1;
    }
    char *fit = realloc(o.buf, o.len + 1); /* kept for the session: no doubling slack */
    if (fit)
        o.buf = fit;
    *out = o.buf;
    *out_len = o.len;
    return 0;
}
