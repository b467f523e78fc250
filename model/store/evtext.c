/* evtext: the texts every view derives from an event's core fields (see evtext.h). */
#include "model/store/evtext.h"

#include <string.h>

const char *evtext_arn_tail(const char *text)
{
    if (strncmp(text, "arn:", 4) != 0)
        return text;
    /* arn:partition:service:region:account:resource -> resource */
    const char *p = text;
    for (int colons = 0; colons < 5 && p; colons++) {
        p = strchr(p, ':');
        if (p)
            p++;
    }
    return p && *p ? p : text;
}

const char *evtext_identity_short(const struct store *s, const struct event *e)
{
    if (e->flags & EVF_USER_MASKED)
        return EVTEXT_MASKED;
    static const enum event_field order[] = {EF_UI_ARN, EF_UI_USER, EF_UI_INVOKED_BY, EF_UI_OBO_USER};
    for (size_t j = 0; j < sizeof order / sizeof *order; j++)
        if (store_field(s, e, order[j]))
            return evtext_arn_tail(store_str(s, e, order[j]));
    return store_str(s, e, EF_UI_TYPE);
}

const char *evtext_error(const struct store *s, const struct event *e)
{
    if (store_field(s, e, EF_ERROR_CODE))
        return store_str(s, e, EF_ERROR_CODE);
    if (store_field(s, e, EF_ERROR_MESSAGE))
        return store_str(s, e, EF_ERROR_MESSAGE);
    return e->flags & EVF_LOGIN_FAILURE ? "Failure" : "";
}
