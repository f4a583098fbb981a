// Exit statuses that mean one thing (docs/scenarios.md, "Exit status"): a scenario that cannot run
// as written is an error (2), never an expectation that failed (1); and a parallel group that
// names a realm first builds it once.
#include <gtest/gtest.h>

#include "run_scenario.hpp"

namespace
{

std::string two_vcpu_realm(const std::string &name, const std::string &steps)
{
    return "scenario: " + name + "\nplatform:\n  cores: 2\n  pa_bits: 40\n  memory:\n" +
           "    - { name: dram, base: 0x8000_0000, size: 1G }\n" +
           "realms:\n  - { name: r0, ipa_bits: 40, vcpus: 2, ram: { ipa: 0x8000_0000, " +
           "size: 16M } }\nsteps:\n" + steps;
}

// One realm r0 of ram_size at IPA 0x8000_0000 on dram_size of DRAM; its steps start on line 9
std::string sized_realm(const std::string &name, const std::string &dram_size,
                        const std::string &ram_size, const std::string &steps)
{
    return "scenario: " + name + "\nplatform:\n  pa_bits: 40\n  memory:\n" +
           "    - { name: dram, base: 0x8000_0000, size: " + dram_size + " }\n" +
           "realms:\n  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, size: " +
           ram_size + " } }\nsteps:\n" + steps;
}

// A platform whose host allocates from a region 'pool' of pool_size at 0x1_0000_0000 (line 7),
// then `rest` (realms, steps)
std::string pool_platform(const std::string &name, const std::string &pool_size,
                          const std::string &rest)
{
    return "scenario: " + name + "\nplatform:\n  pa_bits: 40\n  memory:\n" +
           "    - { name: dram, base: 0x8000_0000, size: 1G }\n" +
           "    - { name: pool, base: 0x1_0000_0000, size: " + pool_size + " }\n" +
           "  host_pool: pool\n" + rest;
}

size_t count(const std::string &text, const std::string &what)
{
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        n++;
    return n;
}

} // namespace

// The host's step on core 0 and the realm's on core 1 both need the realm: one build, which the
// other waits for (before, each core built it and the second build's GRANULE_DELEGATE failed).
TEST(RunErrors, AParallelGroupThatNamesARealmFirstBuildsItOnce)
{
    std::string log = test_dir() + "parallel-build.jsonl";
    Ran r = run_scenario("parallel-build", two_vcpu_realm("parallel-build", R"(  - parallel:
      - { id: host-reads, on: host, core: 0, rmi: { cmd: REALM_ACTIVATE, args: { rd: r0 } }, expect: { status: ERROR_REALM } }
      - { id: realm-config, on: r0.vcpu0, core: 1, rsi: REALM_CONFIG, expect: { status: SUCCESS } }
)"),
                         "--log " + log);
    EXPECT_EQ(r.status, 0) << r.output;
    std::string text = slurp(log);
    EXPECT_EQ(count(text, "{\"record\":\"step\",\"step\":\"r0.build\""), 1u) << r.output;
    EXPECT_EQ(count(text, "\"call\":\"RMI_REALM_CREATE\""), 1u);
}

// A step on a secondary vCPU that no earlier step starts: refused by the loader at its position,
// so by `check` and by `run` alike (before, `check` passed it and the run failed at time 0).
TEST(RunErrors, ASecondaryVcpuThatNothingStartsIsRefusedBeforeTheRun)
{
    const std::string refused = ":10:5: r0.vcpu1 is not started by any step before this one: a "
                                "secondary vCPU runs once another vCPU of its realm has called "
                                "PSCI_CPU_ON for it (rsi: { cmd: PSCI_CPU_ON, args: { target_cpu: "
                                "1 } } on r0.vcpu0)";
    const std::string scenario = two_vcpu_realm("secondary-first", R"(  - id: b
    on: r0.vcpu1
    core: 1
    rsi: REALM_CONFIG
    expect: { status: SUCCESS }
)");
    for (const char *command : {"run", "check"}) {
        Ran r = run_scenario("secondary-first", scenario, "", command);
        EXPECT_TRUE(errored_with(r, refused)) << command;
        EXPECT_EQ(r.output.find("expectations failed"), std::string::npos) << r.output;
    }
    /* in a parallel group with the boot CPU's first step, whichever comes first; and a CPU_ON
     * for another vCPU starts nothing */
    for (const char *first : {"r0.vcpu0", "r0.vcpu1"}) {
        std::string second = std::string(first) == "r0.vcpu0" ? "r0.vcpu1" : "r0.vcpu0";
        Ran r = run_scenario(
            "secondary-parallel",
            two_vcpu_realm("secondary-parallel",
                           std::string("  - parallel:\n      - { id: x, on: ") + first +
                               ", core: 0, rsi: { cmd: PSCI_CPU_ON, args: { target_cpu: 2 } } }\n" +
                               "      - { id: y, on: " + second +
                               ", core: 1, rsi: { cmd: PSCI_CPU_ON, args: { target_cpu: 2 } } }\n"),
            "", "check");
        EXPECT_TRUE(errored_with(r, "r0.vcpu1 is not started by any step before this one"))
            << first;
    }
}

// A secondary that a step may have started but was not (the host denied its CPU_ON, or the
// CPU_ON runs beside it in a parallel group) is still found when it runs: an error, not a
// failed expectation.
TEST(RunErrors, ASecondaryVcpuThatWasNotStartedIsAnErrorNotAFailedExpectation)
{
    Ran r = run_scenario(
        "secondary-denied",
        two_vcpu_realm(
            "secondary-denied",
            R"(  - { id: on, on: r0.vcpu0, rsi: { cmd: PSCI_CPU_ON, args: { target_cpu: 1 } }, stop_at: PSCI }
  - { id: deny, on: host, complete: { vcpu: r0.vcpu0, status: DENIED } }
  - id: b
    on: r0.vcpu1
    core: 1
    rsi: REALM_CONFIG
    expect: { status: SUCCESS }
)"));
    EXPECT_TRUE(errored_with(r, ":12:5: step 'b': r0.vcpu1 is not running: a secondary vCPU runs "
                                "once the boot CPU r0.vcpu0 has booted and started it with "
                                "PSCI_CPU_ON"));
    EXPECT_NE(r.output.find("secondary-denied: ERROR — 3 steps, 1 error, 0 expectations failed"),
              std::string::npos)
        << r.output;
    r = run_scenario(
        "secondary-parallel",
        two_vcpu_realm("secondary-parallel",
                       "  - parallel:\n      - { id: x, on: r0.vcpu0, core: 0, rsi: { "
                       "cmd: PSCI_CPU_ON, args: { target_cpu: 1 } } }\n"
                       "      - { id: y, on: r0.vcpu1, core: 1, rsi: REALM_CONFIG }\n"));
    EXPECT_TRUE(errored_with(r, ":12:9: step 'y': r0.vcpu1 is not running"));
    EXPECT_EQ(count(r.output, "is not running"), 1u) << r.output;
}

// rmesim's own allocation failing (here under an address-space limit: a 16 GB realm's boot,
// whose page tables are 32 MB of simulated memory, does not fit in 45 MB; the simulator starts in
// under 30) is the step's error with its position, and the run stops there: not "internal error"
// (before: an uncaught std::bad_alloc aborted the simulation, a failed guest-program allocation
// was told as "the guest of realm 'r0' has no RAM for its boot", and a page of simulated memory
// that could not be stored was an External abort the guest took, the run going on).
TEST(RunErrors, RunningOutOfRmesimsOwnMemoryIsTheStepsError)
{
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "an address-space limit leaves ASan no room for its shadow memory";
#endif
    std::string path = test_dir() + "own-memory.yaml", out = test_dir() + "own-memory.out";
    std::ofstream(path) << sized_realm(
        "own-memory", "32G", "16G",
        R"(  - { id: a, on: r0.vcpu0, rsi: REALM_CONFIG, expect: { status: SUCCESS } }
  - { id: b, on: host, load: { va: 0x8000_0000, size: 8 } }
expect:
  - { realm: r0, state: SYSTEM_OFF }
)");
    EXPECT_EQ(rmesim("check " + path).status, 0);
    int rc = std::system(
        ("ulimit -v 45000 && " + std::string(RMESIM_BIN) + " run " + path + " > " + out + " 2>&1")
            .c_str());
    Ran r{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out)};
    EXPECT_TRUE(errored_with(r, "own-memory.yaml:9:5: step 'a': rmesim ran out of memory running "
                                "it (this machine's memory or the process's address-space limit, "
                                "not the simulated platform's); the run stops here"));
    EXPECT_NE(r.output.find("own-memory: ERROR — 1 step, 1 error, 0 expectations failed"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("no RAM for its boot"), std::string::npos) << r.output;
}

// The guest's own RAM too small for its boot (its tables, page by page): the realm's error at its
// position, exit 2.
TEST(RunErrors, AGuestWithNoRamForItsBootIsTheRealmsError)
{
    Ran r = run_scenario(
        "tiny-guest",
        sized_realm("tiny-guest", "1G", "64K",
                    R"(  - { id: a, on: r0.vcpu0, rsi: REALM_CONFIG, expect: { status: SUCCESS } }
)"));

    EXPECT_TRUE(
        errored_with(r, "tiny-guest.yaml:7:5: the guest of realm 'r0' has no RAM for its boot"));
    EXPECT_NE(r.output.find("0 expectations failed"), std::string::npos) << r.output;
}

// A structure a step passes by value is written into a page of the host's pool; with no page
// left, the step is an error at the structure (before, the call went out with address 0 in its
// place and the step passed).
TEST(RunErrors, AStructureWithNoPageLeftInTheHostsPoolIsTheStepsError)
{
    Ran r = run_scenario("pool-full", pool_platform("pool-full", "16K", R"(steps:
  - { id: fits, on: host, rmi: { cmd: REALM_CREATE, args: { rd: 0x8000_0000, params: { s2sz: 40 } } } }
  - { id: full, on: host, rmi: { cmd: REALM_CREATE, args: { rd: 0x8000_0000, params: { s2sz: 40 } } } }
)"));

    EXPECT_TRUE(errored_with(r, "pool-full.yaml:10:78: step 'full': the host's pool has no page "
                                "left for params (memory region 'pool' holds 0x4000 bytes); give "
                                "host_pool a larger region"));
    EXPECT_EQ(count(r.output, "has no page left"), 1u) << r.output;
}

// The host destroyed the boot vCPU's REC before the realm's first step: the guest cannot boot,
// the realm's error at its position, exit 2.
TEST(RunErrors, AGuestWhoseBootRecIsGoneDidNotBoot)
{
    Ran r = run_scenario(
        "no-boot",
        sized_realm(
            "no-boot", "1G", "16M",
            R"(  - { id: gone, on: host, rmi: { cmd: REC_DESTROY, args: { rec: r0.vcpu0 } }, expect: { status: SUCCESS } }
  - { id: a, on: r0.vcpu0, rsi: REALM_CONFIG, expect: { status: SUCCESS } }
)"));
    EXPECT_TRUE(errored_with(r, "no-boot.yaml:7:5: the guest of realm 'r0' did not boot"));
    EXPECT_NE(r.output.find("no-boot: ERROR — 2 steps, 1 error, 0 expectations failed"),
              std::string::npos)
        << r.output;
}

// A pool that passes the check's lower bound but runs dry during the realm's build, or under the
// pages the realm touches: the error says the pool was the cause (before, only that an RMI call
// returned ERROR_INPUT, KVM having gone on with address 0 in place of the page it could not get,
// or that the host "could not complete the realm's action").
TEST(RunErrors, APoolThatRunsDryIsNamedAsTheCause)
{
    Ran r = run_scenario("pool-dry", pool_platform("pool-dry", "0x101_9000", R"(realms:
  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, size: 16M } }
steps:
  - { id: a, on: r0.vcpu0, rsi: REALM_CONFIG, expect: { status: SUCCESS } }
)"));

    EXPECT_TRUE(errored_with(r, "pool-dry.yaml:9:5: the host could not build realm 'r0': RMI_"));
    EXPECT_NE(r.output.find("returned ERROR_INPUT (index 0): the host's pool (memory region "
                            "'pool', 0x1019000 bytes) ran out of pages; give host_pool a larger "
                            "region"),
              std::string::npos)
        << r.output;
    /* room for the build, not for the pages the realm then touches: the step's error says so */
    r = run_scenario("pool-touch", pool_platform("pool-touch", "0x104_9000", R"(realms:
  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, size: 16M } }
steps:
  - { id: a, on: r0.vcpu0, rsi: REALM_CONFIG, expect: { status: SUCCESS } }
  - { id: b, on: r0.vcpu0, store: { va: 0xffff_0000_0010_0000, size: 8, value: 1, count: 3000, stride: 4096 } }
)"));
    EXPECT_TRUE(errored_with(r,
                             "pool-touch.yaml:12:5: step 'b': the host could not complete the "
                             "realm's action (failed): the host's pool (memory region 'pool', "
                             "0x1049000 bytes) ran out of pages; give host_pool a larger region"));
}
