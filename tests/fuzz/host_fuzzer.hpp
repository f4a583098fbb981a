// A hostile host against the RMM: random RMI calls (valid, boundary and adversarial arguments),
// GRANULE_DELEGATE/UNDELEGATE, host 8-byte loads and stores anywhere, and a realm writing
// secrets into its DATA granules, over the fake platform of tests/rmm (a GPI per granule that
// every access is checked against, an EL3 that flips it). After every action the RMM's
// invariants (rmm/invariants.h) and the fuzzer's own oracles are checked. Deterministic from
// its seed; the first violation stops the run with the seed, the action number and the actions
// since the world was last rebuilt.
#pragma once

#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "fake_platform.hpp"

namespace fuzz
{

using namespace rmmtest;

// The fuzzer's world: 256 delegable granules, then a 64KB carve-out (the GPT and firmware: GPI
// Secure here, outside the RMM's DRAM) the host may aim at but never reach.
constexpr uint64_t kBase = kDram, kGranules = 256, kSize = kGranules * 0x1000;
constexpr uint64_t kCarve = kBase + kSize, kCarveSize = 0x1'0000;
constexpr uint64_t kSecret = 0x5EC2'E700'0000'0000ull, kSecretMask = 0xFFFF'FF00'0000'0000ull;

class HostFuzzer
{
  public:
    explicit HostFuzzer(uint64_t seed, uint64_t epoch = 2000)
        : seed_(seed), epoch_(epoch), rng_(seed)
    {
        rebuild();
    }
    ~HostFuzzer() { rmm_fini(&r_); }
    HostFuzzer(const HostFuzzer &) = delete;
    HostFuzzer &operator=(const HostFuzzer &) = delete;

    // Run n actions; false at the first violation (report() tells what, where, and how).
    bool run(uint64_t n)
    {
        for (uint64_t i = 0; i < n; i++) {
            if (done_ % epoch_ == 0 && done_)
                rebuild();
            done_++;
            act();
            if (sabotage_ && done_ == sabotage_at_)
                sabotage_(r_, env_);
            check();
            if (!found_.empty())
                return false;
        }
        return true;
    }
    // A corruption made after action n, to show the checks see it (tests only).
    void sabotage(uint64_t n, std::function<void(rmm &, Env &)> fn)
    {
        sabotage_at_ = n;
        sabotage_ = std::move(fn);
    }
    std::string report() const
    {
        std::string s = "seed " + std::to_string(seed_) + ", action " + std::to_string(done_) +
                        ": " + std::to_string(found_.size()) + " violation(s)\n";
        for (auto &f : found_)
            s += "  " + f + "\n";
        s += "actions since the world was built (replay: the same seed):\n";
        for (auto &t : trail_)
            s += "  " + t + "\n";
        return s;
    }
    uint64_t actions() const { return done_; }
    uint64_t rmi_calls = 0, rmi_successes = 0, host_accesses = 0, host_faults = 0,
             invariant_checks = 0;

  private:
    uint64_t seed_, epoch_, done_ = 0, sabotage_at_ = 0;
    std::mt19937_64 rng_;
    Env env_;
    rmm r_{};
    bool live_ = false;
    std::vector<std::string> trail_, found_;
    std::function<void(rmm &, Env &)> sabotage_;

    void rebuild()
    {
        if (live_)
            rmm_fini(&r_);
        env_ = Env{};
        for (uint64_t pa = kCarve; pa < kCarve + kCarveSize; pa += 0x1000)
            env_.gpt[pa] = SECURE;
        rmm_env e{&env_,   access, gtsi_delegate, gtsi_undelegate, 40, &env_.cycles, 0, nullptr,
                  tlbi_s2, {},     nullptr};
        pa_range dram{kBase, kSize};
        live_ = rmm_init(&r_, &e, &dram, 1);
        trail_.clear();
    }

    uint64_t below(uint64_t n) { return n ? rng_() % n : 0; }
    bool chance(unsigned percent) { return below(100) < percent; }
    uint64_t granule(uint64_t i) const { return kBase + (i % kGranules) * 0x1000; }
    granule_state state_of(uint64_t pa)
    {
        struct granule *g = (pa & 0xFFF) ? nullptr : granule_find(&r_.granules, pa);
        return g ? granule_state(g->state) : GRANULE_UNDELEGATED;
    }
    bool delegable(uint64_t pa) const { return pa - kBase < kSize && !(pa & 0xFFF); }
    // a granule in state s, or 0 when there is none
    uint64_t in_state(granule_state s)
    {
        std::vector<uint64_t> v;
        for (uint64_t i = 0; i < kGranules; i++)
            if (state_of(granule(i)) == s)
                v.push_back(granule(i));
        return v.empty() ? 0 : v[below(v.size())];
    }
    // Any address a hostile host might pass: mostly granules of the world in every state,
    // sometimes the carve-out, devices, beyond DRAM, beyond the PA space, misaligned.
    uint64_t addr()
    {
        static const granule_state roles[] = {GRANULE_DELEGATED, GRANULE_RD,   GRANULE_REC,
                                              GRANULE_REC_AUX,   GRANULE_DATA, GRANULE_RTT};
        switch (below(10)) {
        case 0:
        case 1:
        case 2:
            return granule(below(kGranules));
        case 3:
        case 4:
        case 5: {
            uint64_t pa = in_state(roles[below(6)]);
            return pa ? pa : granule(below(kGranules));
        }
        case 6:
            return kCarve + 0x1000 * below(kCarveSize / 0x1000);
        case 7:
            return granule(below(kGranules)) + 8 * (1 + below(511));
        default: {
            static const uint64_t odd[] = {
                0,          0x1000,     0x0900'0000, kBase - 0x1000, kCarve + kCarveSize,
                1ull << 40, 1ull << 48, ~0xFFFull,   ~0ull};
            return chance(80) ? odd[below(sizeof odd / sizeof odd[0])] : rng_();
        }
        }
    }
    uint64_t rd() { return chance(80) && in_state(GRANULE_RD) ? in_state(GRANULE_RD) : addr(); }
    uint64_t rec() { return chance(80) && in_state(GRANULE_REC) ? in_state(GRANULE_REC) : addr(); }
    uint64_t delegated_or_any()
    {
        uint64_t pa = in_state(GRANULE_DELEGATED);
        return pa && chance(75) ? pa : addr();
    }
    uint64_t ns_page()
    {
        uint64_t pa = in_state(GRANULE_UNDELEGATED);
        return pa && chance(85) ? pa : addr();
    }
    // an IPA for realm rd (or for a 40-bit realm): protected, unprotected, beyond, misaligned
    uint64_t ipa(uint64_t rd_pa)
    {
        rmm_realm *realm = rmm_realm_at(&r_, rd_pa);
        unsigned bits = realm ? realm->ipa_bits : 40;
        uint64_t half = 1ull << (bits - 1);
        uint64_t base = below(4) * 0x20'0000 + below(4) * 0x1000;
        if (chance(10))
            base = below(4) * 0x4000'0000;
        switch (below(8)) {
        case 0:
            return half + base;
        case 1:
            return chance(50) ? (1ull << bits) + base : rng_();
        case 2:
            return base + 8 * (1 + below(511));
        default:
            return base;
        }
    }
    // an IPA for an RTT command: mostly aligned to a level-3 or level-2 RTT's span
    uint64_t table_ipa(uint64_t rd_pa)
    {
        uint64_t a = ipa(rd_pa);
        return chance(30) ? a : a & ~((chance(70) ? 0x20'0000ull : 0x4000'0000ull) - 1);
    }
    uint64_t level()
    {
        static const uint64_t odd[] = {0, 4, ~0ull, 1ull << 32};
        return chance(90) ? 1 + below(3) : odd[below(4)];
    }
    // a host store of 8 bytes; false when the GPC refused it
    bool host_store(uint64_t pa, uint64_t v)
    {
        return access(&env_, pa, RME_PAS_NS, true, &v) == RMM_MEM_OK;
    }

    uint64_t realm_params()
    {
        static const uint64_t geo[][3] = {{32, 1, 1}, {40, 1, 2}, {33, 2, 8}, {36, 2, 64}};
        const uint64_t *g = geo[below(4)];
        uint64_t pg = ns_page(), num = chance(90) ? g[2] : below(4);
        uint64_t base = in_state(GRANULE_DELEGATED) & ~(0x1000 * num - 1);
        if (chance(20))
            base = addr();
        uint64_t f[][2] = {{RMI_REALM_PARAMS_FLAGS, chance(95) ? 0 : rng_() & 7},
                           {RMI_REALM_PARAMS_S2SZ, chance(95) ? g[0] : 20 + below(40)},
                           {RMI_REALM_PARAMS_NUM_BPS, 1 + below(6)},
                           {RMI_REALM_PARAMS_NUM_WPS, 1 + below(4)},
                           {RMI_REALM_PARAMS_HASH_ALGO, below(3)},
                           {RMI_REALM_PARAMS_VMID, chance(90) ? below(4) : rng_()},
                           {RMI_REALM_PARAMS_RTT_BASE, base},
                           {RMI_REALM_PARAMS_RTT_LEVEL_START, chance(95) ? g[1] : below(5)},
                           {RMI_REALM_PARAMS_RTT_NUM_START, num}};
        for (auto &kv : f)
            host_store(pg + kv[0], kv[1]);
        return pg;
    }
    uint64_t rec_params(uint64_t rd_pa)
    {
        uint64_t pg = ns_page();
        rmm_realm *realm = rmm_realm_at(&r_, rd_pa);
        host_store(pg + RMI_REC_PARAMS_FLAGS, chance(90) ? RMI_REC_RUNNABLE : rng_() & 3);
        host_store(pg + RMI_REC_PARAMS_MPIDR, realm && chance(85) ? realm->rec_index : below(4));
        host_store(pg + RMI_REC_PARAMS_NUM_AUX, chance(90) ? RMI_REC_AUX_GRANULES : below(20));
        for (unsigned i = 0; i < RMI_REC_AUX_GRANULES; i++)
            host_store(pg + RMI_REC_PARAMS_AUX + 8 * i, delegated_or_any());
        return pg;
    }

    // the argument that must have been in a state before a SUCCESS (B4.3: each command's
    // *_state failure condition)
    struct Pre {
        uint64_t fid;
        int arg;
        granule_state want;
    };

    void rmi(uint64_t fid, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0, uint64_t a4 = 0,
             uint64_t a5 = 0)
    {
        static const Pre pres[] = {{RMI_GRANULE_DELEGATE, 1, GRANULE_UNDELEGATED},
                                   {RMI_GRANULE_UNDELEGATE, 1, GRANULE_DELEGATED},
                                   {RMI_REALM_CREATE, 1, GRANULE_DELEGATED},
                                   {RMI_REALM_DESTROY, 1, GRANULE_RD},
                                   {RMI_REC_CREATE, 2, GRANULE_DELEGATED},
                                   {RMI_REC_DESTROY, 1, GRANULE_REC},
                                   {RMI_RTT_CREATE, 2, GRANULE_DELEGATED},
                                   {RMI_DATA_CREATE, 2, GRANULE_DELEGATED},
                                   {RMI_DATA_CREATE_UNKNOWN, 2, GRANULE_DELEGATED}};
        uint64_t in[8] = {fid, a1, a2, a3, a4, a5, 0, 0}, out[8] = {};
        granule_state before[8];
        for (int i = 1; i < 6; i++)
            before[i] = delegable(in[i]) ? state_of(in[i]) : GRANULE_UNDELEGATED;
        rmm_handle_rmi(&r_, in, out);
        rmi_calls++;
        char buf[200];
        snprintf(buf, sizeof buf, "#%llu RMI %#llx(%#llx, %#llx, %#llx, %#llx, %#llx) -> %#llx",
                 (unsigned long long)done_, (unsigned long long)fid, (unsigned long long)a1,
                 (unsigned long long)a2, (unsigned long long)a3, (unsigned long long)a4,
                 (unsigned long long)a5, (unsigned long long)out[0]);
        trail_.push_back(buf);
        if (out[0] != 0)
            return;
        rmi_successes++;
        for (const Pre &p : pres)
            if (p.fid == fid && (!delegable(in[p.arg]) || before[p.arg] != p.want))
                found_.push_back(
                    "RMI " + std::string(buf) + " succeeded on a granule that was " +
                    (delegable(in[p.arg]) ? granule_state_name(before[p.arg]) : "not delegable") +
                    ", not " + granule_state_name(p.want));
        if (fid == RMI_GRANULE_UNDELEGATE) // A2.2.4: nothing of the realm's goes back to NS
            for (auto it = env_.mem.lower_bound(a1);
                 it != env_.mem.end() && it->first < a1 + 0x1000; ++it)
                if ((it->second & kSecretMask) == kSecret) {
                    found_.push_back("granule " + hex(a1) + " went back to NS holding realm data");
                    break;
                }
    }
    static std::string hex(uint64_t v)
    {
        char b[24];
        snprintf(b, sizeof b, "%#llx", (unsigned long long)v);
        return b;
    }

    void host_access()
    {
        uint64_t pa = addr() & ~7ull, v = rng_();
        bool write = chance(50);
        granule_state st =
            delegable(pa & ~0xFFFull) ? state_of(pa & ~0xFFFull) : GRANULE_UNDELEGATED;
        rmm_mem_result res = access(&env_, pa, RME_PAS_NS, write, &v);
        host_accesses++;
        trail_.push_back("#" + std::to_string(done_) + " host " + (write ? "store " : "load ") +
                         hex(pa) + (res == RMM_MEM_OK ? " ok" : " faults"));
        if (res != RMM_MEM_OK) {
            host_faults++;
            return;
        }
        if (st != GRANULE_UNDELEGATED) // the GPC must stop an NS access to a delegated granule
            found_.push_back("host NS access to " + std::string(granule_state_name(st)) +
                             " granule " + hex(pa) + " succeeded");
        if (pa - kCarve < kCarveSize)
            found_.push_back("host NS access to the carve-out at " + hex(pa) + " succeeded");
        if (!write && (v & kSecretMask) == kSecret)
            found_.push_back("host load at " + hex(pa) + " read realm data " + hex(v));
    }

    // the realm stores a secret into one of its DATA granules (as its stage 2 would let it)
    void realm_writes()
    {
        uint64_t pa = in_state(GRANULE_DATA);
        if (!pa)
            return;
        uint64_t at = pa + 8 * below(512);
        env_.mem[at] = kSecret | (at >> 3 & 0xFF'FFFF'FFFFull);
        trail_.push_back("#" + std::to_string(done_) + " realm writes DATA " + hex(at));
    }

    void act()
    {
        uint64_t d = rd();
        switch (below(26)) {
        case 0:
        case 1:
        case 2:
            return rmi(RMI_GRANULE_DELEGATE, chance(80) ? ns_page() : addr());
        case 3: {
            // a naturally aligned block of 1, 2 or 8 granules, as realm creation needs
            uint64_t n = 1ull << below(4), at = granule(below(kGranules)) & ~(0x1000 * n - 1);
            for (uint64_t i = 0; i < n; i++)
                rmi(RMI_GRANULE_DELEGATE, at + 0x1000 * i);
            return;
        }
        case 4:
            return rmi(RMI_GRANULE_UNDELEGATE, chance(70) ? delegated_or_any() : addr());
        case 5:
            return rmi(RMI_REALM_CREATE, delegated_or_any(), realm_params());
        case 6:
            return rmi(RMI_REALM_ACTIVATE, d);
        case 7:
            return rmi(RMI_REALM_DESTROY, d);
        case 8:
            return rmi(RMI_REC_CREATE, d, delegated_or_any(), rec_params(d));
        case 9:
            return rmi(RMI_REC_DESTROY, rec());
        case 10:
        case 11:
            return rmi(RMI_RTT_CREATE, d, delegated_or_any(), table_ipa(d), level());
        case 12:
            return rmi(RMI_RTT_DESTROY, d, table_ipa(d), level());
        case 13:
            return rmi(RMI_RTT_FOLD, d, table_ipa(d), level());
        case 14:
            return rmi(RMI_RTT_READ_ENTRY, d, ipa(d), level());
        case 15: {
            uint64_t lv = level(),
                     desc = (ns_page() & ~0xFFFull) | (chance(90) ? 0xD8 : rng_() & 0xFFF);
            return rmi(RMI_RTT_MAP_UNPROTECTED, d, ipa(d), lv, desc);
        }
        case 16:
            return rmi(RMI_RTT_UNMAP_UNPROTECTED, d, ipa(d), level());
        case 17: {
            uint64_t base = ipa(d);
            return rmi(RMI_RTT_INIT_RIPAS, d, base, base + 0x1000 * (1 + below(600)));
        }
        case 18: {
            uint64_t base = ipa(d);
            return rmi(RMI_RTT_SET_RIPAS, d, rec(), base, base + 0x1000 * (1 + below(8)));
        }
        case 19:
        case 20:
            return rmi(chance(50) ? RMI_DATA_CREATE : RMI_DATA_CREATE_UNKNOWN, d,
                       delegated_or_any(), ipa(d), ns_page(), chance(90) ? below(2) : rng_());
        case 21:
            return rmi(RMI_DATA_DESTROY, d, ipa(d));
        case 22:
            return rmi(chance(50) ? RMI_REC_ENTER : RMI_PSCI_COMPLETE, rec(),
                       chance(50) ? ns_page() : rec(), below(3));
        case 23: {
            // any RMI FID, including reserved ones, with any arguments
            uint64_t f = chance(70) ? RMI_FID(0x150 + below(0x20)) : rng_();
            if (f == RMI_REC_ENTER)
                f = RMI_VERSION; // its run page must be NS: handled by case 22
            return rmi(f, chance(50) ? addr() : rng_(), addr(), ipa(d), level(), rng_());
        }
        case 24:
            return realm_writes();
        default:
            return host_access();
        }
    }

    void check()
    {
        std::pair<Env *, void *> ctx{&env_, &found_};
        rmm_inv_env ie{&ctx, gpi_code, peek, collect};
        rmm_check_invariants(&r_, &ie);
        invariant_checks++;
    }
};

} // namespace fuzz
