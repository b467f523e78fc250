/* libFuzzer: any text as a filter expression, compiled and run over a small store of varied events. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/query/filter.h"
#include "parsers/load.h"

static const char events[] =
    "{\"Records\":[{\"eventID\":\"e1\",\"eventTime\":\"2024-03-01T10:00:00Z\",\"eventName\":\"AssumeRole\","
    "\"eventSource\":\"sts.amazonaws.com\",\"sourceIPAddress\":\"192.0.2.1\",\"readOnly\":true,"
    "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/bob\",\"accessKeyId\":\"AKIAX\"},"
    "\"resources\":[{\"ARN\":\"arn:aws:iam::1:role/R\"}],\"errorCode\":\"AccessDenied\"},"
    "{\"eventID\":\"e2\",\"sourceIPAddress\":\"2001:db8::1\",\"requestParameters\":{\"b\":\"x y\"}},"
    "{\"eventID\":\"e3\",\"eventTime\":\"2024-03-02T00:00:00Z\",\"userAgent\":\"caf\\u00e9\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct store *s;
    if (!s) {
        s = store_new();
        load_buffer(s, "f.json", events, sizeof events - 1);
    }
    char *expr = malloc(size + 1);
    if (!expr)
        return 0;
    memcpy(expr, data, size);
    expr[size] = '\0';
    struct filter_error err;
    struct filter *f = filter_compile(expr, s, &err);
    if (f) {
        struct filter_run run;
        filter_run_init(&run, f);
        filter_run_all(&run);
        filter_run_free(&run);
        for (size_t i = 0; i < s->nevents; i++)
            filter_match(f, i);
        filter_free(f);
    }
    free(expr);
    return 0;
}
