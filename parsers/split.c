#include "parsers/split.h"

#include "parsers/strscan.h"

#include <string.h>

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *buf, size_t len, size_t i)
{
    while (i < len && is_ws(buf[i]))
        i++;
    return i;
}

static size_t skip_string(const char *buf, size_t len, size_t i, int *truncated)
{
    unsigned flags;
    size_t end = strscan_end(buf, len, i + 1, &flags);
    *truncated = end >= len;
    return end >= len ? len : end + 1;
}

size_t split_skip_value(const char *buf, size_t len, size_t i, int *truncated)
{
    *truncated = 0;
    if (i >= len)
        return len;
    char c = buf[i];
    if (c == '"')
        return skip_string(buf, len, i, truncated);
    if (c != '{' && c != '[') {
        /* a scalar ends at any blank as cJSON counts them (every byte up to the space) */
        while (i < len && (unsigned char)buf[i] > 32 && buf[i] != ',' && buf[i] != ']' && buf[i] != '}' &&
               buf[i] != '{' && buf[i] != '[' && buf[i] != '"')
            i++;
        return i;
    }
    /* Brackets of both kinds count as one depth: a record whose brackets are mismatched is still
     * bounded, and the JSON parser then says what is wrong inside it. */
    size_t depth = 0;
    for (; i < len; i++) {
        c = buf[i];
        if (c == '"') {
            i = skip_string(buf, len, i, truncated) - 1;
            if (*truncated)
                return len;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    *truncated = 1;
    return len;
}

/* If the object at buf[i] == '{' has a top-level key "Records" (or "Events") whose value is an array, returns
 * the index of that '[', else 0. Lenient about commas, so a damaged log file is still recognised. */
static int is_wrapper_key(const char *k, size_t len)
{
    /* CloudTrail log files hold "Records"; aws cloudtrail lookup-events pages hold "Events" */
    return (len == 9 && memcmp(k, "\"Records\"", 9) == 0) || (len == 8 && memcmp(k, "\"Events\"", 8) == 0);
}

static size_t find_records_array(const char *buf, size_t len, size_t i)
{
    i++;
    for (int keys = 0; i < len && keys < 1000; keys++) {
        i = skip_ws(buf, len, i);
        while (i < len && (buf[i] == ',' || is_ws(buf[i])))
            i++;
        if (i >= len || buf[i] != '"')
            return 0;
        int trunc;
        size_t kend = skip_string(buf, len, i, &trunc);
        if (trunc)
            return 0;
        int is_records = is_wrapper_key(buf + i, kend - i);
        i = skip_ws(buf, len, kend);
        if (i >= len || buf[i] != ':')
            return 0;
        i = skip_ws(buf, len, i + 1);
        if (is_records)
            return i < len && buf[i] == '[' ? i : 0;
        i = split_skip_value(buf, len, i, &trunc);
        if (trunc)
            return 0;
    }
    return 0;
}

static int stopped(const struct split_sink *sink)
{
    return sink->stop && atomic_load_explicit(sink->stop, memory_order_relaxed);
}

/* Reports the elements of the array at buf[i] == '['; returns the index after it. */
static size_t split_array(const char *buf, size_t len, size_t i, size_t *index, const struct split_sink *sink)
{
    i++;
    for (;;) {
        i = skip_ws(buf, len, i);
        if (i >= len || stopped(sink))
            return len;
        char c = buf[i];
        if (c == ']')
            return i + 1;
        if (c == ',') {
            i++;
            continue;
        }
        int trunc;
        size_t end = split_skip_value(buf, len, i, &trunc);
        if (end == i)
            end = i + 1; /* a stray '}' or other byte: step over it */
        if (trunc)
            sink->bad_record(sink->ctx, i, (*index)++, "record cut off by the end of the file");
        else if (c == '{')
            sink->record(sink->ctx, i, end - i, (*index)++);
        else
            sink->bad_record(sink->ctx, i, (*index)++, "array element is not an object");
        i = end;
    }
}

enum split_result split_records(const char *buf, size_t len, const struct split_sink *sink)
{
    size_t i = 0, index = 0;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    i = skip_ws(buf, len, i);
    if (i >= len)
        return SPLIT_EMPTY;
    /* Text first: not JSON, unless a later line starts an object (notes or Markdown holding pasted
     * events), in which case the text is reported and the objects salvaged. */
    if (buf[i] != '{' && buf[i] != '[' && !memmem(buf + i, len - i, "\n{", 2))
        return SPLIT_NOT_JSON;
    while (i < len && !stopped(sink)) {
        i = skip_ws(buf, len, i);
        if (i >= len)
            break;
        char c = buf[i];
        if (c == '[') {
            i = split_array(buf, len, i, &index, sink);
            continue;
        }
        if (c == '{') {
            size_t arr = find_records_array(buf, len, i);
            if (arr) {
                i = split_array(buf, len, arr, &index, sink);
                /* the rest of the wrapper object (other keys, the closing brace) is not records */
                while (i < len && buf[i] != '}') {
                    int trunc;
                    size_t end = split_skip_value(buf, len, i, &trunc);
                    i = end > i ? end : i + 1;
                }
                if (i < len)
                    i++;
                continue;
            }
            int trunc;
            size_t end = split_skip_value(buf, len, i, &trunc);
            /* JSON Lines: a record that starts a line and runs into a later line that starts with '{'
             * lost its end (a cut-off line); pretty-printed records indent what they nest, so a '{' at
             * the start of a line is a new record. The cut-off line costs only itself. */
            if (i == 0 || buf[i - 1] == '\n') {
                const char *next = memmem(buf + i, end - i, "\n{", 2);
                if (next) {
                    sink->bad_record(
                        sink->ctx, i, index++,
                        "record cut off at the end of its line (the next line starts a new record)");
                    i = (size_t)(next - buf) + 1;
                    continue;
                }
            }
            if (trunc)
                sink->bad_record(sink->ctx, i, index++, "record cut off by the end of the file");
            else
                sink->record(sink->ctx, i, end - i, index++);
            i = end;
            continue;
        }
        if (c == ',') {
            i++;
            continue;
        }
        /* Text between values: report it once and resume at the next line that starts an object. */
        sink->junk(sink->ctx, i, "text that is not JSON between records");
        for (;;) {
            const char *nl = memchr(buf + i, '\n', len - i);
            if (!nl) {
                i = len;
                break;
            }
            i = (size_t)(nl - buf) + 1;
            size_t j = i;
            while (j < len && (buf[j] == ' ' || buf[j] == '\t'))
                j++;
            if (j < len && (buf[j] == '{' || buf[j] == '[')) {
                i = j;
                break;
            }
        }
    }
    return SPLIT_RECORDS;
}
