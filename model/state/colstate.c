/* colstate: the list's column layout between runs. See colstate.h. */
#include "model/state/colstate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/atomicfile.h"
#include "model/base/errmsg.h"
#include "model/base/safefile.h"
#include "model/base/xdg.h"

char *colstate_path(void)
{
    return xdg_file("XDG_STATE_HOME", ".local/state", "columns");
}

int colstate_load(const char *path, char *out, size_t cap, char **err)
{
    out[0] = '\0';
    char *text;
    size_t len;
    /* a layout is one short line: a file past this is not one */
    int got = safefile_read(path, 64 << 10, SAFEFILE_NOFOLLOW, &text, &len, err);
    if (got != 0)
        return got > 0 ? 0 : -1;
    size_t n = strcspn(text, "\r\n");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, text, n);
    out[n] = '\0';
    free(text);
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
