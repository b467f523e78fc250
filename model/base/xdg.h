/* xdg: where ctview keeps its files under the XDG base directories, shared by the state, the column
 * layout and the config file. */
#ifndef CTVIEW_XDG_H
#define CTVIEW_XDG_H

/* The path of ctview/NAME under the directory the environment variable ENV names, else under
 * $HOME/HOME_DIR (e.g. ".local/state"). Returns a new string (owned by the caller, free()), or NULL when
 * neither is set or out of memory. A relative ENV is ignored, as the specification says. */
char *xdg_file(const char *env, const char *home_dir, const char *name);

/* mkdir -p of the directories above path, new ones with mode 0700 (the files are the user's). Returns 0,
 * or -1 with *err set (owned by the caller; NULL when out of memory). */
int xdg_make_parents(const char *path, char **err);

#endif
