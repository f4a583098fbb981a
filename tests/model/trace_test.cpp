// End to end through the rmesim command: the VCD read back with a VCD parser (and accepted by
// GTKWave's vcd2fst), and byte-identical outputs across runs.
#include <gtest/gtest.h>

#include "run_scenario.hpp"
#include "vcd_reader.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace
{

int run(const std::string &args)
{
    std::string cmd = std::string(RMESIM_BIN) + " " + args + " > /dev/null 2>&1";
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

const std::string kScenario = std::string(SCENARIOS_DIR) + "/gpc/host-load-from-realm-granule.yaml";

TEST(Trace, VcdShowsTheGpfOnTheRightSignalsInOrder)
{
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + kScenario + " --vcd " + dir + "/g.vcd --no-date"), 0);
    Vcd vcd(slurp(dir + "/g.vcd"));
    ASSERT_GT(vcd.changes.size(), 10u);
    // Steps 1..5: before, delegate, host-load, neighbour, realm-pas-read, by name. They start
    // in order.
    int64_t before = vcd.first("core0.step", "before"),
            delegate = vcd.first("core0.step", "delegate"),
            load = vcd.first("core0.step", "host-load"),
            neighbour = vcd.first("core0.step", "neighbour");
    ASSERT_GE(before, 0);
    ASSERT_GT(delegate, before);
    ASSERT_GT(load, delegate);
    ASSERT_GT(neighbour, load);
    // During the host load: NS PAS, GPI realm, fault GPF, a data abort at EL2.
    int64_t gpf = vcd.first("core0.fault", "GPF");
    ASSERT_GT(gpf, load);
    ASSERT_LT(gpf, neighbour);
    EXPECT_EQ(vcd.text_at("core0.pas", uint64_t(gpf)), "NS");
    EXPECT_EQ(vcd.text_at("core0.gpi", uint64_t(gpf)), "REALM");
    EXPECT_EQ(vcd.text_at("core0.gpc", uint64_t(gpf)), "GPF");
    EXPECT_EQ(vcd.at("core0.pa", uint64_t(gpf)), 0x8020'5000u);
    // Then the data abort (DABT_CUR) to EL2, from when its handler runs, before the next step;
    // the fault holds until the next access.
    int64_t abort = vcd.first("core0.exception_ec", "DABT_CUR");
    ASSERT_GT(abort, gpf);
    ASSERT_LT(abort, neighbour);
    EXPECT_EQ(vcd.text_at("core0.exception_el", uint64_t(abort)), "EL2");
    EXPECT_EQ(vcd.text_at("core0.el", uint64_t(abort)), "EL2");
    EXPECT_EQ(vcd.text_at("core0.fault", uint64_t(abort)), "GPF");
    EXPECT_EQ(vcd.text_at("core0.pas", uint64_t(abort)), "NONE"); // the access is over
    // In the step before the delegation the same PA passed with GPI NS.
    int64_t ok = vcd.first("core0.fault", "OK", uint64_t(before));
    ASSERT_GT(ok, before);
    ASSERT_LT(ok, delegate);
    EXPECT_EQ(vcd.text_at("core0.gpi", uint64_t(ok)), "NS");
    // The save file names the signals as the VCD does; no filter files are needed.
    std::string gtkw = slurp(dir + "/g.gtkw");
    EXPECT_NE(gtkw.find("rmesim.core0.gpi\n"), std::string::npos);
    EXPECT_EQ(gtkw.find("filter"), std::string::npos);
}

TEST(Trace, Vcd2fstAcceptsTheTrace)
{
    if (std::system("command -v vcd2fst > /dev/null 2>&1") != 0)
        GTEST_SKIP() << "vcd2fst (gtkwave) not installed";
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + kScenario + " --vcd " + dir + "/f.vcd"), 0);
    std::string cmd = "vcd2fst " + dir + "/f.vcd " + dir + "/f.fst > /dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_GT(slurp(dir + "/f.fst").size(), 100u);
}

TEST(Trace, TwoRunsGiveByteIdenticalOutputs)
{
    std::string dir = test_dir();
    // a GPC scenario, and the realm reference example (two worlds, REC exits, the VMM)
    for (const std::string &scenario :
         {kScenario, std::string(SCENARIOS_DIR) + "/uart-mmio.yaml"}) {
        for (const char *n : {"1", "2"}) {
            std::string p = dir + "/det" + n;
            ASSERT_EQ(run("run " + scenario + " --no-date --vcd " + p + ".vcd --log " + p +
                          ".jsonl --stats " + p + ".json"),
                      0);
        }
        for (const char *ext : {".vcd", ".jsonl", ".json", ".gtkw"}) {
            std::string a = slurp(dir + "/det1" + ext), b = slurp(dir + "/det2" + ext);
            EXPECT_FALSE(a.empty()) << scenario << ext;
            if (std::string(ext) == ".gtkw") { // names its own files: det1 vs det2
                for (size_t at; (at = a.find("det1")) != std::string::npos;)
                    a.replace(at, 4, "det2");
            }
            EXPECT_EQ(a, b) << scenario << ext;
        }
    }
}

TEST(Trace, SignalFilterAndWindow)
{
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + kScenario + " --vcd " + dir +
                  "/w.vcd --trace-signals 'core0.fault,core0.step' " + "--trace-window 0:1"),
              0);
    Vcd vcd(slurp(dir + "/w.vcd"));
    EXPECT_EQ(vcd.path_of.size(), 2u);
    for (const auto &c : vcd.changes)
        EXPECT_LE(c.time, 1000u); // ps: nothing after 1 ns
}

TEST(Trace, EventLogHasOneObjectPerStepWithExpectationFields)
{
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + kScenario + " --log " + dir + "/l.jsonl"), 0);
    std::istringstream in(slurp(dir + "/l.jsonl"));
    std::string line;
    std::vector<std::string> steps;
    while (std::getline(in, line))
        if (line.rfind("{\"record\":\"step\",", 0) == 0)
            steps.push_back(line);
    ASSERT_EQ(steps.size(), 5u);
    EXPECT_NE(steps[2].find("\"step\":\"host-load\""), std::string::npos);
    EXPECT_NE(steps[2].find("\"result\":\"gpf\""), std::string::npos);
    EXPECT_NE(steps[2].find("\"dfsc\":\"0x28\""), std::string::npos);
    EXPECT_NE(steps[1].find("\"status\":\"SUCCESS\""), std::string::npos);
}

// Every access through the MMU and every call is a record of its own: the reference store's
// stage-2 fault with its syndrome, the REC_ENTER calls around it and the guest's RSI calls.
TEST(Trace, EventLogRecordsEveryAccessAndCall)
{
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + std::string(SCENARIOS_DIR) + "/uart-mmio.yaml --log " + dir +
                  "/u.jsonl --stats " + dir + "/u.json"),
              0);
    std::istringstream in(slurp(dir + "/u.jsonl"));
    std::string line;
    size_t accesses = 0, store_fault = 0, rec_enters_in_write = 0, realm_config = 0;
    while (std::getline(in, line)) {
        bool write_step = line.find("\"step\":\"write\"") != std::string::npos;
        if (line.rfind("{\"record\":\"access\",", 0) == 0) {
            accesses++;
            if (write_step && line.find("\"va\":\"0xffff800000100000\"") != std::string::npos &&
                line.find("\"result\":\"translation_fault\",\"fault_stage\":2,"
                          "\"fault_level\":1") != std::string::npos &&
                line.find("\"esr\":\"0x93020045\"") != std::string::npos &&
                line.find("\"hpfar\":\"0x80001000\"") != std::string::npos)
                store_fault++;
        } else if (line.rfind("{\"record\":\"call\",", 0) == 0) {
            if (write_step && line.find("\"call\":\"RMI_REC_ENTER\"") != std::string::npos &&
                line.find("\"status\":\"SUCCESS\"") != std::string::npos)
                rec_enters_in_write++;
            if (line.find("\"call\":\"RSI_REALM_CONFIG\"") != std::string::npos &&
                line.find("\"status\":\"SUCCESS\"") != std::string::npos)
                realm_config++;
        }
    }
    EXPECT_EQ(store_fault, 1u);
    EXPECT_EQ(rec_enters_in_write, 2u); // the exit for the VMM, the re-entry with EMUL_MMIO
    EXPECT_EQ(realm_config, 2u);        // the guest's boot, and the step `cfg`
    // as many access records as --stats counted accesses, on every regime
    std::string stats = slurp(dir + "/u.json");
    size_t counted = 0;
    for (size_t k = stats.find("\"accesses\":"); k != std::string::npos;
         k = stats.find("\"accesses\":", k + 1))
        if (stats.compare(k - 1, 1, "{") == 0) // the first field of a regime's object
            counted += std::stoull(stats.substr(k + 11));
    EXPECT_EQ(accesses, counted);
}

} // namespace

namespace
{

// The RMM's signals: an RMI call shows its command while it runs and its status after.
TEST(Trace, RmiCallsOnTheRmmSignals)
{
    std::string dir = test_dir();
    std::string scenario = std::string(SCENARIOS_DIR) + "/rmm/granule-delegation.yaml";
    ASSERT_EQ(run("run " + scenario + " --vcd " + dir + "/r.vcd --no-date"), 0);
    Vcd vcd(slurp(dir + "/r.vcd"));
    int64_t delegate = vcd.first("rmm.rmi", "RMI_GRANULE_DELEGATE");
    ASSERT_GE(delegate, 0);
    int64_t back = vcd.first("rmm.rmi", "NONE", uint64_t(delegate));
    ASSERT_GT(back, delegate);
    EXPECT_EQ(vcd.text_at("rmm.rmi_status", uint64_t(back)), "SUCCESS");
    EXPECT_EQ(vcd.text_at("core0.security_state", uint64_t(delegate) + 1000000), "REALM");
    EXPECT_GT(vcd.first("el3.gpt_transition_pa", 0x8010'0000), delegate);
    // the second delegation of the same granule fails: ERROR_INPUT at some point
    EXPECT_GT(vcd.first("rmm.rmi_status", "ERROR_INPUT"), back);
}

} // namespace

namespace
{

// The reference example (issue 7): during the realm's store to the UART, the stage-1 walk, the
// stage-2 fault, the REC exit and the MMIO access appear in that order on their signals.
TEST(Trace, UartStoreShowsWalkFaultExitAndMmioInOrder)
{
    std::string dir = test_dir();
    std::string scenario = std::string(SCENARIOS_DIR) + "/uart-mmio.yaml";
    ASSERT_EQ(run("run " + scenario + " --vcd " + dir + "/u.vcd --no-date"), 0);
    Vcd vcd(slurp(dir + "/u.vcd"));
    int64_t write = vcd.first("core0.step", "write"); // steps: cfg, map, write
    ASSERT_GT(write, 0);
    auto first_after = [&](const std::string &path, auto value, int64_t after) {
        return vcd.first(path, value, uint64_t(after));
    };
    // the store walks stage 1 (4 levels, each table address through stage 2) and stage 2
    int64_t walk = -1;
    for (const auto &c : vcd.changes)
        if (c.path == "core0.walk_fetches" && c.text.empty() && c.value > 0 &&
            int64_t(c.time) >= write) {
            walk = int64_t(c.time);
            break;
        }
    ASSERT_GE(walk, write);
    EXPECT_EQ(vcd.at("core0.va", uint64_t(walk)), 0xffff'8000'0010'0000u);
    EXPECT_EQ(vcd.at("core0.ipa", uint64_t(walk)), 0x80'0010'0000u);
    EXPECT_EQ(vcd.text_at("core0.el", uint64_t(walk)), "EL1");
    EXPECT_EQ(vcd.text_at("core0.security_state", uint64_t(walk)), "REALM");
    int64_t fault = first_after("core0.fault", "TRANSLATION", walk);
    ASSERT_GE(fault, walk);
    // core0.walk shows each descriptor fetch as it happens: every stage-1 table address through
    // stage 2 (the walk cache holds its upper levels) before the stage-1 fetch, then stage 2
    // for the output IPA, which stops at level 1; NONE with the fault
    std::vector<std::string> fetches;
    for (const auto &c : vcd.changes)
        if (c.path == "core0.walk" && int64_t(c.time) >= walk && int64_t(c.time) <= fault)
            fetches.push_back(c.text);
    EXPECT_EQ(fetches, (std::vector<std::string>{"S2_L3", "S1_L0", "S2_L3", "S1_L1", "S2_L3",
                                                 "S1_L2", "S2_L3", "S1_L3", "S2_L1", "NONE"}));
    int64_t exit = first_after("host.rec_exit", "SYNC", fault);
    ASSERT_GT(exit, fault);
    int64_t mmio = first_after("uart0.value", 0x48, exit);
    ASSERT_GT(mmio, exit);
    EXPECT_EQ(vcd.at("uart0.write", uint64_t(mmio)), 1u);
    EXPECT_EQ(vcd.at("uart0.offset", uint64_t(mmio)), 0u);
    EXPECT_EQ(vcd.at("host.host_ipa", uint64_t(mmio)), 0x10'0000u); // while the host handles it
    EXPECT_EQ(vcd.at("host.mmio_exit", uint64_t(mmio)), 1u);
    // whose cycles the core spends, in order: the host's KVM_RUN, EL3's world switch, the RMM
    // entering the REC, the realm's store, the RMM taking the abort, EL3, the host reading the
    // exit, the VMM, the host, and the re-entry (the guest has nothing left: no realm cycles)
    std::vector<std::string> hands;
    for (const auto &c : vcd.changes)
        if (c.path == "core0.software" && int64_t(c.time) >= write &&
            (hands.empty() || hands.back() != c.text))
            hands.push_back(c.text);
    EXPECT_EQ(hands, (std::vector<std::string>{"EL3", "RMM", "REALM", "RMM", "EL3", "HOST", "VMM",
                                               "HOST", "EL3", "RMM", "EL3", "HOST"}));
    // and the RMM ran REC_ENTER around it
    int64_t enter = first_after("rmm.rmi", "RMI_REC_ENTER", write);
    EXPECT_GE(enter, write);
    EXPECT_LT(enter, walk);
}

} // namespace

namespace
{

// What cannot run is refused before running, line by line, with exit status 2, never run
// half-way or counted as passed: here an EL2 TLBI given to a realm vCPU.
TEST(Runner, UnimplementedCallsAreRefusedBeforeRunning)
{
    Ran r = run_one_realm_scenario("undefined", "  - id: s\n    on: r0.vcpu0\n"
                                                "    tlbi: { op: VMALLS12E1 }\n");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.output.find(":11:5: 'tlbi VMALLS12E1' on a realm vCPU is UNDEFINED at EL1"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("the scenario was not run"), std::string::npos);
}

} // namespace

namespace
{

// `rmesim explain` tells the reference example's store in the order it happened: the guest's
// walk, the stage-2 fault, the REC exit the host reads (and the IPA it strips), the VMM's
// emulation, and the re-entry that completes the store.
TEST(Explain, UartStoreIsToldInOrder)
{
    std::string out = test_dir() + "explain.txt";
    std::string cmd = std::string(RMESIM_BIN) + " explain " + SCENARIOS_DIR +
                      "/uart-mmio.yaml --step write > " + out + " 2>&1";
    int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc));
    ASSERT_EQ(WEXITSTATUS(rc), 0);
    std::string text = slurp(out);
    size_t at = 0;
    for (const char *part :
         {"1-byte store of VA 0xffff800000100000", "s1 L0", "s1 L3", "s2 L1",
          "translation_fault at stage 2 level 1 -> R-EL2: ESR_EL2 0x93020045",
          "HPFAR_EL2 0x80001000 (IPA 0x8000100000)", "RMI_REC_ENTER", "REC exit SYNC",
          "without the stolen bit 0x100000: mmio; re-enters with EMUL_MMIO",
          "uart0 emulates a 1-byte write at offset 0x0: 0x48", "RMI_REC_ENTER"}) {
        size_t found = text.find(part, at);
        ASSERT_NE(found, std::string::npos)
            << "'" << part << "' missing after offset " << at << " in:\n"
            << text;
        at = found + std::strlen(part);
    }
}

// --stats: per core, the TLB, the L1D and, per translation regime, accesses, TLB results,
// descriptor fetches by stage and a latency histogram that accounts for every access.
TEST(Stats, TranslationCountsPerRegime)
{
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + std::string(SCENARIOS_DIR) + "/mmu/realm-two-stage-walk.yaml --stats " +
                  dir + "/st.json"),
              0);
    std::string json = slurp(dir + "/st.json");
    auto number_after = [&](const std::string &from, const std::string &key) {
        size_t a = json.find("\"" + from + "\"");
        EXPECT_NE(a, std::string::npos) << from;
        size_t k = json.find("\"" + key + "\":", a);
        EXPECT_NE(k, std::string::npos) << from << "." << key;
        return std::stoull(json.substr(k + key.size() + 3));
    };
    // the guest's walks fetch at both stages; the host's and the RMM's at stage 1 only
    EXPECT_GT(number_after("realm_el10", "stage1_fetches"), 0u);
    EXPECT_GT(number_after("realm_el10", "stage2_fetches"), 0u);
    EXPECT_GT(number_after("ns_el2", "stage1_fetches"), 0u);
    EXPECT_EQ(number_after("ns_el2", "stage2_fetches"), 0u);
    EXPECT_EQ(number_after("realm_el2", "stage2_fetches"), 0u);
    // every realm access is in the histogram once, and answered by the TLB once
    uint64_t accesses = number_after("realm_el10", "accesses");
    uint64_t hits =
        number_after("realm_el10", "tlb_l1_hits") + number_after("realm_el10", "tlb_l2_hits");
    EXPECT_EQ(hits + number_after("realm_el10", "tlb_misses"), accesses);
    size_t hist = json.find("\"latency_histogram\"", json.find("\"realm_el10\""));
    size_t end = json.find(']', hist);
    uint64_t in_histogram = 0;
    for (size_t k = json.find("\"accesses\":", hist); k < end;
         k = json.find("\"accesses\":", k + 1))
        in_histogram += std::stoull(json.substr(k + 11));
    EXPECT_EQ(in_histogram, accesses);
    EXPECT_NE(json.find("\"tlb\":{\"lookups\""), std::string::npos);
    EXPECT_NE(json.find("\"l1d\":{\"hits\""), std::string::npos);
}

} // namespace

namespace
{

// An RMI argument given as { realm, ipa } names the page the host backs that IPA with; before
// anything backs it, the step fails naming its line, and the call is not made.
TEST(Runner, RealmPageArgumentNeedsABackingPage)
{
    Ran r = run_one_realm_scenario(
        "unbacked", "  - id: s\n    on: host\n"
                    "    rmi: { cmd: GRANULE_UNDELEGATE, args: { addr: { realm: r0, ipa: "
                    "0x80f0_0000 } } }\n    expect: { status: SUCCESS }\n");
    EXPECT_TRUE(errored_with(r,
                             ":11:51: step 's': nothing backs IPA 0x80f00000 of realm 'r0' in "
                             "the host's memslot: the page is private and guest_memfd has no page "
                             "for GPA 0x80f00000 yet"));
}

} // namespace

namespace
{

// A --trace-window opens with every signal's value at its start, not with the initial values:
// inside the reference store's walk, the step is `write` and the core is in the Realm world.
TEST(Trace, WindowOpensWithTheValuesAtItsStart)
{
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + std::string(SCENARIOS_DIR) + "/uart-mmio.yaml --vcd " + dir +
                  "/win.vcd --no-date --trace-window 735446:735566"),
              0);
    Vcd vcd(slurp(dir + "/win.vcd"));
    const uint64_t open = 735'446'000; // ps
    EXPECT_EQ(vcd.text_at("core0.step", open), "write");
    EXPECT_EQ(vcd.text_at("core0.security_state", open), "REALM");
    EXPECT_EQ(vcd.text_at("rmm.rmi", open), "RMI_REC_ENTER"); // inside it
    for (const auto &c : vcd.changes)
        EXPECT_TRUE(c.time >= open && c.time <= 735'566'000u) << c.time;
}

} // namespace

namespace
{

// An output that cannot be written is bad input: named, exit status 2, before anything runs
// (SystemC aborts the process on a VCD it cannot open).
TEST(Runner, UnwritableOutputsAreRefused)
{
    std::string missing = test_dir() + "no-such-dir/out";
    for (const std::string &option : {"--vcd " + missing + ".vcd", "--log " + missing + ".jsonl",
                                      "--stats " + missing + ".json"}) {
        std::string out = test_dir() + "unwritable.txt";
        std::string cmd =
            std::string(RMESIM_BIN) + " run " + kScenario + " " + option + " > " + out + " 2>&1";
        int rc = std::system(cmd.c_str());
        ASSERT_TRUE(WIFEXITED(rc));
        EXPECT_EQ(WEXITSTATUS(rc), 2) << option;
        std::string text = slurp(out);
        EXPECT_NE(text.find("rmesim: cannot write " + missing), std::string::npos) << text;
        EXPECT_EQ(text.find("Error"), std::string::npos) << text; // no SystemC report
    }
}

} // namespace

namespace
{

// Every cycle of a step is some software's: the host's, EL3's, the RMM's, the realm's or the
// VMM's. Over a run with realms, MMIO, RSI calls, delegations and a teardown, each step's
// `cost.*` fields add up to its cycles, and the MMIO step's VMM share is the timing table's.
TEST(Cost, EachStepsCyclesAreSplitBySoftware)
{
    std::string dir = test_dir();
    for (const char *scenario :
         {"/flows/mmio-read.yaml", "/flows/teardown.yaml", "/flows/shared-page.yaml",
          "/rmm/realm-by-hand.yaml", "/flows/two-cores.yaml"}) {
        ASSERT_EQ(
            run("run " + std::string(SCENARIOS_DIR) + scenario + " --log " + dir + "/cost.jsonl"),
            0)
            << scenario;
        std::istringstream in(slurp(dir + "/cost.jsonl"));
        std::string line;
        size_t steps = 0;
        while (std::getline(in, line)) {
            if (line.rfind("{\"record\":\"step\",", 0) != 0)
                continue;
            auto number = [&](const std::string &key) {
                size_t k = line.find("\"" + key + "\":");
                EXPECT_NE(k, std::string::npos) << key << " in " << line;
                std::string v = line.substr(k + key.size() + 3);
                if (v[0] == '"')
                    v = v.substr(1);
                return std::stoull(v, nullptr, 0);
            };
            uint64_t sum = 0;
            for (const char *who : {"host", "el3", "rmm", "realm", "vmm"})
                sum += number(std::string("cost.") + who);
            EXPECT_EQ(sum, number("cycles")) << line;
            if (line.find("\"step\":\"read-flags\"") != std::string::npos) {
                EXPECT_EQ(number("cost.vmm"), 5000u);
            }
            steps++;
        }
        EXPECT_GT(steps, 2u) << scenario;
    }
}

} // namespace

namespace
{

// rmm.rsi names every realm SMC the RMM handles, RSI and PSCI calls alike.
TEST(Trace, RealmSmcsOnTheRsiSignal)
{
    std::string dir = test_dir();
    ASSERT_EQ(run("run " + std::string(SCENARIOS_DIR) + "/flows/psci-secondary-cpu.yaml --vcd " +
                  dir + "/p.vcd --no-date"),
              0);
    Vcd vcd(slurp(dir + "/p.vcd"));
    EXPECT_GE(vcd.first("rmm.rsi", "RSI_REALM_CONFIG"), 0); // at boot
    EXPECT_GE(vcd.first("rmm.rsi", "PSCI_AFFINITY_INFO"), 0);
    EXPECT_GE(vcd.first("rmm.rsi", "PSCI_CPU_ON"), 0);
    EXPECT_GE(vcd.first("rmm.rsi", "PSCI_CPU_OFF"), 0);
    for (const auto &c : vcd.changes) { // every value has its name
        if (c.path == "rmm.rsi") {
            EXPECT_NE(c.text.substr(0, 2), "0x") << c.text;
        }
    }
}

} // namespace
