#include "parsers/extract.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/base/timefmt.h"

/* Where each indexed field lives in the record, as a path of object keys. */
static const char *const field_keys[EF__COUNT][5] = {
    [EF_NAME] = {"eventName"},
    [EF_SOURCE] = {"eventSource"},
    [EF_REGION] = {"awsRegion"},
    [EF_ACCOUNT] = {"recipientAccountId"},
    [EF_UI_TYPE] = {"userIdentity", "type"},
    [EF_UI_ARN] = {"userIdentity", "arn"},
    [EF_UI_ACCOUNT] = {"userIdentity", "accountId"},
    [EF_UI_PRINCIPAL] = {"userIdentity", "principalId"},
    [EF_UI_USER] = {"userIdentity", "userName"},
    [EF_UI_KEY] = {"userIdentity", "accessKeyId"},
    [EF_UI_ISSUER_ARN] = {"userIdentity", "sessionContext", "sessionIssuer", "arn"},
    [EF_UI_SOURCE_IDENTITY] = {"userIdentity", "sessionContext", "sourceIdentity"},
    [EF_UI_SESSION_CREATED] = {"userIdentity", "sessionContext", "attributes", "creationDate"},
    [EF_UI_INVOKED_BY] = {"userIdentity", "invokedBy"},
    [EF_IP] = {"sourceIPAddress"},
    [EF_UA] = {"userAgent"},
    [EF_ERROR_CODE] = {"errorCode"},
    [EF_ERROR_MESSAGE] = {"errorMessage"},
    [EF_EVENT_TYPE] = {"eventType"},
    [EF_EVENT_CATEGORY] = {"eventCategory"},
    [EF_EVENT_ID] = {"eventID"},
    [EF_SHARED_ID] = {"sharedEventID"},
    [EF_REQUEST_ID] = {"requestID"},
    [EF_ROLE_ARN] = {"requestParameters", "roleArn"},
    [EF_ROLE_SESSION] = {"requestParameters", "roleSessionName"},
    [EF_ISSUED_KEY] = {"responseElements", "credentials", "accessKeyId"},
    [EF_ISSUED_ARN] = {"responseElements", "assumedRoleUser", "arn"},
    [EF_TLS_HOST] = {"tlsDetails", "clientProvidedHostHeader"},
    [EF_UI_OBO_USER] = {"userIdentity", "onBehalfOf", "userId"},
    [EF_UI_OBO_STORE] = {"userIdentity", "onBehalfOf", "identityStoreArn"},
};

/* Case-sensitive lookup: CloudTrail keys are case-sensitive, and cJSON's default lookup is not. */
static const cJSON *get(const cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static const cJSON *get_path(const cJSON *obj, const char *const *keys)
{
    for (int i = 0; i < 5 && keys[i] && obj; i++)
        obj = get(obj, keys[i]);
    return obj;
}

static struct strref string_of(const cJSON *v, char *numbuf)
{
    if (cJSON_IsString(v) && v->valuestring)
        return (struct strref){v->valuestring, strlen(v->valuestring)};
    if (cJSON_IsNumber(v)) {
        /* An account id logged as a number must still match the same account logged as a string. */
        double d = v->valuedouble;
        int n = (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
                    ? snprintf(numbuf, 32, "%lld", (long long)d)
                    : snprintf(numbuf, 32, "%.17g", d);
        return (struct strref){numbuf, n > 0 ? (size_t)n : 0};
    }
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? (struct strref){"true", 4} : (struct strref){"false", 5};
    return (struct strref){"", 0};
}

static int str_is(const cJSON *v, const char *s)
{
    return cJSON_IsString(v) && v->valuestring && strcmp(v->valuestring, s) == 0;
}

int extract_is_digest(const cJSON *obj)
{
    return get(obj, "digestSignatureAlgorithm") != NULL ||
           (get(obj, "digestPublicKeyFingerprint") != NULL && get(obj, "digestEndTime") != NULL);
}

void extract_event(const cJSON *obj, struct event_in *in, struct extract_scratch *scratch)
{
    memset(in, 0, sizeof *in);
    for (int f = 0; f < EF__COUNT; f++)
        in->f[f] = string_of(get_path(obj, field_keys[f]), scratch->numbers[f]);

    in->time_ms = TIME_NONE;
    /* the event's time is its eventTime only; a shipper's @timestamp is not (scan.c) */
    const cJSON *t = get(obj, "eventTime");
    int64_t ms;
    if (cJSON_IsString(t) && t->valuestring &&
        timefmt_parse(t->valuestring, strlen(t->valuestring), &ms) == 0)
        in->time_ms = ms;

    const cJSON *ro = get(obj, "readOnly");
    /* some exporters write the flag as a string, capitalised ("True") */
    if (cJSON_IsTrue(ro) ||
        (cJSON_IsString(ro) && ro->valuestring && strcasecmp(ro->valuestring, "true") == 0))
        in->flags |= EVF_READONLY_TRUE;
    else if (cJSON_IsFalse(ro) ||
             (cJSON_IsString(ro) && ro->valuestring && strcasecmp(ro->valuestring, "false") == 0))
        in->flags |= EVF_READONLY_FALSE;
    if (str_is(get(get(obj, "responseElements"), "ConsoleLogin"), "Failure"))
        in->flags |= EVF_LOGIN_FAILURE;
    if (str_is(get(get(obj, "userIdentity"), "userName"), "HIDDEN_DUE_TO_SECURITY_REASONS"))
        in->flags |= EVF_USER_MASKED;
    static const char *const mfa_path[] = {"userIdentity", "sessionContext", "attributes", "mfaAuthenticated",
                                           NULL};
    if (str_is(get_path(obj, mfa_path), "true") ||
        str_is(get(get(obj, "additionalEventData"), "MFAUsed"), "Yes"))
        in->flags |= EVF_MFA;
    if (str_is(get(obj, "eventType"), "AwsCloudTrailInsight"))
        in->flags |= EVF_INSIGHT;

    const cJSON *res = get(obj, "resources");
    if (cJSON_IsArray(res)) {
        const cJSON *r;
        size_t n = 0;
        cJSON_ArrayForEach(r, res)
        {
            if (n == EXTRACT_MAX_RESOURCES)
                break;
            const cJSON *arn = get(r, "ARN");
            if (!arn)
                arn = get(r, "arn");
            if (cJSON_IsString(arn) && arn->valuestring && arn->valuestring[0])
                scratch->resources[n++] = (struct strref){arn->valuestring, strlen(arn->valuestring)};
        }
        in->resources = scratch->resources;
        in->nresources = n;
    }
}
