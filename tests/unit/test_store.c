/* Unit tests for eventID and requestID held as binary UUIDs, for putting new events in order
 * (store_merge_tail: what following a directory and the background load rely on) and for the loader: the same
 * inputs on one thread and on several give the same store, event for event. argv[1] is the repository's
 * tests/ directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model/store/store.h"
#include "model/base/timefmt.h"
#include "parsers/load.h"

static int fwrite_all(void *f, const void *p, size_t n)
{
    return fwrite(p, 1, n, f) == n ? 0 : -1;
}

/* A store with one source, 0, for add(). */
static struct store *mem_store(void)
{
    struct store *s = store_new();
    CHECK_INT(store_add_source(s, "memory", SOURCE_MEMORY, 0, 0, 0, NULL, NULL, 0), 0);
    return s;
}

/* Appends an event with eventID id and time t (TIME_NONE for none), without sorting. */
static void add(struct store *s, const char *id, int64_t t)
{
    uint32_t src = 0;
    struct event_in in = {0};
    in.f[EF_EVENT_ID] = (struct strref){id, strlen(id)};
    in.f[EF_ACCOUNT] = (struct strref){"111122223333", 12};
    in.time_ms = t;
    CHECK_INT(store_add_event(s, src, &in), ADD_LOADED);
}

static const char *id_at(const struct store *s, size_t i)
{
    return store_str(s, &s->events[i], EF_EVENT_ID);
}

/* The events of s in order, as "id id id". */
static void order(const struct store *s, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < s->nevents && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "", id_at(s, i));
}

struct ev {
    const char *id;
    int64_t t;
};

/* Loads first[] and finishes the store, appends tail[] and merges it; checks the order against a store
 * that loaded everything at once and sorted it (the merge must give what store_finish gives), and that
 * moved[] maps every earlier event to where it went. Returns whether anything moved. */
static int merge_case(const struct ev *first, size_t nfirst, const struct ev *tail, size_t ntail,
                      const char *want)
{
    struct store *s = mem_store(), *ref = mem_store();
    for (size_t i = 0; i < nfirst; i++) {
        add(s, first[i].id, first[i].t);
        add(ref, first[i].id, first[i].t);
    }
    store_finish(s);
    for (size_t i = 0; i < ntail; i++) {
        add(ref, tail[i].id, tail[i].t);
    }
    store_finish(ref);
    char before[512][16];
    for (size_t i = 0; i < s->nevents && i < 512; i++)
        snprintf(before[i], sizeof before[i], "%s", id_at(s, i));
    for (size_t i = 0; i < ntail; i++)
        add(s, tail[i].id, tail[i].t);
    uint32_t *moved = (uint32_t *)1;
    CHECK_INT(store_merge_tail(s, nfirst, &moved), 0);
    char got[1024], expect[1024];
    order(s, got, sizeof got);
    order(ref, expect, sizeof expect);
    CHECK_STR(got, want);
    CHECK_STR(got, expect);
    for (size_t i = 0; moved && i < nfirst; i++) {
        CHECK(moved[i] < s->nevents);
        CHECK_STR(id_at(s, moved[i]), before[i]);
    }
    int any = moved != NULL;
    free(moved);
    store_free(s);
    store_free(ref);
    return any;
}

static void test_merge_tail(void)
{
    /* nothing appended: nothing moves */
    {
        struct store *s = mem_store();
        add(s, "a", 1000);
        store_finish(s);
        uint32_t *moved = (uint32_t *)1;
        CHECK_INT(store_merge_tail(s, 1, &moved), 0);
        CHECK(moved == NULL);
        store_free(s);
    }
    static const struct ev first[] = {{"a", 1000}, {"b", 2000}, {"c", 3000}, {"d", TIME_NONE}};
    /* a tail entirely later (and out of order among itself): sorted, earlier events stay put... except
     * the untimed event, which stays last */
    static const struct ev later[] = {{"f", 5000}, {"e", 4000}};
    CHECK_INT(merge_case(first, 3, later, 2, "a b c e f"), 0);
    CHECK_INT(merge_case(first, 4, later, 2, "a b c e f d"), 1);
    /* interleaved: events move, and a tie keeps the earlier-loaded event first */
    static const struct ev mixed[] = {{"x", 2000}, {"y", 500}, {"z", TIME_NONE}, {"w", 2500}};
    CHECK_INT(merge_case(first, 4, mixed, 4, "y a b x w c d z"), 1);
    /* a tail before everything */
    static const struct ev earlier[] = {{"p", 10}, {"q", 20}};
    CHECK_INT(merge_case(first, 3, earlier, 2, "p q a b c"), 1);
    /* from 0: the whole store is the tail */
    CHECK_INT(merge_case(first, 0, mixed, 4, "y x w z"), 0);
}

/* Writes count files of events with ids repeated across files (with different content, so which
 * copy is kept shows), times out of order, and a broken record now and then. */
static void write_tree(const char *dir, int count)
{
    char path[4096];
    for (int f = 0; f < count; f++) {
        snprintf(path, sizeof path, "%s/sub%d", dir, f % 5);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/sub%d/file%03d.json", dir, f % 5, f);
        FILE *out = fopen(path, "w");
        CHECK(out != NULL);
        if (!out)
            return;
        fputs("{\"Records\":[", out);
        for (int e = 0; e < 30; e++) {
            int id = (f * 7 + e * 13) % 2000; /* about half the records repeat an id of another file */
            fprintf(out,
                    "%s{\"eventVersion\":\"1.08\",\"eventID\":\"id-%d\",\"recipientAccountId\":\"1111222233%"
                    "02d\","
                    "\"eventTime\":\"2024-03-01T%02d:%02d:%02dZ\",\"eventName\":\"Op%d\",\"sourceIPAddress\":"
                    "\"10.0.%d.%d\","
                    "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/u%d\"}}",
                    e ? "," : "", id, id % 3, (id * 7) % 24, (f + e) % 60, (id * 11) % 60, e % 9, f, e,
                    id % 17);
            if (e == 17 && f % 9 == 0)
                fputs(",{\"eventID\": broken", out);
        }
        fputs("]}\n", out);
        fclose(out);
    }
}

/* Every event of a and b is the same: fields, time, flags, where its bytes are, and the bytes. */
static void same_store(struct store *a, struct store *b)
{
    CHECK_INT(a->nevents, b->nevents);
    CHECK_INT(a->counts.events, b->counts.events);
    CHECK_INT(a->counts.duplicates, b->counts.duplicates);
    CHECK_INT(a->counts.bad_records, b->counts.bad_records);
    CHECK_INT(a->counts.files, b->counts.files);
    CHECK_INT(a->problems.count, b->problems.count);
    int diffs = 0;
    for (size_t i = 0; i < a->nevents && i < b->nevents && diffs < 5; i++) {
        const struct event *x = &a->events[i], *y = &b->events[i];
        int same = x->time_ms == y->time_ms && x->flags == y->flags && x->raw_off == y->raw_off &&
                   x->raw_len == y->raw_len &&
                   strcmp(a->sources[x->source].path, b->sources[y->source].path) == 0;
        for (int f = 0; f < EF__COUNT && same; f++)
            same = strcmp(store_str(a, x, (enum event_field)f), store_str(b, y, (enum event_field)f)) == 0;
        if (!same) {
            diffs++;
            fprintf(stderr, "event %zu differs: %s in %s vs %s in %s\n", i, id_at(a, i),
                    a->sources[x->source].path, id_at(b, i), b->sources[y->source].path);
        }
        CHECK(same);
    }
}

static struct store *load_with(const char *threads, const char *const *paths, size_t n)
{
    setenv("CTVIEW_THREADS", threads, 1);
    struct store *s = store_new();
    CHECK_INT(load_paths(s, paths, n, NULL, NULL), 0);
    return s;
}

static void test_threads_same_store(const char *tests_dir)
{
    char tmpl[] = "/tmp/ctview-test-store-XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (!dir)
        return;
    write_tree(dir, 120);
    char sample[4096], fixtures[4096];
    snprintf(sample, sizeof sample, "%s/sample", tests_dir);
    snprintf(fixtures, sizeof fixtures, "%s/fixtures/shapes", tests_dir);
    const char *paths[] = {dir, sample, fixtures};
    struct store *one = load_with("1", paths, 3);
    CHECK(one->nevents > 1000); /* the tree is there: the comparison below is not of two empty stores */
    CHECK(one->counts.duplicates > 500);
    for (int round = 0; round < 3; round++) {
        struct store *many = load_with(round == 0 ? "2" : round == 1 ? "4" : "8", paths, 3);
        same_store(one, many);
        store_free(many);
    }
    store_free(one);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
}

/* Adds an event with eventID id, requestID req and recipientAccountId acct (NULL: none); returns
 * what store_add_event said. */
static enum add_result add_ids(struct store *s, const char *id, const char *req, const char *acct)
{
    struct event_in in = {0};
    in.f[EF_EVENT_ID] = (struct strref){id, strlen(id)};
    in.f[EF_REQUEST_ID] = (struct strref){req, strlen(req)};
    if (acct)
        in.f[EF_ACCOUNT] = (struct strref){acct, strlen(acct)};
    in.time_ms = 1;
    return store_add_event(s, 0, &in);
}

/* eventID and requestID held as 16 bytes when they are UUIDs in one case, interned otherwise; their
 * text comes back byte for byte, and the dedupe key still tells case and account apart. */
static void test_binary_ids(void)
{
    static const struct {
        const char *text;
        int binary;     /* as an eventID: a UUID */
        int req_binary; /* as a requestID: a UUID or S3's 16 upper-case hex digits */
    } cases[] = {
        {"8975a639-3272-4838-a73d-6dcfee479969", 1, 1},
        {"8975A639-3272-4838-A73D-6DCFEE479969", 1, 1},
        {"00000000-0000-0000-0000-000000000000", 1, 1},
        {"ffffffff-ffff-ffff-ffff-ffffffffffff", 1, 1},
        {"8975a639-3272-4838-A73D-6dcfee479969", 0, 0}, /* mixed case */
        {"8975a639-3272-4838-a73d-6dcfee47996", 0, 0},  /* short */
        {"8975a639-3272-4838-a73d-6dcfee4799690", 0, 0},
        {"8975a639x3272-4838-a73d-6dcfee479969", 0, 0},
        {"8975a639-3272-4838-a73d6-dcfee479969", 0, 0},
        {"8975a639-3272-4838-a73d-6dcfee47996g", 0, 0},
        {"{8975a639-3272-4838-a73d-6dcfee4799}", 0, 0},
        {"3E0F1A2B4C5D6E7F", 0, 1},
        {"0000000000000000", 0, 1},
        {"3e0f1a2b4c5d6e7f", 0, 0}, /* S3 writes them in upper case */
        {"3E0F1A2B4C5D6E7", 0, 0},
        {"3E0F1A2B4C5D6E7F0", 0, 0},
        {"3E0F1A2B4C5D6E7G", 0, 0},
        {"", 0, 0},
    };
    struct store *s = mem_store();
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char id[64];
        snprintf(id, sizeof id, "%zu", k); /* distinct eventIDs: every one loads */
        CHECK_INT(add_ids(s, cases[k].binary ? cases[k].text : id, cases[k].text, "111122223333"),
                  ADD_LOADED);
        const struct event *e = &s->events[s->nevents - 1];
        CHECK_INT(store_field_binary(s, e, EF_REQUEST_ID), cases[k].req_binary);
        CHECK_INT(store_field_binary(s, e, EF_EVENT_ID), cases[k].binary);
        CHECK_INT(store_field(s, e, EF_REQUEST_ID) != 0, !cases[k].req_binary && *cases[k].text);
        CHECK_STR(store_str(s, e, EF_REQUEST_ID), cases[k].text);
        CHECK_STR(id_at(s, s->nevents - 1), cases[k].binary ? cases[k].text : id);
        char buf[STORE_UUID_TEXT];
        size_t len;
        const char *txt = store_field_text(s, e, EF_REQUEST_ID, buf, &len);
        CHECK(len == strlen(cases[k].text) && memcmp(txt, cases[k].text, len) == 0);
        uint8_t bin[16];
        int upper;
        CHECK_INT(store_uuid_parse(cases[k].text, strlen(cases[k].text), bin, &upper), cases[k].binary);
        if (cases[k].binary) {
            CHECK(store_uuid_equals(s, e, EF_EVENT_ID, bin, upper));
            CHECK(!store_uuid_equals(s, e, EF_EVENT_ID, bin, !upper));
        }
    }
    /* store_str's texts stay valid for the 7 next calls */
    const char *t[8];
    for (size_t k = 0; k < 8; k++)
        t[k] = store_str(s, &s->events[k % 4], EF_REQUEST_ID);
    for (size_t k = 0; k < 8; k++)
        CHECK_STR(t[k], cases[k % 4].text);
    /* dedupe: the same id and account is a duplicate; another case or account is not */
    const char *lower = cases[0].text, *upper = cases[1].text;
    CHECK_INT(add_ids(s, lower, "r", "111122223333"), ADD_DUPLICATE);
    CHECK_INT(add_ids(s, lower, "r", "444455556666"), ADD_LOADED);
    CHECK_INT(add_ids(s, lower, "r", "444455556666"), ADD_DUPLICATE);
    CHECK_INT(add_ids(s, upper, "r", "111122223333"), ADD_DUPLICATE);
    CHECK_INT(add_ids(s, upper, "r", "444455556666"), ADD_LOADED);
    CHECK_INT(add_ids(s, cases[4].text, "r", "111122223333"), ADD_LOADED); /* mixed case: interned */
    CHECK_INT(add_ids(s, cases[4].text, "r", "111122223333"), ADD_DUPLICATE);
    CHECK_INT(s->counts.duplicates, 4);
    store_free(s);
}

/* The field layout: every field has one place, dense or rare; each field, resource and piece of an
 * event reads back as given, whichever of the rare fields are present. */
static void test_field_layout(void)
{
    int dense[EVENT_DENSE] = {0}, rare[EVENT_RARE] = {0};
    for (int f = 0; f < EF__COUNT; f++) {
        unsigned slot = event_field_slot[f];
        CHECK(slot < EVENT_DENSE + EVENT_RARE);
        if (slot < EVENT_DENSE)
            dense[slot]++;
        else if (slot < EVENT_DENSE + EVENT_RARE)
            rare[slot - EVENT_DENSE]++;
    }
    for (int k = 0; k < EVENT_DENSE; k++)
        CHECK_INT(dense[k], 1);
    for (int k = 0; k < EVENT_RARE; k++)
        CHECK_INT(rare[k], 1);
    CHECK(sizeof(struct event) <= 120); /* the record's budget: 120 bytes */

    struct store *s = mem_store();
    char text[EF__COUNT][32], res[3][32], piece[2][32];
    unsigned seed = 7;
    enum { N = 500 };
    uint64_t present[N];
    for (size_t i = 0; i < N; i++) {
        struct event_in in = {0};
        present[i] = 0;
        for (int f = 0; f < EF__COUNT; f++) {
            seed = seed * 1103515245u + 12345u;
            /* every subset shows up: a field is there half the time, or always for the first 3 events */
            if (i >= 3 && (seed >> 16) % 2)
                continue;
            snprintf(text[f], sizeof text[f], "f%d-%zu", f, i % 7); /* values repeat across events */
            if (f == EF_EVENT_ID)
                snprintf(text[f], sizeof text[f], "id-%zu", i); /* each event its own */
            in.f[f] = (struct strref){text[f], strlen(text[f])};
            present[i] |= 1ull << f;
        }
        struct strref r[3], p[2];
        for (size_t k = 0; k < i % 4; k++) {
            snprintf(res[k], sizeof res[k], "arn:%zu:%zu", i % 5, k);
            r[k] = (struct strref){res[k], strlen(res[k])};
        }
        for (size_t k = 0; k < i % 3; k++) {
            snprintf(piece[k], sizeof piece[k], "\"p%zu\":%zu", k, i % 11);
            p[k] = (struct strref){piece[k], strlen(piece[k])};
        }
        in.resources = r;
        in.nresources = i % 4;
        in.pieces = p;
        in.npieces = i % 3;
        in.time_ms = (int64_t)i;
        CHECK_INT(store_add_event(s, 0, &in), ADD_LOADED);
    }
    CHECK_INT(s->nevents, N);
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        for (int f = 0; f < EF__COUNT; f++) {
            char want[32] = "";
            if ((present[i] & (1ull << f)) && f == EF_EVENT_ID)
                snprintf(want, sizeof want, "id-%zu", i);
            else if (present[i] & (1ull << f))
                snprintf(want, sizeof want, "f%d-%zu", f, i % 7);
            CHECK_STR(store_str(s, e, (enum event_field)f), want);
            CHECK_INT(store_field(s, e, (enum event_field)f) != 0, *want != 0);
        }
        CHECK_INT(e->res_count, i % 4);
        CHECK_INT(e->piece_count, i % 3);
        const uint32_t *ids = store_res_ids(s, e);
        for (size_t k = 0; k < e->res_count; k++) {
            char want[32];
            snprintf(want, sizeof want, "arn:%zu:%zu", i % 5, k);
            CHECK_STR(intern_str(s->strings, ids[k]), want);
        }
        for (size_t k = 0; k < e->piece_count; k++) {
            char want[32];
            snprintf(want, sizeof want, "\"p%zu\":%zu", k, i % 11);
            CHECK_STR(intern_str(s->strings, ids[e->res_count + k]), want);
        }
        /* store_ids covers them all: the present fields' ids, then resources and pieces */
        const uint32_t *run;
        size_t nrun, nonzero = 0;
        const uint32_t *dense_ids = store_ids(s, e, &run, &nrun);
        for (int k = 0; k < EVENT_DENSE; k++)
            nonzero += dense_ids[k] != 0;
        CHECK_INT(nonzero + nrun, (size_t)__builtin_popcountll(present[i]) + e->res_count + e->piece_count);
    }
    store_free(s);
}

/* store_finish: time order, ties (and events without a time, last) in load order, for runs that are
 * sorted, reversed, or random with many ties. */
static void test_finish_stable(void)
{
    for (int shape = 0; shape < 3; shape++) {
        struct store *s = mem_store();
        enum { N = 5000 };
        unsigned seed = 11;
        for (size_t i = 0; i < N; i++) {
            char id[32];
            snprintf(id, sizeof id, "%zu", i);
            seed = seed * 1103515245u + 12345u;
            int64_t t = shape == 0 ? (int64_t)i / 3 : shape == 1 ? (int64_t)(N - i) / 4 : (seed >> 16) % 50;
            add(s, id, (seed >> 8) % 97 == 0 ? TIME_NONE : t);
        }
        store_finish(s);
        CHECK_INT(s->nevents, N);
        int bad = 0;
        for (size_t i = 1; i < s->nevents && !bad; i++) {
            const struct event *a = &s->events[i - 1], *b = &s->events[i];
            bad = a->time_ms > b->time_ms ||
                  (a->time_ms == b->time_ms && atoi(id_at(s, i - 1)) >= atoi(id_at(s, i)));
        }
        CHECK(!bad);
        store_free(s);
    }
}

/* Derived data for the registry test: records what the store told it. */
struct probe {
    int whole, tails, remaps, drop_on_move;
    size_t from;
    char moved_to[64]; /* the event ids in their new order, read in the hook */
    int *freed;        /* borrowed: set when the probe is freed */
};

static void probe_free(void *data)
{
    struct probe *p = data;
    (*p->freed)++;
    free(p);
}

static int probe_moved(void *data, struct store *s, const struct store_move *mv)
{
    struct probe *p = data;
    if (mv->whole)
        p->whole++;
    else if (!mv->moved)
        p->tails++;
    else
        p->remaps++;
    p->from = mv->from;
    order(s, p->moved_to, sizeof p->moved_to); /* the hook runs once the events are in place */
    return p->drop_on_move;
}

static size_t probe_bytes(const void *data)
{
    (void)data;
    return 1000;
}

static const struct store_derived_ops probe_ops = {"probe", probe_free, probe_moved, probe_bytes};
static const struct store_derived_ops borrowed_ops = {.name = "borrowed"};

static struct probe *probe_new(int *freed, int drop)
{
    struct probe *p = calloc(1, sizeof *p);
    p->freed = freed;
    p->drop_on_move = drop;
    return p;
}

/* The store keeps what modules derive from it without knowing them: it tells them when events move
 * (after the move), drops the ones that ask, counts their bytes and frees them. */
static void test_derived(void)
{
    struct store *s = mem_store();
    int freed = 0, kept = 42;
    add(s, "b", 2000);
    add(s, "a", 1000);
    size_t bytes = store_bytes(s);
    CHECK(store_derived_get(s, &probe_ops) == NULL);
    struct probe *p = probe_new(&freed, 0);
    CHECK_INT(store_derived_set(s, &probe_ops, p), 0);
    CHECK_INT(store_derived_set(s, &borrowed_ops, &kept), 0);
    CHECK(store_derived_get(s, &probe_ops) == p);
    CHECK(store_derived_get(s, &borrowed_ops) == &kept);
    CHECK_INT(store_bytes(s), bytes + 1000);
    store_finish(s);
    CHECK_INT(p->whole, 1);
    CHECK_STR(p->moved_to, "a b");
    /* a tail earlier than the events before it: first the tail sorted, then the merge */
    add(s, "z", 3000);
    add(s, "0", 500);
    uint32_t *moved = NULL;
    CHECK_INT(store_merge_tail(s, 2, &moved), 0);
    CHECK(moved != NULL);
    free(moved);
    CHECK_INT(p->tails, 1);
    CHECK_INT(p->remaps, 1);
    CHECK_INT(p->from, 2);
    CHECK_STR(p->moved_to, "0 a b z");
    /* replacing frees the old data; NULL removes (and frees) it */
    struct probe *q = probe_new(&freed, 1);
    CHECK_INT(store_derived_set(s, &probe_ops, q), 0);
    CHECK_INT(freed, 1);
    CHECK(store_derived_get(s, &probe_ops) == q);
    /* one that does not follow its events is dropped when they move; the borrowed one stays, unfreed */
    add(s, "y", 100);
    CHECK_INT(store_merge_tail(s, 4, &moved), 0);
    free(moved);
    CHECK_INT(freed, 2);
    CHECK(store_derived_get(s, &probe_ops) == NULL);
    CHECK(store_derived_get(s, &borrowed_ops) == &kept);
    CHECK_INT(store_bytes(s) >= bytes + 1000, 0);
    CHECK_INT(store_derived_set(s, &probe_ops, probe_new(&freed, 0)), 0);
    CHECK_INT(store_derived_set(s, &borrowed_ops, NULL), 0);
    CHECK(store_derived_get(s, &borrowed_ops) == NULL);
    CHECK_INT(kept, 42);
    store_free(s);
    CHECK_INT(freed, 3);
}

/* Pieces named once turn cold at intern_cool, compressed and out of the hash table, and read back the same
 * through a cursor, intern_str, intern_len and intern_write; pieces named twice, or also as a field,
 * stay plain and found; a later equal piece gets an id of its own; plain strings keep their ids and
 * the table keeps finding them across many coolings (the hash table's deletions move entries). */
static void test_cold_pieces(void)
{
    struct intern *t = intern_new();
    enum { N = 60000 };
    static uint32_t id[N], field[N];
    char buf[200];
    for (int round = 0; round < 3; round++)
        for (int i = round * N / 3; i < (round + 1) * N / 3; i++) {
            int n = snprintf(buf, sizeof buf, "\"requestParameters\":{\"bucket\":\"b-%d\",\"key\":\"k/%d\"}",
                             i, i * 7);
            id[i] = intern_add_piece(t, buf, (size_t)n, intern_hash(buf, (size_t)n));
            CHECK(id[i] != UINT32_MAX);
            if (i % 5 == 0) /* named again by a piece: stays plain */
                CHECK_INT(intern_add_piece(t, buf, (size_t)n, intern_hash(buf, (size_t)n)), id[i]);
            if (i % 7 == 0) /* also a field's value: stays plain */
                CHECK_INT(intern_add(t, buf, (size_t)n), id[i]);
            n = snprintf(buf, sizeof buf, "field-%d", i);
            field[i] = intern_add(t, buf, (size_t)n);
            if (i % 1000 == 999)
                CHECK_INT(intern_cool(t), 0);
        }
    CHECK_INT(intern_cool(t), 0);
    struct intern_cursor c = {0};
    int cold = 0;
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "\"requestParameters\":{\"bucket\":\"b-%d\",\"key\":\"k/%d\"}", i,
                         i * 7);
        size_t len;
        const char *got = intern_get(t, id[i], &c, &len);
        CHECK(got && len == (size_t)n && memcmp(got, buf, len) == 0 && got[len] == '\0');
        CHECK_STR(intern_str(t, id[i]), buf);
        CHECK_INT(intern_len(t, id[i]), n);
        int plain = i % 5 == 0 || i % 7 == 0;
        CHECK_INT(intern_is_cold(t, id[i]), !plain);
        CHECK_INT(intern_cold_tag(t, id[i]), plain ? -1 : intern_key_tag("requestParameters", 17));
        cold += !plain;
        CHECK_INT(intern_find(t, buf, (size_t)n), plain ? id[i] : UINT32_MAX);
        if (!plain && i % 3 == 0) { /* seen again after it cooled: a new id, the same text */
            uint32_t again = intern_add_piece(t, buf, (size_t)n, intern_hash(buf, (size_t)n));
            CHECK(again != id[i] && again != UINT32_MAX);
            CHECK_STR(intern_str(t, again), buf);
        }
        n = snprintf(buf, sizeof buf, "field-%d", i);
        CHECK_INT(intern_find(t, buf, (size_t)n), field[i]);
    }
    CHECK(cold > N / 2);
    /* the saved index's block: every id in order, as a table with no cold strings would write it */
    struct {
        char *p;
        size_t n;
    } out = {0};
    FILE *m = open_memstream(&out.p, &out.n);
    CHECK(m != NULL);
    CHECK_INT(intern_write(t, fwrite_all, m), 0);
    fclose(m);
    struct intern *r = intern_read(out.p, out.n, intern_count(t));
    CHECK(r != NULL);
    for (uint32_t k = 1; r && k < intern_count(t); k++) {
        size_t len;
        const char *want = intern_get(t, k, &c, &len);
        CHECK(intern_len(r, k) == len && memcmp(intern_str(r, k), want, len) == 0);
    }
    intern_free(r);
    free(out.p);
    intern_cursor_free(&c);
    intern_free(t);
}

/* Pieces each named twice all stay plain (nothing turns cold), and each is copied into a chunk when it
 * cools, after the strings added since: the saved index's block must still hold every id in order. */
static void test_plain_pieces_write(void)
{
    struct intern *t = intern_new();
    char buf[64];
    for (int i = 0; i < 50; i++) {
        int n = snprintf(buf, sizeof buf, "\"tlsDetails\":{\"v\":%d}", i);
        uint32_t p = intern_add_piece(t, buf, (size_t)n, intern_hash(buf, (size_t)n));
        n = snprintf(buf, sizeof buf, "field-%d", i);
        CHECK(intern_add(t, buf, (size_t)n) != UINT32_MAX);
        n = snprintf(buf, sizeof buf, "\"tlsDetails\":{\"v\":%d}", i);
        CHECK_INT(intern_add_piece(t, buf, (size_t)n, intern_hash(buf, (size_t)n)), p);
    }
    CHECK_INT(intern_cool(t), 0);
    struct {
        char *p;
        size_t n;
    } out = {0};
    FILE *m = open_memstream(&out.p, &out.n);
    CHECK(m != NULL);
    CHECK_INT(intern_write(t, fwrite_all, m), 0);
    fclose(m);
    struct intern *r = intern_read(out.p, out.n, intern_count(t));
    CHECK(r != NULL);
    for (uint32_t k = 1; r && k < intern_count(t); k++)
        CHECK_STR(intern_str(r, k), intern_str(t, k));
    intern_free(r);
    free(out.p);
    intern_free(t);
}

int main(int argc, char **argv)
{
    const char *tests_dir = argc > 1 ? argv[1] : "tests";
    test_cold_pieces();
    test_plain_pieces_write();
    test_field_layout();
    test_finish_stable();
    test_binary_ids();
    test_merge_tail();
    test_derived();
    test_threads_same_store(tests_dir);
    return harness_done("test_store");
}
