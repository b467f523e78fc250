/* signals: see signals.h. Everything a handler does is async-signal-safe: write, tcsetattr, kill,
 * unlink, rmdir, sigaction, raise. */
#include "tui/signals.h"

#include <curses.h>
#include <signal.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "model/base/tempfiles.h"

static volatile sig_atomic_t quit_signal, graceful;
static volatile sig_atomic_t term_on, child_pid;
static int term_in = -1, term_out = -1, modes_saved;
static struct termios modes;
static char restore[512];
static size_t restore_len;

static const int quit_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int fatal_signals[] = {SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};

/* Restores the terminal, removes the temporary files, ends the child: what must happen whatever ends us. */
static void clean_up(void)
{
    if (term_on) {
        term_on = 0;
        size_t off = 0;
        while (off < restore_len) {
            ssize_t w = write(term_out, restore + off, restore_len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        if (modes_saved)
            tcsetattr(term_in, TCSANOW, &modes);
    }
    if (child_pid > 0)
        kill((pid_t)child_pid, SIGTERM);
    tempfiles_remove_all();
}

static void die(int sig)
{
    clean_up();
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

static void on_quit(int sig)
{
    if (graceful && !quit_signal) {
        quit_signal = sig; /* the loop sees it within one key wait */
        if (child_pid > 0)
            kill((pid_t)child_pid, SIGTERM);
        return;
    }
    die(sig);
}

void signals_install(void)
{
    struct sigaction sa = {.sa_handler = on_quit}; /* no SA_RESTART: a blocking read returns */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof quit_signals / sizeof *quit_signals; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started us (nohup) stays ignored */
        if (sigaction(quit_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(quit_signals[i], &sa, NULL);
    }
    sa.sa_handler = die;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
        sigaction(fatal_signals[i], &sa, NULL);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigemptyset(&ign.sa_mask);
    sigaction(SIGXFSZ, &ign, NULL);
}

void signals_graceful(int on)
{
    graceful = on;
}

int signals_quit_requested(void)
{
    return quit_signal;
}

void signals_save_modes(int in_fd)
{
    modes_saved = tcgetattr(in_fd, &modes) == 0;
}

static void add_cap(const char *name, const char *fallback)
{
    const char *s = tigetstr(name);
    if (!s || s == (char *)-1)
        s = fallback;
    size_t n = strlen(s);
    if (restore_len + n < sizeof restore) {
        memcpy(restore + restore_len, s, n);
        restore_len += n;
    }
}

void signals_terminal_on(int in_fd, int out_fd, int mouse)
{
    term_on = 0;
    restore_len = 0;
    term_in = in_fd;
    term_out = out_fd;
    if (mouse) { /* every mouse mode ncurses may have turned on, off */
        static const char off[] = "\033[?1006l\033[?1003l\033[?1002l\033[?1000l";
        memcpy(restore, off, sizeof off - 1);
        restore_len = sizeof off - 1;
    }
    add_cap("sgr0", "\033[m");
    add_cap("cnorm", "\033[?25h");
    add_cap("rmkx", "\033[?1l\033>");
    add_cap("rmcup", "\033[?1049l");
    term_on = 1;
}

void signals_terminal_off(void)
{
    term_on = 0;
}

void signals_child(pid_t pid)
{
    child_pid = pid;
}
