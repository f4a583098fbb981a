// RMI_REC_ENTER and what a running realm traps with: the entry checks (B4.3.14), abort
// classification into REC exits or SEAs (A4.3.4, A5.2.3), MMIO completion (A4.2.3), RSI calls
// (B5.3) and the RIPAS change round trip with RMI_RTT_SET_RIPAS (A5.4, B4.3.21). The realm is a
// script: each time the RMM runs it, the next scripted trap happens.
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <deque>
#include <functional>

#include "run_fixture.hpp"

extern "C" {
#include "rmm/psci.h"
}

namespace
{

using namespace rmmtest;

TEST_F(Run, EntryFailureConditions)
{
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_REC_ENTER, rec, run + 8), input);     // run_align
    EXPECT_EQ(call(RMI_REC_ENTER, rec, 0x1000), input);      // run_bound
    EXPECT_EQ(call(RMI_REC_ENTER, rec, delegated()), input); // run_pas
    EXPECT_EQ(call(RMI_REC_ENTER, rec + 8, run), input);     // rec_align
    EXPECT_EQ(call(RMI_REC_ENTER, delegated(), run), input); // rec_gran_state
    EXPECT_EQ(enter(), code(RMI_ERROR_REALM, 0));            // realm_new
    // [rec_gran_state] < [realm_new]
    EXPECT_EQ(call(RMI_REC_ENTER, rd, run), input);
    activate();
    EXPECT_EQ(enter(RMI_ENTER_EMUL_MMIO), code(RMI_ERROR_REC)); // rec_mmio
    env.mem[run + RMI_ENTER_GICV3_HCR] = 1;                     // En is the RMM's
    EXPECT_EQ(enter(), code(RMI_ERROR_REC));                    // rec_gicv3
    env.mem[run + RMI_ENTER_GICV3_HCR] = 1ull << 14;            // TDIR may be set
    EXPECT_EQ(enter(), 0u);
    EXPECT_EQ(pcs.size(), 1u); // the only entry that ran the realm
}

TEST_F(Run, EntryOrderings)
{
    // [run_*, rec_*] < [realm_new, system_off, rec_state, rec_runnable, rec_mmio, rec_gicv3,
    // rec_psci] (B4.3.14.2): the realm is still NEW here
    EXPECT_EQ(call(RMI_REC_ENTER, rec, delegated()), code(RMI_ERROR_INPUT)); // run_pas
    EXPECT_EQ(call(RMI_REC_ENTER, rec, 0x1000), code(RMI_ERROR_INPUT));      // run_bound
    EXPECT_EQ(enter(), code(RMI_ERROR_REALM, 0));
    activate();
    env.mem[run + RMI_ENTER_GICV3_HCR] = 1;
    EXPECT_EQ(call(RMI_REC_ENTER, rec + 8, run), code(RMI_ERROR_INPUT)); // rec_align + gicv3
    EXPECT_EQ(enter(), code(RMI_ERROR_REC));
}

TEST_F(Run, SetRipasOrderings)
{
    uint64_t base = 0x4000'0000;
    rtts_to(rd, base, 2); // level-2 entries only: a 4KB change cannot start inside one
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, base, base + (2ull << 20)), 0u);
    uint64_t rd2 = new_realm(2), other = delegated();
    ASSERT_EQ(call(RMI_REC_CREATE, rd2, other, rec_params(0)), 0u);
    activate();
    smc([&](rmm_rec *c) {
        c->gprs[0] = RSI_IPA_STATE_SET, c->gprs[1] = base + 0x1000, c->gprs[2] = base + 0x2000,
        c->gprs[3] = RSI_RIPAS_EMPTY, c->gprs[4] = 0;
    });
    ASSERT_EQ(enter(), 0u);
    const uint64_t input = code(RMI_ERROR_INPUT);
    // base_align alone: the 2MB entry holding base + 4K has another RIPAS
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base + 0x1000, base + 0x2000),
              code(RMI_ERROR_RTT, 2));
    // [rd_*] < [base_align]; [base_bound] < [base_align]
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd + 8, rec, base + 0x1000, base + 0x2000), input);
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base + 0x3000, base + 0x4000), input);
    // [rec_bound, rec_gran_state] < [rec_owner]: another realm's REC, given unaligned
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, other, base + 0x1000, base + 0x2000),
              code(RMI_ERROR_REC));
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, other + 8, base + 0x1000, base + 0x2000), input);
    // [top_gran_align] < [no_progress]
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base + 0x1000, base + 0x1800), input);
}

TEST_F(Run, NotRunnableRec)
{
    // a second REC created NOT_RUNNABLE (a secondary vCPU before PSCI_CPU_ON)
    uint64_t idle = delegated(), params = rec_params(1);
    env.mem[params + RMI_REC_PARAMS_FLAGS] = 0;
    ASSERT_EQ(call(RMI_REC_CREATE, rd, idle, params), 0u);
    activate();
    EXPECT_EQ(call(RMI_REC_ENTER, idle, run), code(RMI_ERROR_REC)); // rec_runnable
    EXPECT_EQ(enter(), 0u);                                         // the runnable one runs
}

TEST_F(Run, RecAlreadyRunning)
{
    activate();
    uint64_t nested = ~0ull;
    // while the REC runs (on another PE), entering it again is rec_state
    script.push_back(
        {[&](rmm_rec *) { nested = call(RMI_REC_ENTER, rec, page()); }, {RMM_TRAP_IRQ, 0, 0, 0}});
    EXPECT_EQ(enter(), 0u);
    EXPECT_EQ(nested, code(RMI_ERROR_REC));
    EXPECT_EQ(call(RMI_REC_DESTROY, rec), 0u); // not running any more
}

TEST_F(Run, IrqExit)
{
    activate();
    EXPECT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_IRQ));
    EXPECT_EQ(exit_field(RMI_EXIT_ESR), 0u);
    EXPECT_EQ(pcs.at(0), 0x4000'0000u); // from RmiRecParams.pc
}

TEST_F(Run, EmulatableWriteAndItsCompletion)
{
    activate();
    uint64_t ipa = kUnprot | 0x10'0000;
    // STR W5, [x]: 4 bytes from X5, translation fault at level 1 (nothing mapped there)
    uint64_t esr = kEcDabtLower | kIl | kIsv | sas(2) | srt(5) | kWnR | 0x05;
    data_abort(esr, ipa, 0xffff'8000'0010'0024, [](rmm_rec *c) { c->gprs[5] = 0x1122'3344'5566; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_SYNC));
    // EC, ISV, SAS, WnR, FSC; never IL, SRT (A4.3.4)
    EXPECT_EQ(exit_field(RMI_EXIT_ESR), kEcDabtLower | kIsv | sas(2) | kWnR | 0x05);
    EXPECT_EQ(exit_field(RMI_EXIT_FAR), 0x024u); // the page offset only
    EXPECT_EQ(exit_field(RMI_EXIT_HPFAR), hpfar(ipa));
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS), 0x3344'5566u); // X5 cut to the access size
    uint64_t pc = c()->pc;
    ASSERT_EQ(enter(RMI_ENTER_EMUL_MMIO), 0u);
    EXPECT_EQ(pcs.back(), pc + 4); // the store is done: the RMM stepped over it
    // the next entry without an emulatable exit before it may not claim emulation
    EXPECT_EQ(enter(RMI_ENTER_EMUL_MMIO), code(RMI_ERROR_REC));
}

TEST_F(Run, EmulatedReadSignExtendsIntoXt)
{
    activate();
    // LDRSH W3: halfword, sign-extended, a W register (SF = 0)
    uint64_t esr = kEcDabtLower | kIl | kIsv | sas(1) | kSse | srt(3) | 0x05;
    data_abort(esr, kUnprot | 0x10'0000);
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS), 0u); // nothing to give for a read
    ASSERT_EQ(enter(RMI_ENTER_EMUL_MMIO, 0xAB'8001), 0u);
    EXPECT_EQ(c()->gprs[3], 0xFFFF'8001u);
    // LDR X4 of 8 bytes
    data_abort(kEcDabtLower | kIl | kIsv | sas(3) | kSf | srt(4) | 0x05, kUnprot | 0x10'0000);
    ASSERT_EQ(enter(), 0u);
    ASSERT_EQ(enter(RMI_ENTER_EMUL_MMIO, 0x0123'4567'89ab'cdef), 0u);
    EXPECT_EQ(c()->gprs[4], 0x0123'4567'89ab'cdefu);
}

TEST_F(Run, ProtectedAbortsByRipas)
{
    uint64_t ram = 0x4000'0000, destroyed = 0x4000'1000, empty = 0x4000'2000;
    rtts_to(rd, ram, 3);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, ram, ram + 0x2000), 0u);
    ram_page(destroyed);
    ASSERT_EQ(call(RMI_DATA_DESTROY, rd, destroyed), 0u); // RAM -> DESTROYED
    activate();
    uint64_t esr = kEcDabtLower | kIl | kIsv | sas(3) | kSf | srt(1) | kWnR | 0x07;
    // RIPAS RAM, no granule: exit, non-emulatable: only EC, SET, FnV, EA, FSC; FAR 0
    data_abort(esr, ram, 0xffff'0000'0000'0010);
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_SYNC));
    EXPECT_EQ(exit_field(RMI_EXIT_ESR), kEcDabtLower | 0x07);
    EXPECT_EQ(exit_field(RMI_EXIT_FAR), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_HPFAR), hpfar(ram));
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS), 0u);
    EXPECT_EQ(enter(RMI_ENTER_EMUL_MMIO), code(RMI_ERROR_REC)); // not emulatable
    // RIPAS DESTROYED: the same kind of exit
    data_abort(esr, destroyed);
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_SYNC));
    EXPECT_EQ(exit_field(RMI_EXIT_HPFAR), hpfar(destroyed));
    // RIPAS EMPTY: an SEA in the realm, no exit for it (the run ends with the IRQ)
    data_abort(esr, empty, 0xffff'0000'0000'2000);
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_IRQ));
    EXPECT_TRUE(c()->sea_injected);
    EXPECT_EQ(c()->el1.esr >> 26, 0x25u);  // a data abort at the same EL
    EXPECT_EQ(c()->el1.esr & 0x3F, 0x10u); // synchronous external abort
    EXPECT_EQ(c()->el1.esr >> 9 & 1, 1u);  // EA
    EXPECT_EQ(c()->el1.far, 0xffff'0000'0000'2000u);
    EXPECT_EQ(pcs.back(), c()->el1.vbar + 0x200);
}

TEST_F(Run, UnprotectedAbortsThatCannotBeEmulated)
{
    activate();
    // ISV = 0 (a load pair, say): exit with IL, no emulation (A4.3.4; TF-RMM main)
    data_abort(kEcDabtLower | kIl | 0x05, kUnprot | 0x10'0000, 0x123);
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_ESR), kEcDabtLower | kIl | 0x05);
    EXPECT_EQ(exit_field(RMI_EXIT_FAR), 0u);
    EXPECT_EQ(enter(RMI_ENTER_EMUL_MMIO), code(RMI_ERROR_REC));
    // the host answers it with an SEA
    data_abort(kEcDabtLower | kIl | 0x05, kUnprot | 0x10'0000, 0x4567);
    ASSERT_EQ(enter(), 0u);
    ASSERT_EQ(enter(RMI_ENTER_INJECT_SEA), 0u);
    EXPECT_TRUE(c()->sea_injected);
    EXPECT_EQ(c()->el1.far, 0x4567u);
    // outside the IPA space: an SEA, no exit
    c()->sea_injected = false;
    data_abort(kEcDabtLower | kIl | kIsv | 0x04, 1ull << 40);
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_IRQ));
    EXPECT_TRUE(c()->sea_injected);
    // an instruction fetch from the unprotected half: an SEA (EC 0x21)
    c()->sea_injected = false;
    script.push_back(
        {nullptr, {RMM_TRAP_INSTR_ABORT, (0x20ull << 26) | kIl | 0x05, 0, hpfar(kUnprot)}});
    ASSERT_EQ(enter(), 0u);
    EXPECT_TRUE(c()->sea_injected);
    EXPECT_EQ(c()->el1.esr >> 26, 0x21u);
}

TEST_F(Run, RealmConfig)
{
    uint64_t buf = 0x4000'0000, unmapped = 0x4000'1000;
    uint64_t data = ram_page(buf);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, unmapped, unmapped + 0x1000), 0u);
    activate();
    smc([&](rmm_rec *c) { c->gprs[0] = RSI_REALM_CONFIG, c->gprs[1] = buf; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(c()->gprs[0], RSI_SUCCESS);
    EXPECT_EQ(env.read(data + RSI_CONFIG_IPA_WIDTH), 40u);
    EXPECT_EQ(pcs.back(), 0x4000'0004u); // resumed after the SMC
    // RIPAS RAM without a granule: a faked stage-2 abort, the SMC not yet done
    uint64_t before = c()->pc;
    smc([&](rmm_rec *c) { c->gprs[0] = RSI_REALM_CONFIG, c->gprs[1] = unmapped; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_SYNC));
    EXPECT_EQ(exit_field(RMI_EXIT_ESR), kEcDabtLower | 0x07); // translation fault, level 3
    EXPECT_EQ(exit_field(RMI_EXIT_HPFAR), hpfar(unmapped));
    EXPECT_EQ(c()->pc, before);
    // unaligned, unprotected, RIPAS EMPTY: RSI_ERROR_INPUT
    for (uint64_t bad : std::vector<uint64_t>{buf + 8, kUnprot, 0x4010'0000}) {
        smc([&](rmm_rec *c) { c->gprs[0] = RSI_REALM_CONFIG, c->gprs[1] = bad; });
        ASSERT_EQ(enter(), 0u);
        EXPECT_EQ(c()->gprs[0], RSI_ERROR_INPUT) << std::hex << bad;
    }
    // an SMC that is neither RSI nor PSCI
    smc([](rmm_rec *c) { c->gprs[0] = 0xC400'0150; }); // an RMI FID from a realm
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(c()->gprs[0], SMCCC_NOT_SUPPORTED);
}

TEST_F(Run, RipasChangeRoundTrip)
{
    uint64_t base = 0x4000'0000, top = 0x4000'4000;
    rtts_to(rd, base, 3);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, base, top), 0u);
    activate();
    // bad requests come straight back: top <= base, unprotected, RIPAS DESTROYED
    for (auto regs : std::vector<std::array<uint64_t, 3>>{
             {base, base, 0}, {kUnprot, kUnprot + 0x1000, 0}, {base, top, 2}}) {
        smc([&](rmm_rec *c) {
            c->gprs[0] = RSI_IPA_STATE_SET, c->gprs[1] = regs[0], c->gprs[2] = regs[1],
            c->gprs[3] = regs[2], c->gprs[4] = 0;
        });
        ASSERT_EQ(enter(), 0u);
        EXPECT_EQ(c()->gprs[0], RSI_ERROR_INPUT);
    }
    smc([&](rmm_rec *c) {
        c->gprs[0] = RSI_IPA_STATE_SET, c->gprs[1] = base, c->gprs[2] = top,
        c->gprs[3] = RSI_RIPAS_EMPTY, c->gprs[4] = RSI_CHANGE_DESTROYED;
    });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_RIPAS_CHANGE));
    EXPECT_EQ(exit_field(RMI_EXIT_RIPAS_BASE), base);
    EXPECT_EQ(exit_field(RMI_EXIT_RIPAS_TOP), top);
    EXPECT_EQ(exit_field(RMI_EXIT_RIPAS_VALUE), uint64_t(RMI_RIPAS_EMPTY));
    // RMI_RTT_SET_RIPAS failure conditions
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base + 0x1000, top), input); // base_bound
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base, top + 0x1000), input); // top_bound
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base, base), input);         // size_valid
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base, top - 8), input);      // top_gran_align
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rd, base, top), input);           // rec_gran_state
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rec, rec, base, top), input);         // rd_state
    // rec_owner: a REC of another realm
    uint64_t rd2 = new_realm(2), rec2 = delegated();
    ASSERT_EQ(call(RMI_REC_CREATE, rd2, rec2, rec_params(0)), 0u);
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd2, rec, base, top), code(RMI_ERROR_REC));
    // in two calls, as a host may
    uint64_t out[8];
    ASSERT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base, base + 0x1000, 0, out), 0u);
    EXPECT_EQ(out[1], base + 0x1000);
    ASSERT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base + 0x1000, top, 0, out), 0u);
    EXPECT_EQ(out[1], top);
    rtt_entry_info e{};
    ASSERT_TRUE(rmm_rtt_entry(&r, rd, base + 0x3000, 3, &e));
    EXPECT_EQ(e.ripas, RMI_RIPAS_EMPTY);
    // the realm learns how far it went, and that it was accepted
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(c()->gprs[0], RSI_SUCCESS);
    EXPECT_EQ(c()->gprs[1], top);
    EXPECT_EQ(c()->gprs[2], RSI_ACCEPT);
    // back to RAM, and the host rejects it without doing anything
    smc([&](rmm_rec *c) {
        c->gprs[0] = RSI_IPA_STATE_SET, c->gprs[1] = base, c->gprs[2] = top,
        c->gprs[3] = RSI_RIPAS_RAM, c->gprs[4] = 0;
    });
    ASSERT_EQ(enter(), 0u);
    ASSERT_EQ(enter(RMI_ENTER_RIPAS_RESPONSE), 0u);
    EXPECT_EQ(c()->gprs[1], base);
    EXPECT_EQ(c()->gprs[2], RSI_REJECT);
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, base, top), input); // nothing pending now
}

TEST_F(Run, PsciCpuOnAndItsCompletion)
{
    // a second REC, not runnable; a REC of another realm
    uint64_t rec1 = delegated(), p1 = rec_params(1);
    env.mem[p1 + RMI_REC_PARAMS_FLAGS] = 0;
    ASSERT_EQ(call(RMI_REC_CREATE, rd, rec1, p1), 0u);
    uint64_t rd2 = new_realm(2), other = delegated();
    ASSERT_EQ(call(RMI_REC_CREATE, rd2, other, rec_params(0)), 0u);
    activate();
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, rec1, PSCI_SUCCESS), input); // pending: none
    // CPU_ON(target MPIDR 1, entry, context): a PSCI exit with FID and MPIDR, PC past the SMC
    smc([](rmm_rec *c) {
        c->gprs[0] = PSCI_CPU_ON_64, c->gprs[1] = 1, c->gprs[2] = 0x4000'2000, c->gprs[3] = 0x77;
    });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_PSCI));
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS), PSCI_CPU_ON_64);
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS + 8), 1u);
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS + 16), 0u); // only FID and MPIDR go to the host
    EXPECT_EQ(enter(), code(RMI_ERROR_REC));       // rec_psci: complete it first
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, rec, PSCI_SUCCESS), input);             // alias
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec + 8, rec1, PSCI_SUCCESS), input);        // calling_align
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rd, rec1, PSCI_SUCCESS), input);             // calling_state
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, delegated(), PSCI_SUCCESS), input);     // target_state
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, other, PSCI_SUCCESS), input);           // owner
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, rec1, PSCI_INVALID_PARAMETERS), input); // status
    EXPECT_FALSE(rmm_rec_at(&r, rec1)->runnable); // nothing happened
    ASSERT_EQ(call(RMI_PSCI_COMPLETE, rec, rec1, PSCI_SUCCESS), 0u);
    rmm_rec *t = rmm_rec_at(&r, rec1);
    EXPECT_TRUE(t->runnable);
    EXPECT_EQ(t->pc, 0x4000'2000u);
    EXPECT_EQ(t->gprs[0], 0x77u); // the context id
    EXPECT_EQ(c()->gprs[0], PSCI_SUCCESS);
    EXPECT_EQ(c()->gprs[1], 0u);
    // target: the completion must name the REC the MPIDR names
    smc([](rmm_rec *c) { c->gprs[0] = PSCI_AFFINITY_INFO_64, c->gprs[1] = 1, c->gprs[2] = 0; });
    ASSERT_EQ(enter(), 0u);
    uint64_t rec2 = delegated(); // not a REC of this realm's index 1
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, rec2, PSCI_SUCCESS), input);
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, rec1, PSCI_DENIED), input); // only SUCCESS here
    ASSERT_EQ(call(RMI_PSCI_COMPLETE, rec, rec1, PSCI_SUCCESS), 0u);
    EXPECT_EQ(c()->gprs[0], PSCI_AFFINITY_ON);
    // CPU_ON again: already on; a denial of an on CPU is not permitted
    smc([](rmm_rec *c) { c->gprs[0] = PSCI_CPU_ON_64, c->gprs[1] = 1, c->gprs[2] = 0x4000'0000; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(call(RMI_PSCI_COMPLETE, rec, rec1, PSCI_DENIED), input);
    ASSERT_EQ(call(RMI_PSCI_COMPLETE, rec, rec1, PSCI_SUCCESS), 0u);
    EXPECT_EQ(c()->gprs[0], PSCI_ALREADY_ON);
}

TEST_F(Run, PsciCallsTheRmmAnswers)
{
    activate();
    struct Case {
        uint64_t x0, x1, x2, want;
    } cases[] = {
        {PSCI_VERSION, 0, 0, PSCI_VERSION_1_1},
        {PSCI_FEATURES, PSCI_CPU_ON_64, 0, PSCI_SUCCESS},
        {PSCI_FEATURES, 0x84000005, 0, PSCI_NOT_SUPPORTED},        // CPU_FREEZE
        {PSCI_CPU_ON_64, 0, 0x4000'0000, PSCI_ALREADY_ON},         // itself
        {PSCI_CPU_ON_64, 7, 0x4000'0000, PSCI_INVALID_PARAMETERS}, // no such REC
        {PSCI_CPU_ON_64, 1, kUnprot, PSCI_INVALID_ADDRESS},        // entry not protected
        {PSCI_AFFINITY_INFO_64, 0, 1, PSCI_INVALID_PARAMETERS},    // lowest level 1
        {PSCI_AFFINITY_INFO_64, 0, 0, PSCI_AFFINITY_ON},           // itself
        {0x8400'0005, 0, 0, PSCI_NOT_SUPPORTED},
    };
    for (const Case &k : cases) {
        smc([&](rmm_rec *c) { c->gprs[0] = k.x0, c->gprs[1] = k.x1, c->gprs[2] = k.x2; });
        ASSERT_EQ(enter(), 0u);
        EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_IRQ)) << std::hex << k.x0;
        EXPECT_EQ(c()->gprs[0], k.want) << std::hex << k.x0 << " " << k.x1;
    }
}

TEST_F(Run, CpuOff)
{
    activate();
    smc([](rmm_rec *c) { c->gprs[0] = PSCI_CPU_OFF; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_PSCI));
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS), PSCI_CPU_OFF);
    EXPECT_EQ(enter(), code(RMI_ERROR_REC)); // not runnable any more
}

TEST_F(Run, SystemOff)
{
    activate();
    smc([](rmm_rec *c) { c->gprs[0] = PSCI_SYSTEM_OFF; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_PSCI));
    EXPECT_EQ(rmm_realm_at(&r, rd)->state, REALM_SYSTEM_OFF);
    EXPECT_EQ(enter(), code(RMI_ERROR_REALM, 1)); // system_off
    // [rec_gran_state] < [system_off]
    EXPECT_EQ(call(RMI_REC_ENTER, rd, run), code(RMI_ERROR_INPUT));
}

TEST_F(Run, HostCallRoundTrip)
{
    uint64_t buf = 0x4000'0000, unmapped = 0x4000'1000;
    uint64_t data = ram_page(buf);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, unmapped, unmapped + 0x1000), 0u);
    activate();
    env.mem[data + 0x100 + RSI_HOST_CALL_IMM] = 0x1234'0042; // imm is 16 bits
    env.mem[data + 0x100 + RSI_HOST_CALL_GPRS] = 0xaa;
    env.mem[data + 0x100 + RSI_HOST_CALL_GPRS + 8 * 30] = 0xbb;
    smc([&](rmm_rec *c) { c->gprs[0] = RSI_HOST_CALL, c->gprs[1] = buf + 0x100; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_HOST_CALL));
    EXPECT_EQ(exit_field(RMI_EXIT_IMM), 0x42u);
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS), 0xaau);
    EXPECT_EQ(exit_field(RMI_EXIT_GPRS + 8 * 30), 0xbbu);
    uint64_t pc = c()->pc;
    // the answer: enter.gprs[0..30] into the buffer, X0 = SUCCESS
    env.mem[run + RMI_ENTER_GPRS + 8 * 5] = 0x55;
    ASSERT_EQ(enter(0, 0x77), 0u);
    EXPECT_EQ(env.read(data + 0x100 + RSI_HOST_CALL_GPRS), 0x77u);
    EXPECT_EQ(env.read(data + 0x100 + RSI_HOST_CALL_GPRS + 8 * 5), 0x55u);
    EXPECT_EQ(c()->gprs[0], RSI_SUCCESS);
    EXPECT_EQ(pcs.back(), pc); // resumed after the SMC
    EXPECT_FALSE(c()->host_call_pending);
    // unaligned, unprotected, RIPAS EMPTY: RSI_ERROR_INPUT, no exit
    for (uint64_t bad : std::vector<uint64_t>{buf + 8, kUnprot, 0x4010'0000}) {
        smc([&](rmm_rec *c) { c->gprs[0] = RSI_HOST_CALL, c->gprs[1] = bad; });
        ASSERT_EQ(enter(), 0u);
        EXPECT_EQ(c()->gprs[0], RSI_ERROR_INPUT) << std::hex << bad;
        EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_IRQ));
    }
    // RIPAS RAM without a granule: a faked abort on the buffer, the SMC to be retried
    uint64_t before = c()->pc;
    smc([&](rmm_rec *c) { c->gprs[0] = RSI_HOST_CALL, c->gprs[1] = unmapped + 0x200; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_SYNC));
    EXPECT_EQ(exit_field(RMI_EXIT_HPFAR), hpfar(unmapped));
    EXPECT_EQ(c()->pc, before);
}

TEST_F(Run, MeasurementReadAndExtend)
{
    activate();
    // read the RIM: X1..X8, little-endian
    smc([](rmm_rec *c) { c->gprs[0] = RSI_MEASUREMENT_READ, c->gprs[1] = 0; });
    ASSERT_EQ(enter(), 0u);
    ASSERT_EQ(c()->gprs[0], RSI_SUCCESS);
    const uint8_t *rim = rmm_realm_at(&r, rd)->measurements[0];
    uint64_t first = 0;
    for (int b = 0; b < 8; b++)
        first |= uint64_t(rim[b]) << (8 * b);
    EXPECT_EQ(c()->gprs[1], first);
    EXPECT_NE(first, 0u);
    EXPECT_EQ(c()->gprs[5], 0u); // SHA-256: 32 bytes, the rest zero
    // extend REM1 with 4 bytes: REM1 = SHA-256(REM1 (32 zero bytes) || the 4 bytes)
    smc([](rmm_rec *c) {
        c->gprs[0] = RSI_MEASUREMENT_EXTEND, c->gprs[1] = 1, c->gprs[2] = 4,
        c->gprs[3] = 0xddccbbaa;
    });
    ASSERT_EQ(enter(), 0u);
    ASSERT_EQ(c()->gprs[0], RSI_SUCCESS);
    uint8_t in[36] = {0}, want[32];
    in[32] = 0xaa, in[33] = 0xbb, in[34] = 0xcc, in[35] = 0xdd;
    unsigned len = 0;
    EVP_Digest(in, sizeof in, want, &len, EVP_sha256(), nullptr);
    EXPECT_EQ(std::memcmp(rmm_realm_at(&r, rd)->measurements[1], want, 32), 0);
    // index 0 (the RIM) and 5 cannot be extended; more than 64 bytes cannot be given
    for (auto args : std::vector<std::pair<uint64_t, uint64_t>>{{0, 4}, {5, 4}, {2, 65}}) {
        smc([&](rmm_rec *c) {
            c->gprs[0] = RSI_MEASUREMENT_EXTEND, c->gprs[1] = args.first, c->gprs[2] = args.second;
        });
        ASSERT_EQ(enter(), 0u);
        EXPECT_EQ(c()->gprs[0], RSI_ERROR_INPUT);
    }
    smc([](rmm_rec *c) { c->gprs[0] = RSI_MEASUREMENT_READ, c->gprs[1] = 5; });
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(c()->gprs[0], RSI_ERROR_INPUT);
}

} // namespace
