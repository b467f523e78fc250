/* rowsort_bench: times sorting every event of a loaded store by a column, as the TUI sorts its list.
 * Usage: rowsort_bench PATH FIELD...   FIELD is a short name or a JSON path; "col:N" is column N of the
 * default list (0 time .. 7 error). Prints, per field, the best of three wall and CPU times in ms of
 * the first sort (every event ranked, then ordered) and of a re-sort from those ranks, tab-separated; a
 * path's index is built once first and timed apart. Not a test: run by hand (the figures in README's
 * "Sorting the list"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/query/rowsort.h"
#include "parsers/load.h"

static double ms_of(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: rowsort_bench PATH FIELD...\n");
        return 1;
    }
    struct store *s = store_new();
    const char *paths[] = {argv[1]};
    if (!s || load_paths(s, paths, 1, NULL, NULL) != 0) {
        fprintf(stderr, "rowsort_bench: out of memory\n");
        return 2;
    }
    printf("events\t%zu\n", s->nevents);
    uint32_t *order = malloc((s->nevents ? s->nevents : 1) * sizeof *order);
    uint32_t *rank = malloc((s->nevents ? s->nevents : 1) * sizeof *rank);
    if (!order || !rank)
        return 2;
    for (int i = 2; i < argc; i++) {
        struct field f;
        struct field_error err;
        struct rowsort_by by = {NULL, COL_TIME};
        double index_ms = 0;
        if (strncmp(argv[i], "col:", 4) == 0) {
            by.column = (enum column_id)atoi(argv[i] + 4);
        } else {
            if (field_parse(argv[i], strlen(argv[i]), &f, &err) != 0) {
                fprintf(stderr, "rowsort_bench: %s\n", err.message);
                return 1;
            }
            double t0 = ms_of(CLOCK_MONOTONIC);
            while (field_prepare(s, &f, 65536) == 0)
                ;
            index_ms = ms_of(CLOCK_MONOTONIC) - t0;
            by.field = &f;
        }
        /* the first sort (every event ranked, as the interface keeps the ranks), then a re-sort from the
         * kept ranks (after a filter or a new file), best of three each */
        double wall = 1e30, cpu = 1e30, rwall = 1e30, rcpu = 1e30;
        for (int rep = 0; rep < 3; rep++) {
            double w0 = ms_of(CLOCK_MONOTONIC), c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
            uint32_t nranks;
            if (rowsort_ranks(s, &by, NULL, s->nevents, rank, &nranks) != 0 ||
                rowsort_by_rank(rank, NULL, s->nevents, nranks, 0, order) != 0) {
                fprintf(stderr, "rowsort_bench: out of memory\n");
                return 2;
            }
            double w = ms_of(CLOCK_MONOTONIC) - w0, c = ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
            wall = w < wall ? w : wall;
            cpu = c < cpu ? c : cpu;
            w0 = ms_of(CLOCK_MONOTONIC), c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
            if (rowsort_by_rank(rank, NULL, s->nevents, nranks, 1, order) != 0)
                return 2;
            w = ms_of(CLOCK_MONOTONIC) - w0, c = ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
            rwall = w < rwall ? w : rwall;
            rcpu = c < rcpu ? c : rcpu;
        }
        printf("%s\tfirst sort %.0f ms wall %.0f ms cpu\tre-sort %.0f ms wall %.0f ms cpu\tindex %.0f ms\n",
               argv[i], wall, cpu, rwall, rcpu, index_ms);
        if (by.field)
            field_free(&f);
    }
    free(order);
    free(rank);
    store_free(s);
    return 0;
}
