// One event stream, many views: the views made from synthetic records, and every scenario's
// views agreeing with each other because they are made from the same records.
#include <gtest/gtest.h>

#include <dirent.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "model/event_log.hpp"
#include "model/exception_records.hpp"
#include "model/stats_view.hpp"
#include "model/step_result.hpp"
#include "vcd_reader.hpp"

namespace rmesim
{
namespace
{

rme_event exception_event(unsigned core, const rme_ev_exception &x)
{
    rme_event e = EventSink::make(RME_EV_EXCEPTION, 100, 100);
    e.core = core;
    e.u.exception = x;
    return e;
}

TEST(EventStream, EveryObserverSeesEveryRecordInOrder)
{
    struct Recorder : EventObserver {
        std::vector<rme_event_kind> seen;
        void on_event(const rme_event &e) override { seen.push_back(e.kind); }
    } a, b;
    EventStream stream;
    stream.subscribe(a);
    stream.subscribe(b);
    EventSink sink(stream, 1);
    rme_ev_step step{"write", 3, nullptr};
    sink.set_step(&step);
    rme_event e = EventSink::make(RME_EV_TLBI, 5, 9);
    sink.emit(e);
    EXPECT_EQ(e.core, 1u);
    EXPECT_EQ(e.step, &step);
    rme_event x = exception_event(0, smc_taken(2, RME_SS_NS, 3));
    sink.emit(x);
    EXPECT_EQ(a.seen, (std::vector<rme_event_kind>{RME_EV_TLBI, RME_EV_EXCEPTION}));
    EXPECT_EQ(a.seen, b.seen);
}

// An access is only counted, without a record, when no observer reads ACCESS records and one
// counts them; a reader, or a second counter, gets the record; with neither nothing is done.
TEST(EventStream, AccessRecordsAreMadeOnlyWhenAnObserverReadsThem)
{
    struct Observer : EventObserver {
        AccessUse use;
        unsigned records = 0;
        AccessStats stats;
        explicit Observer(AccessUse u) : use(u) {}
        void on_event(const rme_event &e) override { records += e.kind == RME_EV_ACCESS; }
        AccessUse access_use() const override { return use; }
        AccessStats *access_counts(unsigned) override { return &stats; }
        uint64_t counted() const { return stats.total().accesses; }
    };
    rme_access a;
    rme_access_init(&a, 0x1000, 8, MMU_READ);
    auto note = [&](EventStream &stream) { /* as CoreContext::note_access */
                                           EventSink sink(stream, 0);
                                           if (sink.counted_without_record(MMU_NS_EL2, a, 7))
                                               return;
                                           rme_event e = EventSink::make(RME_EV_ACCESS, 0, 7);
                                           sink.emit(e);
    };
    using U = EventObserver::AccessUse;
    Observer counter(U::kCounts), ignorer(U::kIgnores), reader(U::kReads), other(U::kCounts);
    EventStream counting;
    counting.subscribe(counter);
    counting.subscribe(ignorer);
    note(counting);
    EXPECT_EQ(counter.counted(), 1u);
    EXPECT_EQ(counter.records + ignorer.records, 0u);

    EventStream read;
    read.subscribe(counter);
    read.subscribe(reader);
    note(read);
    EXPECT_EQ(reader.records, 1u);
    EXPECT_EQ(counter.records, 1u); /* counted from its record, by its own on_event */
    EXPECT_EQ(counter.counted(), 1u);

    EventStream two;
    two.subscribe(counter);
    two.subscribe(other);
    note(two);
    EXPECT_EQ(counter.records, 2u);
    EXPECT_EQ(other.records, 1u);

    EventStream none;
    none.subscribe(ignorer);
    note(none);
    EXPECT_EQ(ignorer.records, 0u);
    EXPECT_EQ(ignorer.counted(), 0u);
}

// The statistics view counts an access the same from its record and in its access_counts().
TEST(EventStream, StatisticsCountAnAccessAloneAsFromItsRecord)
{
    rme_access a;
    rme_access_init(&a, 0x1000, 8, MMU_READ);
    a.tlb = 1;
    a.cycles_tlb = a.cycles = 1;
    StatsView by_record("s", 1000, 1), counted("s", 1000, 1);
    rme_event e = EventSink::make(RME_EV_ACCESS, 10, 15);
    e.u.access.regime = MMU_NS_EL2;
    e.u.access.access = &a;
    by_record.on_event(e);
    EXPECT_EQ(by_record.access_use(), EventObserver::AccessUse::kCounts);
    counted.access_counts(0)->record(MMU_NS_EL2, a, 5);
    EXPECT_EQ(by_record.json(1.0), counted.json(1.0));
    EXPECT_NE(by_record.json(1.0), StatsView("s", 1000, 1).json(1.0));

    /* an L1 TLB hit with no walk counted by the short way, as the A64 core's fast path does */
    StatsView short_way("s", 1000, 1);
    short_way.access_counts(0)->record_l1_hit(MMU_NS_EL2, a.cycles, 5);
    EXPECT_EQ(short_way.json(1.0), counted.json(1.0));
    a.cycles_tlb = a.cycles = 3;
    counted.access_counts(0)->record(MMU_REALM_EL10, a, 40);
    short_way.access_counts(0)->record_l1_hit(MMU_REALM_EL10, a.cycles, 40);
    EXPECT_EQ(short_way.json(1.0), counted.json(1.0));
}

TEST(EventStream, ExceptionRecordsCarryTheArchitecturesSyndromes)
{
    rme_ev_exception smc = smc_taken(2, RME_SS_NS, 3);
    EXPECT_EQ(smc.esr, 0x5E000000u); /* EC 0x17 SMC64, IL 1, imm16 0 */
    EXPECT_EQ(smc.to_ss, RME_SS_ROOT);
    rme_ev_exception rsi = smc_taken(1, RME_SS_REALM, 2);
    EXPECT_EQ(rsi.to_ss, RME_SS_REALM);
    rme_ev_exception sea = sea_taken(MMU_WRITE, 0x1234, 2, RME_SS_NS);
    EXPECT_EQ(sea.esr, (0x25ull << 26) | (1ull << 25) | (1u << 6) | 0x10);
    EXPECT_EQ(sea.far, 0x1234u);
    EXPECT_EQ(sea_taken(MMU_FETCH, 0, 1, RME_SS_REALM).esr >> 26, 0x21u);
    rme_ev_exception svc = svc_taken(RME_SS_NS, 2); /* the VMM's ioctl back into KVM */
    EXPECT_EQ(svc.esr, 0x56000000u);                /* EC 0x15 SVC64, IL 1, imm16 0 */
    EXPECT_EQ(svc.from_el, 0u);
    rme_ev_exception injected = sea_injected(0x92000010, 0x1000, 0x80000004);
    EXPECT_EQ(injected.source, RME_EXC_INJECTED);
    EXPECT_EQ(injected.to_el, 1u);
    EXPECT_EQ(injected.elr, 0x80000004u);
    rme_ev_exception irq = irq_taken(1, RME_SS_REALM, 2);
    EXPECT_EQ(irq.type, EXC_IRQ);
    EXPECT_EQ(irq.esr, 0u);
    rme_ev_eret back = eret_to(3, 2, RME_SS_NS);
    EXPECT_EQ(back.from_ss, RME_SS_ROOT);
    EXPECT_EQ(back.to_ss, RME_SS_NS);
}

TEST(EventStream, StatsCountExceptionsByClassWithIrqsApart)
{
    StatsView stats("s", 2000, 2);
    rme_access acc{};
    acc.target_el = 2;
    acc.esr = 0x93C28047; /* a stage-2 data abort from a realm: EC 0x24 */
    stats.on_event(exception_event(0, abort_taken(acc, 1, RME_SS_REALM)));
    stats.on_event(exception_event(0, abort_taken(acc, 1, RME_SS_REALM)));
    stats.on_event(exception_event(1, irq_taken(1, RME_SS_REALM, 2)));
    stats.on_event(exception_event(1, smc_taken(2, RME_SS_NS, 3)));
    EXPECT_EQ(stats.value("exceptions"), 4u);
    std::string json = stats.json(0);
    EXPECT_NE(json.find("\"exceptions\":2,\"exceptions_by_class\":{\"DABT_LOWER\":2}"),
              std::string::npos)
        << json;
    EXPECT_NE(json.find("\"exceptions\":2,\"exceptions_by_class\":{\"IRQ\":1,\"SMC64\":1}"),
              std::string::npos)
        << json;
}

TEST(EventStream, LogWritesExceptionsWithTheirSyndromeAndReturns)
{
    std::string path = test_dir() + "events.jsonl";
    FILE *f = std::fopen(path.c_str(), "w");
    {
        EventLog log(f);
        rme_ev_step step{"write", 3, nullptr};
        rme_access acc{};
        acc.target_el = 2;
        acc.esr = 0x93C28047;
        acc.far = 0xFFFF800000100000;
        acc.hpfar_valid = true;
        acc.hpfar = 0x80001000;
        rme_event x = exception_event(0, abort_taken(acc, 1, RME_SS_REALM));
        x.step = &step;
        log.on_event(x);
        rme_event smc = exception_event(0, smc_taken(2, RME_SS_NS, 3));
        smc.step = &step;
        log.on_event(smc);
        rme_event r = EventSink::make(RME_EV_ERET, 120, 120);
        r.u.eret = eret_to(3, 2, RME_SS_REALM);
        r.step = &step;
        log.on_event(r);
        EXPECT_TRUE(log.finish());
    }
    std::fclose(f);
    std::string text = slurp(path);
    EXPECT_NE(text.find("{\"record\":\"exception\",\"step\":\"write\",\"core\":0,\"cycle\":100,"
                        "\"source\":\"abort\",\"type\":\"sync\",\"from_el\":1,\"from\":\"realm\","
                        "\"to_el\":2,\"to\":\"realm\",\"ec\":\"DABT_LOWER\",\"esr\":\"0x93c28047\","
                        "\"far\":\"0xffff800000100000\",\"hpfar\":\"0x80001000\"}"),
              std::string::npos)
        << text;
    /* an SMC has no fault address: FAR is not written */
    EXPECT_NE(text.find("\"source\":\"call\",\"type\":\"sync\",\"from_el\":2,\"from\":\"ns\","
                        "\"to_el\":3,\"to\":\"root\",\"ec\":\"SMC64\",\"esr\":\"0x5e000000\"}"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("{\"record\":\"eret\",\"step\":\"write\",\"core\":0,\"cycle\":120,"
                        "\"from_el\":3,\"from\":\"root\",\"to_el\":2,\"to\":\"realm\"}"),
              std::string::npos)
        << text;
}

// A step's record: counts, cycles and costs are numbers; addresses and registers hex strings.
TEST(EventStream, LogWritesCountsAsNumbersAndAddressesAsHex)
{
    std::string path = test_dir() + "step.jsonl";
    StepResult r;
    r.step_id = "write";
    r.index = 3;
    r.cycles = 14890;
    r.set("cycles", Observed::num(14890));
    r.set("cost.el3", Observed::num(6140));
    r.set("walk_fetches", Observed::num(9));
    r.set("out.len", Observed::num(64));
    r.set("pa", Observed::num(0x80205000));
    r.set("esr", Observed::num(0x93020045));
    FILE *f = std::fopen(path.c_str(), "w");
    {
        EventLog log(f);
        rme_event e = EventSink::make(RME_EV_STEP_END, 0, 14890);
        e.u.step_change = {"write", 3, &r};
        log.on_event(e);
    }
    std::fclose(f);
    std::string text = slurp(path);
    for (const char *want : {"\"cycles\":14890", "\"cost.el3\":6140", "\"walk_fetches\":9",
                             "\"out.len\":64", "\"pa\":\"0x80205000\"", "\"esr\":\"0x93020045\""})
        EXPECT_NE(text.find(want), std::string::npos) << want << " in " << text;
}

// Every scenario file under SCENARIOS_DIR.
void each_scenario(const std::string &dir, const std::function<void(const std::string &)> &f)
{
    DIR *d = opendir(dir.c_str());
    ASSERT_NE(d, nullptr) << dir;
    std::vector<std::string> names;
    while (dirent *ent = readdir(d))
        if (ent->d_name[0] != '.')
            names.push_back(ent->d_name);
    closedir(d);
    for (const std::string &n : names) {
        std::string path = dir + "/" + n;
        if (n.size() > 5 && n.compare(n.size() - 5, 5, ".yaml") == 0)
            f(path);
        else if (n.find('.') == std::string::npos)
            each_scenario(path, f);
    }
}

uint64_t count(const std::string &text, const std::regex &re, bool sum_numbers)
{
    uint64_t n = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it)
        n += sum_numbers ? std::stoull((*it)[1]) : 1;
    return n;
}

TEST(EventStream, ExceptionsStatEqualsTheLogsExceptionRecordsInEveryScenario)
{
    unsigned scenarios = 0;
    each_scenario(SCENARIOS_DIR, [&](const std::string &path) {
        std::string out = test_dir() + "agree";
        std::string cmd = std::string(RMESIM_BIN) + " run " + path + " --quiet --log " + out +
                          ".jsonl --stats " + out + ".json > /dev/null 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << path;
        std::string log = slurp(out + ".jsonl"), stats = slurp(out + ".json");
        uint64_t records = count(log, std::regex("\"record\":\"exception\""), false);
        uint64_t counted = count(stats, std::regex("\"exceptions\":([0-9]+)"), true);
        EXPECT_EQ(counted, records) << path;
        scenarios++;
    });
    EXPECT_GE(scenarios, 31u);
}

// The reference store: the realm's stage-2 abort is one record, and the log, the statistics
// and the VCD all show it.
TEST(EventStream, TheUartStoresStage2AbortShowsInEveryView)
{
    std::string out = test_dir() + "uart";
    std::string cmd = std::string(RMESIM_BIN) + " run " + SCENARIOS_DIR +
                      "/uart-mmio.yaml --quiet --no-date --vcd " + out + ".vcd --log " + out +
                      ".jsonl --stats " + out + ".json > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::string log = slurp(out + ".jsonl"), stats = slurp(out + ".json");
    std::regex store_abort("\"record\":\"exception\",\"step\":\"write\",[^}]*\"source\":\"abort\","
                           "[^}]*\"to_el\":2,\"to\":\"realm\",\"ec\":\"DABT_LOWER\","
                           "\"esr\":\"0x93020045\",\"far\":\"0xffff800000100000\","
                           "\"hpfar\":\"0x80001000\"");
    EXPECT_EQ(count(log, store_abort, false), 1u);
    uint64_t dabt = count(log, std::regex("\"ec\":\"DABT_LOWER\""), false);
    EXPECT_GT(dabt, 1u); /* the boot's page faults too */
    std::smatch m;
    ASSERT_TRUE(std::regex_search(stats, m, std::regex("\"DABT_LOWER\":([0-9]+)")));
    EXPECT_EQ(std::stoull(m[1]), dabt);
    Vcd vcd(slurp(out + ".vcd"));
    int64_t write_starts = vcd.first("core0.step", "write");
    ASSERT_GE(write_starts, 0);
    int64_t abort = vcd.first("core0.exception_ec", "DABT_LOWER", uint64_t(write_starts));
    ASSERT_GE(abort, write_starts);
    EXPECT_EQ(vcd.text_at("core0.exception_el", uint64_t(abort)), "EL2");
}

// The EL the core runs at follows the exception and return records through the reference
// store: the realm's abort to R-EL2, the RMM's SMC_RMM_REQ_COMPLETE to EL3, the host, its VMM at
// EL0 and its SVC back, REC_ENTER's SMC, the RMM, the realm resumed, its IRQ exit, and home.
TEST(EventStream, TheUartStoresElsFollowItsExceptions)
{
    std::string out = test_dir() + "uart-el";
    std::string cmd = std::string(RMESIM_BIN) + " run " + SCENARIOS_DIR +
                      "/uart-mmio.yaml --quiet --no-date --vcd " + out + ".vcd --log " + out +
                      ".jsonl > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    Vcd vcd(slurp(out + ".vcd"));
    int64_t write = vcd.first("core0.step", "write");
    ASSERT_GE(write, 0);
    std::string els;
    for (const auto &c : vcd.changes)
        if (c.path == "core0.el" && c.time >= uint64_t(write) &&
            (els.empty() || els.substr(els.size() - 3) != c.text))
            els += (els.empty() ? "" : " ") + c.text;
    EXPECT_EQ(els, "EL3 EL2 EL1 EL2 EL3 EL2 EL0 EL2 EL3 EL2 EL1 EL2 EL3 EL2");
    std::string log = slurp(out + ".jsonl");
    std::regex svc("\"record\":\"exception\",\"step\":\"write\",[^}]*\"from_el\":0,"
                   "\"from\":\"ns\",\"to_el\":2,\"to\":\"ns\",\"ec\":\"SVC64\"");
    EXPECT_EQ(count(log, svc, false), 1u);
}

// explain and the event log are views of the same records: every RMI call explain tells for the
// reference store is a call record of the log with the same name, status and cycles.
TEST(EventStream, ExplainAndTheLogTellTheSameCalls)
{
    std::string out = test_dir() + "uart-calls";
    std::string run = std::string(RMESIM_BIN) + " run " + SCENARIOS_DIR +
                      "/uart-mmio.yaml --quiet --log " + out + ".jsonl > /dev/null 2>&1";
    std::string explain = std::string(RMESIM_BIN) + " explain " + SCENARIOS_DIR +
                          "/uart-mmio.yaml --step write > " + out + ".txt 2>&1";
    ASSERT_EQ(std::system(run.c_str()), 0);
    ASSERT_EQ(std::system(explain.c_str()), 0);
    std::string log = slurp(out + ".jsonl"), text = slurp(out + ".txt");
    std::regex told(
        "rmi +(RMI_[A-Z_]+)\\(.*\\) -> ([A-Z_]+), index [0-9]+ \\[([0-9]+) cycles = [0-9.]+ ns\\]");
    unsigned calls = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), told);
         it != std::sregex_iterator(); ++it, ++calls) {
        std::regex logged("\"record\":\"call\",\"step\":\"write\",[^}]*\"call\":\"" +
                          (*it)[1].str() + "\"[^\n]*\"status\":\"" + (*it)[2].str() +
                          "\",\"index\":[0-9]+,\"cycles\":" + (*it)[3].str() + "\\}");
        EXPECT_GE(count(log, logged, false), 1u) << (*it)[0];
    }
    EXPECT_EQ(calls, 2u); /* REC_ENTER, and again after the VMM's emulation */
}

} // namespace
} // namespace rmesim

// libsystemc references sc_main; these tests start no simulation in this process.
int sc_main(int, char **)
{
    return 0;
}

// A byte the device printed that is not UTF-8 (0xff) is escaped in the log, which stays UTF-8
// (before, the byte was copied raw).
TEST(EventStream, TheLogEscapesDeviceOutputThatIsNotUtf8)
{
    std::string out = test_dir() + "uart-ff", yaml = out + ".yaml";
    std::string text = slurp(std::string(SCENARIOS_DIR) + "/uart-mmio.yaml");
    for (auto [from, to] : {std::pair<std::string, std::string>{"value: 0x48 }", "value: 0xff }"},
                            {"value: 0x48 }", "value: 0xff }"},
                            {"output: \"H\"", "output: \"x\""}}) {
        size_t at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    }
    std::ofstream(yaml) << text;
    std::system((std::string(RMESIM_BIN) + " run " + yaml + " --quiet --log " + out +
                 ".jsonl > /dev/null 2>&1")
                    .c_str());
    std::string log = slurp(out + ".jsonl");
    EXPECT_NE(log.find("\"output\":\"\\u00ff\""), std::string::npos);
    EXPECT_EQ(log.find('\xff'), std::string::npos);
}
