/* The first load, in the background: worker threads read the inputs while the interface runs; between
 * keys the main thread merges what they read into the store, and now and then puts the new events in
 * time order and re-shows the list (app_absorb). */
#include "tui/loading.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/present/textsafe.h"
#include "parsers/load.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/app.h"

struct loading {
    struct loader *loader;                    /* owned */
    double started, last_absorb, absorb_cost; /* seconds (monotonic) */
    struct load_progress progress;
    size_t absorbed; /* events already merged into time order and shown */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int loading_start(struct app *a, const char *const *paths, size_t npaths, int64_t since_ms, int64_t until_ms,
                  const struct s3open_opts *scope)
{
    if (!(a->loading = calloc(1, sizeof *a->loading)))
        return -1;
    struct s3open_opts sc = scope ? *scope : (struct s3open_opts){0};
    sc.since_ms = since_ms;
    sc.until_ms = until_ms;
    a->loading->loader = loader_start_scope(paths, npaths, &sc);
    if (!a->loading->loader) {
        loading_stop(a);
        return -1;
    }
    a->loading->started = a->loading->last_absorb = now();
    return 0;
}

static void absorb(struct app *a)
{
    double t = now();
    /* events that sort before the first ones in arrive later: a selection left on the first row stays
     * on the first event rather than on the event it was */
    int at_top = a->list.cur == 0;
    app_absorb(a, a->loading->absorbed);
    if (at_top)
        a->list.cur = a->list.top = 0;
    a->loading->absorbed = a->store->nevents;
    a->loading->last_absorb = now();
    a->loading->absorb_cost = a->loading->last_absorb - t;
}

int loading_step(struct app *a, double budget)
{
    if (!a->loading)
        return 0;
    struct load_progress before = a->loading->progress;
    size_t events = a->store->nevents;
    int rc = loader_merge(a->loading->loader, a->store, budget);
    loader_progress(a->loading->loader, &a->loading->progress);
    if (rc != 0) {
        /* done, or out of memory: either way what was merged is what there is */
        const char *fatal = loader_error(a->loading->loader);
        char why[200] = "";
        if (fatal) /* an s3:// path that could not be opened at all: said in place of the count */
            textsafe_escape(fatal, strlen(fatal), why, sizeof why);
        absorb(a); /* the stable merge of the sorted part and the rest: what store_finish would give */
        if (rc > 0 && !fatal)
            loader_save(a->loading->loader, a->store);
        loader_free(a->loading->loader);
        a->loading->loader = NULL;
        loading_stop(a);
        if (why[0])
            app_message(a, "%s", why);
        else if (rc < 0)
            app_message(a, "out of memory while loading: %zu events loaded", a->store->nevents);
        else if (a->store->nevents == 0)
            app_message(a, "no events loaded%s",
                        a->store->problems.count ? ": press p for the problems" : "");
        return 1;
    }
    /* Re-sorting and re-filtering cost in proportion to what is loaded: do it less often as the store
     * grows, so the interface never spends more than a fifth of the load on it. */
    double gap = a->loading->absorb_cost * 4 > 0.25 ? a->loading->absorb_cost * 4 : 0.25;
    if (a->store->nevents > a->loading->absorbed && now() - a->loading->last_absorb >= gap)
        absorb(a);
    const struct load_progress *now_p = &a->loading->progress;
    return events != a->store->nevents || before.files_done != now_p->files_done ||
           before.files_total != now_p->files_total || before.bytes != now_p->bytes ||
           before.remote != now_p->remote || before.objects_listed != now_p->objects_listed ||
           before.objects_done != now_p->objects_done;
}

void loading_draw(struct app *a, int y)
{
    const struct load_progress *p = &a->loading->progress;
    double elapsed = now() - a->loading->started;
    double rate = elapsed > 0 ? (double)p->bytes / elapsed / 1e6 : 0;
    char text[200], eta[32] = "";
    if (p->files_total && p->files_done && p->files_done < p->files_total) {
        double left = elapsed * (double)(p->files_total - p->files_done) / (double)p->files_done;
        snprintf(eta, sizeof eta, "  ETA %.0f s", left);
    }
    int pct = p->files_total ? (int)(p->files_done * 100 / p->files_total) : 0;
    size_t ndone = p->files_done, ntotal = p->files_total;
    if (p->remote && !p->files_total && p->objects_listed) {
        /* objects coming from S3: how many of those listed are in, and the bytes fetched (read from the
         * cache when nothing was) */
        ndone = (size_t)p->objects_done;
        ntotal = (size_t)p->objects_listed;
        double mb = (double)(p->bytes_fetched ? p->bytes_fetched : p->bytes) / 1e6;
        if (ndone && ndone < ntotal)
            snprintf(eta, sizeof eta, "  ETA %.0f s", elapsed * (double)(ntotal - ndone) / (double)ndone);
        pct = (int)(ndone * 100 / ntotal);
        snprintf(text, sizeof text, " Loading %3d%%  %zu/%zu objects  %.1f MB  %zu events  %.1f MB/s%s", pct,
                 ndone, ntotal, mb, a->store->nevents, elapsed > 0 ? mb / elapsed : 0, eta);
    } else if (p->files_total)
        snprintf(text, sizeof text, " Loading %3d%%  %zu/%zu files  %zu events  %.0f MB/s%s", pct,
                 p->files_done, p->files_total, a->store->nevents, rate, eta);
    else
        snprintf(text, sizeof text,
                 p->remote ? " Loading: listing objects..." : " Loading: finding files...");
    attr_t at = theme_attr(R_STATUS);
    draw_fill(a->win, y, 0, a->cols, at);
    static const char hint[] = "(q quits) ";
    int hw = (int)sizeof hint - 1;
    draw_str(a->win, y, 0, a->cols, text, at);
    if ((int)strlen(text) + hw < a->cols) /* at the right edge, so the line reads as full width */
        draw_str(a->win, y, a->cols - hw, hw, hint, at);
    /* the bar: the done part of the line in the selection's colours, over the text */
    int bar = ntotal ? (int)((double)a->cols * (double)ndone / (double)ntotal) : 0;
    attr_t done = theme_attr(R_SELECTED);
    if (bar > 0)
        mvwchgat(a->win, y, 0, bar, done & ~A_COLOR, (short)PAIR_NUMBER(done), NULL);
}

void loading_stop(struct app *a)
{
    if (!a->loading)
        return;
    loader_free(a->loading->loader);
    free(a->loading);
    a->loading = NULL;
}

int loading_on(const struct app *a)
{
    return a->loading != NULL;
}
