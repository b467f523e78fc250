/* casesave: the case written to its file under a lock, the changes of two instances merged, and the
 * file a set of inputs is kept in (see case.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/base/atomicfile.h"
#include "model/base/errmsg.h"
#include "model/base/xdg.h"
#include "model/state/case.h"
#include "model/state/case_internal.h"

/* What tells one version of the file at path from another (all 0 when there is none). */
static void file_id(const char *path, uint64_t id[4])
{
    struct stat st;
    memset(id, 0, 4 * sizeof *id);
    if (stat(path, &st) != 0)
        return;
    id[0] = (uint64_t)st.st_dev;
    id[1] = (uint64_t)st.st_ino;
    id[2] = (uint64_t)st.st_size;
    id[3] = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
}

/* Applies c's changes (c->ops) to fresh, each on its own: a mark or unmark, a tag added or removed, a
 * note (once). Returns how many no longer apply (a 65th note), the first one's reason in *why. */
static size_t replay(const struct ctcase *c, struct ctcase *fresh, const char **why)
{
    size_t failed = 0;
    for (size_t i = 0; i < c->nops; i++) {
        const struct case_op *o = &c->ops[i];
        const struct case_entry *had = case_get(fresh, o->key);
        const char *e = NULL;
        int rc = 0;
        if (o->kind == CASE_OP_MARK || o->kind == CASE_OP_UNMARK)
            rc = case_set_mark(fresh, o->key, o->kind == CASE_OP_MARK, o->at, &e);
        else if (o->kind == CASE_OP_TAG)
            rc = case_add_tag(fresh, o->key, o->arg, o->at, &e);
        else if (o->kind == CASE_OP_UNTAG)
            rc = case_remove_tag(fresh, o->key, o->arg, o->at, &e) < 0 ? -1 : 0; /* gone there too */
        else if (!had || !case_entry_has_note(had, o->arg))
            rc = case_add_note(fresh, o->key, o->arg, o->at, &e);
        if (rc != 0 && !failed++)
            *why = e;
    }
    return failed;
}

/* c's entries made what fresh's hold, each keeping its place in c->v (what is shown from the case
 * holds positions); fresh's entries are left with c's old content. 0, or -1 out of memory. */
static int adopt(struct ctcase *c, struct ctcase *fresh)
{
    for (size_t i = 0; i < fresh->n; i++) {
        const char *why;
        struct case_entry *f = &fresh->v[i], *e = case_entry_for(c, f->event, &why), t;
        if (!e)
            return -1;
        t = *e;
        e->marked = f->marked;
        e->tags = f->tags;
        e->ntags = f->ntags;
        e->notes = f->notes;
        e->nnotes = f->nnotes;
        e->updated = f->updated;
        f->marked = t.marked;
        f->tags = t.tags;
        f->ntags = t.ntags;
        f->notes = t.notes;
        f->nnotes = t.nnotes;
    }
    c->gen++;
    return 0;
}

/* c made the file at path as it is now with c's changes applied (case.h: case_save). 0, or -1 with
 * *err (not saved); *lost: how many changes no longer apply, *lost_why the first one's reason. */
static int refresh(struct ctcase *c, const char *path, size_t *lost, const char **lost_why, char **err)
{
    struct ctcase *fresh = case_new(c->name);
    char *why = NULL;
    if (!fresh)
        return errmsg_set(err, "not saved: out of memory");
    fresh->no_journal = 1;
    if (case_load(fresh, path, &why) != 0) {
        /* a damaged file is not overwritten: the user's work in it would be lost */
        errmsg_set(err, "not saved: %s", why ? why : "out of memory");
        free(why);
        case_free(fresh);
        return -1;
    }
    *lost = replay(c, fresh, lost_why);
    int rc = adopt(c, fresh) == 0 ? 0 : errmsg_set(err, "not saved: out of memory");
    if (rc == 0 && fresh->notice && !c->notice) {
        c->notice = fresh->notice;
        fresh->notice = NULL;
    }
    case_free(fresh);
    return rc;
}

/* case_save, and case_import_save when import is not NULL. */
static int save_locked(struct ctcase *c, const char *path, const char *import, int64_t now_ms,
                       size_t *changed, char **err)
{
    if (xdg_make_parents(path, err) != 0)
        return -1;
    char lock[4096];
    if (snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock)
        return errmsg_set(err, "%s: path too long", path);
    int lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lfd < 0 || flock(lfd, LOCK_EX) != 0) {
        int rc = errmsg_set(err, "%s: %s", lock, strerror(errno));
        if (lfd >= 0)
            close(lfd);
        return rc;
    }
    uint64_t now[4];
    file_id(path, now);
    size_t lost = 0;
    const char *lost_why = NULL;
    /* another instance's work is kept; a file this case wrote last holds none */
    int rc =
        now[1] && memcmp(now, c->saved_id, sizeof now) != 0 ? refresh(c, path, &lost, &lost_why, err) : 0;
    int irc = rc == 0 && import ? case_import_file(c, import, now_ms, 1, changed, err) : 0;
    if (rc != 0 || irc < 0) {
        close(lfd);
        return -1;
    }
    char *text = case_json(c);
    size_t len = text ? strlen(text) : 0;
    char *werr = NULL;
    if (!text)
        rc = errmsg_set(&werr, "%s: out of memory", path);
    else if (len > CASE_MAX_FILE)
        /* written, it could not be read again: the file keeps what it held */
        rc = errmsg_set(&werr,
                        "not saved: the case would be %zu MiB, past the limit of %u MiB a case is read at",
                        len >> 20, CASE_MAX_FILE >> 20);
    else
        rc = atomicfile_write(path, text, len, &werr);
    free(text);
    if (rc == 0) {
        file_id(path, c->saved_id);
        case_ops_clear(c); /* in the file now */
    }
    close(lfd);
    if (rc != 0) {
        free(*err); /* the import's notes left out: not saved at all is what counts */
        *err = werr;
        return -1;
    }
    if (lost) {
        free(*err);
        return errmsg_set(
            err, "saved without %zu change%s that no longer appl%s to the case as saved elsewhere: %s", lost,
            lost == 1 ? "" : "s", lost == 1 ? "ies" : "y", lost_why ? lost_why : "?");
    }
    return irc;
}

int case_save(struct ctcase *c, const char *path, char **err)
{
    return save_locked(c, path, NULL, 0, NULL, err);
}

int case_import_save(struct ctcase *c, const char *path, const char *import, int64_t now_ms, size_t *changed,
                     char **err)
{
    return save_locked(c, path, import, now_ms, changed, err);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

char *case_path_for(const char *const *inputs, size_t n, const char *name)
{
    /* the key is order-free and ignores repeats: each input's hash, sorted, distinct, then the name */
    uint64_t *h = calloc(n + 1, sizeof *h);
    if (!h)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        h[i] = 1469598103934665603ull;
        for (const unsigned char *p = (const unsigned char *)inputs[i]; *p; p++)
            h[i] = (h[i] ^ *p) * 1099511628211ull;
    }
    qsort(h, n, sizeof *h, cmp_u64);
    uint64_t key = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || h[i] != h[i - 1])
            for (int b = 0; b < 8; b++)
                key = (key ^ ((h[i] >> (8 * b)) & 0xff)) * 1099511628211ull;
    free(h);
    for (const unsigned char *p = (const unsigned char *)(name ? name : "default"); *p; p++)
        key = (key ^ *p) * 1099511628211ull;
    char file[64];
    snprintf(file, sizeof file, "cases/%016llx.json", (unsigned long long)key);
    return xdg_file("XDG_DATA_HOME", ".local/share", file);
}
