/* split: find the records in a decoded input without parsing them, so that each record is parsed on
 * its own and a malformed one costs only itself.
 *
 * An input is a sequence of top-level JSON values, which covers every shape seen in practice:
 *   {"Records":[ev, ev, ...]}       a CloudTrail log file (several concatenated files too)
 *   [ev, ev, ...]                   a bare array of events
 *   ev ev ev / one per line         a single event, pasted events, JSON Lines
 * Brace matching respects strings and escapes; a missing comma inside a record does not move the
 * record's boundaries, so the records around it load. */
#ifndef CTVIEW_SPLIT_H
#define CTVIEW_SPLIT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct split_sink {
    void *ctx;
    /* An object at buf[off..off+len) that should be an event; index counts records in the input. */
    void (*record)(void *ctx, size_t off, size_t len, size_t index);
    /* A record that is not usable (not an object, cut off): it counts as a bad record. */
    void (*bad_record)(void *ctx, size_t off, size_t index, const char *reason);
    /* Text between records that is not JSON: reported, not counted as a record. */
    void (*junk)(void *ctx, size_t off, const char *reason);
    /* Optional: once another thread sets it, the walk ends after the record in hand. */
    atomic_int *stop;
    /* Optional, for an input whole in hand: an array element that starts an object at buf[off], with
     * avail bytes from there to the input's end, read in the same pass that finds its end. Returns the
     * length of the object it read as a record (as record would have been told), or 0 when it did not
     * read one (damaged): the splitter then bounds the element and calls record or bad_record. */
    size_t (*record_at)(void *ctx, size_t off, size_t avail, size_t index);
};

enum split_result {
    SPLIT_RECORDS,  /* records were found (possibly none in an empty Records array) */
    SPLIT_EMPTY,    /* no content at all, or only whitespace */
    SPLIT_NOT_JSON, /* the input does not start like JSON: skipped, nothing reported per record */
};

/* Walks buf[0..len) and reports its records in order (until sink->stop is set). */
enum split_result split_records(const char *buf, size_t len, const struct split_sink *sink);

/* The same walk over an input that arrives in pieces (a large file read or inflated a window at a time):
 * the records, problems and offsets reported are exactly split_records' over the whole input. */
struct split_state {
    int phase;
    size_t index;             /* records so far */
    enum split_result result; /* once split_done */
};

void split_init(struct split_state *st);

/* Walks buf[0..len), the input's bytes from offset base on, from buf[at]; eof: nothing follows buf[len-1].
 * Offsets given to the sink count from the input's start. Returns the position of the first byte not dealt
 * with yet: the caller keeps buf[ret-1..len) (the byte before ret is looked at), appends more bytes and calls
 * again with at pointing at the byte kept from ret. A record is reported once it is wholly in hand, so a
 * record longer than the window needs a larger window. */
size_t split_feed(struct split_state *st, const char *buf, size_t len, uint64_t base, size_t at, int eof,
                  const struct split_sink *sink);

/* The whole input was walked (or sink->stop was seen). */
int split_done(const struct split_state *st);

#endif
