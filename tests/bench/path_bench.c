/* path_bench: times JSON paths as fields on a loaded store. Usage: path_bench LOGS PATH:VALUE...
 * For each term prints, tab-separated: the term, events shown, the first filter on its path (which
 * builds the store's index for the path) in ms, the best of five later filters in ms, the best of five
 * top-values counts of the path in ms, the bytes the path's index holds, how many files were decoded
 * for the first filter, its CPU time in ms (every thread) and the CPU time of the calling thread alone
 * in ms (the part no worker thread shares). Not a test. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "model/query/field.h"
#include "model/query/fieldtop.h"
#include "model/query/filter.h"
#include "parsers/load.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of this process (user + system), in ms: the machine may be shared, wall time then lies. */
static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* CPU time of the calling thread alone: the first use's own work (planning, merging the workers'
 * results), apart from the workers'. */
static double thread_cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Counts the times a source is decoded again (the store's reader), to see whether the index build
 * decodes each file once. */
static store_reader_fn reader;
static atomic_long rereads; /* the index build reads on worker threads */

static int counting_reader(const struct source *src, char **data, size_t *len, char **err)
{
    rereads++;
    return reader(src, data, len, err);
}

/* Compiles and runs expr to completion in the steps the TUI takes; returns the events shown or -1. */
static long run_filter(struct store *s, const char *expr)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, s, &err);
    if (!f) {
        fprintf(stderr, "path_bench: %s: %s\n", expr, err.message);
        return -1;
    }
    struct filter_run run;
    filter_run_init(&run, f);
    while (!filter_run_step(&run, 65536))
        ;
    long shown = run.failed ? -1 : (long)run.nshown;
    filter_run_free(&run);
    filter_free(f);
    return shown;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: path_bench LOGS PATH:VALUE...\n");
        return 1;
    }
    struct store *s = store_new();
    const char *paths[] = {argv[1]};
    if (!s || load_paths(s, paths, 1, NULL, NULL) != 0) {
        fprintf(stderr, "path_bench: out of memory\n");
        return 2;
    }
    printf("events\t%zu\tsources\t%zu\n", s->nevents, s->nsources);
    printf(
        "term\tshown\tfirst_ms\tlater_ms\ttop_ms\tindex_bytes\tfirst_decodes\tfirst_cpu_ms\tfirst_main_cpu_"
        "ms\n");
    reader = s->reader;
    store_set_reader(s, counting_reader);
    for (int i = 2; i < argc; i++) {
        double t0 = now_ms(), c0 = cpu_ms(), m0 = thread_cpu_ms();
        atomic_store(&rereads, 0);
        long shown = run_filter(s, argv[i]);
        long decodes = atomic_load(&rereads);
        double first_cpu = cpu_ms() - c0, first_main = thread_cpu_ms() - m0;
        double first = now_ms() - t0, later = 1e30, top = 1e30;
        if (shown < 0)
            return 1;
        for (int rep = 0; rep < 5; rep++) {
            t0 = now_ms();
            run_filter(s, argv[i]);
            double t = now_ms() - t0;
            later = t < later ? t : later;
        }
        const char *colon = strchr(argv[i], ':');
        struct field fld;
        struct field_error ferr;
        if (!colon || field_parse(argv[i], (size_t)(colon - argv[i]), &fld, &ferr) != 0) {
            fprintf(stderr, "path_bench: %s: not PATH:VALUE\n", argv[i]);
            return 1;
        }
        while (field_prepare(s, &fld, 1 << 20) == 0)
            ;
        for (int rep = 0; rep < 5; rep++) {
            struct fieldtop ft;
            t0 = now_ms();
            if (fieldtop_build(s, &fld, NULL, s->nevents, 10, &ft) != 0)
                return 2;
            double t = now_ms() - t0;
            top = t < top ? t : top;
            fieldtop_free(&ft);
        }
        size_t bytes = fld.px ? pathindex_bytes(fld.px) : 0;
        printf("%s\t%ld\t%.1f\t%.1f\t%.1f\t%zu\t%ld\t%.0f\t%.0f\n", argv[i], shown, first, later, top, bytes,
               decodes, first_cpu, first_main);
        field_free(&fld);
    }
    store_free(s);
    return 0;
}
