// fuzz_host SEED ACTIONS [EPOCH]: the hostile-host fuzzer (host_fuzzer.hpp) as a program, for
// long runs (ctest label `fuzz`). Prints its figures; exit 0 with no violation, 1 with one (its
// seed, action and the actions that led there on stderr), 2 on bad arguments.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "host_fuzzer.hpp"

static bool number(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    *v = std::strtoull(s, &end, 0);
    return *s && !*end && errno == 0 && *s != '-';
}

int main(int argc, char **argv)
{
    uint64_t seed, actions, epoch = 2000;
    if (argc < 3 || argc > 4 || !number(argv[1], &seed) || !number(argv[2], &actions) ||
        (argc == 4 && (!number(argv[3], &epoch) || epoch == 0))) {
        std::cerr << "usage: fuzz_host SEED ACTIONS [EPOCH] (non-negative integers, EPOCH > 0)\n";
        return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    fuzz::HostFuzzer f(seed, epoch);
    bool ok = f.run(actions);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "seed " << seed << ": " << f.actions() << " actions, " << f.rmi_calls
              << " RMI calls (" << f.rmi_successes << " SUCCESS), " << f.host_accesses
              << " host accesses (" << f.host_faults << " faulted), " << f.invariant_checks
              << " invariant checks, " << (ok ? 0 : 1) << " violation run(s), " << s << " s\n";
    if (!ok)
        std::cerr << f.report();
    return ok ? 0 : 1;
}
