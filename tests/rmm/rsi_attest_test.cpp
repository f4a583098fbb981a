// RSI_ATTESTATION_TOKEN_INIT / _CONTINUE (B5.3.2, B5.3.1) and the token they give (A7.2.3): each
// failure condition, the retrieval loop of A7.2.2, and the token itself parsed back: its CBOR
// structure, every Realm claim against the realm's state, the binding of the platform token to
// the RAK, and both COSE_Sign1 signatures verified with OpenSSL.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "run_fixture.hpp"

extern "C" {
#include "../../rmm/src/attest.h"
}

namespace
{

using namespace rmmtest;
using Bytes = std::vector<uint8_t>;

// A CBOR item, decoded: enough of RFC 8949 for the token (no floats, no indefinite lengths).
struct Cbor {
    unsigned major = 0;
    uint64_t value = 0;      // unsigned int, negative int's argument, tag number, or length
    Bytes bytes;             // byte or text string
    std::vector<Cbor> items; // array items, or the tagged item
    std::vector<std::pair<Cbor, Cbor>> entries; // map
    Bytes raw;                                  // the item's own encoding
    int64_t integer() const { return major == 1 ? -1 - int64_t(value) : int64_t(value); }
    std::string text() const { return std::string(bytes.begin(), bytes.end()); }
    const Cbor *get(int64_t key) const
    {
        for (const auto &[k, v] : entries)
            if ((k.major == 0 || k.major == 1) && k.integer() == key)
                return &v;
        return nullptr;
    }
};

Cbor decode(const Bytes &b, size_t &at)
{
    size_t start = at;
    Cbor c;
    uint8_t h = b.at(at++);
    c.major = h >> 5;
    unsigned ai = h & 31;
    if (ai < 24) {
        c.value = ai;
    } else {
        unsigned n = ai == 24 ? 1 : ai == 25 ? 2 : ai == 26 ? 4 : 8;
        EXPECT_LE(ai, 27u) << "indefinite or reserved length";
        for (unsigned i = 0; i < n; i++)
            c.value = c.value << 8 | b.at(at++);
    }
    switch (c.major) {
    case 2:
    case 3:
        c.bytes.assign(b.begin() + long(at), b.begin() + long(at + c.value));
        at += c.value;
        break;
    case 4:
        for (uint64_t i = 0; i < c.value; i++)
            c.items.push_back(decode(b, at));
        break;
    case 5:
        for (uint64_t i = 0; i < c.value; i++) {
            Cbor k = decode(b, at);
            Cbor v = decode(b, at);
            c.entries.push_back({k, v});
        }
        break;
    case 6:
        c.items.push_back(decode(b, at));
        break;
    }
    c.raw.assign(b.begin() + long(start), b.begin() + long(at));
    return c;
}

Cbor decode(const Bytes &b)
{
    size_t at = 0;
    Cbor c = decode(b, at);
    EXPECT_EQ(at, b.size()) << "trailing bytes";
    return c;
}

Bytes sha256(const Bytes &b)
{
    Bytes out(32);
    unsigned n = 0;
    EVP_Digest(b.data(), b.size(), out.data(), &n, EVP_sha256(), nullptr);
    return out;
}

// Verify a COSE_Sign1_Tagged (RFC 9052 4.4) with an EC2 P-384 COSE_Key; returns its payload.
Bytes verify_sign1(const Cbor &tagged, const Cbor &cose_key, bool *ok)
{
    *ok = false;
    EXPECT_EQ(tagged.major, 6u);
    EXPECT_EQ(tagged.value, 18u); // COSE_Sign1_Tagged
    const Cbor &s1 = tagged.items.at(0);
    EXPECT_EQ(s1.items.size(), 4u);
    const Cbor &prot = s1.items.at(0), &payload = s1.items.at(2), &sig = s1.items.at(3);
    Cbor hdr = decode(prot.bytes);
    EXPECT_EQ(hdr.get(1)->integer(), -35);     // alg ES384
    EXPECT_EQ(cose_key.get(1)->integer(), 2);  // kty EC2
    EXPECT_EQ(cose_key.get(-1)->integer(), 2); // crv P-384
    // Sig_structure = ["Signature1", protected, external_aad h'', payload]
    Bytes tbs = {0x84, 0x6A};
    for (char ch : std::string("Signature1"))
        tbs.push_back(uint8_t(ch));
    tbs.insert(tbs.end(), prot.raw.begin(), prot.raw.end());
    tbs.push_back(0x40);
    tbs.insert(tbs.end(), payload.raw.begin(), payload.raw.end());
    // the key: the uncompressed point 04 || x || y
    Bytes point = {0x04};
    point.insert(point.end(), cose_key.get(-2)->bytes.begin(), cose_key.get(-2)->bytes.end());
    point.insert(point.end(), cose_key.get(-3)->bytes.begin(), cose_key.get(-3)->bytes.end());
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-384", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY *key = nullptr;
    bool made = EVP_PKEY_fromdata_init(kctx) == 1 &&
                EVP_PKEY_fromdata(kctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EXPECT_TRUE(made);
    // the COSE signature r || s, as the DER ECDSA-Sig-Value OpenSSL verifies
    EXPECT_EQ(sig.bytes.size(), 96u);
    ECDSA_SIG *es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(sig.bytes.data(), 48, nullptr),
                   BN_bin2bn(sig.bytes.data() + 48, 48, nullptr));
    unsigned char *der = nullptr;
    int der_len = i2d_ECDSA_SIG(es, &der);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    *ok = made && der_len > 0 &&
          EVP_DigestVerifyInit(md, nullptr, EVP_sha384(), nullptr, key) == 1 &&
          EVP_DigestVerify(md, der, size_t(der_len), tbs.data(), tbs.size()) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(kctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return payload.bytes;
}

struct Attest : Run {
    // a page of RAM for the token, one of RIPAS RAM with no granule yet, one of RIPAS EMPTY
    uint64_t buf = 0x4000'0000, data = 0, unmapped = 0x4000'1000, empty = 0x4010'0000;
    void SetUp() override
    {
        Run::SetUp();
        data = ram_page(buf);
        EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, unmapped, unmapped + 0x1000), 0u);
        activate();
    }
    // One RSI call by the realm; its X0, X1 after
    uint64_t rsi(uint64_t fid, std::vector<uint64_t> args, uint64_t *x1 = nullptr)
    {
        smc([fid, args](rmm_rec *c) {
            c->gprs[0] = fid;
            for (size_t i = 0; i < args.size(); i++)
                c->gprs[1 + i] = args[i];
        });
        EXPECT_EQ(enter(), 0u);
        if (x1)
            *x1 = c()->gprs[1];
        return c()->gprs[0];
    }
    std::vector<uint64_t> challenge() const
    {
        return {0x0101, 0x0202, 0x0303, 0x0404, 0x0505, 0x0606, 0x0707, 0x0808};
    }
    Bytes buffer_bytes(size_t offset, size_t n)
    {
        Bytes out;
        for (size_t i = offset; i < offset + n; i++)
            out.push_back(uint8_t(env.read(data + (i & ~7ull)) >> (8 * (i & 7))));
        return out;
    }
    // A7.2.2's loop, with sub-granule chunks of `chunk` bytes into the one buffer granule
    Bytes retrieve(uint64_t size_bound, size_t chunk)
    {
        Bytes token;
        uint64_t ret;
        do {
            uint64_t offset = 0, len = 0;
            do {
                uint64_t size = std::min<uint64_t>(chunk, 0x1000 - offset);
                ret = rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {buf, offset, size}, &len);
                Bytes part = buffer_bytes(offset, len);
                token.insert(token.end(), part.begin(), part.end());
                offset += len;
            } while (ret == RSI_INCOMPLETE && offset < 0x1000);
        } while (ret == RSI_INCOMPLETE && token.size() < size_bound);
        EXPECT_EQ(ret, RSI_SUCCESS);
        return token;
    }
};

TEST_F(Attest, ContinueFailureConditions)
{
    // state: no INIT yet
    EXPECT_EQ(rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {buf, 0, 0x1000}), RSI_ERROR_STATE);
    uint64_t size = 0;
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_INIT, challenge(), &size), RSI_SUCCESS);
    const struct {
        uint64_t addr, offset, size;
        const char *id;
    } inputs[] = {{buf + 8, 0, 8, "addr_align"},
                  {kUnprot | buf, 0, 8, "addr_bound"},
                  {buf, 0x1000, 0, "offset_bound"},
                  {buf, 8, ~0ull, "size_overflow"},
                  {buf, 0x800, 0x801, "size_bound"}};
    for (const auto &in : inputs)
        EXPECT_EQ(rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {in.addr, in.offset, in.size}),
                  RSI_ERROR_INPUT)
            << in.id;
    // the failures took nothing: the whole token is still there to retrieve
    EXPECT_EQ(retrieve(size, 0x1000).size(), size);
    // complete: NO_ATTEST_IN_PROGRESS again
    EXPECT_EQ(rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {buf, 0, 0x1000}), RSI_ERROR_STATE);
}

TEST_F(Attest, BufferWithoutGranuleOrRipasEmpty)
{
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_INIT, challenge()), RSI_SUCCESS);
    // RIPAS EMPTY: the realm's error, the call done
    EXPECT_EQ(rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {empty, 0, 0x1000}), RSI_ERROR_INPUT);
    // RIPAS RAM without a granule: a faked stage-2 abort for the host to map, the SMC not done
    uint64_t before = c()->pc;
    smc([&](rmm_rec *c) {
        c->gprs[0] = RSI_ATTESTATION_TOKEN_CONTINUE;
        c->gprs[1] = unmapped, c->gprs[2] = 0, c->gprs[3] = 0x1000;
    });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_SYNC));
    EXPECT_EQ(exit_field(RMI_EXIT_ESR), kEcDabtLower | 0x07); // translation fault, level 3
    EXPECT_EQ(exit_field(RMI_EXIT_HPFAR), hpfar(unmapped));
    EXPECT_EQ(c()->pc, before);
    // the host maps it; the realm issues the call again and gets the token
    uint64_t granule = delegated();
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, granule, unmapped), 0u);
    uint64_t len = 0;
    EXPECT_EQ(rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {unmapped, 0, 0x1000}, &len), RSI_SUCCESS);
    EXPECT_GT(len, 500u);
    EXPECT_EQ(env.read(granule) & 0xFFFFFF, 0x8F01D9u); // tag 399
}

TEST_F(Attest, RetrievalInChunksGivesTheTokenWithItsClaims)
{
    uint64_t size = 0;
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_INIT, challenge(), &size), RSI_SUCCESS);
    Bytes token = retrieve(size, 300); // sub-granule chunks: INCOMPLETE until the last
    ASSERT_EQ(token.size(), size);
    // the same challenge again: the same token (deterministic signatures), whole in one call
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_INIT, challenge()), RSI_SUCCESS);
    EXPECT_EQ(retrieve(size, 0x1000), token);

    Cbor top = decode(token);
    ASSERT_EQ(top.major, 6u);
    EXPECT_EQ(top.value, 399u); // the CCA token collection
    const Cbor &collection = top.items.at(0);
    ASSERT_EQ(collection.entries.size(), 2u);
    const Cbor *platform_bstr = collection.get(44234), *realm_bstr = collection.get(44241);
    ASSERT_TRUE(platform_bstr && realm_bstr);

    // the Realm token: signed by the RAK its own claim carries
    Cbor realm_tagged = decode(realm_bstr->bytes);
    const Cbor &realm_s1 = realm_tagged.items.at(0);
    Cbor claims = decode(realm_s1.items.at(2).bytes);
    const Cbor *rak_claim = claims.get(44237);
    ASSERT_TRUE(rak_claim);
    Cbor rak = decode(rak_claim->bytes);
    bool ok = false;
    verify_sign1(realm_tagged, rak, &ok);
    EXPECT_TRUE(ok) << "Realm token signature";

    rmm_realm *realm = rmm_realm_at(&r, rd);
    ASSERT_NE(realm, nullptr);
    Bytes want_challenge;
    for (uint64_t w : challenge())
        for (int b = 0; b < 8; b++)
            want_challenge.push_back(uint8_t(w >> (8 * b)));
    EXPECT_EQ(claims.get(10)->bytes, want_challenge);
    EXPECT_EQ(claims.get(265)->text(), "tag:arm.com,2023:realm#1.0.0");
    EXPECT_EQ(claims.get(44235)->bytes, Bytes(realm->rpv, realm->rpv + 64));
    EXPECT_EQ(claims.get(44238)->bytes, Bytes(realm->measurements[0], realm->measurements[0] + 32));
    ASSERT_EQ(claims.get(44239)->items.size(), 4u);
    for (unsigned i = 0; i < 4; i++)
        EXPECT_EQ(claims.get(44239)->items[i].bytes,
                  Bytes(realm->measurements[1 + i], realm->measurements[1 + i] + 32));
    EXPECT_EQ(claims.get(44236)->text(), "sha-256");
    EXPECT_EQ(claims.get(44240)->text(), "sha-256");

    // the platform token: its challenge binds the RAK; signed by the IAK its instance ID names
    Cbor platform_tagged = decode(platform_bstr->bytes);
    Cbor pclaims = decode(platform_tagged.items.at(0).items.at(2).bytes);
    EXPECT_EQ(pclaims.get(10)->bytes, sha256(rak_claim->bytes));
    EXPECT_EQ(pclaims.get(265)->text(), "tag:arm.com,2023:cca_platform#1.0.0");
    uint8_t *iak_raw = nullptr;
    size_t iak_len = 0;
    ASSERT_TRUE(attest_iak_public(&iak_raw, &iak_len));
    Bytes iak_bytes(iak_raw, iak_raw + iak_len);
    free(iak_raw);
    Bytes instance = {0x01};
    Bytes iak_hash = sha256(iak_bytes);
    instance.insert(instance.end(), iak_hash.begin(), iak_hash.end());
    EXPECT_EQ(pclaims.get(256)->bytes, instance);
    EXPECT_EQ(pclaims.get(2395)->integer(), 0x3000); // secured
    EXPECT_EQ(pclaims.get(2396)->bytes.size(), 32u);
    EXPECT_FALSE(pclaims.get(2399)->items.empty());
    EXPECT_EQ(pclaims.get(2402)->text(), "sha-256");
    verify_sign1(platform_tagged, decode(iak_bytes), &ok);
    EXPECT_TRUE(ok) << "platform token signature";
    // and neither verifies with the other's key
    verify_sign1(platform_tagged, rak, &ok);
    EXPECT_FALSE(ok);
    verify_sign1(realm_tagged, decode(iak_bytes), &ok);
    EXPECT_FALSE(ok);
}

TEST_F(Attest, InitAgainRestarts)
{
    uint64_t size = 0, len = 0;
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_INIT, challenge(), &size), RSI_SUCCESS);
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {buf, 0, 16}, &len), RSI_INCOMPLETE);
    EXPECT_EQ(len, 16u);
    Bytes head = buffer_bytes(0, 16);
    // a new INIT ends the generation in progress: the next CONTINUE starts from the beginning
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_INIT, challenge()), RSI_SUCCESS);
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_CONTINUE, {buf, 0x100, 16}, &len), RSI_INCOMPLETE);
    EXPECT_EQ(buffer_bytes(0x100, 16), head);
    // a different challenge: a different token of the same size
    std::vector<uint64_t> other = challenge();
    other[7] ^= 1;
    uint64_t size2 = 0;
    ASSERT_EQ(rsi(RSI_ATTESTATION_TOKEN_INIT, other, &size2), RSI_SUCCESS);
    EXPECT_EQ(size2, size);
}

// The Realm Personalization Value: given in RmiRealmParams.rpv (B4.4.12, offset 0x400), kept by
// the realm (A2.1.3), reported by RSI_REALM_CONFIG (RsiRealmConfig.rpv at 0x200, B5.4.5) and in
// the Realm token (A7.2.3.1.3).
TEST_F(Attest, RpvFromParamsToRealmConfig)
{
    RealmParams p;
    p.vmid = 7;
    p.rtt_base = delegated(2);
    uint64_t params = params_page(p), rd2 = delegated();
    for (unsigned i = 0; i < 8; i++)
        env.mem[params + RMI_REALM_PARAMS_RPV + 8 * i] = 0x1122334455667788ull + i;
    ASSERT_EQ(call(RMI_REALM_CREATE, rd2, params), 0u);
    rmm_realm *realm = rmm_realm_at(&r, rd2);
    ASSERT_NE(realm, nullptr);
    EXPECT_EQ(realm->rpv[0], 0x88u);
    EXPECT_EQ(realm->rpv[63], 0x11u);
    // this fixture's own realm has none: RsiRealmConfig.rpv reads zero there
    smc([&](rmm_rec *c) { c->gprs[0] = RSI_REALM_CONFIG, c->gprs[1] = buf; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(c()->gprs[0], RSI_SUCCESS);
    EXPECT_EQ(env.read(data + RSI_CONFIG_RPV), 0u);
    rmm_realm_at(&r, rd)->rpv[0] = 0xAB; // as if the host had given one
    smc([&](rmm_rec *c) { c->gprs[0] = RSI_REALM_CONFIG, c->gprs[1] = buf; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(env.read(data + RSI_CONFIG_RPV), 0xABu);
}

} // namespace
