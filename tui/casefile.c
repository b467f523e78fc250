/* casefile: the one case of this run (see casefile.h). */
#include "tui/casefile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/base/errmsg.h"
#include "model/present/textsafe.h"
#include "model/query/evcase.h"
#include "model/query/export.h"

static struct {
    struct ctcase *c; /* owned */
    char *path;       /* owned: where it is kept */
    char *warning;    /* owned: why the file could not be read */
    int read_only;
    uint64_t saved_gen; /* c->gen when last saved or read */
} cf;

const struct ctcase *app_case(void)
{
    return cf.c;
}

const char *casefile_path(void)
{
    return cf.path;
}

const char *casefile_warning(void)
{
    return cf.warning;
}

int casefile_saves(void)
{
    return cf.c && cf.path && !cf.read_only && !cf.warning;
}

/* An operand as the case names it (owned): see casefile.h. */
static char *canonical(const char *p)
{
    if (strncmp(p, "s3://", 5) == 0) {
        size_t n = strlen(p);
        while (n > 5 && p[n - 1] == '/')
            n--;
        return strndup(p, n);
    }
    if (strcmp(p, "-") == 0)
        return strdup(p);
    char *real = realpath(p, NULL);
    if (real || p[0] == '/')
        return real ? real : strdup(p);
    char cwd[PATH_MAX];
    char *abs = NULL;
    if (getcwd(cwd, sizeof cwd) && asprintf(&abs, "%s/%s", cwd, p) < 0)
        abs = NULL;
    return abs;
}

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-_.@", *p)))
            return 0;
    return 1;
}

int casefile_open(const char *const *operands, size_t n, const char *paths_from, const char *name,
                  int read_only, char **err)
{
    casefile_close();
    if (name && !name_ok(name))
        return errmsg_set(err, "--case: '%.80s' is not a case name (1 to 64 letters, digits and - _ . @)",
                          name);
    cf.read_only = read_only;
    if (!(cf.c = case_new(name)))
        return errmsg_set(err, "out of memory");
    char **inputs = calloc(n + 1, sizeof *inputs);
    size_t k = 0;
    int rc = inputs ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = (inputs[k++] = canonical(operands[i])) ? 0 : -1;
    if (rc == 0 && paths_from) {
        char *list = canonical(paths_from);
        rc = list && asprintf(&inputs[k], "--paths-from %s", list) >= 0 ? 0 : -1;
        k += rc == 0;
        free(list);
    }
    if (rc == 0)
        rc = case_set_inputs(cf.c, (const char *const *)inputs, k);
    if (rc == 0)
        cf.path = case_path_for((const char *const *)inputs, k, cf.c->name);
    for (size_t i = 0; inputs && i < k; i++)
        free(inputs[i]);
    free(inputs);
    if (rc != 0) {
        casefile_close();
        return errmsg_set(err, "out of memory");
    }
    char *why = NULL;
    if (cf.path && case_load(cf.c, cf.path, &why) != 0)
        cf.warning = why ? why : strdup("out of memory");
    /* changes kept for a save that never comes would only grow (a :mark over every event) */
    cf.c->no_journal = !casefile_saves();
    cf.saved_gen = cf.c->gen;
    return 0;
}

void casefile_close(void)
{
    case_free(cf.c);
    free(cf.path);
    free(cf.warning);
    memset(&cf, 0, sizeof cf);
}

int casefile_attach(struct store *s)
{
    return cf.c ? evcase_attach(s, cf.c) : 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The key of event ev, or NULL with *why. */
static const char *key_of(const struct store *s, size_t ev, char *buf, const char **why)
{
    if (!cf.c) {
        *why = "no case is open";
        return NULL;
    }
    if (ev >= s->nevents || !evcase_key(s, ev, buf)) {
        *why = "the event has no eventID to name it by";
        return NULL;
    }
    return buf;
}

int casefile_mark(const struct store *s, size_t ev, int on, const char **why)
{
    char buf[EVCASE_KEY_BUF];
    const char *key = key_of(s, ev, buf, why);
    return key ? case_set_mark(cf.c, key, on, now_ms(), why) : -1;
}

int casefile_note(const struct store *s, size_t ev, const char *text, const char **why)
{
    char buf[EVCASE_KEY_BUF];
    const char *key = key_of(s, ev, buf, why);
    return key ? case_add_note(cf.c, key, text, now_ms(), why) : -1;
}

int casefile_tag(const struct store *s, size_t ev, const char *tag, int add, const char **why)
{
    char buf[EVCASE_KEY_BUF];
    const char *key = key_of(s, ev, buf, why);
    if (!key)
        return -1;
    return add ? case_add_tag(cf.c, key, tag, now_ms(), why) : case_remove_tag(cf.c, key, tag, now_ms(), why);
}

int casefile_flush(char **err)
{
    if (!cf.c || cf.c->gen == cf.saved_gen || !casefile_saves())
        return 0;
    if (case_save(cf.c, cf.path, err) != 0)
        return -1;
    cf.saved_gen = cf.c->gen;
    return 0;
}

int casefile_export(const char *file, int force, char **err)
{
    if (!cf.c)
        return errmsg_set(err, "no case is open");
    if (cf.warning) /* an empty case written for it would read as "nothing was found" */
        return errmsg_set(err, "the case cannot be read, so it is not written: %s", cf.warning);
    char *text = case_json(cf.c);
    if (!text)
        return errmsg_set(err, "out of memory");
    size_t len = strlen(text);
    text[len++] = '\n'; /* the terminating NUL becomes the last line's end */
    int rc = 0;
    if (strcmp(file, "-") == 0) {
        /* notes and keys may hold what a terminal acts on (C1, BiDi): there, written as JSON escapes,
           as --list --json writes them */
        if (isatty(STDOUT_FILENO))
            textsafe_json_write(stdout, text, len);
        else
            fwrite(text, 1, len, stdout);
        rc =
            !ferror(stdout) && fflush(stdout) == 0 ? 0 : errmsg_set(err, "cannot write: %s", strerror(errno));
        free(text);
        return rc;
    }
    /* written as --export writes (model/query/export.c): a device or pipe as it is, a file replaced only
       with force */
    enum export_status r = export_text(text, len, file, force, err);
    free(text);
    return r == EXPORT_OK ? 0 : r == EXPORT_EXISTS ? 1 : -1;
}

int casefile_import(const char *file, size_t *changed, char **err)
{
    if (!cf.c)
        return errmsg_set(err, "no case is open");
    if (cf.warning)
        return errmsg_set(err, "the case cannot be read, so nothing is merged into it: %s", cf.warning);
    if (!cf.path)
        return errmsg_set(err, "no home folder is known to keep the case in ($XDG_DATA_HOME, $HOME)");
    /* merged into the case as the file is now, under its lock: an interface open on it keeps its work,
       and its next save keeps this */
    int rc = case_import_save(cf.c, cf.path, file, now_ms(), changed, err);
    if (rc >= 0)
        cf.saved_gen = cf.c->gen;
    return rc;
}

const char *casefile_notice(void)
{
    return cf.c ? cf.c->notice : NULL;
}
