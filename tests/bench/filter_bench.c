/* filter_bench: times the filter language on a loaded store, as the TUI runs it (compile, then a
 * filter_run to completion). Usage: filter_bench PATH EXPR...   Prints, per expression, the events
 * shown, the best of five CPU times in milliseconds (the filter runs on one thread; CPU time is what a
 * shared machine leaves comparable), the CPU time of the first run (a field's first use is tested event
 * by event) and of the second (which builds the field indexes the expression needs,
 * model/index/fieldindex.h), tab-separated; then mem-indexes: the bytes per event the store gained meanwhile,
 * and on stderr each index built: events, bytes per event, build CPU time. Not a test: run by bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/identity/actors.h"
#include "model/index/fieldindex.h"
#include "model/query/filter.h"
#include "model/identity/origin.h"
#include "model/query/overview.h"
#include "model/identity/trace.h"
#include "parsers/load.h"

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Where the store's bytes go, per event: the event records, the id list (resources, pieces), the dedupe
 * set, and the interned strings by who refers to them (a field, or only the id list: the pieces and
 * resource ARNs). String cost: the bytes, the 4-byte length and NUL, the id's pointer and hash slots. */
static void memory_report(const struct store *s)
{
    uint32_t n = intern_count(s->strings);
    uint8_t *kind = calloc(n ? n : 1, 1); /* 1: field, 2: only the id list */
    if (!kind)
        return;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        for (int f = 0; f < EF__COUNT; f++)
            kind[store_field(s, e, f)] = 1;
        const uint32_t *ids = store_res_ids(s, e);
        for (int k = 0; k < e->res_count + e->piece_count; k++)
            if (!kind[ids[k]])
                kind[ids[k]] = 2;
    }
    size_t count[3] = {0}, bytes[3] = {0};
    size_t ncold = 0;
    for (uint32_t id = 1; id < n; id++) {
        if (intern_is_cold(s->strings, id)) {
            ncold++; /* counted below, deflated */
            continue;
        }
        count[kind[id]]++;
        bytes[kind[id]] += intern_len(s->strings, id) + 5;
    }
    size_t raw, deflated = intern_cold_bytes(s->strings, &raw);
    free(kind);
    double ev = s->nevents ? (double)s->nevents : 1;
    size_t table = intern_bytes(s->strings) - bytes[0] - bytes[1] - bytes[2] - deflated;
    printf("mem-events\t%zu\t%.0f\n", s->nevents, (double)(s->cap * sizeof *s->events) / ev);
    printf("mem-list\t%zu\t%.0f\n", s->nlist, (double)(s->list_cap * sizeof *s->list_ids) / ev);
    printf("mem-seen\t%zu\t%.0f\n", s->nseen, (double)(s->seen_slots * sizeof *s->seen) / ev);
    printf("mem-field-strings\t%zu\t%.0f\n", count[1], (double)bytes[1] / ev);
    printf("mem-list-strings\t%zu\t%.0f\n", count[2], (double)bytes[2] / ev);
    printf("mem-cold-pieces\t%zu\t%.0f\t(raw %.0f)\n", ncold, (double)deflated / ev, (double)raw / ev);
    printf("mem-intern-table\t%u\t%.0f\n", n, (double)table / ev);
    printf("mem-total\t%zu\t%.0f\n", s->nevents, (double)store_bytes(s) / ev);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: filter_bench PATH EXPR...\n");
        return 1;
    }
    struct store *s = store_new();
    const char *paths[] = {argv[1]};
    if (!s || load_paths(s, paths, 1, NULL, NULL) != 0) {
        fprintf(stderr, "filter_bench: out of memory\n");
        return 2;
    }
    printf("events\t%zu\n", s->nevents);
    memory_report(s);
    size_t bytes0 = store_bytes(s);
    for (int i = 2; i < argc; i++) {
        double best = 1e30, first = 0, second = 0, best_wall = 1e30;
        size_t shown = 0;
        for (int rep = 0; rep < 5; rep++) {
            double t0 = cpu_ms(), w0 = now_ms();
            struct filter_error err;
            struct filter *f = filter_compile(argv[i], s, &err);
            if (!f) {
                fprintf(stderr, "filter_bench: %s: %s\n", argv[i], err.message);
                return 1;
            }
            struct filter_run run;
            filter_run_init(&run, f);
            if (filter_run_all(&run) != 0)
                return 2;
            double t = cpu_ms() - t0, w = now_ms() - w0;
            if (w < best_wall)
                best_wall = w;
            if (rep == 0)
                first = t;
            if (rep == 1)
                second = t;
            shown = run.nshown;
            filter_run_free(&run);
            filter_free(f);
            if (t < best)
                best = t;
        }
        printf("%s\t%zu\t%.1f\t%.1f\t%.1f\twall\t%.1f\n", argv[i], shown, best, first, second, best_wall);
    }
    printf("mem-indexes\t%zu\t%.1f\n", store_bytes(s) - bytes0,
           (double)(store_bytes(s) - bytes0) / (double)s->nevents);
    for (int f = 0; f < EF__COUNT; f++)
        for (int o = 0; o < FX__COUNT; o++) {
            const struct fieldindex *x = fieldindex_get(s, (enum event_field)f, (enum fieldindex_order)o);
            if (x)
                fprintf(
                    stderr,
                    "filter_bench: index %s %s: %zu events, %zu values, %.1f B/event, build %.0f ms CPU\n",
                    event_field_path((enum event_field)f), o == FX_ADDR ? "by address" : "by value", x->m,
                    x->ngroups, (double)fieldindex_bytes_of(x) / (double)s->nevents, x->build_ms);
        }
    /* The overview of every event: histogram and the top values of six fields. */
    double o0 = now_ms();
    struct histogram h;
    struct summary sum;
    if (histogram_build(s, NULL, s->nevents, 130, &h) != 0)
        return 2;
    double o1 = now_ms();
    if (summary_build(s, NULL, s->nevents, 50, &sum) != 0)
        return 2;
    double o2 = now_ms();
    printf("overview-histogram\t%zu\t%.1f\n", h.nbuckets, o1 - o0);
    printf("overview-summary\t%zu\t%.1f\n", sum.total, o2 - o1);
    histogram_free(&h);
    summary_free(&sum);

    /* The identity trace: the index is built once per session, then each trace should be O(hops). */
    double t0 = now_ms();
    struct trace_index *x = trace_index_new(s);
    if (!x)
        return 2;
    double build = now_ms() - t0, worst = 0, total = 0;
    size_t traces = 0, hops = 0, step = s->nevents / 2000 ? s->nevents / 2000 : 1;
    for (size_t i = 0; i < s->nevents; i += step) {
        struct trace t;
        double t1 = now_ms();
        if (trace_build(x, i, &t) != 0)
            return 2;
        double d = now_ms() - t1;
        total += d;
        worst = d > worst ? d : worst;
        hops += t.nhops;
        traces++;
        trace_free(&t);
    }
    printf("trace-index\t%zu\t%.1f\n", s->nevents, build);
    printf("trace-mean\t%zu\t%.3f\n", hops, traces ? total / (double)traces : 0);
    printf("trace-max\t%zu\t%.3f\n", traces, worst);

    /* Origins of every event (once, with the trace index), then origin: and the actors of all events. */
    double r0 = now_ms();
    if (origins_ensure(s, x) != 0)
        return 2;
    printf("origins\t%zu\t%.1f\n", origins_of(s)->nactors, now_ms() - r0 + build);
    const char *oexpr = "origin:alice";
    double obest = 1e30, abest = 1e30;
    size_t oshown = 0, arows = 0;
    for (int rep = 0; rep < 5; rep++) {
        double a0 = now_ms();
        struct filter_error err;
        struct filter *f = filter_compile(oexpr, s, &err);
        struct filter_run run;
        if (!f)
            return 2;
        filter_run_init(&run, f);
        if (filter_run_all(&run) != 0)
            return 2;
        double a1 = now_ms();
        oshown = run.nshown;
        filter_run_free(&run);
        filter_free(f);
        struct actor_table t;
        if (actors_build(s, NULL, s->nevents, &t) != 0)
            return 2;
        double a2 = now_ms();
        arows = t.n;
        actors_free(&t);
        obest = a1 - a0 < obest ? a1 - a0 : obest;
        abest = a2 - a1 < abest ? a2 - a1 : abest;
    }
    printf("%s\t%zu\t%.1f\n", oexpr, oshown, obest);
    printf("actors\t%zu\t%.1f\n", arows, abest);
    trace_index_free(x);
    store_free(s);
    return 0;
}
