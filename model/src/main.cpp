// The rmesim command: run, check and explain scenarios.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <systemc>

#include "model/a64_program.hpp"
#include "model/child_process.hpp"
#include "model/cli.hpp"
#include "model/report.hpp"
#include "model/runner.hpp"
#include "model/sweep.hpp"

namespace
{

int worst(int a, int b)
{
    /* a signal (128 + N) first, then bad input (2), then a failed expectation */
    return a > 2 || b > 2 ? (a > b ? a : b) : a == 2 || b == 2 ? 2 : (a > b ? a : b);
}

// rmesim report INPUT -o FILE: a scenario is run first (in a child, with --results-explain and
// its --set overrides into a temporary file), then reported as its results would be.
int report(const std::string &input, const rmesim::RunOptions &given)
{
    bool scenario = input.size() > 5 && (input.compare(input.size() - 5, 5, ".yaml") == 0 ||
                                         input.compare(input.size() - 4, 4, ".yml") == 0);
    if (!scenario && !given.sets.empty()) {
        std::fprintf(stderr,
                     "rmesim: report: --set overrides a scenario that report runs; %s is "
                     "not a scenario (.yaml) but results already made\n",
                     input.c_str());
        return 2;
    }
    const std::string &output = given.output_path;
    if (!scenario)
        return rmesim::report::write_report(input, output, input);
    const char *tmpdir = std::getenv("TMPDIR");
    std::string tmp = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/rmesim-report-XXXXXX";
    int fd = mkstemp(tmp.data());
    if (fd < 0) {
        std::fprintf(stderr, "rmesim: report: cannot make a temporary file %s: %s\n", tmp.c_str(),
                     std::strerror(errno));
        return 2;
    }
    close(fd);
    rmesim::RunOptions o;
    o.results_path = tmp;
    o.results_explain = true;
    o.quiet = true;
    o.sets = given.sets;
    int rc = rmesim::run_in_child([&] { return rmesim::run_scenario(input, o); });
    rc = rc == 2 ? 2 : rmesim::report::write_report(tmp, output, input);
    std::remove(tmp.c_str());
    return rc;
}

} // namespace

int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    namespace cli = rmesim::cli;
    cli::Parsed p = cli::parse(std::vector<std::string>(argv + 1, argv + argc));
    switch (p.what) {
    case cli::Parsed::kUsageError:
        std::fprintf(stderr, "rmesim: %s\n", p.text.c_str());
        return 2;
    case cli::Parsed::kHelp:
        std::fputs(p.text.c_str(), stdout);
        return 0;
    case cli::Parsed::kVersion:
        std::printf("rmesim %s (SystemC %s)\n", RMESIM_VERSION, sc_core::sc_release());
        return 0;
    case cli::Parsed::kRunCommand:
        break;
    }
    const rmesim::RunOptions &opt = p.options;
    const std::vector<std::string> &files = p.files;
    switch (p.command->id) {
    case cli::kExplain:
        return rmesim::run_in_child([&] { return rmesim::explain_scenario(files[0], opt); });
    case cli::kCheck: {
        int rc = 0;
        for (const auto &f : files)
            rc = worst(rc, rmesim::check_scenario(f, opt));
        return rc;
    }
    case cli::kExec:
        return rmesim::run_in_child([&] {
            return rmesim::exec_program(files[0], opt.max_instructions, opt.stats_path,
                                        opt.log_path);
        });
    case cli::kSweep:
        return rmesim::sweep::run_sweep(opt.sweep);
    case cli::kReport:
        return report(files[0], opt);
    case cli::kRun:
        break;
    }
    int rc = 0;
    for (const auto &f : files) {
        rc = worst(rc, rmesim::run_in_child([&] { return rmesim::run_scenario(f, opt); }));
        if (rc > 128) /* a signal stopped it: stop here too */
            break;
    }
    return rc;
}

// libsystemc refers to sc_main; rmesim starts its simulations itself.
int sc_main(int, char **)
{
    return 0;
}
