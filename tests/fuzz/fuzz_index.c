/* libFuzzer: the saved index's reader (model/store/storefile.c). Each input is read twice: as it is
 * (the head's checks: magic, version, length, checksum), and with its head's length and CRC-32 made to
 * fit, so that mutations reach the body's checks (every count, offset, length and id). The key is the
 * one the input names, so a seed saved by ctview is read past the key. What is read must be a store
 * every reader can walk. Each is read from plain memory and from a mapping, as ctview reads an index
 * (the strings and the events left in it, read in place). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <libdeflate.h>

#include "model/store/storefile.h"

static void walk(struct storefile *x)
{
    struct store *s = x->store;
    char buf[STORE_UUID_TEXT];
    size_t len, sum = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct event *e = &s->events[i];
        for (int f = 0; f < EF__COUNT; f++)
            sum += strlen(store_field_text(s, e, (enum event_field)f, buf, &len)) + len;
        const uint32_t *run;
        size_t nrun;
        store_ids(s, e, &run, &nrun);
        for (size_t k = 0; k < nrun; k++)
            sum += intern_len(s->strings, run[k]);
        uint64_t key;
        store_event_key(s, e, &key);
    }
    /* a string read must be found, under its own id or (a piece written twice: one turned cold before
     * an equal one came, model/store/intern.h) under a later id holding the same bytes */
    for (uint32_t id = 0; id < intern_count(s->strings); id++) {
        const char *str = intern_str(s->strings, id);
        size_t slen = intern_len(s->strings, id);
        uint32_t found = intern_find(s->strings, str, slen);
        if (found == UINT32_MAX || found < id || intern_len(s->strings, found) != slen ||
            memcmp(intern_str(s->strings, found), str, slen) != 0)
            abort();
    }
    for (size_t i = 0; i < x->nfiles; i++)
        if (x->files[i].prob_first + x->files[i].prob_count > s->problems.count)
            abort();
    /* a restored dedupe set must take inserts */
    struct event_in in = {.time_ms = 1};
    in.f[EF_EVENT_ID] = (struct strref){"fuzz-id", 7};
    in.f[EF_ACCOUNT] = (struct strref){"123456789012", 12};
    if (s->nsources)
        store_add_event(s, 0, &in);
    store_finish(s);
    (void)sum;
}

static void read_one(const uint8_t *data, size_t size)
{
    char *key = NULL;
    uint32_t klen;
    if (size >= STOREFILE_HEAD + 4) {
        memcpy(&klen, data + STOREFILE_HEAD, 4);
        if (klen <= size - STOREFILE_HEAD - 4 && (key = malloc((size_t)klen + 1))) {
            memcpy(key, data + STOREFILE_HEAD + 4, klen);
            key[klen] = '\0';
        }
    }
    struct storefile *x;
    char *err = NULL;
    if (storefile_read((const char *)data, size, key ? key : "", 0, &x, &err) == 0) {
        walk(x);
        storefile_free(x);
    }
    free(err);
    err = NULL;
    void *m =
        size ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
    if (m != MAP_FAILED) {
        memcpy(m, data, size);
        /* the read takes the mapping over, whatever it finds */
        if (storefile_read(m, size, key ? key : "", 1, &x, &err) == 0) {
            struct event e;
            for (size_t i = 0; i < x->nevents; i++)
                if (storefile_event(x, i, &e) != 0)
                    abort(); /* each was checked by the read */
            if (storefile_unpack(x) == 0)
                walk(x);
            storefile_free(x);
        }
        free(err);
    }
    free(key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_one(data, size);
    if (size < STOREFILE_HEAD)
        return 0;
    uint8_t *fixed = malloc(size);
    if (!fixed)
        return 0;
    memcpy(fixed, data, size);
    uint64_t total = size - STOREFILE_HEAD;
    uint32_t crc = libdeflate_crc32(0, fixed + STOREFILE_HEAD, total);
    memcpy(fixed, "CTVIDX\r\n", 8);
    uint32_t version = STOREFILE_VERSION;
    memcpy(fixed + 8, &version, 4);
    memcpy(fixed + 16, &total, 8);
    memcpy(fixed + 24, &crc, 4);
    read_one(fixed, size);
    free(fixed);
    return 0;
}
