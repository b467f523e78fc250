/* Unit tests for path indexes built on worker threads (model/index/pathbuild.c): on a generated tree of plain
 * and gzip files, with arrays, null, missing keys, unicode escapes and lookup-events records, the
 * threaded index equals the one-thread one (value ids included); an index extended for events loaded
 * later (also while a build runs) equals a fresh one; a file changed since it was loaded is reported,
 * never read as something else. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "model/index/pathindex.h"
#include "parsers/load.h"

#define FILES    24
#define PER_FILE 60

static unsigned rng = 12345;

static unsigned next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* Appends one event's JSON to buf; t is its second (unique across the tree). */
static void put_event(char *buf, size_t cap, int t, int file, int k)
{
    size_t at = strlen(buf);
    char rp[600];
    switch (next_rand() % 7) {
    case 0:
        snprintf(rp, sizeof rp, "\"requestParameters\":null,");
        break;
    case 1:
        rp[0] = '\0'; /* missing */
        break;
    case 2:
        snprintf(
            rp, sizeof rp,
            "\"requestParameters\":{\"bucketName\":\"b%u\",\"tags\":[{\"key\":\"k%u\",\"value\":\"caf\\u00e9"
            "\"},{\"key\":\"x\",\"value\":null},{\"key\":\"\\ud83d\\ude00\"}],\"n\":%u},",
            next_rand() % 9, next_rand() % 4, next_rand() % 100);
        break;
    case 3:
        snprintf(rp, sizeof rp,
                 "\"requestParameters\":{\"bucketName\":null,\"tags\":[],\"n\":1.50,\"deep\":[[{\"a\":true}],"
                 "{\"a\":false}]},");
        break;
    case 4:
        snprintf(rp, sizeof rp, "\"requestParameters\":{\"bucketName\":\"\",\"tags\":{\"key\":\"solo\"}},");
        break;
    case 5:
        snprintf(rp, sizeof rp, "\"requestParameters\":{\"bucketName\":[\"a\",\"b%u\",null],\"n\":-3e2},",
                 next_rand() % 3);
        break;
    default:
        snprintf(rp, sizeof rp, "\"requestParameters\":{\"bucketName\":\"tab\\tq\\\"s\\\\\"},");
        break;
    }
    snprintf(buf + at, cap - at,
             "{\"eventVersion\":\"1.08\",\"eventID\":\"f%d-%d\",\"eventTime\":\"2024-03-01T%02d:%02d:%02dZ\","
             "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\","
             "%s\"resources\":[{\"ARN\":\"arn:%u\"}]}",
             file, k, t / 3600, t / 60 % 60, t % 60, rp, next_rand() % 5);
}

/* Escapes the JSON text in for a JSON string (a lookup-events record's CloudTrailEvent). */
static void escape_into(char *out, size_t cap, const char *in)
{
    size_t o = strlen(out);
    for (; *in && o + 3 < cap; in++) {
        if (*in == '"' || *in == '\\')
            out[o++] = '\\';
        out[o++] = *in;
    }
    out[o] = '\0';
}

static char dir[] = "/tmp/ctview-pathbuild-XXXXXX";
static char names[FILES][256];
static int times[FILES * PER_FILE];

/* Writes file f of the tree: every third a lookup-events file, every other a gzip file. */
static void write_file(int f)
{
    static char body[FILES * PER_FILE * 1024], one[4096];
    int lookup = f % 3 == 2, gz = f % 2 == 1;
    snprintf(names[f], sizeof names[f], "%s/f%02d.json%s", dir, f, gz ? ".gz" : "");
    strcpy(body, lookup ? "{\"Events\":[" : "{\"Records\":[");
    for (int k = 0; k < PER_FILE; k++) {
        if (k)
            strcat(body, ",");
        one[0] = '\0';
        put_event(one, sizeof one, times[f * PER_FILE + k], f, k);
        if (lookup) {
            strcat(body, "{\"EventId\":\"x\",\"CloudTrailEvent\":\"");
            escape_into(body, sizeof body, one);
            strcat(body, "\"}");
        } else {
            strcat(body, one);
        }
    }
    strcat(body, "]}");
    if (gz) {
        gzFile g = gzopen(names[f], "wb");
        CHECK(g != NULL);
        gzwrite(g, body, (unsigned)strlen(body));
        gzclose(g);
    } else {
        FILE *o = fopen(names[f], "w");
        CHECK(o != NULL);
        fputs(body, o);
        fclose(o);
    }
}

static void make_tree(void)
{
    CHECK(mkdtemp(dir) != NULL);
    for (int i = 0; i < FILES * PER_FILE; i++)
        times[i] = i;
    for (int i = FILES * PER_FILE - 1; i > 0; i--) { /* events interleave the files in time */
        int j = (int)(next_rand() % (unsigned)(i + 1)), t = times[i];
        times[i] = times[j];
        times[j] = t;
    }
    for (int f = 0; f < FILES; f++)
        write_file(f);
}

static void remove_tree(void)
{
    for (int f = 0; f < FILES; f++)
        unlink(names[f]);
    rmdir(dir);
}

static struct store *load_tree(void)
{
    struct store *s = store_new();
    const char *paths[] = {dir};
    CHECK(s && load_paths(s, paths, 1, NULL, NULL) == 0);
    return s;
}

static struct pathindex *index_of(struct store *s, const char *text, int threads)
{
    struct path p;
    struct path_error err;
    CHECK_INT(path_parse(text, strlen(text), &p, &err), 0);
    struct pathindex *x = pathindex_get(s, &p);
    path_free(&p);
    CHECK(x != NULL);
    int rc;
    while ((rc = pathindex_build_with(s, x, 100, threads, 0.001)) == 0)
        ;
    CHECK_INT(rc, 1);
    CHECK_INT(x->covered, s->nevents);
    CHECK_INT(x->ndone, s->nevents);
    return x;
}

/* Event i's values in x as text, joined by '|' ("(none)" when missing). */
static void values_of(const struct pathindex *x, size_t i, char *out, size_t cap)
{
    const uint32_t *ids;
    uint32_t one;
    size_t n = pathindex_ids(x, i, &ids, &one), at = 0;
    out[0] = '\0';
    for (size_t k = 0; k < n && at < cap; k++)
        at += (size_t)snprintf(out + at, cap - at, "%s%.*s", k ? "|" : "", (int)intern_len(x->values, ids[k]),
                               intern_str(x->values, ids[k]));
    if (n == 0)
        snprintf(out, cap, "(none)");
}

/* Whether two indexes of stores holding the same events in the same order hold the same values. */
static int same_values(struct store *a, const struct pathindex *x, struct store *b, const struct pathindex *y)
{
    if (a->nevents != b->nevents)
        return 0;
    for (size_t i = 0; i < a->nevents; i++) {
        char va[512], vb[512];
        values_of(x, i, va, sizeof va);
        values_of(y, i, vb, sizeof vb);
        if (strcmp(store_str(a, &a->events[i], EF_EVENT_ID), store_str(b, &b->events[i], EF_EVENT_ID)) != 0 ||
            strcmp(va, vb) != 0) {
            fprintf(stderr, "event %zu: %s / %s\n", i, va, vb);
            return 0;
        }
    }
    return 1;
}

static const char *const paths[] = {
    "requestParameters.bucketName",
    "requestParameters.tags.key",
    "requestParameters.tags.value",
    "requestParameters.tags",
    "requestParameters",
    "requestParameters.deep.a",
    "requestParameters.n",
    "resources.ARN",
    "eventVersion",
    "nothere.at.all",
};

/* The same index on one thread and on three: the same slots, lists and value table. */
static void test_threads_equal(void)
{
    struct store *a = load_tree(), *b = load_tree();
    CHECK_INT(a->nevents, FILES * PER_FILE);
    for (size_t p = 0; p < sizeof paths / sizeof *paths; p++) {
        struct pathindex *x = index_of(a, paths[p], 1), *y = index_of(b, paths[p], 3);
        CHECK(x->job == NULL && y->job == NULL);
        CHECK_INT(intern_count(x->values), intern_count(y->values));
        CHECK_INT(x->nmulti, y->nmulti);
        CHECK(memcmp(x->slot, y->slot, a->nevents * sizeof *x->slot) == 0);
        CHECK(x->nmulti == 0 || memcmp(x->multi, y->multi, x->nmulti * sizeof *x->multi) == 0);
        CHECK(same_values(a, x, b, y));
        CHECK_INT(y->unreadable, 0);
        pathindex_release(a, x);
        pathindex_release(b, y);
    }
    /* the values are what the bytes say: spot checks */
    struct pathindex *x = index_of(a, "requestParameters.tags.key", 2);
    size_t emoji = 0, solo = 0;
    for (size_t i = 0; i < a->nevents; i++) {
        char v[512];
        values_of(x, i, v, sizeof v);
        emoji += strstr(v, "|x|\xf0\x9f\x98\x80") != NULL;
        solo += strcmp(v, "solo") == 0;
    }
    CHECK(emoji > 0 && solo > 0);
    pathindex_release(a, x);
    store_free(a);
    store_free(b);
}

/* Holds every read of a source until `go`: a build is then surely running while the store changes. */
static store_reader_fn real_reader;
static atomic_int go;

static int held_reader(const struct source *src, char **data, size_t *len, char **err)
{
    while (!atomic_load(&go))
        usleep(1000);
    return real_reader(src, data, len, err);
}

/* Loads the tree file by file into one store, as the interface does (appended, then merged into time
 * order); the index of `path` is extended, not rebuilt, and equals a fresh one. */
static void test_extend(void)
{
    struct store *fresh = load_tree();
    const char *first[] = {names[0], names[1], names[2], names[3]};
    struct store *s = store_new();
    CHECK(load_paths(s, first, 4, NULL, NULL) == 0);
    for (size_t p = 0; p < 3; p++) {
        struct pathindex *x = index_of(s, paths[p], 2);
        size_t before = s->nevents;
        CHECK_INT(x->ndone, before);
        pathindex_release(s, x); /* kept: built */
    }
    /* more files while one index is held and another is being built on threads */
    struct pathindex *held = index_of(s, paths[0], 0);
    struct path p3;
    struct path_error perr;
    CHECK_INT(path_parse(paths[3], strlen(paths[3]), &p3, &perr), 0);
    struct pathindex *building = pathindex_get(s, &p3);
    path_free(&p3);
    real_reader = s->reader;
    store_set_reader(s, held_reader);
    atomic_store(&go, 0);
    CHECK_INT(pathindex_build_with(s, building, 1, 2, 0), 0);
    CHECK(building->job != NULL);
    size_t initial = s->nevents;
    for (int f = 4; f < FILES; f++) {
        size_t from = s->nevents;
        CHECK_INT(load_more(s, names[f]), 0);
        uint32_t *moved = NULL;
        CHECK_INT(store_merge_tail(s, from, &moved), 0);
        free(moved);
        CHECK_INT(held->ndone, initial); /* the first events kept their values, at their new places */
    }
    /* what it kept is right where it now is */
    struct pathindex *fx = index_of(fresh, paths[0], 1);
    size_t kept = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        char v[512], w[512];
        if (!pathindex_has(held, i))
            continue;
        values_of(held, i, v, sizeof v);
        values_of(fx, i, w, sizeof w);
        kept += strcmp(v, w) == 0;
    }
    CHECK_INT(kept, initial);
    atomic_store(&go, 1);
    int rc;
    while ((rc = pathindex_build_with(s, held, 50, 0, 0.001)) == 0)
        ;
    CHECK_INT(rc, 1);
    CHECK(same_values(s, held, fresh, fx));
    while ((rc = pathindex_build_with(s, building, 50, 0, 0.001)) == 0)
        ;
    CHECK_INT(rc, 1);
    struct pathindex *fy = index_of(fresh, paths[3], 1);
    CHECK(same_values(s, building, fresh, fy));
    for (size_t p = 1; p < 3; p++) { /* the cached ones too */
        struct pathindex *x = index_of(s, paths[p], 0), *y = index_of(fresh, paths[p], 1);
        CHECK(same_values(s, x, fresh, y));
        pathindex_release(s, x);
        pathindex_release(fresh, y);
    }
    pathindex_release(s, held);
    pathindex_release(s, building);
    pathindex_release(fresh, fx);
    pathindex_release(fresh, fy);
    store_free(s);
    store_free(fresh);
}

/* A file rewritten since the load: its events are unreadable (missing, counted, the reason kept), on
 * one thread and on several alike; the other files' events are right. */
static void test_changed(void)
{
    struct store *a = load_tree(), *b = load_tree(), *ref = load_tree();
    struct pathindex *r = index_of(ref, paths[0], 1);
    FILE *o = fopen(names[0], "a");
    CHECK(o != NULL);
    fputs("\n", o);
    fclose(o);
    for (int t = 0; t < 2; t++) {
        struct store *s = t ? b : a;
        struct pathindex *x = index_of(s, paths[0], t ? 3 : 1);
        CHECK_INT(x->unreadable, PER_FILE);
        CHECK(x->error && strstr(x->error, "changed since it was loaded"));
        size_t unreadable = 0;
        const char *why = pathindex_problem(s, &unreadable);
        CHECK(why && strstr(why, names[0]));
        CHECK_INT(unreadable, PER_FILE);
        size_t right = 0;
        for (size_t i = 0; i < s->nevents; i++) {
            char v[512], w[512];
            values_of(x, i, v, sizeof v);
            values_of(r, i, w, sizeof w);
            if (strcmp(s->sources[s->events[i].source].path, names[0]) == 0)
                CHECK_STR(v, "(none)");
            else
                right += strcmp(v, w) == 0;
        }
        CHECK_INT(right, s->nevents - PER_FILE);
        pathindex_release(s, x);
    }
    pathindex_release(ref, r);
    store_free(a);
    store_free(b);
    store_free(ref);
}

/* A large input (read by range, records alone): handed out in shares, the index on three threads equals
 * the one-thread one. */
static void test_large_input(void)
{
    enum { BIG = 5000 };
    char name[300], one[4096];
    snprintf(name, sizeof name, "%s/big.jsonl", dir);
    FILE *o = fopen(name, "w");
    CHECK(o != NULL);
    for (int k = 0; k < BIG && o; k++) {
        one[0] = '\0';
        put_event(one, sizeof one, (k * 7919) % BIG, 99, k);
        fprintf(o, "%s\n", one);
    }
    if (o)
        fclose(o);
    setenv("CTVIEW_BIG_BYTES", "1", 1);
    struct store *a = store_new(), *b = store_new();
    const char *in[] = {name};
    CHECK(a && b && load_paths(a, in, 1, NULL, NULL) == 0 && load_paths(b, in, 1, NULL, NULL) == 0);
    unsetenv("CTVIEW_BIG_BYTES");
    CHECK_INT(a->nevents, BIG);
    CHECK(a->nsources == 1 && a->sources[0].kind == SOURCE_RANGE);
    for (size_t p = 0; p < 4; p++) {
        struct pathindex *x = index_of(a, paths[p], 1), *y = index_of(b, paths[p], 3);
        CHECK_INT(intern_count(x->values), intern_count(y->values));
        CHECK(memcmp(x->slot, y->slot, a->nevents * sizeof *x->slot) == 0);
        CHECK(same_values(a, x, b, y));
        CHECK_INT(y->unreadable, 0);
        pathindex_release(a, x);
        pathindex_release(b, y);
    }
    store_free(a);
    store_free(b);
    unlink(name);
}

int main(void)
{
    make_tree();
    test_threads_equal();
    test_extend();
    test_changed();
    test_large_input();
    remove_tree();
    printf("%d checks, %d failures\n", harness_checks, harness_failures);
    return harness_failures != 0;
}
