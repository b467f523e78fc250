/* A small test harness: CHECK records a failure with file and line and carries on; main returns the
 * number of failures so meson reports the test as failed. */
#ifndef CTVIEW_HARNESS_H
#define CTVIEW_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_failures, harness_checks, harness_skips;

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        harness_checks++;                                                                                    \
        if (!(cond)) {                                                                                       \
            harness_failures++;                                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                         \
        }                                                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                                                      \
    do {                                                                                                     \
        const char *a_ = (a), *b_ = (b);                                                                     \
        harness_checks++;                                                                                    \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                             \
            harness_failures++;                                                                              \
            fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\" (%s)\n", __FILE__, __LINE__,                 \
                    b_ ? b_ : "(null)", a_ ? a_ : "(null)", #a);                                             \
        }                                                                                                    \
    } while (0)

#define CHECK_INT(a, b)                                                                                      \
    do {                                                                                                     \
        long long a_ = (long long)(a), b_ = (long long)(b);                                                  \
        harness_checks++;                                                                                    \
        if (a_ != b_) {                                                                                      \
            harness_failures++;                                                                              \
            fprintf(stderr, "%s:%d: expected %lld, got %lld (%s)\n", __FILE__, __LINE__, b_, a_, #a);        \
        }                                                                                                    \
    } while (0)

/* A block that cannot run here: said, with why, and counted (tests/run.sh reports every SKIP line). */
static inline void harness_skip(const char *why)
{
    harness_skips++;
    printf("SKIP: %s\n", why);
}

static inline int harness_done(const char *name)
{
    printf("%s: %d checks, %d failed, %d skipped\n", name, harness_checks, harness_failures, harness_skips);
    return harness_failures ? 1 : 0;
}

#endif
