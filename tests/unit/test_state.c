/* State files that survive: a bad line costs only itself, a file that is not ours is left alone, two
 * instances merge, and a FIFO, device, folder or symbolic link is never read as state, columns or
 * config. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model/state/colstate.h"
#include "model/state/config.h"
#include "model/state/state.h"

static char dir[] = "/tmp/ctview-state-XXXXXX";

static char *in_dir(const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        abort();
    return p;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        abort();
}

static char *get(const char *path)
{
    FILE *f = fopen(path, "r");
    static char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_bad_line(void)
{
    char *p = in_dir("state");
    put(p, "ctview-state 1\nfilter a\nbogus x\nfilter b\\q\nsearch c\n");
    struct state st = {0};
    char *err = NULL;
    CHECK_INT(state_load(&st, p, &err), 0);
    CHECK_INT(st.n[STATE_FILTER], 1);
    CHECK_INT(st.n[STATE_SEARCH], 1);
    CHECK(err && strstr(err, "line 3") && strstr(err, "2 bad lines skipped"));
    free(err);
    /* saved again, the good lines stay */
    struct state more = {0};
    CHECK_INT(state_add(&more, STATE_COMMAND, "goto 1"), 0);
    CHECK_INT(state_save(&more, p, &err), 0);
    free(err);
    CHECK(strstr(get(p), "filter a\n") && strstr(get(p), "search c\n") && strstr(get(p), "command goto 1\n"));
    state_clear(&st);
    state_clear(&more);
    free(p);
}

static void test_left_alone(void)
{
    char *p = in_dir("state");
    put(p, "something else entirely\nfilter a\n");
    struct state st = {0};
    char *err = NULL;
    CHECK_INT(state_load(&st, p, &err), -1);
    free(err);
    CHECK_INT(state_add(&st, STATE_FILTER, "mine"), 0);
    CHECK_INT(state_save(&st, p, &err), -1);
    CHECK(err && strstr(err, "left alone"));
    free(err);
    CHECK_STR(get(p), "something else entirely\nfilter a\n");
    state_clear(&st);
    free(p);
}

static void test_merge(void)
{
    char *p = in_dir("merged");
    struct state a = {0}, b = {0};
    char *err = NULL;
    /* both started from the same file, each added its own, each saves at quit */
    put(p, "ctview-state 1\nfilter old\n");
    CHECK_INT(state_load(&a, p, &err), 0);
    CHECK_INT(state_load(&b, p, &err), 0);
    CHECK_INT(state_add(&a, STATE_FILTER, "from-a"), 0);
    CHECK_INT(state_add(&b, STATE_SEARCH, "from-b"), 0);
    CHECK_INT(state_save(&a, p, &err), 0);
    free(err);
    CHECK_INT(state_save(&b, p, &err), 0);
    free(err);
    const char *text = get(p);
    CHECK(strstr(text, "filter old\n") && strstr(text, "filter from-a\n") && strstr(text, "search from-b\n"));
    state_clear(&a);
    state_clear(&b);
    free(p);
}

static void test_special_files(void)
{
    char *fifo = in_dir("fifo"), *link = in_dir("link"), *target = in_dir("target"), *sub = in_dir("sub");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(mkdir(sub, 0700), 0);
    put(target, "secret first line\n");
    CHECK_INT(symlink(target, link), 0);
    alarm(10); /* a read that blocks on the FIFO fails the test instead of hanging it */
    const char *paths[] = {fifo, link, sub, "/dev/zero"};
    for (size_t i = 0; i < 4; i++) {
        struct state st = {0};
        char *err = NULL;
        CHECK_INT(state_load(&st, paths[i], &err), -1);
        CHECK(err != NULL);
        free(err);
        char spec[256];
        CHECK_INT(colstate_load(paths[i], spec, sizeof spec, &err), -1);
        CHECK(strstr(spec, "secret") == NULL);
        free(err);
        if (i != 1) { /* configuration may be a symbolic link (dotfiles); never a FIFO or device */
            struct config c;
            config_defaults(&c);
            CHECK_INT(config_load(&c, paths[i], &err), -1);
            free(err);
        }
    }
    alarm(0);
    char *err = NULL;
    char spec[256];
    CHECK_INT(colstate_load(link, spec, sizeof spec, &err), -1);
    CHECK(err && strstr(err, "symbolic link"));
    free(err);
    unlink(fifo);
    unlink(link);
    unlink(target);
    rmdir(sub);
    free(fifo);
    free(link);
    free(target);
    free(sub);
}

/* Files past their limit are refused from their size, never read whole. */
static void test_sizes(void)
{
    char *p = in_dir("big");
    FILE *f = fopen(p, "w");
    if (!f || ftruncate(fileno(f), 64 << 20) != 0 || fclose(f) != 0)
        abort();
    struct state st = {0};
    char *err = NULL;
    CHECK_INT(state_load(&st, p, &err), -1);
    CHECK(err && strstr(err, "larger than 4096 KiB"));
    free(err);
    struct config c;
    config_defaults(&c);
    CHECK_INT(config_load(&c, p, &err), -1);
    CHECK(err && strstr(err, "larger than 64 KiB"));
    free(err);
    char spec[256];
    CHECK_INT(colstate_load(p, spec, sizeof spec, &err), -1);
    CHECK(err && strstr(err, "larger than"));
    free(err);
    unlink(p);
    free(p);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_bad_line();
    test_left_alone();
    test_merge();
    test_special_files();
    test_sizes();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("%d checks, %d failed\n", harness_checks, harness_failures);
    return harness_failures != 0;
}
