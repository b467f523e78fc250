/* s3: signed S3 requests over libcurl's multi interface (see s3.h). */
#include "parsers/s3.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "parsers/digest.h"
#include "parsers/sigv4.h"

#define MAX_ATTEMPTS  6
#define LIST_BODY_MAX S3XML_MAX_BODY

enum req_kind { REQ_LIST, REQ_GET };

struct req {
    enum req_kind kind;
    char *key;       /* owned: the object's key, or the listing's prefix */
    char *delimiter; /* owned or NULL */
    char *token;     /* owned or NULL: the page's continuation token */
    char etag[64];
    uint64_t size;
    char *path; /* owned: where a download goes */
    FILE *out;  /* open while the download runs */
    s3_list_fn list_fn;
    s3_get_fn get_fn;
    void *ctx;
    int attempt;
    double not_before; /* monotonic seconds: a retry waits until then */
    /* in flight */
    CURL *h;
    struct curl_slist *headers;
    char *body; /* listing or error body */
    size_t nbody;
    uint64_t written;
    struct md5 md5;
    char region_hint[64];
    long status;
    int failed_write;
};

struct s3 {
    char *bucket;
    struct awscreds creds;
    CURLM *multi;
    int parallel, active;
    struct req **queue; /* waiting, oldest first */
    size_t nqueue, capqueue;
    struct s3_stats stats;
    char empty_hash[65];
    struct sigv4_key key;   /* derived from the secret: cleared by s3_free */
    const atomic_int *stop; /* borrowed or NULL */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct s3 *s3_new(const char *bucket, struct awscreds *creds, int parallel, char **err)
{
    static int inited;
    if (!inited) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        inited = 1;
    }
    struct s3 *s = calloc(1, sizeof *s);
    if (!s || !(s->bucket = strdup(bucket)) || !(s->multi = curl_multi_init())) {
        if (s)
            free(s->bucket);
        free(s);
        *err = strdup("out of memory, or libcurl could not start");
        return NULL;
    }
    s->creds = *creds;
    memset(creds, 0, sizeof *creds); /* taken over */
    s->parallel = parallel > 0 ? parallel : 16;
    curl_multi_setopt(s->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)s->parallel);
    unsigned char h[32];
    sha256("", 0, h);
    digest_hex(h, 32, s->empty_hash);
    srand((unsigned)time(NULL) ^ (unsigned)(uintptr_t)s);
    return s;
}

static void req_free(struct req *r)
{
    if (!r)
        return;
    free(r->key);
    free(r->delimiter);
    free(r->token);
    free(r->path);
    if (r->out)
        fclose(r->out);
    free(r->body);
    curl_slist_free_all(r->headers);
    free(r);
}

void s3_free(struct s3 *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nqueue; i++)
        req_free(s->queue[i]);
    free(s->queue);
    curl_multi_cleanup(s->multi);
    awscreds_clear(&s->creds);
    memset(&s->key, 0, sizeof s->key);
    free(s->bucket);
    free(s);
}

void s3_set_stop(struct s3 *s, const atomic_int *stop)
{
    s->stop = stop;
}

const struct s3_stats *s3_stats(const struct s3 *s)
{
    return &s->stats;
}

const char *s3_bucket(const struct s3 *s)
{
    return s->bucket;
}

static int enqueue(struct s3 *s, struct req *r)
{
    if (s->nqueue == s->capqueue) {
        size_t cap = s->capqueue ? s->capqueue * 2 : 64;
        struct req **q = reallocarray(s->queue, cap, sizeof *q);
        if (!q)
            return -1;
        s->queue = q;
        s->capqueue = cap;
    }
    s->queue[s->nqueue++] = r;
    return 0;
}

int s3_list(struct s3 *s, const char *prefix, const char *delimiter, s3_list_fn fn, void *ctx)
{
    struct req *r = calloc(1, sizeof *r);
    if (!r || !(r->key = strdup(prefix)) || (delimiter && !(r->delimiter = strdup(delimiter)))) {
        req_free(r);
        return -1;
    }
    r->kind = REQ_LIST;
    r->list_fn = fn;
    r->ctx = ctx;
    if (enqueue(s, r) != 0) {
        req_free(r);
        return -1;
    }
    return 0;
}

int s3_get(struct s3 *s, const char *key, const char *etag, uint64_t size, const char *path, s3_get_fn fn,
           void *ctx)
{
    struct req *r = calloc(1, sizeof *r);
    if (!r || !(r->key = strdup(key)) || !(r->path = strdup(path))) {
        req_free(r);
        return -1;
    }
    r->kind = REQ_GET;
    snprintf(r->etag, sizeof r->etag, "%s", etag ? etag : "");
    r->size = size;
    r->get_fn = fn;
    r->ctx = ctx;
    if (enqueue(s, r) != 0) {
        req_free(r);
        return -1;
    }
    return 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct req *r = ctx;
    size_t len = size * nmemb;
    long status = 0;
    curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &status);
    if (r->kind == REQ_GET && status == 200) {
        if (fwrite(data, 1, len, r->out) != len) {
            r->failed_write = 1;
            return 0;
        }
        md5_update(&r->md5, data, len);
        r->written += len;
        return len;
    }
    if (r->nbody + len > LIST_BODY_MAX)
        return 0;
    char *b = realloc(r->body, r->nbody + len + 1);
    if (!b)
        return 0;
    memcpy(b + r->nbody, data, len);
    r->body = b;
    r->nbody += len;
    b[r->nbody] = '\0';
    return len;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct req *r = ctx;
    size_t len = size * nmemb;
    static const char name[] = "x-amz-bucket-region:";
    if (len > sizeof name && strncasecmp(data, name, sizeof name - 1) == 0) {
        size_t k = 0;
        for (const char *p = data + sizeof name - 1; p < data + len && k + 1 < sizeof r->region_hint; p++)
            if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
                r->region_hint[k++] = *p;
        r->region_hint[k] = '\0';
    }
    return len;
}

/* The URL, host and canonical URI of r. */
static int locate(const struct s3 *s, const struct req *r, char *url, size_t ucap, char *host, size_t hcap,
                  char *uri, size_t icap, char *query, size_t qcap)
{
    char ekey[3 * 1024 + 8] = "", bucket[256];
    if (r->kind == REQ_GET && sigv4_encode(r->key, 1, ekey, sizeof ekey) < 0)
        return -1;
    if (sigv4_encode(s->bucket, 0, bucket, sizeof bucket) < 0)
        return -1;
    query[0] = '\0';
    if (r->kind == REQ_LIST) {
        char tok[3 * 4096 + 8] = "", pre[3 * 1024 + 8], del[16] = "";
        if (sigv4_encode(r->key, 0, pre, sizeof pre) < 0 ||
            (r->token && sigv4_encode(r->token, 0, tok, sizeof tok) < 0) ||
            (r->delimiter && sigv4_encode(r->delimiter, 0, del, sizeof del) < 0))
            return -1;
        /* names sorted, as the canonical query wants */
        int n =
            snprintf(query, qcap, "%s%s%s%s%slist-type=2&prefix=%s", r->token ? "continuation-token=" : "",
                     tok, r->token ? "&" : "", r->delimiter ? "delimiter=" : "", r->delimiter ? "" : "", pre);
        if (r->delimiter) {
            n = snprintf(query, qcap, "%s%s%sdelimiter=%s&list-type=2&prefix=%s",
                         r->token ? "continuation-token=" : "", tok, r->token ? "&" : "", del, pre);
        }
        if (n < 0 || (size_t)n >= qcap)
            return -1;
    }
    int n;
    if (s->creds.endpoint) { /* path-style on an S3-compatible store */
        const char *hs = strstr(s->creds.endpoint, "://");
        hs = hs ? hs + 3 : s->creds.endpoint;
        n = snprintf(host, hcap, "%.*s", (int)strcspn(hs, "/"), hs);
        if (n < 0 || (size_t)n >= hcap)
            return -1;
        n = snprintf(uri, icap, "/%s/%s", bucket, ekey);
    } else {
        n = snprintf(host, hcap, "%s.s3.%s.amazonaws.com", s->bucket, s->creds.region);
        if (n < 0 || (size_t)n >= hcap)
            return -1;
        n = snprintf(uri, icap, "/%s", ekey);
    }
    if (n < 0 || (size_t)n >= icap)
        return -1;
    const char *scheme =
        s->creds.endpoint && strncmp(s->creds.endpoint, "http://", 7) == 0 ? "http" : "https";
    n = snprintf(url, ucap, "%s://%s%s%s%s", scheme, host, uri, query[0] ? "?" : "", query);
    return n < 0 || (size_t)n >= ucap ? -1 : 0;
}

static int start(struct s3 *s, struct req *r)
{
    char url[16384], host[512], uri[4096], query[16384], date[32], auth[SIGV4_MAX], canon[SIGV4_MAX],
        to_sign[SIGV4_MAX];
    if (locate(s, r, url, sizeof url, host, sizeof host, uri, sizeof uri, query, sizeof query) != 0)
        return -1;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
    struct sigv4_header hs[4] = {
        {"host", host}, {"x-amz-content-sha256", s->empty_hash}, {"x-amz-date", date}};
    size_t nh = 3;
    if (s->creds.token)
        hs[nh++] = (struct sigv4_header){"x-amz-security-token", s->creds.token};
    struct sigv4_request sr = {"GET", uri, query, hs, nh, s->empty_hash, date, s->creds.region, "s3"};
    if (sigv4_sign_keyed(&sr, s->creds.key_id, s->creds.secret, &s->key, auth, canon, to_sign) != 0)
        return -1;
    char line[SIGV4_MAX + 64];
    curl_slist_free_all(r->headers);
    r->headers = NULL;
    snprintf(line, sizeof line, "Authorization: %s", auth);
    r->headers = curl_slist_append(r->headers, line);
    snprintf(line, sizeof line, "x-amz-content-sha256: %s", s->empty_hash);
    r->headers = curl_slist_append(r->headers, line);
    snprintf(line, sizeof line, "x-amz-date: %s", date);
    r->headers = curl_slist_append(r->headers, line);
    if (s->creds.token) {
        char *tl = NULL;
        if (asprintf(&tl, "x-amz-security-token: %s", s->creds.token) >= 0) {
            r->headers = curl_slist_append(r->headers, tl);
            free(tl);
        }
    }
    memset(auth, 0, sizeof auth);
    r->h = curl_easy_init();
    if (!r->h || !r->headers)
        return -1;
    free(r->body);
    r->body = NULL;
    r->nbody = 0;
    r->written = 0;
    r->region_hint[0] = '\0';
    r->failed_write = 0;
    md5_init(&r->md5);
    if (r->kind == REQ_GET) { /* opened (and emptied) for each try; closed when it ends */
        if (r->out)
            fclose(r->out);
        int fd = open(r->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        r->out = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!r->out) {
            if (fd >= 0)
                close(fd);
            return -1;
        }
    }
    curl_easy_setopt(r->h, CURLOPT_URL, url);
    curl_easy_setopt(r->h, CURLOPT_HTTPHEADER, r->headers);
    curl_easy_setopt(r->h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(r->h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(r->h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(r->h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(r->h, CURLOPT_PRIVATE, r);
    curl_easy_setopt(r->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(r->h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    /* a stalled transfer (under 1 byte/s for 30 s) is a time-out, then retried */
    curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_TIME, 30L);
    curl_easy_setopt(r->h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(r->h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (curl_multi_add_handle(s->multi, r->h) != CURLM_OK)
        return -1;
    s->active++;
    s->stats.requests++;
    if (r->kind == REQ_LIST)
        s->stats.list_requests++;
    return 0;
}

static int retryable(CURLcode rc, long status)
{
    if (rc == CURLE_OK)
        return status == 500 || status == 502 || status == 503 || status == 504;
    return rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE ||
           rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING || rc == CURLE_COULDNT_CONNECT ||
           rc == CURLE_WRITE_ERROR || rc == CURLE_HTTP2 || rc == CURLE_HTTP2_STREAM;
}

/* Hands r back to the queue for another try after a backoff with full jitter: a random wait up to
 * 0.1 s * 2^attempt, capped at 5 s. */
static int retry(struct s3 *s, struct req *r)
{
    double cap = 0.1 * (double)(1 << r->attempt);
    if (cap > 5)
        cap = 5;
    r->not_before = now_s() + cap * ((double)rand() / RAND_MAX);
    r->attempt++;
    s->stats.retries++;
    return enqueue(s, r);
}

static void finish_list(struct s3 *s, struct req *r, struct s3_result *res)
{
    struct s3_page page;
    const char *why = NULL;
    if (s3xml_list(r->body ? r->body : "", r->nbody, &page, &why) != 0) {
        res->code = why;
        r->list_fn(s, r->ctx, r->key, NULL, res);
        return;
    }
    s->stats.objects_listed += page.nobjects;
    r->list_fn(s, r->ctx, r->key, &page, res);
    if (page.truncated) { /* the next page: the same request with the token */
        struct req *next = calloc(1, sizeof *next);
        if (next && (next->key = strdup(r->key)) &&
            (!r->delimiter || (next->delimiter = strdup(r->delimiter)))) {
            next->kind = REQ_LIST;
            next->token = page.next_token;
            page.next_token = NULL;
            next->list_fn = r->list_fn;
            next->ctx = r->ctx;
            if (enqueue(s, next) == 0)
                next = NULL;
        }
        if (next) {
            req_free(next);
            res->code = "out of memory";
            r->list_fn(s, r->ctx, r->key, NULL, res);
        }
    }
    s3xml_page_free(&page);
}

/* Whether the body's MD5 agrees with a single-part ETag (one without '-': 32 hex digits). */
static int etag_agrees(struct req *r)
{
    if (strlen(r->etag) != 32 || strchr(r->etag, '-'))
        return 1;
    unsigned char d[16];
    char hex[33];
    md5_final(&r->md5, d);
    digest_hex(d, 16, hex);
    return strcasecmp(hex, r->etag) == 0;
}

/* A finished transfer: done, retried, or failed. Returns 1 when r is finished with (free it). */
static int finished(struct s3 *s, struct req *r, CURLcode rc)
{
    long status = 0;
    curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(s->multi, r->h);
    curl_easy_cleanup(r->h);
    r->h = NULL;
    s->active--;
    if (r->out && fclose(r->out) != 0)
        r->failed_write = 1;
    r->out = NULL;
    char *code = NULL;
    struct s3_result res = {status, NULL};
    if (rc == CURLE_OK && status == 200 && r->kind == REQ_GET && r->size && r->written != r->size)
        rc = CURLE_PARTIAL_FILE;
    int md5_bad = rc == CURLE_OK && status == 200 && r->kind == REQ_GET && !etag_agrees(r);
    if (r->region_hint[0] && strcmp(r->region_hint, s->creds.region) != 0 &&
        (status == 301 || status == 400) && r->attempt < MAX_ATTEMPTS) {
        /* the bucket lives in another region: S3 says which */
        snprintf(s->creds.region, sizeof s->creds.region, "%s", r->region_hint);
        r->attempt++;
        return enqueue(s, r) == 0 ? 0 : 1;
    }
    if ((retryable(rc, status) || md5_bad) && !r->failed_write && r->attempt + 1 < MAX_ATTEMPTS)
        return retry(s, r) == 0 ? 0 : 1;
    if (rc != CURLE_OK) {
        res.code = curl_easy_strerror(rc);
    } else if (md5_bad) {
        res.code = "the body's MD5 disagrees with its ETag";
    } else if (r->failed_write) {
        res.code = "the cache could not be written";
    } else if (status != 200) {
        code = r->body ? s3xml_text(r->body, r->nbody, "Code") : NULL;
        res.code = code ? code : "no error code";
    }
    if (r->kind == REQ_LIST) {
        if (res.code)
            r->list_fn(s, r->ctx, r->key, NULL, &res);
        else
            finish_list(s, r, &res);
    } else {
        if (!res.code) {
            s->stats.objects_fetched++;
            s->stats.bytes_fetched += r->written;
        }
        r->get_fn(s, r->ctx, r->key, res.code == NULL, &res);
    }
    free(code);
    return 1;
}

int s3_run(struct s3 *s)
{
    for (;;) {
        double now = now_s(), wait_until = 0;
        int stopped = s->stop && atomic_load(s->stop);
        if (stopped && s->active == 0)
            return 0; /* what is queued stays for s3_free */
        /* start what may start: oldest first, a retry only when its wait is over */
        for (size_t i = 0; i < s->nqueue && s->active < s->parallel && !stopped;) {
            struct req *r = s->queue[i];
            if (r->not_before > now) {
                if (!wait_until || r->not_before < wait_until)
                    wait_until = r->not_before;
                i++;
                continue;
            }
            memmove(&s->queue[i], &s->queue[i + 1], (s->nqueue - i - 1) * sizeof *s->queue);
            s->nqueue--;
            if (start(s, r) != 0) {
                struct s3_result res = {0,
                                        "the request could not be made (a key too long, or out of memory)"};
                if (r->h) {
                    curl_easy_cleanup(r->h);
                    r->h = NULL;
                }
                if (r->kind == REQ_LIST)
                    r->list_fn(s, r->ctx, r->key, NULL, &res);
                else
                    r->get_fn(s, r->ctx, r->key, 0, &res);
                req_free(r);
            }
        }
        if (s->active == 0 && s->nqueue == 0)
            return 0;
        int running = 0;
        curl_multi_perform(s->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(s->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct req *r = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            if (finished(s, r, m->data.result))
                req_free(r);
        }
        int timeout = 100;
        if (s->active == 0 && wait_until > now)
            timeout = (int)((wait_until - now) * 1000) + 1;
        curl_multi_poll(s->multi, NULL, 0, timeout, NULL);
    }
}
