#include "parsers/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parsers/pathinfo.h"
#include "parsers/pieces.h"
#include "parsers/scan.h"
#include "parsers/source.h"
#include "parsers/split.h"
#include "parsers/walk.h"

struct file_ctx {
    struct store *store;
    const char *path;
    const char *buf;
    uint32_t source;
    uint64_t records, digests;
    int nomem;
    struct pieces_scratch *pieces;
    struct scan_scratch scan;
    char *inner; /* the decoded CloudTrailEvent of a lookup-events record */
    size_t inner_cap;
};

static void record_problem(struct file_ctx *c, size_t at, size_t index, const char *fmt, size_t a, size_t b)
{
    struct store *s = c->store;
    s->counts.records++;
    s->counts.bad_records++;
    c->records++;
    if (problems_add(&s->problems, PROBLEM_RECORD, c->path, (int64_t)at, (int64_t)index, fmt, a, b) != 0)
        c->nomem = 1;
}

static void on_record(void *vctx, size_t off, size_t len, size_t index)
{
    struct file_ctx *c = vctx;
    struct store *s = c->store;
    const char *start = c->buf + off;
    struct scan_result r;
    size_t err_at;
    if (scan_record(start, len, &r, &c->scan, &err_at) != 0) {
        record_problem(c, off + err_at, index, "malformed JSON at byte %zu (record starts at byte %zu)",
                       off + err_at, off);
        return;
    }
    if (!r.is_object) {
        record_problem(c, off, index, "record is not a JSON object", 0, 0);
        return;
    }
    if (r.is_digest) {
        s->counts.skipped_records++;
        c->digests++;
        return;
    }
    const char *body = start;
    size_t body_len = len, raw_off = off, raw_len = len;
    if (r.wrapped) {
        /* aws cloudtrail lookup-events: {"EventId":…, "CloudTrailEvent":"<the event as a JSON string>"} */
        raw_off = off + r.wrap_off;
        raw_len = r.wrap_len;
        body_len = r.wrap_text.len;
        if (c->inner_cap < body_len + 1) {
            char *b = realloc(c->inner, body_len + 1);
            if (!b) {
                c->nomem = 1;
                return;
            }
            c->inner = b;
            c->inner_cap = body_len + 1;
        }
        memcpy(c->inner, r.wrap_text.s, body_len);
        body = c->inner;
        if (scan_record(body, body_len, &r, &c->scan, &err_at) != 0 || !r.is_object) {
            record_problem(c, off, index, "CloudTrailEvent does not hold a JSON object", 0, 0);
            return;
        }
        r.ev.flags |= EVF_EMBEDDED;
    }
    struct event_in *in = &r.ev;
    in->pieces = c->pieces->refs;
    in->npieces = pieces_split(body, body_len, c->pieces);
    in->raw_off = raw_off;
    in->text = body;
    in->text_len = body_len;
    in->raw_len = raw_len > UINT32_MAX ? UINT32_MAX : (uint32_t)raw_len;
    if (raw_len > UINT32_MAX) {
        record_problem(c, off, index, "record larger than 4 GiB", 0, 0);
        return;
    }
    s->counts.records++;
    c->records++;
    if (store_add_event(s, c->source, in) == ADD_NOMEM)
        c->nomem = 1;
}

static void on_bad_record(void *vctx, size_t off, size_t index, const char *reason)
{
    struct file_ctx *c = vctx;
    c->store->counts.records++;
    c->store->counts.bad_records++;
    c->records++;
    if (problems_add(&c->store->problems, PROBLEM_RECORD, c->path, (int64_t)off, (int64_t)index, "%s",
                     reason) != 0)
        c->nomem = 1;
}

static void on_junk(void *vctx, size_t off, const char *reason)
{
    struct file_ctx *c = vctx;
    if (problems_add(&c->store->problems, PROBLEM_FILE, c->path, (int64_t)off, -1, "%s", reason) != 0)
        c->nomem = 1;
}

static int reread(const struct source *src, char **data, size_t *len, char **err)
{
    struct source_data d;
    if (source_read_path(src->path, &d, err) != 0)
        return -1;
    if (d.size != src->size || d.mtime != src->mtime) {
        source_data_free(&d);
        if (asprintf(err, "%s changed since it was loaded", src->path) < 0)
            *err = NULL;
        return -1;
    }
    *data = d.data;
    *len = d.len;
    d.data = NULL;
    source_data_free(&d);
    return 0;
}

/* Splits and loads one decoded input. Takes d->data when the source keeps it in memory. */
static int load_decoded(struct store *s, const char *path, const struct pathinfo *pi, struct source_data *d,
                        int in_memory)
{
    if (d->warning &&
        problems_add(&s->problems, PROBLEM_FILE, path, d->warning_offset, -1, "%s", d->warning) != 0)
        return -1;
    s->counts.bytes += d->len;

    uint32_t src = store_add_source(s, path, in_memory ? SOURCE_MEMORY : SOURCE_FILE, d->gzip, d->size,
                                    d->mtime, pi->account[0] ? pi->account : NULL, in_memory ? d->data : NULL,
                                    in_memory ? d->len : 0);
    const char *buf = d->data;
    if (in_memory)
        d->data = NULL; /* the store owns it now (and freed it on failure) */
    if (src == UINT32_MAX)
        return -1;
    struct pieces_scratch pieces = {0};
    struct file_ctx c = {.store = s, .path = path, .buf = buf, .source = src, .pieces = &pieces};
    struct split_sink sink = {&c, on_record, on_bad_record, on_junk};
    enum split_result r = split_records(buf, d->len, &sink);
    pieces_scratch_free(&pieces);
    scan_scratch_free(&c.scan);
    free(c.inner);
    if (c.nomem)
        return -1;
    if (r == SPLIT_EMPTY || r == SPLIT_NOT_JSON || (c.records == 0 && c.digests > 0)) {
        s->counts.skipped_files++;
        const char *why = r == SPLIT_EMPTY      ? "empty"
                          : r == SPLIT_NOT_JSON ? "not JSON"
                                                : "CloudTrail digest file";
        if (d->warning && r != SPLIT_RECORDS)
            return 0; /* the damage was reported already; "empty" would only repeat it */
        return problems_add(&s->problems, PROBLEM_NOTE, path, -1, -1, "skipped: %s", why);
    }
    s->counts.files++;
    return 0;
}

static int load_file(struct store *s, const struct walk_file *f)
{
    struct pathinfo pi;
    pathinfo_parse(f->path, &pi);
    if (!f->is_stdin && pi.is_digest) {
        s->counts.skipped_files++;
        return problems_add(&s->problems, PROBLEM_NOTE, f->path, -1, -1, "skipped: CloudTrail digest file");
    }
    struct source_data d;
    char *err = NULL;
    int rc = f->is_stdin ? source_read_fd(STDIN_FILENO, &d, &err) : source_read_path(f->path, &d, &err);
    if (rc != 0) {
        s->counts.skipped_files++;
        rc = problems_add(&s->problems, PROBLEM_FILE, f->path, -1, -1, "%s", err ? err : "cannot read");
        free(err);
        return rc;
    }
    rc = load_decoded(s, f->is_stdin ? "-" : f->path, &pi, &d, f->is_stdin);
    source_data_free(&d);
    return rc;
}

int load_paths(struct store *s, const char *const *paths, size_t n, load_progress_fn progress, void *ctx)
{
    return load_paths_range(s, paths, n, INT64_MIN, INT64_MAX, progress, ctx);
}

int load_paths_range(struct store *s, const char *const *paths, size_t n, int64_t since_ms, int64_t until_ms,
                     load_progress_fn progress, void *ctx)
{
    store_set_reader(s, reread);
    struct walk_list list = {0};
    list.ranged = since_ms != INT64_MIN || until_ms != INT64_MAX;
    list.since_ms = since_ms;
    list.until_ms = until_ms;
    if (walk_paths(paths, n, &list, &s->problems) != 0) {
        walk_list_free(&list);
        return -1;
    }
    s->counts.skipped_files += list.skipped;
    s->counts.pruned += list.pruned;
    int rc = 0;
    for (size_t i = 0; i < list.count && rc == 0; i++) {
        rc = load_file(s, &list.files[i]);
        if (progress) {
            struct load_progress p = {i + 1, list.count, s->counts.bytes};
            if (progress(ctx, &p))
                break;
        }
    }
    walk_list_free(&list);
    store_finish(s);
    return rc;
}

int load_more(struct store *s, const char *path)
{
    struct walk_file f = {(char *)path, 0, 0};
    return load_file(s, &f);
}

int load_buffer(struct store *s, const char *name, const char *data, size_t len)
{
    struct source_data d;
    char *err = NULL;
    if (source_decode(data, len, SOURCE_MAX_DECODED, &d, &err) != 0) {
        free(err);
        return -1;
    }
    struct pathinfo pi;
    pathinfo_parse(name, &pi);
    int rc = load_decoded(s, name, &pi, &d, 1);
    source_data_free(&d);
    store_finish(s);
    return rc;
}
