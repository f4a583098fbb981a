#include "measurement.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "rmm/rmi.h"

size_t measurement_size(unsigned hash_algo)
{
    return hash_algo == RMI_HASH_SHA_512 ? 64 : 32;
}

static const EVP_MD *md_of(unsigned hash_algo)
{
    return hash_algo == RMI_HASH_SHA_512 ? EVP_sha512() : EVP_sha256();
}

void measurement_hash(unsigned hash_algo, const void *data, size_t size,
                      uint8_t out[MEASUREMENT_MAX])
{
    unsigned len = 0;
    memset(out, 0, MEASUREMENT_MAX);
    EVP_Digest(data, size, out, &len, md_of(hash_algo), NULL);
}

void measurement_extend(unsigned hash_algo, uint8_t m[MEASUREMENT_MAX], const void *data,
                        size_t size)
{
    uint8_t out[MEASUREMENT_MAX] = {0};
    unsigned len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return;
    EVP_DigestInit_ex(ctx, md_of(hash_algo), NULL);
    EVP_DigestUpdate(ctx, m, measurement_size(hash_algo));
    EVP_DigestUpdate(ctx, data, size);
    EVP_DigestFinal_ex(ctx, out, &len);
    EVP_MD_CTX_free(ctx);
    memcpy(m, out, MEASUREMENT_MAX);
}

/* descriptors are 0x100 bytes: desc_type [0x0], len [0x8], rim [0x10, 64 bytes], then the
 * type's fields; every other byte zero */
#define DESC_SIZE 0x100

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void desc_header(uint8_t d[DESC_SIZE], uint8_t type, const uint8_t rim[MEASUREMENT_MAX])
{
    memset(d, 0, DESC_SIZE);
    d[0] = type;
    put64(d + 0x8, DESC_SIZE);
    memcpy(d + 0x10, rim, MEASUREMENT_MAX);
}

void measure_data(unsigned hash_algo, uint8_t rim[MEASUREMENT_MAX], uint64_t ipa, uint64_t flags,
                  const uint8_t *content)
{
    uint8_t d[DESC_SIZE];
    desc_header(d, 0x0, rim);
    put64(d + 0x50, ipa);
    put64(d + 0x58, flags);
    if (content) /* the hash of the granule's contents iff RMI_MEASURE_CONTENT */
        measurement_hash(hash_algo, content, 4096, d + 0x60);
    measurement_hash(hash_algo, d, DESC_SIZE, rim);
}

/* 4KB images are built on the heap: the RMM runs on the small stacks of SystemC threads */
#define PARAMS_SIZE 4096

void measure_rec(unsigned hash_algo, uint8_t rim[MEASUREMENT_MAX], uint64_t flags, uint64_t pc,
                 const uint64_t gprs[8])
{
    uint8_t *params = calloc(1, PARAMS_SIZE), d[DESC_SIZE];
    if (!params)
        return;
    put64(params + RMI_REC_PARAMS_FLAGS, flags);
    put64(params + RMI_REC_PARAMS_PC, pc);
    for (int i = 0; i < 8; i++)
        put64(params + RMI_REC_PARAMS_GPRS + 8 * i, gprs[i]);
    desc_header(d, 0x1, rim);
    measurement_hash(hash_algo, params, PARAMS_SIZE, d + 0x50);
    measurement_hash(hash_algo, d, DESC_SIZE, rim);
    free(params);
}

void measure_realm_params(unsigned hash_algo, const uint64_t f[7], uint8_t rim[MEASUREMENT_MAX])
{
    uint8_t *params = calloc(1, PARAMS_SIZE);
    if (!params)
        return;
    put64(params + RMI_REALM_PARAMS_FLAGS, f[0]); /* flags is 64 bits, the rest UInt8 */
    params[RMI_REALM_PARAMS_S2SZ] = (uint8_t)f[1];
    params[RMI_REALM_PARAMS_SVE_VL] = (uint8_t)f[2];
    params[RMI_REALM_PARAMS_NUM_BPS] = (uint8_t)f[3];
    params[RMI_REALM_PARAMS_NUM_WPS] = (uint8_t)f[4];
    params[RMI_REALM_PARAMS_PMU_NUM_CTRS] = (uint8_t)f[5];
    params[RMI_REALM_PARAMS_HASH_ALGO] = (uint8_t)f[6];
    measurement_hash(hash_algo, params, PARAMS_SIZE, rim);
    free(params);
}

void measure_ripas(unsigned hash_algo, uint8_t rim[MEASUREMENT_MAX], uint64_t base, uint64_t top)
{
    uint8_t d[DESC_SIZE];
    desc_header(d, 0x2, rim);
    put64(d + 0x50, base);
    put64(d + 0x58, top);
    measurement_hash(hash_algo, d, DESC_SIZE, rim);
}
