// The EL1 of `rmesim exec` (model/a64_program.hpp), written in C++: the run loop, the two Linux
// system calls of tests/a64corpus/README.md, and the signal that ends a program that takes any
// other exception, as Linux's arm64 entry code and fault handlers choose it.
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <fstream>
#include <memory>

#include "model/a64_program.hpp"
#include "model/cost.hpp"
#include "model/event_log.hpp"
#include "model/output_file.hpp"
#include "model/text.hpp"

extern "C" {
#include "machine/timing.h"
}

namespace rmesim
{

namespace
{

constexpr unsigned kSigIll = 4, kSigTrap = 5, kSigBus = 7, kSigKill = 9, kSigSegv = 11;
constexpr unsigned kSigXcpu = 24;

struct Signal {
    unsigned number;
    const char *what;
};

// The signal Linux sends a process for a synchronous exception from EL0 with this ESR
// (arch/arm64/kernel/entry-common.c el0t_64_sync_handler, v6.6: el0_undef / el0_inv -> SIGILL,
// el0_pc / el0_sp -> SIGBUS, el0_da / el0_ia -> do_mem_abort, el0_dbg (BRK) -> SIGTRAP; the abort's
// signal from arch/arm64/mm/fault.c fault_info[] by DFSC, with the Granule Protection Fault
// entries of the KVM CCA series, "arm64: RME: Handle Granule Protection Faults (GPFs)",
// v2 04/43: do_gpf SIGBUS off a walk, do_gpf_ptw (the kernel dies: SIGKILL here) on one).
Signal linux_signal(uint64_t esr)
{
    unsigned ec = unsigned(esr >> 26), fsc = unsigned(esr & 0x3F);
    switch (ec) {
    case 0x00:
        return {kSigIll, "undefined instruction"};
    case 0x22:
        return {kSigBus, "PC alignment fault"};
    case 0x26:
        return {kSigBus, "SP alignment fault"};
    case 0x3C:
        return {kSigTrap, "BRK"};
    case 0x20:
    case 0x24:
        break;
    default:
        return {kSigIll, "exception Linux does not expect from EL0"};
    }
    if (fsc >= 0x04 && fsc <= 0x07)
        return {kSigSegv, "translation fault"};
    if (fsc >= 0x09 && fsc <= 0x0B)
        return {kSigSegv, "access flag fault"};
    if (fsc >= 0x0D && fsc <= 0x0F)
        return {kSigSegv, "permission fault"};
    switch (fsc) {
    case 0x10:
        return {kSigBus, "synchronous external abort"};
    case 0x21:
        return {kSigBus, "alignment fault"};
    case 0x28:
        return {kSigBus, "granule protection fault"};
    default:
        if (fsc >= 0x23 && fsc <= 0x27)
            return {kSigKill, "granule protection fault on a translation table walk"};
        if (fsc >= 0x14 && fsc <= 0x17)
            return {kSigKill, "synchronous external abort on a translation table walk"};
        return {kSigKill, "abort Linux treats as fatal"};
    }
}

const char *const kSignalNames[32] = {
    nullptr,   "SIGHUP", "SIGINT",  "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", nullptr,  "SIGSEGV", nullptr,   nullptr,  nullptr,   nullptr,   nullptr,  nullptr,
    nullptr,   nullptr,  nullptr,   nullptr,   nullptr,  nullptr,   "SIGXCPU"};

} // namespace

A64ProgramEnd A64Program::run(uint64_t max_instructions, FILE *echo)
{
    cs_.core->post([&](Core &) { run_loop(max_instructions, echo); });
    sc_core::sc_start();
    end_.instructions = binding_->instructions();
    end_.cycles = cs_.core->total_cycles();
    return end_;
}

void A64Program::run_loop(uint64_t max_instructions, FILE *echo)
{
    Spending program(*cs_.core, SW_HOST); /* the NS world's cycles */
    A64Binding &b = *binding_;
    a64_result r;
    ended_ = false;
    while (!ended_) {
        if (b.instructions() >= max_instructions) {
            end_.reason = A64ProgramEnd::kLimit;
            end_.signal = kSigXcpu;
            end_.status = 128 + kSigXcpu;
            std::fprintf(stderr,
                         "rmesim exec: the program ran %" PRIu64 " instructions without "
                         "ending (--max-instructions), stopped at pc %s: status %d (SIGXCPU)\n",
                         b.instructions(), hex(b.core.pc).c_str(), end_.status);
            break;
        }
        b.step(r);
        switch (r.outcome) {
        case A64_OK:
        case A64_WFI: /* no interrupt will come: WFI and WFE complete at once, as they may */
        case A64_WFE:
            break;
        case A64_EXCEPTION_TAKEN:
            el0_exception(r, echo);
            break;
        case A64_TRAP_EL2:
        case A64_TRAP_EL3:
            /* no EL2 or EL3 code: a GPC exception (SCR_EL3.GPF is 0, so only a GPT walk or
             * address-size fault) or a stage-2 fault cannot be handled */
            end_.reason = A64ProgramEnd::kUnhandled;
            end_.status = 128 + kSigKill;
            end_.esr = r.esr, end_.far = r.far, end_.elr = r.elr;
            end_.target_el = r.outcome == A64_TRAP_EL2 ? 2 : 3;
            std::fprintf(stderr,
                         "rmesim exec: an exception to EL%u at pc %s (ESR %s, FAR %s), which "
                         "has no handler here: status %d\n",
                         end_.target_el, hex(r.elr).c_str(), hex(r.esr).c_str(), hex(r.far).c_str(),
                         end_.status);
            ended_ = true;
            break;
        }
    }
    emit_end();
}

// An exception the core took to EL1 (it is at EL1 now, ELR/SPSR/ESR/FAR written). From EL0:
// an SVC is a system call, anything else ends the program.
bool A64Program::el0_exception(const a64_result &r, FILE *echo)
{
    a64_core &c = binding_->core;
    unsigned ec = unsigned(r.esr >> 26);
    uint64_t from_el = (c.sys[A64_SPSR_EL1] >> 2) & 3;
    const uint64_t *t = platform_->machine().timing;
    uint64_t now = cs_.core->now_cycles();
    rme_ev_exception x{ec == 0x15 ? RME_EXC_CALL : RME_EXC_ABORT,
                       EXC_SYNC,
                       unsigned(from_el),
                       1,
                       RME_SS_NS,
                       RME_SS_NS,
                       r.esr,
                       r.far_valid ? r.far : 0,
                       r.elr,
                       false,
                       false,
                       0,
                       0};
    cs_.take(x, now, now + t[TIMING_EXCEPTION_ENTRY]);
    cs_.core->charge(t[TIMING_EXCEPTION_ENTRY]);
    if (ec == 0x15 && from_el == 0) {
        syscall(echo);
        if (ended_)
            return false;
        /* back to EL0 after the SVC (ELR_EL1 is the instruction after it) */
        a64_exception_return(&c);
        cs_.eret(rme_ev_eret{1, 0, RME_SS_NS, RME_SS_NS}, cs_.core->now_cycles());
        cs_.core->charge(t[TIMING_EXCEPTION_RETURN]);
        return true;
    }
    Signal s = from_el == 0 ? linux_signal(r.esr)
                            : Signal{kSigKill, "exception taken at EL1 (the runner's own)"};
    end_by_signal(r, s.number, s.what);
    return false;
}

void A64Program::end_by_signal(const a64_result &r, unsigned signal, const char *what)
{
    end_.reason = A64ProgramEnd::kSignal;
    end_.signal = signal;
    end_.status = int(128 + signal);
    end_.esr = r.esr, end_.far = r.far_valid ? r.far : 0, end_.elr = r.elr;
    end_.target_el = 1;
    std::fprintf(stderr, "rmesim exec: %s at pc %s (ESR_EL1 %s%s%s): %s, status %d\n", what,
                 hex(r.elr).c_str(), hex(r.esr).c_str(), r.far_valid ? ", FAR_EL1 " : "",
                 r.far_valid ? hex(r.far).c_str() : "", kSignalNames[signal], end_.status);
    ended_ = true;
}

// SVC #0 from EL0 (arch/arm64/kernel/syscall.c el0_svc_common / invoke_syscall, v6.6): the
// number in x8, arguments in x0..x2, the result in x0; every other register is kept.
void A64Program::syscall(FILE *echo)
{
    a64_core &c = binding_->core;
    uint64_t nr = c.x[8];
    if (nr == 93) { /* exit: do_exit((code & 0xff) << 8), kernel/exit.c */
        end_.reason = A64ProgramEnd::kExit;
        end_.status = int(c.x[0] & 0xFF);
        ended_ = true;
        return;
    }
    if (nr != 64) {
        c.x[0] = uint64_t(-int64_t(ENOSYS));
        return;
    }
    /* write(fd, buf, len): only fd 1 is the program's stdout; the buffer is read with EL0's
     * permissions (as copy_from_user's unprivileged loads), through the MMU and the GPC */
    uint64_t fd = c.x[0], buf = c.x[1], len = c.x[2];
    if (fd != 1) {
        c.x[0] = uint64_t(-int64_t(EBADF));
        return;
    }
    std::string bytes;
    for (uint64_t at = buf, left = len; left;) {
        /* doublewords where aligned, as copy_from_user's loops do; bytes at the edges, and
         * byte by byte where a doubleword faults, to find the last readable byte */
        unsigned size = at % 8 == 0 && left >= 8 ? 8 : 1;
        uint64_t v;
        a64_fault fault;
        if (!c.mem->read(c.ctx, at, size, A64_ACC_DATA | A64_ACC_UNPRIV, &v, &fault)) {
            if (size == 1)
                break;
            size = 1;
            if (!c.mem->read(c.ctx, at, 1, A64_ACC_DATA | A64_ACC_UNPRIV, &v, &fault))
                break;
        }
        for (unsigned i = 0; i < size; i++)
            bytes.push_back(char(v >> (8 * i)));
        at += size, left -= size;
    }
    if (len && bytes.empty()) {
        c.x[0] = uint64_t(-int64_t(EFAULT));
        return;
    }
    output_ += bytes;
    if (echo) {
        std::fwrite(bytes.data(), 1, bytes.size(), echo);
        std::fflush(echo);
    }
    c.x[0] = bytes.size();
}

int exec_program(const std::string &path, uint64_t max_instructions, const std::string &stats_path,
                 const std::string &log_path)
{
    ElfImage image;
    std::string error;
    if (!read_elf_image(path, image, error)) {
        std::fprintf(stderr, "rmesim: %s\n", error.c_str());
        return 2;
    }
    A64Program program;
    if (!program.load(image, path, error)) {
        std::fprintf(stderr, "rmesim: %s\n", error.c_str());
        return 2;
    }
    std::unique_ptr<EventLog> log;
    OutputFile log_file;
    if (!log_path.empty()) {
        if (!log_file.open(log_path, error)) {
            std::fprintf(stderr, "rmesim: %s\n", error.c_str());
            return 2;
        }
        log = std::make_unique<EventLog>(log_file.file());
        program.subscribe(*log);
    }
    A64ProgramEnd end = program.run(max_instructions, stdout);
    if (log && (!log->finish() || !log_file.commit(error))) {
        std::fprintf(stderr, "rmesim: %s\n",
                     error.empty() ? ("cannot write " + log_path).c_str() : error.c_str());
        return 2;
    }
    if (!stats_path.empty()) {
        OutputFile stats;
        if (!stats.open(stats_path, error) ||
            std::fputs(program.stats_json(path).c_str(), stats.file()) < 0 ||
            !stats.commit(error)) {
            std::fprintf(stderr, "rmesim: %s\n",
                         error.empty() ? ("cannot write " + stats_path).c_str() : error.c_str());
            return 2;
        }
    }
    return end.status;
}

} // namespace rmesim
