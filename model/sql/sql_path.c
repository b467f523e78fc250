/* sql_path: a JSON path term (requestParameters.bucketName:prod-*) over the documented table: struct
 * columns by field access, JSON text columns by json_extract_scalar, resources by a filter over the
 * array. Keys are matched with CloudTrail's exact spelling, as ctview's paths are; a key the table does
 * not hold makes the term inexpressible. */
#include <string.h>

#include "model/sql/sql_impl.h"

enum col_kind {
    C_STRING, /* a string column or struct field */
    C_JSON,   /* a string column holding JSON text */
    C_STRUCT, /* a struct: fields by name */
    C_ARRAY,  /* an array of structs (resources) */
    C_MAP,    /* a map (webIdFederationData.attributes) */
};

struct col {
    const char *ct;  /* CloudTrail's key */
    const char *sql; /* the table's name */
    enum col_kind kind;
    const struct col *fields; /* C_STRUCT, C_ARRAY */
    size_t nfields;
};

#define S(ct, sql)                                                                                           \
    {                                                                                                        \
        ct, sql, C_STRING, NULL, 0                                                                           \
    }
#define N(a) a, sizeof a / sizeof *a

static const struct col issuer[] = {S("type", "type"), S("principalId", "principalid"), S("arn", "arn"),
                                    S("accountId", "accountid"), S("userName", "username")};
static const struct col attributes[] = {S("mfaAuthenticated", "mfaauthenticated"),
                                        S("creationDate", "creationdate")};
static const struct col webid[] = {S("federatedProvider", "federatedprovider"),
                                   {"attributes", "attributes", C_MAP, NULL, 0}};
static const struct col session[] = {{"attributes", "attributes", C_STRUCT, N(attributes)},
                                     {"sessionIssuer", "sessionissuer", C_STRUCT, N(issuer)},
                                     S("ec2RoleDelivery", "ec2roledelivery"),
                                     {"webIdFederationData", "webidfederationdata", C_STRUCT, N(webid)}};
static const struct col onbehalf[] = {S("userId", "userid"), S("identityStoreArn", "identitystorearn")};
static const struct col identity[] = {S("type", "type"),
                                      S("principalId", "principalid"),
                                      S("arn", "arn"),
                                      S("accountId", "accountid"),
                                      S("invokedBy", "invokedby"),
                                      S("accessKeyId", "accesskeyid"),
                                      S("userName", "username"),
                                      {"onBehalfOf", "onbehalfof", C_STRUCT, N(onbehalf)},
                                      {"sessionContext", "sessioncontext", C_STRUCT, N(session)}};
static const struct col resource[] = {S("ARN", "arn"), S("accountId", "accountid"), S("type", "type")};
static const struct col addendum[] = {S("reason", "reason"), S("updatedFields", "updatedfields"),
                                      S("originalRequestID", "originalrequestid"),
                                      S("originalEventID", "originaleventid")};
static const struct col tls[] = {S("tlsVersion", "tlsversion"), S("cipherSuite", "ciphersuite"),
                                 S("clientProvidedHostHeader", "clientprovidedhostheader")};
static const struct col columns[] = {
    S("eventVersion", "eventversion"),
    {"userIdentity", "useridentity", C_STRUCT, N(identity)},
    S("eventTime", "eventtime"),
    S("eventSource", "eventsource"),
    S("eventName", "eventname"),
    S("awsRegion", "awsregion"),
    S("sourceIPAddress", "sourceipaddress"),
    S("userAgent", "useragent"),
    S("errorCode", "errorcode"),
    S("errorMessage", "errormessage"),
    {"requestParameters", "requestparameters", C_JSON, NULL, 0},
    {"responseElements", "responseelements", C_JSON, NULL, 0},
    {"additionalEventData", "additionaleventdata", C_JSON, NULL, 0},
    S("requestID", "requestid"),
    S("eventID", "eventid"),
    S("readOnly", "readonly"),
    {"resources", "resources", C_ARRAY, N(resource)},
    S("eventType", "eventtype"),
    S("apiVersion", "apiversion"),
    S("recipientAccountId", "recipientaccountid"),
    {"serviceEventDetails", "serviceeventdetails", C_JSON, NULL, 0},
    S("sharedEventID", "sharedeventid"),
    S("vpcEndpointId", "vpcendpointid"),
    S("vpcEndpointAccountId", "vpcendpointaccountid"),
    S("eventCategory", "eventcategory"),
    {"addendum", "addendum", C_STRUCT, N(addendum)},
    S("sessionCredentialFromConsole", "sessioncredentialfromconsole"),
    {"edgeDeviceDetails", "edgedevicedetails", C_JSON, NULL, 0},
    {"tlsDetails", "tlsdetails", C_STRUCT, N(tls)},
};

static const struct col *find(const struct col *cols, size_t n, const struct path_step *st)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(cols[i].ct) == st->len && memcmp(cols[i].ct, st->key, st->len) == 0)
            return &cols[i];
    return NULL;
}

/* The JSONPath of steps[from..] for json_extract: $.key, or $["key"] for a key that is not a plain
 * name (a key holds no '"' or '\\': path_parse refuses them). */
static void json_path(const struct path *p, size_t from, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "$");
    for (size_t i = from; i < p->nsteps && n < cap; i++) {
        const struct path_step *st = &p->steps[i];
        int plain = !(st->key[0] >= '0' && st->key[0] <= '9');
        for (size_t k = 0; k < st->len; k++) {
            char c = st->key[k];
            plain &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
        n += (size_t)snprintf(out + n, cap - n, plain ? ".%.*s" : "[\"%.*s\"]", (int)st->len, st->key);
    }
}

/* s as an SQL literal: quotes doubled (a path holds no control character: path_parse refuses them). */
static void quote(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    out[n++] = '\'';
    for (; *s && n + 3 < cap; s++) {
        if (*s == '\'')
            out[n++] = '\'';
        out[n++] = *s;
    }
    out[n++] = '\'';
    out[n] = '\0';
}

/* The glob against a leaf that may hold an empty string: "" is a value of a path, so '*' takes it. */
static void put_leaf(struct writer *w, const struct term *t, const char *expr)
{
    if (sql_all_stars(t))
        fprintf(w->out, "%s IS NOT NULL", expr);
    else
        sql_put_column_glob(w, t, expr);
}

static int cannot(struct writer *w, const struct term *t, const char *why, const struct path_step *st)
{
    char tt[240];
    sql_term_text(t, tt, sizeof tt);
    return sql_fail(w, "%s cannot be expressed in SQL: %s '%.*s'", tt, why, (int)st->len, st->key);
}

int sql_put_path(struct writer *w, const struct term *t, const char *indexed_sql, const char *missing)
{
    char tt[240], expr[700], jp[600];
    if (t->kind == TK_INDEXED) {
        if (!indexed_sql) {
            sql_term_text(t, tt, sizeof tt);
            return sql_fail(w, "%s cannot be expressed in SQL: %s", tt, missing ? missing : "no column");
        }
        sql_put_column_glob(w, t, indexed_sql);
        return 0;
    }
    const struct path *p = &t->path;
    const struct col *c = find(columns, sizeof columns / sizeof *columns, &p->steps[0]);
    if (!c)
        return cannot(w, t, "the documented table has no column for", &p->steps[0]);
    strlcpy(expr, c->sql, sizeof expr);
    for (size_t i = 1; i < p->nsteps; i++) {
        const struct path_step *st = &p->steps[i];
        if (c->kind == C_JSON) {
            json_path(p, i, jp, sizeof jp);
            char lit[1200];
            quote(jp, lit, sizeof lit);
            sql_term_text(t, tt, sizeof tt);
            sql_note(w,
                     "%s: where a key on the path holds an array, ctview matches each element's value; "
                     "json_extract_scalar finds none there",
                     tt);
            /* a scalar as its text, an object or array as its JSON, JSON null as no value */
            char leaf[3000];
            snprintf(
                leaf, sizeof leaf,
                "coalesce(json_extract_scalar(%s, %s), nullif(json_format(json_extract(%s, %s)), 'null'))",
                expr, lit, expr, lit);
            put_leaf(w, t, leaf);
            return 0;
        }
        if (c->kind == C_ARRAY) {
            const struct col *f = find(c->fields, c->nfields, st);
            if (!f)
                return cannot(w, t, "the documented table's resources have no field", st);
            char inner[64];
            snprintf(inner, sizeof inner, "r.%s", f->sql);
            fprintf(w->out, "cardinality(filter(%s, r -> ", expr);
            if (i + 1 < p->nsteps)
                return cannot(w, t, "a resource field holds no key", &p->steps[i + 1]);
            put_leaf(w, t, inner);
            fputs(")) > 0", w->out);
            return 0;
        }
        if (c->kind != C_STRUCT)
            return cannot(w, t,
                          c->kind == C_MAP ? "the table holds a map, not addressable by path, at"
                                           : "a string column has no key",
                          st);
        const struct col *f = find(c->fields, c->nfields, st);
        if (!f)
            return cannot(w, t, "the documented table has no struct field", st);
        size_t len = strlen(expr);
        snprintf(expr + len, sizeof expr - len, ".%s", f->sql);
        c = f;
    }
    if (c->kind == C_STRING) {
        put_leaf(w, t, expr);
        return 0;
    }
    /* The whole object or array: ctview matches its minified JSON as logged. */
    sql_term_text(t, tt, sizeof tt);
    char whole[800];
    if (c->kind == C_JSON) {
        sql_note(w, "%s: the JSON text as the table keeps it, not as logged (spacing, escapes, number forms)",
                 tt);
        strlcpy(whole, expr, sizeof whole);
    } else {
        sql_note(w, "%s: the struct as Trino writes it in JSON (lower-case keys, declared fields, nulls)",
                 tt);
        snprintf(whole, sizeof whole, "json_format(CAST(%s AS JSON))", expr);
    }
    put_leaf(w, t, whole);
    return 0;
}
