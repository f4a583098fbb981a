// A small environment for RMM unit tests: memory that checks a GPI per granule as the GPC would,
// an EL3 that flips it, a cycle counter, and helpers that build realms the way a host does.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <unordered_map>
#include <vector>

#include <string>

extern "C" {
#include "rmm/invariants.h"
#include "rmm/rmm.h"
}

namespace rmmtest
{

constexpr uint64_t kDram = 0x8000'0000, kDramSize = 0x100'0000;
enum Gpi { NS, REALM, SECURE };

struct Env {
    std::map<uint64_t, Gpi> gpt;                // absent: NS
    std::unordered_map<uint64_t, uint64_t> mem; // 8-byte words; absent: 0
    bool lying_el3 = false;                     // says yes to a delegation but leaves the GPT alone
    uint64_t cycles = 0;
    void *owner = nullptr;                            // the fixture, for callbacks that need it
    std::vector<std::pair<uint16_t, uint64_t>> tlbis; // (vmid, ipa or ~0 for all)
    Gpi gpi(uint64_t pa) { return gpt.count(pa & ~0xFFFull) ? gpt[pa & ~0xFFFull] : NS; }
    uint64_t read(uint64_t pa) const
    {
        auto it = mem.find(pa);
        return it == mem.end() ? 0 : it->second;
    }
    // zeros are not stored, so a wiped granule costs nothing to keep or to read
    void write(uint64_t pa, uint64_t v)
    {
        if (v)
            mem[pa] = v;
        else
            mem.erase(pa);
    }
};

inline rmm_mem_result access(void *ctx, uint64_t pa, rme_pas pas, bool write, uint64_t *value)
{
    auto *e = static_cast<Env *>(ctx);
    Gpi g = e->gpi(pa);
    bool ok = (g == NS && pas == RME_PAS_NS) || (g == REALM && pas == RME_PAS_REALM) ||
              (g == SECURE && pas == RME_PAS_SECURE);
    if (!ok)
        return RMM_MEM_GPF;
    if (write)
        e->write(pa, *value);
    else
        *value = e->read(pa);
    return RMM_MEM_OK;
}
inline int gtsi_delegate(void *ctx, uint64_t pa)
{
    auto *e = static_cast<Env *>(ctx);
    if (e->gpi(pa) != NS)
        return -3; // E_RMM_BAD_PAS
    if (!e->lying_el3)
        e->gpt[pa] = REALM;
    return 0;
}
inline int gtsi_undelegate(void *ctx, uint64_t pa)
{
    auto *e = static_cast<Env *>(ctx);
    if (e->gpi(pa) != REALM)
        return -3;
    e->gpt.erase(pa);
    return 0;
}
inline void tlbi_s2(void *ctx, uint16_t vmid, uint64_t ipa, bool all)
{
    static_cast<Env *>(ctx)->tlbis.push_back({vmid, all ? ~0ull : ipa});
}

// The invariant checker's view of this environment: the GPI encodings of gpc/gpt_desc.h, the
// memory as it is, and the sentences collected in a vector.
inline unsigned gpi_code(void *ctx, uint64_t pa)
{
    switch (static_cast<std::pair<Env *, void *> *>(ctx)->first->gpi(pa)) {
    case NS:
        return 0x9;
    case REALM:
        return 0xB;
    default:
        return 0x8;
    }
}
inline bool peek(void *ctx, uint64_t pa, uint64_t *value)
{
    *value = static_cast<std::pair<Env *, void *> *>(ctx)->first->read(pa);
    return true;
}
inline void collect(void *ctx, const char *sentence)
{
    auto *v = static_cast<std::vector<std::string> *>(
        static_cast<std::pair<Env *, void *> *>(ctx)->second);
    v->push_back(sentence);
}
inline std::vector<std::string> check_invariants(rmm &r, Env &env)
{
    std::vector<std::string> found;
    std::pair<Env *, void *> ctx{&env, &found};
    rmm_inv_env ie{&ctx, gpi_code, peek, collect};
    unsigned n = rmm_check_invariants(&r, &ie);
    EXPECT_EQ(n, found.size());
    return found;
}

// RMM with `pa_bits` of PA over one DRAM bank [kDram, kDram + kDramSize).
struct RmmFixture : ::testing::Test {
    Env env;
    rmm r{};
    unsigned pa_bits = 40;
    uint64_t next_page = kDram + kDramSize; // the host's allocator: top of DRAM downward

    void SetUp() override
    {
        rmm_env e{&env,    access,      gtsi_delegate, gtsi_undelegate,
                  pa_bits, &env.cycles, 500,           nullptr,
                  tlbi_s2, {},          nullptr};
        pa_range dram{kDram, kDramSize};
        ASSERT_TRUE(rmm_init(&r, &e, &dram, 1));
    }
    void TearDown() override { rmm_fini(&r); }

    uint64_t call(uint64_t fid, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0, uint64_t a4 = 0,
                  uint64_t a5 = 0, uint64_t *outs = nullptr)
    {
        uint64_t in[8] = {fid, a1, a2, a3, a4, a5}, out[8];
        rmm_handle_rmi(&r, in, out);
        if (outs)
            for (int i = 0; i < 8; i++)
                outs[i] = out[i];
        return out[0];
    }
    std::vector<std::string> invariants() { return check_invariants(r, env); }
    granule_state state(uint64_t pa) { return granule_state(granule_find(&r.granules, pa)->state); }
    uint64_t page() { return next_page -= 0x1000; }
    // a fresh page, delegated; `count` consecutive ones aligned to count pages
    uint64_t delegated(unsigned count = 1)
    {
        next_page -= 0x1000ull * count;
        next_page &= ~(0x1000ull * count - 1);
        for (unsigned i = 0; i < count; i++)
            EXPECT_EQ(call(RMI_GRANULE_DELEGATE, next_page + 0x1000ull * i), 0u);
        return next_page;
    }
    // An NS page with the RmiRealmParams of a valid realm (the fields a test changes after)
    struct RealmParams {
        uint64_t flags = 0, s2sz = 40, num_bps = 1, num_wps = 1, hash = RMI_HASH_SHA_256, vmid = 1,
                 rtt_base = 0, sl = 1, num = 2;
    };
    uint64_t params_page(const RealmParams &p)
    {
        uint64_t pg = page();
        env.mem[pg + RMI_REALM_PARAMS_FLAGS] = p.flags;
        env.mem[pg + RMI_REALM_PARAMS_S2SZ] = p.s2sz;
        env.mem[pg + RMI_REALM_PARAMS_NUM_BPS] = p.num_bps;
        env.mem[pg + RMI_REALM_PARAMS_NUM_WPS] = p.num_wps;
        env.mem[pg + RMI_REALM_PARAMS_HASH_ALGO] = p.hash;
        env.mem[pg + RMI_REALM_PARAMS_VMID] = p.vmid;
        env.mem[pg + RMI_REALM_PARAMS_RTT_BASE] = p.rtt_base;
        env.mem[pg + RMI_REALM_PARAMS_RTT_LEVEL_START] = p.sl;
        env.mem[pg + RMI_REALM_PARAMS_RTT_NUM_START] = p.num;
        return pg;
    }
    // A NEW realm: 40-bit IPA, start level 1 with two concatenated RTTs, VMID `vmid`.
    uint64_t new_realm(uint16_t vmid = 1)
    {
        RealmParams p;
        p.vmid = vmid;
        p.rtt_base = delegated(2);
        uint64_t rd = delegated();
        EXPECT_EQ(call(RMI_REALM_CREATE, rd, params_page(p)), 0u);
        return rd;
    }
    // RTTs for levels start+1 .. `level` covering ipa (those not there yet)
    void rtts_to(uint64_t rd, uint64_t ipa, int level)
    {
        for (int l = 2; l <= level; l++) {
            uint64_t aligned = ipa & ~((1ull << (12 + 9 * (4 - l))) - 1);
            rtt_entry_info parent{};
            if (rmm_rtt_entry(&r, rd, aligned, l - 1, &parent) && parent.level == l - 1 &&
                parent.state == RMI_TABLE)
                continue;
            EXPECT_EQ(call(RMI_RTT_CREATE, rd, delegated(), aligned, uint64_t(l)), 0u);
        }
    }
    // A REC params page for REC index `index`, runnable, with the 16 aux granules delegated
    uint64_t rec_params(uint64_t index, uint64_t pc = 0x8000'0000)
    {
        uint64_t pg = page();
        env.mem[pg + RMI_REC_PARAMS_FLAGS] = RMI_REC_RUNNABLE;
        env.mem[pg + RMI_REC_PARAMS_MPIDR] = index;
        env.mem[pg + RMI_REC_PARAMS_PC] = pc;
        env.mem[pg + RMI_REC_PARAMS_NUM_AUX] = RMI_REC_AUX_GRANULES;
        for (unsigned i = 0; i < RMI_REC_AUX_GRANULES; i++)
            env.mem[pg + RMI_REC_PARAMS_AUX + 8 * i] = delegated();
        return pg;
    }
    static enum rmi_status status(uint64_t code) { return rmi_status_of(code); }
};

inline uint64_t code(rmi_status s, unsigned index = 0)
{
    return rmi_pack(s, index);
}

} // namespace rmmtest
