// Command-line options of `rmesim run` / `explain`, shared by the runner.
#pragma once

#include <string>
#include <vector>

#include "model/log_filter.hpp"

namespace rmesim
{

struct RunOptions {
    std::string vcd_path;   // --vcd: VCD trace (a .gtkw save file is written beside it)
    std::string log_path;   // --log: JSON-lines event log
    LogFilter log_filter;   // --log-filter EXPR (repeatable): the records the log keeps
    std::string stats_path; // --stats: JSON statistics
    std::vector<std::string> trace_signals; // --trace-signals GLOB[,GLOB...]
    bool trace_window = false;
    double window_start_ns = 0, window_end_ns = 0; // --trace-window START:END (ns)
    bool fixed_date = false;                       // --no-date: reproducible VCD header
    bool verbose = false;                          // --verbose: firmware carve-outs, every RMI call
    bool quiet = false;                            // --quiet: only failures
    std::vector<std::string> explain_steps; // explain --step ID (repeatable): the steps to print
    bool explain_all = false;               // explain --all-steps: every step
};

} // namespace rmesim
