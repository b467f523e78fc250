/* evtext: the texts derived from an event's core fields that every view shares: who (the identity), the
 * one failure rule (the error), the service. Below the field model so the trace, the findings and the
 * columns all name an event the same way. */
#ifndef CTVIEW_EVTEXT_H
#define CTVIEW_EVTEXT_H

#include "model/store/store.h"

/* The size of the buffer evtext_service may write to. */
#define EVTEXT_BUF 128

/* The identity the list shows: arn tail (user/Alice, assumed-role/Role/session), else userName, else
 * invokedBy, else an Identity Center user's onBehalfOf.userId, else type; "(masked user)" for
 * HIDDEN_DUE_TO_SECURITY_REASONS. */
const char *evtext_identity_short(const struct store *s, const struct event *e);

/* The identity as --list prints it: arn, else userName, else onBehalfOf.userId, else userIdentity.type. */
const char *evtext_identity_full(const struct store *s, const struct event *e);

/* The error cell: errorCode, else errorMessage, else "Failure" for a failed ConsoleLogin. */
const char *evtext_error(const struct store *s, const struct event *e);

/* eventSource without ".amazonaws.com". */
const char *evtext_service(const struct store *s, const struct event *e, char *buf);

#endif
