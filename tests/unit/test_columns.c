/* Unit tests for the list's columns (model/columns): the table, and each cell's text for events with
 * and without the values it reads, including the fallbacks the list relies on. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "model/query/columns.h"
#include "parsers/load.h"

static struct store *load(const char *name, const char *json)
{
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, name, json, strlen(json)), 0);
    return s;
}

static const char *cell(const struct store *s, size_t ev, enum column_id c, char *buf)
{
    return column_text(s, &s->events[ev], c, buf);
}

static void test_table(void)
{
    static const char *const titles[COL__COUNT] = {"Time",     "Account",   "Region", "Service", "Event",
                                                   "Identity", "Source IP", "Error",  "Event ID"};
    int spare = 0, shares = 0;
    for (int c = 0; c < COL__COUNT; c++) {
        const struct column *col = column_get((enum column_id)c);
        CHECK_STR(col->title, titles[c]);
        CHECK(col->min > 0);
        CHECK(col->width >= col->floor && col->floor >= col->min);
        CHECK(col->last == 0 || (col->last < col->width && col->whole));
        spare += col->grow == COLFIT_SPARE;
        shares += col->grow == COLFIT_SHARES;
    }
    /* the source IP only in spare width; the identity and the error message share what is left */
    CHECK_INT(spare, 1);
    CHECK_INT(column_get(COL_IP)->grow, COLFIT_SPARE);
    CHECK_INT(shares, 2);
    CHECK_INT(column_get(COL_IDENTITY)->grow + column_get(COL_ERROR)->grow, 2 * COLFIT_SHARES);
    CHECK_INT(column_get(COL_TIME)->width, 19); /* 2024-03-01T10:00:00Z without its Z on screen */
    /* the narrow list hides IP, then Service, Region, Account, and Error last; never time, event, identity */
    static const enum column_id order[] = {COL_IP, COL_SERVICE, COL_REGION, COL_ACCOUNT, COL_ERROR};
    for (size_t i = 0; i + 1 < sizeof order / sizeof *order; i++)
        CHECK(column_get(order[i])->prio > 0 && column_get(order[i])->prio < column_get(order[i + 1])->prio);
    CHECK_INT(column_get(COL_TIME)->prio + column_get(COL_EVENT)->prio + column_get(COL_IDENTITY)->prio, 0);
    /* caps keep the longest region, service and error codes whole; those are whole or hidden */
    CHECK(column_get(COL_REGION)->width >= (int)strlen("us-isof-south-1"));
    CHECK(column_get(COL_SERVICE)->width >= (int)strlen("elasticloadbalancing"));
    CHECK(column_get(COL_ERROR)->width >= (int)strlen("ServerSideEncryptionConfigurationNotFoundError"));
    CHECK(column_get(COL_REGION)->whole && column_get(COL_ACCOUNT)->whole && column_get(COL_SERVICE)->whole);
    CHECK(column_get(COL_ERROR)->whole && !column_get(COL_IDENTITY)->whole && !column_get(COL_EVENT)->whole);
    CHECK_INT(column_get(COL_REGION)->last + column_get(COL_ACCOUNT)->last + column_get(COL_SERVICE)->last,
              0);
}

/* The default list's columns (pane_list's order) with these wants and widest whole parts, as the list
 * measures them; returns the widths colfit gives them in total columns. */
static const enum column_id list_cols[] = {COL_TIME,  COL_ACCOUNT,  COL_REGION, COL_SERVICE,
                                           COL_EVENT, COL_IDENTITY, COL_IP,     COL_ERROR};
#define NLIST (sizeof list_cols / sizeof *list_cols)

static void fit_list(const int want[NLIST], const int whole[NLIST], int total, int widths[NLIST])
{
    struct colfit fit[NLIST];
    for (size_t i = 0; i < NLIST; i++) {
        const struct column *c = column_get(list_cols[i]);
        int w = want[i] < c->width ? want[i] : c->width;
        fit[i] =
            (struct colfit){w, whole[i] > c->floor ? whole[i] : c->floor, c->last, c->min, c->prio, c->grow};
    }
    colfit_layout(fit, NLIST, total, widths);
}

static void check_widths(const int got[NLIST], const int want[NLIST], int total)
{
    for (size_t i = 0; i < NLIST; i++)
        if (got[i] != want[i])
            fprintf(stderr, "total %d, column %s:\n", total, column_get(list_cols[i])->title);
    for (size_t i = 0; i < NLIST; i++)
        CHECK_INT(got[i], want[i]);
}

static void test_fit_list(void)
{
    /* the bundled sample's first screen: error messages only (no code), a long identity */
    static const int want[NLIST] = {19, 12, 9, 7, 25, 33, 20, 37},
                     no_whole[NLIST] = {0, 12, 9, 7, 0, 0, 0, 0};
    static const struct {
        int total, widths[NLIST];
    } sample[] = {
        {199, {19, 12, 9, 7, 25, 33, 20, 37}}, /* everything, the source IP included */
        {159, {19, 12, 9, 7, 25, 33, 0, 37}},  /* the IP only in spare width */
        {119, {19, 12, 9, 7, 25, 23, 0, 18}},  /* the event whole, then identity and message share */
        {99, {19, 12, 9, 7, 18, 16, 0, 12}},   /* every column at its floor or a little more */
        {79, {19, 12, 0, 0, 16, 16, 0, 12}},   /* Service goes, then Region */
        {59, {19, 0, 0, 0, 22, 16, 0, 0}},     /* then Account, then Error */
        {39, {19, 0, 0, 0, 10, 8, 0, 0}},      /* then the identity and the event shrink */
        {24, {19, 0, 0, 0, 4, 0, 0, 0}},       /* and what passes the edge is cut */
        {19, {19, 0, 0, 0, 0, 0, 0, 0}},       {5, {5, 0, 0, 0, 0, 0, 0, 0}}, {0, {0, 0, 0, 0, 0, 0, 0, 0}},
    };
    for (size_t k = 0; k < sizeof sample / sizeof *sample; k++) {
        int got[NLIST];
        fit_list(want, no_whole, sample[k].total, got);
        check_widths(got, sample[k].widths, sample[k].total);
    }
    /* a long error code on screen: whole at 100 columns (Service and Region go first), cut only after
     * Account has gone */
    static const int want2[NLIST] = {19, 12, 9, 7, 15, 30, 15, 28},
                     whole2[NLIST] = {0, 12, 9, 7, 0, 0, 0, 28};
    static const struct {
        int total, widths[NLIST];
    } code[] = {
        {119, {19, 12, 9, 7, 15, 23, 0, 28}},
        {99, {19, 12, 0, 0, 15, 21, 0, 28}}, /* Service and Region go, the code stays whole */
        {89, {19, 0, 0, 0, 15, 24, 0, 28}},  /* then Account */
        {79, {19, 0, 0, 0, 15, 23, 0, 19}},  /* then the code is cut (the list ends it with an ellipsis) */
        {66, {19, 0, 0, 0, 15, 17, 0, 12}},
        {60, {19, 0, 0, 0, 15, 24, 0, 0}}, /* then Error goes */
    };
    for (size_t k = 0; k < sizeof code / sizeof *code; k++) {
        int got[NLIST];
        fit_list(want2, whole2, code[k].total, got);
        check_widths(got, code[k].widths, code[k].total);
    }
    /* S3's longest code (ServerSideEncryptionConfigurationNotFoundError, 46) is whole at 100 columns too,
     * with a long region, service, event and identity on screen */
    static const int want3[NLIST] = {19, 12, 15, 20, 21, 60, 39, 46},
                     whole3[NLIST] = {0, 12, 15, 20, 0, 0, 0, 46};
    static const int at99[NLIST] = {19, 0, 0, 0, 15, 16, 0, 46};
    int got3[NLIST];
    fit_list(want3, whole3, 99, got3);
    check_widths(got3, at99, 99);
}

/* Properties over many made-up screens: the row fits, nothing is wider than it wants, the hiding
 * follows the priorities, and a column with a whole part is whole or hidden (unless it has a last
 * width and everything below it is gone). */
static void test_fit_properties(void)
{
    unsigned seed = 12345;
    for (int round = 0; round < 20000; round++) {
        int want[NLIST], whole[NLIST], got[NLIST];
        for (size_t i = 0; i < NLIST; i++) {
            seed = seed * 1103515245u + 12345u;
            want[i] = 1 + (int)((seed >> 8) % 60);
            const struct column *c = column_get(list_cols[i]);
            whole[i] = c->whole ? (int)((seed >> 20) % (unsigned)(want[i] + 1)) : 0;
        }
        seed = seed * 1103515245u + 12345u;
        int total = (int)((seed >> 8) % 230) - 5;
        fit_list(want, whole, total, got);
        int used = 0, shown = 0, lowest_shown = 0;
        for (size_t i = 0; i < NLIST; i++) {
            const struct column *c = column_get(list_cols[i]);
            int cap = want[i] < c->width ? want[i] : c->width;
            CHECK(got[i] >= 0 && got[i] <= cap);
            if (got[i]) {
                used += got[i];
                shown++;
                if (c->prio && (!lowest_shown || c->prio < lowest_shown))
                    lowest_shown = c->prio;
            }
        }
        CHECK(used + (shown ? shown - 1 : 0) <= (total > 0 ? total : 0));
        for (size_t i = 0; i < NLIST; i++) {
            const struct column *c = column_get(list_cols[i]);
            if (c->prio && lowest_shown && c->prio > lowest_shown)
                CHECK(got[i] > 0); /* shown: every column of higher priority is shown */
            int w = whole[i] < want[i] ? whole[i] : want[i];
            w = w < c->width ? w : c->width;
            if (got[i] && c->prio && !(c->last && c->prio == lowest_shown))
                CHECK(got[i] >= w);
        }
    }
}

static void test_cells(void)
{
    struct store *s =
        load("t.json",
             "{\"Records\":["
             /* 0: everything there */
             "{\"eventID\":\"id-0\",\"eventTime\":\"2024-03-01T10:00:00Z\",\"eventName\":\"GetObject\","
             "\"eventSource\":\"s3.amazonaws.com\",\"awsRegion\":\"eu-west-1\","
             "\"recipientAccountId\":\"111122223333\",\"sourceIPAddress\":\"192.0.2.1\","
             "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"no\","
             "\"userIdentity\":{\"type\":\"AssumedRole\","
             "\"arn\":\"arn:aws:sts::111122223333:assumed-role/Admin/alice\",\"userName\":\"x\"}},"
             /* 1: no arn: the user name; an error message without a code */
             "{\"eventID\":\"id-1\",\"eventTime\":\"2024-03-01T10:00:01Z\",\"eventSource\":\"example.com\","
             "\"errorMessage\":\"Failed authentication\","
             "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"bob\"}},"
             /* 2: a failed sign-in with neither: Failure; a service invoking */
             "{\"eventID\":\"id-2\",\"eventTime\":\"2024-03-01T10:00:02Z\",\"eventName\":\"ConsoleLogin\","
             "\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
             "\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"lambda.amazonaws.com\"}},"
             /* 3: only a type; an arn without a resource part is shown whole */
             "{\"eventID\":\"id-3\",\"eventTime\":\"2024-03-01T10:00:03Z\","
             "\"userIdentity\":{\"type\":\"Root\"}},"
             "{\"eventID\":\"id-4\",\"eventTime\":\"2024-03-01T10:00:04Z\","
             "\"userIdentity\":{\"type\":\"X\",\"arn\":\"not-an-arn\"}},"
             /* 5: a masked user name, no time */
             "{\"eventID\":\"id-5\",\"eventName\":\"ConsoleLogin\","
             "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"}}"
             "]}");
    CHECK_INT(s->nevents, 6);
    /* event, column, cell text; COL__COUNT for the identity field whole (what --list and CSV print) */
    static const struct {
        size_t ev;
        enum column_id col;
        const char *want;
    } cells[] = {
        {0, COL_TIME, "2024-03-01T10:00:00Z"},
        {0, COL_ACCOUNT, "111122223333"},
        {0, COL_REGION, "eu-west-1"},
        {0, COL_SERVICE, "s3"},
        {0, COL_EVENT, "GetObject"},
        {0, COL_IDENTITY, "assumed-role/Admin/alice"},
        {0, COL__COUNT, "arn:aws:sts::111122223333:assumed-role/Admin/alice"},
        {0, COL_IP, "192.0.2.1"},
        {0, COL_ERROR, "AccessDenied"}, /* the code before the message */
        {0, COL_EVENT_ID, "id-0"},
        {1, COL_SERVICE, "example.com"}, /* only .amazonaws.com is cut */
        {1, COL_IDENTITY, "bob"},
        {1, COL__COUNT, "bob"},
        {1, COL_ERROR, "Failed authentication"},
        {1, COL_EVENT, ""}, /* missing: empty */
        {1, COL_IP, ""},
        {1, COL_REGION, ""},
        {2, COL_ERROR, "Failure"},
        {2, COL_IDENTITY, "lambda.amazonaws.com"},
        {2, COL__COUNT, "lambda.amazonaws.com"}, /* the service, not its type */
        {3, COL_IDENTITY, "Root"},
        {3, COL_ERROR, ""},
        {4, COL_IDENTITY, "not-an-arn"},
        {5, COL_IDENTITY, "(masked user)"},
        {5, COL__COUNT, "(masked user)"}, /* one label in every view */
        {5, COL_TIME, ""}, /* no time: missing (--list prints -) */
    };
    struct field identity;
    struct field_error ferr;
    CHECK_INT(field_parse("identity", 8, &identity, &ferr), 0);
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        char buf[COLUMN_BUF];
        const char *got = cells[i].col == COL__COUNT ? field_text1(s, &identity, cells[i].ev, buf, sizeof buf)
                                                     : cell(s, cells[i].ev, cells[i].col, buf);
        if (strcmp(got, cells[i].want) != 0)
            fprintf(stderr, "event %zu column %d:\n", cells[i].ev, (int)cells[i].col);
        CHECK_STR(got, cells[i].want);
    }
    store_free(s);
}

static void test_trail_account(void)
{
    /* no recipientAccountId: the account of the trail that delivered the file, from its S3 name */
    struct store *s = load("AWSLogs/444455556666/CloudTrail/us-east-1/2024/03/01/"
                           "444455556666_CloudTrail_us-east-1_20240301T0000Z_abc.json",
                           "{\"Records\":[{\"eventID\":\"a\",\"eventTime\":\"2024-03-01T10:00:00Z\"}]}");
    char buf[COLUMN_BUF];
    CHECK_INT(s->nevents, 1);
    CHECK_STR(cell(s, 0, COL_ACCOUNT, buf), "444455556666");
    store_free(s);
}

int main(void)
{
    test_table();
    test_fit_list();
    test_fit_properties();
    test_cells();
    test_trail_account();
    return harness_done("test_columns");
}
