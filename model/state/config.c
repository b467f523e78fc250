#include "model/state/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/safefile.h"
#include "model/base/trim.h"
#include "model/base/xdg.h"
#include "model/base/errmsg.h"

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->mouse = 1;
}

char *config_path(void)
{
    return xdg_file("XDG_CONFIG_HOME", ".config", "config");
}

/* A value that is one of two words; *out = 1 for the first. Returns 0, or -1 for anything else. */
static int two_words(const char *v, const char *yes, const char *no, int *out)
{
    if (strcmp(v, yes) == 0)
        *out = 1;
    else if (strcmp(v, no) == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int set_tz(struct config *c, const char *v, char *why, size_t len)
{
    if (tz_check(v, why, len) != 0)
        return -1;
    strlcpy(c->tz, v, sizeof c->tz);
    return 0;
}

static int set_theme(struct config *c, const char *v, char *why, size_t len)
{
    if (two_words(v, "mono", "default", &c->mono) == 0)
        return 0;
    snprintf(why, len, "theme '%s': default or mono", v);
    return -1;
}

static int set_mouse(struct config *c, const char *v, char *why, size_t len)
{
    if (two_words(v, "on", "off", &c->mouse) == 0)
        return 0;
    snprintf(why, len, "mouse '%s': on or off", v);
    return -1;
}

static int set_time(struct config *c, const char *v, char *why, size_t len)
{
    if (two_words(v, "relative", "absolute", &c->relative_time) == 0)
        return 0;
    snprintf(why, len, "time '%s': absolute or relative", v);
    return -1;
}

static const struct {
    const char *key;
    int (*set)(struct config *c, const char *value, char *why, size_t len);
} keys[] = {
    {"tz", set_tz},
    {"theme", set_theme},
    {"mouse", set_mouse},
    {"time", set_time},
};

static int parse_line(struct config *c, char *line, char *why, size_t len)
{
    char *eq = strchr(line, '=');
    if (!eq) {
        snprintf(why, len, "expected 'key = value' (keys: tz, theme, mouse, time)");
        return -1;
    }
    *eq = '\0';
    char *key = trim_blanks(line), *value = trim_blanks(eq + 1);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(key, keys[i].key) == 0) {
            if (!value[0]) {
                snprintf(why, len, "%s: no value", key);
                return -1;
            }
            return keys[i].set(c, value, why, len);
        }
    snprintf(why, len, "unknown key '%.40s' (keys: tz, theme, mouse, time)", key);
    return -1;
}

int config_parse(struct config *c, const char *path, const char *text, char **err)
{
    *err = NULL;
    size_t lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        char line[512], why[256];
        if (n >= sizeof line)
            return errmsg_set(err, "%s:%zu: line too long", path, lineno);
        memcpy(line, p, n);
        line[n] = '\0';
        char *t = trim_blanks(line);
        if (t[0] && t[0] != '#' && parse_line(c, t, why, sizeof why) != 0)
            return errmsg_set(err, "%s:%zu: %s", path, lineno, why);
        p += n + (nl != NULL);
    }
    return 0;
}

int config_load(struct config *c, const char *path, char **err)
{
    char *text;
    size_t len;
    /* a symbolic link is followed (configuration is often linked from a dotfiles folder); a FIFO or
     * device is never opened for reading */
    int got = safefile_read(path, 65536, 0, &text, &len, err);
    if (got != 0)
        return got > 0 ? 0 : -1;
    int rc = memchr(text, '\0', len) ? errmsg_set(err, "%s: holds a NUL byte", path)
                                      : config_parse(c, path, text, err);
    free(text);
    return rc;
}
