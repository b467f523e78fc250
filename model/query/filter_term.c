/* filter_term: the filter term that selects a value seen in an event's JSON ("apply as filter"). */
#include <stdio.h>
#include <string.h>

#include "model/base/filterquote.h"
#include "model/query/filter.h"

/* JSON paths that have a filter field. Everything else is searched as quoted text. */
static const struct {
    const char *path, *field;
} path_fields[] = {
    {"eventName", "name"},
    {"eventSource", "src"},
    {"awsRegion", "region"},
    {"recipientAccountId", "acct"},
    {"userIdentity.accountId", "acct"},
    {"userIdentity.type", "type"},
    {"userIdentity.arn", "user"},
    {"userIdentity.userName", "user"},
    {"userIdentity.principalId", "user"},
    {"userIdentity.onBehalfOf.userId", "user"},
    {"userIdentity.accessKeyId", "key"},
    {"userIdentity.sessionContext.sessionIssuer.arn", "role"},
    {"userIdentity.sessionContext.sourceIdentity", "srcid"},
    {"sourceIPAddress", "ip"},
    {"userAgent", "ua"},
    {"errorCode", "error"},
    {"errorMessage", "error"},
    {"eventType", "etype"},
    {"eventCategory", "cat"},
    {"eventID", "id"},
    {"sharedEventID", "shared"},
    {"requestID", "req"},
    {"readOnly", "ro"},
    {"resources.ARN", "res"},
    {"requestParameters.roleArn", "role"},
    {"responseElements.credentials.accessKeyId", "key"},
    {"tlsDetails.clientProvidedHostHeader", "host"},
};

static int needs_quotes(const char *v, size_t len)
{
    if (len == 0 || v[0] == '-' || v[0] == '/' || (len == 2 && memcmp(v, "OR", 2) == 0))
        return 1;
    for (size_t i = 0; i < len; i++)
        if (v[i] == ' ' || v[i] == '\t' || v[i] == '(' || v[i] == ')' || v[i] == '"' || v[i] == '\\')
            return 1;
    return 0;
}

/* Decodes the common JSON escapes of a string token's inside; \u escapes stay as they are, which still
 * matches the pieces (kept as logged). */
static size_t unescape(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < len && strchr("\"\\/", s[i + 1]))
            c = s[++i];
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

size_t filter_term_for(const char *path, const char *value, size_t len, int is_string, int negate, char *out,
                       size_t cap)
{
    char v[512];
    if (is_string && len >= 2)
        len = unescape(value + 1, len - 2, v, sizeof v);
    else
        len = unescape(value, len, v, sizeof v);
    const char *field = NULL;
    for (size_t i = 0; i < sizeof path_fields / sizeof *path_fields && path; i++)
        if (strcmp(path_fields[i].path, path) == 0)
            field = path_fields[i].field;
    size_t n = 0;
    if (n + 1 < cap && negate)
        out[n++] = '-';
    if (field)
        n += (size_t)snprintf(out + n, cap - n, "%s:", field);
    if (n >= cap)
        return 0;
    if (!field || needs_quotes(v, len)) {
        size_t need = filterquote_term(NULL, v, len, out + n, cap - n);
        return n + (need < cap - n ? need : cap - n - 1);
    } else {
        size_t take = len < cap - n - 1 ? len : cap - n - 1;
        memcpy(out + n, v, take);
        n += take;
    }
    out[n] = '\0';
    return n;
}
