/* Unit tests of the model's pieces for an investigator's habits: time zones and relative times,
 * :goto targets, the OSC 52 clipboard escape, the state and config files, the ':' command table. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model/query/command.h"
#include "model/state/config.h"
#include "model/query/goto.h"
#include "model/present/highlight.h"
#include "model/present/osc52.h"
#include "model/base/problems.h"
#include "model/state/state.h"
#include "model/base/timefmt.h"
#include "model/base/tz.h"
#include "parsers/load.h"

static int64_t t(const char *iso)
{
    int64_t ms = 0;
    CHECK_INT(timefmt_parse(iso, strlen(iso), &ms), 0);
    return ms;
}

static void test_tz(void)
{
    struct tz z;
    char buf[TZ_BUF], err[256];
    tz_utc(&z);
    CHECK_STR(tz_format(&z, t("2024-03-01T10:00:00Z"), buf), "2024-03-01T10:00:00Z");
    CHECK_STR(tz_abbrev(&z, 0, buf), "UTC");
    CHECK_STR(tz_format(&z, TIME_NONE, buf), "-");
    /* an IANA zone, with its summer time */
    CHECK_INT(tz_set(&z, "Europe/Paris", err, sizeof err), 0);
    CHECK_STR(z.name, "Europe/Paris");
    CHECK_STR(tz_format(&z, t("2024-03-01T10:00:00Z"), buf), "2024-03-01 11:00:00");
    CHECK_STR(tz_format_full(&z, t("2024-07-01T10:00:00Z"), buf), "2024-07-01T12:00:00+02:00");
    CHECK_STR(tz_abbrev(&z, t("2024-03-01T10:00:00Z"), buf), "CET");
    CHECK_STR(tz_abbrev(&z, t("2024-07-01T10:00:00Z"), buf), "CEST");
    /* a wall-clock time without a zone is read in the zone; with one, as written */
    int64_t ms;
    CHECK_INT(tz_parse(&z, "2024-03-01T11:00", 16, &ms), 0);
    CHECK_INT(ms, t("2024-03-01T10:00:00Z"));
    CHECK_INT(tz_parse(&z, "2024-03-01T11:00Z", 17, &ms), 0);
    CHECK_INT(ms, t("2024-03-01T11:00:00Z"));
    CHECK_INT(tz_parse(&z, "2024-03-01T11:00-01:00", 22, &ms), 0);
    CHECK_INT(ms, t("2024-03-01T12:00:00Z"));
    /* west of UTC, a POSIX TZ string, and before 1970 */
    CHECK_INT(tz_set(&z, "America/New_York", err, sizeof err), 0);
    CHECK_STR(tz_format_full(&z, t("2024-01-15T17:30:05Z"), buf), "2024-01-15T12:30:05-05:00");
    CHECK_INT(tz_set(&z, "<+0530>-5:30", err, sizeof err), 0);
    CHECK_STR(tz_format_full(&z, t("2024-01-15T00:00:00Z"), buf), "2024-01-15T05:30:00+05:30");
    CHECK_INT(tz_set(&z, "Asia/Tokyo", err, sizeof err), 0);
    CHECK_STR(tz_format(&z, t("1969-12-31T23:59:59Z"), buf), "1970-01-01 08:59:59");
    /* unknown zones are refused (the C library would take them silently as UTC); z is unchanged */
    CHECK_INT(tz_set(&z, "Mars/Olympus", err, sizeof err), -1);
    CHECK(strstr(err, "unknown time zone 'Mars/Olympus'") != NULL);
    CHECK_STR(z.name, "Asia/Tokyo");
    CHECK_INT(tz_check("../../etc/passwd", err, sizeof err), -1);
    CHECK_INT(tz_check("", err, sizeof err), -1);
    CHECK_INT(tz_check("XY", err, sizeof err), -1);
    /* local is the zone the process started with (TZ here, set by main) */
    CHECK_INT(tz_set(&z, "local", err, sizeof err), 0);
    CHECK_STR(tz_format_full(&z, t("2024-01-15T00:00:00Z"), buf), "2024-01-15T09:00:00+09:00");
    CHECK_INT(tz_set(&z, "utc", err, sizeof err), 0);
    CHECK(z.utc);
    CHECK_STR(tz_format(&z, t("2024-01-15T00:00:00.250Z"), buf), "2024-01-15T00:00:00.250Z");
}

static void test_relative(void)
{
    char buf[TZ_BUF];
    int64_t now = t("2024-03-10T12:00:00Z");
    CHECK_STR(tz_relative(now, now, buf), "now");
    CHECK_STR(tz_relative(now - 999, now, buf), "now");
    CHECK_STR(tz_relative(now - 42000, now, buf), "42s ago");
    CHECK_STR(tz_relative(now - 60000, now, buf), "1m ago");
    CHECK_STR(tz_relative(now - 3 * 3600000 - 59 * 60000, now, buf), "3h ago");
    CHECK_STR(tz_relative(now - 47 * 3600000LL, now, buf), "47h ago");
    CHECK_STR(tz_relative(now - 48 * 3600000LL, now, buf), "2d ago");
    CHECK_STR(tz_relative(now - 800 * 86400000LL, now, buf), "2y ago");
    CHECK_STR(tz_relative(now + 5 * 60000, now, buf), "in 5m");
    CHECK_STR(tz_relative(TIME_NONE, now, buf), "-");
}

static void test_goto(void)
{
    struct tz z;
    tz_utc(&z);
    struct goto_target g;
    char err[256];
    CHECK_INT(goto_parse(" 100 ", &z, &g, err, sizeof err), 0);
    CHECK(g.kind == GOTO_ROW && g.value == 99);
    CHECK_INT(goto_parse("0", &z, &g, err, sizeof err), -1);
    CHECK_INT(goto_parse("50%", &z, &g, err, sizeof err), 0);
    CHECK(g.kind == GOTO_PERCENT && g.value == 50);
    CHECK_INT(goto_parse("-2h", &z, &g, err, sizeof err), 0);
    CHECK(g.kind == GOTO_RELATIVE && g.value == -2 * 3600000LL);
    CHECK_INT(goto_parse("+30m", &z, &g, err, sizeof err), 0);
    CHECK(g.kind == GOTO_RELATIVE && g.value == 30 * 60000LL);
    CHECK_INT(goto_parse("+1w", &z, &g, err, sizeof err), 0);
    CHECK_INT(g.value, 7 * 86400000LL);
    CHECK_INT(goto_parse("-2x", &z, &g, err, sizeof err), -1);
    CHECK(strstr(err, "sign, a number and a unit") != NULL);
    CHECK_INT(goto_parse("-h", &z, &g, err, sizeof err), -1);
    CHECK_INT(goto_parse("2024-03-01T10:00", &z, &g, err, sizeof err), 0);
    CHECK(g.kind == GOTO_TIME && g.value == t("2024-03-01T10:00:00Z"));
    CHECK_INT(goto_parse("2024-03-01", &z, &g, err, sizeof err), 0);
    CHECK(g.kind == GOTO_TIME && g.value == t("2024-03-01T00:00:00Z"));
    CHECK_INT(goto_parse("yesterday", &z, &g, err, sizeof err), -1);
    CHECK(strstr(err, "'yesterday' is not a row") != NULL);
    CHECK_INT(goto_parse("", &z, &g, err, sizeof err), -1);
    /* in another zone a time without a zone is the zone's wall clock */
    char e2[256];
    CHECK_INT(tz_set(&z, "Europe/Paris", e2, sizeof e2), 0);
    CHECK_INT(goto_parse("2024-03-01T11:00", &z, &g, err, sizeof err), 0);
    CHECK_INT(g.value, t("2024-03-01T10:00:00Z"));
    tz_set(&z, "UTC", e2, sizeof e2);

    /* rows: events at 10:00, 11:00, 12:00, 13:00 and one without a time (last) */
    struct store *s = store_new();
    const char *text = "{\"eventID\":\"a\",\"eventTime\":\"2024-03-01T10:00:00Z\"}\n"
                       "{\"eventID\":\"b\",\"eventTime\":\"2024-03-01T11:00:00Z\"}\n"
                       "{\"eventID\":\"c\",\"eventTime\":\"2024-03-01T12:00:00Z\"}\n"
                       "{\"eventID\":\"d\",\"eventTime\":\"2024-03-01T13:00:00Z\"}\n"
                       "{\"eventID\":\"e\"}\n";
    CHECK_INT(load_buffer(s, "rows.json", text, strlen(text)), 0);
    store_finish(s);
    uint32_t shown[] = {0, 1, 2, 3, 4};
    CHECK_INT(s->nevents, 5);
    struct goto_target at = {GOTO_TIME, t("2024-03-01T11:30:00Z")};
    CHECK_INT(goto_row(&at, s, shown, 5, 0), 2);
    at.value = t("2024-03-01T11:00:00Z");
    CHECK_INT(goto_row(&at, s, shown, 5, 0), 1);
    at.value = t("2020-01-01T00:00:00Z");
    CHECK_INT(goto_row(&at, s, shown, 5, 3), 0);
    at.value = t("2030-01-01T00:00:00Z"); /* past every time: the last event that has one */
    CHECK_INT(goto_row(&at, s, shown, 5, 0), 3);
    struct goto_target rel = {GOTO_RELATIVE, -2 * 3600000LL};
    CHECK_INT(goto_row(&rel, s, shown, 5, 3), 1);
    CHECK_INT(goto_row(&rel, s, shown, 5, 4), 4); /* the selection has no time: stays */
    struct goto_target row = {GOTO_ROW, 99};
    CHECK_INT(goto_row(&row, s, shown, 5, 0), 4);
    struct goto_target pct = {GOTO_PERCENT, 50};
    CHECK_INT(goto_row(&pct, s, shown, 5, 0), 2);
    CHECK_INT(goto_row(&pct, s, shown, 0, 0), 0);
    at.value = t("2024-03-01T12:30:00Z"); /* no list: every event, in store order */
    CHECK_INT(goto_row(&at, s, NULL, 5, 0), 3);
    /* rows out of time order (a list sorted by another column): the nearest time */
    uint32_t mixed[] = {3, 0, 2, 1};
    at.value = t("2024-03-01T11:10:00Z");
    CHECK_INT(goto_row(&at, s, mixed, 4, 0), 3);
    store_free(s);
}

static void test_osc52(void)
{
    char out[64];
    /* RFC 4648 test vectors */
    static const char *const vec[][2] = {{"", ""},
                                         {"f", "Zg=="},
                                         {"fo", "Zm8="},
                                         {"foo", "Zm9v"},
                                         {"foob", "Zm9vYg=="},
                                         {"fooba", "Zm9vYmE="},
                                         {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof vec / sizeof *vec; i++) {
        CHECK_INT(osc52_base64(vec[i][0], strlen(vec[i][0]), out), strlen(vec[i][1]));
        CHECK_STR(out, vec[i][1]);
    }
    /* exactly the value: an ESC and a BEL from a log travel encoded, never raw */
    const char evil[] = "a\033]0;x\a\xff";
    size_t n;
    char *seq = osc52_encode(evil, sizeof evil - 1, &n);
    CHECK_STR(seq, "\033]52;c;YRtdMDt4B/8=\a");
    CHECK_INT(n, strlen(seq));
    CHECK(memchr(seq + 1, '\033', n - 1) == NULL && memchr(seq, '\a', n - 1) == NULL);
    free(seq);
    char *big = calloc(OSC52_MAX + 1, 1);
    CHECK(osc52_encode(big, OSC52_MAX + 1, &n) == NULL);
    seq = osc52_encode(big, OSC52_MAX, &n);
    CHECK(seq != NULL && n == 7 + 4 * ((OSC52_MAX + 2) / 3) + 1);
    free(seq);
    free(big);
}

static char dir[] = "/tmp/ctview-habits-XXXXXX";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_state(void)
{
    char path[256], *err = NULL;
    snprintf(path, sizeof path, "%s/state/deeper/ctview/state", dir);
    struct state st = {0};
    /* missing: empty, no error */
    CHECK_INT(state_load(&st, path, &err), 0);
    CHECK(err == NULL && st.n[STATE_FILTER] == 0);
    state_add(&st, STATE_FILTER, "src:sts");
    state_add(&st, STATE_FILTER, "user:\"a\\\"b\"\twith\ttabs\nand a newline \\x41");
    state_add(&st, STATE_FILTER, "src:sts"); /* moves up, not twice */
    state_add(&st, STATE_FILTER, "");
    state_add(&st, STATE_SEARCH, "AssumeRole");
    state_add(&st, STATE_COMMAND, "goto 100");
    state_add(&st, STATE_COMMAND, "ctl\001\177é");
    CHECK_INT(st.n[STATE_FILTER], 2);
    CHECK_STR(st.items[STATE_FILTER][1], "src:sts");
    CHECK_INT(state_save(&st, path, &err), 0);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    char parent[256];
    snprintf(parent, sizeof parent, "%s/state/deeper", dir);
    CHECK(stat(parent, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    /* read back exactly */
    struct state back = {0};
    CHECK_INT(state_load(&back, path, &err), 0);
    for (int l = 0; l < STATE__LISTS; l++) {
        CHECK_INT(back.n[l], st.n[l]);
        for (size_t i = 0; i < back.n[l] && i < st.n[l]; i++)
            CHECK_STR(back.items[l][i], st.items[l][i]);
    }
    /* the file is text, one entry a line */
    FILE *f = fopen(path, "r");
    char line[256] = "";
    CHECK(f && fgets(line, sizeof line, f));
    CHECK_STR(line, "ctview-state 1\n");
    if (f)
        fclose(f);
    /* the list keeps the newest STATE_LIST_MAX */
    for (int i = 0; i < STATE_LIST_MAX + 5; i++) {
        char b[16];
        snprintf(b, sizeof b, "f%d", i);
        state_add(&st, STATE_FILTER, b);
    }
    CHECK_INT(st.n[STATE_FILTER], STATE_LIST_MAX);
    CHECK_STR(st.items[STATE_FILTER][0], "f5");
    state_clear(&st);
    /* damaged files: a file that is not a state file is reported and ignored (empty state, -1); a bad
     * line costs only itself (skipped, named in the note, 0) */
    static const struct {
        const char *text, *why;
        int rc;
        size_t kept;
    } bad[] = {
        {"garbage\n", "line 1: not a ctview state file", -1, 0},
        {"ctview-state 1\nfilter ok\nbogus x\n", "line 3: unknown entry", 0, 1},
        {"ctview-state 1\nfilter bad\\q\n", "line 2: bad escape", 0, 0},
        {"ctview-state 1\nfilter raw\033esc\n", "line 2: bad escape or control character", 0, 0},
        {"", "empty", -1, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(path, bad[i].text);
        CHECK_INT(state_load(&back, path, &err), bad[i].rc);
        CHECK(err && strstr(err, path) && strstr(err, bad[i].why));
        if (!(err && strstr(err, bad[i].why)))
            fprintf(stderr, "  got: %s\n", err ? err : "(null)");
        CHECK_INT(back.n[STATE_FILTER], bad[i].kept);
        free(err);
        err = NULL;
    }
    /* a save that cannot be written says where and why (a file stands where a folder should) */
    char blocked[300];
    snprintf(blocked, sizeof blocked, "%s/file-not-dir", dir);
    write_file(blocked, "x");
    char under[320];
    snprintf(under, sizeof under, "%s/state", blocked);
    state_add(&st, STATE_FILTER, "x");
    CHECK_INT(state_save(&st, under, &err), -1);
    CHECK(err && strstr(err, "cannot write") && strstr(err, "Not a directory"));
    CHECK(stat(under, &sb) != 0);
    free(err);
    err = NULL;
    state_clear(&st);
    state_clear(&back);
    /* XDG paths */
    setenv("XDG_STATE_HOME", "/x/state", 1);
    char *p = state_path();
    CHECK_STR(p, "/x/state/ctview/state");
    free(p);
    setenv("XDG_STATE_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/u", 1);
    p = state_path();
    CHECK_STR(p, "/home/u/.local/state/ctview/state");
    free(p);
    unsetenv("XDG_STATE_HOME");
    p = state_path();
    CHECK_STR(p, "/home/u/.local/state/ctview/state");
    free(p);
}

static void test_config(void)
{
    struct config c;
    char *err = NULL;
    config_defaults(&c);
    CHECK(c.mouse == 1 && c.mono == 0 && c.relative_time == 0 && c.tz[0] == '\0');
    CHECK_INT(
        config_parse(&c, "cfg",
                     "# my defaults\n\n  tz = Europe/Paris  \ntheme=mono\r\nmouse = off\ntime = relative\n",
                     &err),
        0);
    CHECK_STR(c.tz, "Europe/Paris");
    CHECK(c.mono == 1 && c.mouse == 0 && c.relative_time == 1);
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"tz = UTC\ncolour = red\n", "cfg:2: unknown key 'colour' (keys: tz, theme, mouse, time)"},
        {"\n\nmouse = maybe\n", "cfg:3: mouse 'maybe': on or off"},
        {"tz = Mars/Olympus\n", "cfg:1: unknown time zone 'Mars/Olympus'"},
        {"theme\n", "cfg:1: expected 'key = value'"},
        {"time =\n", "cfg:1: time: no value"},
        {"theme = neon\n", "cfg:1: theme 'neon': default or mono"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        config_defaults(&c);
        CHECK_INT(config_parse(&c, "cfg", bad[i].text, &err), -1);
        CHECK(err && strncmp(err, bad[i].want, strlen(bad[i].want)) == 0);
        if (!(err && strncmp(err, bad[i].want, strlen(bad[i].want)) == 0))
            fprintf(stderr, "  got: %s\n", err ? err : "(null)");
        free(err);
        err = NULL;
    }
    /* from a file; a missing file is the defaults */
    char path[256];
    snprintf(path, sizeof path, "%s/config", dir);
    config_defaults(&c);
    CHECK_INT(config_load(&c, path, &err), 0);
    CHECK(c.mouse == 1);
    write_file(path, "mouse = off\nx\n");
    CHECK_INT(config_load(&c, path, &err), -1);
    char want[300];
    snprintf(want, sizeof want, "%s:2: expected 'key = value'", path);
    CHECK(err && strncmp(err, want, strlen(want)) == 0);
    free(err);
    setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
    char *p = config_path();
    CHECK_STR(p, "/x/cfg/ctview/config");
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    p = config_path();
    CHECK_STR(p, "/home/u/.config/ctview/config");
    free(p);
}

static void test_command(void)
{
    struct cmd_call c;
    char err[512];
    CHECK_INT(cmd_parse("goto 100", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_GOTO && c.argc == 1);
    CHECK_STR(c.argv[0], "100");
    CHECK_INT(cmd_parse("  g   2024-03-01T10:00  ", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_GOTO);
    CHECK_STR(c.argv[0], "2024-03-01T10:00");
    CHECK_INT(cmd_parse("filter src:sts  -error:* ", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_FILTER && c.argc == 1);
    CHECK_STR(c.argv[0], "src:sts  -error:*");
    CHECK_INT(cmd_parse("filter", &c, err, sizeof err), 0);
    CHECK(c.argc == 0);
    CHECK_INT(cmd_parse("mark user:bob OR user:alice", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_MARK);
    CHECK_STR(c.argv[0], "user:bob OR user:alice");
    CHECK_INT(cmd_parse("export \"my file.csv\" csv", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_EXPORT && c.argc == 2);
    CHECK_STR(c.argv[0], "my file.csv");
    CHECK_STR(c.argv[1], "csv");
    CHECK_INT(cmd_parse("export a b c", &c, err, sizeof err), -1);
    CHECK(strstr(err, "too many arguments: :export FILE") != NULL);
    CHECK_INT(cmd_parse("export \"open", &c, err, sizeof err), -1);
    CHECK_INT(cmd_parse("export", &c, err, sizeof err), -1);
    CHECK_STR(err, ":export FILE [FORMAT]");
    CHECK_INT(cmd_parse("tz Europe/Paris", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_TZ);
    CHECK_INT(cmd_parse("help", &c, err, sizeof err), 0);
    CHECK_INT(cmd_parse("help me", &c, err, sizeof err), -1);
    CHECK_INT(cmd_parse("q", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_QUIT);
    CHECK_INT(cmd_parse("frobnicate", &c, err, sizeof err), -1);
    CHECK(strstr(err, "unknown command 'frobnicate'; commands: goto filter mark export tz sort help quit report") !=
          NULL);
    /* :sort [COLUMN [asc|desc]]: no column is time order */
    CHECK_INT(cmd_parse("sort", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_SORT && c.argc == 0);
    CHECK_INT(cmd_parse("so requestParameters.roleArn desc", &c, err, sizeof err), 0);
    CHECK(c.def->id == CMD_SORT && c.argc == 2);
    CHECK_STR(c.argv[0], "requestParameters.roleArn");
    CHECK_STR(c.argv[1], "desc");
    CHECK_INT(cmd_parse("sort name desc more", &c, err, sizeof err), -1);
    CHECK(strstr(err, "too many arguments: :sort [COLUMN [asc|desc]]") != NULL);
    CHECK_INT(cmd_parse("   ", &c, err, sizeof err), -1);
    CHECK_STR(err, "");
    /* the table is in enum order, every row with usage and help */
    const struct cmd_def *d = cmd_table();
    for (int i = 0; i < CMD__COUNT; i++)
        CHECK(d[i].id == (enum cmd_id)i && d[i].usage[0] == ':' && d[i].help[0]);

    char **out;
    int n = cmd_complete("go", &out);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(out[0], "goto ");
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    n = cmd_complete("", &out);
    CHECK_INT(n, CMD__COUNT);
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    n = cmd_complete("export out.json j", &out);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(out[0], "export out.json jsonl");
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    n = cmd_complete("export out.json ", &out);
    CHECK_INT(n, 4); /* records jsonl csv timesketch */
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    n = cmd_complete("sort ide", &out); /* a short field name, then the order */
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(out[0], "sort identity ");
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    n = cmd_complete("sort name d", &out);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(out[0], "sort name desc");
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    n = cmd_complete("tz Europe/Pa", &out);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(out[0], "tz Europe/Paris");
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    n = cmd_complete("tz America/", &out);
    CHECK(n > 10);
    CHECK(n > 1 && cmd_common_prefix(out, (size_t)n) == strlen("tz America/"));
    for (int i = 0; i < n; i++)
        free(out[i]);
    free(out);
    CHECK_INT(cmd_complete("zz", &out), 0);
    CHECK_INT(cmd_complete("goto 1", &out), 0);
}

static void test_highlight(void)
{
    struct highlight h = {0};
    CHECK_INT(highlight_compile(
                  &h, "name:AssumeRole* -src:sts (user:bob OR \"Deny all\") after:2024-01-01 ip:10.0.0.0/8 "
                      "ip:192.0.2.* ro:true OR *x*y"),
              0);
    CHECK_INT(h.n, 6);
    if (h.n == 6) {
        CHECK_STR(h.needle[0], "assumerole");
        CHECK_STR(h.needle[1], "bob");
        CHECK_STR(h.needle[2], "deny all");
        CHECK_STR(h.needle[3], "192.0.2.");
        CHECK_STR(h.needle[4], "x");
        CHECK_STR(h.needle[5], "y");
    }
    size_t a, b;
    const char *text = "user/Bob did ASSUMEROLEWithSAML";
    CHECK_INT(highlight_find(&h, text, strlen(text), 0, &a, &b), 1);
    CHECK(a == 5 && b == 8);
    CHECK_INT(highlight_find(&h, text, strlen(text), b, &a, &b), 1);
    CHECK(a == 13 && b == 23);
    CHECK_INT(highlight_find(&h, text, strlen(text), b, &a, &b), 0);
    /* the longest needle at the leftmost place */
    CHECK_INT(highlight_compile(&h, "ab abcd"), 0);
    CHECK_INT(highlight_find(&h, "xxABCDx", 7, 0, &a, &b), 1);
    CHECK(a == 2 && b == 6);
    /* a regular expression's text is no needle, and its blanks and parentheses do not split terms */
    CHECK_INT(highlight_compile(&h, "x name:/(a b)|c/ /d e\\/f/ y"), 0);
    CHECK_INT(h.n, 2);
    if (h.n == 2) {
        CHECK_STR(h.needle[0], "x");
        CHECK_STR(h.needle[1], "y");
    }
    CHECK_INT(highlight_compile(&h, "  -neg OR ( ) "), 0);
    CHECK_INT(h.n, 0);
    CHECK_INT(highlight_find(&h, "neg", 3, 0, &a, &b), 0);
    /* a quoted value is read as the filter reads it (model/base/filterquote.h): the term the trace's chain
     * filter writes for a key holding '"' and '\' highlights that key */
    CHECK_INT(highlight_compile(&h, "key:\"AS\\\"IA (x)\\\\\" OR user:\"a:b"), 0);
    CHECK_INT(h.n, 2);
    if (h.n == 2) {
        CHECK_STR(h.needle[0], "as\"ia (x)\\");
        CHECK_STR(h.needle[1], "a:b");
    }
    highlight_free(&h);
}

static void test_unread(void)
{
    struct problems p;
    problems_init(&p);
    problems_add(&p, PROBLEM_FILE, "/a", -1, -1, "not read: No such file or directory");
    problems_add(&p, PROBLEM_FILE, "/b.gz", 100, -1, "gzip stream truncated");
    problems_add(&p, PROBLEM_NOTE, "/c", -1, -1, "skipped: a FIFO");
    problems_add(&p, PROBLEM_RECORD, "/d", 5, 0, "malformed");
    const struct problem *r = problems_unread(&p, "/a");
    CHECK(r && strstr(r->reason, "No such file"));
    CHECK(problems_unread(&p, "/b.gz") == NULL);
    CHECK(problems_unread(&p, "/c") == NULL);
    CHECK(problems_unread(&p, "/d") == NULL);
    CHECK(problems_unread(&p, "/a/") == NULL);
    problems_clear(&p);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    setenv("TZ", "Asia/Tokyo", 1); /* the zone the process "started with", for tz "local" */
    CHECK(mkdtemp(dir) != NULL);
    test_tz();
    test_relative();
    test_goto();
    test_osc52();
    test_state();
    test_config();
    test_command();
    test_unread();
    test_highlight();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
    return harness_done("test_habits");
}
