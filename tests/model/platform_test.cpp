// The SystemC platform: quantum-keeper time, contention between cores, VCD replay.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "isolated.hpp"
#include "model/core.hpp"
#include "model/memory_system.hpp"
#include "model/tracer.hpp"

using namespace rmesim;
using namespace sc_core;

namespace
{

constexpr uint64_t kDram = 0x8000'0000;

struct HammerResult {
    uint64_t cycles[2];   // per core, simulated cycles to finish its reads
    uint64_t checksum[2]; // sum of the values each core read back
    uint64_t queueing;
};

// `active` cores each write then read `n` words of their own DRAM area, all starting together.
HammerResult hammer(unsigned active, unsigned n, unsigned quantum_cycles)
{
    return run_isolated<HammerResult>([=] {
        sc_time period(500, SC_PS); // 2 GHz
        tlm::tlm_global_quantum::instance().set(period * double(quantum_cycles));
        phys_mem *mem = phys_mem_create();
        phys_mem_add_ram(mem, "dram", kDram, 1 << 24);
        Interconnect bus("bus", 10, period);
        PhysTarget dram("dram", mem, kDram, 1 << 24, true, {120, 40}, period);
        bus.attach(dram);
        std::unique_ptr<Core> cores[2];
        HammerResult r{};
        for (unsigned c = 0; c < 2; c++) {
            cores[c] = std::make_unique<Core>(("core" + std::to_string(c)).c_str(), c, period);
            cores[c]->socket.bind(bus.from_initiators);
        }
        for (unsigned c = 0; c < active; c++) {
            cores[c]->post([&r, c, n](Core &core) {
                uint64_t base = kDram + c * 0x10'0000, sum = 0, cycles = 0;
                for (unsigned i = 0; i < n; i++)
                    mem_write(core.port(), base + 8 * i, RME_PAS_NS, 8, i * 3 + c, &cycles);
                for (unsigned i = 0; i < n; i++) {
                    uint64_t v = 0;
                    mem_read(core.port(), base + 8 * i, RME_PAS_NS, 8, &v, &cycles);
                    core.charge(1); // one cycle of work per element
                    sum += v;
                }
                r.checksum[c] = sum;
            });
        }
        sc_start();
        for (unsigned c = 0; c < 2; c++)
            r.cycles[c] = cores[c]->total_cycles();
        r.queueing = dram.contention().total_queueing();
        phys_mem_destroy(mem);
        return r;
    });
}

TEST(Platform, OneCoreAloneNeverQueues)
{
    HammerResult one = hammer(1, 500, 1000);
    EXPECT_EQ(one.queueing, 0u);
    // 1000 accesses at 10 (hop) + 120 (DRAM), plus 500 cycles of work.
    EXPECT_EQ(one.cycles[0], 1000u * 130 + 500);
    EXPECT_EQ(one.checksum[0], 3u * 500 * 499 / 2);
}

TEST(Platform, TwoCoresHammeringDramTakeLonger)
{
    HammerResult one = hammer(1, 500, 1000);
    HammerResult two = hammer(2, 500, 1000);
    EXPECT_GT(two.queueing, 0u);
    // Within a quantum the core that runs first books the bandwidth first (see contention.hpp),
    // so the slowdown lands on the other core; together they take longer than twice one.
    EXPECT_GE(two.cycles[0], one.cycles[0]);
    EXPECT_GT(two.cycles[1], one.cycles[0]);
    EXPECT_EQ(two.cycles[0] + two.cycles[1], 2 * one.cycles[0] + two.queueing);
}

TEST(Platform, QuantumChangesNoFunctionalResult)
{
    HammerResult a = hammer(2, 300, 100);
    HammerResult b = hammer(2, 300, 10000);
    EXPECT_EQ(a.checksum[0], b.checksum[0]);
    EXPECT_EQ(a.checksum[1], b.checksum[1]);
    EXPECT_EQ(a.checksum[1], 3u * 300 * 299 / 2 + 300);
}

// One core, a bus and `size` bytes of DRAM at kDram (1 GHz, 5-cycle DRAM): the store outlives
// the modules that use it.
struct OneCoreMachine {
    sc_time period{1, SC_NS};
    phys_mem *mem;
    Interconnect bus{"bus", 1, period};
    PhysTarget dram;
    Core core{"core0", 0, period};
    explicit OneCoreMachine(uint64_t size)
        : mem(make(size)), dram("dram", mem, kDram, size, true, {5, 1}, period)
    {
        bus.attach(dram);
        core.socket.bind(bus.from_initiators);
    }
    ~OneCoreMachine() { phys_mem_destroy(mem); }
    static phys_mem *make(uint64_t size)
    {
        phys_mem *m = phys_mem_create();
        phys_mem_add_ram(m, "dram", kDram, size);
        return m;
    }
};

TEST(Platform, UnmappedAddressIsAnExternalAbort)
{
    struct R {
        int status;
        uint64_t value;
    };
    R r = run_isolated<R>([] {
        OneCoreMachine m(1 << 20);
        R out{};
        m.core.post([&out](Core &c) {
            out.value = 7;
            out.status = mem_read(c.port(), 0x1000, RME_PAS_NS, 4, &out.value, nullptr);
        });
        sc_start();
        return out;
    });
    EXPECT_EQ(r.status, MEM_EXTERNAL_ABORT);
    EXPECT_EQ(r.value, 0u);
}

// L1D hits move data through DMI pages: a read of memory never written allocates nothing and
// reads zero; a write through the L1 is what the bus and phys_mem see, and the reverse.
TEST(Platform, L1HitsThroughDmiKeepMemorySparseAndCoherent)
{
    struct R {
        size_t pages_after_reads, pages_after_writes;
        uint64_t zero_sum, via_l1, via_phys_mem, after_phys_write;
    };
    R r = run_isolated<R>([] {
        OneCoreMachine m(1 << 24);
        m.core.set_l1d(512, 8, 1, {{kDram, 1 << 24}});
        phys_mem *mem = m.mem;
        R out{};
        m.core.post([&out, mem](Core &c) {
            uint64_t v = 0;
            for (int pass = 0; pass < 2; pass++) /* the second pass hits the L1 */
                for (uint64_t pg = 0; pg < 100; pg++) {
                    mem_read(c.port(), kDram + pg * 4096, RME_PAS_NS, 8, &v, nullptr);
                    out.zero_sum += v;
                }
            out.pages_after_reads = phys_mem_resident_pages(mem);
            mem_write(c.port(), kDram + 8, RME_PAS_NS, 8, 0x1111, nullptr); /* an L1 hit */
            mem_read(c.port(), kDram + 8, RME_PAS_NS, 8, &out.via_l1, nullptr);
            phys_mem_read(mem, kDram + 8, RME_PAS_NS, 8, &out.via_phys_mem);
            phys_mem_write(mem, kDram + 8, RME_PAS_NS, 8, 0x2222); /* behind the core's back */
            mem_read(c.port(), kDram + 8, RME_PAS_NS, 8, &out.after_phys_write, nullptr);
            out.pages_after_writes = phys_mem_resident_pages(mem);
        });
        sc_start();
        return out;
    });
    EXPECT_EQ(r.zero_sum, 0u);
    EXPECT_EQ(r.pages_after_reads, 0u);
    EXPECT_EQ(r.via_l1, 0x1111u);
    EXPECT_EQ(r.via_phys_mem, 0x1111u);
    EXPECT_EQ(r.after_phys_write, 0x2222u);
    EXPECT_EQ(r.pages_after_writes, 1u);
}

std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Values recorded ahead of the kernel appear in the VCD at their own times, in order; an
// enumeration as a string that names its value, idle as NONE; a vector idle as x.
TEST(Platform, TracerWritesRecordsInTimeOrder)
{
    std::string dir = ::testing::TempDir() + "platform-" + std::to_string(getpid());
    ::mkdir(dir.c_str(), 0755); /* this process's own: two suites may run at once */
    std::string vcd = dir + "/tracer_test.vcd";
    struct R {
        int ok;
    };
    run_isolated<R>([&] {
        Tracer tracer;
        TraceOptions o;
        o.fixed_date = true;
        std::string error;
        tracer.open(vcd, o);
        if (!tracer.start(error))
            return R{0};
        static const EnumNames pas = {{0, "SECURE"}, {1, "NS"}, {2, "ROOT"}, {3, "REALM"}};
        int el = tracer.declare("core0.el", 2, nullptr, "core0");
        int p = tracer.declare("core0.pas", 2, &pas, "core0");
        struct Driver : sc_module {
            Driver(sc_module_name n, Tracer &t, int el, int p) : sc_module(n)
            {
                SC_HAS_PROCESS(Driver);
                SC_THREAD(run);
                t_ = &t;
                el_ = el;
                p_ = p;
            }
            void run()
            {
                // Recorded out of order and ahead of time, as a core inside a quantum would.
                t_->record(el_, sc_time(30, SC_NS), 2);
                t_->record(p_, sc_time(20, SC_NS), 3);
                t_->record(el_, sc_time(10, SC_NS), 1);
                wait(15, SC_NS);
                t_->record(p_, sc_time(16, SC_NS), 1); // arrives while 20 ns is pending
                t_->record_idle(p_, sc_time(25, SC_NS));
                sc_stop();
            }
            Tracer *t_;
            int el_, p_;
        } driver("driver", tracer, el, p);
        sc_start();
        if (!tracer.close(sc_time(40, SC_NS), error))
            return R{0};
        if (!tracer.write_gtkw(dir + "/tracer_test.gtkw", vcd, sc_time(40, SC_NS), error))
            return R{0};
        return R{tracer.late_events() == 0 ? 1 : 0};
    });
    std::string text = slurp(vcd);
    ASSERT_NE(text.find("fixed for reproducible traces"), std::string::npos);
    EXPECT_NE(text.find("$var string 1 \" pas $end"), std::string::npos);
    EXPECT_NE(text.find("$var wire 2 ! el [1:0] $end"), std::string::npos);
    // the window opens with every signal idle; times in ps
    size_t t0 = text.find("#0\n$dumpvars\nbx !\nsNONE \"\n$end"), t10 = text.find("#10000"),
           t16 = text.find("#16000"), t20 = text.find("#20000"), t25 = text.find("#25000"),
           t30 = text.find("#30000"), t40 = text.find("#40000");
    ASSERT_NE(t0, std::string::npos);
    for (size_t t : {t10, t16, t20, t25, t30, t40})
        ASSERT_NE(t, std::string::npos);
    EXPECT_LT(t10, t16);
    EXPECT_LT(t16, t20);
    EXPECT_LT(t20, t25);
    EXPECT_LT(t25, t30);
    EXPECT_LT(t30, t40); // the trace lasts to the end
    EXPECT_EQ(text.substr(t10, 12), "#10000\nb1 !\n");
    EXPECT_EQ(text.substr(t16, 11), "#16000\nsNS ");
    EXPECT_EQ(text.substr(t20, 14), "#20000\nsREALM ");
    EXPECT_EQ(text.substr(t25, 13), "#25000\nsNONE ");
    std::string gtkw = slurp(dir + "/tracer_test.gtkw");
    EXPECT_NE(gtkw.find("@28\nrmesim.core0.pas\n"), std::string::npos);
    EXPECT_NE(gtkw.find("@22\nrmesim.core0.el[1:0]\n"), std::string::npos);
    EXPECT_NE(gtkw.find("[savefile] \"/"), std::string::npos); // absolute: found after a move
}

} // namespace

// libsystemc references sc_main; the tests start simulations themselves with sc_start().
int sc_main(int, char **)
{
    return 0;
}
