// The rmesim command: run, check and explain scenarios.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <systemc>

#include "model/options.hpp"
#include "model/runner.hpp"

namespace
{

const char *const kUsage =
    "usage: rmesim run FILE... [options]     run scenarios, check their expectations\n"
    "       rmesim check FILE...             validate scenarios without running them\n"
    "       rmesim explain FILE --step ID    run, then print the step's full pipeline record\n"
    "                                        (--step again for more; REALM.build for a build)\n"
    "       rmesim explain FILE --all-steps  ... every step's, the realms' builds included\n"
    "       rmesim explain FILE              list the steps' ids\n"
    "       rmesim --help | --version\n"
    "\n"
    "run options:\n"
    "  --vcd FILE              write a VCD trace (and FILE.gtkw beside it: gtkwave FILE.vcd "
    "FILE.gtkw)\n"
    "  --log FILE              write the event log: one JSON object per access, call and step\n"
    "  --log-filter EXPR       log only the records that match: KEY=VALUE[|VALUE...],... with\n"
    "                          KEY step, core, regime or kind (e.g. "
    "'step=write,kind=access|call')\n"
    "  --stats FILE            write statistics as JSON\n"
    "  --trace-signals GLOBS   comma-separated glob patterns of signals to trace "
    "(e.g. 'core0.*,rmm.*')\n"
    "  --trace-window A:B      trace only between A and B nanoseconds of simulated time\n"
    "  --no-date               fixed VCD $date, so that two runs give identical files\n"
    "  --verbose               print every call and the firmware carve-outs\n"
    "  --quiet                 print only failures\n"
    "\n"
    "exit status: 0 every expectation held, 1 an expectation failed, 2 bad input or usage\n";

int usage_error(const std::string &msg)
{
    std::fprintf(stderr, "rmesim: %s\n%s", msg.c_str(), kUsage);
    return 2;
}

bool parse_window(const std::string &text, rmesim::RunOptions &o)
{
    size_t colon = text.find(':');
    if (colon == std::string::npos)
        return false;
    char *end = nullptr;
    o.window_start_ns = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + colon)
        return false;
    o.window_end_ns = std::strtod(text.c_str() + colon + 1, &end);
    if (*end || o.window_end_ns < o.window_start_ns)
        return false;
    o.trace_window = true;
    return true;
}

// SystemC runs one simulation per process: each scenario file runs in a child process.
int run_in_child(const std::function<int()> &body)
{
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return 2;
    if (pid == 0) {
        int rc = body();
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(rc);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    std::fprintf(stderr, "rmesim: internal error: the simulation ended by signal %d\n",
                 WTERMSIG(status));
    return 2;
}

int worst(int a, int b)
{
    return a == 2 || b == 2 ? 2 : (a > b ? a : b);
}

} // namespace

int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty())
        return usage_error("no command given");
    const std::string cmd = args[0];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (cmd == "--version") {
        std::printf("rmesim %s (SystemC %s)\n", RMESIM_VERSION, sc_core::sc_release());
        return 0;
    }
    if (cmd != "run" && cmd != "check" && cmd != "explain")
        return usage_error("unknown command '" + cmd + "'");

    rmesim::RunOptions opt;
    std::vector<std::string> files;
    for (size_t i = 1; i < args.size(); i++) {
        const std::string &a = args[i];
        auto value = [&](std::string &out) {
            if (i + 1 >= args.size())
                return false;
            out = args[++i];
            return true;
        };
        std::string v;
        if (a == "--vcd" || a == "--log" || a == "--stats" || a == "--step" ||
            a == "--trace-signals" || a == "--trace-window" || a == "--log-filter") {
            if (!value(v))
                return usage_error(a + " needs a value");
            if (a == "--vcd")
                opt.vcd_path = v;
            else if (a == "--log")
                opt.log_path = v;
            else if (a == "--stats")
                opt.stats_path = v;
            else if (a == "--step")
                opt.explain_steps.push_back(v);
            else if (a == "--log-filter") {
                std::string error;
                if (!opt.log_filter.add(v, error))
                    return usage_error(error);
            } else if (a == "--trace-window") {
                if (!parse_window(v, opt))
                    return usage_error("--trace-window takes START:END in nanoseconds, got '" + v +
                                       "'");
            } else {
                size_t start = 0;
                while (start <= v.size()) {
                    size_t comma = v.find(',', start);
                    if (comma == std::string::npos)
                        comma = v.size();
                    if (comma > start)
                        opt.trace_signals.push_back(v.substr(start, comma - start));
                    start = comma + 1;
                }
            }
        } else if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == "--all-steps") {
            opt.explain_all = true;
        } else if (a == "--no-date") {
            opt.fixed_date = true;
        } else if (a == "--verbose" || a == "-v") {
            opt.verbose = true;
        } else if (a == "--quiet" || a == "-q") {
            opt.quiet = true;
        } else if (!a.empty() && a[0] == '-') {
            return usage_error("unknown option '" + a + "'");
        } else {
            files.push_back(a);
        }
    }
    if (files.empty())
        return usage_error("no scenario file given");
    if (!opt.log_filter.empty() && opt.log_path.empty())
        return usage_error("--log-filter needs --log FILE");
    if (cmd == "explain") {
        if (files.size() != 1 || (!opt.explain_steps.empty() && opt.explain_all))
            return usage_error("explain takes one FILE, and --step ID... or --all-steps");
        return run_in_child([&] { return rmesim::explain_scenario(files[0], opt); });
    }
    if (cmd == "check") {
        int rc = 0;
        for (const auto &f : files)
            rc = worst(rc, rmesim::check_scenario(f, opt));
        return rc;
    }
    if (files.size() > 1 &&
        (!opt.vcd_path.empty() || !opt.log_path.empty() || !opt.stats_path.empty()))
        return usage_error("--vcd, --log and --stats take one scenario file at a time");
    int rc = 0;
    for (const auto &f : files)
        rc = worst(rc, run_in_child([&] { return rmesim::run_scenario(f, opt); }));
    return rc;
}

// libsystemc refers to sc_main; rmesim starts its simulations itself.
int sc_main(int, char **)
{
    return 0;
}
