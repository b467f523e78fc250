/* libFuzzer: any bytes as an S3 answer: a ListObjectsV2 page and an error's Code. A page that parses
 * holds keys of at most 1,024 bytes with no NUL, and a truncated page always has a token. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/s3xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = malloc(size + 1);
    if (!body)
        return 0;
    memcpy(body, data, size);
    body[size] = '\0';
    struct s3_page p;
    const char *why = NULL;
    if (s3xml_list(body, size, &p, &why) == 0) {
        for (size_t i = 0; i < p.nobjects; i++)
            if (strlen(p.objects[i].key) > S3XML_MAX_KEY || !p.objects[i].etag)
                abort();
        if (p.truncated && (!p.next_token || !*p.next_token))
            abort();
        s3xml_page_free(&p);
    } else if (!why || !*why) {
        abort(); /* a refusal always says why */
    }
    free(s3xml_text(body, size, "Code"));
    free(body);
    return 0;
}
