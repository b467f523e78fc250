/* Unit tests for sorting the list's rows: numbers as numbers, text ignoring case, numbers before words,
 * missing last in both directions, ties in time (row) order, equal text behind different pointers, and
 * the whole sort over a store by a short field, a path, a default column and the time. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/rowsort.h"
#include "parsers/load.h"

/* Sorts vals[0..n) (texts, NULL missing) and writes the order as row numbers, e.g. "2 0 1". */
static void order_of_texts(const char *const *vals, size_t n, int desc, char *out, size_t cap)
{
    uint32_t rank[16], order[16], nranks;
    out[0] = '\0';
    if (rowsort_rank_texts(vals, n, rank, &nranks) != 0 ||
        rowsort_by_rank(rank, NULL, n, nranks, desc, order) != 0) {
        snprintf(out, cap, "out of memory");
        return;
    }
    size_t at = 0;
    for (size_t k = 0; k < n; k++)
        at += (size_t)snprintf(out + at, cap - at, "%s%u", k ? " " : "", order[k]);
}

static void test_texts(void)
{
    char got[128];
    /* numbers by value, not as text: 9 < 10 < 100 */
    const char *nums[] = {"100", "9", "10", "-3", "2.5", "1e1"};
    order_of_texts(nums, 6, 0, got, sizeof got);
    CHECK_STR(got, "3 4 1 2 5 0"); /* 10 and 1e1 tie: row order */
    order_of_texts(nums, 6, 1, got, sizeof got);
    CHECK_STR(got, "0 2 5 1 4 3"); /* reversed, the tie still in row order */

    /* case-insensitive text; equal text ties in row order */
    const char *words[] = {"bob", "Alice", "alice", "Carol", "BOB"};
    order_of_texts(words, 5, 0, got, sizeof got);
    CHECK_STR(got, "1 2 0 4 3");
    order_of_texts(words, 5, 1, got, sizeof got);
    CHECK_STR(got, "3 0 4 1 2");

    /* missing (NULL or "") last in both directions; numbers before words */
    const char *mixed[] = {NULL, "zeta", "", "42", "alpha", "7"};
    order_of_texts(mixed, 6, 0, got, sizeof got);
    CHECK_STR(got, "5 3 4 1 0 2");
    order_of_texts(mixed, 6, 1, got, sizeof got);
    CHECK_STR(got, "1 4 3 5 0 2");

    /* the same text behind different pointers is one value; a shared prefix longer than 8 bytes */
    char a1[] = "arn:aws:iam::1:user/b", a2[] = "arn:aws:iam::1:user/b";
    const char *longs[] = {a1, "arn:aws:iam::1:user/a", a2, "ARN:AWS:IAM::1:USER/A", "arn:aws:iam::1:user"};
    order_of_texts(longs, 5, 0, got, sizeof got);
    CHECK_STR(got, "4 1 3 0 2");

    /* nothing, and everything missing */
    order_of_texts(longs, 0, 0, got, sizeof got);
    CHECK_STR(got, "");
    const char *none[] = {NULL, "", NULL};
    order_of_texts(none, 3, 1, got, sizeof got);
    CHECK_STR(got, "0 1 2");

    double v;
    CHECK(rowsort_number("-0.5e+2", 7, &v) && v == -50.0);
    CHECK(!rowsort_number("0x10", 4, &v));
    CHECK(!rowsort_number("inf", 3, &v));
    CHECK(!rowsort_number("1.", 2, &v));
    CHECK(!rowsort_number(" 1", 2, &v));
    CHECK(!rowsort_number("", 0, &v));
    CHECK(!rowsort_number("01", 2, &v)); /* JSON has no leading zeros: an id such as 0123 is a word */
}

static void test_numbers(void)
{
    uint32_t rank[8], order[8], nranks;
    /* in order already (the time order fast path): equal values share a rank */
    int64_t sorted[] = {-5, 1, 1, 3, 0};
    unsigned char miss[] = {0, 0, 0, 0, 1};
    CHECK_INT(rowsort_rank_numbers(sorted, miss, 5, rank, &nranks), 0);
    CHECK_INT(nranks, 3);
    CHECK_INT(rank[1], 1);
    CHECK_INT(rank[2], 1);
    CHECK_INT(rank[4], ROWSORT_MISSING);
    CHECK_INT(rowsort_by_rank(rank, NULL, 5, nranks, 1, order), 0);
    CHECK(order[0] == 3 && order[1] == 1 && order[2] == 2 && order[3] == 0 && order[4] == 4);
    /* out of order, negative and huge values (the radix sort path) */
    int64_t mixed[] = {INT64_MAX, -1, INT64_MIN, 0, -1, 1000000};
    CHECK_INT(rowsort_rank_numbers(mixed, NULL, 6, rank, &nranks), 0);
    CHECK_INT(nranks, 5);
    CHECK_INT(rowsort_by_rank(rank, NULL, 6, nranks, 0, order), 0);
    CHECK(order[0] == 2 && order[1] == 1 && order[2] == 4 && order[3] == 3 && order[4] == 5 && order[5] == 0);
    /* ranks kept per store event, rows a subset of them (a filtered list): rows 0..2 are events 5, 0, 1 */
    uint32_t idx[] = {5, 0, 1};
    CHECK_INT(rowsort_by_rank(rank, idx, 3, nranks, 0, order), 0);
    CHECK(order[0] == 2 && order[1] == 0 && order[2] == 1);
    CHECK_INT(rowsort_by_rank(rank, idx, 3, nranks, 1, order), 0);
    CHECK(order[0] == 1 && order[1] == 0 && order[2] == 2);
}

static const char events_json[] =
    "{\"Records\":["
    "{\"eventID\":\"e1\",\"eventTime\":\"2024-03-01T10:00:01Z\",\"eventSource\":\"sts.amazonaws.com\","
    "\"eventName\":\"AssumeRole\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"bob\","
    "\"arn\":\"arn:aws:iam::2:user/bob\"},\"requestParameters\":{\"durationSeconds\":900}},"
    "{\"eventID\":\"e2\",\"eventTime\":\"2024-03-01T10:00:02Z\",\"eventSource\":\"s3.amazonaws.com\","
    "\"eventName\":\"getObject\",\"errorCode\":\"AccessDenied\","
    "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/Admin/s1\"},"
    "\"requestParameters\":{\"durationSeconds\":3600}},"
    "{\"eventID\":\"e3\",\"eventTime\":\"2024-03-01T10:00:03Z\",\"eventSource\":\"ec2.amazonaws.com\","
    "\"eventName\":\"RunInstances\",\"userIdentity\":{\"type\":\"Root\",\"arn\":\"arn:aws:iam::3:root\"},"
    "\"requestParameters\":{\"durationSeconds\":\"43200\"}},"
    "{\"eventID\":\"e4\",\"eventTime\":\"2024-03-01T10:00:04Z\",\"eventSource\":\"sts.amazonaws.com\","
    "\"eventName\":\"AssumeRole\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"alice\","
    "\"arn\":\"arn:aws:iam::1:user/alice\"}}"
    "]}";

/* The store events in the order rowsort_order gives for field name (NULL: column col) over idx. */
static void order_by(struct store *s, const char *name, enum column_id col, const uint32_t *idx, size_t n,
                     int desc, char *out, size_t cap)
{
    struct field f;
    struct field_error err;
    struct rowsort_by by = {NULL, col};
    out[0] = '\0';
    if (name) {
        if (field_parse(name, strlen(name), &f, &err) != 0) {
            snprintf(out, cap, "bad field: %.60s", err.message);
            return;
        }
        while (field_prepare(s, &f, 1) == 0)
            ;
        by.field = &f;
    }
    uint32_t order[8];
    if (rowsort_order(s, &by, idx, n, desc, order) != 0)
        snprintf(out, cap, "out of memory");
    else
        for (size_t k = 0, at = 0; k < n; k++)
            at += (size_t)snprintf(out + at, cap - at, "%s%s", k ? " " : "",
                                   store_str(s, &s->events[idx ? idx[order[k]] : order[k]], EF_EVENT_ID));
    if (name)
        field_free(&f);
}

static void test_store(void)
{
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "rowsort.json", events_json, sizeof events_json - 1), 0);
    CHECK_INT(s->nevents, 4);
    char got[128];
    order_by(s, "name", 0, NULL, 4, 0, got, sizeof got);
    CHECK_STR(got, "e1 e4 e2 e3"); /* AssumeRole twice in time order, getObject before RunInstances */
    order_by(s, "name", 0, NULL, 4, 1, got, sizeof got);
    CHECK_STR(got, "e3 e2 e1 e4");
    order_by(s, "error", 0, NULL, 4, 1, got, sizeof got);
    CHECK_STR(got, "e2 e1 e3 e4"); /* the one error first, the missing ones last in time order */
    /* a path: 900 < 3600 < "43200" (a string that reads as a number), the missing one last */
    order_by(s, "requestParameters.durationSeconds", 0, NULL, 4, 1, got, sizeof got);
    CHECK_STR(got, "e3 e2 e1 e4");
    order_by(s, "time", 0, NULL, 4, 1, got, sizeof got);
    CHECK_STR(got, "e4 e3 e2 e1");
    /* the default list's identity column: the text it shows (user/alice < user/bob), not the ARN */
    order_by(s, NULL, COL_IDENTITY, NULL, 4, 0, got, sizeof got);
    CHECK_STR(got, "e2 e3 e4 e1");
    order_by(s, "identity", 0, NULL, 4, 0, got, sizeof got); /* the field: the whole ARN */
    CHECK_STR(got, "e4 e1 e3 e2");
    order_by(s, NULL, COL_TIME, NULL, 4, 1, got, sizeof got);
    CHECK_STR(got, "e4 e3 e2 e1");
    order_by(s, NULL, COL_SERVICE, NULL, 4, 0, got, sizeof got);
    CHECK_STR(got, "e3 e2 e1 e4");
    /* over a filtered list: positions are into idx */
    uint32_t idx[] = {1, 3};
    order_by(s, "identity", 0, idx, 2, 0, got, sizeof got);
    CHECK_STR(got, "e4 e2");
    store_free(s);
}

int main(void)
{
    test_texts();
    test_numbers();
    test_store();
    return harness_done("rowsort");
}
