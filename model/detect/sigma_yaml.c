/* sigma_yaml: the bounds a rule file's YAML must keep before libyaml's document loader sees it.
 *
 * The loader keeps an alias as a reference, but the rule compiler (sigma_rule.c) walks the document as a
 * tree, so one anchor of 2,000 keys named 20,000 times costs 40 million tests; and libyaml's scanner
 * slows down quadratically with nesting. One pass over the events, cut short at the first limit, counts
 * nesting depth and the document's size with every alias expanded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "model/base/grow.h"
#include "model/detect/sigma_impl.h"

/* Far beyond what a rule needs: the largest rules of the Sigma repository hold a few thousand values,
 * nested fewer than ten levels. */
#define YAML_MAX_DEPTH   64
#define YAML_MAX_NODES   50000
#define YAML_MAX_BYTES   (8u << 20) /* scalar text, aliases expanded: twice the largest rule file */
#define YAML_MAX_ANCHORS 1000

struct anchor {
    char *name;   /* owned */
    size_t nodes; /* expanded size of the anchored node: nodes and scalar bytes */
    size_t bytes;
    int open; /* still being read: an alias to it would make a cycle */
};

struct frame {
    int anchor;          /* index in anchors, or -1 */
    size_t nodes, bytes; /* totals when the collection started */
};

struct scan {
    struct anchor *anchors;
    size_t nanchors, anchors_cap;
    struct frame stack[YAML_MAX_DEPTH];
    int depth;
    size_t nodes, bytes; /* the document so far, aliases expanded */
};

static int find_anchor(const struct scan *s, const char *name)
{
    for (size_t i = s->nanchors; i-- > 0;) /* a name given again names the later node */
        if (strcmp(s->anchors[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Registers an anchor (open until its node ends); returns its index, -1 when out of memory, -2 past the
 * limit. */
static int add_anchor(struct scan *s, const char *name)
{
    if (s->nanchors >= YAML_MAX_ANCHORS)
        return -2;
    if (grow_array((void **)&s->anchors, &s->anchors_cap, s->nanchors + 1, sizeof *s->anchors) != 0)
        return -1;
    char *copy = strdup(name);
    if (!copy)
        return -1;
    s->anchors[s->nanchors] = (struct anchor){copy, 0, 0, 1};
    /* copy is owned by s->anchors from here (freed with the scan); cppcheck does not follow it */
    // cppcheck-suppress memleak
    return (int)s->nanchors++;
}

static int over(const struct scan *s)
{
    return s->nodes > YAML_MAX_NODES || s->bytes > YAML_MAX_BYTES;
}

/* One event; returns 0 to go on, 1 refused (why set), -1 out of memory. */
static int step(struct scan *s, const yaml_event_t *e, char *why, size_t whylen)
{
    const yaml_char_t *anchor = NULL;
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        anchor = e->data.scalar.anchor;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = e->data.sequence_start.anchor;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = e->data.mapping_start.anchor;
        break;
    default:
        break;
    }
    int a = -1;
    if (anchor) {
        a = add_anchor(s, (const char *)anchor);
        if (a == -1)
            return -1;
        if (a == -2) {
            snprintf(why, whylen, "more than %d YAML anchors: not a rule", YAML_MAX_ANCHORS);
            return 1;
        }
    }
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        s->nodes++;
        s->bytes += e->data.scalar.length;
        if (a >= 0)
            s->anchors[a] = (struct anchor){s->anchors[a].name, 1, e->data.scalar.length, 0};
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (s->depth >= YAML_MAX_DEPTH) {
            snprintf(why, whylen, "YAML nested more than %d levels deep: not a rule", YAML_MAX_DEPTH);
            return 1;
        }
        s->stack[s->depth++] = (struct frame){a, s->nodes, s->bytes};
        s->nodes++;
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (s->depth > 0) {
            const struct frame *f = &s->stack[--s->depth];
            if (f->anchor >= 0) {
                struct anchor *an = &s->anchors[f->anchor];
                an->nodes = s->nodes - f->nodes;
                an->bytes = s->bytes - f->bytes;
                an->open = 0;
            }
        }
        break;
    case YAML_ALIAS_EVENT: {
        int i = find_anchor(s, (const char *)e->data.alias.anchor);
        if (i < 0)
            break; /* the loader names the undefined alias */
        if (s->anchors[i].open) {
            snprintf(why, whylen, "YAML alias '%.40s' inside its own anchor", s->anchors[i].name);
            return 1;
        }
        s->nodes += s->anchors[i].nodes;
        s->bytes += s->anchors[i].bytes;
        break;
    }
    default:
        break;
    }
    if (over(s)) {
        snprintf(why, whylen, "YAML larger than %d nodes or %u MiB with its aliases expanded: not a rule",
                 YAML_MAX_NODES, YAML_MAX_BYTES >> 20);
        return 1;
    }
    return 0;
}

int sigma_yaml_check(const char *text, size_t len, char *why, size_t whylen, int *line)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    struct scan s = {0};
    int rc = 0;
    *line = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            rc = parser.error == YAML_MEMORY_ERROR ? -1 : 0; /* the loader reports the syntax error */
            break;
        }
        yaml_event_type_t type = e.type;
        rc = step(&s, &e, why, whylen);
        if (rc == 1)
            *line = (int)e.start_mark.line + 1;
        yaml_event_delete(&e);
        if (type == YAML_STREAM_END_EVENT || rc != 0)
            break;
        if (type == YAML_DOCUMENT_END_EVENT)
            s.depth = 0; /* a second document is refused by the caller; its size counts on */
    }
    for (size_t i = 0; i < s.nanchors; i++)
        free(s.anchors[i].name);
    free(s.anchors);
    yaml_parser_delete(&parser);
    return rc;
}
