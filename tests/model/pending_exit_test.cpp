// A REC exit left pending (`stop_at:`) and answered later (`complete:`), and the VMM's answer to a
// memory fault: what each run-time misuse reports, and that a stopped run leaves the realm's call
// unanswered until the host completes it. End to end through the rmesim command.
#include <gtest/gtest.h>

#include "run_scenario.hpp"

namespace
{

TEST(PendingExit, CompletingWithNothingPendingFailsNamingTheVcpu)
{
    Ran r = run_one_realm_scenario("nothing-pending",
                                   R"(  - { id: cfg, on: r0.vcpu0, rsi: REALM_CONFIG }
  - { id: done, on: host, complete: { vcpu: r0.vcpu0 } }
)");
    EXPECT_TRUE(errored_with(r, ":10:5: step 'done': r0.vcpu0 has no REC exit pending (an earlier "
                                "step of it stops at one with stop_at:)"));
}

TEST(PendingExit, APsciStatusDoesNotAnswerARipasChange)
{
    Ran r = run_one_realm_scenario("wrong-answer",
                                   R"(  - id: ask
    on: r0.vcpu0
    rsi: { cmd: IPA_STATE_SET, args: { base: 0x8040_0000, top: 0x8040_1000, ripas: EMPTY } }
    stop_at: RIPAS_CHANGE
  - { id: answer, on: host, complete: { vcpu: r0.vcpu0, status: DENIED } }
)");
    EXPECT_TRUE(errored_with(r, ":13:5: step 'answer': status: answers a PSCI_CPU_ON or "
                                "PSCI_AFFINITY_INFO exit; the pending exit is RIPAS_CHANGE"));
}

TEST(PendingExit, ARipasResponseDoesNotAnswerAPsciRequest)
{
    Ran r =
        run_scenario("wrong-response",
                     "scenario: wrong-response\nplatform:\n  pa_bits: 40\n  memory:\n"
                     "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                     "realms:\n  - { name: r0, vcpus: 2, ram: { ipa: 0x8000_0000, size: 16M } }\n"
                     "steps:\n"
                     "  - { id: on, on: r0.vcpu0, rsi: { cmd: PSCI_CPU_ON, args: { target_cpu: "
                     "1 } }, stop_at: PSCI }\n"
                     "  - { id: answer, on: host, complete: { vcpu: r0.vcpu0, response: "
                     "REJECT } }\n");
    EXPECT_TRUE(errored_with(r, ":10:5: step 'answer': response: answers a RIPAS_CHANGE exit; the "
                                "pending exit is PSCI"));
}

// Until the host answers, the realm's call has not returned: the stopped step reports no status,
// and the completing step reports the call's outcome.
TEST(PendingExit, TheCallReturnsOnlyWhenTheHostCompletesIt)
{
    Ran r = run_one_realm_scenario("returns-later",
                                   R"(  - id: ask
    on: r0.vcpu0
    rsi: { cmd: IPA_STATE_SET, args: { base: 0x8040_0000, top: 0x8040_1000, ripas: EMPTY } }
    stop_at: RIPAS_CHANGE
    expect: { result: pending, status: SUCCESS }
)");
    EXPECT_TRUE(failed_with(r, "'status' was not observed"));
}

// A later realm step on the vCPU is a new KVM_RUN: it handles the pending exit first, as KVM
// does, so the earlier call completes (accepted) before the new work runs.
TEST(PendingExit, TheNextRunOfTheVcpuCarriesThePendingExitOn)
{
    Ran r = run_one_realm_scenario("carries-on",
                                   R"(  - id: ask
    on: r0.vcpu0
    rsi: { cmd: IPA_STATE_SET, args: { base: 0x8040_0000, top: 0x8040_1000, ripas: EMPTY } }
    stop_at: RIPAS_CHANGE
    expect: { result: pending }
  - id: next
    on: r0.vcpu0
    rsi: { cmd: IPA_STATE_GET, args: { base: 0x8040_0000, top: 0x8040_1000 } }
    expect: { status: SUCCESS, out: { ripas: EMPTY }, rec_exit: { reason: RIPAS_CHANGE } }
)");
    EXPECT_EQ(r.status, 0) << r.output;
}

// A VMM that refuses conversions stops the vCPU at a memory fault that would change the page's
// attribute; the realm's call stays unanswered (`stopped`).
TEST(PendingExit, ARefusingVmmStopsTheVcpu)
{
    Ran r = run_scenario("refuses",
                         "scenario: refuses\nplatform:\n  pa_bits: 40\n  memory:\n"
                         "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                         "realms:\n  - { name: r0, ram: { ipa: 0x8000_0000, size: 16M }, vmm: { "
                         "memory_fault: refuse } }\n"
                         "steps:\n"
                         "  - id: share\n    on: r0.vcpu0\n"
                         "    rsi: { cmd: IPA_STATE_SET, args: { base: 0x8040_0000, top: "
                         "0x8040_1000, ripas: EMPTY } }\n"
                         "    expect: { result: stopped, memory_fault: { vmm: refused, private: "
                         "false } }\n");
    EXPECT_EQ(r.status, 0) << r.output;
}

} // namespace
