// How fast the whole model runs realm flows: REC exits (each an RMI_REC_ENTER with its world
// switches, the guest's trapped access, the RMM's classification, the host's handling) per
// second of wall time, for MMIO round trips and for private-page faults. Runs the scenario
// beside this file through the runner, as `rmesim run` does.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "model/runner.hpp"

int main(int argc, char **argv)
{
    std::string scenario = argc > 1 ? argv[1] : BENCH_SCENARIO;
    rmesim::RunOptions options;
    options.quiet = true;
    auto t0 = std::chrono::steady_clock::now();
    int rc = rmesim::run_scenario(scenario, options);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rc != 0) {
        std::fprintf(stderr, "bench_realm: the scenario failed (%d)\n", rc);
        return 1;
    }
    // one REC exit per MMIO write (the entry that completes it runs on to the next write) and
    // one per private page (the retry runs on to the next page)
    const double exits = 2000 + 2000;
    std::printf("bench_realm: %.0f REC exits in %.3f s wall: %.0f exits/s (MMIO round trips "
                "and private-page faults, through the RMM, the host and the VMM)\n",
                exits, secs, exits / secs);
    return 0;
}

// libsystemc refers to sc_main (with C linkage); the runner starts its simulation itself.
extern "C" int sc_main(int, char **)
{
    return 0;
}
