// The long differential run (ctest label `fuzz`, not in the default suite):
//   a64_fuzz [sequences [seed [length]]]
// prints the totals; exit 0 when every sequence matched QEMU, 1 on a mismatch, 2 on bad usage
// or a tool failure.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "a64_diff.hpp"

static bool parse(const char *s, unsigned long long *out)
{
    char *end;
    *out = std::strtoull(s, &end, 0);
    return *s && !*end;
}

int main(int argc, char **argv)
{
    unsigned long long count = 20000, seed = 1, length = 64;
    if (argc > 4 || (argc > 1 && !parse(argv[1], &count)) || (argc > 2 && !parse(argv[2], &seed)) ||
        (argc > 3 && !parse(argv[3], &length)) || length == 0) {
        std::fprintf(stderr, "usage: a64_fuzz [sequences [seed [length]]]\n");
        return 2;
    }
    std::string missing = a64test::missing_tools({A64_DIFF_TOOLS});
    if (!missing.empty()) {
        std::fprintf(stderr, "a64_fuzz: %s not found (scripts/bootstrap installs it)\n",
                     missing.c_str());
        return 2;
    }
    a64test::DiffTotals t = a64test::run_diff(seed, count, (unsigned)length, 2000);
    std::printf("a64_fuzz: seed %llu: %llu sequences, %llu instructions generated, %llu executed, "
                "%llu mismatches\n",
                seed, (unsigned long long)t.sequences, (unsigned long long)t.generated,
                (unsigned long long)t.executed, (unsigned long long)t.mismatches);
    std::printf("executed by class:");
    for (unsigned op = 0; op < t.by_op.size(); op++)
        if (t.by_op[op])
            std::printf(" %s %llu", a64test::op_name(op), (unsigned long long)t.by_op[op]);
    std::printf("\n");
    if (!t.error.empty()) {
        std::fprintf(stderr, "a64_fuzz: %s\n", t.error.c_str());
        return 2;
    }
    if (t.mismatches) {
        std::fprintf(stderr, "first mismatch: %s\n", t.first_mismatch.c_str());
        return 1;
    }
    return 0;
}
