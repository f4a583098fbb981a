#include "cbor.h"

#include <stdlib.h>
#include <string.h>

void cbor_init(struct cbor *c)
{
    memset(c, 0, sizeof(*c));
}

void cbor_free(struct cbor *c)
{
    free(c->buf);
    cbor_init(c);
}

void cbor_raw(struct cbor *c, const void *p, size_t n)
{
    if (c->failed)
        return;
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < c->len + n)
            cap *= 2;
        uint8_t *b = realloc(c->buf, cap);
        if (!b) {
            c->failed = true;
            return;
        }
        c->buf = b;
        c->cap = cap;
    }
    if (n)
        memcpy(c->buf + c->len, p, n);
    c->len += n;
}

/* RFC 8949 3.1: the major type in the top 3 bits, the argument in the shortest form */
void cbor_head(struct cbor *c, unsigned major, uint64_t value)
{
    uint8_t h[9];
    size_t n;
    if (value < 24) {
        h[0] = (uint8_t)(major << 5 | value);
        n = 1;
    } else {
        unsigned bytes = value <= 0xFF ? 1 : value <= 0xFFFF ? 2 : value <= 0xFFFFFFFFu ? 4 : 8;
        h[0] = (uint8_t)(major << 5 | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27));
        for (unsigned i = 0; i < bytes; i++)
            h[1 + i] = (uint8_t)(value >> (8 * (bytes - 1 - i)));
        n = 1 + bytes;
    }
    cbor_raw(c, h, n);
}

void cbor_int(struct cbor *c, int64_t v)
{
    if (v < 0)
        cbor_head(c, 1, (uint64_t)(-1 - v));
    else
        cbor_head(c, 0, (uint64_t)v);
}

void cbor_bytes(struct cbor *c, const void *p, size_t n)
{
    cbor_head(c, 2, n);
    cbor_raw(c, p, n);
}

void cbor_text(struct cbor *c, const char *s)
{
    size_t n = strlen(s);
    cbor_head(c, 3, n);
    cbor_raw(c, s, n);
}
