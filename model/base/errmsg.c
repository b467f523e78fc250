/* errmsg: errors as formatted messages. See errmsg.h. */
#include "model/base/errmsg.h"

#include <stdarg.h>
#include <stdio.h>

int errmsg_set(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
    return -1;
}
