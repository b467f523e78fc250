#include "parsers/split.h"

#include "model/json/jsonscan.h"

#include <string.h>

static int is_wrapper_key(const char *k, size_t len)
{
    /* CloudTrail log files hold "Records"; aws cloudtrail lookup-events pages hold "Events" */
    return (len == 9 && memcmp(k, "\"Records\"", 9) == 0) || (len == 8 && memcmp(k, "\"Events\"", 8) == 0);
}

/* If the object at buf[i] == '{' has a top-level key "Records" (or "Events") whose value is an array, returns
 * the index of that '[', else 0. Lenient about commas, so a damaged log file is still recognised. Sets *more
 * when the answer lies past len and more bytes follow (not eof). */
static size_t find_records_array(const char *buf, size_t len, size_t i, int eof, int *more)
{
    *more = 0;
    i++;
    for (int keys = 0; i < len && keys < 1000; keys++) {
        size_t key, key_end;
        enum jscan_member m = jscan_next_member(buf, len, &i, &key, &key_end);
        if (m == JSCAN_END)
            break;
        if (m != JSCAN_MEMBER)
            return 0;
        if (is_wrapper_key(buf + key, key_end - key)) {
            if (i >= len)
                break;
            return buf[i] == '[' ? i : 0;
        }
        int cut;
        i = jscan_skip_value(buf, len, i, &cut);
        if (cut) {
            i = len;
            break;
        }
    }
    *more = i >= len && !eof;
    return 0;
}

static int stopped(const struct split_sink *sink)
{
    return sink->stop && atomic_load_explicit(sink->stop, memory_order_relaxed);
}

/* Where split_feed is between two calls. */
enum {
    SP_START,        /* before the byte-order mark */
    SP_FIRST,        /* before the first value: is the input JSON at all? */
    SP_TOP,          /* between top-level values */
    SP_ARRAY,        /* inside a top-level array */
    SP_WRAPPED,      /* inside the Records (Events) array of a log file object */
    SP_WRAPPER_REST, /* after that array: the rest of the object is not records */
    SP_JUNK,         /* inside text that is not JSON: looking for the next line */
    SP_JUNK_LINE,    /* at the start of a line after such text */
    SP_DONE,
};

void split_init(struct split_state *st)
{
    *st = (struct split_state){SP_START, 0, SPLIT_RECORDS};
}

int split_done(const struct split_state *st)
{
    return st->phase == SP_DONE;
}

static size_t finish(struct split_state *st, size_t len)
{
    st->phase = SP_DONE;
    return len;
}

/* An element of an array (top-level or Records) at buf[i]: returns the index after it, or SIZE_MAX when its
 * end lies past len and more bytes follow. */
static size_t array_element(struct split_state *st, const char *buf, size_t len, uint64_t base, size_t i,
                            int eof, const struct split_sink *sink)
{
    if (eof && buf[i] == '{' && sink->record_at) {
        /* one pass: the record's reader finds where it ends, rather than the splitter and then it */
        size_t n = sink->record_at(sink->ctx, base + i, len - i, st->index);
        if (n) {
            st->index++;
            return i + n;
        }
    }
    int trunc;
    size_t end = jscan_skip_value(buf, len, i, &trunc);
    if (end >= len && !eof)
        return SIZE_MAX;
    if (end == i)
        end = i + 1; /* a stray '}' or other byte: step over it */
    if (trunc)
        sink->bad_record(sink->ctx, base + i, st->index++, "record cut off by the end of the file");
    else if (buf[i] == '{')
        sink->record(sink->ctx, base + i, end - i, st->index++);
    else
        sink->bad_record(sink->ctx, base + i, st->index++, "array element is not an object");
    return end;
}

/* A top-level object at buf[i] that is not a log file's wrapper: as array_element. */
static size_t top_object(struct split_state *st, const char *buf, size_t len, uint64_t base, size_t i,
                         int eof, const struct split_sink *sink)
{
    int trunc;
    size_t end = jscan_skip_value(buf, len, i, &trunc);
    /* JSON Lines: a record that starts a line and runs into a later line that starts with '{' lost its end (a
     * cut-off line); pretty-printed records indent what they nest, so a '{' at the start of a line is a new
     * record. The cut-off line costs only itself. (The first "\n{" in hand is the first of the record's, even
     * when its end is not in hand yet.) */
    if (base + i == 0 || buf[i - 1] == '\n') {
        const char *next = memmem(buf + i, end - i, "\n{", 2);
        if (next) {
            sink->bad_record(sink->ctx, base + i, st->index++,
                             "record cut off at the end of its line (the next line starts a new record)");
            return (size_t)(next - buf) + 1;
        }
    }
    if (end >= len && !eof)
        return SIZE_MAX;
    if (trunc)
        sink->bad_record(sink->ctx, base + i, st->index++, "record cut off by the end of the file");
    else
        sink->record(sink->ctx, base + i, end - i, st->index++);
    return end;
}

size_t split_feed(struct split_state *st, const char *buf, size_t len, uint64_t base, size_t i, int eof,
                  const struct split_sink *sink)
{
    for (;;) {
        switch (st->phase) {
        case SP_DONE:
            return len;
        case SP_START:
            if (len < 3 && !eof)
                return i;
            if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
                i = 3;
            st->phase = SP_FIRST;
            continue;
        case SP_FIRST:
            i = jscan_ws(buf, len, i);
            if (i >= len) {
                if (!eof)
                    return i;
                st->result = SPLIT_EMPTY;
                return finish(st, len);
            }
            /* Text first: not JSON, unless a later line starts an object (notes or Markdown holding pasted
             * events), in which case the text is reported and the objects salvaged. */
            if (buf[i] != '{' && buf[i] != '[' && !memmem(buf + i, len - i, "\n{", 2)) {
                if (!eof)
                    return i;
                st->result = SPLIT_NOT_JSON;
                return finish(st, len);
            }
            st->phase = SP_TOP;
            continue;
        case SP_TOP: {
            if (stopped(sink))
                return finish(st, len);
            i = jscan_ws(buf, len, i);
            if (i >= len)
                return eof ? finish(st, len) : i;
            char c = buf[i];
            if (c == '[') {
                st->phase = SP_ARRAY;
                i++;
            } else if (c == '{') {
                int more;
                size_t arr = find_records_array(buf, len, i, eof, &more);
                if (more)
                    return i;
                if (arr) {
                    st->phase = SP_WRAPPED;
                    i = arr + 1;
                    continue;
                }
                size_t end = top_object(st, buf, len, base, i, eof, sink);
                if (end == SIZE_MAX)
                    return i;
                i = end;
            } else if (c == ',') {
                i++;
            } else {
                /* Text between values: report it once and resume at the next line that starts an object. */
                sink->junk(sink->ctx, base + i, "text that is not JSON between records");
                st->phase = SP_JUNK;
            }
            continue;
        }
        case SP_ARRAY:
        case SP_WRAPPED: {
            i = jscan_ws(buf, len, i);
            if (i >= len)
                return eof ? finish(st, len) : i;
            if (stopped(sink))
                return finish(st, len);
            if (buf[i] == ']') {
                st->phase = st->phase == SP_ARRAY ? SP_TOP : SP_WRAPPER_REST;
                i++;
            } else if (buf[i] == ',') {
                i++;
            } else {
                size_t end = array_element(st, buf, len, base, i, eof, sink);
                if (end == SIZE_MAX)
                    return i;
                i = end;
            }
            continue;
        }
        case SP_WRAPPER_REST: {
            /* the rest of the wrapper object (other keys, the closing brace) is not records */
            if (i >= len)
                return eof ? finish(st, len) : i;
            if (buf[i] == '}') {
                st->phase = SP_TOP;
                i++;
                continue;
            }
            int trunc;
            size_t end = jscan_skip_value(buf, len, i, &trunc);
            if (end >= len && !eof)
                return i;
            i = end > i ? end : i + 1;
            continue;
        }
        case SP_JUNK: {
            const char *nl = memchr(buf + i, '\n', len - i);
            if (!nl)
                return eof ? finish(st, len) : len;
            i = (size_t)(nl - buf) + 1;
            st->phase = SP_JUNK_LINE;
            continue;
        }
        case SP_JUNK_LINE: {
            size_t j = i;
            while (j < len && (buf[j] == ' ' || buf[j] == '\t'))
                j++;
            if (j >= len && !eof)
                return i;
            if (j < len && (buf[j] == '{' || buf[j] == '[')) {
                i = j;
                st->phase = SP_TOP;
            } else {
                st->phase = SP_JUNK;
            }
            continue;
        }
        }
    }
}

enum split_result split_records(const char *buf, size_t len, const struct split_sink *sink)
{
    struct split_state st;
    split_init(&st);
    split_feed(&st, buf, len, 0, 0, 1, sink);
    return st.result;
}
