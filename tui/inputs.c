/* inputs: argv's paths and --paths-from's lines made into the loader's list (see inputs.h). */
#include "tui/inputs.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/present/textsafe.h"

static int read_lines(const char *file, char ***v, size_t *n)
{
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "re");
    char shown[256];
    textsafe_escape(file, strlen(file), shown, sizeof shown);
    if (!f) {
        fprintf(stderr, "ctview: --paths-from %s: %s\n", shown, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "ctview: --paths-from %s: a folder, not a list of paths\n", shown);
        if (f != stdin)
            fclose(f);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, vcap = 0;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (*n >= INPUTS_MAX_LINES || (size_t)len > 4096) {
            fprintf(stderr, "ctview: --paths-from %s: %s\n", shown,
                    *n >= INPUTS_MAX_LINES ? "more than 1,000,000 paths" : "a line longer than 4,096 bytes");
            rc = -1;
            break;
        }
        if (*n == vcap) {
            vcap = vcap ? vcap * 2 : 64;
            char **g = reallocarray(*v, vcap, sizeof *g);
            if (!g) {
                rc = -1;
                break;
            }
            *v = g;
        }
        if (!((*v)[*n] = strdup(line))) {
            rc = -1;
            break;
        }
        (*n)++;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int inputs_expand(struct inputs *in, const char *const *paths, size_t n, const char *paths_from)
{
    memset(in, 0, sizeof *in);
    char **extra = NULL;
    size_t nextra = 0;
    if (paths_from && read_lines(paths_from, &extra, &nextra) != 0) {
        s3open_paths_free(extra, nextra);
        return -1;
    }
    if (!(in->paths = calloc(n + nextra + 1, sizeof *in->paths))) {
        s3open_paths_free(extra, nextra);
        fprintf(stderr, "ctview: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(in->paths[in->n] = strdup(paths[i]))) {
            s3open_paths_free(extra, nextra);
            fprintf(stderr, "ctview: out of memory\n");
            return -1;
        }
        in->n++;
    }
    if (nextra) /* the lines' strings move over */
        memcpy(in->paths + in->n, extra, nextra * sizeof *extra);
    in->n += nextra;
    free(extra);
    return 0;
}

void inputs_free(struct inputs *in)
{
    s3open_paths_free(in->paths, in->n);
    memset(in, 0, sizeof *in);
}

/* Whether list is comma-separated items of what item_ok accepts. */
static int list_ok(const char *list, int (*item_ok)(const char *, size_t))
{
    for (const char *p = list;;) {
        size_t k = strcspn(p, ",");
        if (!item_ok(p, k))
            return 0;
        if (!p[k])
            return 1;
        p += k + 1;
    }
}

static int account_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n == 12;
}

static int region_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return n > 0 && n < 32;
}

int inputs_option(enum inputs_opt which, const char *arg, struct s3open_opts *o, const char **paths_from)
{
    char shown[128];
    textsafe_escape(arg ? arg : "", arg ? strlen(arg) : 0, shown, sizeof shown);
    switch (which) {
    case INPUTS_ACCOUNT:
        if (!list_ok(arg, account_ok)) {
            fprintf(stderr, "ctview: --account '%s': comma-separated 12-digit account ids\n", shown);
            return -1;
        }
        o->accounts = arg;
        return 0;
    case INPUTS_REGION:
        if (!list_ok(arg, region_ok)) {
            fprintf(stderr, "ctview: --region '%s': comma-separated region names (us-east-1,eu-west-3)\n", shown);
            return -1;
        }
        o->regions = arg;
        return 0;
    case INPUTS_NO_CACHE:
        o->no_cache = 1;
        return 0;
    case INPUTS_CACHE_SIZE: {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(arg, &end, 10);
        unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : *end == 'T' ? 40 : 0;
        if (shift)
            end++;
        if (errno || end == arg || *end || v == 0 || v > (~0ull >> shift)) {
            fprintf(stderr, "ctview: --cache-size '%s': a size such as 500M or 10G\n", shown);
            return -1;
        }
        o->cache_cap = (uint64_t)v << shift;
        return 0;
    }
    case INPUTS_PATHS_FROM:
        *paths_from = arg;
        return 0;
    }
    return -1;
}
