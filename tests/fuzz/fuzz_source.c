/* libFuzzer: gzip and plain input decoding (members, truncation, CRC, trailing bytes, the size cap). */
#include <stdint.h>
#include <stdlib.h>

#include "parsers/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct source_data d;
    char *err = NULL;
    /* a small cap, so a decompression bomb is cut quickly */
    if (source_decode((const char *)data, size, 1 << 20, &d, &err) == 0)
        source_data_free(&d);
    free(err);
    return 0;
}
