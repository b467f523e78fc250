/* cores: worker thread counts. See cores.h. */
#include "model/base/cores.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

int cores_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    const char *env = getenv("CTVIEW_THREADS"), *bad = NULL;
    long long want = env ? strtonum(env, 1, INT_MAX, &bad) : 0;
    if (env && !bad)
        n = (long)want;
    return n < 1 ? 1 : n > CORES_MAX ? CORES_MAX : (int)n;
}
