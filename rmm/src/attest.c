#include "attest.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "measurement.h"

#include "rmm/rmi.h"

#define P384_BYTES 48

/* CCA token labels (A7.2.3) */
#define CCA_TOKEN_TAG 399
#define CCA_PLATFORM_TOKEN 44234
#define CCA_REALM_TOKEN 44241
#define COSE_SIGN1_TAG 18
#define COSE_ALG_ES384 (-35)
#define EAT_NONCE 10
#define EAT_PROFILE 265
#define EAT_UEID 256
#define REALM_RPV 44235
#define REALM_HASH_ALGO_ID 44236
#define REALM_PUB_KEY 44237
#define REALM_RIM 44238
#define REALM_REMS 44239
#define REALM_PUB_KEY_HASH_ALGO_ID 44240
#define PLATFORM_LIFECYCLE 2395
#define PLATFORM_IMPLEMENTATION_ID 2396
#define PLATFORM_SW_COMPONENTS 2399
#define PLATFORM_CONFIG 2401
#define PLATFORM_HASH_ALGO_ID 2402
#define LIFECYCLE_SECURED 0x3000

struct key {
    EC_GROUP *group;
    BIGNUM *d;
    uint8_t x[P384_BYTES], y[P384_BYTES];
};

static void key_free(struct key *k)
{
    BN_free(k->d);
    EC_GROUP_free(k->group);
}

/* A P-384 key pair from a seed: d = SHA-384(seed) mod (n - 1) + 1 (EL3's keys, fixed so that
 * tokens are reproducible; a platform derives them from its hardware unique key). */
static bool key_from_seed(const char *seed, struct key *k)
{
    memset(k, 0, sizeof(*k));
    uint8_t h[P384_BYTES];
    unsigned hl = 0;
    BN_CTX *bn = BN_CTX_new();
    EC_POINT *pub = NULL;
    BIGNUM *n1 = NULL, *x = BN_new(), *y = BN_new();
    bool ok = bn && x && y && EVP_Digest(seed, strlen(seed), h, &hl, EVP_sha384(), NULL) &&
              (k->group = EC_GROUP_new_by_curve_name(NID_secp384r1)) &&
              (k->d = BN_bin2bn(h, (int)hl, NULL)) &&
              (n1 = BN_dup(EC_GROUP_get0_order(k->group))) && BN_sub_word(n1, 1) &&
              BN_mod(k->d, k->d, n1, bn) && BN_add_word(k->d, 1) &&
              (pub = EC_POINT_new(k->group)) && EC_POINT_mul(k->group, pub, k->d, NULL, NULL, bn) &&
              EC_POINT_get_affine_coordinates(k->group, pub, x, y, bn) &&
              BN_bn2binpad(x, k->x, P384_BYTES) == P384_BYTES &&
              BN_bn2binpad(y, k->y, P384_BYTES) == P384_BYTES;
    EC_POINT_free(pub);
    BN_free(n1);
    BN_free(x);
    BN_free(y);
    BN_CTX_free(bn);
    if (!ok)
        key_free(k);
    return ok;
}

/* COSE_Key (RFC 9053 7.1.1): kty EC2 (2), alg ES384, crv P-384 (2), x, y */
static void cose_key(struct cbor *c, const struct key *k)
{
    CBOR_MAP(c, 5);
    cbor_int(c, 1);
    cbor_int(c, 2);
    cbor_int(c, 3);
    cbor_int(c, COSE_ALG_ES384);
    cbor_int(c, -1);
    cbor_int(c, 2);
    cbor_int(c, -2);
    cbor_bytes(c, k->x, P384_BYTES);
    cbor_int(c, -3);
    cbor_bytes(c, k->y, P384_BYTES);
}

static bool hmac384(const uint8_t *key, const uint8_t *a, size_t an, const uint8_t *b, size_t bn,
                    uint8_t out[P384_BYTES])
{
    uint8_t buf[1 + 3 * P384_BYTES + 1];
    if (an + bn > sizeof(buf))
        return false;
    memcpy(buf, a, an);
    if (bn)
        memcpy(buf + an, b, bn);
    unsigned len = 0;
    return HMAC(EVP_sha384(), key, P384_BYTES, buf, an + bn, out, &len) && len == P384_BYTES;
}

/* ECDSA P-384 over SHA-384(msg) with the nonce of RFC 6979 3.2 (HMAC-SHA-384; qlen = hlen = 384
 * bits, so bits2int needs no shift). The signature is r || s, 48 bytes each (COSE). */
static bool sign_es384(const struct key *k, const uint8_t *msg, size_t n, uint8_t sig[96])
{
    uint8_t h1[P384_BYTES], x[P384_BYTES], hq[P384_BYTES], V[P384_BYTES], K[P384_BYTES];
    uint8_t t[1 + 3 * P384_BYTES];
    unsigned hl = 0;
    bool ok = false;
    BN_CTX *bn = BN_CTX_new();
    const BIGNUM *q = EC_GROUP_get0_order(k->group);
    BIGNUM *e = BN_new(), *kk = BN_new(), *r = BN_new(), *s = BN_new(), *kinv = BN_new();
    EC_POINT *R = EC_POINT_new(k->group);
    if (!bn || !e || !kk || !r || !s || !kinv || !R ||
        !EVP_Digest(msg, n, h1, &hl, EVP_sha384(), NULL) || !BN_bin2bn(h1, P384_BYTES, e) ||
        BN_bn2binpad(k->d, x, P384_BYTES) != P384_BYTES || !BN_nnmod(kk, e, q, bn) ||
        BN_bn2binpad(kk, hq, P384_BYTES) != P384_BYTES)
        goto out;
    memset(V, 0x01, sizeof V);
    memset(K, 0x00, sizeof K);
    for (uint8_t round = 0; round < 2; round++) { /* steps d-g */
        memcpy(t, V, P384_BYTES);
        t[P384_BYTES] = round;
        memcpy(t + P384_BYTES + 1, x, P384_BYTES);
        memcpy(t + 2 * P384_BYTES + 1, hq, P384_BYTES);
        if (!hmac384(K, t, sizeof t, NULL, 0, K) || !hmac384(K, V, P384_BYTES, NULL, 0, V))
            goto out;
    }
    for (;;) { /* step h */
        if (!hmac384(K, V, P384_BYTES, NULL, 0, V) || !BN_bin2bn(V, P384_BYTES, kk))
            goto out;
        if (!BN_is_zero(kk) && BN_cmp(kk, q) < 0 && EC_POINT_mul(k->group, R, kk, NULL, NULL, bn) &&
            EC_POINT_get_affine_coordinates(k->group, R, r, NULL, bn) && BN_nnmod(r, r, q, bn) &&
            !BN_is_zero(r) && BN_mod_inverse(kinv, kk, q, bn) && BN_mod_mul(s, r, k->d, q, bn) &&
            BN_mod_add(s, s, e, q, bn) && BN_mod_mul(s, s, kinv, q, bn) && !BN_is_zero(s))
            break;
        uint8_t zero = 0;
        if (!hmac384(K, V, P384_BYTES, &zero, 1, K) || !hmac384(K, V, P384_BYTES, NULL, 0, V))
            goto out;
    }
    ok = BN_bn2binpad(r, sig, P384_BYTES) == P384_BYTES &&
         BN_bn2binpad(s, sig + P384_BYTES, P384_BYTES) == P384_BYTES;
out:
    EC_POINT_free(R);
    BN_free(e);
    BN_free(kk);
    BN_free(r);
    BN_free(s);
    BN_free(kinv);
    BN_CTX_free(bn);
    return ok;
}

/* COSE_Sign1_Tagged (RFC 9052 4.2): 18([protected {1: -35}, {}, payload, signature]), the
 * signature over the Sig_structure ["Signature1", protected, h'', payload] */
static bool cose_sign1(struct cbor *out, const struct key *k, const struct cbor *payload)
{
    static const uint8_t protected_hdr[] = {0xA1, 0x01, 0x38, 0x22}; /* {1: -35} */
    struct cbor tbs;
    cbor_init(&tbs);
    CBOR_ARRAY(&tbs, 4);
    cbor_text(&tbs, "Signature1");
    cbor_bytes(&tbs, protected_hdr, sizeof protected_hdr);
    cbor_bytes(&tbs, NULL, 0);
    cbor_bytes(&tbs, payload->buf, payload->len);
    uint8_t sig[2 * P384_BYTES];
    bool ok = !tbs.failed && !payload->failed && sign_es384(k, tbs.buf, tbs.len, sig);
    cbor_free(&tbs);
    if (!ok)
        return false;
    CBOR_TAG(out, COSE_SIGN1_TAG);
    CBOR_ARRAY(out, 4);
    cbor_bytes(out, protected_hdr, sizeof protected_hdr);
    CBOR_MAP(out, 0);
    cbor_bytes(out, payload->buf, payload->len);
    cbor_bytes(out, sig, sizeof sig);
    return !out->failed;
}

static void sha256(const void *p, size_t n, uint8_t out[32])
{
    uint8_t h[MEASUREMENT_MAX];
    measurement_hash(RMI_HASH_SHA_256, p, n, h);
    memcpy(out, h, 32);
}

static const char *const RAK_SEED = "rmesim: Realm Attestation Key";
static const char *const IAK_SEED = "rmesim: Initial Attestation Key";

/* EL3's side (HES on a real platform): the CCA platform token for a RAK (A7.2.3.2), its
 * challenge the SHA-256 of the RAK's COSE_Key. The platform's identity and software are this
 * model's: an Implementation ID and one software component (the RMM) made of fixed hashes. */
static bool platform_token(const struct key *iak, const struct cbor *rak_key, struct cbor *out)
{
    uint8_t rak_hash[32], impl[32], instance[33], rmm_meas[32], signer[32];
    struct cbor iak_key, claims;
    cbor_init(&iak_key);
    cose_key(&iak_key, iak);
    sha256(rak_key->buf, rak_key->len, rak_hash);
    sha256("rmesim platform", 15, impl);
    instance[0] = 0x01; /* RHVTNC: an instance ID starts with 0x01 */
    sha256(iak_key.buf, iak_key.len, instance + 1);
    sha256("rmesim RMM image", 16, rmm_meas);
    sha256("rmesim RMM signer", 17, signer);
    static const uint8_t config[4] = {0};
    cbor_init(&claims);
    CBOR_MAP(&claims, 8);
    cbor_int(&claims, EAT_PROFILE);
    cbor_text(&claims, "tag:arm.com,2023:cca_platform#1.0.0");
    cbor_int(&claims, EAT_NONCE);
    cbor_bytes(&claims, rak_hash, sizeof rak_hash);
    cbor_int(&claims, PLATFORM_IMPLEMENTATION_ID);
    cbor_bytes(&claims, impl, sizeof impl);
    cbor_int(&claims, EAT_UEID);
    cbor_bytes(&claims, instance, sizeof instance);
    cbor_int(&claims, PLATFORM_CONFIG);
    cbor_bytes(&claims, config, sizeof config);
    cbor_int(&claims, PLATFORM_LIFECYCLE);
    cbor_int(&claims, LIFECYCLE_SECURED);
    cbor_int(&claims, PLATFORM_SW_COMPONENTS);
    CBOR_ARRAY(&claims, 1);
    CBOR_MAP(&claims, 3);
    cbor_int(&claims, 1); /* component type */
    cbor_text(&claims, "RMM");
    cbor_int(&claims, 2); /* measurement value */
    cbor_bytes(&claims, rmm_meas, sizeof rmm_meas);
    cbor_int(&claims, 5); /* signer ID */
    cbor_bytes(&claims, signer, sizeof signer);
    cbor_int(&claims, PLATFORM_HASH_ALGO_ID);
    cbor_text(&claims, "sha-256");
    bool ok = !iak_key.failed && cose_sign1(out, iak, &claims);
    cbor_free(&iak_key);
    cbor_free(&claims);
    return ok;
}

/* The Realm token claims (A7.2.3.1), in the specification's order */
static void realm_claims(const struct rmm_realm *r, const uint8_t challenge[64],
                         const struct cbor *rak_key, struct cbor *c)
{
    size_t msize = measurement_size(r->hash_algo);
    const char *algo = r->hash_algo == RMI_HASH_SHA_512 ? "sha-512" : "sha-256";
    CBOR_MAP(c, 8);
    cbor_int(c, EAT_NONCE);
    cbor_bytes(c, challenge, ATTEST_CHALLENGE_SIZE);
    cbor_int(c, EAT_PROFILE);
    cbor_text(c, "tag:arm.com,2023:realm#1.0.0");
    cbor_int(c, REALM_RPV);
    cbor_bytes(c, r->rpv, sizeof r->rpv);
    cbor_int(c, REALM_RIM);
    cbor_bytes(c, r->measurements[0], msize);
    cbor_int(c, REALM_REMS);
    CBOR_ARRAY(c, 4);
    for (unsigned i = 1; i <= 4; i++)
        cbor_bytes(c, r->measurements[i], msize);
    cbor_int(c, REALM_HASH_ALGO_ID);
    cbor_text(c, algo);
    cbor_int(c, REALM_PUB_KEY);
    cbor_bytes(c, rak_key->buf, rak_key->len);
    cbor_int(c, REALM_PUB_KEY_HASH_ALGO_ID);
    cbor_text(c, "sha-256");
}

bool attest_token_create(const struct rmm_realm *r, const uint8_t challenge[ATTEST_CHALLENGE_SIZE],
                         uint8_t **token, size_t *len)
{
    struct key rak, iak;
    if (!key_from_seed(RAK_SEED, &rak))
        return false;
    if (!key_from_seed(IAK_SEED, &iak)) {
        key_free(&rak);
        return false;
    }
    struct cbor rak_key, claims, realm, platform, all;
    cbor_init(&rak_key);
    cbor_init(&claims);
    cbor_init(&realm);
    cbor_init(&platform);
    cbor_init(&all);
    cose_key(&rak_key, &rak);
    realm_claims(r, challenge, &rak_key, &claims);
    bool ok = !rak_key.failed && cose_sign1(&realm, &rak, &claims) &&
              platform_token(&iak, &rak_key, &platform);
    if (ok) { /* 399({44234: bstr .cbor platform token, 44241: bstr .cbor realm token}) */
        CBOR_TAG(&all, CCA_TOKEN_TAG);
        CBOR_MAP(&all, 2);
        cbor_int(&all, CCA_PLATFORM_TOKEN);
        cbor_bytes(&all, platform.buf, platform.len);
        cbor_int(&all, CCA_REALM_TOKEN);
        cbor_bytes(&all, realm.buf, realm.len);
        ok = !all.failed;
    }
    if (ok) {
        *token = all.buf;
        *len = all.len;
        all.buf = NULL;
    }
    cbor_free(&rak_key);
    cbor_free(&claims);
    cbor_free(&realm);
    cbor_free(&platform);
    cbor_free(&all);
    key_free(&rak);
    key_free(&iak);
    return ok;
}

static bool public_key(const char *seed, uint8_t **out, size_t *len)
{
    struct key k;
    if (!key_from_seed(seed, &k))
        return false;
    struct cbor c;
    cbor_init(&c);
    cose_key(&c, &k);
    key_free(&k);
    if (c.failed)
        return false;
    *out = c.buf;
    *len = c.len;
    return true;
}

bool attest_rak_public(uint8_t **cose_key_out, size_t *len)
{
    return public_key(RAK_SEED, cose_key_out, len);
}

bool attest_iak_public(uint8_t **cose_key_out, size_t *len)
{
    return public_key(IAK_SEED, cose_key_out, len);
}
