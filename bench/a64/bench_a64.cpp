// How fast the A64 core runs code (issue 15): instructions per second of wall time for one loop
// of loads, stores and arithmetic, run twice in one process. A: the interpreter alone on flat
// memory (trivial callbacks, no translation, no time); B: `rmesim exec`'s whole path, every
// fetch and data access through A64Binding (the MMU with TLB hits, the GPC, the L1D, the
// SystemC core's quantum keeper, the ACCESS records and the statistics view). B/A is what the
// platform costs the interpreter.
//
//   bench_a64 [ITERATIONS]      (7 instructions each; default 3,000,000: 21 million instructions)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "model/a64_program.hpp"

extern "C" {
#include "cpu/a64.h"
}

namespace
{

constexpr uint64_t kText = 0x400000, kData = 0x411000;

// x1 = data; x2 = iterations; x4 = 0; loop: x3 = [x1 + x4] + x2; [x1 + x4] = x3; x4 = (x4 + 8)
// & 0xff8; while (--x2); exit(0). Words from aarch64-linux-gnu-as.
std::vector<uint32_t> loop(uint32_t iterations)
{
    return {0xd2a00821,                                /* mov x1, #0x410000 */
            0xf2820001,                                /* movk x1, #0x1000 */
            0xd2a00002 | ((iterations >> 16) << 5),    /* mov x2, #(it >> 16) << 16 */
            0xf2800002 | ((iterations & 0xFFFF) << 5), /* movk x2, #(it & 0xffff) */
            0xd2800004,                                /* mov x4, #0 */
            0xf8646823,                                /* loop: ldr x3, [x1, x4] */
            0x8b020063,                                /* add x3, x3, x2 */
            0xf8246823,                                /* str x3, [x1, x4] */
            0x91002084,                                /* add x4, x4, #8 */
            0x927d2084,                                /* and x4, x4, #0xff8 */
            0xf1000442,                                /* subs x2, x2, #1 */
            0x54ffff41,                                /* b.ne loop */
            0xd2800000,                                /* mov x0, #0 */
            0xd2800ba8,                                /* mov x8, #93 */
            0xd4000001};                               /* svc #0 */
}

// A: flat memory from kText to the end of the data page, nothing else.
struct Flat {
    std::vector<uint8_t> mem = std::vector<uint8_t>(kData + 0x1000 - kText);
    static bool read(void *ctx, uint64_t va, unsigned size, unsigned, uint64_t *value,
                     a64_fault *fault)
    {
        auto *f = static_cast<Flat *>(ctx);
        if (va < kText || va - kText + size > f->mem.size()) {
            *fault = a64_fault{};
            fault->target_el = 1;
            fault->fsc = 0x07; /* a translation fault, level 3 */
            return false;
        }
        uint64_t v = 0;
        std::memcpy(&v, &f->mem[va - kText], size);
        *value = v;
        return true;
    }
    static bool write(void *ctx, uint64_t va, unsigned size, unsigned, uint64_t value,
                      a64_fault *fault)
    {
        auto *f = static_cast<Flat *>(ctx);
        if (va < kText || va - kText + size > f->mem.size()) {
            *fault = a64_fault{};
            fault->target_el = 1;
            fault->fsc = 0x07; /* a translation fault, level 3 */
            return false;
        }
        std::memcpy(&f->mem[va - kText], &value, size);
        return true;
    }
};

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv)
{
    unsigned long iterations = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 3'000'000;
    if (iterations == 0 || iterations > 0xFFFFFFFF) {
        std::fprintf(stderr, "bench_a64: ITERATIONS must be 1..4294967295\n");
        return 2;
    }
    std::vector<uint32_t> text = loop(uint32_t(iterations));
    std::vector<uint8_t> text_bytes(text.size() * 4);
    std::memcpy(text_bytes.data(), text.data(), text_bytes.size());

    // A: the interpreter alone
    Flat flat;
    std::memcpy(flat.mem.data(), text_bytes.data(), text_bytes.size());
    a64_mem_ops ops{};
    ops.read = Flat::read;
    ops.write = Flat::write;
    a64_core core;
    a64_reset(&core, &ops, &flat);
    core.el = 0, core.spsel = false, core.daif = 0, core.pc = kText;
    uint64_t flat_insns = 0;
    a64_result r{};
    auto t0 = std::chrono::steady_clock::now();
    do {
        a64_step(&core, &r);
        flat_insns++;
    } while (r.outcome == A64_OK);
    double flat_s = seconds_since(t0);
    if (r.outcome != A64_EXCEPTION_TAKEN || (r.esr >> 26) != 0x15) {
        std::fprintf(stderr, "bench_a64: the flat run ended with ESR %#llx at %#llx\n",
                     (unsigned long long)r.esr, (unsigned long long)r.pc);
        return 1;
    }

    // B: the platform (rmesim exec's machine)
    rmesim::ElfImage image;
    image.entry = kText;
    image.segments.push_back(
        {kText, text_bytes.size(), text_bytes.size(), true, false, true, text_bytes});
    image.segments.push_back({kData, 0x1000, 0, true, true, false, {}});
    rmesim::A64Program program;
    std::string error;
    if (!program.load(image, "bench_a64", error)) {
        std::fprintf(stderr, "bench_a64: %s\n", error.c_str());
        return 1;
    }
    t0 = std::chrono::steady_clock::now();
    rmesim::A64ProgramEnd end = program.run(~0ull, nullptr);
    double full_s = seconds_since(t0);
    if (end.reason != rmesim::A64ProgramEnd::kExit || end.status != 0 ||
        end.instructions != flat_insns) {
        std::fprintf(stderr,
                     "bench_a64: the platform run ended with status %d after %llu "
                     "instructions (flat: %llu)\n",
                     end.status, (unsigned long long)end.instructions,
                     (unsigned long long)flat_insns);
        return 1;
    }
    double a = double(flat_insns) / flat_s, b = double(end.instructions) / full_s;
    std::printf("bench_a64: %llu instructions (a loop of loads, stores and arithmetic at EL0)\n"
                "  A interpreter on flat memory:            %.3f s, %.1f million instructions/s\n"
                "  B platform (MMU, TLB hits, GPC, L1D):    %.3f s, %.1f million instructions/s\n"
                "  B/A %.3f (the platform costs %.1fx the interpreter's time)\n",
                (unsigned long long)flat_insns, flat_s, a / 1e6, full_s, b / 1e6, b / a,
                full_s / flat_s);
    return 0;
}

// libsystemc refers to sc_main (with C linkage); the program starts its simulation itself.
extern "C" int sc_main(int, char **)
{
    return 0;
}
