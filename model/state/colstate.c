/* colstate: the list's column layout between runs. See colstate.h. */
#include "model/state/colstate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/atomicfile.h"
#include "model/base/errmsg.h"
#include "model/base/xdg.h"

char *colstate_path(void)
{
    return xdg_file("XDG_STATE_HOME", ".local/state", "columns");
}

int colstate_load(const char *path, char *out, size_t cap, char **err)
{
    *err = NULL;
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        return errmsg_set(err, "cannot read %s: %s", path, strerror(errno));
    }
    if (!fgets(out, (int)cap, f))
        out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

int colstate_save(const char *path, const char *spec, char **err)
{
    *err = NULL;
    if (xdg_make_parents(path, err) != 0)
        return -1;
    char *line = NULL;
    if (asprintf(&line, "%s\n", spec) < 0)
        return -1;
    int rc = atomicfile_write(path, line, strlen(line), err);
    free(line);
    return rc;
}
