/* store: every loaded event, the strings they share, where their bytes came from, and load counts.
 *
 * Parsers feed it through store_add_source(), store_add_event() and the problem list; the TUI and CLI
 * read it. After loading, store_finish() puts events in time order (stable: ties keep load order,
 * events without a time go last). Nothing here knows about files or gzip: original record bytes are
 * fetched back through a reader function the loader installs, so the model stays independent of I/O.
 * What is computed from the events (indexes, origins, findings) is kept with the store as derived data
 * (store_derived_set) that the store drops, moves and frees with its events without naming any of it:
 * those modules sit above the store and the store includes none of them. */
#ifndef CTVIEW_STORE_H
#define CTVIEW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model/store/event.h"
#include "model/store/intern.h"
#include "model/base/problems.h"

struct strref {
    const char *s; /* borrowed; need not be NUL-terminated */
    size_t len;
};

/* One event as a parser hands it over: borrowed strings, valid only during store_add_event(). */
/* What store_add_event makes of eventID and requestID when they are UUIDs (see take_uuid in store.c),
 * worked out by store_binary_take on a loader's worker rather than on the thread that merges. */
struct event_binary {
    uint16_t flags;      /* the EVF_ID_* and EVF_REQ_* bits */
    uint8_t uuid[2][16]; /* as struct event's uuid[], bytes of a failed parse included */
};

struct event_in {
    struct strref f[EF__COUNT];
    int64_t time_ms;
    uint16_t flags;
    const struct strref *resources; /* resource ARNs (at most 255 kept) */
    size_t nresources;
    const struct strref *pieces; /* searchable text beyond the fields (at most 255 kept) */
    size_t npieces;
    uint64_t raw_off;
    uint32_t raw_len;
    const char *text; /* the event's JSON text (decoded when embedded), for the dedupe check; may be NULL */
    size_t text_len;
    uint64_t content_hash; /* store_content_hash(text) when the loader computed it already, else 0 */
    const uint32_t
        *hashes; /* intern_hash of f[], then resources, then pieces, when computed already; or NULL */
    const struct event_binary *binary; /* store_binary_take(f) when computed already; or NULL */
};

enum source_kind {
    SOURCE_FILE,   /* re-read from disk by the reader when bytes are needed */
    SOURCE_MEMORY, /* the store owns the decoded bytes (stdin, tests) */
    SOURCE_RANGE,  /* a large file: each event's bytes alone are re-read by the range reader */
};

struct source {
    char *path; /* owned; "-" for stdin */
    enum source_kind kind;
    int gzip;               /* the file is gzip-compressed */
    int64_t size, mtime;    /* as seen at load, to notice a file that changed since */
    uint32_t trail_account; /* account id from the S3 path or file name, 0 if none */
    char *data;             /* SOURCE_MEMORY: owned decoded bytes */
    size_t data_len;
};

/* Fetches the decoded bytes of a SOURCE_FILE source. On success returns 0 and sets *data (owned by the
 * caller, free()) and *len; on failure returns -1 and sets *err (owned by the caller). */
typedef int (*store_reader_fn)(const struct source *src, char **data, size_t *len, char **err);

/* Fetches decoded bytes [off, off + len) of a SOURCE_RANGE source into buf. Returns 0, or -1 and sets *err
 * (owned by the caller). */
typedef int (*store_range_reader_fn)(const struct source *src, uint64_t off, char *buf, size_t len,
                                     char **err);

struct load_counts {
    uint64_t files;           /* files read as logs */
    uint64_t skipped_files;   /* digests, non-JSON, not regular files */
    uint64_t records;         /* event records seen */
    uint64_t events;          /* loaded */
    uint64_t duplicates;      /* same eventID + account as an event already loaded */
    uint64_t bad_records;     /* records that could not be parsed as an event */
    uint64_t skipped_records; /* digest records inside log files: counted apart from records */
    uint64_t bytes;           /* decoded bytes read */
    uint64_t pruned;          /* files and folders not opened: named outside --since/--until */
};

struct store;

/* How the store's events moved, for the data derived from their positions (store_derived_ops). */
struct store_move {
    int whole;             /* store_finish: the whole order was made anew, any event may be anywhere */
    size_t from;           /* else events [from, nevents) were added and put in order among themselves, */
    const uint32_t *moved; /* and, when not NULL, events [0, from) moved too: event i is now at moved[i] */
};

/* A kind of data computed from the events and kept with the store (an index, the origins, the
 * findings), so the store can drop or move it with the events without knowing what it is: each module
 * that derives data declares one of these (static, compared by address) and registers its data with
 * store_derived_set. */
struct store_derived_ops {
    const char *name; /* what it is, for a reader of the code and a debugger */
    /* Frees the data; NULL when the store only borrows it. */
    void (*free)(void *data);
    /* The events moved (store_finish, store_merge_tail): follows them and returns 0, or returns nonzero
     * to have the store drop the data (free it). NULL: the data does not depend on event positions. */
    int (*events_moved)(void *data, struct store *s, const struct store_move *mv);
    /* Bytes the data holds, counted in store_bytes; NULL: not counted. */
    size_t (*bytes)(const void *data);
};

struct store_derived {
    const struct store_derived_ops *ops;
    void *data;
};

/* A record dropped as a duplicate (store_add_event): whose it was and its dedupe key. Kept so the saved
 * index knows which file each dropped copy lost to: when that file changes, the copy may load. */
struct store_dup {
    uint64_t key;
    uint32_t source;
    uint32_t content; /* the key holds the record's content hash (no recipientAccountId) */
};

#define STORE_CACHE_SLOTS 64
#define STORE_CACHE_BYTES (256u << 20)

struct store {
    struct intern *strings;
    struct event *events;
    size_t nevents, cap;
    uint32_t *list_ids; /* per event, from list_first: its rare fields, res_count resource ARNs, then
                           piece_count pieces */
    size_t nlist, list_cap;
    struct source *sources;
    size_t nsources, sources_cap;
    struct problems problems;
    struct load_counts counts;
    uint64_t *seen; /* dedupe set of eventID id << 32 | account id, 0 = empty slot */
    size_t nseen, seen_slots;
    struct store_dup *dups; /* owned: every duplicate dropped, in load order */
    size_t ndups, dups_cap;
    store_reader_fn reader;
    store_range_reader_fn range_reader;
    char *range_buf; /* the last SOURCE_RANGE event's bytes */
    size_t range_cap;
    /* Decoded sources kept, least recently used dropped first: events in time order interleave the
     * files of every account and region, and an export or a scroll through them must not decode a
     * file per event. */
    struct raw_cache {
        uint32_t source; /* UINT32_MAX: empty */
        char *data;
        size_t len;
        uint64_t used; /* tick of the last use */
    } cache[STORE_CACHE_SLOTS];
    size_t cache_bytes;
    uint64_t cache_tick;
    struct store_derived *derived; /* owned: what was computed from the events (store_derived_set) */
    size_t nderived, derived_cap;
    char *unescaped; /* the last embedded event's decoded bytes (EVF_EMBEDDED) */
    size_t unescaped_cap;
    int sorted;
};

/* Returns a new empty store (free with store_free), or NULL when out of memory. */
struct store *store_new(void);
/* Frees the store: its derived data first (registration order), before the events and sources they
 * were computed from, so derived data may stop work that still reads them. NULL is a no-op. */
void store_free(struct store *s);

/* The data registered with ops (borrowed: valid until the next store_derived_set with ops, or until the
 * events move and ops->events_moved drops it), or NULL. */
void *store_derived_get(const struct store *s, const struct store_derived_ops *ops);

/* Registers data (owned by the store unless ops->free is NULL; NULL: none) under ops in place of what
 * was there, which is freed (ops->free). Returns 0, or -1 when out of memory, which happens only when
 * nothing was registered under ops: data is then not taken (still the caller's). */
int store_derived_set(struct store *s, const struct store_derived_ops *ops, void *data);

void store_set_reader(struct store *s, store_reader_fn reader);
void store_set_range_reader(struct store *s, store_range_reader_fn reader);

/* Adds a source; path is copied; data (SOURCE_MEMORY only) is taken over by the store and freed with it.
 * Returns the source id, or UINT32_MAX when out of memory (data is then freed). */
uint32_t store_add_source(struct store *s, const char *path, enum source_kind kind, int gzip, int64_t size,
                          int64_t mtime, const char *trail_account, char *data, size_t data_len);

enum add_result { ADD_LOADED, ADD_DUPLICATE, ADD_NOMEM };

/* Interns the event's fields and appends it, unless an event with the same dedupe key is already
 * loaded: eventID plus recipientAccountId; for a record without recipientAccountId, eventID plus its
 * minified content (the two sides of a cross-account call share an eventID, and once copied out of
 * their S3 folders nothing else tells them apart; without raw bytes, the trail account, else
 * userIdentity.accountId). Events without an eventID are never duplicates. Updates counts.events /
 * counts.duplicates. */
/* The dedupe hash of an event's JSON text (minified first, so pretty-printed copies match); never 0.
 * Loaders on other threads compute it there; scratch holds at least len bytes. */
uint64_t store_content_hash(const char *text, size_t len, char *scratch);

/* What store_add_event would make of in's eventID and requestID (parsed as UUIDs, else interned), for
 * in->binary: loaders on other threads parse there. */
void store_binary_take(const struct event_in *in, struct event_binary *out);

enum add_result store_add_event(struct store *s, uint32_t source, const struct event_in *in);

/* The dedupe key of event e of s, as store_add_event made it: returns 1 and sets *key; 0 when e has none
 * (no eventID: never a duplicate); -1 when it holds the record's content hash (no recipientAccountId),
 * which the event does not keep. */
int store_event_key(const struct store *s, const struct event *e, uint64_t *key);

/* Appends a copy of event e, read from a store whose strings s now holds (the saved index's), as an
 * event of source, with run[0..nrun) its ids beyond the dense ones (store_ids); unless key (0: none) is
 * loaded already, which counts a duplicate as store_add_event does. */
enum add_result store_add_copy(struct store *s, uint32_t source, const struct event *e, const uint32_t *run,
                               size_t nrun, uint64_t key);

/* Whether an event with dedupe key key (store_event_key, store_dup) is loaded. */
int store_seen(const struct store *s, uint64_t key);

/* Counts a duplicate of source that an earlier load dropped (counts.duplicates, dups). 0, or -1 when
 * out of memory. */
int store_add_dup(struct store *s, uint32_t source, uint64_t key, int content);

/* Sorts events by time (stable). Call once loading is done; cheap if already sorted. */
void store_finish(struct store *s);

/* store_finish when the order is known already (the saved index's, parsers/savedidx.h): to[k] is the
 * event that goes to place k (consumed: overwritten). Checked to be the order store_finish gives, each
 * event once by time then load position, else nothing moves. 0, or -1 (then call store_finish). */
int store_finish_as(struct store *s, uint32_t *to);

/* After events were appended to a finished store (a followed directory grew): puts events [from, n) in
 * time order among the others, stably. Returns 0 and sets *moved to NULL when no earlier event moved,
 * else to a new array (owned by the caller) mapping each old index < from to its new index. -1 when out
 * of memory (the order is then left as it was). */
int store_merge_tail(struct store *s, size_t from, uint32_t **moved);

/* The intern id of field f of event e: the one way to read an event's field, so the record's layout
 * can change without its readers. 0 when absent, and for an eventID or requestID held as a binary
 * UUID (store_field_binary): read their text with store_field_text or store_str. */
static inline uint32_t store_field(const struct store *s, const struct event *e, enum event_field f)
{
    unsigned slot = event_field_slot[f];
    if (slot < EVENT_DENSE)
        return e->dense[slot];
    unsigned bit = 1u << (slot - EVENT_DENSE);
    return e->rare & bit ? s->list_ids[e->list_first + (unsigned)__builtin_popcount(e->rare & (bit - 1))] : 0;
}

/* The event's resource ARN ids (e->res_count of them), followed by its piece ids (e->piece_count). */
static inline const uint32_t *store_res_ids(const struct store *s, const struct event *e)
{
    return s->list_ids + e->list_first + __builtin_popcount(e->rare);
}

/* Every intern id of event e, for a scan that need not know whose it is: returns the dense fields'
 * (EVENT_DENSE of them, 0 where absent) and sets *run and *nrun to the others (the rare fields present,
 * resource ARNs and pieces). Binary UUIDs are not among them. */
static inline const uint32_t *store_ids(const struct store *s, const struct event *e, const uint32_t **run,
                                        size_t *nrun)
{
    *run = s->list_ids + e->list_first;
    *nrun = (size_t)__builtin_popcount(e->rare) + e->res_count + e->piece_count;
    return e->dense;
}

/* Characters of a UUID's text and its NUL. */
#define STORE_UUID_TEXT 37

/* Which event fields may be held as binary UUIDs: the ids unique to each event. */
struct store_binary_field {
    enum event_field f;
    int slot;             /* index into struct event's uuid[] */
    uint16_t held, upper; /* enum event_flag: held in binary; written in upper case */
    uint16_t hex16;       /* enum event_flag: held as 16 upper-case hex digits in 8 bytes (0: never) */
};
extern const struct store_binary_field store_binary_fields[2];

/* The row of store_binary_fields for field f, or NULL when f is always interned. */
static inline const struct store_binary_field *store_binary_field(enum event_field f)
{
    return f == EF_EVENT_ID ? &store_binary_fields[0] : f == EF_REQUEST_ID ? &store_binary_fields[1] : NULL;
}

/* Whether field f of event e is a UUID held in binary rather than interned. */
static inline int store_field_binary(const struct store *s, const struct event *e, enum event_field f)
{
    (void)s;
    const struct store_binary_field *b = store_binary_field(f);
    return b && (e->flags & b->held);
}

/* Parses text[0..len) as a UUID as AWS writes them (8-4-4-4-12 hex digits, the letters all lower or
 * all upper case). Returns 1 and fills bin and *upper, else 0 (then the text is interned as it is). */
int store_uuid_parse(const char *text, size_t len, uint8_t bin[16], int *upper);

/* Whether field f of event e is the binary UUID bin written in that case. */
int store_uuid_equals(const struct store *s, const struct event *e, enum event_field f, const uint8_t bin[16],
                      int upper);

/* The text of field f of event e and its length in *len, byte for byte as logged: the interned string
 * (borrowed, valid while the store lives) or a binary UUID's text written into buf (STORE_UUID_TEXT
 * bytes, owned by the caller); "" when absent. */
const char *store_field_text(const struct store *s, const struct event *e, enum event_field f, char *buf,
                             size_t *len);

/* The one rule for "this event failed", used by error:*, the overview, the trace, the actors and exports:
 * a non-empty errorCode or errorMessage (absent, null and "" are no error: AWS writes "" on some
 * successful calls), or a ConsoleLogin whose responseElements say "Failure" (it logs no errorCode). */
static inline int store_event_failed(const struct store *s, const struct event *e)
{
    return store_field(s, e, EF_ERROR_CODE) != 0 || store_field(s, e, EF_ERROR_MESSAGE) != 0 ||
           (e->flags & EVF_LOGIN_FAILURE) != 0;
}

/* The string of field f of event e (borrowed, "" when absent). A binary UUID's text is written into
 * one of 8 buffers of the calling thread, used in turn: valid until the 8th next such call. */
const char *store_str(const struct store *s, const struct event *e, enum event_field f);

/* An identity for the string of field f of event e, for telling equal strings apart without reading
 * them: equal ids are equal strings and different ids different strings; 0 when absent; STORE_NO_ID
 * when the store keeps the field outside its shared strings (then compare store_str's bytes). */
#define STORE_NO_ID UINT32_MAX
uint32_t store_str_id(const struct store *s, const struct event *e, enum event_field f);

/* The original bytes of an event, byte for byte. Returns a pointer valid until the next store_raw call
 * (or store_free) and sets *len; on failure returns NULL and sets *err (owned by the caller). */
const char *store_raw(struct store *s, const struct event *e, size_t *len, char **err);

/* The bytes of one record within its source's decoded data[0..data_len): borrowed from data, or for an
 * embedded record (EVF_EMBEDDED) unescaped into *scratch (grown as needed; owned by the caller). NULL
 * with *err set (owned by the caller) when the record is no longer there (src changed since it was
 * loaded) or out of memory. Touches no store: worker threads call it. */
const char *store_record_bytes(const struct source *src, const char *data, size_t data_len, uint64_t raw_off,
                               uint32_t raw_len, int embedded, char **scratch, size_t *scratch_cap,
                               size_t *len, char **err);

/* Bytes the store holds in memory for events, strings and derived data (what ops->bytes counts; not
 * counting cached raw bytes). */
size_t store_bytes(const struct store *s);

#endif
