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
    options.stats_path = "bench_realm.stats.json"; // in the working directory (the build tree)
    auto t0 = std::chrono::steady_clock::now();
    int rc = rmesim::run_scenario(scenario, options);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rc != 0) {
        std::fprintf(stderr, "bench_realm: the scenario failed (%d)\n", rc);
        return 1;
    }
    // the REC exits the host read, as --stats counts them (the realm's boot included)
    std::ifstream in(options.stats_path);
    std::stringstream text;
    text << in.rdbuf();
    std::string stats = text.str();
    size_t at = stats.find("\"rec_exits\":");
    if (at == std::string::npos) {
        std::fprintf(stderr, "bench_realm: no rec_exits in %s\n", options.stats_path.c_str());
        return 1;
    }
    double exits = std::stod(stats.substr(at + 12));
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
