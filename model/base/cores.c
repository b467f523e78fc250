/* cores: worker thread counts. See cores.h. */
#include "model/base/cores.h"

#include <stdlib.h>
#include <unistd.h>

int cores_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    const char *env = getenv("CTVIEW_THREADS");
    if (env && atoi(env) > 0)
        n = atoi(env);
    return n < 1 ? 1 : n > CORES_MAX ? CORES_MAX : (int)n;
}
