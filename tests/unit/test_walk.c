/* Unit tests for walking the user's paths (parsers/walk): files in name order at every level, symbolic
 * links followed but each folder read once, FIFOs and dangling links reported and never opened, "-"
 * for stdin, and folders of the S3 layout outside a time range left unopened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model/base/timefmt.h"
#include "parsers/walk.h"

static char root[64];

static void touch(const char *rel, const char *text)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void mkdirs(const char *rel)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s'", root, rel);
    CHECK_INT(system(cmd), 0);
}

/* The listed paths relative to root, one per line. */
static void listing(const struct walk_list *l, char *out, size_t cap)
{
    size_t n = 0, rl = strlen(root);
    out[0] = '\0';
    for (size_t i = 0; i < l->count && n < cap; i++) {
        const char *p = l->files[i].path;
        n += (size_t)snprintf(out + n, cap - n, "%s\n", strncmp(p, root, rl) == 0 ? p + rl + 1 : p);
    }
}

/* The problem whose file ends with suffix, or NULL. */
static const struct problem *problem_for(const struct problems *pr, const char *suffix)
{
    for (size_t i = 0; i < pr->count; i++) {
        size_t fl = strlen(pr->rows[i].file), sl = strlen(suffix);
        if (fl >= sl && strcmp(pr->rows[i].file + fl - sl, suffix) == 0)
            return &pr->rows[i];
    }
    return NULL;
}

static void test_tree(void)
{
    mkdirs("tree/sub/deeper");
    mkdirs("tree/Upper");
    touch("tree/b.json", "{}");
    touch("tree/a.json", "{}");
    touch("tree/sub/c.json", "{}");
    touch("tree/sub/deeper/d.json", "{}");
    touch("tree/Upper/e.json", "{}");
    char p[4200], q[4200];
    snprintf(p, sizeof p, "%s/tree/sub/loop", root);
    CHECK_INT(symlink("..", p), 0); /* back up to tree: read once already */
    snprintf(p, sizeof p, "%s/tree/link.json", root);
    CHECK_INT(symlink("a.json", p), 0); /* a link to a file is followed */
    snprintf(p, sizeof p, "%s/tree/dangling.json", root);
    CHECK_INT(symlink("nowhere.json", p), 0);
    snprintf(p, sizeof p, "%s/tree/pipe", root);
    CHECK_INT(mkfifo(p, 0600), 0); /* never opened: a test that hangs here found a bug */

    snprintf(p, sizeof p, "%s/tree", root);
    snprintf(q, sizeof q, "%s/missing", root);
    const char *paths[] = {p, "-", q};
    struct walk_list l = {0};
    struct problems pr;
    problems_init(&pr);
    CHECK_INT(walk_paths(paths, 3, &l, &pr), 0);
    char got[4096];
    listing(&l, got, sizeof got);
    /* byte order of names at each level ('U' before 'a'); then stdin, in the order given */
    CHECK_STR(got, "tree/Upper/e.json\n"
                   "tree/a.json\n"
                   "tree/b.json\n"
                   "tree/link.json\n"
                   "tree/sub/c.json\n"
                   "tree/sub/deeper/d.json\n"
                   "-\n");
    CHECK_INT(l.files[l.count - 1].is_stdin, 1);
    CHECK_INT(l.files[1].is_stdin, 0);
    CHECK_INT(l.files[1].size, 2);
    /* dangling link, FIFO, the loop and the missing path: 4 entries not read, each with a reason */
    CHECK_INT(l.skipped, 4);
    const struct problem *x = problem_for(&pr, "/dangling.json");
    CHECK(x && x->kind == PROBLEM_FILE && strstr(x->reason, "dangling symbolic link"));
    x = problem_for(&pr, "/pipe");
    CHECK(x && x->kind == PROBLEM_NOTE && strstr(x->reason, "a FIFO"));
    x = problem_for(&pr, "/sub/loop");
    CHECK(x && x->kind == PROBLEM_NOTE && strstr(x->reason, "already read"));
    x = problem_for(&pr, "/missing");
    CHECK(x && x->kind == PROBLEM_FILE && strstr(x->reason, "No such file or directory"));
    walk_list_free(&l);
    problems_clear(&pr);
}

static void test_range(void)
{
    /* the S3 layout: days outside [since, until) are not opened, files outside are not listed */
    static const char *const days[] = {"01", "02", "03", "04", "05"};
    for (size_t i = 0; i < 5; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "s3/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/%s", days[i]);
        mkdirs(rel);
        snprintf(rel, sizeof rel,
                 "s3/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/%s/"
                 "111122223333_CloudTrail_us-east-1_202403%sT1200Z_x.json",
                 days[i], days[i]);
        touch(rel, "{}");
    }
    char p[4200];
    snprintf(p, sizeof p, "%s/s3", root);
    const char *paths[] = {p};
    struct walk_list l = {0};
    struct problems pr;
    problems_init(&pr);
    l.ranged = 1;
    CHECK_INT(timefmt_parse("2024-03-03T00:00:00Z", 20, &l.since_ms), 0);
    CHECK_INT(timefmt_parse("2024-03-04T00:00:00Z", 20, &l.until_ms), 0);
    CHECK_INT(walk_paths(paths, 1, &l, &pr), 0);
    /* a file is written minutes after its events, into the folder of the day it is written: the 4th's
     * folder can hold events of the 3rd, so it is read too; the 1st and the 5th are not */
    char got[4096];
    listing(&l, got, sizeof got);
    CHECK(strstr(got, "/2024/03/03/") != NULL);
    CHECK(strstr(got, "/2024/03/01/") == NULL);
    CHECK(strstr(got, "/2024/03/05/") == NULL);
    CHECK(l.pruned >= 2);
    CHECK_INT(l.count + l.pruned >= 5, 1);
    CHECK_INT(pr.count, 0);
    walk_list_free(&l);
    problems_clear(&pr);
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/ctview-test-walk-XXXXXX");
    if (!mkdtemp(root)) {
        CHECK(0);
        return harness_done("test_walk");
    }
    test_tree();
    test_range();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK_INT(system(cmd), 0);
    return harness_done("test_walk");
}
