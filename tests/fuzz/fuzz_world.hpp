// The hostile-host fuzzer's world: the RMM over the fake platform of tests/rmm (a GPI per granule
// that every access is checked against, an EL3 that flips it), 256 delegable granules and a 64KB
// carve-out (GPI Secure, outside the RMM's DRAM) standing for the GPT and firmware. It runs
// operations (fuzz_ops.hpp) and judges them: the RMM's invariants (rmm/invariants.h) and the
// fuzzer's oracles. A REC_ENTER hands the PE to the realm, whose steps come from a generator in a
// live run or from the operation's record in a replay.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "fake_platform.hpp"
extern "C" {
#include "rmm/psci.h"
}
#include "fuzz_ops.hpp"

namespace fuzz
{

using namespace rmmtest;

constexpr uint64_t kBase = kDram, kGranules = 256, kSize = kGranules * 0x1000;
constexpr uint64_t kCarve = kBase + kSize, kCarveSize = 0x1'0000;
// A realm's data: the top 24 bits say "secret", bits [39:16] name the realm (its RD's frame).
constexpr uint64_t kSecret = 0x5EC2'E700'0000'0000ull, kSecretMask = 0xFFFF'FF00'0000'0000ull;
inline bool is_secret(uint64_t v)
{
    return (v & kSecretMask) == kSecret;
}
inline uint64_t secret_of(uint64_t rd, uint64_t pa)
{
    return kSecret | ((rd >> 12) & 0xFF'FFFF) << 16 | (pa >> 3 & 0xFFFF);
}
inline uint64_t secret_owner(uint64_t v)
{
    return ((v >> 16) & 0xFF'FFFF) << 12;
}

class World
{
  public:
    // Live runs: the next step of the realm on rec (false: it takes the host's IRQ).
    std::function<bool(rmm_rec *, RealmStep *)> realm_source;
    std::vector<std::string> found; // violations, as sentences
    uint64_t rmi_calls = 0, rmi_successes = 0, host_accesses = 0, host_faults = 0, realm_steps = 0,
             realm_accesses = 0, rsi_calls = 0, rec_exits = 0;

    World() { build(); }
    ~World() { rmm_fini(&r_); }
    World(const World &) = delete;
    World &operator=(const World &) = delete;

    void rebuild()
    {
        rmm_fini(&r_);
        build();
    }
    rmm &r() { return r_; }
    Env &env() { return env_; }

    granule_state state_of(uint64_t pa)
    {
        struct granule *g = (pa & 0xFFF) ? nullptr : granule_find(&r_.granules, pa);
        return g ? granule_state(g->state) : GRANULE_UNDELEGATED;
    }
    static bool delegable(uint64_t pa) { return pa - kBase < kSize && !(pa & 0xFFF); }

    // Run one operation and judge it (the RMM's invariants are separate: check()).
    void exec(Op &op, bool live)
    {
        switch (op.kind) {
        case Op::Rmi:
            return rmi(op, live);
        case Op::HostLoad:
        case Op::HostStore:
            return host_access(op);
        case Op::RealmData:
            env_.write(op.a[0], op.a[1]);
            return;
        }
    }
    void check()
    {
        std::pair<Env *, void *> ctx{&env_, &found};
        rmm_inv_env ie{&ctx, gpi_code, peek, collect};
        rmm_check_invariants(&r_, &ie);
        invariant_checks++;
    }
    uint64_t invariant_checks = 0;

  private:
    Env env_;
    rmm r_{};
    Op *entering_ = nullptr; // the REC_ENTER running its realm
    bool live_ = false;
    size_t next_step_ = 0;

    void build()
    {
        env_ = Env{};
        env_.owner = this;
        for (uint64_t pa = kCarve; pa < kCarve + kCarveSize; pa += 0x1000)
            env_.gpt[pa] = SECURE;
        rmm_env e{&env_,   access, gtsi_delegate, gtsi_undelegate, 40, &env_.cycles, 0, run_rec,
                  tlbi_s2, {},     nullptr};
        pa_range dram{kBase, kSize};
        if (!rmm_init(&r_, &e, &dram, 1))
            found.push_back("rmm_init failed");
    }

    // the argument that must have been in a state before a SUCCESS (B4.3: each command's
    // *_state failure condition)
    struct Pre {
        uint64_t fid;
        int arg;
        granule_state want;
    };

    void rmi(Op &op, bool live)
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
        uint64_t in[8] = {op.a[0], op.a[1], op.a[2], op.a[3], op.a[4], op.a[5], 0, 0}, out[8] = {};
        granule_state before[8];
        for (int i = 1; i < 6; i++)
            before[i] = delegable(in[i]) ? state_of(in[i]) : GRANULE_UNDELEGATED;
        std::string allowed = why_not_allowed(in);
        if (live)
            op.realm.clear();
        entering_ = &op;
        live_ = live;
        next_step_ = 0;
        rmm_handle_rmi(&r_, in, out);
        entering_ = nullptr;
        rmi_calls++;
        if (out[0] != 0)
            return;
        rmi_successes++;
        std::string call =
            op_text(Op{op.kind, op.action, {in[0], in[1], in[2], in[3], in[4], in[5]}});
        for (const Pre &p : pres)
            if (p.fid == in[0] && (!delegable(in[p.arg]) || before[p.arg] != p.want))
                found.push_back(
                    "RMI " + call + " succeeded on a granule that was " +
                    (delegable(in[p.arg]) ? granule_state_name(before[p.arg]) : "not delegable") +
                    ", not " + granule_state_name(p.want));
        if (!allowed.empty())
            found.push_back("RMI " + call + " succeeded although " + allowed);
        if (in[0] == RMI_GRANULE_UNDELEGATE) // A2.2.4: nothing of the realm's goes back to NS
            for (uint64_t at = in[1]; at < in[1] + 0x1000; at += 8)
                if (is_secret(env_.read(at))) {
                    found.push_back("granule " + hex(in[1]) +
                                    " went back to NS holding realm data");
                    break;
                }
        if (in[0] == RMI_REC_ENTER)
            rec_exits++;
    }

    // Before a call: a failure condition of its command (B4.3) on the state of its realm or REC
    // that forbids a SUCCESS, as a sentence; "" when none of these applies.
    std::string why_not_allowed(const uint64_t in[8])
    {
        rmm_realm *realm = delegable(in[1]) ? rmm_realm_at(&r_, in[1]) : nullptr;
        rmm_rec *rec = delegable(in[1]) ? rmm_rec_at(&r_, in[1]) : nullptr;
        auto state = [](rmm_realm *r) { return std::string(realm_state_name(r->state)); };
        switch (in[0]) {
        case RMI_REALM_ACTIVATE: // realm_state (B4.3.8)
        case RMI_REC_CREATE:     // realm_state (B4.3.12)
        case RMI_DATA_CREATE:    // realm_state (B4.3.1)
        case RMI_RTT_INIT_RIPAS: // realm_state (B4.3.18)
            return realm && realm->state != REALM_NEW ? "its realm was " + state(realm) : "";
        case RMI_REC_ENTER: // realm_state, rec_runnable, rec_psci (B4.3.14)
            if (!rec)
                return "";
            if (rec->realm->state != REALM_ACTIVE)
                return "the REC's realm was " + state(rec->realm);
            if (!rec->runnable)
                return "the REC was not runnable";
            return rec->psci_pending ? "the REC had a PSCI request pending" : "";
        case RMI_PSCI_COMPLETE: // pending (B4.3.7)
            return rec && !rec->psci_pending ? "the calling REC had no PSCI request pending" : "";
        case RMI_RTT_SET_RIPAS: { // base_bound, top_bound (B4.3.21)
            rmm_rec *c = delegable(in[2]) ? rmm_rec_at(&r_, in[2]) : nullptr;
            if (c && in[3] != c->ripas_addr)
                return "its base " + hex(in[3]) + " was not the REC's next RIPAS address " +
                       hex(c->ripas_addr);
            return c && in[4] > c->ripas_top
                       ? "its top " + hex(in[4]) + " was above the REC's " + hex(c->ripas_top)
                       : "";
        }
        default:
            return "";
        }
    }

    void host_access(const Op &op)
    {
        uint64_t pa = op.a[0], v = op.a[1];
        bool write = op.kind == Op::HostStore;
        granule_state st =
            delegable(pa & ~0xFFFull) ? state_of(pa & ~0xFFFull) : GRANULE_UNDELEGATED;
        rmm_mem_result res = access(&env_, pa, RME_PAS_NS, write, &v);
        host_accesses++;
        if (res != RMM_MEM_OK) {
            host_faults++;
            return;
        }
        if (st != GRANULE_UNDELEGATED) // the GPC must stop an NS access to a delegated granule
            found.push_back("host NS access to " + std::string(granule_state_name(st)) +
                            " granule " + hex(pa) + " succeeded");
        if (pa - kCarve < kCarveSize)
            found.push_back("host NS access to the carve-out at " + hex(pa) + " succeeded");
        if (!write && is_secret(v))
            found.push_back("host load at " + hex(pa) + " read realm data " + hex(v));
    }

    // rmm_env.run_rec: the realm runs until it traps to R-EL2 (an SMC, a stage-2 abort) or
    // takes the host's IRQ. Loads and stores its stage 2 maps complete without a trap.
    static void run_rec(void *ctx, rmm_rec *rec, rmm_trap *trap)
    {
        static_cast<World *>(static_cast<Env *>(ctx)->owner)->run_realm(rec, trap);
    }
    void run_realm(rmm_rec *rec, rmm_trap *trap)
    {
        trap->kind = RMM_TRAP_IRQ;
        for (;;) {
            RealmStep st;
            if (!entering_)
                return;
            if (live_) {
                if (entering_->realm.size() >= 12 || !realm_source || !realm_source(rec, &st))
                    return;
                entering_->realm.push_back(st);
            } else {
                if (next_step_ >= entering_->realm.size())
                    return;
                st = entering_->realm[next_step_++];
            }
            realm_steps++;
            if (st.kind == RealmStep::Smc) {
                std::copy(st.v, st.v + 10, rec->gprs);
                rsi_calls++;
                *trap = {RMM_TRAP_SMC, 0x17ull << 26, 0, 0}; // EC 0x17: SMC from AArch64
                return;
            }
            if (!realm_access(rec, st, trap))
                return;
        }
    }

    // A load or store at an IPA through the realm's stage 2, as the MMU would make it: a valid
    // descriptor lets it through to its PA (GPC-checked for the PAS of the entry); otherwise the
    // realm takes a stage-2 translation fault at the level the walk stopped (ISV set for the
    // unprotected half, as an emulatable MMIO access). True: it completed.
    bool realm_access(rmm_rec *rec, const RealmStep &st, rmm_trap *trap)
    {
        rmm_realm *realm = rec->realm;
        uint64_t ipa = st.v[0] & ~7ull, half = 1ull << (realm->ipa_bits - 1);
        bool store = st.kind == RealmStep::Store, prot = ipa < half;
        rtt_entry_info e{};
        if (ipa >= 2 * half || !rmm_rtt_entry(&r_, rec->rd, ipa, 3, &e))
            return false; // no IPA the realm's stage 1 could make: it takes the IRQ instead
        realm_accesses++;
        if (!(e.desc & 1)) {
            uint64_t esr = (0x24ull << 26) | (1ull << 25) | (0x04 + unsigned(e.level));
            if (!prot) // ISV, SAS doubleword, SRT x1, SF, WnR
                esr |= (1ull << 24) | (3ull << 22) | (1ull << 16) | (1ull << 15) |
                       (store ? 1ull << 6 : 0);
            else if (store)
                esr |= 1ull << 6;
            *trap = {RMM_TRAP_DATA_ABORT, esr, ipa, (ipa >> 12) << 4};
            return false;
        }
        unsigned shift = 12 + 9 * (3 - unsigned(e.level));
        uint64_t span = 1ull << shift,
                 pa = (e.desc & 0xFFFF'FFFF'F000ull & ~(span - 1)) | (ipa & (span - 1));
        uint64_t v = store ? (prot ? secret_of(rec->rd, pa) : st.v[1] & ~kSecretMask) : 0;
        if (access(&env_, pa, prot ? RME_PAS_REALM : RME_PAS_NS, store, &v) != RMM_MEM_OK) {
            if (prot) // a valid protected entry maps a DATA granule: the GPC must let it by
                found.push_back("realm " + hex(rec->rd) + " took a GPF at IPA " + hex(ipa) +
                                " (PA " + hex(pa) + ") through a valid protected entry");
            return false; // an unprotected entry may name anything: the GPF ends the run
        }
        // (owner 0: written by a RealmData operation, whose realm the fuzzer did not look up)
        if (!store && is_secret(v) && (!prot || (secret_owner(v) && secret_owner(v) != rec->rd)))
            found.push_back("realm " + hex(rec->rd) + " read " +
                            (prot ? "realm " + hex(secret_owner(v)) + "'s data" : "realm data") +
                            " at IPA " + hex(ipa) + " (PA " + hex(pa) + ")");
        return true;
    }
};

} // namespace fuzz
