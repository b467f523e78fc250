/* awscreds: the AWS credential chain (see awscreds.h). */
#include "parsers/awscreds.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/base/trim.h"

#define INI_MAX (1u << 20)
#define PROCESS_MAX (64u << 10)

static void append(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(char **err, const char *fmt, ...)
{
    char *piece = NULL, *joined = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&piece, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (asprintf(&joined, "%s%s%s", *err ? *err : "", *err ? "; " : "", piece) >= 0) {
        free(*err);
        *err = joined;
    }
    free(piece);
}

static int set_keys(struct awscreds *c, const char *id, const char *secret, const char *token)
{
    if (!id || !secret || !*id || !*secret || strlen(id) >= sizeof c->key_id || strlen(secret) >= sizeof c->secret)
        return -1;
    snprintf(c->key_id, sizeof c->key_id, "%s", id);
    snprintf(c->secret, sizeof c->secret, "%s", secret);
    free(c->token);
    c->token = token && *token ? strdup(token) : NULL;
    return 0;
}

void awscreds_clear(struct awscreds *c)
{
    memset(c->secret, 0, sizeof c->secret);
    if (c->token)
        memset(c->token, 0, strlen(c->token));
    free(c->token);
    free(c->endpoint);
    c->token = c->endpoint = NULL;
}

/* The whole of a small regular file (owned), or NULL. */
static char *slurp(const char *path, size_t max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        fclose(f);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

char *awscreds_ini_value(const char *text, const char *section, const char *key)
{
    char *copy = strdup(text), *save = NULL, *result = NULL;
    if (!copy)
        return NULL;
    int in = 0;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *l = trim_blanks(line);
        if (*l == '#' || *l == ';' || !*l)
            continue;
        if (*l == '[') {
            char *close = strchr(l, ']');
            if (close)
                *close = '\0';
            in = strcmp(trim_blanks(l + 1), section) == 0;
            continue;
        }
        char *eq = strchr(l, '=');
        if (!in || !eq)
            continue;
        *eq = '\0';
        if (strcmp(trim_blanks(l), key) == 0) {
            result = strdup(trim_blanks(eq + 1));
            break;
        }
    }
    free(copy);
    return result;
}

int awscreds_parse_process(const char *json, struct awscreds *c, const char **why)
{
    cJSON *j = cJSON_Parse(json);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "Version"),
                *id = cJSON_GetObjectItemCaseSensitive(j, "AccessKeyId"),
                *sec = cJSON_GetObjectItemCaseSensitive(j, "SecretAccessKey"),
                *tok = cJSON_GetObjectItemCaseSensitive(j, "SessionToken");
    int rc = -1;
    if (!j)
        *why = "its output is not JSON";
    else if (!cJSON_IsNumber(v) || v->valuedouble != 1)
        *why = "its output is not Version 1";
    else if (!cJSON_IsString(id) || !cJSON_IsString(sec))
        *why = "its output has no AccessKeyId or SecretAccessKey";
    else if (set_keys(c, id->valuestring, sec->valuestring, cJSON_IsString(tok) ? tok->valuestring : NULL) != 0)
        *why = "its keys are empty or too long";
    else
        rc = 0;
    cJSON_Delete(j);
    return rc;
}

/* Runs cmd through the shell and reads its output as a credential_process's. */
static int run_process(const char *cmd, struct awscreds *c, const char **why)
{
    FILE *p = popen(cmd, "r");
    if (!p) {
        *why = "it could not be started";
        return -1;
    }
    char *buf = malloc(PROCESS_MAX + 1);
    size_t n = buf ? fread(buf, 1, PROCESS_MAX, p) : 0;
    int status = pclose(p);
    if (!buf) {
        *why = "out of memory";
        return -1;
    }
    buf[n] = '\0';
    int rc = -1;
    if (status != 0)
        *why = "it exited with an error";
    else
        rc = awscreds_parse_process(buf, c, why);
    memset(buf, 0, n);
    free(buf);
    return rc;
}

static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    char *copy = path ? strdup(path) : NULL, *save = NULL;
    int found = 0;
    for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !found; d = strtok_r(NULL, ":", &save)) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", d, prog);
        found = access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* A profile name safe to put on a shell command line. */
static int safe_name(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("-_.@+", *s)))
            return 0;
    return 1;
}

static char *home_file(const char *env, const char *rel)
{
    const char *v = getenv(env), *home = getenv("HOME");
    char *out = NULL;
    if (v && *v)
        return strdup(v);
    if (home && asprintf(&out, "%s/%s", home, rel) < 0)
        out = NULL;
    return out;
}

static int from_profile(struct awscreds *c, const char *profile, char **err)
{
    char *cpath = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
    char *fpath = home_file("AWS_CONFIG_FILE", ".aws/config");
    char *ctext = cpath ? slurp(cpath, INI_MAX) : NULL, *ftext = fpath ? slurp(fpath, INI_MAX) : NULL;
    char section[256];
    snprintf(section, sizeof section, strcmp(profile, "default") == 0 ? "%s" : "profile %s", profile);
    int rc = -1;
    char *id = ctext ? awscreds_ini_value(ctext, profile, "aws_access_key_id") : NULL;
    char *sec = ctext ? awscreds_ini_value(ctext, profile, "aws_secret_access_key") : NULL;
    char *tok = ctext ? awscreds_ini_value(ctext, profile, "aws_session_token") : NULL;
    if (!id && ftext) { /* the config file may hold keys too */
        id = awscreds_ini_value(ftext, section, "aws_access_key_id");
        sec = sec ? sec : awscreds_ini_value(ftext, section, "aws_secret_access_key");
        tok = tok ? tok : awscreds_ini_value(ftext, section, "aws_session_token");
    }
    char *region = ftext ? awscreds_ini_value(ftext, section, "region") : NULL;
    if (region && !c->region[0])
        snprintf(c->region, sizeof c->region, "%s", region);
    char *process = ftext ? awscreds_ini_value(ftext, section, "credential_process") : NULL;
    if (!process && ctext)
        process = awscreds_ini_value(ctext, profile, "credential_process");
    char *role = ftext ? awscreds_ini_value(ftext, section, "role_arn") : NULL;
    char *sso = ftext ? awscreds_ini_value(ftext, section, "sso_start_url") : NULL;
    char *sso2 = ftext ? awscreds_ini_value(ftext, section, "sso_session") : NULL;
    const char *why = NULL;
    if (id && sec) {
        rc = set_keys(c, id, sec, tok);
        if (rc != 0)
            append(err, "profile %s: its keys are empty or too long", profile);
        else
            snprintf(c->source, sizeof c->source, "profile %.40s", profile);
    } else if (process) {
        rc = run_process(process, c, &why);
        if (rc != 0)
            append(err, "profile %s: credential_process: %s", profile, why);
        else
            snprintf(c->source, sizeof c->source, "credential_process of %.30s", profile);
    } else if (role || sso || sso2) {
        if (!on_path("aws")) {
            append(err, "profile %s needs %s, which ctview asks the AWS CLI for ('aws configure export-credentials'): "
                        "the AWS CLI is not installed",
                   profile, role ? "a role assumed" : "an SSO sign-in");
        } else if (!safe_name(profile)) {
            append(err, "profile %s: a name with characters ctview does not pass to a shell", profile);
        } else {
            char cmd[512];
            snprintf(cmd, sizeof cmd, "aws configure export-credentials --profile '%s' --format process 2>/dev/null",
                     profile);
            rc = run_process(cmd, c, &why);
            if (rc != 0)
                append(err, "profile %s: aws configure export-credentials: %s", profile, why);
            else
                snprintf(c->source, sizeof c->source, "AWS CLI for %.40s", profile);
        }
    } else if (getenv("AWS_PROFILE")) {
        append(err, "profile %s: not found in %s or %s", profile, cpath ? cpath : "~/.aws/credentials",
               fpath ? fpath : "~/.aws/config");
    }
    if (sec)
        memset(sec, 0, strlen(sec));
    if (ctext)
        memset(ctext, 0, strlen(ctext));
    if (ftext)
        memset(ftext, 0, strlen(ftext));
    free(id), free(sec), free(tok), free(region), free(process), free(role), free(sso), free(sso2);
    free(ctext), free(ftext), free(cpath), free(fpath);
    return rc;
}

struct membuf {
    char *p;
    size_t n;
};

static size_t collect(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct membuf *m = ctx;
    size_t len = size * nmemb;
    if (m->n + len > PROCESS_MAX)
        return 0;
    char *g = realloc(m->p, m->n + len + 1);
    if (!g)
        return 0;
    memcpy(g + m->n, data, len);
    m->p = g;
    m->n += len;
    g[m->n] = '\0';
    return len;
}

/* One request to the metadata service; the body (owned) or NULL. */
static char *imds(const char *base, const char *path, const char *put_ttl, const char *token)
{
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    char url[1024], hdr[1200];
    struct membuf m = {0};
    struct curl_slist *hs = NULL;
    snprintf(url, sizeof url, "%s%s", base, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &m);
    if (put_ttl) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
        snprintf(hdr, sizeof hdr, "X-aws-ec2-metadata-token-ttl-seconds: %s", put_ttl);
        hs = curl_slist_append(hs, hdr);
    }
    if (token) {
        snprintf(hdr, sizeof hdr, "X-aws-ec2-metadata-token: %s", token);
        hs = curl_slist_append(hs, hdr);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
    long code = 0;
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hs);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK || code != 200) {
        free(m.p);
        return NULL;
    }
    return m.p ? m.p : strdup("");
}

static int from_imds(struct awscreds *c, char **err)
{
    const char *dis = getenv("AWS_EC2_METADATA_DISABLED");
    if (dis && strcasecmp(dis, "true") == 0)
        return -1;
    const char *ep = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    char base[512];
    snprintf(base, sizeof base, "%s", ep && *ep ? ep : "http://169.254.169.254");
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        base[--bl] = '\0';
    char *token = imds(base, "/latest/api/token", "21600", NULL);
    if (!token) {
        append(err, "instance metadata at %s: no answer", base);
        return -1;
    }
    char *roles = imds(base, "/latest/meta-data/iam/security-credentials/", NULL, token);
    int rc = -1;
    if (roles) {
        char *nl = strchr(roles, '\n');
        if (nl)
            *nl = '\0';
        char path[600];
        snprintf(path, sizeof path, "/latest/meta-data/iam/security-credentials/%.500s", trim_blanks(roles));
        char *body = *trim_blanks(roles) && safe_name(trim_blanks(roles)) ? imds(base, path, NULL, token) : NULL;
        cJSON *j = body ? cJSON_Parse(body) : NULL;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "AccessKeyId"),
                    *sec = cJSON_GetObjectItemCaseSensitive(j, "SecretAccessKey"),
                    *tok = cJSON_GetObjectItemCaseSensitive(j, "Token");
        if (cJSON_IsString(id) && cJSON_IsString(sec) &&
            set_keys(c, id->valuestring, sec->valuestring, cJSON_IsString(tok) ? tok->valuestring : NULL) == 0) {
            snprintf(c->source, sizeof c->source, "instance metadata");
            rc = 0;
        }
        cJSON_Delete(j);
        if (body)
            memset(body, 0, strlen(body));
        free(body);
    }
    if (rc != 0)
        append(err, "instance metadata at %s: no role credentials", base);
    free(roles);
    free(token);
    return rc;
}

int awscreds_find(struct awscreds *c, char **err)
{
    memset(c, 0, sizeof *c);
    *err = NULL;
    const char *r = getenv("AWS_REGION");
    if (!r || !*r)
        r = getenv("AWS_DEFAULT_REGION");
    if (r && *r)
        snprintf(c->region, sizeof c->region, "%s", r);
    const char *ep = getenv("AWS_ENDPOINT_URL_S3");
    if (!ep || !*ep)
        ep = getenv("AWS_ENDPOINT_URL");
    if (ep && *ep) {
        c->endpoint = strdup(ep);
        size_t n = c->endpoint ? strlen(c->endpoint) : 0;
        while (n && c->endpoint[n - 1] == '/')
            c->endpoint[--n] = '\0';
    }
    const char *profile = getenv("AWS_PROFILE");
    int rc = -1;
    if (getenv("AWS_ACCESS_KEY_ID") && getenv("AWS_SECRET_ACCESS_KEY")) { /* the environment wins, as in the AWS CLI */
        rc = set_keys(c, getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN"));
        if (rc == 0)
            snprintf(c->source, sizeof c->source, "environment");
        else
            append(err, "environment: AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY empty or too long");
    }
    if (rc != 0)
        rc = from_profile(c, profile && *profile ? profile : "default", err);
    if (rc != 0)
        rc = from_imds(c, err);
    if (!c->region[0])
        snprintf(c->region, sizeof c->region, "us-east-1");
    if (rc != 0) {
        append(err, "no AWS credentials found (tried the environment, the profile %s, instance metadata)",
               profile && *profile ? profile : "default");
        return -1;
    }
    free(*err);
    *err = NULL;
    return 0;
}
