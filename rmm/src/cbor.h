/* Internal: a CBOR encoder (RFC 8949) for the attestation token: heads, byte and text strings,
 * arrays, maps and tags, in definite lengths with the shortest head, as the CCA token uses. */
#ifndef RMM_CBOR_H
#define RMM_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cbor {
    uint8_t *buf;
    size_t len, cap;
    bool failed; /* out of memory: every later call does nothing */
};

void cbor_init(struct cbor *c);
void cbor_free(struct cbor *c);
void cbor_head(struct cbor *c, unsigned major, uint64_t value);
void cbor_int(struct cbor *c, int64_t v);
void cbor_bytes(struct cbor *c, const void *p, size_t n);
void cbor_text(struct cbor *c, const char *s);
void cbor_raw(struct cbor *c, const void *p, size_t n); /* already-encoded items */

#define CBOR_ARRAY(c, n) cbor_head((c), 4, (n))
#define CBOR_MAP(c, n) cbor_head((c), 5, (n))
#define CBOR_TAG(c, t) cbor_head((c), 6, (t))

#endif
