/* awscreds: credentials, region and endpoint found as the AWS tools find them, in this order:
 *   1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
 *   2. the profile (AWS_PROFILE, else "default") of the shared files (AWS_SHARED_CREDENTIALS_FILE,
 *      else ~/.aws/credentials; AWS_CONFIG_FILE, else ~/.aws/config): static keys; else its
 *      credential_process; else, for a profile that needs SSO or a role (sso_*, role_arn), the AWS CLI's
 *      `aws configure export-credentials` when it is installed (said plainly when it is not);
 *   3. the instance metadata service, IMDSv2 (a session token, then the role's credentials), at
 *      AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254; skipped when
 *      AWS_EC2_METADATA_DISABLED is true.
 * Region: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1. Endpoint:
 * AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else AWS's own (then virtual-hosted addressing).
 * Secrets are never written into a message. */
#ifndef CTVIEW_AWSCREDS_H
#define CTVIEW_AWSCREDS_H

struct awscreds {
    char key_id[129];
    char secret[257];
    char *token;   /* owned, or NULL */
    char region[64];
    char *endpoint; /* owned: "http://127.0.0.1:4568" without a trailing '/', or NULL for AWS's */
    char source[64]; /* where the keys came from: "environment", "profile dev", ... (no secret) */
};

/* Finds credentials. Returns 0, or -1 with *err (owned by the caller) saying what was tried and why each
 * failed. */
int awscreds_find(struct awscreds *c, char **err);

/* Wipes the secret and frees what c owns. */
void awscreds_clear(struct awscreds *c);

/* Reads the credentials a credential_process printed (its JSON: Version 1, AccessKeyId,
 * SecretAccessKey, optional SessionToken). Returns 0, or -1 with *why (static). For tests. */
int awscreds_parse_process(const char *json, struct awscreds *c, const char **why);

/* The value of key in section [section] of an INI file's text (owned), or NULL. For tests. */
char *awscreds_ini_value(const char *text, const char *section, const char *key);

#endif
