// The commands of rmesim and the one table of their options: the usage texts, the parsing and
// the refusal of an option a command does not use all come from here.
#include <cstdlib>

#include "model/cli.hpp"

extern "C" {
#include "scenario/scenario.h"
}

namespace rmesim::cli
{

namespace
{

// A time in nanoseconds: decimal digits with an optional fraction, nothing else (no sign, no
// hex, no inf or nan), and no more than the simulation can reach (2^63 ps).
bool parse_ns(const std::string &text, double &ns)
{
    if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos ||
        text.find('.') != text.rfind('.') || text == ".")
        return false;
    ns = std::strtod(text.c_str(), nullptr);
    return ns < 9.2e9;
}

bool parse_window(const std::string &text, RunOptions &o)
{
    size_t colon = text.find(':');
    if (colon == std::string::npos || !parse_ns(text.substr(0, colon), o.window_start_ns) ||
        !parse_ns(text.substr(colon + 1), o.window_end_ns) || o.window_end_ns < o.window_start_ns)
        return false;
    o.trace_window = true;
    return true;
}

void split_globs(const std::string &v, std::vector<std::string> &out)
{
    size_t start = 0;
    while (start <= v.size()) {
        size_t comma = v.find(',', start);
        if (comma == std::string::npos)
            comma = v.size();
        if (comma > start)
            out.push_back(v.substr(start, comma - start));
        start = comma + 1;
    }
}

// The table's setters for an option that is a string, or a flag.
template <std::string RunOptions::*field>
bool set_text(RunOptions &o, const std::string &v, std::string &)
{
    o.*field = v;
    return true;
}

// An output file's name: never empty (it would silently write nothing).
template <std::string RunOptions::*field>
bool set_path(RunOptions &o, const std::string &v, std::string &error)
{
    if (v.empty()) {
        error = "an empty file name";
        return false;
    }
    o.*field = v;
    return true;
}

template <bool RunOptions::*field> bool set_flag(RunOptions &o, const std::string &, std::string &)
{
    o.*field = true;
    return true;
}

// A decimal count for a sweep option: at least `least`, at most 100000.
bool parse_count(const std::string &name, const std::string &v, unsigned least, unsigned &out,
                 std::string &error)
{
    unsigned long n = std::strtoul(v.c_str(), nullptr, 10);
    if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos ||
        n < least || n > 100000) {
        error =
            name + " takes a number from " + std::to_string(least) + " to 100000, got '" + v + "'";
        return false;
    }
    out = unsigned(n);
    return true;
}

const char *const kJudged =
    "0 every expectation held, 1 an expectation failed, 2 bad input or usage, or the scenario "
    "could not run as written; 128+N a signal (130 SIGINT, 143 SIGTERM)";
constexpr unsigned kEvery = kRun | kCheck | kExplain;
constexpr unsigned kRunning = kRun | kExplain; /* the commands that run the scenario */

} // namespace

const std::vector<CommandSpec> &commands()
{
    static const std::vector<CommandSpec> table = {
        {kRun,
         "run",
         {{"FILE... [options]", "run scenarios, check their expectations"}},
         "it runs scenarios and checks their expectations",
         kJudged},
        {kCheck,
         "check",
         {{"FILE... [options]", "validate scenarios without running them"}},
         "it validates scenarios without running them",
         "0 every scenario is valid, 2 one is not (or bad usage)"},
        {kExplain,
         "explain",
         {{"FILE --step ID... [options]", "run, then print those steps' full pipeline records"},
          {"FILE --all-steps [options]", "... every step's, the realms' builds included"},
          {"FILE", "list the steps' ids"}},
         "it prints the pipeline records of the steps asked for",
         kJudged},
        {kExec,
         "exec",
         {{"ELF [options]", "run an AArch64 Linux-style static program at EL0 on the A64 core"}},
         "it runs a program, not a scenario",
         "the program's own (exit & 0xff, or 128 + the signal that ended it), 2 bad image or "
         "usage"},
        {kSweep,
         "sweep",
         {{"SWEEP.yaml -o DIR [-j N] [--resume]", "run a sweep's points, write its tables"},
          {"SWEEP.yaml -o DIR --slurm [options]", "... as a Slurm job array"},
          {"--collect DIR", "make the tables of a sweep's finished points"}},
         "it runs a sweep file's points, each as its own rmesim run",
         "0 every point passed, 1 a point failed an expectation or could not run, 2 bad sweep "
         "file or usage"},
        {kReport,
         "report",
         {{"INPUT -o FILE", "an HTML page of a run (results JSON or scenario) or a sweep"}},
         "it draws a page from results (a scenario it is given runs with no other option)",
         "0 the page is written, 2 bad input or usage"},
    };
    return table;
}

const std::vector<OptionSpec> &options()
{
    static const std::vector<OptionSpec> table = {
        {"--set", nullptr, "PATH=VALUE", kEvery | kReport, "override the scenario",
         "override a node of the scenario: platform.timing.dram=200, realms[r0].ipa_bits=48 "
         "(repeatable; the last of one PATH wins)",
         false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             /* its form now; what it names, in each scenario when it is loaded */
             o.sets.push_back(v);
             scenario_diag diag;
             if (scn_override_check(v.c_str(), int(o.sets.size()), &diag))
                 return true;
             error = diag.text;
             return false;
         }},
        {"--vcd", nullptr, "FILE", kRunning, "write traces",
         "write a VCD trace (and FILE.gtkw beside it for GTKWave)", true,
         set_path<&RunOptions::vcd_path>},
        {"--log", nullptr, "FILE", kRunning | kExec, "write event logs",
         "write the event log (JSON lines: accesses, calls, steps)", true,
         set_path<&RunOptions::log_path>},
        {"--stats", nullptr, "FILE", kRunning | kExec, "write statistics",
         "write statistics as JSON", true, set_path<&RunOptions::stats_path>},
        {"--results", nullptr, "FILE", kRunning, "write results",
         "write each step's results as one JSON document (docs/report.md)", true,
         set_path<&RunOptions::results_path>},
        {"--results-explain", nullptr, nullptr, kRunning, "write results",
         "with --results: each step's explain text in it too", true,
         set_flag<&RunOptions::results_explain>},
        {"--log-filter", nullptr, "EXPR", kRunning, "write event logs",
         "log only the records that match: KEY=VALUE[|VALUE...],... (keys: step, core, regime, "
         "kind; repeatable)",
         true,
         [](RunOptions &o, const std::string &v, std::string &error) {
             return o.log_filter.add(v, error);
         }},
        {"--trace-signals", nullptr, "GLOBS", kRunning, "write traces",
         "trace only the signals these globs match ('core0.*,rmm.*')", true,
         [](RunOptions &o, const std::string &v, std::string &) {
             split_globs(v, o.trace_signals);
             return true;
         }},
        {"--trace-window", nullptr, "A:B", kRunning, "write traces",
         "trace only between A and B nanoseconds of simulated time", true,
         [](RunOptions &o, const std::string &v, std::string &error) {
             if (parse_window(v, o))
                 return true;
             error =
                 "--trace-window takes START:END, decimal nanoseconds with START <= END, got '" +
                 v + "'";
             return false;
         }},
        {"--trace-step", nullptr, "ID", kRunning, "write traces",
         "trace only that step (its window; the save file opens on it)", true,
         set_text<&RunOptions::trace_step>},
        {"--no-date", nullptr, nullptr, kRunning, "write traces",
         "fixed VCD $date, so that two runs give identical files", true,
         set_flag<&RunOptions::fixed_date>},
        {"--step", nullptr, "ID", kExplain, "explain steps",
         "explain this step (repeatable; REALM.build: that realm's build)", false,
         [](RunOptions &o, const std::string &v, std::string &) {
             o.explain_steps.push_back(v);
             return true;
         }},
        {"--all-steps", "--all", nullptr, kExplain, "explain steps",
         "explain every step, the realms' builds included", false,
         set_flag<&RunOptions::explain_all>},
        {"--json", nullptr, nullptr, kExplain, "explain steps",
         "print the steps' records as one JSON document, every field decoded", false,
         set_flag<&RunOptions::explain_json>},
        {"--verbose", "-v", nullptr, kRunning, "print the firmware's GPT carve-outs",
         "print the firmware's GPT carve-outs", true, set_flag<&RunOptions::verbose>},
        {"--check-invariants", nullptr, nullptr, kRun, "check the RMM's invariants",
         "check the RMM's security invariants after every step (docs/security.md): a violation "
         "fails the step",
         false, set_flag<&RunOptions::check_invariants>},
        {"--quiet", "-q", nullptr, kRun | kCheck, "quieten its output", "print only failures",
         false, set_flag<&RunOptions::quiet>},
        {"--max-instructions", nullptr, "N", kExec, "limit instructions",
         "stop the program after N instructions (default 1000000000): status 152 (SIGXCPU)", false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             char *end = nullptr;
             o.max_instructions = std::strtoull(v.c_str(), &end, 10);
             if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || *end ||
                 o.max_instructions == 0 || v.size() > 19) {
                 error = "--max-instructions takes a positive decimal number, got '" + v + "'";
                 return false;
             }
             return true;
         }},
        {"--gdb", nullptr, "PORT", kRun, "serve a debugger",
         "serve the GDB remote protocol on 127.0.0.1:PORT for the realms' A64 vCPUs", true,
         [](RunOptions &o, const std::string &v, std::string &error) {
             unsigned long port = std::strtoul(v.c_str(), nullptr, 10);
             if (v.empty() || v.size() > 5 ||
                 v.find_first_not_of("0123456789") != std::string::npos || port == 0 ||
                 port > 65535) {
                 error = "--gdb takes a TCP port, 1 to 65535, got '" + v + "'";
                 return false;
             }
             o.gdb_port = unsigned(port);
             return true;
         }},
        {"--gdb-wait", nullptr, nullptr, kRun, "serve a debugger",
         "with --gdb: stop before the realm's first instruction until the debugger is there", true,
         set_flag<&RunOptions::gdb_wait>},
        {"--output", "-o", "FILE|DIR", kReport | kSweep, "write a report or a sweep",
         "report: write the HTML page to FILE (whole, or not at all); sweep: its directory "
         "(sweep.json, points/, results.csv, results.jsonl)",
         false, set_path<&RunOptions::output_path>},
        {"--jobs", "-j", "N", kSweep, "run sweeps", "run N points at once (default: one per CPU)",
         false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             return parse_count("--jobs", v, 1, o.sweep.jobs, error);
         }},
        {"--resume", nullptr, nullptr, kSweep, "run sweeps",
         "go on with the sweep in DIR: skip the points it has done", false,
         [](RunOptions &o, const std::string &, std::string &) { return o.sweep.resume = true; }},
        {"--collect", nullptr, "DIR", kSweep, "run sweeps",
         "make DIR's tables from its points' files (after a Slurm job)", false,
         [](RunOptions &o, const std::string &v, std::string &) {
             o.sweep.collect = true;
             o.sweep.dir = v;
             return true;
         }},
        {"--slurm", nullptr, nullptr, kSweep, "run sweeps",
         "write DIR/sweep.sbatch, a Slurm job array, and submit it with sbatch", false,
         [](RunOptions &o, const std::string &, std::string &) { return o.sweep.slurm = true; }},
        {"--partition", nullptr, "P", kSweep, "run sweeps", "with --slurm: the Slurm partition",
         false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             if (v.empty() || v.find_first_of(" \t\n'\"\\") != std::string::npos) {
                 error = "--partition takes a partition's name, got '" + v + "'";
                 return false;
             }
             o.sweep.partition = v;
             return true;
         }},
        {"--array-limit", nullptr, "N", kSweep, "run sweeps",
         "with --slurm: at most N of the array's tasks at once", false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             return parse_count("--array-limit", v, 1, o.sweep.array_limit, error);
         }},
        {"--tasks", nullptr, "T", kSweep, "run sweeps",
         "with --slurm: T tasks in the array (default: one per point, at most 1000)", false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             return parse_count("--tasks", v, 1, o.sweep.tasks, error);
         }},
        {"--task", nullptr, "I", kSweep, "run sweeps",
         "with --of T: run only the points i with i % T == I (a Slurm task's share)", false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             unsigned task = 0;
             if (!parse_count("--task", v, 0, task, error))
                 return false;
             o.sweep.task = int(task);
             return true;
         }},
        {"--of", nullptr, "T", kSweep, "run sweeps", "with --task: the number of tasks", false,
         [](RunOptions &o, const std::string &v, std::string &error) {
             return parse_count("--of", v, 1, o.sweep.of, error);
         }},
        {"--help", "-h", nullptr, kEvery | kExec | kSweep | kReport, "print help",
         "print this help", false, nullptr},
    };
    return table;
}

} // namespace rmesim::cli
