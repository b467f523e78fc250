/* event: the compact in-memory form of one CloudTrail event.
 *
 * Every indexed field is an intern id (0 = absent), so comparing and filtering never touch string
 * bytes; except eventID and requestID when they are UUIDs: those are kept in binary, out of the shared
 * table (store_field_text). The record's original bytes are not kept here: (source, raw_off, raw_len)
 * locate them in the decoded content of their source, and store_raw() fetches them. */
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
    EVF_ID_UUID = 1 << 7,        /* eventID is held in uuid[0], not interned (f[EF_EVENT_ID] is 0) */
    EVF_ID_UPPER = 1 << 8,       /* ... and was written in upper case */
    EVF_REQ_UUID = 1 << 9,       /* requestID is held in uuid[1] */
    EVF_REQ_UPPER = 1 << 10,     /* ... in upper case */
    EVF_REQ_HEX16 = 1 << 11,     /* ... and is 16 upper-case hex digits (S3's request ids), 8 bytes */
    EVF_MARKED = 1 << 12,        /* the user marked it (tui/marks.c): kept on the event, so every reorder
                                    of the store (store_finish, store_merge_tail) carries the mark along */
};

/* Where each field lives in struct event. Dense: the fields nearly every event has (on the project's
 * and the diverse corpus 83-100% of events each), an id each in dense[]. Rare: the others (at most 65%,
 * most under 17%; eventID and requestID are here for the ids that are not UUIDs, the others are held in
 * uuid[]), present ones only, as a run of the store's id list: bit k of rare says whether rare field k
 * is there, and its id follows those of the lower bits. Read them with store_field(). */
#define EVENT_DENSE 14
#define EVENT_RARE  16
static const uint8_t event_field_slot[EF__COUNT] = {
    [EF_NAME] = 0,
    [EF_SOURCE] = 1,
    [EF_REGION] = 2,
    [EF_ACCOUNT] = 3,
    [EF_UI_TYPE] = 4,
    [EF_UI_ARN] = 5,
    [EF_UI_ACCOUNT] = 6,
    [EF_UI_PRINCIPAL] = 7,
    [EF_UI_KEY] = 8,
    [EF_IP] = 9,
    [EF_UA] = 10,
    [EF_EVENT_TYPE] = 11,
    [EF_EVENT_CATEGORY] = 12,
    [EF_TLS_HOST] = 13,
    [EF_UI_USER] = EVENT_DENSE + 0,
    [EF_UI_ISSUER_ARN] = EVENT_DENSE + 1,
    [EF_UI_SESSION_CREATED] = EVENT_DENSE + 2,
    [EF_UI_SOURCE_IDENTITY] = EVENT_DENSE + 3,
    [EF_UI_INVOKED_BY] = EVENT_DENSE + 4,
    [EF_ERROR_CODE] = EVENT_DENSE + 5,
    [EF_ERROR_MESSAGE] = EVENT_DENSE + 6,
    [EF_EVENT_ID] = EVENT_DENSE + 7,
    [EF_SHARED_ID] = EVENT_DENSE + 8,
    [EF_REQUEST_ID] = EVENT_DENSE + 9,
    [EF_ROLE_ARN] = EVENT_DENSE + 10,
    [EF_ROLE_SESSION] = EVENT_DENSE + 11,
    [EF_ISSUED_KEY] = EVENT_DENSE + 12,
    [EF_ISSUED_ARN] = EVENT_DENSE + 13,
    [EF_UI_OBO_USER] = EVENT_DENSE + 14,
    [EF_UI_OBO_STORE] = EVENT_DENSE + 15,
};

struct event {
    int64_t time_ms;     /* TIME_NONE when eventTime is missing or unreadable */
    uint32_t raw_off;    /* offset of the record in its source's decoded bytes (inputs are capped at 2 GiB) */
    uint32_t raw_len;    /* length of the record's bytes */
    uint32_t source;     /* index of the source (file) in the store */
    uint32_t list_first; /* first of the event's ids in the store's id list: its rare fields (one per bit
                            of rare), resource ARNs, then pieces */
    uint8_t res_count;   /* number of resource ARN ids */
    uint8_t piece_count; /* number of piece ids (searchable text beyond the fields, see parsers/pieces.h) */
    uint16_t flags;      /* enum event_flag */
    uint16_t rare;       /* the rare fields present, bit k for slot EVENT_DENSE + k */
    uint32_t dense[EVENT_DENSE];
    /* eventID and requestID are unique per event: when they are UUIDs written in one case (as AWS
     * writes them), their 16 bytes are kept here rather than 37 in the shared intern table */
    uint8_t uuid[2][16];
};

#endif
