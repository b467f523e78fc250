/* evtext: the texts every view derives from an event's core fields (see evtext.h). */
#include "model/store/evtext.h"

#include <string.h>

const char *evtext_identity_full(const struct store *s, const struct event *e)
{
    if (store_field(s, e, EF_UI_ARN))
        return store_str(s, e, EF_UI_ARN);
    if (store_field(s, e, EF_UI_USER))
        return store_str(s, e, EF_UI_USER);
    if (store_field(s, e, EF_UI_OBO_USER))
        return store_str(s, e, EF_UI_OBO_USER); /* an Identity Center user has no ARN */
    return store_str(s, e, EF_UI_TYPE);
}

const char *evtext_identity_short(const struct store *s, const struct event *e)
{
    if (e->flags & EVF_USER_MASKED)
        return "(masked user)";
    if (store_field(s, e, EF_UI_ARN)) {
        /* arn:partition:service:region:account:resource -> resource */
        const char *arn = store_str(s, e, EF_UI_ARN), *p = arn;
        for (int colons = 0; colons < 5 && p; colons++) {
            p = strchr(p, ':');
            if (p)
                p++;
        }
        return p && *p ? p : arn;
    }
    if (store_field(s, e, EF_UI_USER))
        return store_str(s, e, EF_UI_USER);
    if (store_field(s, e, EF_UI_INVOKED_BY))
        return store_str(s, e, EF_UI_INVOKED_BY);
    if (store_field(s, e, EF_UI_OBO_USER))
        return store_str(s, e, EF_UI_OBO_USER);
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

const char *evtext_service(const struct store *s, const struct event *e, char *buf)
{
    const char *src = store_str(s, e, EF_SOURCE);
    static const char suffix[] = ".amazonaws.com";
    size_t n = strlen(src), k = sizeof suffix - 1;
    if (n > k && n - k < EVTEXT_BUF && strcmp(src + n - k, suffix) == 0) {
        memcpy(buf, src, n - k);
        buf[n - k] = '\0';
        return buf;
    }
    return src;
}
