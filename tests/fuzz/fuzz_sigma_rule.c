/* libFuzzer: any bytes as a Sigma rule file. The reader must load it, refuse it (with a reason) or ignore
 * it, never crash; a rule that loads is then run over a small store of varied events (both passes of a
 * findings run, the filter fields over its findings). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/query/filter.h"
#include "model/detect/findings.h"
#include "parsers/load.h"

static const char events[] =
    "{\"Records\":[{\"eventID\":\"e1\",\"eventTime\":\"2024-03-01T10:00:00Z\",\"eventName\":\"AssumeRole\","
    "\"eventSource\":\"sts.amazonaws.com\",\"sourceIPAddress\":\"192.0.2.1\",\"readOnly\":true,"
    "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/bob\",\"userName\":\"bob\"},"
    "\"requestParameters\":{\"userName\":\"Bob\",\"n\":[1,2.50,{\"k\":null}],\"roleArn\":\"\"},"
    "\"resources\":[{\"ARN\":\"arn:aws:iam::1:role/R\"}],\"errorCode\":\"AccessDenied\"},"
    "{\"eventID\":\"e2\",\"sourceIPAddress\":\"2001:db8::1\",\"errorCode\":null,\"requestParameters\":"
    "{\"b\":\"x y\",\"policy\":\"{\\\"Action\\\":\\\"*\\\"}\"}},"
    "{\"eventID\":\"e3\",\"eventTime\":\"2024-03-02T00:00:00Z\",\"userAgent\":\"caf\\u00e9 a*b?c\\\\d\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct store *s;
    if (!s) {
        s = store_new();
        load_buffer(s, "f.json", events, sizeof events - 1);
    }
    struct sigma_set *set = sigma_set_new();
    if (!set)
        return 0;
    if (sigma_set_add_text(set, "fuzz.yml", (const char *)data, size) == 0) {
        if (sigma_set_count(set) + sigma_set_refused(set) + sigma_set_ignored(set) != 1)
            abort(); /* one file is one rule, one refusal or one ignored rule */
        if (sigma_set_refused(set) && !sigma_set_refusal(set, 0)->reason[0])
            abort(); /* every refusal says why */
        struct findings *f = findings_new(set, s);
        if (f && findings_run_all(f) == 0 && findings_attach(s, f) == 0) {
            struct filter_error err;
            struct filter *flt = filter_compile("rule:* OR level:>=low", s, &err);
            for (size_t i = 0; flt && i < s->nevents; i++)
                filter_match(flt, i);
            filter_free(flt);
            findings_attach(s, NULL);
        }
        findings_free(f);
    }
    sigma_set_free(set);
    return 0;
}
