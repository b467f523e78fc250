/* Unit tests of parsers/: splitting, gzip sources, loading with dedupe and problems.
 * argv[1] is the repository's tests/ directory, argv[2] the public logs under tests/data/logs. */
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "model/base/timefmt.h"
#include "model/json/jsonscan.h"
#include "parsers/load.h"
#include "parsers/pathinfo.h"
#include "parsers/source.h"
#include "parsers/batch.h"
#include "parsers/scan.h"
#include "parsers/split.h"
#include "parsers/stream.h"

/* ---- split ---- */

struct seen {
    size_t rec_off[16], rec_len[16], nrec;
    size_t bad_off[16], nbad;
    size_t njunk;
    atomic_int *stop;
};

static void on_rec(void *c, size_t off, size_t len, size_t index)
{
    struct seen *s = c;
    (void)index;
    if (s->nrec < 16)
        s->rec_off[s->nrec] = off, s->rec_len[s->nrec] = len;
    s->nrec++;
}

static void on_bad(void *c, size_t off, size_t index, const char *reason)
{
    struct seen *s = c;
    (void)index, (void)reason;
    if (s->nbad < 16)
        s->bad_off[s->nbad] = off;
    s->nbad++;
}

static void on_junk(void *c, size_t off, const char *reason)
{
    (void)off, (void)reason;
    ((struct seen *)c)->njunk++;
}

/* A record callback that stops the walk after the second record. */
static void on_rec_stop(void *c, size_t off, size_t len, size_t index)
{
    on_rec(c, off, len, index);
    if (((struct seen *)c)->nrec == 2)
        atomic_store(((struct seen *)c)->stop, 1);
}

static struct seen split(const char *text, enum split_result *r)
{
    struct seen s = {0};
    struct split_sink sink = {&s, on_rec, on_bad, on_junk, NULL, NULL};
    *r = split_records(text, strlen(text), &sink);
    return s;
}

static void test_split(void)
{
    enum split_result r;
    /* a walk asked to stop ends after the record in hand, in a Records array and between values */
    static const char *const stoppable[] = {"{\"Records\":[{\"a\":1},{\"b\":2},{\"c\":3}]}",
                                            "{}\n{}\n{}\n{}"};
    for (size_t i = 0; i < 2; i++) {
        atomic_int stop;
        atomic_init(&stop, 0);
        struct seen st = {.stop = &stop};
        struct split_sink sink = {&st, on_rec_stop, on_bad, on_junk, &stop, NULL};
        CHECK_INT(split_records(stoppable[i], strlen(stoppable[i]), &sink), SPLIT_RECORDS);
        CHECK_INT(st.nrec, 2);
    }
    struct seen s = split("{\"Records\":[{\"a\":1},{\"b\":\"}\"}]}", &r);
    CHECK_INT(r, SPLIT_RECORDS);
    CHECK_INT(s.nrec, 2);
    CHECK_INT(s.rec_off[0], 12);
    CHECK_INT(s.rec_len[1], 9); /* the brace inside the string does not end the record */

    s = split("  [ {\"a\":1} , {\"a\":2}, 3, \"x\" ]", &r);
    CHECK_INT(s.nrec, 2);
    CHECK_INT(s.nbad, 2); /* elements that are not objects are bad records */

    s = split("{\"a\":1}\n{\"a\":2}\n\n{\"a\":\"\\\"}\"}\n", &r); /* JSON Lines, escaped quote */
    CHECK_INT(s.nrec, 3);

    s = split("{\"a\": \"x\" \"b\": 2}\n{\"c\": 3}", &r); /* missing comma: boundaries unchanged */
    CHECK_INT(s.nrec, 2);

    s = split("{\"Records\":[{\"a\":1},{\"b\":2", &r); /* truncated file */
    CHECK_INT(s.nrec, 1);
    CHECK_INT(s.nbad, 1);
    CHECK_INT(s.bad_off[0], 20);

    s = split("{\"NextToken\":\"x\",\"Records\":[{\"a\":1}]}", &r); /* Records not first */
    CHECK_INT(s.nrec, 1);

    s = split("{\"Records\":[{\"a\":1}]}{\"Records\":[{\"a\":2},{\"a\":3}]}", &r); /* concatenated files */
    CHECK_INT(s.nrec, 3);

    s = split("{\"Records\":[]}", &r);
    CHECK_INT(r, SPLIT_RECORDS);
    CHECK_INT(s.nrec + s.nbad, 0);

    split("", &r);
    CHECK_INT(r, SPLIT_EMPTY);
    split(" \n\t ", &r);
    CHECK_INT(r, SPLIT_EMPTY);
    split("# Markdown title\n", &r);
    CHECK_INT(r, SPLIT_NOT_JSON);

    s = split("{\"a\":1}\nsome prose here\n{\"b\":2}\n", &r); /* text between records */
    CHECK_INT(s.nrec, 2);
    CHECK_INT(s.njunk, 1);

    s = split("\xef\xbb\xbf{\"a\":1}", &r); /* UTF-8 BOM */
    CHECK_INT(s.nrec, 1);
}

/* ---- sources ---- */

static size_t gzip_bytes(const char *in, size_t len, unsigned char *out, size_t cap)
{
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    return n;
}

/* in[0..len) read through the large-input stream, 7 decoded bytes at a time; the warning copied. */
static char *stream_all(const unsigned char *in, size_t len, size_t *out_len, char *warning, size_t wcap,
                        int64_t *woff)
{
    char path[] = "/tmp/ctview-gunzip-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, in, len) == (ssize_t)len);
    close(fd);
    struct stream *st = NULL;
    char *err = NULL, *out = malloc(4096);
    size_t n = 0, got;
    CHECK_INT(stream_open(path, &st, &err), 0);
    while (stream_read(st, out + n, 7, &got, NULL, &err) == 0 && got > 0 && n < 4000)
        n += got;
    const char *w = stream_warning(st, woff);
    snprintf(warning, wcap, "%s", w ? w : "");
    stream_close(st);
    unlink(path);
    *out_len = n;
    return out;
}

/* The two readers of gzip (a file held whole, a large file streamed) decode through one loop: the same
 * bytes and the same warning at the same offset, for every member, padding, garbage and damage. */
static void test_gunzip_one_way(void)
{
    const char *a = "{\"Records\":[{\"eventID\":\"1\"}]}", *b = "{\"Records\":[{\"eventID\":\"2\"}]}";
    unsigned char gz[1024];
    size_t n1 = gzip_bytes(a, strlen(a), gz, sizeof gz);
    size_t n2 = gzip_bytes(b, strlen(b), gz + n1, sizeof gz - n1);
    unsigned char buf[1200];
    struct {
        const char *what, *warning; /* what the case is; the start of its warning, "" for none */
        size_t len;
    } cases[] = {
        {"two members", "", n1 + n2},
        {"zeros after the last member", "", n1 + n2 + 16},
        {"garbage after zeros", "", n1 + n2 + 16 + 3},
        {"truncated second member", "gzip stream truncated (compressed file ends at byte %zu)", n1 + n2 - 6},
        {"corrupt second member", "corrupt gzip data at compressed byte", n1 + n2},
    };
    char want[128];
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        memset(buf, 0, sizeof buf);
        memcpy(buf, gz, n1 + n2);
        if (k == 2)
            memcpy(buf + n1 + n2 + 16, "abc", 3);
        if (k == 4)
            buf[n1 + n2 - 6] ^= 0xff; /* its CRC */
        struct source_data d;
        char *err = NULL, warning[256];
        int64_t woff = -1;
        size_t slen;
        CHECK_INT(source_decode((char *)buf, cases[k].len, SOURCE_MAX_DECODED, &d, &err), 0);
        char *s = stream_all(buf, cases[k].len, &slen, warning, sizeof warning, &woff);
        CHECK(d.gzip);
        CHECK_INT(slen, d.len);
        CHECK(slen == d.len && memcmp(s, d.data, slen) == 0);
        CHECK_STR(warning, d.warning ? d.warning : "");
        if (d.warning)
            CHECK_INT(woff, d.warning_offset);
        snprintf(want, sizeof want, cases[k].warning, cases[k].len);
        if (k == 2)
            snprintf(want, sizeof want, "19 bytes of trailing garbage after gzip member 2 ignored");
        CHECK(strncmp(warning, want, strlen(want)) == 0 && (want[0] != 0) == (warning[0] != 0));
        /* what decoded before the damage is kept: all of it but for a truncated member's end */
        CHECK(k == 3 ? d.len >= strlen(a) && d.len <= strlen(a) + strlen(b) : d.len == strlen(a) + strlen(b));
        free(s);
        source_data_free(&d);
    }
}

static void test_source(void)
{
    const char *a = "{\"Records\":[{\"eventID\":\"1\"}]}", *b = "{\"Records\":[{\"eventID\":\"2\"}]}";
    unsigned char gz[1024];
    size_t n1 = gzip_bytes(a, strlen(a), gz, sizeof gz);
    size_t n2 = gzip_bytes(b, strlen(b), gz + n1, sizeof gz - n1);
    struct source_data d;
    char *err = NULL;

    CHECK_INT(source_decode((char *)gz, n1 + n2, SOURCE_MAX_DECODED, &d, &err), 0); /* two members */
    CHECK(d.gzip);
    CHECK_INT(d.len, strlen(a) + strlen(b));
    CHECK(d.warning == NULL);
    source_data_free(&d);

    /* one member, its size in the trailer: decoded in one call (libdeflate) */
    CHECK_INT(source_decode((char *)gz, n1, SOURCE_MAX_DECODED, &d, &err), 0);
    CHECK(d.gzip && d.warning == NULL);
    CHECK_STR(d.data, a);
    source_data_free(&d);

    /* a trailer whose size is wrong: the one-call decode refuses it, the streaming path reports it */
    unsigned char lie[512];
    memcpy(lie, gz, n1);
    lie[n1 - 4] ^= 0x01;
    CHECK_INT(source_decode((char *)lie, n1, SOURCE_MAX_DECODED, &d, &err), 0);
    CHECK_INT(d.len, strlen(a));
    CHECK(d.warning != NULL && strstr(d.warning, "corrupt"));
    source_data_free(&d);

    CHECK_INT(source_decode((char *)gz, n1 - 6, SOURCE_MAX_DECODED, &d, &err), 0); /* truncated */
    CHECK(d.warning != NULL && strstr(d.warning, "truncated"));
    source_data_free(&d);

    unsigned char crc[512];
    memcpy(crc, gz, n1);
    crc[n1 - 6] ^= 0xff; /* corrupt CRC32: the data decoded is kept, the damage reported */
    CHECK_INT(source_decode((char *)crc, n1, SOURCE_MAX_DECODED, &d, &err), 0);
    CHECK_INT(d.len, strlen(a));
    CHECK(d.warning != NULL && strstr(d.warning, "corrupt"));
    source_data_free(&d);

    memcpy(crc, gz, n1);
    memcpy(crc + n1, "garbage!", 8);
    CHECK_INT(source_decode((char *)crc, n1 + 8, SOURCE_MAX_DECODED, &d, &err), 0);
    CHECK_INT(d.len, strlen(a));
    CHECK(d.warning != NULL && strstr(d.warning, "trailing garbage"));
    source_data_free(&d);

    CHECK_INT(source_decode(a, strlen(a), SOURCE_MAX_DECODED, &d, &err), 0); /* plain, whatever its name */
    CHECK(!d.gzip);
    CHECK_INT(d.len, strlen(a));
    source_data_free(&d);

    /* a decompression bomb is cut at the limit and reported */
    size_t big = 4 << 20;
    char *zeros = calloc(1, big);
    unsigned char *bomb = malloc(big);
    size_t nb = gzip_bytes(zeros, big, bomb, big);
    CHECK_INT(source_decode((char *)bomb, nb, 1 << 20, &d, &err), 0);
    CHECK_INT(d.len, 1 << 20);
    CHECK(d.warning != NULL && strstr(d.warning, "limit"));
    source_data_free(&d);
    free(zeros);
    free(bomb);

    CHECK_INT(source_read_path("/nonexistent/ctview", NULL, &d, &err), -1);
    CHECK(err && strstr(err, "No such file"));
    free(err);
    err = NULL;
    CHECK_INT(source_read_path("/dev/null", NULL, &d, &err), -1); /* a device is never read */
    CHECK(err && strstr(err, "not a regular file"));
    free(err);
    err = NULL;

    /* a read stops when asked (quitting during a large file): a 40 MiB gzip read whole, then stopped */
    char path[] = "/tmp/ctview-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    big = 40 << 20;
    zeros = calloc(1, big);
    bomb = malloc(big);
    nb = gzip_bytes(zeros, big, bomb, big);
    CHECK_INT(write(fd, bomb, nb), nb);
    close(fd);
    atomic_int stop;
    atomic_init(&stop, 0);
    CHECK_INT(source_read_path(path, &stop, &d, &err), 0);
    CHECK_INT(d.len, big);
    source_data_free(&d);
    atomic_store(&stop, 1);
    CHECK_INT(source_read_path(path, &stop, &d, &err), -1);
    CHECK(err && strcmp(err, "cancelled") == 0);
    free(err);
    err = NULL;
    /* a file the walk stat'ed: read with its size and mtime as the walk saw them */
    atomic_store(&stop, 0);
    CHECK_INT(source_read_known(path, (int64_t)nb, 1234, &stop, &d, &err), 0);
    CHECK_INT(d.len, big);
    CHECK_INT(d.size, nb);
    CHECK_INT(d.mtime, 1234);
    CHECK(d.gzip);
    source_data_free(&d);
    /* ... and a FIFO put in its place since: not waited on */
    unlink(path);
    CHECK_INT(mkfifo(path, 0600), 0);
    CHECK_INT(source_read_known(path, (int64_t)nb, 1234, &stop, &d, &err), 0);
    CHECK_INT(d.len, 0);
    source_data_free(&d);
    unlink(path);
    CHECK_INT(source_read_known(path, 10, 0, NULL, &d, &err), -1);
    CHECK(err && strstr(err, "No such file"));
    free(err);
    free(zeros);
    free(bomb);
}

static void test_pathinfo(void)
{
    struct pathinfo pi;
    pathinfo_parse("x/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2024/03/01/f.json.gz", &pi);
    CHECK_STR(pi.account, "111122223333");
    pathinfo_parse("x/AWSLogs/444455556666/CloudTrail/us-east-1/2024/03/01/f.json.gz", &pi);
    CHECK_STR(pi.account, "444455556666");
    pathinfo_parse("/tmp/777788889999_CloudTrail_us-east-2_20140718T1510Z_b1.json.gz", &pi);
    CHECK_STR(pi.account, "777788889999");
    CHECK(!pi.is_digest);
    pathinfo_parse("AWSLogs/1/CloudTrail-Digest/us-east-1/x.json.gz", &pi);
    CHECK(pi.is_digest);
    pathinfo_parse("events.json", &pi);
    CHECK_STR(pi.account, "");
}

/* ---- load ---- */

static const struct event *find_event(struct store *s, const char *id, const char *account)
{
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        if (!strcmp(store_str(s, e, EF_EVENT_ID), id) &&
            (!account || !strcmp(intern_str(s->strings, store_field(s, e, EF_ACCOUNT)
                                                            ? store_field(s, e, EF_ACCOUNT)
                                                            : s->sources[e->source].trail_account),
                                 account)))
            return e;
    }
    return NULL;
}

static void test_load_sample(const char *tests_dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sample", tests_dir);
    struct store *s = store_new();
    const char *paths[] = {path};
    CHECK_INT(load_paths(s, paths, 1, NULL, NULL), 0);
    /* 11 log files + the pasted document; 1 digest skipped; 20 records = 9 events + 9 duplicates + 2 bad */
    CHECK_INT(s->counts.files, 11);
    CHECK_INT(s->counts.skipped_files, 1);
    CHECK_INT(s->counts.records, 20);
    CHECK_INT(s->counts.events, 9);
    CHECK_INT(s->counts.duplicates, 9);
    CHECK_INT(s->counts.bad_records, 2);
    CHECK_INT(s->counts.records, s->counts.events + s->counts.duplicates + s->counts.bad_records);

    /* both sides of Bob's cross-account AssumeRole stay: same eventID, different accounts */
    const char *pair = "dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE";
    CHECK(find_event(s, pair, "777788889999") != NULL);
    CHECK(find_event(s, pair, "111122223333") != NULL);
    /* the IAM event written by three regional trails loads once */
    int n = 0;
    for (size_t i = 0; i < s->nevents; i++)
        n += !strcmp(store_str(s, &s->events[i], EF_NAME), "GetUserPolicy");
    CHECK_INT(n, 1);

    /* time order, stable */
    for (size_t i = 1; i < s->nevents; i++)
        CHECK(s->events[i - 1].time_ms <= s->events[i].time_ms);

    /* the two broken examples are problem rows with file, position and reason */
    size_t rows = 0;
    for (size_t i = 0; i < s->problems.count; i++) {
        const struct problem *p = &s->problems.rows[i];
        if (p->kind != PROBLEM_RECORD)
            continue;
        rows++;
        CHECK(strstr(p->file, "pasted/iam-sts-examples.json") != NULL);
        CHECK(p->offset > 0);
        CHECK(strstr(p->reason, "malformed JSON") != NULL);
    }
    CHECK_INT(rows, 2);

    /* indexed fields and flags */
    const struct event *masked = find_event(s, "a7654656-0417-45c6-9386-ea8231385051", NULL);
    CHECK(masked && (masked->flags & EVF_USER_MASKED));
    const struct event *fail = find_event(s, "11ea990b-4678-4bcd-8fbe-62509088b7cf", NULL);
    CHECK(fail && (fail->flags & EVF_LOGIN_FAILURE));
    CHECK_STR(store_str(s, fail, EF_ERROR_MESSAGE), "Failed authentication");
    const struct event *caller = find_event(s, pair, "777788889999");
    CHECK_STR(store_str(s, caller, EF_ROLE_ARN), "arn:aws:iam::111122223333:role/EC2-dev");
    CHECK_STR(store_str(s, caller, EF_ROLE_SESSION), "Bob-EC2-dev");
    CHECK_STR(store_str(s, caller, EF_SHARED_ID), "bEXAMPLE-efea-4a70-b951-19a88EXAMPLE");
    CHECK_STR(store_str(s, caller, EF_ISSUED_KEY), "AKIAQRSTUVWXYZEXAMPLE");
    CHECK_INT(caller->res_count, 1);
    CHECK_STR(intern_str(s->strings, store_res_ids(s, caller)[0]), "arn:aws:iam::111122223333:role/EC2-dev");
    const struct event *del = find_event(s, "dEXAMPLE-265a-41e0-9352-4401bEXAMPLE", "777788889999");
    CHECK_STR(store_str(s, del, EF_UI_ISSUER_ARN), "arn:aws:iam::777788889999:role/AssumeNothing");
    CHECK_STR(store_str(s, del, EF_UI_SESSION_CREATED), "2016-11-14T17:25:26Z");

    /* original bytes come back byte for byte (re-read from the gzip file) */
    size_t len;
    char *err = NULL;
    const char *raw = store_raw(s, caller, &len, &err);
    CHECK(raw != NULL);
    CHECK(raw && len > 2 && raw[0] == '{' && raw[len - 1] == '}');
    CHECK(raw && memmem(raw, len, "\"roleSessionName\":\"Bob-EC2-dev\"", 31) != NULL);
    store_free(s);
}

static void test_load_pasted_verbatim(const char *tests_dir)
{
    /* the seed document's examples exactly as printed: the valid ones load, the two broken ones are
     * reported, and the original bytes of a loaded one match the file byte for byte */
    char path[4096];
    snprintf(path, sizeof path, "%s/sample/pasted/iam-sts-examples.json", tests_dir);
    struct store *s = store_new();
    const char *paths[] = {path};
    CHECK_INT(load_paths(s, paths, 1, NULL, NULL), 0);
    CHECK_INT(s->counts.records, 9);
    CHECK_INT(s->counts.events, 7);
    CHECK_INT(s->counts.bad_records, 2);
    FILE *f = fopen(path, "rb");
    char *file = calloc(1, 65536);
    size_t flen = f ? fread(file, 1, 65535, f) : 0;
    if (f)
        fclose(f);
    for (size_t i = 0; i < s->nevents; i++) {
        size_t len;
        char *err = NULL;
        const char *raw = store_raw(s, &s->events[i], &len, &err);
        CHECK(raw && s->events[i].raw_off + len <= flen && !memcmp(raw, file + s->events[i].raw_off, len));
        free(err);
    }
    free(file);
    store_free(s);
}

static void test_load_buffer_cases(void)
{
    struct store *s = store_new();
    /* numbers where strings belong, NUL in a string, duplicate keys, a record that is not an object */
    const char *text =
        "{\"Records\":[{\"eventID\":\"n1\",\"recipientAccountId\":123456789012,\"eventName\":\"A\\u0000B\","
        "\"eventTime\":\"2024-03-01T00:00:00Z\",\"eventTime\":\"2024-03-02T00:00:00Z\"}, 42]}";
    CHECK_INT(load_buffer(s, "cases.json", text, strlen(text)), 0);
    CHECK_INT(s->counts.events, 1);
    CHECK_INT(s->counts.bad_records, 1);
    CHECK_STR(store_str(s, &s->events[0], EF_ACCOUNT), "123456789012");
    /* the NUL escape reads as U+2400, so what follows it stays visible and searchable */
    CHECK_STR(store_str(s, &s->events[0], EF_NAME), "A\342\220\200B");
    /* an input whose every string is empty: nothing to copy (fuzz_load found NULL + 0 here) */
    struct store *bare = store_new();
    CHECK_INT(load_buffer(bare, "bare.json", "[{\"eventID\":\"\",\"eventTime\":\"2024-01-01\"}]", 40), 0);
    CHECK_INT(bare->counts.events, 1);
    store_free(bare);
    /* Records that is not an array: the object is read as one record; it holds no event, so it is
     * skipped and counted, with a note, not loaded with every column '-' */
    CHECK_INT(load_buffer(s, "odd.json", "{\"Records\":{\"x\":1}}", 20), 0);
    CHECK_INT(s->counts.events, 1);
    CHECK_INT(s->counts.skipped_records, 1);
    CHECK_INT(s->counts.skipped_files, 1);
    CHECK(strstr(s->problems.rows[s->problems.count - 1].reason, "holds no CloudTrail event") != NULL);
    /* an event without eventTime sorts last */
    const char *late = "{\"eventID\":\"t0\"}\n{\"eventID\":\"t1\",\"eventTime\":\"1999-01-01T00:00:00Z\"}";
    CHECK_INT(load_buffer(s, "late.json", late, strlen(late)), 0);
    CHECK_STR(store_str(s, &s->events[0], EF_EVENT_ID), "t1");
    CHECK_STR(store_str(s, &s->events[s->nevents - 1], EF_EVENT_ID), "t0");
    CHECK_INT(s->counts.records, s->counts.events + s->counts.duplicates + s->counts.bad_records);
    store_free(s);
}

static void test_load_files(void)
{
    char dir[] = "/tmp/ctview-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p[4200];
    /* a symlink loop, a dangling link, a FIFO, an empty file, a file that is not JSON */
    snprintf(p, sizeof p, "%s/loop", dir);
    CHECK_INT(symlink(dir, p), 0);
    snprintf(p, sizeof p, "%s/dangling", dir);
    CHECK_INT(symlink("/nonexistent/x", p), 0);
    snprintf(p, sizeof p, "%s/fifo", dir);
    CHECK_INT(mkfifo(p, 0600), 0);
    snprintf(p, sizeof p, "%s/empty.json", dir);
    fclose(fopen(p, "w"));
    snprintf(p, sizeof p, "%s/notes.txt", dir);
    FILE *f = fopen(p, "w");
    fputs("hello\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/ok.json", dir);
    f = fopen(p, "w");
    fputs("[{\"eventID\":\"x\"}]", f);
    fclose(f);
    struct store *s = store_new();
    const char *paths[] = {dir};
    CHECK_INT(load_paths(s, paths, 1, NULL, NULL), 0);
    CHECK_INT(s->counts.events, 1);
    CHECK_INT(s->counts.files, 1);
    CHECK_INT(s->counts.skipped_files, 5); /* loop, dangling, fifo, empty, notes */
    /* a file that changed since it was loaded is said so, not shown wrong */
    f = fopen(p, "w");
    fputs("[]", f);
    fclose(f);
    size_t len;
    char *err = NULL;
    CHECK(store_raw(s, &s->events[0], &len, &err) == NULL);
    CHECK(err && strstr(err, "changed"));
    free(err);
    /* ... and one that disappeared since: the same, with the reason */
    CHECK_INT(unlink(p), 0);
    err = NULL;
    CHECK(store_raw(s, &s->events[0], &len, &err) == NULL);
    CHECK(err && strstr(err, "No such file"));
    free(err);
    store_free(s);
    /* a file that disappears between the walk and its reading (the walk runs ahead of the readers):
     * reported with its name and reason, the other inputs loaded */
    snprintf(p, sizeof p, "%s/ok.json", dir);
    f = fopen(p, "w");
    fputs("[{\"eventID\":\"y\"}]", f);
    fclose(f);
    struct walk_file gone = {.path = (char *)"/tmp/ctview-test-gone/x.json", .size = 10, .walked = 1},
                     kept = {.path = p, .size = 10, .walked = 1};
    struct batch b;
    s = store_new();
    CHECK_INT(batch_read(&b, &gone, NULL), 0);
    CHECK_INT(batch_merge(s, &b), 0);
    CHECK_INT(batch_read(&b, &kept, NULL), 0);
    CHECK_INT(batch_merge(s, &b), 0);
    CHECK_INT(s->counts.events, 1);
    CHECK_INT(s->counts.skipped_files, 1);
    CHECK(s->problems.count == 1 && strstr(s->problems.rows[0].file, "ctview-test-gone") &&
          strstr(s->problems.rows[0].reason, "No such file"));
    store_free(s);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
}

static void test_shared_data(const char *data_dir)
{
    struct stat st;
    if (stat(data_dir, &st) != 0) {
        char why[4200];
        snprintf(why, sizeof why, "parsers: the shared data set is not at %s", data_dir);
        harness_skip(why);
        return;
    }
    static const struct {
        const char *dir;
        int files, skipped, records, events, duplicates, bad;
    } want[] = {
        /* SOURCES.md: 35 files, 310 events */
        {"stratus-red-team", 35, 0, 310, 310, 0, 0},
        /* 3 files, 7 records; the .json and .json.gz are the same events, the smoke file repeats two */
        {"trailscraper", 3, 0, 7, 3, 4, 0},
        /* 13 files, 41 events; the bad-format file's first record swallows the second (an unclosed
         * object), and its closing brace is left over. Three records hold no event (every field null,
         * or every key misnamed: eventTimeWrong, eventTime1): skipped and counted apart. */
        {"aws-cloudtrail-processing-library", 13, 0, 40, 38, 0, 2},
        /* JSON Lines: 5 events, one repeated; the digest file is skipped */
        {"elastic-integrations", 2, 1, 5, 4, 1, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", data_dir, want[i].dir);
        struct store *s = store_new();
        const char *paths[] = {path};
        CHECK_INT(load_paths(s, paths, 1, NULL, NULL), 0);
        CHECK_INT(s->counts.files, want[i].files);
        CHECK_INT(s->counts.skipped_files, want[i].skipped);
        CHECK_INT(s->counts.records, want[i].records);
        CHECK_INT(s->counts.events, want[i].events);
        CHECK_INT(s->counts.duplicates, want[i].duplicates);
        CHECK_INT(s->counts.bad_records, want[i].bad);
        store_free(s);
    }
}

static int scan_ok(const char *json, struct scan_result *r, struct scan_scratch *sc)
{
    size_t err_at;
    return scan_record(json, strlen(json), r, sc, &err_at) == 0;
}

static int field_is(const struct scan_result *r, enum event_field f, const char *want)
{
    return r->ev.f[f].len == strlen(want) && memcmp(r->ev.f[f].s, want, r->ev.f[f].len) == 0;
}

/* The scanner reads records by cJSON's rules (tests/fuzz/fuzz_scan.c compares the two); these are the
 * rules that surprised, each found by that fuzzer or worth pinning. */
static void test_scan(void)
{
    struct scan_scratch sc = {0};
    struct scan_result r;
    /* four non-hex digits after \u read as a NUL, as cJSON reads them (found by fuzz_scan); a NUL reads
     * as U+2400 so that it cuts nothing: the rest stays visible and searchable */
    CHECK(scan_ok("{\"userAgent\":\"caf\\u0-0e9 x\"}", &r, &sc) && field_is(&r, EF_UA, "caf\342\220\2009 x"));
    CHECK(scan_ok("{\"userAgent\":\"aws-cli\\u0000 sqlmap/1.0\"}", &r, &sc) &&
          field_is(&r, EF_UA, "aws-cli\xe2\x90\x80 sqlmap/1.0"));
    /* a key's NUL still cuts it, as cJSON's does: the member is the one cJSON names */
    CHECK(scan_ok("{\"userAgent\\u0000x\":\"a\\u0000\"}", &r, &sc) && field_is(&r, EF_UA, "a\342\220\200"));
    CHECK(scan_ok("{\"userAgent\":\"caf\\u00e9\"}", &r, &sc) && field_is(&r, EF_UA, "caf\xc3\xa9"));
    CHECK(scan_ok("{\"userAgent\":\"\\ud83d\\ude00\"}", &r, &sc) && field_is(&r, EF_UA, "\xf0\x9f\x98\x80"));
    CHECK(!scan_ok("{\"userAgent\":\"\\udc00\"}", &r, &sc));  /* a lone low surrogate */
    CHECK(!scan_ok("{\"userAgent\":\"\\ud800x\"}", &r, &sc)); /* a high one without its pair */
    CHECK(!scan_ok("{\"a\":\"\\x\"}", &r, &sc));
    /* a \u escape taking a backslash as its last digit leaves the next backslash last: read, with the
     * closing quote, as an escaped quote (found by fuzz_scan after 5.8M runs) */
    CHECK(scan_ok("{\"userAgent\":\"x\\u169\\\\\"}", &r, &sc) && field_is(&r, EF_UA, "x\xe2\x90\x80\""));
    /* the first of duplicate keys wins, also for objects */
    CHECK(scan_ok("{\"eventName\":\"A\",\"eventName\":\"B\"}", &r, &sc) && field_is(&r, EF_NAME, "A"));
    CHECK(scan_ok("{\"userIdentity\":\"x\",\"userIdentity\":{\"type\":\"Root\"}}", &r, &sc) &&
          r.ev.f[EF_UI_TYPE].len == 0);
    /* numbers and booleans where strings belong */
    CHECK(scan_ok("{\"recipientAccountId\":123456789012}", &r, &sc) &&
          field_is(&r, EF_ACCOUNT, "123456789012"));
    CHECK(scan_ok("{\"recipientAccountId\":1.5e1}", &r, &sc) && field_is(&r, EF_ACCOUNT, "15"));
    CHECK(scan_ok("{\"eventName\":true,\"errorCode\":null}", &r, &sc) && field_is(&r, EF_NAME, "true") &&
          r.ev.f[EF_ERROR_CODE].len == 0);
    /* "ARN" wins over "arn" whatever its type; each resource counts its keys afresh */
    CHECK(
        scan_ok("{\"resources\":[{\"ARN\":\"a\"},{},{\"arn\":\"b\"},{\"ARN\":1,\"arn\":\"c\"}]}", &r, &sc) &&
        r.ev.nresources == 2);
    /* digests, lookup-events, flags */
    CHECK(scan_ok("{\"digestSignatureAlgorithm\":null}", &r, &sc) && r.is_digest);
    CHECK(scan_ok("{\"digestEndTime\":1}", &r, &sc) && !r.is_digest);
    CHECK(scan_ok("{\"CloudTrailEvent\":\"{\\\"eventName\\\":1}\"}", &r, &sc) && r.wrapped &&
          r.wrap_text.len == 15 && r.wrap_off == 19);
    CHECK(scan_ok("{\"CloudTrailEvent\":\"{}\",\"eventVersion\":\"1\"}", &r, &sc) && !r.wrapped);
    CHECK(scan_ok("{\"readOnly\":\"false\",\"responseElements\":{\"ConsoleLogin\":\"Failure\"}}", &r, &sc) &&
          r.ev.flags == (EVF_READONLY_FALSE | EVF_LOGIN_FAILURE));
    /* a shipper's @timestamp is evidence of an event, never its time */
    CHECK(scan_ok("{\"eventTime\":\"nope\",\"@timestamp\":\"2024-01-02T03:04:05Z\"}", &r, &sc) &&
          r.ev.time_ms == TIME_NONE && r.shipper_time);
    CHECK(scan_ok("{\"eventTime\":\"2024-01-02T03:04:05Z\",\"@timestamp\":\"2024-01-03T00:00:00Z\"}", &r,
                  &sc) &&
          r.ev.time_ms == 1704164645000 && r.shipper_time);
    /* malformed: where it stops */
    size_t at = 0;
    CHECK(scan_record("{\"a\":1 \"b\":2}", 13, &r, &sc, &at) == -1 && at == 7);
    CHECK(scan_record("{\"a\":[1,]}", 10, &r, &sc, &at) == -1 && at == 8);
    CHECK(scan_record("{\"a\":01x}", 9, &r, &sc, &at) == -1);
    /* cJSON skips a byte order mark only with more than four bytes in all; numbers of any length */
    CHECK(scan_record("\xEF\xBB\xBF"
                      "1",
                      4, &r, &sc, &at) == -1);
    CHECK(scan_record("\xEF\xBB\xBF"
                      "{}",
                      5, &r, &sc, &at) == 0 &&
          r.is_object);
    char longnum[200] = "{\"recipientAccountId\":";
    memset(longnum + strlen(longnum), '7', 100);
    strcat(longnum, "}");
    CHECK(scan_ok(longnum, &r, &sc) && r.ev.f[EF_ACCOUNT].len > 0);
    /* pieces: the members the scanner found are those a split finds, control bytes being blanks */
    const char *ctl = "{\"a\":\x01\"x\",\"b\":3e4\x17 }";
    struct pieces_scratch p1 = {0}, p2 = {0};
    CHECK(scan_ok(ctl, &r, &sc));
    size_t nb = pieces_build(ctl, strlen(ctl), r.body, r.members, r.nmembers, r.cuts, r.ncuts, &p1);
    CHECK(nb == 1 && nb == pieces_split(ctl, strlen(ctl), r.cuts, r.ncuts, &p2) &&
          p1.refs[0].len == p2.refs[0].len && memcmp(p1.refs[0].s, p2.refs[0].s, p1.refs[0].len) == 0);
    pieces_scratch_free(&p1);
    pieces_scratch_free(&p2);
    /* nesting: 1000 levels are read, 1001 refused */
    char deep[2 * 1001 + 1];
    for (int depth = 1000; depth <= 1001; depth++) {
        memset(deep, '[', (size_t)depth);
        memset(deep + depth, ']', (size_t)depth);
        CHECK((scan_record(deep, 2 * (size_t)depth, &r, &sc, &at) == 0) == (depth == 1000));
    }
    scan_scratch_free(&sc);
}

/* A record read without its end known first (scan_record_at, the loader's one pass) is the record the
 * splitter's bounds give, read the same; a damaged or cut one is left to those bounds. Every '{' of
 * texts sound and damaged, each cut at every length. */
static void test_scan_at(void)
{
    static const char *const texts[] = {
        ("{\"eventName\":\"A\",\"requestParameters\":{\"k\":[1,{\"x\":\"}]\\\"\"}]},\"eventTime\":"
         "\"2024-01-02T03:04:05Z\"} ,{\"eventID\":\"x\"}"), /* one text in two lines */
        "{\"a\":1 \"b\":2}{\"eventName\":true}",
        "{\"a\":[1,]}{\"eventName\":\"caf\\u00e9\"}]",
        "{\"a\":{\"b\":[}]}, {\"eventSource\":\"s3\"}",
        "{\"a\":01x}{\"b\":\"\\ud800x\"}{}",
    };
    struct scan_scratch sa = {0}, sb = {0};
    struct scan_result ra, rb;
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        size_t full = strlen(texts[t]);
        for (size_t len = 1; len <= full; len++) {
            for (size_t i = 0; i < len; i++) {
                if (texts[t][i] != '{')
                    continue;
                int cut;
                size_t end = jscan_skip_value(texts[t], len, i, &cut), at;
                size_t n = scan_record_at(texts[t] + i, len - i, &ra, &sa);
                int bounded = !cut && scan_record(texts[t] + i, end - i, &rb, &sb, &at) == 0 && rb.is_object;
                CHECK(n ? bounded && n == end - i : !bounded);
                if (!n || !bounded)
                    continue;
                CHECK(ra.ev.time_ms == rb.ev.time_ms && ra.ev.flags == rb.ev.flags &&
                      ra.nmembers == rb.nmembers);
                for (int f = 0; f < EF__COUNT; f++)
                    CHECK(ra.ev.f[f].len == rb.ev.f[f].len &&
                          (!ra.ev.f[f].len || memcmp(ra.ev.f[f].s, rb.ev.f[f].s, ra.ev.f[f].len) == 0));
            }
        }
    }
    /* both entry points used in one process read keys where they belong (the key table is built once:
     * built twice, a top-level roleSessionName read as requestParameters' one; found by fuzz_scan) */
    CHECK(scan_record_at("{\"roleSessionName\":\"b\"}", 23, &ra, &sa) == 23 &&
          ra.ev.f[EF_ROLE_SESSION].len == 0);
    CHECK(scan_ok("{\"roleSessionName\":\"b\"}", &rb, &sb) && rb.ev.f[EF_ROLE_SESSION].len == 0);
    scan_scratch_free(&sa);
    scan_scratch_free(&sb);
}

int main(int argc, char **argv)
{
    const char *tests_dir = argc > 1 ? argv[1] : "tests";
    const char *data_dir = argc > 2 ? argv[2] : "tests/data/logs";
    test_split();
    test_scan();
    test_scan_at();
    test_source();
    test_gunzip_one_way();
    test_pathinfo();
    test_load_sample(tests_dir);
    test_load_pasted_verbatim(tests_dir);
    test_load_buffer_cases();
    test_load_files();
    test_shared_data(data_dir);
    return harness_done("test_parsers");
}
