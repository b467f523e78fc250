/* Unit tests of model/state/case: marks, notes and tags kept, saved, reloaded, merged between two
 * instances; damaged and oversized files refused and never overwritten; limits. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model/state/case.h"

static char dir[] = "/tmp/ctview-case-XXXXXX";

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_edit(void)
{
    struct ctcase *c = case_new(NULL);
    const char *err = NULL;
    CHECK_STR(c->name, "default");
    CHECK_INT(case_add_tag(c, "111:b", "exfil", 1, &err), 0);
    CHECK_INT(case_add_tag(c, "111:b", "exfil", 2, &err), 0); /* a tag once */
    CHECK_INT(case_add_tag(c, "111:b", "alpha", 3, &err), 0);
    CHECK_INT(case_add_note(c, "111:a", "first look", 4, &err), 0);
    CHECK_INT(case_set_mark(c, "222:a", 1, 5, &err), 0);
    CHECK_INT(case_count(c), 3);
    char *json = case_json(c); /* the file lists events sorted by key */
    CHECK(json && strstr(json, "\"111:a\"") && strstr(json, "\"111:a\"") < strstr(json, "\"111:b\"") &&
          strstr(json, "\"111:b\"") < strstr(json, "\"222:a\""));
    free(json);
    const struct case_entry *b = case_get(c, "111:b");
    CHECK(b && b->ntags == 2);
    CHECK_STR(b->tags[0], "alpha");
    CHECK_INT(case_add_tag(c, "111:b", "bad tag", 6, &err), -1);
    CHECK(err != NULL);
    CHECK_INT(case_add_tag(c, "111:b", "", 6, &err), -1);
    CHECK_INT(case_add_note(c, "111:b", "", 6, &err), -1);
    char big[CASE_MAX_NOTE + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INT(case_add_note(c, "111:b", big, 6, &err), -1);
    /* an entry that holds nothing any more goes */
    CHECK_INT(case_set_mark(c, "222:a", 0, 7, &err), 0);
    CHECK(case_get(c, "222:a") == NULL);
    CHECK_INT(case_remove_tag(c, "111:b", "alpha", 8, &err), 0);
    CHECK_INT(case_remove_tag(c, "111:b", "exfil", 9, &err), 0);
    CHECK(case_get(c, "111:b") == NULL);
    CHECK_INT(case_count(c), 1);
    /* many events: the index keeps up (each found again) */
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "333:%d", i);
        case_set_mark(c, key, 1, 10, &err);
    }
    int all = 1;
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "333:%d", i);
        all &= case_get(c, key) && case_get(c, key)->marked;
    }
    CHECK(all);
    CHECK_INT(case_count(c), 5001);
    case_free(c);
}

/* A removal is kept: an unmark or the last tag removed, saved, is not brought back by the older copy
 * in the file (case_save applies this instance's changes to the file); notes of two copies are both kept. */
static void test_removal_and_notes(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/cases/removal.json", dir);
    const char *e = NULL;
    char *err = NULL;
    struct ctcase *a = case_new(NULL);
    case_set_mark(a, "1:m", 1, 10, &e);
    case_add_tag(a, "1:t", "x", 10, &e);
    CHECK_INT(case_save(a, path, &err), 0);
    case_set_mark(a, "1:m", 0, 20, &e);
    case_remove_tag(a, "1:t", "x", 20, &e);
    CHECK_INT(case_save(a, path, &err), 0);
    struct ctcase *b = case_new(NULL);
    CHECK_INT(case_load(b, path, &err), 0);
    CHECK(case_get(b, "1:m") == NULL && case_get(b, "1:t") == NULL);
    CHECK_INT(case_count(b), 0);
    /* two copies noted one event: both notes are kept whichever is newer */
    case_add_note(a, "1:n", "from a", 30, &e);
    CHECK_INT(case_save(a, path, &err), 0);
    case_add_note(b, "1:n", "from b", 40, &e);
    case_add_tag(b, "1:n", "seen", 40, &e);
    CHECK_INT(case_save(b, path, &err), 0);
    const struct case_entry *n = case_get(b, "1:n");
    CHECK(n && n->nnotes == 2 && n->ntags == 1);
    if (n && n->nnotes == 2) { /* the file's first, then this instance's (in the order written) */
        CHECK_STR(n->notes[0], "from a");
        CHECK_STR(n->notes[1], "from b");
    }
    /* an import counts what it added or changed, and a second one changes nothing */
    struct ctcase *c = case_new(NULL);
    size_t changed = 0;
    CHECK_INT(case_merge_file(c, path, &changed, &err), 0);
    CHECK_INT(changed, 1);
    CHECK_INT(case_merge_file(c, path, &changed, &err), 0);
    CHECK_INT(changed, 0);
    case_free(a);
    case_free(b);
    case_free(c);
}

static void test_save_load_merge(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/cases/one.json", dir);
    const char *e = NULL;
    char *err = NULL;
    struct ctcase *a = case_new("incident-7");
    case_add_note(a, "111:x", "quote \" and \\ and\nnewline", 10, &e);
    case_add_tag(a, "111:x", "root-cause", 10, &e);
    case_set_mark(a, "111:y", 1, 10, &e);
    CHECK_INT(case_save(a, path, &err), 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);

    /* a second instance loaded the same file, then both change things and save */
    struct ctcase *b = case_new("incident-7");
    CHECK_INT(case_load(b, path, &err), 0);
    CHECK_STR(case_get(b, "111:x")->notes[0], "quote \" and \\ and\nnewline");
    case_add_tag(b, "222:z", "lateral", 20, &e);
    CHECK_INT(case_save(b, path, &err), 0);
    case_add_note(a, "111:y", "from a", 30, &e);
    CHECK_INT(case_save(a, path, &err), 0); /* a's save keeps b's entry */
    struct ctcase *c = case_new(NULL);
    CHECK_INT(case_load(c, path, &err), 0);
    CHECK(case_get(c, "222:z") != NULL);
    CHECK(case_get(c, "111:y") && case_get(c, "111:y")->nnotes == 1 && case_get(c, "111:y")->marked);
    CHECK_INT(case_count(c), 3);
    case_free(a);
    case_free(b);
    case_free(c);

    /* a missing file is an empty case */
    char other[256];
    snprintf(other, sizeof other, "%s/none.json", dir);
    struct ctcase *d = case_new(NULL);
    CHECK_INT(case_load(d, other, &err), 0);
    CHECK_INT(d->n, 0);
    case_free(d);
}

static void test_damaged(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    const char *bad[] = {
        "{\"ctview_case\": 1, \"events\": [",   /* cut off */
        "{\"ctview_case\": 2, \"events\": []}", /* another version */
        "[1, 2, 3]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_text(path, bad[i]);
        struct ctcase *c = case_new(NULL);
        const char *e;
        case_set_mark(c, "1:keep", 1, 1, &e);
        char *err = NULL;
        CHECK_INT(case_load(c, path, &err), -1);
        CHECK(err && strstr(err, path) != NULL);
        free(err);
        CHECK_INT(c->n, 1); /* unchanged */
        /* and a save refuses to overwrite what it could not read */
        err = NULL;
        CHECK_INT(case_save(c, path, &err), -1);
        free(err);
        FILE *f = fopen(path, "r");
        char back[256] = "";
        CHECK(f && fgets(back, sizeof back, f));
        if (f)
            fclose(f);
        CHECK_STR(back, bad[i]);
        case_free(c);
    }
    /* a directory or a FIFO is never read as a case */
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/fifo.json", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    struct ctcase *c = case_new(NULL);
    char *err = NULL;
    CHECK_INT(case_load(c, fifo, &err), -1);
    free(err);
    err = NULL;
    CHECK_INT(case_load(c, dir, &err), -1);
    free(err);
    case_free(c);
}

/* One bad entry of the case file is left out and said; the rest is read and saved again. */
static void test_bad_entry(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/entry.json", dir);
    write_text(path, "{\"ctview_case\": 1, \"events\": [{\"event\": \"noaccount\"},"
                     "{\"event\": \"1:a\", \"tags\": [\"a b\"]},"
                     "{\"event\": \"1:raw-\xff\", \"marked\": true, \"notes\": [\"caf\xe9\"]},"
                     "{\"event\": \"1:keep\", \"notes\": [\"n\\u0000cut\"], \"updated\": 5}]}");
    struct ctcase *c = case_new(NULL);
    char *err = NULL;
    CHECK_INT(case_load(c, path, &err), 0);
    CHECK(c->notice && strstr(c->notice, path) && strstr(c->notice, "2 entries left out") &&
          strstr(c->notice, "event 1:") && strstr(c->notice, "U+FFFD") && strstr(c->notice, "NUL"));
    const struct case_entry *k = case_get(c, "1:keep"), *r = case_get(c, "1:raw-\xff");
    CHECK(k && k->nnotes == 1 &&
          strcmp(k->notes[0], "n\xef\xbf\xbd"
                              "cut") == 0);
    CHECK(r && r->marked && r->nnotes == 1 && strcmp(r->notes[0], "caf\xef\xbf\xbd") == 0);
    CHECK_INT(case_save(c, path, &err), 0); /* saving goes on */
    struct ctcase *d = case_new(NULL);
    CHECK_INT(case_load(d, path, &err), 0);
    CHECK(d->notice == NULL && case_count(d) == 2 && case_get(d, "1:raw-\xff"));
    case_free(c);
    case_free(d);
}

/* An eventID that is not UTF-8 is saved so that it is read back as the same key; a note that is not
 * UTF-8 is refused at input. */
static void test_bad_bytes(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/bytes.json", dir);
    const char *key = "111:id-\xff\xfe"
                      "2",
               *e = NULL;
    struct ctcase *c = case_new(NULL);
    CHECK_INT(case_set_mark(c, key, 1, 1, &e), 0);
    CHECK_INT(case_add_tag(c, key, "x1", 2, &e), 0);
    CHECK_INT(case_add_note(c, key, "Latin-1 \xe9t\xe9", 3, &e), -1);
    CHECK(e && strstr(e, "UTF-8"));
    char *err = NULL;
    CHECK_INT(case_save(c, path, &err), 0);
    struct ctcase *d = case_new(NULL);
    CHECK_INT(case_load(d, path, &err), 0);
    const struct case_entry *r = case_get(d, key);
    CHECK(d->notice == NULL && r && r->marked && r->ntags == 1);
    char *json = case_json(d);
    CHECK(json && strstr(json, "\"event_hex\":\"3131313a69642dfffe32\""));
    free(json);
    CHECK_INT(case_remove_tag(d, key, "nope", 4, &e), 1); /* it had no such tag */
    CHECK_INT(case_remove_tag(d, key, "x1", 4, &e), 0);
    case_free(c);
    case_free(d);
}

/* An import: a \u0000 is refused with its byte; notes past the limit are merged as far as they go and
 * said (1); an event listed twice counts once. */
static void test_import_limits(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/imp.json", dir);
    struct ctcase *c = case_new(NULL);
    char *err = NULL;
    size_t changed = 0;
    write_text(path, "{\"ctview_case\": 1, \"events\": [{\"event\": \"1:a\", \"notes\": [\"x\\u0000y\"]}]}");
    CHECK_INT(case_import_file(c, path, 5000, 1, &changed, &err), -1);
    CHECK(err && strstr(err, "byte 59") && strstr(err, "NUL"));
    free(err);
    err = NULL;
    CHECK_INT(c->n, 0);
    char big[8192] = "{\"ctview_case\": 1, \"events\": [{\"event\": \"1:a\", \"notes\": [";
    for (int i = 0; i < CASE_MAX_NOTES; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "%s\"mine %d\"", i ? "," : "", i);
    strcat(big, "], \"updated\": 1}]}");
    write_text(path, big);
    CHECK_INT(case_import_file(c, path, 5000, 1, &changed, &err), 0);
    write_text(path, "{\"ctview_case\": 1, \"events\": [{\"event\": \"1:a\", \"notes\": [\"theirs\"]}]}");
    CHECK_INT(case_import_file(c, path, 5000, 1, &changed, &err), 1);
    CHECK(err && strstr(err, "1 note not merged") && strstr(err, "1:a"));
    free(err);
    err = NULL;
    write_text(path, "{\"ctview_case\":1,\"events\":[{\"event\":\"1:b\",\"marked\":true,\"updated\":1},"
                     "{\"event\":\"1:b\",\"marked\":false,\"updated\":2},"
                     "{\"event\":\"1:c\",\"marked\":true,\"updated\":1},"
                     "{\"event\":\"1:c\",\"tags\":[\"t\"],\"updated\":2}]}");
    CHECK_INT(case_import_file(c, path, 5000, 1, &changed, &err), 0);
    CHECK_INT(changed, 2);
    case_free(c);
}

/* What is written can be read: 700,000 marked events (under the 1,000,000 the case holds) round-trip. */
static void test_large(void)
{
    char path[256], key[64];
    snprintf(path, sizeof path, "%s/large.json", dir);
    struct ctcase *c = case_new(NULL);
    const char *e = NULL;
    for (int i = 0; i < 700000; i++) {
        snprintf(key, sizeof key, "111122223333:00000000-0000-0000-0000-%012d", i);
        if (case_set_mark(c, key, 1, 1796701727741LL, &e) != 0)
            break;
    }
    char *err = NULL;
    CHECK_INT(case_save(c, path, &err), 0);
    struct ctcase *d = case_new(NULL);
    CHECK_INT(case_load(d, path, &err), 0);
    CHECK_INT(case_count(d), 700000);
    free(err);
    case_free(c);
    case_free(d);
}

/* Two instances on one case: each part of an entry is merged on its own (a tag there, a mark here); an
 * import made meanwhile is kept by the next save. */
static void test_two_instances(void)
{
    char path[256], imp[256];
    snprintf(path, sizeof path, "%s/two.json", dir);
    snprintf(imp, sizeof imp, "%s/two-imp.json", dir);
    struct ctcase *a = case_new(NULL), *b = case_new(NULL), *i = case_new(NULL), *d = case_new(NULL);
    char *err = NULL;
    const char *e = NULL;
    CHECK_INT(case_set_mark(a, "1:x", 1, 10, &e), 0);
    CHECK_INT(case_add_tag(a, "1:y", "old", 10, &e), 0);
    CHECK_INT(case_save(a, path, &err), 0);
    CHECK_INT(case_load(b, path, &err), 0);
    CHECK_INT(case_add_tag(a, "1:x", "exfil", 20, &e), 0); /* A tags #1 */
    CHECK_INT(case_save(a, path, &err), 0);
    CHECK_INT(case_set_mark(b, "1:y", 1, 30, &e), 0); /* B, later, marks another and unmarks #1 */
    CHECK_INT(case_set_mark(b, "1:x", 0, 30, &e), 0);
    CHECK_INT(case_add_note(b, "1:x", "B's note", 30, &e), 0);
    write_text(
        imp,
        "{\"ctview_case\": 1, \"events\": [{\"event\": \"1:z\", \"tags\": [\"imported\"], \"updated\": 5}]}");
    CHECK_INT(case_import_save(i, path, imp, 40, NULL, &err), 0); /* an import meanwhile */
    CHECK_INT(case_save(b, path, &err), 0);
    CHECK_INT(case_add_tag(a, "1:y", "new", 50, &e), 0);
    CHECK_INT(case_save(a, path, &err), 0);
    CHECK_INT(case_load(d, path, &err), 0);
    const struct case_entry *x = case_get(d, "1:x"), *y = case_get(d, "1:y"), *z = case_get(d, "1:z");
    CHECK(x && !x->marked && x->ntags == 1 && strcmp(x->tags[0], "exfil") == 0 && x->nnotes == 1);
    CHECK(y && y->marked && y->ntags == 2);
    CHECK(z && z->ntags == 1);
    x = case_get(a, "1:x"); /* A sees B's changes after its save */
    CHECK(x && !x->marked && x->nnotes == 1);
    CHECK_INT(a->nops, 0);
    free(err);
    case_free(a);
    case_free(b);
    case_free(i);
    case_free(d);
}

static void test_path(void)
{
    setenv("XDG_DATA_HOME", "/tmp/xdg-data", 1);
    const char *ab[] = {"/logs/a", "/logs/b"}, *ba[] = {"/logs/b", "/logs/a", "/logs/b"}, *a[] = {"/logs/a"};
    char *p1 = case_path_for(ab, 2, NULL), *p2 = case_path_for(ba, 3, "default"),
         *p3 = case_path_for(a, 1, NULL), *p4 = case_path_for(ab, 2, "other");
    CHECK(p1 && p2 && p3 && p4);
    CHECK_STR(p1, p2); /* order and repeats do not matter */
    CHECK(strcmp(p1, p3) != 0 && strcmp(p1, p4) != 0);
    CHECK(strncmp(p1, "/tmp/xdg-data/ctview/cases/", 27) == 0);
    free(p1);
    free(p2);
    free(p3);
    free(p4);
}

/* A local change wins over a stored copy stamped ahead of this clock; an import takes a time ahead as
 * now and refuses a time that is no time. */
static void test_clock_ahead(void)
{
    char path[256], saved[256];
    snprintf(path, sizeof path, "%s/ahead.json", dir);
    snprintf(saved, sizeof saved, "%s/cases/ahead-saved.json", dir);
    write_text(path, "{\"ctview_case\": 1, \"events\": [{\"event\": \"1:a\", \"marked\": true, "
                     "\"updated\": 9999999999999}]}");
    char *err = NULL;
    const char *e = NULL;
    struct ctcase *c = case_new(NULL);
    CHECK_INT(case_merge_file(c, path, NULL, &err), 0); /* a save re-reading a file: kept as it is */
    CHECK_INT(case_set_mark(c, "1:a", 0, 1000, &e), 0);
    CHECK(c->n == 1 && c->v[0].updated > 9999999999999LL);
    CHECK_INT(case_save(c, saved, &err), 0);
    struct ctcase *d = case_new(NULL);
    CHECK_INT(case_load(d, saved, &err), 0);
    CHECK(case_get(d, "1:a") == NULL); /* the unmark won */
    struct ctcase *i = case_new(NULL);
    CHECK_INT(case_import_file(i, path, 5000, 1, NULL, &err), 0);
    CHECK(i->n == 1 && i->v[0].updated == 5000);
    write_text(path, "{\"ctview_case\": 1, \"events\": [{\"event\": \"1:a\", \"updated\": 1e400}]}");
    CHECK_INT(case_import_file(i, path, 5000, 1, NULL, &err), -1);
    free(err);
    err = NULL;
    snprintf(path, sizeof path, "%s/missing.json", dir);
    CHECK_INT(case_import_file(i, path, 5000, 1, NULL, &err), -1);
    free(err);
    err = NULL;
    CHECK_INT(case_merge_file(i, path, NULL, &err), 0);
    case_free(c);
    case_free(d);
    case_free(i);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_edit();
    test_save_load_merge();
    test_removal_and_notes();
    test_damaged();
    test_bad_entry();
    test_bad_bytes();
    test_import_limits();
    test_large();
    test_two_instances();
    test_path();
    test_clock_ahead();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return harness_done("test_case");
}
