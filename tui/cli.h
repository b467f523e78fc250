/* cli: the modes that run without a screen (--list, --stats), for scripts and tests. */
#ifndef CTVIEW_CLI_H
#define CTVIEW_CLI_H

#include <stdio.h>

#include "model/store.h"

/* Prints one line per event in time order: tab-separated cells (time, account, region, source, name,
 * identity, source IP, errorCode, eventID), '-' for a missing value, log text escaped. With json, each
 * event's original bytes on one line instead. Returns 0, or 1 when an event's bytes cannot be read. */
int cli_list(struct store *s, FILE *out, int json);

/* Prints the load counts, as one JSON object when json is set. */
int cli_stats(const struct store *s, FILE *out, int json, double load_seconds);

/* Peak resident set size of this process in bytes. */
long long cli_peak_rss_bytes(void);

#endif
