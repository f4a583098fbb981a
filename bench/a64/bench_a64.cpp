// How fast the A64 core runs code (issue 15): instructions per second of CPU time for one loop
// of loads, stores and arithmetic. A: the interpreter alone on flat memory (trivial callbacks,
// no translation, no time); B: `rmesim exec`'s whole path, every fetch and data access through
// A64Binding (the MMU with TLB hits, the GPC, the L1D, the SystemC core's quantum keeper, the
// ACCESS records and the statistics view). B/A is what the platform costs the interpreter.
// Each round is a child process that runs A then B (SystemC elaborates once per process); the
// figures are the medians of the rounds, so that one slow moment of a shared machine does not
// make the result.
//
//   bench_a64 [ITERATIONS [ROUNDS]]   (7 instructions an iteration; defaults 3,000,000: 21
//                                     million instructions, and 5 rounds)
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <sys/mman.h>

#include "model/a64_program.hpp"
#include "model/child_process.hpp"

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

double cpu_seconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// What one round measured (written by the child to its parent through a pipe).
struct Round {
    uint64_t instructions; // each run's (the two ran the same number)
    double a_s, b_s;       // CPU seconds
    char error[200];       // empty when both runs ended as they should
};

// A then B, in this process.
Round run_round(const std::vector<uint8_t> &text_bytes)
{
    Round round{};
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
    double t0 = cpu_seconds();
    do {
        a64_step(&core, &r);
        flat_insns++;
    } while (r.outcome == A64_OK);
    round.a_s = cpu_seconds() - t0;
    round.instructions = flat_insns;
    if (r.outcome != A64_EXCEPTION_TAKEN || (r.esr >> 26) != 0x15) {
        std::snprintf(round.error, sizeof round.error, "the flat run ended with ESR %#llx at %#llx",
                      (unsigned long long)r.esr, (unsigned long long)r.pc);
        return round;
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
        std::snprintf(round.error, sizeof round.error, "%s", error.c_str());
        return round;
    }
    t0 = cpu_seconds();
    rmesim::A64ProgramEnd end = program.run(~0ull, nullptr);
    round.b_s = cpu_seconds() - t0;
    if (end.reason != rmesim::A64ProgramEnd::kExit || end.status != 0 ||
        end.instructions != flat_insns)
        std::snprintf(round.error, sizeof round.error,
                      "the platform run ended with status %d after %llu instructions (flat: "
                      "%llu)",
                      end.status, (unsigned long long)end.instructions,
                      (unsigned long long)flat_insns);
    return round;
}

// run_round() in a child process (model/child_process.hpp); its figures come back through a
// shared page. False with error when the child did not give them.
bool forked_round(const std::vector<uint8_t> &text_bytes, Round &round, std::string &error)
{
    void *page =
        mmap(nullptr, sizeof(Round), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        error = std::string("mmap: ") + std::strerror(errno);
        return false;
    }
    auto *shared = static_cast<Round *>(page); /* zero-filled: no figures until the child's */
    int status = rmesim::run_in_child([&] {
        *shared = run_round(text_bytes);
        return 0;
    });
    round = *shared;
    munmap(page, sizeof(Round));
    if (status != 0) {
        error = "a round's child process ended with status " + std::to_string(status);
        return false;
    }
    if (round.error[0]) {
        error = round.error;
        return false;
    }
    return true;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int main(int argc, char **argv)
{
    unsigned long iterations = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 3'000'000;
    unsigned long rounds = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 5;
    if (argc > 3 || iterations == 0 || iterations > 0xFFFFFFFF || rounds == 0 || rounds > 100) {
        std::fprintf(stderr, "usage: bench_a64 [ITERATIONS (1..4294967295) [ROUNDS (1..100)]]\n");
        return 2;
    }
    std::vector<uint32_t> text = loop(uint32_t(iterations));
    std::vector<uint8_t> text_bytes(text.size() * 4);
    std::memcpy(text_bytes.data(), text.data(), text_bytes.size());

    std::vector<double> a_rates, b_rates, ratios;
    uint64_t instructions = 0;
    for (unsigned long i = 0; i < rounds; i++) {
        Round round{};
        std::string error;
        if (!forked_round(text_bytes, round, error)) {
            std::fprintf(stderr, "bench_a64: %s\n", error.c_str());
            return 1;
        }
        instructions = round.instructions;
        double a = double(round.instructions) / round.a_s / 1e6;
        double b = double(round.instructions) / round.b_s / 1e6;
        a_rates.push_back(a);
        b_rates.push_back(b);
        ratios.push_back(b / a);
        std::printf("  round %lu: A %.1f, B %.1f million instructions/s, B/A %.3f\n", i + 1, a, b,
                    b / a);
    }
    auto range = [](const std::vector<double> &v) {
        return std::make_pair(*std::min_element(v.begin(), v.end()),
                              *std::max_element(v.begin(), v.end()));
    };
    auto [a_lo, a_hi] = range(a_rates);
    auto [b_lo, b_hi] = range(b_rates);
    std::printf("bench_a64: %llu instructions a run (a loop of loads, stores and arithmetic at "
                "EL0), CPU time, median of %lu rounds\n"
                "  A interpreter on flat memory:            %.1f million instructions/s (%.1f to "
                "%.1f)\n"
                "  B platform (MMU, TLB hits, GPC, L1D):    %.1f million instructions/s (%.1f to "
                "%.1f)\n"
                "  B/A %.3f (the platform costs %.1fx the interpreter's time)\n",
                (unsigned long long)instructions, rounds, median(a_rates), a_lo, a_hi,
                median(b_rates), b_lo, b_hi, median(ratios), 1 / median(ratios));
    return 0;
}

// libsystemc refers to sc_main (with C linkage); the program starts its simulation itself.
extern "C" int sc_main(int, char **)
{
    return 0;
}
