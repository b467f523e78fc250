/* sigma_bench: times the Sigma rules over a loaded store, as --findings and the TUI run them (read the
 * rules, then a findings run to completion). Usage: sigma_bench PATH RULES...   Prints the events, the
 * rules loaded and refused, then per run the wall and CPU milliseconds, the events read in the second
 * pass and the findings. Not a test: run by hand or by bench/run.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/detect/findings.h"
#include "parsers/load.h"

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: sigma_bench PATH RULES...\n");
        return 1;
    }
    struct store *s = store_new();
    const char *paths[] = {argv[1]};
    if (!s || load_paths(s, paths, 1, NULL, NULL) != 0) {
        fprintf(stderr, "sigma_bench: out of memory\n");
        return 2;
    }
    printf("events\t%zu\n", s->nevents);
    for (int rep = 0; rep < 3; rep++) {
        double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
        struct sigma_set *set = sigma_set_new();
        for (int i = 2; set && i < argc; i++)
            if (sigma_set_add_path(set, argv[i]) != 0)
                return 2;
        struct findings *f = set ? findings_new(set, s) : NULL;
        if (!f || findings_run_all(f) != 0)
            return 2;
        double wall = now_ms(CLOCK_MONOTONIC) - w0, cpu = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        size_t total = 0, fired = 0;
        for (size_t r = 0; r < sigma_set_count(set); r++) {
            size_t n;
            findings_rule_events(f, r, &n);
            total += n;
            fired += n > 0;
        }
        printf("rules\t%zu loaded\t%zu "
               "refused\twall_ms\t%.0f\tcpu_ms\t%.0f\tread\t%zu\tfired\t%zu\tfindings\t%zu\n",
               sigma_set_count(set), sigma_set_refused(set), wall, cpu, findings_events_read(f), fired,
               total);
        findings_free(f);
        sigma_set_free(set);
    }
    store_free(s);
    return 0;
}
