/* Unit tests for the export writer (model/export): each format written from a store is what a plain
 * reading of the store gives, byte for byte; gzip holds the same bytes; an existing file is refused
 * without force and replaced with it; failures leave no file behind; the mode is 0600. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "harness.h"
#include "model/query/export.h"
#include "model/json/jsonfmt.h"
#include "parsers/load.h"

static const char sample[] =
    "{\"Records\": [\n"
    "  {\"eventID\": \"a-1\", \"eventTime\": \"2024-03-01T10:00:00Z\", \"eventName\": \"GetObject\",\n"
    "   \"eventSource\": \"s3.amazonaws.com\", \"awsRegion\": \"eu-west-1\", \"recipientAccountId\": \"1\",\n"
    "   \"sourceIPAddress\": \"192.0.2.1\", \"userIdentity\": {\"type\": \"IAMUser\", \"arn\": \"arn:x\"}},\n"
    "  {\"eventID\": \"a-2\", \"eventTime\": \"2024-03-01T10:00:01Z\", \"eventName\": \"=cmd\",\n"
    "   \"errorCode\": \"Access,Denied\", \"errorMessage\": \"say \\\"no\\\"\",\n"
    "   \"userIdentity\": {\"type\": \"IAMUser\", \"userName\": \"b\\u00e9b\"}},\n"
    "  {\"eventID\": \"a-3\", \"eventName\": \"NoTime\"}\n"
    "]}\n";

/* The whole content of path (gunzipped when gz), NUL-terminated; *len set. Owned by the caller. */
static char *slurp(const char *path, int gz, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (gz) {
        gzFile f = gzopen(path, "rb");
        int r;
        while (f && (r = gzread(f, buf + n, (unsigned)(cap - n - 1))) > 0) {
            n += (size_t)r;
            if (cap - n < 2)
                buf = realloc(buf, cap *= 2);
        }
        if (f)
            gzclose(f);
    } else {
        FILE *f = fopen(path, "rb");
        size_t r;
        while (f && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
            n += r;
            if (cap - n < 2)
                buf = realloc(buf, cap *= 2);
        }
        if (f)
            fclose(f);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int is_gzip(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char m[2] = {0, 0};
    if (f) {
        if (fread(m, 1, 2, f) != 2)
            m[0] = 0;
        fclose(f);
    }
    return m[0] == 0x1f && m[1] == 0x8b;
}

/* Files in dir whose name starts with a dot (temporary files left behind). */
static int hidden_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

/* What each format must hold, built from the store without the writer. */
static char *expected(struct store *s, const uint32_t *idx, size_t n, enum export_format f)
{
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    if (f == EXPORT_RECORDS)
        len += (size_t)snprintf(out + len, cap - len, "{\"Records\":[");
    if (f == EXPORT_CSV)
        len += (size_t)snprintf(out + len, cap - len,
                                "eventTime,recipientAccountId,awsRegion,eventSource,eventName,identity,"
                                "sourceIPAddress,errorCode,eventID,errorMessage\r\n");
    /* the CSV rows written out by hand: time, account, region, source, name, identity, ip, code, id,
     * message; a leading = is defused, commas and quotes quoted, an absent time is empty */
    static const char *const rows[] = {
        "2024-03-01T10:00:00Z,1,eu-west-1,s3.amazonaws.com,GetObject,arn:x,192.0.2.1,,a-1,\r\n",
        "2024-03-01T10:00:01Z,,,,\"'=cmd\",b\303\251b,,\"Access,Denied\",a-2,\"say \"\"no\"\"\"\r\n",
        ",,,,NoTime,,,,a-3,\r\n",
    };
    for (size_t i = 0; i < n; i++) {
        if (f == EXPORT_CSV) {
            len += (size_t)snprintf(out + len, cap - len, "%s", rows[idx[i]]);
            continue;
        }
        size_t rl;
        char *err = NULL;
        const char *raw = store_raw(s, &s->events[idx[i]], &rl, &err);
        CHECK(raw != NULL);
        if (!raw)
            continue;
        if (f == EXPORT_RECORDS) {
            len += (size_t)snprintf(out + len, cap - len, "%s%.*s", i ? ",\n" : "\n", (int)rl, raw);
        } else {
            char *m = malloc(rl + 1);
            size_t ml = jsonfmt_minify(raw, rl, m);
            len += (size_t)snprintf(out + len, cap - len, "%.*s\n", (int)ml, m);
            free(m);
        }
    }
    if (f == EXPORT_RECORDS)
        snprintf(out + len, cap - len, n ? "\n]}\n" : "]}\n");
    return out;
}

static void test_formats(const char *dir)
{
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "in.json", sample, strlen(sample)), 0);
    CHECK_INT(s->nevents, 3);
    /* a-2 is second in time order; the untimed a-3 last */
    uint32_t all[] = {0, 1, 2}, some[] = {1};
    char path[4200];
    for (int f = 0; f <= EXPORT_CSV; f++) { /* the formats of the events' own fields (timesketch: test_timeline.py) */
        for (int gz = 0; gz < 2; gz++) {
            for (int pick = 0; pick < 3; pick++) {
                const uint32_t *idx = pick == 0 ? all : some;
                size_t n = pick == 0 ? 3 : pick == 1 ? 1 : 0;
                snprintf(path, sizeof path, "%s/out-%d-%d-%d%s", dir, f, gz, pick,
                         export_extension((enum export_format)f, gz));
                struct export_opts o = {(enum export_format)f, gz, 0, NULL};
                char *err = NULL;
                CHECK_INT(export_events(s, idx, n, path, &o, &err), EXPORT_OK);
                CHECK(err == NULL);
                free(err);
                CHECK_INT(is_gzip(path), gz);
                size_t len;
                char *got = slurp(path, gz, &len);
                char *want = expected(s, idx, n, (enum export_format)f);
                CHECK_STR(got, want);
                free(got);
                free(want);
                struct stat st;
                CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
            }
        }
    }
    CHECK_INT(hidden_files(dir), 0);

    /* an existing file: refused and untouched without force, replaced with it */
    snprintf(path, sizeof path, "%s/exists.json", dir);
    FILE *fp = fopen(path, "w");
    fputs("keep me", fp);
    fclose(fp);
    struct export_opts o = {EXPORT_JSONL, 0, 0, NULL};
    char *err = NULL;
    CHECK_INT(export_events(s, all, 3, path, &o, &err), EXPORT_EXISTS);
    size_t len;
    char *got = slurp(path, 0, &len);
    CHECK_STR(got, "keep me");
    free(got);
    o.force = 1;
    CHECK_INT(export_events(s, all, 3, path, &o, &err), EXPORT_OK);
    got = slurp(path, 0, &len);
    CHECK(strncmp(got, "{\"eventID\":\"a-1\"", 16) == 0);
    free(got);

    /* a folder that is not there: failed, said with the folder and the system's reason */
    snprintf(path, sizeof path, "%s/no/such/x.json", dir);
    CHECK_INT(export_events(s, all, 3, path, &o, &err), EXPORT_FAILED);
    CHECK(err && strstr(err, "/no/such") && strstr(err, "No such file or directory"));
    free(err);
    err = NULL;
    /* a directory as the target */
    CHECK_INT(export_events(s, all, 3, dir, &o, &err), EXPORT_FAILED);
    CHECK(err && strstr(err, "is a directory"));
    free(err);
    CHECK_INT(hidden_files(dir), 0);
    store_free(s);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* An event whose file changed since it was loaded costs only itself: the export writes the others and
 * names what it left out (issue 28: one such event made every export that included it fail). */
static void test_bytes_gone(const char *dir)
{
    char stays[4096], changes[4096], path[4096];
    snprintf(stays, sizeof stays, "%s/stays.json", dir);
    snprintf(changes, sizeof changes, "%s/changes.json", dir);
    write_file(stays, "{\"Records\":[{\"eventID\":\"s-1\",\"eventTime\":\"2024-03-01T10:00:00Z\"}]}\n");
    write_file(changes, "{\"Records\":[{\"eventID\":\"c-1\",\"eventTime\":\"2024-03-01T11:00:00Z\"},"
                        "{\"eventID\":\"c-2\",\"eventTime\":\"2024-03-01T12:00:00Z\"}]}\n");
    struct store *s = store_new();
    const char *paths[] = {stays, changes};
    CHECK_INT(load_paths(s, paths, 2, NULL, NULL), 0);
    CHECK_INT(s->nevents, 3);
    write_file(changes, "{\"Records\":[]}\n"); /* rewritten: its events' bytes are gone */
    uint32_t all[] = {0, 1, 2};
    for (int f = EXPORT_RECORDS; f <= EXPORT_JSONL; f++) {
        snprintf(path, sizeof path, "%s/partial-%d.json", dir, f);
        struct export_opts o = {(enum export_format)f, 0, 0, NULL};
        char *err = NULL;
        CHECK_INT(export_events(s, all, 3, path, &o, &err), EXPORT_PARTIAL);
        CHECK(err && strstr(err, "left out 2 events whose files changed") && strstr(err, "changes.json"));
        free(err);
        size_t len;
        char *got = slurp(path, 0, &len);
        CHECK(got && strstr(got, "s-1") && !strstr(got, "c-1"));
        if (f == EXPORT_RECORDS) { /* still a file ctview reads back */
            struct store *back = store_new();
            const char *again[] = {path};
            CHECK_INT(load_paths(back, again, 1, NULL, NULL), 0);
            CHECK_INT(back->nevents, 1);
            CHECK_INT(back->problems.count, 0);
            store_free(back);
        }
        free(got);
    }
    CHECK_INT(hidden_files(dir), 0);
    store_free(s);
}

static void test_names(void)
{
    CHECK_STR(export_format_name(EXPORT_JSONL), "jsonl");
    CHECK_INT(export_format_parse("csv"), EXPORT_CSV);
    CHECK_INT(export_format_parse("xml"), EXPORT__COUNT);
    CHECK_STR(export_extension(EXPORT_RECORDS, 1), ".json.gz");
    CHECK_STR(export_extension(EXPORT_JSONL, 0), ".jsonl");
}

int main(void)
{
    char tmpl[] = "/tmp/ctview-test-export-XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (dir) {
        test_formats(dir);
        test_bytes_gone(dir);
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CHECK_INT(system(cmd), 0);
    }
    test_names();
    return harness_done("test_export");
}
