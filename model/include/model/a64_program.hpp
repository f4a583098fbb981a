// An EL0 program on the platform (`rmesim exec`, docs/a64.md): a default one-core machine whose
// DRAM is in the Non-secure PAS (EL3's GPT built and the GPC enabled, as firmware does), the
// ELF's PT_LOAD segments copied into NS DRAM, stage-1 tables for the NS EL1&0 regime built in
// that DRAM (4KB granule, the ELF's virtual addresses, Normal write-back, EL0 permissions from the
// segments' flags, a stack, the rest unmapped), and an A64 core started at EL0 on the entry point
// with every fetch and data access going through A64Binding (MMU, TLBs, GPC, L1D, DRAM).
//
// EL1 is this class's C++ (the contract of tests/a64corpus/README.md): an SVC #0 from EL0 is a
// Linux system call, write (64) to fd 1 and exit (93), -ENOSYS for the others, returning as ERET
// does; any other exception from EL0 ends the program with 128 + the signal Linux would send.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "model/a64_binding.hpp"
#include "model/elf_image.hpp"
#include "model/event_stream.hpp"
#include "model/platform.hpp"
#include "model/stats_view.hpp"

namespace rmesim
{

// How a program ended.
struct A64ProgramEnd {
    enum Reason { kExit, kSignal, kLimit, kUnhandled } reason = kUnhandled;
    int status = 0;      // as a shell reports it: exit & 0xff, or 128 + signal
    unsigned signal = 0; // kSignal: the Linux signal number
    uint64_t instructions = 0, cycles = 0;
    // kSignal, kUnhandled: the exception that ended it (ESR as its target EL reads it)
    uint64_t esr = 0, far = 0, elr = 0;
    unsigned target_el = 0;
};

class A64Program
{
  public:
    // The machine: one core, DRAM at kDramBase, EL3's GPT in a Root carve-out. Before sc_start.
    A64Program();
    ~A64Program();
    A64Program(const A64Program &) = delete;
    A64Program &operator=(const A64Program &) = delete;

    static constexpr uint64_t kDramBase = 0x8000'0000, kDramSize = 256ull << 20;
    static constexpr uint64_t kStackTop = 0xFFFF'FFFF'0000ull, kStackSize = 64 * 1024;

    // Loads the segments and builds the tables; false with error "NAME: problem" when the image
    // does not fit (an address beyond the 48-bit VA range, DRAM exhausted).
    bool load(const ElfImage &image, const std::string &name, std::string &error);

    // Runs until the program ends or max_instructions have executed (then kLimit, status
    // 128 + SIGXCPU, as a CPU-time limit ends a Linux process). Its stdout is output(), and is
    // also written to `echo` as it is written when echo is not null.
    A64ProgramEnd run(uint64_t max_instructions, FILE *echo);

    const std::string &output() const { return output_; }
    Platform &platform() { return *platform_; }
    A64Binding &binding() { return *binding_; }
    // The PA the loader put a mapped VA's page at (0 when unmapped).
    uint64_t pa_of(uint64_t va) const;
    // EL3 moves the granule that holds va's page to `gpi` (GPI_REALM...), as the RMM's
    // GRANULE_DELEGATE makes it do (gpt_transition, with the TLBI RPALOS reaching the TLB).
    // 0 or gpt_transition's error. Before run().
    int transition_granule(uint64_t va, unsigned gpi);
    // Another view of the run's records (the event log), before run().
    void subscribe(EventObserver &view) { stream_.subscribe(view); }
    // The --stats JSON: instructions, the end, and the statistics view's counters.
    std::string stats_json(const std::string &name) const;

  private:
    struct Page {
        uint64_t pa;
        bool read, write, exec;
    };
    void run_loop(uint64_t max_instructions, FILE *echo);
    bool el0_exception(const a64_result &r, FILE *echo); // false: the program ended
    void syscall(FILE *echo);
    void end_by_signal(const a64_result &r, unsigned signal, const char *what);
    void emit_end();
    uint64_t alloc_page();
    bool map_page(uint64_t va, bool read, bool write, bool exec, std::string &error);

    std::unique_ptr<Platform> platform_;
    EventStream stream_;
    std::unique_ptr<StatsView> stats_;
    CoreContext cs_;
    a64_core core_{}; // the program's core (the binding works on it)
    std::unique_ptr<A64Binding> binding_;
    uint64_t gpccr_ = 0, gptbr_ = 0, next_page_ = 0, table_next_ = 0, table_end_ = 0, ttbr_ = 0;
    std::map<uint64_t, Page> pages_; // by VA page
    std::string output_;
    A64ProgramEnd end_;
    bool ended_ = false;
};

// `rmesim exec ELF`: loads, runs, prints the program's stdout; returns its status (2 with a
// message on stderr for a bad image). stats_path, log_path: write --stats, --log there when not
// empty.
int exec_program(const std::string &path, uint64_t max_instructions, const std::string &stats_path,
                 const std::string &log_path);

} // namespace rmesim
