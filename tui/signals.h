/* signals: what ctview does when a signal ends it.
 *
 * ^C, SIGTERM and SIGHUP, while the interface runs, ask it to quit the usual way (so the histories are
 * saved and the terminal restored); a second one, or one while no loop is there to see the request, ends
 * the program at once like the fatal signals (SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL): the
 * terminal is restored (alternate screen, mouse, cursor, keypad, modes), the temporary files removed
 * (model/base/tempfiles.h), a pager or editor that runs is ended, then the signal takes its default
 * course. SIGXFSZ is ignored: a write past `ulimit -f` fails with a message like any other. */
#ifndef CTVIEW_SIGNALS_H
#define CTVIEW_SIGNALS_H

#include <sys/types.h>

/* Installs the handlers (before curses starts: ncurses then leaves SIGINT and SIGTERM to them). */
void signals_install(void);

/* Whether the interface's loop takes ^C, SIGTERM and SIGHUP as a request to quit (on) or they end the
 * program at once (off, the default). */
void signals_graceful(int on);

/* The signal that asked to quit, or 0. */
int signals_quit_requested(void);

/* Curses is on: in_fd is the terminal it reads keys from, out_fd the one it draws on; the bytes that
 * undo its modes are taken from terminfo now. signals_terminal_off() when curses has ended. */
void signals_terminal_on(int in_fd, int out_fd, int mouse);
void signals_terminal_off(void);

/* The terminal modes as they were before curses: called before curses starts, for the restore. */
void signals_save_modes(int in_fd);

/* A pager or editor that runs (0: none): ended with ctview. */
void signals_child(pid_t pid);

#endif
