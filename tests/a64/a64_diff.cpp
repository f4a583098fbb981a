// The differential run (a64_diff.hpp): one assembly file per batch, built with the cross gcc,
// run under qemu-aarch64; each sequence's record (registers, NZCV, SP, its body's address) and
// buffer come back on stdout and are compared with the interpreter's run of the same words.
#include "a64_diff.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <vector>

#include "a64_gen.hpp"

extern "C" {
#include "cpu/a64.h"
#include "cpu/a64_decode.h"
}

namespace a64test
{
namespace
{

constexpr unsigned kRecordQuads = 36; // X0-X30, NZCV, SP, body, end, unused
constexpr unsigned kRecord = kRecordQuads * 8;

bool on_path(const char *tool)
{
    const char *path = std::getenv("PATH");
    std::stringstream ss(path ? path : "");
    std::string dir;
    while (std::getline(ss, dir, ':'))
        if (!dir.empty() && access((dir + "/" + tool).c_str(), X_OK) == 0)
            return true;
    return false;
}

// Flat test memory: the sequence's pool and body (read-only) and the buffer.
struct FlatMemory {
    uint64_t code_base = 0;
    std::vector<uint8_t> code;
    uint64_t buf_base = 0;
    std::vector<uint8_t> buf;

    uint8_t *at(uint64_t va, unsigned size, bool write)
    {
        if (va >= buf_base && va - buf_base + size <= buf.size())
            return &buf[va - buf_base];
        if (!write && va >= code_base && va - code_base + size <= code.size())
            return &code[va - code_base];
        return nullptr;
    }
};

bool flat_read(void *ctx, uint64_t va, unsigned size, unsigned, uint64_t *value, a64_fault *f)
{
    uint8_t *p = static_cast<FlatMemory *>(ctx)->at(va, size, false);
    if (!p) {
        f->target_el = 1;
        f->fsc = 0x07; // translation fault, level 3
        return false;
    }
    uint64_t v = 0;
    std::memcpy(&v, p, size);
    *value = v;
    return true;
}

bool flat_write(void *ctx, uint64_t va, unsigned size, unsigned, uint64_t value, a64_fault *f)
{
    uint8_t *p = static_cast<FlatMemory *>(ctx)->at(va, size, true);
    if (!p) {
        f->target_el = 1;
        f->fsc = 0x07;
        return false;
    }
    if (size > 8)
        std::memset(p, 0, size); // DC ZVA
    else
        std::memcpy(p, &value, size);
    return true;
}

const a64_mem_ops kFlatOps = {flat_read, flat_write, nullptr, nullptr, nullptr, nullptr};

void write_asm(std::ostream &o, const std::vector<Sequence> &seqs, const std::vector<uint8_t> &init)
{
    o << "\t.text\n\t.global _start\n_start:\n"
         "\tadrp x1, hdr\n\tadd x1, x1, :lo12:hdr\n\tmrs x0, dczid_el0\n\tstr x0, [x1]\n"
         "\tmrs x0, ctr_el0\n\tstr x0, [x1, #8]\n"
         "\tmov x0, #1\n\tmov x2, #16\n\tmov x8, #64\n\tsvc #0\n";
    for (size_t n = 0; n < seqs.size(); n++) {
        const Sequence &s = seqs[n];
        o << "\tmsr tpidr_el0, xzr\n\tclrex\n"
             "\tadrp x0, initbuf\n\tadd x0, x0, :lo12:initbuf\n"
             "\tadrp x1, buf\n\tadd x1, x1, :lo12:buf\n\tmov x2, #"
          << kBufSize / 8
          << "\n1:\tldr x3, [x0], #8\n\tstr x3, [x1], #8\n\tsubs x2, x2, #1\n\tb.ne 1b\n"
             "\tadrp x0, buf\n\tadd x0, x0, :lo12:buf\n\tadd sp, x0, #"
          << kSpOffset << "\n\tadrp x30, regs_" << n << "\n\tadd x30, x30, :lo12:regs_" << n
          << "\n\tldr x0, [x30, #248]\n\tmsr nzcv, x0\n";
        for (unsigned r = 0; r < 28; r += 2)
            o << "\tldp x" << r << ", x" << r + 1 << ", [x30, #" << r * 8 << "]\n";
        o << "\tldr x29, [x30, #232]\n\tldr x30, [x30, #240]\n"
             "\tadrp x28, buf\n\tadd x28, x28, :lo12:buf\n\tadd x28, x28, #"
          << kBaseOffset << "\n\tb body_" << n << "\n\t.balign 8\n";
        for (unsigned k = 0; k < kPoolWords; k++)
            o << "\t.word 0x" << std::hex << s.pool[k] << std::dec << "\n";
        o << "body_" << n << ":\n";
        for (size_t k = 0; k < s.body.size(); k++)
            o << (k % 8 == 0 ? "\t.inst 0x" : ", 0x") << std::hex << s.body[k] << std::dec
              << (k % 8 == 7 || k + 1 == s.body.size() ? "\n" : "");
        o << "end_" << n << ":\n\tmsr tpidr_el0, x0\n\tadrp x0, out\n\tadd x0, x0, :lo12:out\n";
        for (unsigned r = 1; r < 31; r += 2)
            o << "\tstp x" << r << ", x" << r + 1 << ", [x0, #" << r * 8 << "]\n";
        o << "\tmrs x1, tpidr_el0\n\tstr x1, [x0]\n\tmrs x1, nzcv\n\tstr x1, [x0, #248]\n"
             "\tmov x1, sp\n\tstr x1, [x0, #256]\n\tadr x1, body_"
          << n << "\n\tstr x1, [x0, #264]\n\tadr x1, end_" << n
          << "\n\tstr x1, [x0, #272]\n"
             "\tmov x1, x0\n\tmov x0, #1\n\tmov x2, #"
          << kRecord + kBufSize << "\n\tmov x8, #64\n\tsvc #0\n";
    }
    o << "\tmov x0, #0\n\tmov x8, #93\n\tsvc #0\n\t.data\n\t.balign 16\n";
    for (size_t n = 0; n < seqs.size(); n++) {
        o << "regs_" << n << ":\n";
        for (unsigned r = 0; r < 31; r++)
            o << "\t.quad 0x" << std::hex << seqs[n].regs[r] << std::dec << "\n";
        o << "\t.quad 0x" << std::hex << seqs[n].nzcv << std::dec << "\n";
    }
    o << "initbuf:\n";
    for (unsigned k = 0; k < kBufSize; k += 8) {
        uint64_t q;
        std::memcpy(&q, &init[k], 8);
        o << "\t.quad 0x" << std::hex << q << std::dec << "\n";
    }
    o << "\t.bss\n\t.balign 4096\n\t.skip " << 4096 - kRecord << "\nout:\t.skip " << kRecord
      << "\nbuf:\t.skip " << kBufSize << "\nhdr:\t.skip 16\n";
}

std::string hex(uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return b;
}

// Run one sequence on the interpreter and compare; returns the difference, or "".
std::string compare(const Sequence &s, const uint64_t *rec, const uint8_t *qbuf,
                    const std::vector<uint8_t> &init, const uint64_t *id, DiffTotals *t)
{
    FlatMemory m;
    uint64_t body = rec[33], end = rec[34];
    m.code_base = body - 4 * kPoolWords;
    m.code.resize(4 * (kPoolWords + s.body.size()));
    std::memcpy(m.code.data(), s.pool.data(), 4 * kPoolWords);
    std::memcpy(m.code.data() + 4 * kPoolWords, s.body.data(), 4 * s.body.size());
    m.buf_base = rec[28] - kBaseOffset;
    m.buf = init;
    if (end != body + 4 * s.body.size())
        return "the program's body is not where the record says";
    a64_core c;
    a64_reset(&c, &kFlatOps, &m);
    c.el = 0;
    c.daif = 0;
    // SCTLR_EL1 as Linux sets it for EL0 (SA0, nTWI, nTWE, DZE, UCT, UCI; A = 0)
    c.sys[A64_SCTLR_EL1] |=
        (1u << 4) | (1u << 16) | (1u << 18) | (1u << 14) | (1u << 15) | (1u << 26);
    c.id.dczid = id[0]; // the platform's identification is QEMU's
    c.id.ctr = id[1];
    for (unsigned r = 0; r < 31; r++)
        c.x[r] = s.regs[r];
    c.x[28] = rec[28];
    c.sp_el0 = rec[32];
    c.nzcv = s.nzcv;
    c.pc = body;
    for (size_t n = 0; c.pc != end; n++) {
        a64_result st;
        if (n > s.body.size())
            return "the interpreter ran past the body";
        a64_step(&c, &st);
        a64_insn insn;
        a64_decode(st.insn, &insn);
        t->executed++;
        t->by_op[insn.op & 63]++;
        if (st.outcome != A64_OK)
            return "outcome " + std::to_string(st.outcome) + " at pc " + hex(st.pc) + " insn " +
                   hex(st.insn) + " esr " + hex(st.esr) + " far " + hex(st.far);
    }
    std::string diff;
    for (unsigned r = 0; r < 31; r++)
        if (c.x[r] != rec[r])
            diff += " x" + std::to_string(r) + " qemu " + hex(rec[r]) + " rmesim " + hex(c.x[r]);
    if (c.nzcv != rec[31])
        diff += " nzcv qemu " + hex(rec[31]) + " rmesim " + hex(c.nzcv);
    if (c.sp_el0 != rec[32])
        diff += " sp qemu " + hex(rec[32]) + " rmesim " + hex(c.sp_el0);
    for (unsigned k = 0; k < kBufSize; k++)
        if (m.buf[k] != qbuf[k]) {
            diff += " buffer+" + std::to_string(k) + " qemu " + hex(qbuf[k]) + " rmesim " +
                    hex(m.buf[k]);
            break;
        }
    return diff;
}

std::string words(const Sequence &s)
{
    std::string w;
    for (uint32_t x : s.body)
        w += " " + hex(x);
    return w;
}

} // namespace

const char *op_name(unsigned op)
{
    static const char *const names[] = {
        "UNDEF",     "ADR",          "ADDSUB_IMM", "LOGIC_IMM", "MOVW",    "BITFIELD", "EXTR",
        "LOGIC_REG", "ADDSUB_SHIFT", "ADDSUB_EXT", "ADC",       "CCMP",    "CSEL",     "DP1",
        "DP2",       "DP3",          "B",          "BCOND",     "CBZ",     "TBZ",      "BR",
        "ERET",      "EXC",          "HINT",       "BARRIER",   "MSR_IMM", "SYS",      "MRS",
        "MSR",       "LDST",         "LDP",        "LDLIT",     "LDEX",    "CAS",      "ATOMIC"};
    static_assert(sizeof(names) / sizeof(names[0]) == A64_OP_ATOMIC + 1, "one name an op");
    return op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

std::string missing_tools(std::initializer_list<const char *> tools)
{
    std::string missing;
    for (const char *t : tools)
        if (!on_path(t))
            missing += std::string(missing.empty() ? "" : " ") + t;
    return missing;
}

DiffTotals run_diff(uint64_t seed, uint64_t count, unsigned length, unsigned batch)
{
    DiffTotals t;
    std::mt19937_64 rng(seed);
    char tmpl[] = "/tmp/rmesim-a64-XXXXXX";
    if (!mkdtemp(tmpl)) {
        t.error = "cannot create a temporary directory";
        return t;
    }
    std::filesystem::path dir(tmpl);
    for (uint64_t done = 0; done < count && t.error.empty();) {
        unsigned n = (unsigned)std::min<uint64_t>(batch, count - done);
        std::vector<Sequence> seqs;
        for (unsigned k = 0; k < n; k++)
            seqs.push_back(generate(rng, length));
        std::vector<uint8_t> init(kBufSize);
        for (auto &b : init)
            b = (uint8_t)rng();
        {
            std::ofstream f(dir / "batch.S");
            write_asm(f, seqs, init);
        }
        std::string cc = "aarch64-linux-gnu-gcc -nostdlib -static -o " + (dir / "batch").string() +
                         " " + (dir / "batch.S").string() + " 2>&1";
        if (std::system(cc.c_str()) != 0) {
            t.error = "assembling " + (dir / "batch.S").string() + " failed";
            break;
        }
        std::string run = "qemu-aarch64 " + (dir / "batch").string();
        FILE *p = popen(run.c_str(), "r");
        std::vector<uint8_t> out;
        uint8_t chunk[65536];
        size_t got;
        while (p && (got = fread(chunk, 1, sizeof chunk, p)) > 0)
            out.insert(out.end(), chunk, chunk + got);
        int status = p ? pclose(p) : -1;
        size_t want = 16 + (size_t)n * (kRecord + kBufSize);
        if (status != 0 || out.size() != want) {
            t.error = "qemu-aarch64 " + (dir / "batch").string() + " exited with status " +
                      std::to_string(status) + " after " + std::to_string(out.size()) + " of " +
                      std::to_string(want) + " bytes (a sequence faulted under QEMU?)";
            break;
        }
        uint64_t id[2]; // DCZID_EL0, CTR_EL0 as QEMU's CPU reports them
        std::memcpy(id, out.data(), sizeof id);
        for (unsigned k = 0; k < n; k++) {
            const uint8_t *r = out.data() + 16 + (size_t)k * (kRecord + kBufSize);
            uint64_t rec[kRecordQuads];
            std::memcpy(rec, r, kRecord);
            std::string d = compare(seqs[k], rec, r + kRecord, init, id, &t);
            t.sequences++;
            t.generated += seqs[k].body.size();
            if (!d.empty()) {
                if (!t.mismatches)
                    t.first_mismatch = "seed " + std::to_string(seed) + " sequence " +
                                       std::to_string(done + k) + ":" + d +
                                       "\n  words:" + words(seqs[k]);
                t.mismatches++;
            }
        }
        done += n;
    }
    if (t.error.empty())
        std::filesystem::remove_all(dir);
    return t;
}

} // namespace a64test
