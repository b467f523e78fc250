/* Unit tests for sorting the list's rows: numbers as numbers, text ignoring case, numbers before words,
 * missing last in both directions, ties in time (row) order, equal text behind different pointers, and
 * the whole sort over a store by a short field, a path, a default column and the time. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/query/rowsort.h"
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

/* The reference: rows ordered by (numbers first, by value; then words by their lower-cased bytes),
 * missing last, ties by row: written plainly, as a check on the radix sorts of rowsort. */
static const char *const *ref_vals;
static char **ref_lower;
static double *ref_num;
static int *ref_isnum;

static int ref_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    int ma = !ref_vals[a] || !ref_vals[a][0], mb = !ref_vals[b] || !ref_vals[b][0];
    if (ma != mb)
        return ma ? 1 : -1;
    if (!ma && ref_isnum[a] != ref_isnum[b])
        return ref_isnum[a] ? -1 : 1;
    if (!ma && ref_isnum[a] && ref_num[a] != ref_num[b])
        return ref_num[a] < ref_num[b] ? -1 : 1;
    if (!ma && !ref_isnum[a]) {
        int c = strcmp(ref_lower[a], ref_lower[b]);
        if (c)
            return c;
    }
    return a < b ? -1 : a > b;
}

/* Thousands of values (enough for the radix paths): shared prefixes of 8, 16 and 600 bytes, case
 * variants, equal texts behind different pointers, numbers, missing ones; ascending and descending
 * against the reference. */
static void test_many(void)
{
    enum { N = 6000 };
    static char buf[N][700];
    static const char *vals[N];
    static char *lower[N];
    static double num[N];
    static int isnum[N];
    static uint32_t rank[N], order[N], want[N];
    static const char *names[] = {"alice", "Alice", "BOB", "bob", "carol", "Dave", "dave", "eve"};
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 8) % 1000;
        switch (i % 6) {
        case 0:
            snprintf(buf[i], sizeof buf[i], "arn:aws:iam::%03u:user/%s", r % 40, names[r % 8]);
            break;
        case 1:
            snprintf(buf[i], sizeof buf[i], "%d", (int)r - 500);
            break;
        case 2:
            snprintf(buf[i], sizeof buf[i], "%u.%u.%u.%u", 10 + r % 3, r % 7, r % 11, r);
            break;
        case 3: /* a 600-byte shared prefix, then a case variant */
            memset(buf[i], 'x', 600);
            snprintf(buf[i] + 600, sizeof buf[i] - 600, "%s%u", names[r % 8], r % 5);
            break;
        case 4:
            snprintf(buf[i], sizeof buf[i], "%s", r % 10 == 0 ? "" : r % 10 == 1 ? "1.5e2" : "GetObject");
            break;
        default:
            snprintf(buf[i], sizeof buf[i], "AssumeRole%s", names[r % 8]);
            break;
        }
        vals[i] = r % 50 == 0 ? NULL : buf[i];
        lower[i] = strdup(buf[i]);
        for (char *c = lower[i]; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        isnum[i] = rowsort_number(buf[i], strlen(buf[i]), &num[i]);
    }
    ref_vals = vals;
    ref_lower = lower;
    ref_num = num;
    ref_isnum = isnum;
    for (uint32_t i = 0; i < N; i++)
        want[i] = i;
    qsort(want, N, sizeof *want, ref_cmp);
    uint32_t nranks;
    CHECK_INT(rowsort_rank_texts(vals, N, rank, &nranks), 0);
    CHECK_INT(rowsort_by_rank(rank, NULL, N, nranks, 0, order), 0);
    CHECK(memcmp(order, want, sizeof order) == 0);
    /* equal values share a rank, and only they */
    int dense = 1;
    for (int k = 1; k < N; k++) {
        uint32_t a = want[k - 1], b = want[k];
        if (!vals[b] || !vals[b][0])
            break;
        int equal = isnum[a] == isnum[b] && (isnum[a] ? num[a] == num[b] : strcmp(lower[a], lower[b]) == 0);
        dense &= equal ? rank[a] == rank[b] : rank[b] == rank[a] + 1;
    }
    CHECK(dense);
    /* descending: the reference's groups of equal values reversed, each group still by row */
    CHECK_INT(rowsort_by_rank(rank, NULL, N, nranks, 1, order), 0);
    int desc_ok = 1;
    for (int k = 1; k < N; k++) {
        uint32_t a = order[k - 1], b = order[k];
        int ma = rank[a] == ROWSORT_MISSING, mb = rank[b] == ROWSORT_MISSING;
        desc_ok &= ma ? mb && a < b : mb || rank[a] > rank[b] || (rank[a] == rank[b] && a < b);
    }
    CHECK(desc_ok);
    for (int i = 0; i < N; i++)
        free(lower[i]);
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

/* eventID and requestID held as binary UUIDs (model/store/store.h) sort by their text like any other: the
 * order is the one rowsort_rank_texts gives the same texts as separate strings. Two events share each
 * id (a cross-account pair), so equal values must share a rank. */
static void test_binary_ids(void)
{
    static const char *const ids[] = {
        "8975a639-3272-4838-a73d-6dcfee479969",
        "8975A639-3272-4838-A73D-6DCFEE479969",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "8975a639-3272-4838-A73D-6dcfee479969",
        "not-a-uuid",
        "12345678-1234-1234-1234-123456789012",
        "ABCDEFAB-CDEF-ABCD-EFAB-CDEFABCDEFAB",
        "3E0F1A2B4C5D6E7F",
    };
    enum { NI = sizeof ids / sizeof *ids, N = 2 * NI };
    char json[8192];
    size_t at = (size_t)snprintf(json, sizeof json, "{\"Records\":[");
    for (size_t i = 0; i < N; i++)
        at += (size_t)snprintf(json + at, sizeof json - at,
                               "%s{\"eventID\":\"%s\",\"requestID\":\"%s\",\"recipientAccountId\":\"%zu\","
                               "\"eventTime\":\"2024-03-01T10:00:%02zuZ\",\"eventName\":\"E\"}",
                               i ? "," : "", ids[(i * 2) % NI], ids[(i * 5) % NI], i, i);
    snprintf(json + at, sizeof json - at, "]}");
    struct store *s = store_new();
    CHECK_INT(load_buffer(s, "ids.json", json, strlen(json)), 0);
    CHECK_INT(s->nevents, N);
    static const struct {
        const char *field; /* NULL: the default list's eventID column */
        enum event_field ef;
    } bys[] = {{"id", EF_EVENT_ID}, {"req", EF_REQUEST_ID}, {"eventID", EF_EVENT_ID}, {NULL, EF_EVENT_ID}};
    for (size_t b = 0; b < sizeof bys / sizeof *bys; b++) {
        char *texts[N];
        for (size_t i = 0; i < N; i++)
            texts[i] = strdup(store_str(s, &s->events[i], bys[b].ef));
        uint32_t want[N], got[N], nwant, ngot;
        CHECK_INT(rowsort_rank_texts((const char *const *)texts, N, want, &nwant), 0);
        struct field f;
        struct field_error err;
        struct rowsort_by by = {NULL, COL_EVENT_ID};
        if (bys[b].field) {
            CHECK_INT(field_parse(bys[b].field, strlen(bys[b].field), &f, &err), 0);
            by.field = &f;
        }
        CHECK_INT(rowsort_ranks(s, &by, NULL, N, got, &ngot), 0);
        CHECK_INT(ngot, nwant);
        CHECK_INT(nwant, NI - 2); /* rowsort ignores case: the three spellings of 8975a639-... are one */
        for (size_t i = 0; i < N; i++)
            CHECK_INT(got[i], want[i]);
        if (bys[b].field)
            field_free(&f);
        for (size_t i = 0; i < N; i++)
            free(texts[i]);
    }
    store_free(s);
}

int main(void)
{
    test_binary_ids();
    test_texts();
    test_many();
    test_numbers();
    test_store();
    return harness_done("rowsort");
}
