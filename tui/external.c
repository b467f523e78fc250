#include "tui/external.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/base/tempfiles.h"
#include "model/present/textsafe.h"
#include "tui/signals.h"

int external_put_safe(FILE *f, const char *text, size_t len)
{
    char small[1024];
    size_t i = 0;
    while (i < len) {
        /* newlines and tabs are the layout's own; everything else unsafe is escaped */
        size_t j = i;
        while (j < len && text[j] != '\n' && text[j] != '\t')
            j++;
        size_t need = textsafe_escape(text + i, j - i, small, sizeof small);
        if (need < sizeof small) {
            fputs(small, f);
        } else {
            char *big = textsafe_escape_dup(text + i, j - i);
            if (!big)
                return -1;
            fputs(big, f);
            free(big);
        }
        if (j < len)
            fputc(text[j], f);
        i = j + 1;
    }
    return ferror(f) ? -1 : 0;
}

static void forget(int slots[2])
{
    tempfiles_drop(slots[1]);
    tempfiles_drop(slots[0]);
}

/* A private directory and a read-only file in it holding the content. Returns the file's fd-less path in
 * path (and the directory in dir), or -1 with msg set. */
static int make_copy(const char *name, external_write_fn write, void *ctx, char *dir, size_t dircap,
                     char *path, size_t pathcap, int slots[2], char *msg, size_t msglen)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, dircap, "%s/ctview-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(dir)) { /* mode 0700 */
        snprintf(msg, msglen, "cannot make a temporary folder: %s", strerror(errno));
        return -1;
    }
    snprintf(path, pathcap, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    /* removed by a signal that ends ctview meanwhile: the file, then its folder */
    slots[0] = tempfiles_add(dir, 1);
    slots[1] = tempfiles_add(path, 0);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(msg, msglen, "cannot write %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(path);
        rmdir(dir);
        forget(slots);
        return -1;
    }
    int ok = write(ctx, f) == 0 && fflush(f) == 0 && fchmod(fileno(f), 0400) == 0;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok) {
        snprintf(msg, msglen, "cannot write %s", path);
        unlink(path);
        rmdir(dir);
        forget(slots);
        return -1;
    }
    return 0;
}

int external_show(const char *env, const char *fallback, const char *name, external_write_fn write, void *ctx,
                  char *msg, size_t msglen)
{
    const char *prog = getenv(env);
    if (!prog || !prog[0])
        prog = fallback;
    char dir[512], path[640];
    int slots[2] = {-1, -1};
    if (make_copy(name, write, ctx, dir, sizeof dir, path, sizeof path, slots, msg, msglen) != 0)
        return -1;
    char *cmd = NULL;
    /* exec: the pager or editor is the child itself, so ending the child ends it */
    if (asprintf(&cmd, "exec %s \"$1\"", prog) < 0) {
        unlink(path);
        rmdir(dir);
        forget(slots);
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    /* as system() does: while the program runs, ^C and ^\ are its own */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    def_prog_mode();
    endwin();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
        _exit(127);
    }
    int status = 0, rc = 0;
    if (pid < 0) {
        snprintf(msg, msglen, "cannot start %s: %s", prog, strerror(errno));
        rc = -1;
    } else {
        signals_child(pid); /* ended with ctview (SIGTERM, SIGHUP, a fatal signal) */
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        signals_child(0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
            snprintf(msg, msglen, "%s: command not found (set %s)", prog, env);
            rc = -1;
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            snprintf(msg, msglen, "%s exited with an error", prog);
            rc = -1;
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    reset_prog_mode();
    clearok(curscr, TRUE);
    refresh();
    free(cmd);
    unlink(path);
    rmdir(dir);
    forget(slots);
    return rc;
}
