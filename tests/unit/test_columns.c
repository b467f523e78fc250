/* Unit tests for the list's columns (model/columns): the table, and each cell's text for events with
 * and without the values it reads, including the fallbacks the list relies on. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "model/columns.h"
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
    int flex = 0;
    for (int c = 0; c < COL__COUNT; c++) {
        const struct column *col = column_get((enum column_id)c);
        CHECK_STR(col->title, titles[c]);
        CHECK(col->min > 0);
        CHECK(col->width == 0 || col->width >= col->min);
        flex += col->width == 0;
    }
    CHECK_INT(flex, 1); /* one column takes what is left: the identity */
    CHECK_INT(column_get(COL_IDENTITY)->width, 0);
    CHECK_INT(column_get(COL_TIME)->width, 19); /* 2024-03-01T10:00:00Z without its Z on screen */
    /* the narrow list hides IP, then Service, Account, Region, and Error last; never time, event, identity */
    static const enum column_id order[] = {COL_IP, COL_SERVICE, COL_ACCOUNT, COL_REGION, COL_ERROR};
    for (size_t i = 0; i + 1 < sizeof order / sizeof *order; i++)
        CHECK(column_get(order[i])->prio > 0 && column_get(order[i])->prio < column_get(order[i + 1])->prio);
    CHECK_INT(column_get(COL_TIME)->prio + column_get(COL_EVENT)->prio + column_get(COL_IDENTITY)->prio, 0);
    /* caps keep the longest region and a long error code whole */
    CHECK(column_get(COL_REGION)->width >= (int)strlen("ap-southeast-2"));
    CHECK(column_get(COL_ERROR)->width >= (int)strlen("Client.InvalidPermission.NotFound"));
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
    /* event, column, cell text; COL__COUNT for column_identity_full (what --list and CSV print) */
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
        {2, COL__COUNT, "AWSService"},
        {3, COL_IDENTITY, "Root"},
        {3, COL_ERROR, ""},
        {4, COL_IDENTITY, "not-an-arn"},
        {5, COL_IDENTITY, "(masked user)"},
        {5, COL_TIME, "-"}, /* no time: sorted last, shown as - */
    };
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        char buf[COLUMN_BUF];
        const struct event *e = &s->events[cells[i].ev];
        const char *got =
            cells[i].col == COL__COUNT ? column_identity_full(s, e) : cell(s, cells[i].ev, cells[i].col, buf);
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
    test_cells();
    test_trail_account();
    return harness_done("test_columns");
}
