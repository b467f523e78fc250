/* xdg: ctview's files under the XDG base directories. See xdg.h. */
#include "model/base/xdg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/base/errmsg.h"

char *xdg_file(const char *env, const char *home_dir, const char *name)
{
    const char *xdg = getenv(env), *home = getenv("HOME");
    char *p = NULL;
    if (xdg && xdg[0] == '/')
        return asprintf(&p, "%s/ctview/%s", xdg, name) < 0 ? NULL : p;
    if (home && home[0])
        return asprintf(&p, "%s/%s/ctview/%s", home, home_dir, name) < 0 ? NULL : p;
    return NULL;
}

int xdg_make_parents(const char *path, char **err)
{
    *err = NULL;
    char *dir = strdup(path);
    if (!dir)
        return -1;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            errmsg_set(err, "cannot create %s: %s", dir, strerror(errno));
            free(dir);
            return -1;
        }
        *p = '/';
    }
    free(dir);
    return 0;
}
