/* evtext: the texts derived from an event's core fields that every view shares: who (the identity), the
 * one failure rule (the error), the masked label. Below the field model so the trace, the findings and the
 * columns all name an event the same way. */
#ifndef CTVIEW_EVTEXT_H
#define CTVIEW_EVTEXT_H

#include "model/store/store.h"

/* The size of a buffer for a cell of these texts (model/query/columns.h). */
#define EVTEXT_BUF 128

/* What every view says for a sign-in whose name AWS masked (userName HIDDEN_DUE_TO_SECURITY_REASONS). */
#define EVTEXT_MASKED "(masked user)"

/* The identity (the identity field of model/query/field.h) as the list shows it: EVTEXT_MASKED, else the
 * ARN's tail (evtext_arn_tail), else userName, else invokedBy, else an Identity Center user's
 * onBehalfOf.userId, else type. */
const char *evtext_identity_short(const struct store *s, const struct event *e);

/* What the list shows of an ARN: its resource (user/Alice, assumed-role/Role/session), the part after
 * the fifth ':' of a text starting "arn:"; any other text whole. Borrowed from text. */
const char *evtext_arn_tail(const char *text);

/* The error cell: errorCode, else errorMessage, else "Failure" for a failed ConsoleLogin. */
const char *evtext_error(const struct store *s, const struct event *e);

#endif
