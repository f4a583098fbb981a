// A hostile host against the RMM: random RMI calls (valid, boundary and adversarial arguments),
// GRANULE_DELEGATE/UNDELEGATE, host 8-byte loads and stores anywhere, and realms that run when
// the host enters their RECs (RSI and PSCI calls, loads and stores through their stage 2, the
// share/unshare of IPA_STATE_SET), over the world of fuzz_world.hpp. After every action the
// RMM's invariants (rmm/invariants.h) and the fuzzer's own oracles are checked. Deterministic
// from its seed; the first violation stops the run, and the operations since the world was last
// built are cut down to a minimal replay (fuzz_minimize.hpp) that `fuzz_host --replay` runs.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "fuzz_minimize.hpp"

namespace fuzz
{

class HostFuzzer
{
  public:
    explicit HostFuzzer(uint64_t seed, uint64_t epoch = 2000)
        : seed_(seed), epoch_(epoch), rng_(seed)
    {
        w_.realm_source = [this](rmm_rec *rec, RealmStep *st) { return realm_step(rec, st); };
    }

    // Run n actions; false at the first violation (report() tells what, where, and how).
    bool run(uint64_t n)
    {
        for (uint64_t i = 0; i < n; i++) {
            if (done_ % epoch_ == 0 && done_) {
                w_.rebuild();
                trail_.clear();
            }
            done_++;
            act();
            if (sab_.fn && done_ == sab_.at)
                sab_.fn(w_.r(), w_.env());
            w_.check();
            if (!w_.found.empty()) {
                minimal_ = minimise(trail_, sab_, w_.found.front());
                return false;
            }
        }
        return true;
    }
    // A corruption made after action n, to show the checks see it (tests only).
    void sabotage(uint64_t n, std::function<void(rmm &, Env &)> fn) { sab_ = {n, std::move(fn)}; }
    std::string report() const
    {
        std::string s = "seed " + std::to_string(seed_) + ", action " + std::to_string(done_) +
                        ": " + std::to_string(w_.found.size()) + " violation(s)\n";
        for (auto &f : w_.found)
            s += "  " + f + "\n";
        s += "a minimal replay (" + std::to_string(minimal_.size()) + " of the " +
             std::to_string(trail_.size()) +
             " operations since the world was built; save the lines below to a file and run "
             "fuzz_host --replay FILE):\n";
        return s + replay_text(minimal_);
    }
    const std::vector<Op> &minimal_replay() const { return minimal_; }
    const std::vector<Op> &trail() const { return trail_; } // since the world was built
    const World &world() const { return w_; }
    uint64_t actions() const { return done_; }

  private:
    uint64_t seed_, epoch_, done_ = 0;
    std::mt19937_64 rng_;
    World w_;
    std::vector<Op> trail_, minimal_;
    Sabotage sab_;

    // one operation of the current action, run and kept for the replay
    bool emit(Op::Kind kind, uint64_t a0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
              uint64_t a4 = 0, uint64_t a5 = 0)
    {
        trail_.push_back(Op{kind, done_, {a0, a1, a2, a3, a4, a5}});
        size_t faults = w_.host_faults;
        w_.exec(trail_.back(), true);
        return w_.host_faults == faults;
    }
    granule_state state_of(uint64_t pa) { return w_.state_of(pa); }
    static bool delegable(uint64_t pa) { return World::delegable(pa); }

    uint64_t below(uint64_t n) { return n ? rng_() % n : 0; }
    bool chance(unsigned percent) { return below(100) < percent; }
    uint64_t granule(uint64_t i) const { return kBase + (i % kGranules) * 0x1000; }
    // a granule in state s, or 0 when there is none
    uint64_t in_state(granule_state s)
    {
        std::vector<uint64_t> v = all_in(s);
        return v.empty() ? 0 : v[below(v.size())];
    }
    std::vector<uint64_t> all_in(granule_state s)
    {
        std::vector<uint64_t> v;
        for (uint64_t i = 0; i < kGranules; i++)
            if (state_of(granule(i)) == s)
                v.push_back(granule(i));
        return v;
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
        rmm_realm *realm = rmm_realm_at(&w_.r(), rd_pa);
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
    bool host_store(uint64_t pa, uint64_t v) { return emit(Op::HostStore, pa, v); }
    void rmi(uint64_t fid, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0, uint64_t a4 = 0,
             uint64_t a5 = 0)
    {
        emit(Op::Rmi, fid, a1, a2, a3, a4, a5);
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
        rmm_realm *realm = rmm_realm_at(&w_.r(), rd_pa);
        host_store(pg + RMI_REC_PARAMS_FLAGS, chance(90) ? RMI_REC_RUNNABLE : rng_() & 3);
        host_store(pg + RMI_REC_PARAMS_MPIDR, realm && chance(85) ? realm->rec_index : below(4));
        host_store(pg + RMI_REC_PARAMS_NUM_AUX, chance(90) ? RMI_REC_AUX_GRANULES : below(20));
        // mostly 16 distinct delegated granules, as REC_CREATE needs; sometimes anything
        std::vector<uint64_t> aux = all_in(GRANULE_DELEGATED);
        bool good = chance(60) && aux.size() >= RMI_REC_AUX_GRANULES;
        for (unsigned i = 0; i < RMI_REC_AUX_GRANULES; i++)
            host_store(pg + RMI_REC_PARAMS_AUX + 8 * i,
                       good ? aux[(aux.size() - 1 - i) % aux.size()] : delegated_or_any());
        return pg;
    }

    // A host that plays by the rules for once: a realm built to be run (40-bit IPA, start level
    // 1, level-2 and -3 RTTs for the first 2 MB of both halves, two pages of data, one page
    // mapped unprotected, one or two RECs with their aux granules), activated. The hostile
    // actions around it then have a running realm to attack.
    void good_realm()
    {
        std::vector<uint64_t> ns = all_in(GRANULE_UNDELEGATED);
        unsigned recs = 1 + below(2), need = 2 + 1 + 4 + 2 + recs * (1 + RMI_REC_AUX_GRANULES);
        uint64_t pair = 0;
        for (uint64_t pa : ns)
            if (!(pa & 0x1000) && state_of(pa + 0x1000) == GRANULE_UNDELEGATED &&
                delegable(pa + 0x1000))
                pair = pa;
        if (!pair || ns.size() < need + 2)
            return;
        std::vector<uint64_t> g;
        for (uint64_t pa : ns)
            if (pa != pair && pa != pair + 0x1000)
                g.push_back(pa);
        rmi(RMI_GRANULE_DELEGATE, pair);
        rmi(RMI_GRANULE_DELEGATE, pair + 0x1000);
        for (unsigned i = 0; i < need - 2; i++)
            rmi(RMI_GRANULE_DELEGATE, g[i]);
        uint64_t rd = g[0], pg = ns_page(), half = 1ull << 39;
        const uint64_t params[][2] = {{RMI_REALM_PARAMS_FLAGS, 0},
                                      {RMI_REALM_PARAMS_S2SZ, 40},
                                      {RMI_REALM_PARAMS_SVE_VL, 0},
                                      {RMI_REALM_PARAMS_NUM_BPS, 2},
                                      {RMI_REALM_PARAMS_NUM_WPS, 2},
                                      {RMI_REALM_PARAMS_PMU_NUM_CTRS, 0},
                                      {RMI_REALM_PARAMS_HASH_ALGO, RMI_HASH_SHA_256},
                                      {RMI_REALM_PARAMS_VMID, below(4096)},
                                      {RMI_REALM_PARAMS_RTT_BASE, pair},
                                      {RMI_REALM_PARAMS_RTT_LEVEL_START, 1},
                                      {RMI_REALM_PARAMS_RTT_NUM_START, 2}};
        for (auto &kv : params)
            host_store(pg + kv[0], kv[1]);
        rmi(RMI_REALM_CREATE, rd, pg);
        rmi(RMI_RTT_CREATE, rd, g[1], 0, 2);
        rmi(RMI_RTT_CREATE, rd, g[2], 0, 3);
        rmi(RMI_RTT_CREATE, rd, g[3], half, 2);
        rmi(RMI_RTT_CREATE, rd, g[4], half, 3);
        rmi(RMI_RTT_INIT_RIPAS, rd, 0, 0x20'0000);
        rmi(RMI_DATA_CREATE_UNKNOWN, rd, g[5], 0);
        rmi(RMI_DATA_CREATE, rd, g[6], 0x1000, ns_page(), 0);
        rmi(RMI_RTT_MAP_UNPROTECTED, rd, half, 3, (ns_page() & ~0xFFFull) | 0xD8);
        for (unsigned k = 0; k < recs; k++) {
            uint64_t rp = ns_page(), base = 7 + k * (1 + RMI_REC_AUX_GRANULES);
            host_store(rp + RMI_REC_PARAMS_PC, 0);
            host_store(rp + RMI_REC_PARAMS_FLAGS, k ? 0 : RMI_REC_RUNNABLE);
            host_store(rp + RMI_REC_PARAMS_MPIDR, k);
            host_store(rp + RMI_REC_PARAMS_NUM_AUX, RMI_REC_AUX_GRANULES);
            for (unsigned i = 0; i < RMI_REC_AUX_GRANULES; i++)
                host_store(rp + RMI_REC_PARAMS_AUX + 8 * i, g[base + 1 + i]);
            rmi(RMI_REC_CREATE, rd, g[base], rp);
        }
        rmi(RMI_REALM_ACTIVATE, rd);
    }

    void act()
    {
        uint64_t d = rd();
        switch (below(30)) {
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
        case 9: // a REC lives long enough to be entered
            return chance(30) ? rmi(RMI_REC_DESTROY, rec()) : rec_enter();
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
        case 18:
            return set_ripas(d);
        case 19:
        case 20:
            return rmi(chance(50) ? RMI_DATA_CREATE : RMI_DATA_CREATE_UNKNOWN, d,
                       delegated_or_any(), ipa(d), ns_page(), chance(90) ? below(2) : rng_());
        case 21:
            return rmi(RMI_DATA_DESTROY, d, ipa(d));
        case 22:
            return chance(60) ? rec_enter() : psci_complete();
        case 23: {
            // any RMI FID, including reserved ones, with any arguments
            uint64_t f = chance(70) ? RMI_FID(0x150 + below(0x20)) : rng_();
            if (f == RMI_REC_ENTER)
                f = RMI_VERSION; // its run page must be NS: handled by case 22
            return rmi(f, chance(50) ? addr() : rng_(), addr(), ipa(d), level(), rng_());
        }
        case 24:
            return realm_writes();
        case 25:
            if (chance(40))
                return good_realm();
            return host_access();
        case 27:
        case 28:
            return rec_enter();
        case 26:
            if (chance(20))
                return good_teardown();
            return host_access();
        default:
            return host_access();
        }
    }

    // ... and tears one down by the rules: its RECs, data and RTTs, the realm, then every
    // delegated granule back to NS (the world would otherwise fill with realms)
    void good_teardown()
    {
        uint64_t rd = in_state(GRANULE_RD), half = 1ull << 39;
        rmm_realm *realm = rd ? rmm_realm_at(&w_.r(), rd) : nullptr;
        if (!realm || realm->ipa_bits != 40 || realm->start_level != 1)
            return;
        for (rmm_rec *c : recs())
            if (c->rd == rd)
                rmi(RMI_REC_DESTROY, c->addr);
        for (uint64_t ipa = 0; ipa < 0x20'0000; ipa += 0x1000) {
            rtt_entry_info e{};
            if (rmm_rtt_entry(&w_.r(), rd, ipa, 3, &e) && e.level == 3 && e.state == RMI_ASSIGNED)
                rmi(RMI_DATA_DESTROY, rd, ipa);
        }
        rmi(RMI_RTT_UNMAP_UNPROTECTED, rd, half, 3);
        for (uint64_t level = 3; level >= 2; level--) {
            rmi(RMI_RTT_DESTROY, rd, 0, level);
            rmi(RMI_RTT_DESTROY, rd, half, level);
        }
        rmi(RMI_REALM_DESTROY, rd);
        for (uint64_t pa : all_in(GRANULE_DELEGATED))
            rmi(RMI_GRANULE_UNDELEGATE, pa);
    }

    // RECs and what the RMM says they wait for (inspection, as a host would know it from the
    // exits it saw)
    std::vector<rmm_rec *> recs()
    {
        std::vector<rmm_rec *> v;
        for (uint64_t i = 0; i < kGranules; i++)
            if (state_of(granule(i)) == GRANULE_REC)
                v.push_back(rmm_rec_at(&w_.r(), granule(i)));
        return v;
    }
    rmm_rec *waiting(bool rmm_rec::*flag)
    {
        std::vector<rmm_rec *> v;
        for (rmm_rec *c : recs())
            if (c->*flag)
                v.push_back(c);
        return v.empty() ? nullptr : v[below(v.size())];
    }

    // REC_ENTER with the run page's flags and X0 written first: completions (MMIO, SEA
    // injection, the RIPAS response) asked for right and wrong
    void rec_enter()
    {
        static const uint64_t flags[] = {0,
                                         RMI_ENTER_EMUL_MMIO,
                                         RMI_ENTER_INJECT_SEA,
                                         RMI_ENTER_RIPAS_RESPONSE,
                                         RMI_ENTER_EMUL_MMIO | RMI_ENTER_INJECT_SEA,
                                         RMI_ENTER_TRAP_WFI | RMI_ENTER_TRAP_WFE};
        uint64_t run = chance(85) ? ns_page() : (chance(50) ? rec() : addr());
        host_store(run + RMI_ENTER_FLAGS, chance(50) ? 0 : chance(90) ? flags[below(6)] : rng_());
        host_store(run + RMI_ENTER_GPRS, rng_());
        std::vector<uint64_t> ready; // runnable RECs of active realms, mostly the target
        for (rmm_rec *c : recs())
            if (c->runnable && c->realm->state == REALM_ACTIVE)
                ready.push_back(c->addr);
        rmi(RMI_REC_ENTER, !ready.empty() && chance(80) ? ready[below(ready.size())] : rec(), run);
    }
    // PSCI_COMPLETE, mostly for a REC that waits for one, naming a REC of its realm
    void psci_complete()
    {
        static const uint64_t status[] = {PSCI_SUCCESS, PSCI_DENIED, PSCI_ALREADY_ON,
                                          PSCI_INVALID_PARAMETERS};
        rmm_rec *c = chance(70) ? waiting(&rmm_rec::psci_pending) : nullptr;
        uint64_t caller = c ? c->addr : rec(), target = rec();
        if (c && chance(80))
            for (rmm_rec *t : recs())
                if (t->rd == c->rd && chance(50))
                    target = t->addr;
        rmi(RMI_PSCI_COMPLETE, caller, target, chance(90) ? status[below(4)] : rng_());
    }
    // RTT_SET_RIPAS, mostly over the range a REC asked for (or a part of it)
    void set_ripas(uint64_t d)
    {
        rmm_rec *c = chance(70) ? waiting(&rmm_rec::ripas_pending) : nullptr;
        if (!c) {
            uint64_t base = ipa(d);
            return rmi(RMI_RTT_SET_RIPAS, d, rec(), base, base + 0x1000 * (1 + below(8)));
        }
        uint64_t top = chance(70) ? c->ripas_top : c->ripas_addr + 0x1000 * (1 + below(4));
        rmi(RMI_RTT_SET_RIPAS, chance(90) ? c->rd : d, c->addr, c->ripas_addr, top);
    }

    // the realm of a DATA granule stores into it (owner 0: the fuzzer does not look it up)
    void realm_writes()
    {
        uint64_t pa = in_state(GRANULE_DATA);
        if (pa) {
            uint64_t at = pa + 8 * below(512);
            emit(Op::RealmData, at, secret_of(0, at));
        }
    }
    void host_access()
    {
        uint64_t pa = addr() & ~7ull;
        if (chance(50))
            emit(Op::HostStore, pa, rng_() & ~kSecretMask);
        else
            emit(Op::HostLoad, pa);
    }

    // What the realm does next when the RMM runs its REC: loads and stores at IPAs like those
    // the host maps, RSI calls (IPA_STATE_SET shares and unshares), PSCI calls naming other
    // RECs, any SMC; false: it takes the host's IRQ.
    bool realm_step(rmm_rec *rec, RealmStep *st)
    {
        static const uint64_t fids[] = {RSI_VERSION,
                                        RSI_FEATURES,
                                        RSI_MEASUREMENT_READ,
                                        RSI_MEASUREMENT_EXTEND,
                                        RSI_ATTESTATION_TOKEN_INIT,
                                        RSI_ATTESTATION_TOKEN_CONTINUE,
                                        RSI_REALM_CONFIG,
                                        RSI_IPA_STATE_SET,
                                        RSI_IPA_STATE_SET,
                                        RSI_IPA_STATE_GET,
                                        RSI_HOST_CALL,
                                        PSCI_VERSION,
                                        PSCI_FEATURES,
                                        PSCI_CPU_ON_64,
                                        PSCI_CPU_ON_64,
                                        PSCI_CPU_OFF,
                                        PSCI_AFFINITY_INFO_64,
                                        PSCI_CPU_SUSPEND_64,
                                        PSCI_SYSTEM_OFF,
                                        PSCI_SYSTEM_RESET};
        if (chance(30))
            return false;
        uint64_t half = 1ull << (rec->realm->ipa_bits - 1);
        auto realm_ipa = [&] {
            uint64_t a = below(4) * 0x20'0000 + below(4) * 0x1000;
            return chance(25) ? a + half : a;
        };
        *st = RealmStep{RealmStep::Smc, {}};
        if (chance(40)) {
            st->kind = chance(50) ? RealmStep::Store : RealmStep::Load;
            st->v[0] = realm_ipa() + 8 * below(512);
            st->v[1] = rng_();
            return true;
        }
        uint64_t fid = chance(95) ? fids[below(sizeof fids / sizeof fids[0])] : rng_();
        st->v[0] = fid;
        for (int i = 1; i < 10; i++) // a palette for whatever the call takes
            st->v[i] = chance(40) ? realm_ipa() : chance(50) ? below(8) : chance(50) ? 0 : rng_();
        if (fid == RSI_IPA_STATE_SET) { // base, top, RIPAS, flags (B5.3.9)
            st->v[2] = st->v[1] + 0x1000 * (chance(90) ? 1 + below(8) : below(3) * 0x1'0000);
            st->v[3] = chance(90) ? below(2) : below(4);
            st->v[4] = chance(90) ? below(2) : rng_();
        } else if (fid == PSCI_CPU_ON_64 || fid == PSCI_AFFINITY_INFO_64) {
            st->v[1] = chance(90) ? below(4) : rng_(); // target MPIDR
            st->v[2] = fid == PSCI_AFFINITY_INFO_64 && chance(90) ? 0 : st->v[2];
        }
        return true;
    }
};

} // namespace fuzz
