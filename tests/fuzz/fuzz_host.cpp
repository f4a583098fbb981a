// fuzz_host SEED ACTIONS [EPOCH]: the hostile-host fuzzer (host_fuzzer.hpp) as a program, for
// long runs (ctest label `fuzz`). Prints its figures; exit 0 with no violation, 1 with one (its
// seed, action and a minimal replay on stderr), 2 on bad arguments.
// fuzz_host --replay FILE: run a replay script (fuzz_ops.hpp) on a fresh world, the invariants
// checked after every operation; exit 1 when it shows a violation, 0 when it does not.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "host_fuzzer.hpp"

static bool number(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    *v = std::strtoull(s, &end, 0);
    return *s && !*end && errno == 0 && *s != '-';
}

static int replay_file(const char *path)
{
    std::ifstream in(path);
    if (!in) {
        std::cerr << "fuzz_host: cannot read " << path << ": " << std::strerror(errno) << "\n";
        return 2;
    }
    std::vector<fuzz::Op> ops;
    std::string error;
    if (!fuzz::parse_replay(in, &ops, &error)) {
        std::cerr << path << ": " << error << "\n";
        return 2;
    }
    std::vector<std::string> found = fuzz::replay(ops, {}, true);
    std::cout << path << ": " << ops.size() << " operations, " << found.size() << " violation(s)\n";
    for (auto &f : found)
        std::cout << "  " << f << "\n";
    return found.empty() ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && std::string(argv[1]) == "--replay")
        return replay_file(argv[2]);
    uint64_t seed, actions, epoch = 2000;
    if (argc < 3 || argc > 4 || !number(argv[1], &seed) || !number(argv[2], &actions) ||
        (argc == 4 && (!number(argv[3], &epoch) || epoch == 0))) {
        std::cerr << "usage: fuzz_host SEED ACTIONS [EPOCH] (non-negative integers, EPOCH > 0)\n"
                     "       fuzz_host --replay FILE\n";
        return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    fuzz::HostFuzzer f(seed, epoch);
    bool ok = f.run(actions);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const fuzz::World &w = f.world();
    std::cout << "seed " << seed << ": " << f.actions() << " actions, " << w.rmi_calls
              << " RMI calls (" << w.rmi_successes << " SUCCESS, " << w.rec_exits << " REC exits), "
              << w.realm_steps << " realm steps (" << w.rsi_calls << " SMCs, " << w.realm_accesses
              << " loads and stores), " << w.host_accesses << " host accesses (" << w.host_faults
              << " faulted), " << w.invariant_checks << " invariant checks, " << (ok ? 0 : 1)
              << " violation run(s), " << s << " s\n";
    if (!ok)
        std::cerr << f.report();
    return ok ? 0 : 1;
}
