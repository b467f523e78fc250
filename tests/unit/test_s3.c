/* Unit tests of the S3 reading's pure parts: SHA-256, HMAC-SHA-256 and MD5 against their published
 * vectors (FIPS 180-4 examples, RFC 4231, RFC 1321); Signature Version 4 against AWS's published
 * examples (the Signature Version 4 test suite's get-vanilla, and the S3 documentation's GET Object
 * and ListObjects examples); the ListObjectsV2 reader on good, hostile and cut pages; the shared
 * config file reader and a credential_process's output. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parsers/awscreds.h"
#include "parsers/digest.h"
#include "parsers/s3xml.h"
#include "parsers/sigv4.h"

static void test_digests(void)
{
    unsigned char h[32];
    char hex[65];
    sha256("abc", 3, h);
    digest_hex(h, 32, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256(two, strlen(two), h);
    digest_hex(h, 32, hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    struct sha256 c; /* a million 'a', fed in uneven pieces */
    sha256_init(&c);
    char a[1001];
    memset(a, 'a', sizeof a);
    for (int i = 0; i < 1000; i++)
        sha256_update(&c, a, i % 2 ? 999 : 1001);
    sha256_final(&c, h);
    digest_hex(h, 32, hex);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, h); /* RFC 4231 case 2 */
    digest_hex(h, 32, hex);
    CHECK_STR(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    unsigned char key[131];
    memset(key, 0xaa, sizeof key); /* RFC 4231 case 6: a key longer than the block */
    const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    hmac_sha256(key, sizeof key, msg, strlen(msg), h);
    digest_hex(h, 32, hex);
    CHECK_STR(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    struct md5 m;
    unsigned char d[16];
    const char *md5s[][2] = {{"", "d41d8cd98f00b204e9800998ecf8427e"},
                             {"abc", "900150983cd24fb0d6963f7d28e17f72"},
                             {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                              "57edf4a22be3c955ac49da2e2107b67a"}};
    for (size_t i = 0; i < 3; i++) {
        md5_init(&m);
        md5_update(&m, md5s[i][0], strlen(md5s[i][0]));
        md5_final(&m, d);
        digest_hex(d, 16, hex);
        CHECK_STR(hex, md5s[i][1]);
    }
    /* the same bytes in pieces of every size: blocks taken straight from the data and through the buffer */
    for (size_t piece = 1; piece <= 80; piece++) {
        md5_init(&m);
        for (size_t at = 0; at < 80; at += piece)
            md5_update(&m, md5s[2][0] + at, 80 - at < piece ? 80 - at : piece);
        md5_final(&m, d);
        digest_hex(d, 16, hex);
        CHECK_STR(hex, md5s[2][1]);
    }
}

static void test_sigv4(void)
{
    char auth[SIGV4_MAX], canon[SIGV4_MAX], to_sign[SIGV4_MAX];
    const char *empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /* the test suite's get-vanilla */
    struct sigv4_header h1[] = {{"x-amz-date", "20150830T123600Z"}, {"host", "example.amazonaws.com"}};
    struct sigv4_request r1 = {"GET", "/", "", h1, 2, empty, "20150830T123600Z", "us-east-1", "service"};
    CHECK_INT(sigv4_sign(&r1, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", auth, canon, to_sign), 0);
    CHECK_STR(canon, "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_STR(to_sign, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                       "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    CHECK_STR(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                    "SignedHeaders=host;x-amz-date, "
                    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    /* the S3 documentation's GET Object example (a Range header) */
    const char *secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    struct sigv4_header h2[] = {{"host", "examplebucket.s3.amazonaws.com"},
                                {"range", "bytes=0-9"},
                                {"x-amz-content-sha256", empty},
                                {"x-amz-date", "20130524T000000Z"}};
    struct sigv4_request r2 = {"GET", "/test.txt", "", h2, 4, empty, "20130524T000000Z", "us-east-1", "s3"};
    CHECK_INT(sigv4_sign(&r2, "AKIAIOSFODNN7EXAMPLE", secret, auth, canon, to_sign), 0);
    CHECK(strstr(to_sign, "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972") != NULL);
    CHECK(strstr(auth, "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") != NULL);
    /* its ListObjects example (a query string) */
    struct sigv4_header h3[] = {{"host", "examplebucket.s3.amazonaws.com"},
                                {"x-amz-content-sha256", empty},
                                {"x-amz-date", "20130524T000000Z"}};
    struct sigv4_request r3 = {"GET", "/", "max-keys=2&prefix=J", h3, 3, empty, "20130524T000000Z", "us-east-1", "s3"};
    CHECK_INT(sigv4_sign(&r3, "AKIAIOSFODNN7EXAMPLE", secret, auth, canon, to_sign), 0);
    CHECK(strstr(auth, "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") != NULL);
    /* a wrong secret gives another signature */
    CHECK_INT(sigv4_sign(&r3, "AKIAIOSFODNN7EXAMPLE", "another", auth, canon, to_sign), 0);
    CHECK(strstr(auth, "34b48302e7b5fa45") == NULL);
    char enc[64];
    CHECK_INT(sigv4_encode("a b/c~d*é", 1, enc, sizeof enc), 18);
    CHECK_STR(enc, "a%20b/c~d%2A%C3%A9");
    CHECK_INT(sigv4_encode("a/b", 0, enc, sizeof enc), 5);
    CHECK_STR(enc, "a%2Fb");
    CHECK_INT(sigv4_encode("abcdef", 0, enc, 4), -1);
}

static void test_listing(void)
{
    const char *page = "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                       "<Name>b</Name><Prefix>AWSLogs/</Prefix><KeyCount>2</KeyCount>"
                       "<IsTruncated>true</IsTruncated><NextContinuationToken>1a/b+c=</NextContinuationToken>"
                       "<Contents><Key>AWSLogs/a&amp;b &#x263A;.json.gz</Key><ETag>&quot;0123abcd&quot;</ETag>"
                       "<Size>42</Size></Contents>"
                       "<Contents><Key>AWSLogs/k2</Key><ETag>\"ff-2\"</ETag><Size>0</Size></Contents>"
                       "<CommonPrefixes><Prefix>AWSLogs/111122223333/</Prefix></CommonPrefixes>"
                       "</ListBucketResult>";
    struct s3_page p;
    const char *why = NULL;
    CHECK_INT(s3xml_list(page, strlen(page), &p, &why), 0);
    CHECK_INT(p.nobjects, 2);
    CHECK_STR(p.objects[0].key, "AWSLogs/a&b \xe2\x98\xba.json.gz");
    CHECK_STR(p.objects[0].etag, "0123abcd");
    CHECK_INT(p.objects[0].size, 42);
    CHECK_STR(p.objects[1].etag, "ff-2");
    CHECK_INT(p.nprefixes, 1);
    CHECK_STR(p.prefixes[0], "AWSLogs/111122223333/");
    CHECK(p.truncated);
    CHECK_STR(p.next_token, "1a/b+c=");
    s3xml_page_free(&p);
    const char *bad[] = {
        "<Error><Code>AccessDenied</Code></Error>",
        "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", /* no token: would loop */
        "<ListBucketResult><Contents><ETag>x</ETag></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a&#0;b</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a&#xD800;</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a&bogus;</Key></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a</Key><Size>12x</Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>cut",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why = NULL;
        int rc = s3xml_list(bad[i], strlen(bad[i]), &p, &why);
        if (i == 7) { /* a cut page: no complete element, so no object and not truncated */
            CHECK(rc == -1 || p.nobjects == 0);
            if (rc == 0)
                s3xml_page_free(&p);
            continue;
        }
        CHECK_INT(rc, -1);
        CHECK(why != NULL);
    }
    char *code = s3xml_text(bad[0], strlen(bad[0]), "Code");
    CHECK_STR(code, "AccessDenied");
    free(code);
    /* a key over 1,024 bytes */
    char big[1200 + 100];
    snprintf(big, sizeof big, "<ListBucketResult><Contents><Key>%01100d</Key></Contents></ListBucketResult>", 0);
    CHECK_INT(s3xml_list(big, strlen(big), &p, &why), -1);
}

static void test_creds(void)
{
    const char *ini = "# comment\n[default]\naws_access_key_id = AKIADEFAULT\n\n[dev]\r\n"
                      "aws_access_key_id=AKIADEV \naws_secret_access_key = s3cr=t\n[profile x]\nregion = eu-west-3\n";
    char *v = awscreds_ini_value(ini, "dev", "aws_secret_access_key");
    CHECK_STR(v, "s3cr=t");
    free(v);
    v = awscreds_ini_value(ini, "dev", "aws_access_key_id");
    CHECK_STR(v, "AKIADEV");
    free(v);
    v = awscreds_ini_value(ini, "profile x", "region");
    CHECK_STR(v, "eu-west-3");
    free(v);
    CHECK(awscreds_ini_value(ini, "dev", "region") == NULL);
    struct awscreds c;
    memset(&c, 0, sizeof c);
    const char *why = NULL;
    CHECK_INT(awscreds_parse_process("{\"Version\": 1, \"AccessKeyId\": \"AKIA1\", \"SecretAccessKey\": \"s\", "
                                     "\"SessionToken\": \"tok\", \"Expiration\": \"2030-01-01T00:00:00Z\"}",
                                     &c, &why),
              0);
    CHECK_STR(c.key_id, "AKIA1");
    CHECK_STR(c.token, "tok");
    CHECK_INT(awscreds_parse_process("{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}", &c, &why), -1);
    CHECK_INT(awscreds_parse_process("not json", &c, &why), -1);
    CHECK_INT(awscreds_parse_process("{\"Version\": 1, \"AccessKeyId\": \"\", \"SecretAccessKey\": \"s\"}", &c, &why), -1);
    awscreds_clear(&c);
}

int main(void)
{
    test_digests();
    test_sigv4();
    test_listing();
    test_creds();
    return harness_done("test_s3");
}
