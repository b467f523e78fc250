/* event: the compact in-memory form of one CloudTrail event.
 *
 * Every indexed field is an intern id (0 = absent), so comparing and filtering never touch string
 * bytes. The record's original bytes are not kept here: (source, raw_off, raw_len) locate them in the
 * decoded content of their source, and store_raw() fetches them. */
#ifndef CTVIEW_EVENT_H
#define CTVIEW_EVENT_H

#include <stdint.h>

/* X(enum name, JSON path as shown to users) */
#define EVENT_FIELDS(X)                                                                                      \
    X(EF_NAME, "eventName")                                                                                  \
    X(EF_SOURCE, "eventSource")                                                                              \
    X(EF_REGION, "awsRegion")                                                                                \
    X(EF_ACCOUNT, "recipientAccountId")                                                                      \
    X(EF_UI_TYPE, "userIdentity.type")                                                                       \
    X(EF_UI_ARN, "userIdentity.arn")                                                                         \
    X(EF_UI_ACCOUNT, "userIdentity.accountId")                                                               \
    X(EF_UI_PRINCIPAL, "userIdentity.principalId")                                                           \
    X(EF_UI_USER, "userIdentity.userName")                                                                   \
    X(EF_UI_KEY, "userIdentity.accessKeyId")                                                                 \
    X(EF_UI_ISSUER_ARN, "userIdentity.sessionContext.sessionIssuer.arn")                                     \
    X(EF_UI_SOURCE_IDENTITY, "userIdentity.sessionContext.sourceIdentity")                                   \
    X(EF_UI_SESSION_CREATED, "userIdentity.sessionContext.attributes.creationDate")                          \
    X(EF_UI_INVOKED_BY, "userIdentity.invokedBy")                                                            \
    X(EF_IP, "sourceIPAddress")                                                                              \
    X(EF_UA, "userAgent")                                                                                    \
    X(EF_ERROR_CODE, "errorCode")                                                                            \
    X(EF_ERROR_MESSAGE, "errorMessage")                                                                      \
    X(EF_EVENT_TYPE, "eventType")                                                                            \
    X(EF_EVENT_CATEGORY, "eventCategory")                                                                    \
    X(EF_EVENT_ID, "eventID")                                                                                \
    X(EF_SHARED_ID, "sharedEventID")                                                                         \
    X(EF_REQUEST_ID, "requestID")                                                                            \
    X(EF_ROLE_ARN, "requestParameters.roleArn")                                                              \
    X(EF_ROLE_SESSION, "requestParameters.roleSessionName")                                                  \
    X(EF_ISSUED_KEY, "responseElements.credentials.accessKeyId")                                             \
    X(EF_ISSUED_ARN, "responseElements.assumedRoleUser.arn")                                                 \
    X(EF_TLS_HOST, "tlsDetails.clientProvidedHostHeader")                                                    \
    X(EF_UI_OBO_USER, "userIdentity.onBehalfOf.userId")                                                      \
    X(EF_UI_OBO_STORE, "userIdentity.onBehalfOf.identityStoreArn")

enum event_field {
#define X(e, path) e,
    EVENT_FIELDS(X)
#undef X
        EF__COUNT
};

/* JSON path of a field, e.g. "userIdentity.type". */
const char *event_field_path(enum event_field f);

enum event_flag {
    EVF_READONLY_TRUE = 1 << 0,  /* readOnly: true */
    EVF_READONLY_FALSE = 1 << 1, /* readOnly: false (neither bit: absent) */
    EVF_LOGIN_FAILURE = 1 << 2,  /* responseElements.ConsoleLogin == "Failure" (no errorCode is logged) */
    EVF_USER_MASKED = 1 << 3,    /* userName is HIDDEN_DUE_TO_SECURITY_REASONS */
    EVF_MFA = 1 << 4,            /* sessionContext.attributes.mfaAuthenticated == "true" */
    EVF_INSIGHT = 1 << 5,        /* eventType AwsCloudTrailInsight */
    EVF_EMBEDDED = 1 << 6,       /* the raw bytes are a JSON string holding the event (lookup-events'
                                    CloudTrailEvent): unescaped when read */
};

struct event {
    int64_t time_ms;     /* TIME_NONE when eventTime is missing or unreadable */
    uint32_t raw_off;    /* offset of the record in its source's decoded bytes (inputs are capped at 2 GiB) */
    uint32_t raw_len;    /* length of the record's bytes */
    uint32_t source;     /* index of the source (file) in the store */
    uint32_t list_first; /* first of the event's ids in the store's id list: resource ARNs, then pieces */
    uint8_t res_count;   /* number of resource ARN ids */
    uint8_t piece_count; /* number of piece ids (searchable text beyond the fields, see parsers/pieces.h) */
    uint16_t flags;      /* enum event_flag */
    uint32_t f[EF__COUNT];
};

#endif
