/* Unit tests of model/: interning, time, escaping, JSON layout, columns. */
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model/query/export.h"
#include "model/store/intern.h"
#include "model/json/jsonfmt.h"
#include "model/json/jsonout.h"
#include "model/present/textfit.h"
#include "model/present/textsafe.h"
#include "model/base/timefmt.h"
#include "model/base/atomicfile.h"
#include "model/base/errmsg.h"
#include "model/base/grow.h"
#include "model/base/hash.h"

static void test_intern(void)
{
    struct intern *t = intern_new();
    CHECK(t != NULL);
    CHECK_INT(intern_add(t, "", 0), 0);
    uint32_t a = intern_add(t, "us-east-1", 9), b = intern_add(t, "us-east-2", 9);
    CHECK(a != 0 && b != 0 && a != b);
    CHECK_INT(intern_add(t, "us-east-1", 9), a);
    CHECK_INT(intern_find(t, "us-east-2", 9), b);
    CHECK_INT(intern_find(t, "eu-west-1", 9), UINT32_MAX);
    CHECK_STR(intern_str(t, a), "us-east-1");
    CHECK_INT(intern_len(t, b), 9);
    /* growth keeps every id and pointer valid */
    const char *first = intern_str(t, a);
    char buf[32];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(buf, sizeof buf, "key-%d", i);
        intern_add(t, buf, (size_t)n);
    }
    CHECK(intern_str(t, a) == first);
    CHECK_INT(intern_find(t, "key-99999", 9), intern_add(t, "key-99999", 9));
    CHECK_INT(intern_count(t), 100003);
    /* a string with an embedded NUL is its own string, compared by length */
    uint32_t z = intern_add(t, "a\0b", 3);
    CHECK(z != intern_add(t, "a", 1));
    intern_free(t);
}

static void test_time(void)
{
    static const struct {
        const char *in;
        int ok;
        long long ms;
    } cases[] = {
        {"2014-07-15T21:40:14Z", 1, 1405460414000LL},
        {"1970-01-01T00:00:00Z", 1, 0},
        {"2024-02-29T12:00:00.123Z", 1, 1709208000123LL},
        {"2024-02-29T12:00:00.123456Z", 1, 1709208000123LL},
        {"2024-03-01", 1, 1709251200000LL},
        {"2024-03-01T10:00", 1, 1709287200000LL},
        {"2024-03-01T12:00:00+02:00", 1, 1709287200000LL},
        {"2024-03-01 10:00:00", 1, 1709287200000LL},
        {"2023-02-29T00:00:00Z", 0, 0},
        {"2024-13-01T00:00:00Z", 0, 0},
        {"2024-03-01T24:00:00Z", 0, 0},
        {"Jul 18, 2014 4:07:39 PM", 0, 0},
        {"2024-03-01Tgarbage", 0, 0},
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t ms = -1;
        int rc = timefmt_parse(cases[i].in, strlen(cases[i].in), &ms);
        CHECK_INT(rc == 0, cases[i].ok);
        if (cases[i].ok)
            CHECK_INT(ms, cases[i].ms);
    }
    char buf[TIMEFMT_BUF];
    CHECK_STR(timefmt_format(1405460414000LL, buf), "2014-07-15T21:40:14Z");
    CHECK_STR(timefmt_format(1709208000123LL, buf), "2024-02-29T12:00:00.123Z");
    CHECK_STR(timefmt_format(TIME_NONE, buf), "-");
    CHECK_STR(timefmt_format(-1000, buf), "1969-12-31T23:59:59Z");
}

static void test_textsafe(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain ascii", "plain ascii"},
        {"\x1b[31mred", "\\x1b[31mred"},
        {"\x1b]0;title\x07", "\\x1b]0;title\\x07"},
        {"tab\there\nnl", "tab\\x09here\\x0anl"},
        {"c1 \xc2\x9b", "c1 \\x9b"},             /* U+009B CSI */
        {"bidi \xe2\x80\xae!", "bidi \\u202e!"}, /* U+202E RIGHT-TO-LEFT OVERRIDE */
        {"zw \xe2\x80\x8b.", "zw \\u200b."},     /* U+200B ZERO WIDTH SPACE */
        {"bad \xff\xfe", "bad \\xff\\xfe"},
        {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
        {"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac"}, /* é, CJK kept */
        {"del \x7f", "del \\x7f"},
        {"soft\xc2\xadhyphen", "soft\\xadhyphen"}, /* U+00AD: invisible, escaped (fuzz_textsafe) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *e = textsafe_escape_dup(cases[i].in, strlen(cases[i].in));
        CHECK_STR(e, cases[i].out);
        free(e);
    }
    /* snprintf-like truncation */
    char small[6];
    size_t need = textsafe_escape("\x1b\x1b", 2, small, sizeof small);
    CHECK_INT(need, 8);
    CHECK_STR(small, "\\x1b\\");
    /* a NUL inside the text is escaped, not a terminator */
    char *e = textsafe_escape_dup("a\0b", 3);
    CHECK_STR(e, "a\\x00b");
    free(e);
}

/* The units the TUI draws: printable characters with their width, escape text for the rest. */
static void test_text_units(void)
{
    static const struct {
        const char *in, *esc;
        int width, len;
    } cases[] = {
        {"a", "", 1, 1},
        {"\xc3\xa9", "", 1, 2},                 /* é */
        {"\xe6\x97\xa5", "", 2, 3},             /* CJK: two columns */
        {"\xf0\x9f\x98\x80", "", 2, 4},         /* emoji */
        {"\xcc\x81x", "\\u0301", 6, 2},         /* a combining mark: no width, escaped */
        {"\xe2\x80\xae", "\\u202e", 6, 3},      /* RIGHT-TO-LEFT OVERRIDE */
        {"\xc2\x9b[2J", "\\x9b", 4, 2},         /* C1 CSI */
        {"\x1b]0;t", "\\x1b", 4, 1},            /* ESC */
        {"\xff", "\\xff", 4, 1},                /* not UTF-8 */
        {"\xe6\x97", "\\xe6", 4, 1},            /* a cut character: one byte at a time */
        {"\xf3\xa0\x80\x81", "\\ue0001", 7, 4}, /* LANGUAGE TAG: invisible */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct text_unit u;
        textsafe_next_unit(cases[i].in, strlen(cases[i].in), &u);
        CHECK_STR(u.esc, cases[i].esc);
        CHECK_INT(u.width, cases[i].width);
        CHECK_INT(u.len, cases[i].len);
    }
}

static void test_jsonfmt(void)
{
    const char *rec = "{\"a\":1,\"b\":{\"c\":[true,null,\"x\"],\"d\":{}},\"e\":[]}";
    struct json_doc d;
    CHECK_INT(jsonfmt_pretty(rec, strlen(rec), 2, &d), 0);
    static const char *const want[] = {
        "{",           "  \"a\": 1,", "  \"b\": {",    "    \"c\": [", "      true,", "      null,",
        "      \"x\"", "    ],",      "    \"d\": {}", "  },",         "  \"e\": []", "}",
    };
    CHECK_INT(d.nlines, sizeof want / sizeof *want);
    for (size_t i = 0; i < d.nlines && i < sizeof want / sizeof *want; i++) {
        char line[64];
        snprintf(line, sizeof line, "%.*s", (int)d.lines[i].len, d.text + d.lines[i].off);
        CHECK_STR(line, want[i]);
    }
    CHECK_INT(d.lines[0].close, 11);
    CHECK_INT(d.lines[2].close, 9);
    CHECK_INT(d.lines[3].close, 7);
    CHECK_INT(d.lines[8].close, -1); /* "d": {} cannot fold */
    CHECK_INT(d.cls[d.lines[1].off + 2], JC_KEY);
    CHECK_INT(d.cls[d.lines[1].off + 7], JC_NUMBER);
    CHECK_INT(d.cls[d.lines[4].off + 6], JC_LITERAL);
    /* the value a line copies (y in the detail): containers minified, scalars as pasted */
    static const struct {
        size_t line;
        int rc;
        const char *value;
    } copies[] = {
        {0, 1, "{\"a\":1,\"b\":{\"c\":[true,null,\"x\"],\"d\":{}},\"e\":[]}"},
        {1, 1, "1"},
        {2, 1, "{\"c\":[true,null,\"x\"],\"d\":{}}"},
        {3, 1, "[true,null,\"x\"]"},
        {5, 1, "null"},
        {6, 1, "x"},
        {7, 0, NULL},
        {8, 1, "{}"},
        {10, 1, "[]"},
        {11, 0, NULL},
    };
    for (size_t i = 0; i < sizeof copies / sizeof *copies; i++) {
        char *v = NULL;
        size_t vlen = 0;
        CHECK_INT(jsonfmt_line_copy(&d, copies[i].line, &v, &vlen), copies[i].rc);
        if (copies[i].value && v) {
            CHECK_STR(v, copies[i].value);
            CHECK_INT(vlen, strlen(copies[i].value));
        }
        free(v);
    }
    jsonfmt_free(&d);
    /* a string's text unescaped */
    const char *esc = "{\"s\":\"a\\\"b\\u00e9\"}";
    CHECK_INT(jsonfmt_pretty(esc, strlen(esc), 2, &d), 0);
    char *v = NULL;
    size_t vlen = 0;
    CHECK_INT(jsonfmt_line_copy(&d, 1, &v, &vlen), 1);
    CHECK_STR(v ? v : "", "a\"b\xc3\xa9");
    free(v);
    jsonfmt_free(&d);

    /* numbers keep their exact text; escapes are not decoded */
    const char *exact = "{\"n\":12345678901234567890.50,\"s\":\"\\u001b[31m\"}";
    CHECK_INT(jsonfmt_pretty(exact, strlen(exact), 2, &d), 0);
    CHECK(memmem(d.text, d.text_len, "12345678901234567890.50", 23) != NULL);
    CHECK(memmem(d.text, d.text_len, "\"\\u001b[31m\"", 12) != NULL);
    jsonfmt_free(&d);

    /* broken input is laid out as far as it goes, never rejected */
    const char *broken = "{\"a\": \"b\" \"c\": [1, 2";
    CHECK_INT(jsonfmt_pretty(broken, strlen(broken), 2, &d), 0);
    CHECK(d.nlines >= 3);
    jsonfmt_free(&d);

    /* deep nesting does not explode the output */
    size_t deep = 10000;
    char *nest = malloc(deep * 2 + 1);
    memset(nest, '[', deep);
    memset(nest + deep, ']', deep);
    nest[deep * 2] = '\0';
    CHECK_INT(jsonfmt_pretty(nest, deep * 2, 2, &d), 0);
    CHECK(d.text_len < deep * 2 * 2 * 70);
    jsonfmt_free(&d);
    free(nest);

    char out[64];
    const char *spaced = "{ \"a\" : [ 1 , 2 ] , \"b c\" : \"x y\" }";
    size_t n = jsonfmt_minify(spaced, strlen(spaced), out);
    out[n] = '\0';
    CHECK_STR(out, "{\"a\":[1,2],\"b c\":\"x y\"}");
}

static void test_csv_field(void)
{
    static const char *const cases[][2] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rhere", "\"cr\rhere\""},
        {"=1+2", "\"'=1+2\""},
        {"+1", "\"'+1\""},
        {"-cmd", "\"'-cmd\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\tx", "\"'\tx\""},
        {"a=b", "a=b"},
        {"2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[64];
        export_csv_field(cases[i][0], out, sizeof out);
        CHECK_STR(out, cases[i][1]);
    }
    char small[4];
    CHECK_INT(export_csv_field("abcdef", small, sizeof small), 3); /* cut, still terminated */
    CHECK_STR(small, "abc");
    CHECK_INT(export_format_parse("jsonl"), EXPORT_JSONL);
    CHECK_INT(export_format_parse("JSONL"), EXPORT__COUNT);
    CHECK_STR(export_extension(EXPORT_CSV, 1), ".csv.gz");
}

/* The one JSON string writer: escapes, control characters, invalid UTF-8 one U+FFFD per byte, valid UTF-8
 * kept; a record as logged keeps its escapes and whitespace and only its invalid bytes change. */
static void test_jsonout(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"a\"b\\c/", "a\\\"b\\\\c/"},
        {"\x1b[31m\x7f\n", "\\u001b[31m\\u007f\\u000a"},
        {"\x9b", "\\ufffd"},
        {"\xe2\x82(", "\\ufffd\\ufffd("},          /* a cut sequence: each byte */
        {"\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"}, /* an encoded surrogate */
        {"\xc0\xaf", "\\ufffd\\ufffd"},            /* overlong */
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
        {"\xf0\x9f\x98", "\\ufffd\\ufffd\\ufffd"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = jsonout_escape(cases[i].in, strlen(cases[i].in), out);
        CHECK(n <= JSONOUT_ESCAPED_MAX(strlen(cases[i].in)));
        out[n] = '\0';
        CHECK_STR(out, cases[i].want);
    }
    static const struct {
        const char *in, *pretty, *min;
    } recs[] = {
        {"{ \"a\" : \"x\\\"y\\u00e9\\\\\",\n\t\"b\": [1, true] }",
         "{ \"a\" : \"x\\\"y\\u00e9\\\\\",\n\t\"b\": [1, true] }",
         "{\"a\":\"x\\\"y\\u00e9\\\\\",\"b\":[1,true]}"},
        {"{\"n\":\"\x1b\x9b\x7f\xc3\xa9\"}", "{\"n\":\"\\u001b\\ufffd\x7f\xc3\xa9\"}",
         "{\"n\":\"\\u001b\\ufffd\x7f\xc3\xa9\"}"},
        {"{\"a\":1,\x01\"b\":\"c\\\x01\"}", "{\"a\":1, \"b\":\"c\\\\\\u0001\"}",
         "{\"a\":1,\"b\":\"c\\\\\\u0001\"}"},
        {"{\"cut\":\"ab\\", "{\"cut\":\"ab\\\\", "{\"cut\":\"ab\\\\"},
    };
    for (size_t i = 0; i < sizeof recs / sizeof *recs; i++) {
        size_t len = strlen(recs[i].in);
        char *buf = malloc(JSONOUT_ESCAPED_MAX(len) + 1);
        buf[jsonout_record(recs[i].in, len, 0, buf)] = '\0';
        CHECK_STR(buf, recs[i].pretty);
        buf[jsonout_record(recs[i].in, len, 1, buf)] = '\0';
        CHECK_STR(buf, recs[i].min);
        free(buf);
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* The one atomic write: the whole new content or the old one, mode 0600 whatever the umask, no
 * temporary file left behind, and an existing file kept when asked not to replace it. */
static void test_atomicfile(void)
{
    char dir[] = "/tmp/ctview-atomic-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64], *err = NULL;
    snprintf(path, sizeof path, "%s/f", dir);
    mode_t old = umask(0);
    CHECK_INT(atomicfile_write(path, "one\n", 4, &err), 0);
    umask(old);
    CHECK(err == NULL);
    CHECK_STR(slurp(path), "one\n");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK_INT(atomicfile_write(path, "two", 3, &err), 0);
    CHECK_STR(slurp(path), "two");
    CHECK_INT(entries(dir), 1);
    struct atomicfile a;
    CHECK_INT(atomicfile_open(&a, path), 0);
    CHECK(write(a.fd, "three", 5) == 5);
    CHECK_INT(atomicfile_sync(&a), 0);
    CHECK_INT(atomicfile_place(&a, 0), 1); /* f exists: kept */
    atomicfile_done(&a);
    CHECK_STR(slurp(path), "two");
    CHECK_INT(entries(dir), 1);
    /* a write abandoned half-way leaves the old file and no temporary one */
    CHECK_INT(atomicfile_open(&a, path), 0);
    CHECK(write(a.fd, "thr", 3) == 3);
    atomicfile_done(&a);
    CHECK_STR(slurp(path), "two");
    CHECK_INT(entries(dir), 1);
    /* a folder that is a file: the message names the file and the reason */
    char under[80];
    snprintf(under, sizeof under, "%s/sub", path);
    CHECK_INT(atomicfile_write(under, "x", 1, &err), -1);
    CHECK(err && strstr(err, "cannot write") && strstr(err, under) && strstr(err, strerror(ENOTDIR)));
    free(err);
    CHECK_INT(errmsg_set(&err, "%s: byte %d: %s", "f.json", 12, "bad"), -1);
    CHECK_STR(err, "f.json: byte 12: bad");
    free(err);
    unlink(path);
    rmdir(dir);
}

/* The one mix: the finaliser the tables and dedupe keys were built on, value for value. */
static void test_hash(void)
{
    CHECK(hash_mix64(0) == 0);
    CHECK(hash_mix64(1) == 0xb456bcfc34c2cb2cull);
    CHECK(hash_mix64(0x123456789abcdef0ull) == 0x18b8c062f6f42398ull);
}

/* The one growth: doubling from a first capacity, and a size that does not fit refused, not wrapped. */
static void test_grow(void)
{
    uint32_t *v = NULL;
    size_t cap = 0;
    CHECK_INT(grow_array_from((void **)&v, &cap, 5, sizeof *v, 8), 0);
    CHECK_INT(cap, 8);
    CHECK_INT(grow_array_from((void **)&v, &cap, 8, sizeof *v, 8), 0);
    CHECK_INT(cap, 8);
    CHECK_INT(grow_array_from((void **)&v, &cap, 33, sizeof *v, 8), 0);
    CHECK_INT(cap, 64);
    v[63] = 7;
    uint32_t *before = v;
    CHECK_INT(grow_array((void **)&v, &cap, SIZE_MAX / 2, 16), -1);
    CHECK(v == before && cap == 64 && v[63] == 7);
    free(v);
    char *b = NULL;
    size_t bcap = 0;
    CHECK_INT(grow_array((void **)&b, &bcap, 1, 1), 0);
    CHECK_INT(bcap, 64);
    free(b);
}

/* The lines textfit_wrap makes of s in width columns (max lines), "|" between them, "…" where it cuts. */
static void wrapped(const char *s, int width, size_t max, char *out, size_t cap)
{
    struct textfit_line lines[8];
    size_t n = textfit_wrap(s, strlen(s), width, lines, max);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        snprintf(out + strlen(out), cap - strlen(out), "%s%s%.*s%s", i ? "|" : "", lines[i].lead ? "…" : "",
                 (int)lines[i].len, s + lines[i].start, lines[i].trail ? "…" : "");
        int w = textfit_width(s + lines[i].start, lines[i].len) + lines[i].lead + lines[i].trail;
        CHECK(w <= width);
    }
}

static void test_textfit(void)
{
    int cut;
    CHECK_INT(textfit_head("378310081341", 12, 12, &cut), 12);
    CHECK_INT(cut, 0);
    CHECK_INT(textfit_head("CreateLogStream", 15, 12, &cut), 11); /* "CreateLogSt" and the ellipsis */
    CHECK_INT(cut, 1);
    CHECK_INT(textfit_head("\xe6\x97\xa5\xe6\x9c\xac", 6, 3, &cut), 3); /* wide: one of two fits in 2 */
    CHECK_INT(textfit_head("a\x1b" "b", 3, 4, &cut), 1);                     /* \x1b is 4 columns */
    const char *p = "/tmp/some/folder/ctview-export-20261207-190633.json";
    size_t from = textfit_tail(p, strlen(p), 40, &cut);
    CHECK_INT(cut, 1);
    CHECK_STR(p + from, "/ctview-export-20261207-190633.json"); /* from a '/', within 39 columns */
    from = textfit_tail(p, strlen(p), 20, &cut);
    CHECK_STR(p + from, "0261207-190633.json"); /* no '/' in the 19 columns that fit */
    CHECK_INT(textfit_tail(p, strlen(p), 80, &cut), 0);
    CHECK_INT(cut, 0);
    char out[512];
    wrapped("wrote 3 events to ctview-export-20261207-190633.json (1267 bytes, OSC 52)", 40, 4, out,
            sizeof out);
    CHECK_STR(out, "wrote 3 events to|ctview-export-20261207-190633.json (1267|bytes, OSC 52)");
    wrapped("wrote 3 events to /tmp/some/folder/ctview-export-20261207-190633.json", 40, 4, out, sizeof out);
    CHECK_STR(out, "wrote 3 events to|…/ctview-export-20261207-190633.json");
    wrapped("one two three four five six", 10, 2, out, sizeof out);
    CHECK_STR(out, "one two|three …"); /* cut between words */
    wrapped("abcdefghijklmnop rest", 10, 1, out, sizeof out);
    CHECK_STR(out, "abcdefghi…");
    wrapped("  fits  ", 10, 1, out, sizeof out);
    CHECK_STR(out, "fits");
    wrapped("", 10, 3, out, sizeof out);
    CHECK_STR(out, "");
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8"); /* character widths */
    test_csv_field();
    test_intern();
    test_time();
    test_textsafe();
    test_textfit();
    test_text_units();
    test_jsonfmt();
    test_jsonout();
    test_atomicfile();
    test_hash();
    test_grow();
    return harness_done("test_model");
}
