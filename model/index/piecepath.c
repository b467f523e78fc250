#include "model/index/piecepath.h"

#include <stdlib.h>
#include <string.h>

#include "model/json/jsonscan.h"
#include "model/store/intern.h"

#define NEST_MAX 256

void piecepath_init(struct piecepath_memo *m, const struct path *p)
{
    memset(m, 0, sizeof *m);
    if (p->nsteps == 0)
        return;
    const struct path_step *k = &p->steps[0];
    /* resources: ARNs are cut; eventTime: not kept as text; a top-level indexed field: only its name */
    if ((k->len == 9 && memcmp(k->key, "resources", 9) == 0) ||
        (k->len == 9 && memcmp(k->key, "eventTime", 9) == 0))
        return;
    m->usable = 1;
    if (p->nsteps == 1)
        for (int e = 0; e < EF__COUNT; e++)
            if (strcmp(event_field_path((enum event_field)e), p->text) == 0)
                m->usable = 2;
    m->key[0] = '"';
    memcpy(m->key + 1, k->key, k->len);
    m->key[k->len + 1] = '"';
    m->key[k->len + 2] = ':';
    m->key_len = k->len + 3;
    m->tag = intern_key_tag(k->key, k->len);
}

void piecepath_free(struct piecepath_memo *m)
{
    if (m->slots)
        for (size_t i = 0; i < PIECEPATH_SLOTS; i++) {
            free(m->slots[i].text);
            free(m->slots[i].off);
        }
    free(m->slots);
    m->slots = NULL;
    intern_cursor_free(&m->cold);
}

/* Writes the piece as one JSON object: braces around it, "" for a cut value, :null after a member name
 * kept without its value (the top-level indexed scalars). Returns the length, or 0 when nested too deep.
 * out holds at least 3 * len + 3 bytes. */
static size_t as_object(const char *s, size_t len, char *out)
{
    char stack[NEST_MAX];
    int depth = 0;
    size_t o = 0;
    enum { VALUE, KEY, COLON, AFTER } want = KEY; /* inside the outer object: a member name first */
    stack[depth++] = '{';
    out[o++] = '{';
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '"') {
            int cut;
            size_t j = jscan_skip_string(s, len, i, &cut);
            memcpy(out + o, s + i, j - i);
            o += j - i;
            i = j;
            want = want == KEY ? COLON : AFTER;
            continue;
        }
        if (want == COLON && c != ':') {
            memcpy(out + o, ":null", 5); /* a name without its value */
            o += 5;
            want = AFTER;
        }
        if (want == VALUE && (c == ',' || c == '}' || c == ']')) {
            out[o++] = '"'; /* a cut string */
            out[o++] = '"';
            want = AFTER;
        }
        out[o++] = c;
        i++;
        if (c == ':') {
            want = VALUE;
        } else if (c == '{' || c == '[') {
            if (depth == NEST_MAX)
                return 0;
            stack[depth++] = c;
            want = c == '{' ? KEY : VALUE;
        } else if (c == '}' || c == ']') {
            if (depth > 1)
                depth--;
            want = AFTER;
        } else if (c == ',') {
            want = stack[depth - 1] == '{' ? KEY : VALUE;
        } else {
            want = AFTER; /* inside a number or literal */
        }
    }
    if (want == COLON) {
        memcpy(out + o, ":null", 5);
        o += 5;
    } else if (want == VALUE) {
        out[o++] = '"';
        out[o++] = '"';
    }
    out[o++] = '}';
    return o;
}

/* The values of p in one piece, worked out (and remembered) once per piece. */
static struct piecepath_slot *piece_values(struct piecepath_memo *m, const struct path *p, const char *text,
                                           size_t len, uint32_t piece)
{
    struct piecepath_slot *slot = &m->slots[(piece * 2654435761u) >> 20 & (PIECEPATH_SLOTS - 1)];
    if (slot->piece == piece)
        return slot;
    char small[1024], *buf = 3 * len + 3 <= sizeof small ? small : malloc(3 * len + 3);
    if (!buf)
        return NULL;
    size_t olen = as_object(text, len, buf);
    struct path_values pv;
    path_values_init(&pv);
    int n = olen ? path_get(p, buf, olen, &pv) : 0;
    if (buf != small)
        free(buf);
    if (n < 0) {
        path_values_free(&pv);
        return NULL;
    }
    free(slot->text);
    free(slot->off);
    slot->text = pv.text;
    slot->off = pv.off;
    slot->n = (uint32_t)n;
    slot->piece = piece;
    return slot;
}

/* Whether "K" (key, with its quotes) stands in the piece as a member name without a value: followed by
 * ',' or the end, not inside a string. Errs towards yes (the caller then reads the bytes). */
static int name_only(const char *text, size_t len, const char *key, size_t klen)
{
    for (const char *at = text; (at = memmem(at, len - (size_t)(at - text), key, klen)) != NULL; at++) {
        size_t after = (size_t)(at - text) + klen;
        if (at > text && at[-1] == '\\')
            continue;
        if (after == len || text[after] == ',')
            return 1;
    }
    return 0;
}

int piecepath_get(struct piecepath_memo *m, const struct path *p, const struct store *s, size_t ev,
                  struct path_values *out)
{
    const struct event *e = &s->events[ev];
    if (!m->usable || (e->flags & EVF_EMBEDDED))
        return -2;
    if (!m->slots && !(m->slots = calloc(PIECEPATH_SLOTS, sizeof *m->slots)))
        return -1;
    path_values_clear(out);
    const uint32_t *ids = store_res_ids(s, e) + e->res_count;
    for (int k = 0; k < e->piece_count; k++) {
        /* one member of another name: neither its values nor a top-level name kept alone are there (a
         * match of the key inside would only be a nested one) */
        int tag = intern_cold_tag(s->strings, ids[k]);
        if (tag > 0 && tag != m->tag)
            continue;
        size_t len;
        const char *text = intern_get(s->strings, ids[k], m->shared ? m->shared : &m->cold, &len);
        if (!text)
            return -1;
        if (m->usable == 2 && name_only(text, len, m->key, m->key_len - 1))
            return -2; /* a top-level indexed field kept by name: "" or null, the bytes say which */
        if (len < m->key_len || !memmem(text, len, m->key, m->key_len))
            continue;
        const struct piecepath_slot *slot = piece_values(m, p, text, len, ids[k]);
        if (!slot)
            return -1;
        for (uint32_t v = 0; v < slot->n; v++)
            if (path_values_push(out, slot->text + slot->off[v], slot->off[v + 1] - slot->off[v] - 1) != 0)
                return -1;
    }
    return (int)out->n;
}
