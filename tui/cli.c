#include "tui/cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "model/query/field.h"
#include "model/json/jsonout.h"
#include "model/base/problems.h"
#include "model/present/textsafe.h"
#include "model/base/timefmt.h"
#include "parsers/s3open.h"

/* Writes s escaped, or "-" when empty. Escaping also keeps tabs and newlines out of the TSV. */
static void put_cell(FILE *out, const char *s)
{
    if (!s || !*s) {
        fputc('-', out);
        return;
    }
    char small[512];
    size_t len = strlen(s), need = textsafe_escape(s, len, small, sizeof small);
    if (need < sizeof small) {
        fputs(small, out);
        return;
    }
    char *big = textsafe_escape_dup(s, len);
    fputs(big ? big : "?", out);
    free(big);
}

static size_t shown_count(const struct store *s, const struct cli_shown *shown)
{
    return shown->all ? s->nevents : shown->n;
}

int cli_list(struct store *s, const struct cli_shown *shown, FILE *out, int json)
{
    if (!json) {
        /* the default columns, printed as --columns prints any */
        struct field *cols;
        size_t ncols;
        struct field_error ferr;
        if (field_list_parse(FIELD_LIST_DEFAULT, &cols, &ncols, &ferr) != 0) {
            fprintf(stderr, "ctview: %s\n", ferr.message);
            return 2;
        }
        int rc = cli_list_columns(s, shown, cols, ncols, out);
        field_list_free(cols, ncols);
        return rc;
    }
    int rc = 0;
    char *min = NULL;
    size_t min_cap = 0;
    size_t n = shown_count(s, shown);
    /* a record's strings may hold bytes a terminal acts on (ESC, C1, invalid UTF-8): on a terminal they
     * are written as JSON escapes, meaning the same */
    int tty = isatty(fileno(out));
    for (size_t i = 0; i < n; i++) {
        const struct event *e = &s->events[shown->all ? i : shown->idx[i]];
        size_t len;
        char *err = NULL;
        const char *raw = store_raw(s, e, &len, &err);
        if (!raw) {
            fprintf(stderr, "ctview: %s\n", err ? err : "cannot read event");
            free(err);
            rc = 1;
            continue;
        }
        if (JSONOUT_ESCAPED_MAX(len) + 1 > min_cap) {
            free(min);
            min_cap = JSONOUT_ESCAPED_MAX(len) + 1;
            min = malloc(min_cap);
            if (!min) {
                fprintf(stderr, "ctview: out of memory\n");
                return 1;
            }
        }
        /* the one writer makes it valid JSON; a terminal also gets the invisible and directional code
         * points inside its strings as \uXXXX (model/present/textsafe.h) */
        size_t n = jsonout_record(raw, len, 1, min);
        if (tty)
            textsafe_json_write(out, min, n);
        else
            fwrite(min, 1, n, out);
        fputc('\n', out);
    }
    free(min);
    return rc;
}

long long cli_peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return (long long)ru.ru_maxrss * 1024;
}

/* The S3 figures of --stats --json (after its other keys), or "" when no s3:// path was opened. */
static const char *s3_keys(char *buf, size_t cap)
{
    const struct s3open_totals *t = s3open_totals();
    if (!t->used)
        return "";
    snprintf(buf, cap,
             ", \"objects_listed\": %llu, \"objects_fetched\": %llu, \"bytes_fetched\": %llu, "
             "\"cache_hits\": %llu, "
             "\"requests\": %llu, \"list_requests\": %llu, \"retries\": %llu",
             (unsigned long long)t->objects_listed, (unsigned long long)t->objects_fetched,
             (unsigned long long)t->bytes_fetched, (unsigned long long)t->cache_hits,
             (unsigned long long)t->requests, (unsigned long long)t->list_requests,
             (unsigned long long)t->retries);
    return buf;
}

int cli_stats(const struct store *s, const struct cli_shown *shown, FILE *out, int json, double load_seconds)
{
    const struct load_counts *c = &s->counts;
    size_t problems =
        problems_count(&s->problems, PROBLEM_FILE) + problems_count(&s->problems, PROBLEM_RECORD);
    long long rss = cli_peak_rss_bytes();
    char s3[320];
    if (json) {
        fprintf(out,
                "{\"files\": %llu, \"skipped_files\": %llu, \"records\": %llu, \"events\": %llu, "
                "\"duplicates\": %llu, \"bad_records\": %llu, \"skipped_records\": %llu, \"problems\": %zu, "
                "\"bytes\": %llu, \"strings\": %u, \"model_bytes\": %zu, \"load_seconds\": %.3f, "
                "\"peak_rss_bytes\": %lld, \"shown\": %zu, \"undecided\": %zu, \"pruned\": %llu%s}\n",
                (unsigned long long)c->files, (unsigned long long)c->skipped_files,
                (unsigned long long)c->records, (unsigned long long)c->events,
                (unsigned long long)c->duplicates, (unsigned long long)c->bad_records,
                (unsigned long long)c->skipped_records, problems, (unsigned long long)c->bytes,
                intern_count(s->strings), store_bytes(s), load_seconds, rss, shown_count(s, shown),
                shown->undecided, (unsigned long long)c->pruned, s3_keys(s3, sizeof s3));
        return 0;
    }
    fprintf(out, "files read as logs   %llu\n", (unsigned long long)c->files);
    fprintf(out, "files skipped        %llu\n", (unsigned long long)c->skipped_files);
    if (c->pruned)
        fprintf(out, "pruned by time       %llu\n", (unsigned long long)c->pruned);
    fprintf(out, "records seen         %llu\n", (unsigned long long)c->records);
    fprintf(out, "  events loaded      %llu\n", (unsigned long long)c->events);
    fprintf(out, "  duplicates         %llu\n", (unsigned long long)c->duplicates);
    fprintf(out, "  bad records        %llu\n", (unsigned long long)c->bad_records);
    fprintf(out, "events shown         %zu\n", shown_count(s, shown));
    if (shown->undecided)
        fprintf(out, "events undecided     %zu\n", shown->undecided);
    fprintf(out, "skipped records      %llu\n", (unsigned long long)c->skipped_records);
    fprintf(out, "problems             %zu\n", problems);
    fprintf(out, "decoded bytes        %llu\n", (unsigned long long)c->bytes);
    fprintf(out, "load seconds         %.3f\n", load_seconds);
    fprintf(out, "peak RSS bytes       %lld\n", rss);
    for (size_t i = 0; i < s->problems.count; i++) {
        const struct problem *p = &s->problems.rows[i];
        if (p->kind == PROBLEM_NOTE)
            continue;
        char *file = textsafe_escape_dup(p->file, strlen(p->file));
        char *reason = textsafe_escape_dup(p->reason, strlen(p->reason));
        fprintf(out, "problem: %s", file ? file : "?");
        if (p->offset >= 0)
            fprintf(out, " byte %lld", (long long)p->offset);
        if (p->record >= 0)
            fprintf(out, " record %lld", (long long)p->record);
        fprintf(out, ": %s\n", reason ? reason : "?");
        free(file);
        free(reason);
    }
    return 0;
}

void cli_report_problems(const struct store *s, size_t from, FILE *err)
{
    for (size_t i = from; i < s->problems.count; i++) {
        const struct problem *p = &s->problems.rows[i];
        fputs("ctview: ", err);
        put_cell(err, p->file);
        if (p->offset >= 0)
            fprintf(err, " byte %lld", (long long)p->offset);
        fputs(": ", err);
        put_cell(err, p->reason);
        fputc('\n', err);
    }
}

size_t cli_report_unread(const struct store *s, const char *const *paths, size_t n, FILE *err)
{
    size_t unread = 0;
    for (size_t i = 0; i < n; i++) {
        const struct problem *p = strcmp(paths[i], "-") != 0 ? problems_unread(&s->problems, paths[i]) : NULL;
        if (!p)
            continue;
        /* the same path named twice is walked twice and so reported twice: once here is enough */
        int again = 0;
        for (size_t k = 0; k < i && !again; k++)
            again = strcmp(paths[k], paths[i]) == 0;
        if (again)
            continue;
        fputs("ctview: ", err);
        put_cell(err, paths[i]);
        fputs(": ", err);
        put_cell(err, p->reason);
        fputc('\n', err);
        unread++;
    }
    return unread;
}
