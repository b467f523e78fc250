#include "parsers/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/base/grow.h"
#include "model/store/intern.h"
#include "model/base/timefmt.h"
#include "parsers/athena.h"
#include "parsers/bigread.h"
#include "parsers/pathinfo.h"
#include "parsers/pieces.h"
#include "parsers/scan.h"
#include "parsers/source.h"
#include "parsers/split.h"

/* While one input is split: the batch it fills and the scratch its records reuse. */
struct reader {
    struct batch *b;
    const char *buf;
    struct pieces_scratch pieces;
    struct scan_scratch scan;
    char *inner; /* the decoded CloudTrailEvent of a lookup-events record */
    size_t inner_cap;
    char *minified; /* room for store_content_hash */
    size_t minified_cap;
};

static void add_problem(struct batch *b, enum problem_kind kind, int64_t at, int64_t index, const char *fmt,
                        size_t x, size_t y)
{
    if (problems_add(&b->problems, kind, b->path, at, index, fmt, x, y) != 0)
        b->nomem = 1;
}

static void bad_record(struct batch *b, size_t at, size_t index, const char *fmt, size_t x, size_t y)
{
    b->counts.records++;
    b->counts.bad_records++;
    add_problem(b, PROBLEM_RECORD, (int64_t)at, (int64_t)index, fmt, x, y);
}

static int add_str(struct batch *b, const struct strref *r)
{
    if (grow_array((void **)&b->strs, &b->strs_cap, b->nstrs + 1, sizeof *b->strs) != 0 ||
        grow_array((void **)&b->bytes, &b->bytes_cap, b->nbytes + r->len, 1) != 0)
        return -1;
    if (r->len)
        memcpy(b->bytes + b->nbytes, r->s, r->len);
    b->strs[b->nstrs++] =
        (struct batch_str){b->nbytes, (uint32_t)r->len, r->len ? intern_hash(r->s, r->len) : 0};
    b->nbytes += r->len;
    return 0;
}

static int add_event(struct reader *rd, const struct event_in *in)
{
    struct batch *b = rd->b;
    size_t nres = in->nresources > UINT8_MAX ? UINT8_MAX : in->nresources;
    size_t npieces = in->npieces > UINT8_MAX ? UINT8_MAX : in->npieces;
    if (grow_array((void **)&b->events, &b->events_cap, b->nevents + 1, sizeof *b->events) != 0 ||
        b->nstrs > UINT32_MAX - EF__COUNT - nres - npieces)
        return -1;
    struct batch_event *e = &b->events[b->nevents];
    *e = (struct batch_event){.time_ms = in->time_ms,
                              .raw_off = in->raw_off,
                              .raw_len = in->raw_len,
                              .first = (uint32_t)b->nstrs,
                              .flags = in->flags,
                              .nres = (uint8_t)nres,
                              .npieces = (uint8_t)npieces};
    store_binary_take(in, &e->binary);
    for (int f = 0; f < EF__COUNT; f++)
        if (add_str(b, &in->f[f]) != 0)
            return -1;
    for (size_t i = 0; i < nres; i++)
        if (add_str(b, &in->resources[i]) != 0)
            return -1;
    for (size_t i = 0; i < npieces; i++)
        if (add_str(b, &in->pieces[i]) != 0)
            return -1;
    /* Without a recipient account, only the same content makes a copy (see store_add_event): hash it
     * here, on the worker, rather than in the serial merge. */
    if (in->f[EF_EVENT_ID].len && !in->f[EF_ACCOUNT].len && in->text) {
        if (grow_array((void **)&rd->minified, &rd->minified_cap, in->text_len + 1, 1) != 0)
            return -1;
        e->content_hash = store_content_hash(in->text, in->text_len, rd->minified);
    }
    b->nevents++;
    return 0;
}

/* A JSON object holds a CloudTrail event when it has at least one of the keys every event carries
 * (eventTime, or a shipper's @timestamp, as a time; eventName, eventSource or eventID with a value).
 * The @timestamp is only evidence: it is never the event's time (scan.c).
 * Anything else beside the logs (a tool's truth.json, a config file, a package.json) is skipped, not
 * loaded as an event whose every column is '-'. */
static int holds_event(const struct scan_result *r)
{
    const struct event_in *in = &r->ev;
    return in->time_ms != TIME_NONE || r->shipper_time || in->f[EF_NAME].len || in->f[EF_SOURCE].len ||
           in->f[EF_EVENT_ID].len;
}

static void read_scanned(struct reader *rd, const char *start, size_t off, size_t len, size_t index,
                         struct scan_result *r);

/* The record start[0..len), at byte off of the input. */
static void read_record(struct reader *rd, const char *start, size_t off, size_t len, size_t index)
{
    struct scan_result r;
    size_t err_at;
    if (scan_record(start, len, &r, &rd->scan, &err_at) != 0) {
        bad_record(rd->b, off + err_at, index, "malformed JSON at byte %zu (record starts at byte %zu)",
                   off + err_at, off);
        return;
    }
    read_scanned(rd, start, off, len, index, &r);
}

/* The record start[0..len) once scanned into *r (which a lookup-events record's inner scan replaces). */
static void read_scanned(struct reader *rd, const char *start, size_t off, size_t len, size_t index,
                         struct scan_result *r)
{
    struct batch *b = rd->b;
    size_t err_at;
    if (!r->is_object) {
        bad_record(b, off, index, "record is not a JSON object", 0, 0);
        return;
    }
    if (r->is_digest) {
        b->counts.skipped_records++;
        rd->b->tally.digests++;
        return;
    }
    const char *body = start;
    size_t body_len = len, raw_off = off, raw_len = len;
    if (r->wrapped) {
        /* aws cloudtrail lookup-events: {"EventId":…, "CloudTrailEvent":"<the event as a JSON string>"} */
        raw_off = off + r->wrap_off;
        raw_len = r->wrap_len;
        body_len = r->wrap_text.len;
        if (grow_array((void **)&rd->inner, &rd->inner_cap, body_len + 1, 1) != 0) {
            b->nomem = 1;
            return;
        }
        memcpy(rd->inner, r->wrap_text.s, body_len);
        body = rd->inner;
        if (scan_record(body, body_len, r, &rd->scan, &err_at) != 0 || !r->is_object) {
            bad_record(b, off, index, "CloudTrailEvent does not hold a JSON object", 0, 0);
            return;
        }
        r->ev.flags |= EVF_EMBEDDED;
    }
    if (!holds_event(r)) {
        b->counts.skipped_records++;
        if (b->tally.not_events++ == 0)
            b->tally.first_not_event = off;
        return;
    }
    if (raw_len > UINT32_MAX || raw_off > UINT32_MAX) { /* inputs are capped at 2 GiB: never, in fact */
        bad_record(b, off, index, "record beyond 4 GiB", 0, 0);
        return;
    }
    struct event_in *in = &r->ev;
    in->pieces = rd->pieces.refs;
    in->npieces =
        pieces_build(body, body_len, r->body, r->members, r->nmembers, r->cuts, r->ncuts, &rd->pieces);
    in->raw_off = raw_off;
    in->raw_len = (uint32_t)raw_len;
    in->text = body;
    in->text_len = body_len;
    b->counts.records++;
    if (add_event(rd, in) != 0)
        b->nomem = 1;
}

static void on_record(void *ctx, size_t off, size_t len, size_t index)
{
    struct reader *rd = ctx;
    read_record(rd, rd->buf + off, off, len, index);
}

/* A small input's records end where its scan says (split.h, record_at); a larger one's records are
 * bounded first, so the scratch never holds more than one record's room. */
#define SCAN_AT_MAX ((size_t)4 << 20)

static size_t on_record_at(void *ctx, size_t off, size_t avail, size_t index)
{
    struct reader *rd = ctx;
    struct scan_result r;
    size_t n = scan_record_at(rd->buf + off, avail < SCAN_AT_MAX ? avail : SCAN_AT_MAX, &r, &rd->scan);
    if (n)
        read_scanned(rd, rd->buf + off, off, n, index, &r);
    return n;
}

static void on_bad_record(void *ctx, size_t off, size_t index, const char *reason)
{
    struct batch *b = ((struct reader *)ctx)->b;
    b->counts.records++;
    b->counts.bad_records++;
    if (problems_add(&b->problems, PROBLEM_RECORD, b->path, (int64_t)off, (int64_t)index, "%s", reason) != 0)
        b->nomem = 1;
}

static void on_junk(void *ctx, size_t off, const char *reason)
{
    struct reader *rd = ctx;
    if (problems_add(&rd->b->problems, PROBLEM_FILE, rd->b->path, (int64_t)off, -1, "%s", reason) != 0)
        rd->b->nomem = 1;
}

/* The input's verdict once all of it was split: counted as a file, or skipped with a note saying why. */
static int note_file(struct batch *b, enum split_result r, int damaged, const struct batch_tally *t)
{
    if (r == SPLIT_EMPTY || r == SPLIT_NOT_JSON || (t->records == 0 && t->digests + t->not_events > 0)) {
        b->counts.skipped_files++;
        const char *why = r == SPLIT_EMPTY      ? "empty"
                          : r == SPLIT_NOT_JSON ? "not JSON"
                          : t->digests          ? "CloudTrail digest file"
                                                : "JSON that holds no CloudTrail event";
        if (damaged && r != SPLIT_RECORDS)
            return 0; /* the damage was reported already; "empty" would only repeat it */
        return problems_add(&b->problems, PROBLEM_NOTE, b->path, -1, -1, "skipped: %s", why);
    }
    b->counts.files++;
    if (t->not_events)
        return problems_add(
            &b->problems, PROBLEM_NOTE, b->path, (int64_t)t->first_not_event, -1,
            "skipped: %llu JSON object%s that hold%s no CloudTrail event (the first at byte %zu)",
            (unsigned long long)t->not_events, t->not_events == 1 ? "" : "s", t->not_events == 1 ? "s" : "",
            t->first_not_event);
    return 0;
}

/* Decoded bytes per record, and strings per record (EF__COUNT fields, a few resources and pieces), in
 * CloudTrail's log files, whose strings' text is about as long as the input: a first guess at a batch's room,
 * so that the arrays of an input of a few dozen records are allocated once rather than doubled (and copied)
 * from 64 elements, for every small file. */
#define BYTES_PER_RECORD   1400
#define STRINGS_PER_RECORD (EF__COUNT + 8)

/* Room for exactly n elements, when there is less (grow_array would round up to a power of two). */
static int reserve(void **items, size_t *cap, size_t n, size_t elem)
{
    if (*cap >= n)
        return 0;
    void *p = reallocarray(*items, n, elem);
    if (!p)
        return -1;
    *items = p;
    *cap = n;
    return 0;
}

static int presize(struct batch *b, size_t len)
{
    /* a large input grows as it goes: its guess must not take memory up front */
    size_t bytes = len < ((size_t)16 << 20) ? len + 1 : (size_t)16 << 20;
    size_t records = bytes / BYTES_PER_RECORD + 1;
    return reserve((void **)&b->events, &b->events_cap, records, sizeof *b->events) != 0 ||
                   reserve((void **)&b->strs, &b->strs_cap, records * STRINGS_PER_RECORD, sizeof *b->strs) !=
                       0 ||
                   reserve((void **)&b->bytes, &b->bytes_cap, bytes, 1) != 0
               ? -1
               : 0;
}

/* Splits and reads one decoded input. Takes d->data when the input stays in memory. */
static int read_decoded(struct batch *b, struct source_data *d, int in_memory, atomic_int *stop)
{
    if (d->warning &&
        problems_add(&b->problems, PROBLEM_FILE, b->path, d->warning_offset, -1, "%s", d->warning) != 0)
        return -1;
    b->counts.bytes += d->len;
    b->has_source = 1;
    b->in_memory = in_memory;
    b->gzip = d->gzip;
    b->size = d->size;
    b->mtime = d->mtime;
    struct reader rd = {.b = b, .buf = d->data};
    enum athena_shape athena = athena_detect(d->data, d->len);
    if (athena != ATHENA_NONE) {
        /* Athena rows: the events restored from them are the input's records, kept in memory. */
        char *restored;
        size_t restored_len;
        if (athena_restore(athena, d->data, d->len, &restored, &restored_len, on_bad_record, &rd) != 0)
            return -1;
        free(d->data);
        d->data = restored;
        d->len = restored_len;
        rd.buf = d->data;
        in_memory = b->in_memory = 1;
    }
    if (presize(b, d->len) != 0)
        return -1;
    struct split_sink sink = {&rd, on_record, on_bad_record, on_junk, stop, on_record_at};
    enum split_result r = split_records(d->data, d->len, &sink);
    pieces_scratch_free(&rd.pieces);
    scan_scratch_free(&rd.scan);
    free(rd.inner);
    free(rd.minified);
    if (in_memory) {
        b->data = d->data;
        b->data_len = d->len;
        d->data = NULL;
    }
    if (b->nomem)
        return -1;
    b->tally.records = b->counts.records;
    return note_file(b, r, d->warning != NULL, &b->tally);
}

static int start(struct batch *b, const char *name)
{
    memset(b, 0, sizeof *b);
    problems_init(&b->problems);
    b->path = strdup(name);
    if (!b->path)
        return -1;
    struct pathinfo pi;
    pathinfo_parse(name, &pi);
    memcpy(b->account, pi.account, sizeof b->account);
    return pi.is_digest;
}

int batch_read(struct batch *b, const struct walk_file *f, atomic_int *stop)
{
    int digest = start(b, f->is_stdin ? "-" : f->path);
    if (digest < 0)
        return -1;
    if (!f->is_stdin && digest) {
        b->counts.skipped_files++;
        return problems_add(&b->problems, PROBLEM_NOTE, b->path, -1, -1, "skipped: CloudTrail digest file");
    }
    struct source_data d;
    char *err = NULL;
    int rc = f->is_stdin ? source_read_fd(STDIN_FILENO, stop, &d, &err)
             : f->walked ? source_read_known(f->path, f->size, f->mtime, stop, &d, &err)
                         : source_read_path(f->path, stop, &d, &err);
    if (rc != 0) {
        b->counts.skipped_files++;
        rc = problems_add(&b->problems, PROBLEM_FILE, b->path, -1, -1, "%s", err ? err : "cannot read");
        free(err);
        return rc;
    }
    rc = read_decoded(b, &d, f->is_stdin, stop);
    source_data_free(&d);
    return rc;
}

int batch_read_buffer(struct batch *b, const char *name, const char *data, size_t len)
{
    if (start(b, name) < 0)
        return -1;
    struct source_data d;
    char *err = NULL;
    if (source_decode(data, len, SOURCE_MAX_DECODED, &d, &err) != 0) {
        free(err);
        return -1;
    }
    int rc = read_decoded(b, &d, 1, NULL);
    source_data_free(&d);
    return rc;
}

int batch_big_head(struct batch *b, const struct walk_file *f, const struct stream *st)
{
    if (start(b, f->path) < 0)
        return -1;
    b->has_source = 1;
    b->gzip = stream_gzip(st);
    /* A gzip stream cannot be read from the middle: its events' bytes come from the whole file inflated
     * again on first use and cached, as for a small gzip file. */
    b->ranged = !b->gzip;
    b->size = stream_size(st);
    b->mtime = stream_mtime(st);
    return 0;
}

int batch_read_chunk(struct batch *b, const char *path, const struct chunk *c)
{
    if (start(b, path) < 0)
        return -1;
    b->same_source = 1;
    b->counts.bytes = c->span;
    struct reader rd = {.b = b, .buf = c->data};
    for (size_t i = 0; i < c->n && !b->nomem; i++) {
        const struct chunk_item *it = &c->items[i];
        if (it->kind == CHUNK_RECORD)
            read_record(&rd, c->data + it->pos, it->off, it->len, it->index);
        else if (it->kind == CHUNK_BAD_RECORD)
            on_bad_record(&rd, it->off, it->index, it->reason);
        else
            on_junk(&rd, it->off, it->reason);
    }
    pieces_scratch_free(&rd.pieces);
    scan_scratch_free(&rd.scan);
    free(rd.inner);
    free(rd.minified);
    b->tally.records = b->counts.records;
    return b->nomem ? -1 : 0;
}

int batch_big_end(struct batch *b, const char *path, const struct bigread_end *end,
                  const struct batch_tally *t)
{
    if (start(b, path) < 0)
        return -1;
    b->same_source = 1;
    b->counts.bytes = end->tail;
    if (end->warning &&
        problems_add(&b->problems, PROBLEM_FILE, b->path, end->warning_offset, -1, "%s", end->warning) != 0)
        return -1;
    return note_file(b, end->result, end->warning != NULL, t);
}

void batch_tally_add(struct batch_tally *sum, const struct batch_tally *t)
{
    if (t->not_events && !sum->not_events)
        sum->first_not_event = t->first_not_event;
    sum->records += t->records;
    sum->digests += t->digests;
    sum->not_events += t->not_events;
}

int batch_merge(struct store *s, struct batch *b)
{
    int rc = 0;
    uint32_t src = UINT32_MAX;
    if (b->has_source) {
        enum source_kind kind = b->in_memory ? SOURCE_MEMORY : b->ranged ? SOURCE_RANGE : SOURCE_FILE;
        src = store_add_source(s, b->path, kind, b->gzip, b->size, b->mtime,
                               b->account[0] ? b->account : NULL, b->data, b->data_len);
        b->data = NULL; /* the store owns it now (and freed it on failure) */
        if (src == UINT32_MAX)
            rc = -1;
    } else if (b->same_source && s->nsources > 0) {
        src = (uint32_t)s->nsources - 1;
    }
    struct strref refs[EF__COUNT + 2 * UINT8_MAX];
    uint32_t hashes[EF__COUNT + 2 * UINT8_MAX];
    for (size_t i = 0; i < b->nevents && rc == 0; i++) {
        const struct batch_event *e = &b->events[i];
        size_t n = EF__COUNT + e->nres + e->npieces;
        if (i + 1 < b->nevents) {
            /* the next event's hash slots load while this one is interned */
            const struct batch_event *next = &b->events[i + 1];
            size_t nn = EF__COUNT + next->nres + next->npieces;
            for (size_t k = 0; k < nn; k++)
                if (b->strs[next->first + k].len)
                    intern_prefetch(s->strings, b->strs[next->first + k].hash);
        }
        for (size_t k = 0; k < n; k++) {
            const struct batch_str *bs = &b->strs[e->first + k];
            /* bytes is NULL when every string of the input is empty (found by fuzz_load) */
            refs[k] = (struct strref){bs->len ? b->bytes + bs->off : "", bs->len};
            hashes[k] = bs->hash;
        }
        struct event_in in = {.time_ms = e->time_ms,
                              .flags = e->flags,
                              .resources = refs + EF__COUNT,
                              .nresources = e->nres,
                              .pieces = refs + EF__COUNT + e->nres,
                              .npieces = e->npieces,
                              .raw_off = e->raw_off,
                              .raw_len = e->raw_len,
                              .content_hash = e->content_hash,
                              .hashes = hashes,
                              .binary = &e->binary};
        memcpy(in.f, refs, sizeof in.f);
        if (store_add_event(s, src, &in) == ADD_NOMEM)
            rc = -1;
    }
    struct load_counts *c = &s->counts;
    c->files += b->counts.files;
    c->skipped_files += b->counts.skipped_files;
    c->records += b->counts.records;
    c->bad_records += b->counts.bad_records;
    c->skipped_records += b->counts.skipped_records;
    c->bytes += b->counts.bytes;
    if (problems_take(&s->problems, &b->problems) != 0)
        rc = -1;
    batch_free(b);
    return rc;
}

void batch_free(struct batch *b)
{
    free(b->path);
    free(b->data);
    free(b->events);
    free(b->strs);
    free(b->bytes);
    problems_clear(&b->problems);
    memset(b, 0, sizeof *b);
}
