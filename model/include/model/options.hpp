// What the command line asks of a run, check or explain, shared by the runner (the options that
// set these fields are the table in model/src/cli_options.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/log_filter.hpp"

namespace rmesim
{

// What `rmesim sweep` is asked (model/sweep.hpp; docs/studies.md).
struct SweepOptions {
    std::string sweep_file;   // SWEEP.yaml
    std::string dir;          // -o DIR, copied from RunOptions::output_path (or --collect DIR)
    unsigned jobs = 0;        // -j N (0: one per CPU; one in a Slurm task)
    bool resume = false;      // --resume
    bool collect = false;     // --collect DIR
    bool slurm = false;       // --slurm
    std::string partition;    // --partition P
    unsigned array_limit = 0; // --array-limit N: at most N tasks at once (0: Slurm's choice)
    unsigned tasks = 0;       // --tasks T (0: one per point, at most 1000)
    int task = -1;            // --task I --of T: this Slurm task's share
    unsigned of = 0;
    std::string program; // the rmesim that runs a point (default: this one)
};

struct RunOptions {
    std::string vcd_path;         // --vcd: VCD trace (a .gtkw save file is written beside it)
    std::string log_path;         // --log: JSON-lines event log
    LogFilter log_filter;         // --log-filter EXPR (repeatable): the records the log keeps
    std::string stats_path;       // --stats: JSON statistics
    std::string output_path;      // -o: report's HTML page FILE, sweep's DIR
    std::string results_path;     // --results: each step's results (JSON)
    bool results_explain = false; // --results-explain: ... with each step's explain text
    // --set PATH=VALUE (repeatable): overrides of the scenario's document, in order
    std::vector<std::string> sets;
    std::vector<std::string> trace_signals; // --trace-signals GLOB[,GLOB...]
    bool trace_window = false;
    double window_start_ns = 0, window_end_ns = 0; // --trace-window START:END (ns)
    std::string trace_step;                        // --trace-step ID: that step's window
    bool fixed_date = false;                       // --no-date: reproducible VCD header
    bool verbose = false;                          // --verbose: the firmware's GPT carve-outs
    bool quiet = false;                            // --quiet: only failures
    bool check_invariants = false;             // --check-invariants: the RMM's, after every step
    std::vector<std::string> explain_steps;    // explain --step ID (repeatable): the steps to print
    bool explain_all = false;                  // explain --all-steps (--all): every step
    bool explain_json = false;                 // explain --json: one JSON document
    uint64_t max_instructions = 1'000'000'000; // exec --max-instructions N
    unsigned gdb_port = 0;                     // run --gdb PORT: a GDB server (0: none)
    bool gdb_wait = false; // run --gdb-wait: the realm's code waits for the debugger
    SweepOptions sweep;    // rmesim sweep

    // The GTKWave save file written beside the VCD: out.vcd -> out.gtkw.
    std::string gtkw_path() const
    {
        std::string path = vcd_path;
        if (path.size() > 4 && path.compare(path.size() - 4, 4, ".vcd") == 0)
            path.resize(path.size() - 4);
        return path + ".gtkw";
    }
};

} // namespace rmesim
