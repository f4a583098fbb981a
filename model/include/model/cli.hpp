// The rmesim command line: its commands and one table of options, from which the usage texts,
// the parsing and the checks of which command takes which option are all made. A new option is
// one row of that table (cli_options.cpp).
#pragma once

#include <string>
#include <vector>

#include "model/options.hpp"

namespace rmesim::cli
{

// The subcommands, as bits so that an option can name the ones that use it.
enum Command : unsigned {
    kRun = 1u << 0,
    kCheck = 1u << 1,
    kExplain = 1u << 2,
    kExec = 1u << 3,
    kSweep = 1u << 4,
    kReport = 1u << 5
};

struct CommandSpec {
    Command id;
    const char *name; // "run"
    // Its forms in the usage: what follows "rmesim NAME", and what that does.
    std::vector<std::pair<const char *, const char *>> forms;
    const char *purpose; // why it refuses another command's option: "it validates ... running them"
    const char *exit_status; // its exit statuses, for its usage
};

struct OptionSpec {
    const char *name;  // "--vcd"
    const char *alias; // "-v", or nullptr
    const char *value; // what it takes, "FILE", or nullptr for a flag
    unsigned commands; // the Command bits of the commands that use it
    // What it does, to complete "COMMAND does not ...": "write traces".
    const char *does;
    const char *help; // its line in the usage
    // Only a run of the scenario uses it (explain without --step lists the steps, runs nothing).
    bool needs_a_run;
    // Records it (and its value) in the options; false with `error` on a bad value.
    bool (*apply)(RunOptions &options, const std::string &value, std::string &error);
};

const std::vector<CommandSpec> &commands();
const std::vector<OptionSpec> &options();

// `rmesim --help`, and `rmesim COMMAND --help` (only that command's options).
std::string usage();
std::string usage(const CommandSpec &command);

struct Parsed {
    enum What { kRunCommand, kHelp, kVersion, kUsageError } what = kUsageError;
    const CommandSpec *command = nullptr; // null for the top level
    RunOptions options;
    std::vector<std::string> files;
    std::string text; // the help to print, or the error (without "rmesim: ")
};

// The arguments after the program name.
Parsed parse(const std::vector<std::string> &args);

// The optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters each count one ("--hlep" is 1 from "--help").
size_t edit_distance(const std::string &a, const std::string &b);

} // namespace rmesim::cli
