// run_elf() (a64_elf_run.hpp).
#include "a64_elf_run.hpp"

#include <cstdio>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" {
#include "cpu/a64.h"
}

namespace a64test
{
namespace
{

constexpr uint64_t kVbar = 0x7F00'0000; // EL1's vector table, away from GNU ld's 0x400000
constexpr uint32_t kEret = 0xd69f03e0;

struct Segment {
    uint64_t base;
    std::vector<uint8_t> bytes;
    bool write, exec, el1_only;
};

struct Machine {
    std::vector<Segment> segments;
    const a64_core *core = nullptr;

    // The bytes at [va, va + size) if one segment holds them and allows the access at the
    // core's current EL; else the fault a stage-1 MMU with these mappings would report.
    uint8_t *at(uint64_t va, unsigned size, bool write, bool fetch, a64_fault *f)
    {
        for (Segment &s : segments) {
            if (va < s.base || va - s.base + size > s.bytes.size())
                continue;
            bool el0 = core->el == 0;
            if ((write && !s.write) || (fetch && !s.exec) || (el0 && s.el1_only)) {
                f->target_el = 1;
                f->fsc = 0x0F; // permission fault, level 3
                return nullptr;
            }
            return &s.bytes[va - s.base];
        }
        f->target_el = 1;
        f->fsc = 0x07; // translation fault, level 3
        return nullptr;
    }
};

bool m_read(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t *v, a64_fault *f)
{
    uint8_t *p = static_cast<Machine *>(ctx)->at(va, size, false, kind & A64_ACC_FETCH, f);
    if (!p)
        return false;
    *v = 0;
    std::memcpy(v, p, size);
    return true;
}

bool m_write(void *ctx, uint64_t va, unsigned size, unsigned, uint64_t v, a64_fault *f)
{
    uint8_t *p = static_cast<Machine *>(ctx)->at(va, size, true, false, f);
    if (!p)
        return false;
    if (size > 8)
        std::memset(p, 0, size); // DC ZVA
    else
        std::memcpy(p, &v, size);
    return true;
}

const a64_mem_ops kOps = {m_read, m_write, nullptr, nullptr, nullptr, nullptr};

std::string load(const std::string &path, Machine &m, uint64_t *entry)
{
    std::ifstream f(path, std::ios::binary);
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(f)),
                              std::istreambuf_iterator<char>());
    Elf64_Ehdr eh;
    if (file.size() < sizeof eh)
        return path + ": not an ELF file";
    std::memcpy(&eh, file.data(), sizeof eh);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_AARCH64 || eh.e_type != ET_EXEC)
        return path + ": not a little-endian AArch64 ET_EXEC ELF64 file";
    for (unsigned k = 0; k < eh.e_phnum; k++) {
        Elf64_Phdr ph;
        uint64_t off = eh.e_phoff + (uint64_t)k * eh.e_phentsize;
        if (off + sizeof ph > file.size())
            return path + ": program header " + std::to_string(k) + " outside the file";
        std::memcpy(&ph, file.data() + off, sizeof ph);
        if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC || ph.p_type == PT_TLS)
            return path + ": not a static program (program header " + std::to_string(k) + ")";
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_offset + ph.p_filesz > file.size() || ph.p_filesz > ph.p_memsz)
            return path + ": PT_LOAD " + std::to_string(k) + " outside the file";
        // mapped by whole 4 KiB pages, as an MMU maps them (word-at-a-time string code reads
        // past the end of .rodata into the rest of its page)
        uint64_t base = ph.p_vaddr & ~0xFFFull, end = (ph.p_vaddr + ph.p_memsz + 0xFFF) & ~0xFFFull;
        Segment s{base, std::vector<uint8_t>(end - base), (ph.p_flags & PF_W) != 0,
                  (ph.p_flags & PF_X) != 0, false};
        std::memcpy(s.bytes.data() + (ph.p_vaddr - base), file.data() + ph.p_offset, ph.p_filesz);
        m.segments.push_back(std::move(s));
    }
    if (m.segments.empty())
        return path + ": no PT_LOAD segment";
    *entry = eh.e_entry;
    return "";
}

// The system call the SVC asked for (x8; arguments x0-x2, result x0), as Linux's
// invoke_syscall (arch/arm64/kernel/syscall.c) dispatches it. Returns false at exit.
bool syscall(a64_core &c, Machine &m, ElfRun &run)
{
    switch (c.x[8]) {
    case 64: { // write(fd, buf, len)
        if (c.x[0] != 1) {
            c.x[0] = (uint64_t)-9; // EBADF
            return true;
        }
        std::string bytes;
        for (uint64_t k = 0; k < c.x[2]; k++) {
            a64_fault f{};
            a64_core el0 = c;
            el0.el = 0; // the buffer is read as the EL0 caller could
            m.core = &el0;
            uint8_t *p = m.at(c.x[1] + k, 1, false, false, &f);
            m.core = &c;
            if (!p) {
                c.x[0] = (uint64_t)-14; // EFAULT
                return true;
            }
            bytes += (char)*p;
        }
        run.out += bytes;
        c.x[0] = c.x[2]; // every byte written
        return true;
    }
    case 93: // exit(status): do_exit((status & 0xff) << 8)
        run.status = (int)(c.x[0] & 0xff);
        return false;
    default:
        c.x[0] = (uint64_t)-38; // ENOSYS (do_ni_syscall)
        return true;
    }
}

// The signal Linux sends for a synchronous exception from EL0 (arch/arm64/mm/fault.c
// fault_info, arch/arm64/kernel/traps.c), as the exit status 128 + signal.
int killed_status(uint64_t esr)
{
    unsigned ec = (unsigned)(esr >> 26) & 0x3F, fsc = (unsigned)esr & 0x3F;
    const int sigill = 4, sigbus = 7, sigsegv = 11;
    if (ec == 0x22 || ec == 0x26 || ((ec == 0x24 || ec == 0x20) && fsc == 0x21))
        return 128 + sigbus; // PC, SP or data alignment
    if (ec == 0x24 || ec == 0x20)
        return 128 + sigsegv;
    return 128 + sigill; // UNDEFINED and the rest
}

} // namespace

ElfRun run_elf(const std::string &path, uint64_t max_instructions)
{
    ElfRun run;
    Machine m;
    uint64_t entry = 0;
    run.error = load(path, m, &entry);
    if (!run.error.empty())
        return run;
    // EL1: the vector table, each entry an ERET (only the lower-EL synchronous one is reached)
    Segment vectors{kVbar, std::vector<uint8_t>(0x800), false, true, true};
    for (unsigned off = 0; off < 0x800; off += 4)
        std::memcpy(&vectors.bytes[off], &kEret, 4);
    m.segments.push_back(std::move(vectors));
    a64_core c;
    a64_reset(&c, &kOps, &m);
    m.core = &c;
    // SCTLR_EL1 as Linux runs user space: SA0, SA, nTWI, nTWE, DZE, UCT, UCI; A = 0
    c.sys[A64_SCTLR_EL1] |=
        (1u << 3) | (1u << 4) | (1u << 14) | (1u << 15) | (1u << 16) | (1u << 18) | (1u << 26);
    c.sys[A64_VBAR_EL1] = kVbar;
    c.el = 0;
    c.daif = 0;
    c.pc = entry;
    while (run.instructions < max_instructions) {
        a64_result r;
        a64_step(&c, &r);
        run.instructions++;
        if (r.outcome == A64_OK)
            continue;
        if (r.outcome != A64_EXCEPTION_TAKEN) {
            run.error = "outcome " + std::to_string(r.outcome) + " at pc " + std::to_string(r.pc);
            return run;
        }
        char fault[96];
        std::snprintf(fault, sizeof fault, "ESR 0x%llx FAR 0x%llx PC 0x%llx",
                      (unsigned long long)r.esr, (unsigned long long)r.far,
                      (unsigned long long)r.pc);
        bool from_el0 = (c.sys[A64_SPSR_EL1] & 0xF) == 0;
        if (!from_el0) {
            run.error = std::string("exception at EL1: ") + fault;
            return run;
        }
        if ((r.esr >> 26) == 0x15) { // SVC: the call, then the vector's ERET returns
            if (!syscall(c, m, run))
                return run;
            continue;
        }
        run.fault = fault;
        run.status = killed_status(r.esr);
        return run;
    }
    run.error = "no exit after " + std::to_string(max_instructions) + " instructions";
    return run;
}

} // namespace a64test
