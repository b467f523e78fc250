/* Unit tests for a large input read in parts on several threads (parsers/bigread.h): the store is the one
 * the whole input read at once gives (load_buffer), event for event, byte for byte, problem for problem,
 * on one thread and on several; for JSON Lines, a pretty-printed Records file and lookup-events output,
 * with records across chunk and window boundaries, bad records in the middle, a record longer than the
 * window and a cut-off last record. A range re-read notices a file that changed. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <zlib.h>

#include "harness.h"
#include "model/query/filter.h"
#include "model/store/store.h"
#include "parsers/load.h"

struct text {
    char *s;
    size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)n + 1024;
        t->s = realloc(t->s, t->cap);
        if (!t->s)
            abort();
    }
}

/* Event i as JSON: indent > 0 pretty-prints it (each member on its own line), escape writes it as the
 * text of a JSON string (lookup-events' CloudTrailEvent). Every 50th repeats the eventID of an earlier
 * one (a duplicate); pad_len pads it. */
static void event(struct text *t, int i, const char *nl, int escape, size_t pad_len)
{
    const char *q = escape ? "\\\"" : "\"";
    int id = i % 50 == 49 ? i - 7 : i;
    put(t, "{%s", nl);
    put(t, "%seventVersion%s: %s1.08%s,%s", q, q, q, q, nl);
    put(t, "%seventTime%s: %s2024-03-01T%02d:%02d:%02dZ%s,%s", q, q, q, (i / 3600) % 24, (i / 60) % 60,
        i % 60, q, nl);
    put(t, "%seventID%s: %sid-%d%s,%s", q, q, q, id, q, nl);
    put(t, "%seventName%s: %sGet%d%s,%s", q, q, q, i % 17, q, nl);
    put(t, "%seventSource%s: %ss3.amazonaws.com%s,%s", q, q, q, q, nl);
    put(t, "%srecipientAccountId%s: %s111122223333%s,%s", q, q, q, q, nl);
    put(t, "%ssourceIPAddress%s: %s10.0.%d.%d%s,%s", q, q, q, (i / 256) % 256, i % 256, q, nl);
    put(t, "%srequestParameters%s: {%sbucketName%s: %sb%d%s, %skey%s: %sk%d%s}", q, q, q, q, q, i % 13, q, q,
        q, q, i, q);
    if (pad_len) {
        put(t, ",%s%spad%s: %s", nl, q, q, q);
        for (size_t k = 0; k < pad_len; k++)
            put(t, "%c", 'a' + (int)((size_t)i * 7 + k) % 26);
        put(t, "%s", q);
    }
    put(t, "%s}", nl);
}

/* JSON Lines with damage: a malformed record, text, a line cut off, an object that is no event, a record
 * longer than the reading window (4 MiB), and a last record cut off by the end of the file. */
static struct text jsonl(int n)
{
    struct text t = {0};
    for (int i = 0; i < n; i++) {
        if (i == n / 5)
            put(&t, "{\"eventID\": \"bad\" \"x\": }\n");
        if (i == n / 4)
            put(&t, "some text that is not JSON\n");
        if (i == n / 3)
            put(&t, "{\"eventTime\":\"2024-03-01T00:00:00Z\",\"eventID\":\"cut\n");
        if (i == n / 2) {
            put(&t, "{\"tool\": \"not an event\"}\n");
            event(&t, 1000000, "", 0, (size_t)5 << 20);
            put(&t, "\n");
        }
        event(&t, i, "", 0, 900 + (size_t)i % 700);
        put(&t, "\n");
    }
    put(&t, "{\"eventID\":\"last\",\"eventTime\":\"2024-03-01T00:00:00Z\"");
    return t;
}

/* A CloudTrail log file's shape, pretty-printed: {"Records": [ ... ]}, an element that is no object in the
 * middle. */
static struct text records(int n)
{
    struct text t = {0};
    put(&t, "{\n  \"Records\": [\n");
    for (int i = 0; i < n; i++) {
        if (i == n / 2)
            put(&t, "    42,\n");
        event(&t, i, "\n      ", 0, 800 + (size_t)i % 900);
        put(&t, "%s\n", i + 1 < n ? "," : "");
    }
    put(&t, "  ]\n}\n");
    return t;
}

/* aws cloudtrail lookup-events output: each event a JSON string inside a record; one whose string is not
 * an event. */
static struct text lookup(int n)
{
    struct text t = {0};
    put(&t, "{\n    \"Events\": [\n");
    for (int i = 0; i < n; i++) {
        if (i == n / 3)
            put(&t, "        {\"EventId\": \"x\", \"CloudTrailEvent\": \"not JSON\"},\n");
        put(&t, "        {\n            \"EventId\": \"id-%d\",\n            \"CloudTrailEvent\": \"", i);
        event(&t, i, "", 1, 900 + (size_t)i % 500);
        put(&t, "\"\n        }%s\n", i + 1 < n ? "," : "");
    }
    put(&t, "    ]\n}\n");
    return t;
}

static void write_file(const char *path, const struct text *t, int gzip, size_t cut)
{
    if (!gzip) {
        FILE *f = fopen(path, "wb");
        CHECK(f != NULL);
        if (f) {
            fwrite(t->s, 1, t->len, f);
            fclose(f);
        }
        return;
    }
    gzFile g = gzopen(path, "wb6");
    CHECK(g != NULL);
    if (!g)
        return;
    gzwrite(g, t->s, (unsigned)t->len);
    gzclose(g);
    struct stat st;
    if (cut && stat(path, &st) == 0) /* a gzip stream cut short: what came before it loads */
        CHECK_INT(truncate(path, st.st_size * 2 / 3), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(*len + 1);
    if (b && fread(b, 1, *len, f) != *len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static struct store *load_big(const char *path, const char *threads)
{
    setenv("CTVIEW_THREADS", threads, 1);
    setenv("CTVIEW_BIG_BYTES", "1", 1);
    struct store *s = store_new();
    const char *paths[] = {path};
    CHECK_INT(load_paths(s, paths, 1, NULL, NULL), 0);
    unsetenv("CTVIEW_BIG_BYTES");
    return s;
}

/* A problem as text, for comparing and for the message when they differ. */
static void problem_text(const struct problem *p, char *out, size_t cap)
{
    snprintf(out, cap, "%d %s @%lld #%lld %s", (int)p->kind, p->file, (long long)p->offset,
             (long long)p->record, p->reason);
}

/* whole: the input read at once; big: read in parts. moved_warning: the gzip damage, which the whole read
 * reports before the records and the read in parts where it meets it, at the end. */
static void same_store(struct store *whole, struct store *big, int moved_warning)
{
    const struct load_counts *a = &whole->counts, *b = &big->counts;
    CHECK_INT(b->files, a->files);
    CHECK_INT(b->skipped_files, a->skipped_files);
    CHECK_INT(b->records, a->records);
    CHECK_INT(b->events, a->events);
    CHECK_INT(b->duplicates, a->duplicates);
    CHECK_INT(b->bad_records, a->bad_records);
    CHECK_INT(b->skipped_records, a->skipped_records);
    CHECK_INT(b->bytes, a->bytes);
    CHECK_INT(big->nevents, whole->nevents);
    int diffs = 0;
    for (size_t i = 0; i < whole->nevents && i < big->nevents && diffs < 3; i++) {
        const struct event *x = &whole->events[i], *y = &big->events[i];
        int same = x->time_ms == y->time_ms && x->flags == y->flags && x->raw_off == y->raw_off &&
                   x->raw_len == y->raw_len;
        for (int f = 0; f < EF__COUNT && same; f++)
            same =
                strcmp(store_str(whole, x, (enum event_field)f), store_str(big, y, (enum event_field)f)) == 0;
        size_t xl = 0, yl = 0;
        char *err = NULL;
        const char *xr = store_raw(whole, x, &xl, &err);
        free(err);
        char *xcopy = xr ? strndup(xr, xl) : NULL;
        const char *yr = store_raw(big, y, &yl, &err);
        if (!yr)
            fprintf(stderr, "store_raw: %s\n", err ? err : "?");
        free(err);
        same = same && xcopy && yr && xl == yl && memcmp(xcopy, yr, xl) == 0;
        free(xcopy);
        if (!same)
            fprintf(stderr, "event %zu differs: %s vs %s\n", i, store_str(whole, x, EF_EVENT_ID),
                    store_str(big, y, EF_EVENT_ID));
        diffs += !same;
        CHECK(same);
    }
    const struct problems *pa = &whole->problems, *pb = &big->problems;
    CHECK_INT(pb->count, pa->count);
    if (pa->count != pb->count)
        return;
    /* with the warning moved: compared alone, and the other rows in order */
    size_t wa = SIZE_MAX, wb = SIZE_MAX;
    for (size_t i = 0; moved_warning && i < pa->count; i++) {
        if (strstr(pa->rows[i].reason, "gzip") && wa == SIZE_MAX)
            wa = i;
        if (strstr(pb->rows[i].reason, "gzip") && wb == SIZE_MAX)
            wb = i;
    }
    CHECK(!moved_warning || (wa == 0 && wb != SIZE_MAX));
    char x[512], y[512];
    for (size_t i = 0, j = 0; i < pa->count && j < pb->count; i++, j++) {
        i += i == wa;
        j += j == wb;
        if (i >= pa->count || j >= pb->count)
            break;
        problem_text(&pa->rows[i], x, sizeof x);
        problem_text(&pb->rows[j], y, sizeof y);
        CHECK_STR(y, x);
    }
    if (wa != SIZE_MAX && wb != SIZE_MAX) {
        problem_text(&pa->rows[wa], x, sizeof x);
        problem_text(&pb->rows[wb], y, sizeof y);
        CHECK_STR(y, x);
    }
}

/* Events of s that expr shows. */
static size_t shown(struct store *s, const char *expr)
{
    struct filter_error fe;
    struct filter *f = filter_compile(expr, s, &fe);
    CHECK(f != NULL);
    if (!f)
        return 0;
    struct filter_run run;
    filter_run_init(&run, f);
    CHECK_INT(filter_run_all(&run), 0);
    size_t n = run.nshown;
    filter_run_free(&run);
    filter_free(f);
    return n;
}

static void check_input(const char *dir, const char *name, const struct text *t, int gzip, size_t cut)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, t, gzip, cut);
    size_t len = 0;
    char *bytes = slurp(path, &len);
    CHECK(bytes != NULL);
    if (!bytes)
        return;
    struct store *whole = store_new();
    CHECK_INT(load_buffer(whole, path, bytes, len), 0);
    free(bytes);
    CHECK(whole->nevents > 1000); /* the input is there: not two empty stores compared */
    CHECK(whole->counts.duplicates > 10);
    for (int k = 0; k < 2; k++) {
        struct store *big = load_big(path, k == 0 ? "1" : "3");
        same_store(whole, big, cut != 0);
        /* a path's index reads every event's bytes again (by range, for a large plain file) */
        size_t n = shown(whole, "requestParameters.bucketName:b3");
        CHECK(n > 100);
        CHECK_INT(shown(big, "requestParameters.bucketName:b3"), n);
        store_free(big);
    }
    store_free(whole);
}

/* The bytes of an event of a large file are re-read from it; once it changed, that is said, not guessed. */
static void check_changed(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/records.json", dir);
    struct store *big = load_big(path, "2");
    CHECK(big->nevents > 1000);
    CHECK_INT(big->sources[0].kind, SOURCE_RANGE);
    struct utimbuf later = {time(NULL) + 100, time(NULL) + 100};
    CHECK_INT(utime(path, &later), 0);
    size_t len;
    char *err = NULL;
    CHECK(store_raw(big, &big->events[0], &len, &err) == NULL);
    CHECK(err && strstr(err, "changed since it was loaded"));
    free(err);
    store_free(big);
}

int main(void)
{
    char tmpl[] = "/tmp/ctview-test-bigload-XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (!dir)
        return harness_done("bigload");
    struct text j = jsonl(6000), r = records(5000), l = lookup(5000);
    check_input(dir, "events.jsonl", &j, 0, 0);
    check_input(dir, "records.json", &r, 0, 0);
    check_input(dir, "lookup.json", &l, 0, 0);
    check_input(dir, "events.jsonl.gz", &j, 1, 0);
    check_input(dir, "cut.jsonl.gz", &j, 1, 1);
    check_changed(dir);
    free(j.s);
    free(r.s);
    free(l.s);
    const char *names[] = {"events.jsonl", "records.json", "lookup.json", "events.jsonl.gz", "cut.jsonl.gz"};
    char path[4096];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return harness_done("bigload");
}
