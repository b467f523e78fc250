/* s3xml: the parts of S3's XML answers ctview reads: a ListObjectsV2 page (keys with ETag and size,
 * common prefixes, truncation and the continuation token) and an error (Code, Message, Region).
 * Not a general XML parser: elements are found by name, entities (&amp; &lt; &gt; &quot; &apos;
 * &#N; &#xN;) decoded. The answer is untrusted: a body over S3XML_MAX_BODY bytes, a key over 1,024
 * bytes or a page over S3XML_MAX_ITEMS items is refused with the reason. */
#ifndef CTVIEW_S3XML_H
#define CTVIEW_S3XML_H

#include <stddef.h>
#include <stdint.h>

#define S3XML_MAX_BODY  (16u << 20)
#define S3XML_MAX_ITEMS 10000
#define S3XML_MAX_KEY   1024

struct s3_object {
    char *key;  /* owned */
    char *etag; /* owned, without its quotes */
    uint64_t size;
};

struct s3_page {
    struct s3_object *objects; /* owned */
    size_t nobjects;
    char **prefixes; /* owned: common prefixes */
    size_t nprefixes;
    int truncated;
    char *next_token; /* owned, or NULL */
};

/* Parses a ListObjectsV2 answer. Returns 0, or -1 with *why (static) saying what is wrong. */
int s3xml_list(const char *body, size_t len, struct s3_page *page, const char **why);
void s3xml_page_free(struct s3_page *page);

/* The text of the first element called name in body (decoded, owned), or NULL. For <Code>, <Message>,
 * <Region> of an error answer. */
char *s3xml_text(const char *body, size_t len, const char *name);

#endif
