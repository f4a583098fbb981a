// The VCD tells the truth (docs/tracing.md): the reference store's access, walk, GPC checks,
// fault and exception on their signals; idle states on an idle core and between accesses; the
// window of one step; trace options that select nothing refused; a moved trace that GTKWave
// still opens with its names.
#include <gtest/gtest.h>

#include "run_scenario.hpp"
#include "vcd_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace
{

const std::string kUart = std::string(SCENARIOS_DIR) + "/uart-mmio.yaml";

const Vcd &reference()
{
    static const Vcd vcd = [] {
        std::string path = test_dir() + "reference.vcd";
        Ran r = rmesim("run " + kUart + " --no-date --quiet --vcd " + path);
        EXPECT_EQ(r.status, 0) << r.output;
        return Vcd(slurp(path));
    }();
    return vcd;
}

std::vector<const Vcd::Change *> changes_of(const Vcd &vcd, const std::string &path, uint64_t from,
                                            uint64_t to)
{
    std::vector<const Vcd::Change *> out;
    for (const auto &c : vcd.changes)
        if (c.path == path && c.time >= from && c.time <= to)
            out.push_back(&c);
    return out;
}

// The store to the UART through the unprotected alias: its walk puts each table's PA, PAS and
// GPI on the bus, the stage-2 walk stops at an invalid level-1 entry with NS=1, the fault is a
// translation fault held past the access, and the abort to R-EL2 shows its class.
TEST(Vcd, TheReferenceStoreChangesItsSignalsWithTheWalk)
{
    const Vcd &vcd = reference();
    int64_t write = vcd.first("core0.step", "write");
    ASSERT_GT(write, 0);
    int64_t store = vcd.first("core0.access", "WRITE", uint64_t(write));
    ASSERT_GT(store, write);
    int64_t fault = vcd.first("core0.fault", "TRANSLATION", uint64_t(store));
    ASSERT_GT(fault, store);
    EXPECT_EQ(vcd.at("core0.va", uint64_t(store)), 0xffff'8000'0010'0000u);
    EXPECT_EQ(vcd.at("core0.ipa", uint64_t(store)), 0x80'0010'0000u);
    EXPECT_EQ(vcd.text_at("core0.ipa_half", uint64_t(store)), "UNPROTECTED");
    // nine descriptor fetches, each table's PA on the bus in the Realm PAS with GPI REALM
    std::set<uint64_t> pas_seen;
    for (const auto *c : changes_of(vcd, "core0.pa", uint64_t(store), uint64_t(fault)))
        if (c->text.empty())
            pas_seen.insert(c->value);
    EXPECT_EQ(pas_seen.size(), 9u);
    EXPECT_EQ(vcd.text_at("core0.pas", uint64_t(fault)), "REALM");
    EXPECT_EQ(vcd.text_at("core0.gpi", uint64_t(fault)), "REALM");
    // the last fetch: stage 2, level 1, the entry 0x80000000000000 (invalid, bit 55 set)
    int64_t l1 = vcd.first("core0.walk", "S2_L1", uint64_t(store));
    ASSERT_GT(l1, store);
    ASSERT_LT(l1, fault);
    EXPECT_EQ(vcd.at("core0.walk_pa", uint64_t(l1)), 0xbfff'b000u);
    int64_t ns = vcd.first("core0.s2_ns", uint64_t(1), uint64_t(l1));
    ASSERT_GE(ns, l1);
    ASSERT_LT(ns, fault);
    EXPECT_EQ(vcd.at("core0.walk_desc", uint64_t(ns)), 0x80'0000'0000'0000u);
    EXPECT_EQ(vcd.text_at("core0.s2_ns", uint64_t(l1) - 1), "x"); // not known before
    // each fetch was checked by the GPC first
    EXPECT_EQ(changes_of(vcd, "core0.gpc", uint64_t(store), uint64_t(fault)).size(), 18u);
    // the abort to R-EL2, named, while the fault is still shown and the access is over
    int64_t abort = vcd.first("core0.exception_ec", "DABT_LOWER", uint64_t(fault));
    ASSERT_GE(abort, fault);
    EXPECT_EQ(vcd.text_at("core0.exception_el", uint64_t(abort)), "EL2");
    EXPECT_EQ(vcd.text_at("core0.security_state", uint64_t(abort) + 1000), "REALM");
    EXPECT_EQ(vcd.text_at("core0.fault", uint64_t(abort) + 1000), "TRANSLATION");
    EXPECT_EQ(vcd.text_at("core0.access", uint64_t(abort)), "NONE");
    EXPECT_EQ(vcd.text_at("core0.pas", uint64_t(abort)), "NONE");
    EXPECT_EQ(vcd.text_at("core0.walk", uint64_t(abort)), "NONE");
    // the host handles the exit while rec_exit reads SYNC, and only then
    int64_t exit = vcd.first("host.rec_exit", "SYNC", uint64_t(abort));
    ASSERT_GT(exit, abort);
    EXPECT_EQ(vcd.text_at("host.rec_exit", uint64_t(write)), "NONE");
}

// core1 never runs in the reference scenario: every enumerated signal reads NONE (its step
// IDLE) and every vector is x, from the first change to the last.
TEST(Vcd, AnIdleCoreShowsNoState)
{
    const Vcd &vcd = reference();
    unsigned seen = 0;
    for (const auto &c : vcd.changes) {
        if (c.path.rfind("core1.", 0) != 0)
            continue;
        seen++;
        if (c.path == "core1.step")
            EXPECT_EQ(c.text, "IDLE");
        else
            EXPECT_TRUE(c.text == "NONE" || c.text == "x") << c.path << " " << c.text;
    }
    EXPECT_GE(seen, 20u); // its signals exist and open idle
}

// Between accesses nothing of an access is shown on core0: whenever `access` goes back to
// NONE, so have the addresses, the PAS, the GPI, the walk and the GPC check.
TEST(Vcd, NothingOfAnAccessOutlivesIt)
{
    const Vcd &vcd = reference();
    unsigned ends = 0;
    for (const auto &c : vcd.changes) {
        if (c.path != "core0.access" || c.text != "NONE" || c.time == 0)
            continue;
        ends++;
        for (const char *s : {"core0.pas", "core0.gpi", "core0.walk", "core0.gpc", "core0.tlb"})
            EXPECT_EQ(vcd.text_at(s, c.time), "NONE") << s << " at " << c.time;
        for (const char *s : {"core0.va", "core0.pa", "core0.walk_desc"})
            EXPECT_EQ(vcd.text_at(s, c.time), "x") << s << " at " << c.time;
    }
    EXPECT_GT(ends, 3u);
}

// A step's window from the event log: its first and last picosecond (2000 MHz: 500 ps a cycle).
std::pair<uint64_t, uint64_t> step_window(const std::string &scenario, const std::string &id)
{
    std::string log = test_dir() + "window.jsonl";
    Ran r =
        rmesim("run " + scenario + " --quiet --log " + log + " --log-filter kind=step,step=" + id);
    EXPECT_EQ(r.status, 0) << r.output;
    std::string text = slurp(log);
    auto number = [&](const std::string &key) {
        size_t at = text.find("\"" + key + "\":");
        return at == std::string::npos ? 0 : std::stoull(text.substr(at + key.size() + 3));
    };
    uint64_t start = number("start_cycle"), cycles = number("cycles");
    EXPECT_GT(cycles, 0u) << text;
    return {start * 500, (start + cycles) * 500};
}

// --trace-step: the trace starts where the step starts, with the step's name, ends where it
// ends, and the save file opens there; also for steps of a parallel: group, which end apart.
TEST(Vcd, TraceStepIsTheStepsWindow)
{
    const std::string two = std::string(SCENARIOS_DIR) + "/flows/two-cores.yaml";
    for (const auto &[scenario, id] : std::vector<std::pair<std::string, std::string>>{
             {kUart, "write"}, {two, "host-delegates"}, {two, "host-checks"}}) {
        auto [begin, end] = step_window(scenario, id);
        std::string path = test_dir() + "step.vcd";
        Ran r =
            rmesim("run " + scenario + " --no-date --quiet --trace-step " + id + " --vcd " + path);
        ASSERT_EQ(r.status, 0) << r.output;
        std::string text = slurp(path);
        Vcd vcd(text);
        uint64_t first = UINT64_MAX;
        for (const auto &c : vcd.changes)
            first = std::min(first, c.time);
        size_t last_stamp = text.rfind("\n#");
        ASSERT_NE(last_stamp, std::string::npos);
        EXPECT_EQ(first, begin) << id;
        EXPECT_EQ(std::stoull(text.substr(last_stamp + 2)), end)
            << id; // the trace lasts to its end
        EXPECT_EQ(vcd.text_at("core0.step", first).empty(), false);
        std::string gtkw = slurp(test_dir() + "step.gtkw");
        EXPECT_NE(gtkw.find("[timestart] " + std::to_string(begin) + "\n"), std::string::npos)
            << gtkw;
    }
}

// Trace options that would select nothing are refused, before anything runs or after it, and a
// refused run leaves the outputs of an earlier run as they were (refused after the run too: the
// trace it could not complete is never renamed into place; docs/security.md, "Outputs").
TEST(Vcd, TraceOptionsThatSelectNothingAreErrors)
{
    std::string path = test_dir() + "refused.vcd", gtkw = test_dir() + "refused.gtkw",
                stats = test_dir() + "refused.json";
    auto earlier = [&] {
        for (const std::string &f : {path, gtkw, stats})
            std::ofstream(f) << "an earlier run's\n";
    };
    auto untouched = [&](const char *what) {
        for (const std::string &f : {path, gtkw, stats})
            EXPECT_EQ(slurp(f), "an earlier run's\n") << what << ": " << f;
    };
    const std::string outputs = " --vcd " + path + " --stats " + stats;
    earlier();
    Ran r = rmesim("run " + kUart + outputs + " --trace-step nosuch");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.output.find("--trace-step 'nosuch': no such step"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("write"), std::string::npos); // the steps it has
    untouched("--trace-step nosuch");
    r = rmesim("run " + kUart + outputs + " --trace-signals 'core0.pa,cpu*'");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.output.find("--trace-signals 'cpu*' matches no signal"), std::string::npos)
        << r.output;
    untouched("--trace-signals");
    for (const char *window : {"-5:10", "nan:nan", "0:inf", "0x10:0x20", "10:5", "1e3:2e3"}) {
        r = rmesim("run " + kUart + outputs + " --trace-window=" + window);
        EXPECT_EQ(r.status, 2) << window;
        EXPECT_NE(r.output.find("--trace-window takes START:END"), std::string::npos) << r.output;
        untouched(window);
    }
    // after the run: the trace is not written, the statistics and the verdict are still given
    r = rmesim("run " + kUart + outputs + " --trace-window 9000000:9500000");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.output.find("after the run's end"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("PASS"), std::string::npos) << r.output;
    EXPECT_EQ(slurp(path), "an earlier run's\n");
    EXPECT_EQ(slurp(gtkw), "an earlier run's\n");
    EXPECT_NE(slurp(stats).find("\"gpc\""), std::string::npos);
    r = rmesim("run " + kUart + " --trace-step write");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.output.find("--trace-step shapes the VCD trace: it needs --vcd"), std::string::npos)
        << r.output;
    r = rmesim("run " + kUart + " --vcd " + path + " --trace-step write --trace-window 0:10");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.output.find("give one"), std::string::npos) << r.output;
}

// A VCD value ends at white space: a step id that holds one is written with '_' in its place.
TEST(Vcd, StepIdsWithSpacesStayOneValue)
{
    std::string yaml = test_dir() + "spaced.yaml", path = test_dir() + "spaced.vcd";
    std::ofstream(yaml) << "scenario: spaced\nplatform:\n  cores: 1\n  pa_bits: 40\n  memory:\n"
                           "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                           "steps:\n  - { id: \"a b\", on: host, load: { va: 0x8020_5000 } }\n";
    Ran r = rmesim("run " + yaml + " --quiet --no-date --vcd " + path);
    ASSERT_EQ(r.status, 0) << r.output;
    Vcd vcd(slurp(path));
    EXPECT_GE(vcd.first("core0.step", "a_b"), 0);
}

// The trace's text is written in blocks: a value longer than the writer's line (a step id of 300
// characters, spaces in it) is still one value, whole, and the trace around it intact.
TEST(Vcd, ALongStepIdIsWrittenWhole)
{
    std::string yaml = test_dir() + "long-id.yaml", path = test_dir() + "long-id.vcd";
    std::string id = std::string(150, 'x') + " " + std::string(149, 'y');
    std::ofstream(yaml) << "scenario: long-id\nplatform:\n  cores: 1\n  pa_bits: 40\n  memory:\n"
                           "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                           "steps:\n  - { id: \""
                        << id
                        << "\", on: host, load: { va: 0x8020_5000 } }\n"
                           "  - { id: after, on: host, load: { va: 0x8020_6000 } }\n";
    Ran r = rmesim("run " + yaml + " --quiet --no-date --vcd " + path);
    ASSERT_EQ(r.status, 0) << r.output;
    Vcd vcd(slurp(path));
    std::string want = std::string(150, 'x') + "_" + std::string(149, 'y');
    int64_t at = vcd.first("core0.step", want);
    EXPECT_GE(at, 0);
    EXPECT_GT(vcd.first("core0.step", "after"), at);
}

// A trace copied elsewhere with its save file, the original gone, opened from `/` by the save
// file alone: GTKWave finds the VCD and shows the names (read back through its Tcl interface at
// a time inside the store's walk).
TEST(Vcd, AMovedTraceStillShowsNames)
{
    if (std::system("command -v xvfb-run > /dev/null 2>&1 && command -v gtkwave > /dev/null") != 0)
        GTEST_SKIP() << "xvfb-run or gtkwave not installed (scripts/bootstrap installs them)";
    std::string first = test_dir() + "first/", moved = test_dir() + "moved/";
    ASSERT_EQ(std::system(("mkdir -p " + first + " " + moved).c_str()), 0);
    Ran r =
        rmesim("run " + kUart + " --no-date --quiet --trace-step write --vcd " + first + "u.vcd");
    ASSERT_EQ(r.status, 0) << r.output;
    ASSERT_EQ(std::system(("mv " + first + "u.vcd " + first + "u.gtkw " + moved).c_str()), 0);
    const Vcd &vcd = reference();
    int64_t l1 = vcd.first("core0.walk", "S2_L1", uint64_t(vcd.first("core0.step", "write")));
    ASSERT_GT(l1, 0);
    std::string values = moved + "values.txt";
    {
        std::ofstream tcl(moved + "read.tcl");
        tcl << "gtkwave::setMarker " << l1 + 1000 << "\nset f [open \"" << values << "\" w]\n"
            << "foreach name {rmesim.core0.step rmesim.core0.pas rmesim.core0.gpi "
               "rmesim.core0.walk rmesim.core0.ipa_half rmesim.rmm.rmi} {\n"
            << "  puts $f \"$name=[gtkwave::getTraceValueAtMarkerFromName $name]\"\n}\n"
            << "close $f\ngtkwave::/File/Quit\n";
    }
    std::string cmd = "cd / && timeout 60 xvfb-run -a gtkwave " + moved + "u.gtkw -S " + moved +
                      "read.tcl > " + moved + "gtkwave.out 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(moved + "gtkwave.out");
    EXPECT_EQ(slurp(values), "rmesim.core0.step=write\nrmesim.core0.pas=REALM\n"
                             "rmesim.core0.gpi=REALM\nrmesim.core0.walk=S2_L1\n"
                             "rmesim.core0.ipa_half=UNPROTECTED\nrmesim.rmm.rmi=RMI_REC_ENTER\n");
    EXPECT_EQ(slurp(moved + "gtkwave.out").find("Could not open"), std::string::npos);
}

} // namespace
