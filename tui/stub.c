#include "tui/app.h"
int app_run(const char *const *p, size_t n) { (void)p; (void)n; return 1; }
