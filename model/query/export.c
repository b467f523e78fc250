#include "model/query/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "model/query/field.h"
#include "model/query/timeline.h"
#include "model/json/jsonout.h"
#include "model/base/tempfiles.h"
#include "model/base/timefmt.h"
#include "model/base/atomicfile.h"
#include "model/base/errmsg.h"
#include "model/present/textsafe.h"

/* The eventID of event e as a message may show it: from a log, so escaped (model/present/textsafe.h).
 * Owned by the caller; NULL when out of memory. */
static char *event_name(const struct store *s, const struct event *e)
{
    const char *id = store_str(s, e, EF_EVENT_ID);
    return textsafe_escape_dup(id, strlen(id));
}

static const char *const format_names[EXPORT__COUNT] = {"records", "jsonl", "csv", "timesketch"};

const char *export_format_name(enum export_format f)
{
    return f < EXPORT__COUNT ? format_names[f] : "";
}

enum export_format export_format_parse(const char *name)
{
    for (int f = 0; f < EXPORT__COUNT; f++)
        if (strcmp(name, format_names[f]) == 0)
            return (enum export_format)f;
    return EXPORT__COUNT;
}

const char *export_extension(enum export_format f, int gzip)
{
    static const char *const ext[EXPORT__COUNT][2] = {
        {".json", ".json.gz"}, {".jsonl", ".jsonl.gz"}, {".csv", ".csv.gz"}, {".jsonl", ".jsonl.gz"}};
    return f < EXPORT__COUNT ? ext[f][gzip ? 1 : 0] : "";
}

/* A buffered writer to a file descriptor, through deflate when gzip; remembers the first errno. */
struct out {
    int fd;
    int gzip;
    z_stream z;
    unsigned char buf[1 << 16];
    size_t used;
    int error; /* errno of the first failed write, or -1 for a zlib failure */
};

static int write_all(struct out *o, const unsigned char *p, size_t n)
{
    while (n && !o->error) {
        ssize_t w = write(o->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            o->error = w < 0 ? errno : EIO;
            break;
        }
        p += w;
        n -= (size_t)w;
    }
    return o->error ? -1 : 0;
}

static int deflate_some(struct out *o, const void *data, size_t len, int flush)
{
    o->z.next_in = (Bytef *)(uintptr_t)data;
    o->z.avail_in = (uInt)len;
    do {
        o->z.next_out = o->buf;
        o->z.avail_out = sizeof o->buf;
        int r = deflate(&o->z, flush);
        if (r == Z_STREAM_ERROR) {
            o->error = -1;
            return -1;
        }
        if (write_all(o, o->buf, sizeof o->buf - o->z.avail_out) != 0)
            return -1;
    } while (o->z.avail_out == 0 || (flush == Z_FINISH && o->z.avail_in));
    return 0;
}

static int out_write(struct out *o, const void *data, size_t len)
{
    if (o->error)
        return -1;
    if (o->gzip) {
        /* deflate takes at most uInt bytes at a time */
        const char *p = data;
        while (len) {
            size_t take = len > (1u << 30) ? (1u << 30) : len;
            if (deflate_some(o, p, take, Z_NO_FLUSH) != 0)
                return -1;
            p += take;
            len -= take;
        }
        return 0;
    }
    if (o->used + len > sizeof o->buf) {
        if (write_all(o, o->buf, o->used) != 0)
            return -1;
        o->used = 0;
        if (len > sizeof o->buf)
            return write_all(o, data, len);
    }
    memcpy(o->buf + o->used, data, len);
    o->used += len;
    return 0;
}

static int out_puts(struct out *o, const char *s)
{
    return out_write(o, s, strlen(s));
}

static int out_open(struct out *o, int fd, int gzip)
{
    memset(o, 0, sizeof *o);
    o->fd = fd;
    o->gzip = gzip;
    /* windowBits 15 + 16: a gzip header and trailer, as zcat expects */
    if (gzip && deflateInit2(&o->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    return 0;
}

static int out_finish(struct out *o)
{
    if (o->gzip) {
        if (!o->error)
            deflate_some(o, "", 0, Z_FINISH);
        deflateEnd(&o->z);
    } else if (!o->error && o->used) {
        write_all(o, o->buf, o->used);
    }
    o->used = 0;
    return o->error ? -1 : 0;
}

size_t export_csv_field(const char *v, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    int formula = v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r';
    int quote = formula || strpbrk(v, ",\"\r\n") != NULL;
    size_t n = 0;
#define PUT(c)                                                                                               \
    do {                                                                                                     \
        if (n + 1 < cap)                                                                                     \
            out[n++] = (c);                                                                                  \
    } while (0)
    if (quote)
        PUT('"');
    if (formula)
        PUT('\'');
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            PUT('"');
        PUT(*p);
    }
    if (quote)
        PUT('"');
#undef PUT
    out[n] = '\0';
    return n;
}

/* The header of the default columns (FIELD_CSV_DEFAULT): the JSON keys the fields read, and identity. */
static const char *const csv_default_header[] = {
    "eventTime", "recipientAccountId", "awsRegion", "eventSource", "eventName",
    "identity",  "sourceIPAddress",    "errorCode", "eventID",     "errorMessage",
};

/* The CSV of columns cols: a header (head[c], or the names as written when head is NULL), then per event
 * each field's values joined by ',' (empty when missing). Returns 0, or -1 with *err set (a write
 * failure is left in o->error). */
static int write_csv_columns(struct out *o, struct store *s, const uint32_t *idx, size_t n,
                             struct field *cols, size_t ncols, const char *const *head, char **err)
{
    char *cell = NULL;
    size_t cap = 0;
    struct path_values v;
    path_values_init(&v);
    int rc = 0;
    for (size_t c = 0; c < ncols && rc == 0; c++)
        if (field_prepare_for(s, &cols[c], n) != 0) {
            errmsg_set(err, "out of memory");
            rc = -1;
        }
    for (size_t i = 0; i <= n && rc == 0 && !o->error; i++) {
        for (size_t c = 0; c < ncols && rc == 0; c++) {
            const char *text = head ? head[c] : cols[c].name;
            if (i > 0) {
                char *why = NULL;
                size_t len;
                int got = field_text(s, idx[i - 1], &cols[c], &v, &len, &why);
                if (got < 0) {
                    char *id = event_name(s, &s->events[idx[i - 1]]);
                    errmsg_set(err, "cannot read event %s: %s", id ? id : "?", why ? why : "?");
                    free(id);
                    free(why);
                    rc = -1;
                    break;
                }
                text = got > 0 ? v.text : "";
            }
            size_t need = 2 * strlen(text) + 4;
            if (need > cap) {
                char *b = realloc(cell, need);
                if (!b) {
                    errmsg_set(err, "out of memory");
                    rc = -1;
                    break;
                }
                cell = b;
                cap = need;
            }
            size_t len = export_csv_field(text, cell, cap);
            if ((c && out_write(o, ",", 1) != 0) || out_write(o, cell, len) != 0)
                rc = -1;
        }
        if (rc == 0 && out_write(o, "\r\n", 2) != 0)
            rc = -1;
    }
    if (rc != 0 && !*err && !o->error)
        errmsg_set(err, "out of memory");
    free(cell);
    path_values_free(&v);
    return rc;
}

/* The chosen csv columns of one export (NULL: the default ones). */
struct columns {
    struct field *f;
    size_t n;
};

/* The CSV of the default columns: the fields of FIELD_CSV_DEFAULT under their JSON keys. */
static int write_csv_default(struct out *o, struct store *s, const uint32_t *idx, size_t n, char **err)
{
    struct field *cols;
    size_t ncols;
    struct field_error ferr;
    if (field_list_parse(FIELD_CSV_DEFAULT, &cols, &ncols, &ferr) != 0) {
        errmsg_set(err, "%s", ferr.message);
        return -1;
    }
    int rc = ncols == sizeof csv_default_header / sizeof *csv_default_header
                 ? write_csv_columns(o, s, idx, n, cols, ncols, csv_default_header, err)
                 : -1;
    if (rc != 0 && !*err && !o->error)
        errmsg_set(err, "the default columns and their header disagree");
    field_list_free(cols, ncols);
    return rc;
}

/* What an export left out, by reason: events without an eventTime (Timesketch needs one), and events
 * whose bytes could not be read back (their file changed or went since it was loaded). Such an event
 * costs only itself; the export names them after writing the rest. */
enum left_reason { LEFT_NO_TIME, LEFT_GONE, LEFT_REASONS };

struct left_out {
    size_t n[LEFT_REASONS];
    char *first[LEFT_REASONS]; /* owned: the first one's eventID (escaped for a terminal), and why */
};

/* Counts one event left out for reason r, naming the first (why: borrowed, may be NULL). */
static void leave_out(struct left_out *l, enum left_reason r, const struct store *s, const struct event *e,
                      const char *why)
{
    if (l->n[r]++)
        return;
    char *id = event_name(s, e);
    char *safe_why = why ? textsafe_escape_dup(why, strlen(why)) : NULL;
    if (asprintf(&l->first[r], "event %s%s%s", id ? id : "?", safe_why ? ": " : "",
                 safe_why ? safe_why : "") < 0)
        l->first[r] = NULL;
    free(id);
    free(safe_why);
}

static void left_out_free(struct left_out *l)
{
    for (int r = 0; r < LEFT_REASONS; r++) {
        free(l->first[r]);
        l->first[r] = NULL;
    }
}

/* *err (owned by the caller) names what was left out, when anything was, each reason in its own words.
 * Returns 1 then, else 0. */
static int say_left_out(struct left_out *l, char **err)
{
    static const char *const words[LEFT_REASONS] = {
        "without an eventTime, which Timesketch needs",
        "whose files changed or went since they were loaded",
    };
    char part[LEFT_REASONS][600];
    int parts = 0;
    for (int r = 0; r < LEFT_REASONS; r++) {
        part[r][0] = '\0';
        if (!l->n[r])
            continue;
        snprintf(part[r], sizeof part[r], "%s%zu event%s %s (%s%s)", parts ? "; " : "", l->n[r],
                 l->n[r] == 1 ? "" : "s", words[r], l->first[r] ? l->first[r] : "?",
                 l->n[r] > 1 ? ", and others" : "");
        parts++;
    }
    left_out_free(l);
    if (!parts)
        return 0;
    errmsg_set(err, "left out %s%s", part[LEFT_NO_TIME], part[LEFT_GONE]);
    return 1;
}

/* Timesketch's JSON Lines (model/query/timeline.h): one line per event; an event without eventTime is
 * left out (Timesketch needs a time) and named at the end. */
static int write_timesketch(struct out *o, struct store *s, const uint32_t *idx, size_t n,
                            const struct ctcase *c, struct left_out *left, char **err)
{
    struct timeline *t = timeline_new(s, n, err);
    if (!t)
        return -1;
    struct tl_text line = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0 && !o->error; i++) {
        line.len = 0;
        int got = timeline_timesketch(t, idx[i], c, &line, err);
        if (got < 0)
            rc = -1;
        else if (got == 0)
            leave_out(left, LEFT_NO_TIME, s, &s->events[idx[i]], NULL);
        else
            out_write(o, line.p, line.len);
    }
    free(line.p);
    timeline_free(t);
    return rc;
}

static int write_events(struct out *o, struct store *s, const uint32_t *idx, size_t n,
                        const struct export_opts *eo, const struct columns *cols, struct left_out *left,
                        char **err)
{
    enum export_format format = eo->format;
    if (format == EXPORT_TIMESKETCH)
        return write_timesketch(o, s, idx, n, eo->ccase, left, err);
    if (format == EXPORT_CSV)
        return cols->f ? write_csv_columns(o, s, idx, n, cols->f, cols->n, NULL, err)
                       : write_csv_default(o, s, idx, n, err);
    char *buf = NULL; /* minified JSON */
    size_t cap = 0;
    int rc = 0;
    if (format == EXPORT_RECORDS)
        out_puts(o, "{\"Records\":[");
    for (size_t i = 0; i < n && rc == 0 && !o->error; i++) {
        const struct event *e = &s->events[idx[i]];
        size_t len;
        char *why = NULL;
        const char *raw = store_raw(s, e, &len, &why);
        if (!raw && (!why || strcmp(why, "out of memory") == 0)) {
            char *id = event_name(s, e);
            errmsg_set(err, "cannot read event %s: %s", id ? id : "?", why ? why : "out of memory");
            free(id);
            free(why);
            rc = -1;
            break;
        }
        if (!raw) { /* its bytes are gone: left out, named at the end */
            leave_out(left, LEFT_GONE, s, e, why);
            free(why);
            continue;
        }
        if (JSONOUT_ESCAPED_MAX(len) + 1 > cap) {
            char *b = realloc(buf, JSONOUT_ESCAPED_MAX(len) + 1);
            if (!b) {
                errmsg_set(err, "out of memory");
                rc = -1;
                break;
            }
            buf = b;
            cap = JSONOUT_ESCAPED_MAX(len) + 1;
        }
        /* as logged (records) or minified (jsonl), through the one writer: always valid JSON */
        if (format == EXPORT_RECORDS)
            out_puts(o, i > left->n[LEFT_GONE] ? ",\n" : "\n");
        out_write(o, buf, jsonout_record(raw, len, format == EXPORT_JSONL, buf));
        if (format == EXPORT_JSONL)
            out_puts(o, "\n");
    }
    if (rc == 0 && format == EXPORT_RECORDS)
        out_puts(o, n ? "\n]}\n" : "]}\n");
    free(buf);
    return rc;
}

/* What one file gets: an export's events, or a text written as it is (export_text). */
struct producer {
    struct store *s;
    const uint32_t *idx;
    size_t n;
    const struct export_opts *o;
    const struct columns *cols;
    const char *text; /* export_text: written instead of events */
    size_t text_len;
};

static int produce(struct out *w, const struct producer *p, struct left_out *left, char **err)
{
    if (p->text) {
        out_write(w, p->text, p->text_len); /* a write failure is in w->error */
        return 0;
    }
    return write_events(w, p->s, p->idx, p->n, p->o, p->cols, left, err);
}

/* Writes to fd (standard output or an existing non-regular target) with no temporary file. */
static enum export_status export_direct(int fd, const char *name, const struct producer *p, char **err)
{
    struct out *w = malloc(sizeof *w);
    if (!w || out_open(w, fd, p->o->gzip) != 0) {
        free(w);
        errmsg_set(err, "out of memory");
        return EXPORT_FAILED;
    }
    struct left_out left = {{0}, {NULL}};
    int rc = produce(w, p, &left, err);
    out_finish(w);
    if (rc == 0 && w->error)
        errmsg_set(err, "cannot write %s: %s", name,
                   w->error > 0 ? strerror(w->error) : "compression failed");
    rc = rc || w->error;
    free(w);
    if (rc) {
        left_out_free(&left);
        return EXPORT_FAILED;
    }
    return say_left_out(&left, err) ? EXPORT_PARTIAL : EXPORT_OK;
}

/* Writes what p produces to path: "-" is standard output, an existing file that is not regular is
 * written in place, else a temporary file beside path is renamed over it (README: Export). */
static enum export_status export_to(const char *path, const struct producer *p, char **err)
{
    const struct export_opts *o = p->o;
    *err = NULL;
    if (strcmp(path, "-") == 0)
        return export_direct(STDOUT_FILENO, "standard output", p, err);
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            errmsg_set(err, "%s is a directory", path);
            return EXPORT_FAILED;
        }
        if (!S_ISREG(st.st_mode)) {
            int fd = open(path, O_WRONLY | O_CLOEXEC);
            if (fd < 0) {
                errmsg_set(err, "cannot open %s: %s", path, strerror(errno));
                return EXPORT_FAILED;
            }
            enum export_status r = export_direct(fd, path, p, err);
            if (close(fd) != 0 && (r == EXPORT_OK || r == EXPORT_PARTIAL)) {
                free(*err); /* the note of what was left out: the write failed as a whole */
                errmsg_set(err, "cannot write %s: %s", path, strerror(errno));
                r = EXPORT_FAILED;
            }
            return r;
        }
        if (!o->force)
            return EXPORT_EXISTS;
    }
    struct atomicfile af;
    if (atomicfile_open(&af, path) != 0) {
        errmsg_set(err, "cannot create a file in %s: %s", af.dir ? af.dir : path, strerror(errno));
        atomicfile_done(&af);
        return EXPORT_FAILED;
    }
    int slot = tempfiles_add(af.tmp, 0); /* removed by a signal that ends the program meanwhile */
    struct out *w = malloc(sizeof *w);
    int rc = -1;
    struct left_out left = {{0}, {NULL}};
    if (!w || out_open(w, af.fd, o->gzip) != 0) {
        errmsg_set(err, "out of memory");
    } else {
        rc = produce(w, p, &left, err);
        out_finish(w);
        if (rc == 0 && w->error) {
            errmsg_set(err, "cannot write %s: %s", path,
                       w->error > 0 ? strerror(w->error) : "compression failed");
            rc = -1;
        }
    }
    free(w);
    if (rc == 0 && atomicfile_sync(&af) != 0) {
        errmsg_set(err, "cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0) {
        rc = atomicfile_place(&af, o->force);
        if (rc < 0)
            errmsg_set(err, "cannot create %s: %s", path, strerror(errno));
    }
    tempfiles_drop(slot);
    atomicfile_done(&af);
    if (rc != 0) {
        left_out_free(&left);
        return rc > 0 ? EXPORT_EXISTS : EXPORT_FAILED;
    }
    return say_left_out(&left, err) ? EXPORT_PARTIAL : EXPORT_OK;
}

enum export_status export_events(struct store *s, const uint32_t *idx, size_t n, const char *path,
                                 const struct export_opts *o, char **err)
{
    return export_events_columns(s, idx, n, path, o, NULL, 0, err);
}

enum export_status export_events_columns(struct store *s, const uint32_t *idx, size_t n, const char *path,
                                         const struct export_opts *o, struct field *fields, size_t nfields,
                                         char **err)
{
    const struct columns cols[1] = {{fields, nfields}};
    const struct producer p = {s, idx, n, o, cols, NULL, 0};
    return export_to(path, &p, err);
}

enum export_status export_text(const char *text, size_t len, const char *path, int force, char **err)
{
    const struct export_opts o = {.format = EXPORT__COUNT, .gzip = 0, .force = force};
    const struct producer p = {NULL, NULL, 0, &o, NULL, text, len};
    return export_to(path, &p, err);
}
