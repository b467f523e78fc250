/* extract: read the indexed fields of one parsed CloudTrail record into an event_in.
 *
 * The event_in borrows strings from the cJSON tree and from a scratch buffer owned by the caller's
 * struct extract_scratch; both must outlive its use (store_add_event copies what it keeps). */
#ifndef CTVIEW_EXTRACT_H
#define CTVIEW_EXTRACT_H

#include <cjson/cJSON.h>

#include "model/store/store.h"

#define EXTRACT_MAX_RESOURCES 64

struct extract_scratch {
    char numbers[EF__COUNT][32]; /* text of numbers found where strings belong */
    struct strref resources[EXTRACT_MAX_RESOURCES];
};

/* True when the object is a CloudTrail digest record rather than an event. */
int extract_is_digest(const cJSON *obj);

/* Fills *in from obj (raw_off/raw_len are left for the caller). */
void extract_event(const cJSON *obj, struct event_in *in, struct extract_scratch *scratch);

#endif
