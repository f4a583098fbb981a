// A realm the RMM runs as a script: each time the RMM runs the REC, the next scripted trap
// happens (a data abort, an SMC with its registers, or the host's IRQ when the script is empty).
// For tests of REC entry and exit and of the RSI calls.
#pragma once

#include <deque>
#include <functional>
#include <vector>

#include "fake_platform.hpp"

namespace rmmtest
{

constexpr uint64_t kUnprot = 1ull << 39;
constexpr uint64_t kEcDabtLower = 0x24ull << 26, kIl = 1ull << 25, kIsv = 1ull << 24;
constexpr uint64_t kSf = 1ull << 15, kWnR = 1ull << 6, kSse = 1ull << 21;
inline uint64_t sas(unsigned log2)
{
    return uint64_t(log2) << 22;
}
inline uint64_t srt(unsigned reg)
{
    return uint64_t(reg) << 16;
}
inline uint64_t hpfar(uint64_t ipa)
{
    return (ipa >> 12) << 4;
}

struct Run : RmmFixture {
    // one entry per run of the REC: what the realm does before it traps, and the trap
    struct Step {
        std::function<void(rmm_rec *)> before;
        rmm_trap trap;
    };
    std::deque<Step> script;
    std::vector<uint64_t> pcs; // the PC each time the realm was (re)entered
    uint64_t rd = 0, rec = 0, run = 0;

    static void run_rec(void *ctx, rmm_rec *rec, rmm_trap *trap)
    {
        auto *self = static_cast<Run *>(static_cast<Env *>(ctx)->owner);
        self->pcs.push_back(rec->pc);
        if (self->script.empty()) {
            trap->kind = RMM_TRAP_IRQ;
            return;
        }
        Step s = self->script.front();
        self->script.pop_front();
        if (s.before)
            s.before(rec);
        *trap = s.trap;
    }
    void SetUp() override
    {
        env.owner = this;
        RmmFixture::SetUp();
        r.env.run_rec = &Run::run_rec;
        rd = new_realm();
        rec = delegated();
        ASSERT_EQ(call(RMI_REC_CREATE, rd, rec, rec_params(0, 0x4000'0000)), 0u);
        run = page();
    }
    void activate() { ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u); }
    uint64_t enter(uint64_t flags = 0, uint64_t gpr0 = 0)
    {
        env.mem[run + RMI_ENTER_FLAGS] = flags;
        env.mem[run + RMI_ENTER_GPRS] = gpr0;
        return call(RMI_REC_ENTER, rec, run);
    }
    uint64_t exit_field(uint64_t off) { return env.read(run + off); }
    rmm_rec *c() { return rmm_rec_at(&r, rec); }
    void data_abort(uint64_t esr, uint64_t ipa, uint64_t far = 0,
                    std::function<void(rmm_rec *)> before = nullptr)
    {
        script.push_back({before, {RMM_TRAP_DATA_ABORT, esr, far, hpfar(ipa)}});
    }
    void smc(std::function<void(rmm_rec *)> set_regs)
    {
        script.push_back({set_regs, {RMM_TRAP_SMC, 0x17ull << 26, 0, 0}});
    }
    // a page of RAM at ipa, backed by a data granule; returns the granule
    uint64_t ram_page(uint64_t ipa)
    {
        rtts_to(rd, ipa, 3);
        EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, ipa, ipa + 0x1000), 0u);
        uint64_t data = delegated();
        EXPECT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, data, ipa), 0u);
        return data;
    }
};

} // namespace rmmtest
