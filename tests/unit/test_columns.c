/* Unit tests for the list's columns (model/columns): the table, and each cell's text for events with
 * and without the values it reads, including the fallbacks the list relies on. */
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
    char buf[COLUMN_BUF];
    CHECK_STR(cell(s, 0, COL_TIME, buf), "2024-03-01T10:00:00Z");
    CHECK_STR(cell(s, 0, COL_ACCOUNT, buf), "111122223333");
    CHECK_STR(cell(s, 0, COL_REGION, buf), "eu-west-1");
    CHECK_STR(cell(s, 0, COL_SERVICE, buf), "s3");
    CHECK_STR(cell(s, 0, COL_EVENT, buf), "GetObject");
    CHECK_STR(cell(s, 0, COL_IDENTITY, buf), "assumed-role/Admin/alice");
    CHECK_STR(column_identity_full(s, &s->events[0]), "arn:aws:sts::111122223333:assumed-role/Admin/alice");
    CHECK_STR(cell(s, 0, COL_IP, buf), "192.0.2.1");
    CHECK_STR(cell(s, 0, COL_ERROR, buf), "AccessDenied"); /* the code before the message */
    CHECK_STR(cell(s, 0, COL_EVENT_ID, buf), "id-0");

    CHECK_STR(cell(s, 1, COL_SERVICE, buf), "example.com"); /* only .amazonaws.com is cut */
    CHECK_STR(cell(s, 1, COL_IDENTITY, buf), "bob");
    CHECK_STR(column_identity_full(s, &s->events[1]), "bob");
    CHECK_STR(cell(s, 1, COL_ERROR, buf), "Failed authentication");
    CHECK_STR(cell(s, 1, COL_EVENT, buf), ""); /* missing: empty */
    CHECK_STR(cell(s, 1, COL_IP, buf), "");
    CHECK_STR(cell(s, 1, COL_REGION, buf), "");

    CHECK_STR(cell(s, 2, COL_ERROR, buf), "Failure");
    CHECK_STR(cell(s, 2, COL_IDENTITY, buf), "lambda.amazonaws.com");
    CHECK_STR(column_identity_full(s, &s->events[2]), "AWSService");
    CHECK_STR(cell(s, 3, COL_IDENTITY, buf), "Root");
    CHECK_STR(cell(s, 3, COL_ERROR, buf), "");
    CHECK_STR(cell(s, 4, COL_IDENTITY, buf), "not-an-arn");
    CHECK_STR(cell(s, 5, COL_IDENTITY, buf), "(masked user)");
    CHECK_STR(cell(s, 5, COL_TIME, buf), "-"); /* no time: sorted last, shown as - */
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
