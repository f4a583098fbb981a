// The rmesim command line, made from the tables of cli_options.cpp: the usage texts, the parsing,
// the refusal of an option the command does not use, and a suggestion for a misspelt name.
#include "model/cli.hpp"

#include <algorithm>
#include <cstring>

#include "model/output_file.hpp"

namespace rmesim::cli
{

size_t edit_distance(const std::string &a, const std::string &b)
{
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); i++)
        d[i][0] = i;
    for (size_t j = 0; j <= b.size(); j++)
        d[0][j] = j;
    for (size_t i = 1; i <= a.size(); i++)
        for (size_t j = 1; j <= b.size(); j++) {
            size_t change = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + change});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

namespace
{

// The candidate nearest to `word`, if it is near enough to be a slip of the keyboard: at most
// two edits, and no more than half of the word's letters (dashes aside).
std::string nearest(const std::string &word, const std::vector<std::string> &candidates)
{
    std::string best;
    size_t best_distance = 3;
    for (const std::string &c : candidates) {
        size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    size_t letters = word.size() - std::min(word.find_first_not_of('-'), word.size());
    return !best.empty() && 2 * best_distance <= letters ? best : "";
}

std::string suggestion(const std::string &word, const std::vector<std::string> &candidates)
{
    std::string near = nearest(word, candidates);
    return near.empty() ? "" : "; did you mean '" + near + "'?";
}

// "run", "run, explain" ("run and explain" in a sentence)
std::string names_of(unsigned command_bits, const char *last_separator = ", ")
{
    std::vector<std::string> names;
    for (const CommandSpec &c : commands())
        if (command_bits & c.id)
            names.push_back(c.name);
    std::string text;
    for (size_t i = 0; i < names.size(); i++)
        text += (i == 0 ? "" : i + 1 == names.size() ? last_separator : ", ") + names[i];
    return text;
}

std::string option_column(const OptionSpec &o)
{
    std::string left = std::string(o.alias ? std::string(o.alias) + ", " : "") + o.name;
    return o.value ? left + " " + o.value : left;
}

// "  --vcd FILE              write ..." (the help on its own line when the name is long)
std::string option_line(const OptionSpec &o, const std::string &suffix)
{
    const size_t column = 26;
    std::string left = "  " + option_column(o);
    left += left.size() + 2 <= column ? std::string(column - left.size(), ' ')
                                      : "\n" + std::string(column, ' ');
    return left + o.help + suffix + "\n";
}

// "usage: rmesim run FILE... [options]   run scenarios, ..." for the given commands' forms.
std::string forms_of(const std::vector<const CommandSpec *> &which, bool with_command_help)
{
    std::vector<std::pair<std::string, std::string>> rows;
    for (const CommandSpec *c : which)
        for (const auto &form : c->forms)
            rows.push_back({*form.first ? std::string("rmesim ") + c->name + " " + form.first : "",
                            form.second});
    if (with_command_help) {
        rows.push_back({"rmesim COMMAND --help", "that command's options only"});
        rows.push_back({"rmesim --help | --version", ""});
    }
    size_t width = 0;
    for (const auto &r : rows)
        width = std::max(width, r.first.size());
    std::string text;
    for (size_t i = 0; i < rows.size(); i++) {
        std::string left = (i == 0 ? "usage: " : "       ") + rows[i].first;
        text += rows[i].second.empty()
                    ? left + "\n"
                    : left + std::string(width + 10 - left.size(), ' ') + rows[i].second + "\n";
    }
    return text;
}

std::vector<std::string> command_names()
{
    std::vector<std::string> names;
    for (const CommandSpec &c : commands())
        names.push_back(c.name);
    return names;
}

const CommandSpec *command_named(const std::string &name)
{
    for (const CommandSpec &c : commands())
        if (name == c.name)
            return &c;
    return nullptr;
}

const OptionSpec *option_named(const std::string &name)
{
    for (const OptionSpec &o : options())
        if (name == o.name || (o.alias && name == o.alias))
            return &o;
    return nullptr;
}

bool is_option(const std::string &arg)
{
    return arg.size() > 1 && arg[0] == '-';
}

Parsed usage_error(const CommandSpec *command, const std::string &message)
{
    Parsed p;
    p.command = command;
    p.what = Parsed::kUsageError;
    p.text = message + "\n" +
             (command ? std::string("`rmesim ") + command->name + " --help` lists its options"
                      : std::string("`rmesim --help` lists the commands"));
    return p;
}

// rmesim sweep: SWEEP.yaml -o DIR with its options, or --collect DIR alone.
Parsed check_sweep(Parsed p, const std::vector<const OptionSpec *> &given)
{
    const CommandSpec *c = p.command;
    SweepOptions &s = p.options.sweep;
    if (s.collect) {
        for (const OptionSpec *o : given)
            if (std::string(o->name) != "--collect")
                return usage_error(c, std::string(o->name) +
                                          ": --collect DIR only makes the tables of a sweep's "
                                          "finished points, it runs nothing");
        if (!p.files.empty())
            return usage_error(c, "--collect DIR takes no sweep file (DIR/sweep.json is the "
                                  "plan), got '" +
                                      p.files[0] + "'");
        p.what = Parsed::kRunCommand;
        return p;
    }
    if (p.files.size() != 1)
        return usage_error(c, p.files.empty() ? "no sweep file given"
                                              : "sweep takes one sweep file, " +
                                                    std::to_string(p.files.size()) + " given");
    s.sweep_file = p.files[0];
    s.dir = p.options.output_path;
    if (s.dir.empty())
        return usage_error(c, "sweep needs -o DIR, the directory of its results");
    if (!s.slurm && (!s.partition.empty() || s.array_limit || s.tasks))
        return usage_error(c, "--partition, --array-limit and --tasks shape a Slurm job: they "
                              "need --slurm");
    if (s.slurm && (s.jobs || s.task >= 0))
        return usage_error(c, std::string(s.jobs ? "-j" : "--task") +
                                  ": with --slurm, Slurm runs the points (one at a time per "
                                  "task, --tasks T of them)");
    if ((s.task >= 0) != (s.of != 0))
        return usage_error(c, "--task I and --of T go together");
    if (s.task >= 0 && unsigned(s.task) >= s.of)
        return usage_error(c, "--task " + std::to_string(s.task) + " --of " + std::to_string(s.of) +
                                  ": the tasks are 0 to " + std::to_string(s.of - 1));
    p.what = Parsed::kRunCommand;
    return p;
}

// No output may be an input, another output or another's sidecar file (model/output_file.hpp).
Parsed outputs_checked(Parsed p)
{
    const RunOptions &o = p.options;
    std::vector<std::pair<std::string, std::string>> outputs;
    if (!o.vcd_path.empty()) {
        outputs.push_back({"--vcd", o.vcd_path});
        outputs.push_back({"--vcd's save file", o.gtkw_path()});
    }
    if (!o.log_path.empty())
        outputs.push_back({"--log", o.log_path});
    if (!o.stats_path.empty())
        outputs.push_back({"--stats", o.stats_path});
    if (!o.results_path.empty())
        outputs.push_back({"--results", o.results_path});
    if (!o.output_path.empty())
        outputs.push_back({"-o", o.output_path});
    std::string clash = check_output_paths(outputs, p.files);
    if (!clash.empty())
        return usage_error(p.command, clash);
    p.what = Parsed::kRunCommand;
    return p;
}

// The checks that involve more than one argument, once every one is read.
Parsed check_combination(Parsed p, const std::vector<const OptionSpec *> &given)
{
    const CommandSpec *c = p.command;
    const RunOptions &o = p.options;
    if (c->id == kSweep)
        return check_sweep(std::move(p), given);
    if (c->id == kExec) {
        if (p.files.size() != 1)
            return usage_error(c, p.files.empty() ? "no ELF file given"
                                                  : "exec takes one ELF file, " +
                                                        std::to_string(p.files.size()) + " given");
        return outputs_checked(p);
    }
    if (c->id == kReport) {
        if (p.files.size() != 1)
            return usage_error(c, p.files.empty() ? "no INPUT given (a results file, a scenario "
                                                    "or a sweep directory)"
                                                  : "report takes one INPUT, " +
                                                        std::to_string(p.files.size()) + " given");
        if (o.output_path.empty())
            return usage_error(c, "report needs -o FILE, the HTML page to write");
        return outputs_checked(p);
    }
    if (p.files.empty())
        return usage_error(c, "no scenario file given");
    if (c->id == kExplain) {
        if (p.files.size() != 1)
            return usage_error(c, "explain takes one FILE, " + std::to_string(p.files.size()) +
                                      " given");
        if (!o.explain_steps.empty() && o.explain_all)
            return usage_error(c, "explain takes --step ID... or --all-steps, not both");
        if (o.explain_json && o.explain_steps.empty() && !o.explain_all)
            return usage_error(c, "explain --json needs --step ID or --all-steps");
        if (o.explain_steps.empty() && !o.explain_all)
            for (const OptionSpec *opt : given)
                if (opt->needs_a_run)
                    return usage_error(c, std::string(opt->name) +
                                              ": explain FILE without --step or --all-steps "
                                              "lists the steps and runs nothing, so it would "
                                              "not " +
                                              opt->does);
    }
    if (!o.log_filter.empty() && o.log_path.empty())
        return usage_error(c, "--log-filter needs --log FILE");
    /* a trace option with no trace to shape would be silently ignored */
    if (o.vcd_path.empty())
        for (const OptionSpec *opt : given)
            if (std::string(opt->does) == "write traces" && std::string(opt->name) != "--vcd")
                return usage_error(c, std::string(opt->name) + " shapes the VCD trace: it needs "
                                                               "--vcd FILE");
    if (o.trace_window && !o.trace_step.empty())
        return usage_error(c, "--trace-window and --trace-step each choose the trace's window: "
                              "give one");
    if (o.gdb_wait && !o.gdb_port)
        return usage_error(c, "--gdb-wait needs --gdb PORT");
    if (o.gdb_port && p.files.size() > 1)
        return usage_error(c, "--gdb takes one scenario file");
    if (o.results_explain && o.results_path.empty())
        return usage_error(c, "--results-explain needs --results FILE");
    if (c->id == kRun && p.files.size() > 1 &&
        (!o.vcd_path.empty() || !o.log_path.empty() || !o.stats_path.empty() ||
         !o.results_path.empty()))
        return usage_error(c, "--vcd, --log, --stats and --results take one scenario file at a "
                              "time");
    return outputs_checked(p);
}

} // namespace

std::string usage(const CommandSpec &command)
{
    std::string text = forms_of({&command}, false) + "\noptions:\n";
    for (const OptionSpec &o : options())
        if (o.commands & command.id)
            text += option_line(o, "");
    return text + "\nexit status: " + command.exit_status + "\n";
}

std::string usage()
{
    std::vector<const CommandSpec *> all;
    for (const CommandSpec &c : commands())
        all.push_back(&c);
    std::string text = forms_of(all, true) + "\noptions (of the commands in brackets):\n";
    for (const OptionSpec &o : options())
        text += option_line(o, " [" + names_of(o.commands) + "]");
    return text + "\nexit status: 0 every expectation held (check: every scenario is valid), 1 an "
                  "expectation failed, 2 bad input or usage, or the scenario could not run as "
                  "written, 128+N a signal (130 SIGINT, 143 SIGTERM)\n";
}

Parsed parse(const std::vector<std::string> &args)
{
    Parsed p;
    if (args.empty())
        return usage_error(nullptr, "no command given");
    const std::string &first = args[0];
    if (first == "--help" || first == "-h" || first == "help") {
        /* `rmesim help run` is `rmesim run --help` */
        const CommandSpec *about = args.size() > 1 ? command_named(args[1]) : nullptr;
        if (args.size() > 1 && !about)
            return usage_error(nullptr, "no command '" + args[1] + "' to help with" +
                                            suggestion(args[1], command_names()));
        p.what = Parsed::kHelp;
        p.text = about ? usage(*about) : usage();
        return p;
    }
    if (first == "--version") {
        p.what = Parsed::kVersion;
        return p;
    }
    p.command = command_named(first);
    if (!p.command) {
        std::vector<std::string> names = command_names();
        names.insert(names.end(), {"--help", "--version"});
        if (is_option(first) && option_named(first.substr(0, first.find('=')))) {
            std::string alternatives;
            for (const std::string &n : command_names())
                alternatives += (alternatives.empty() ? "" : "|") + n;
            return usage_error(nullptr, "'" + first +
                                            "' is an option: the command comes first (rmesim " +
                                            alternatives + " FILE... [options])");
        }
        return usage_error(nullptr, "unknown command '" + first + "'" + suggestion(first, names));
    }
    const CommandSpec *c = p.command;
    // --help wins over anything else on the line, even a mistake
    for (size_t i = 1; i < args.size() && args[i] != "--"; i++)
        if (args[i] == "--help" || args[i] == "-h") {
            p.what = Parsed::kHelp;
            p.text = usage(*c);
            return p;
        }
    std::vector<const OptionSpec *> given;
    bool only_files = false;
    for (size_t i = 1; i < args.size(); i++) {
        const std::string &arg = args[i];
        if (only_files || !is_option(arg)) {
            p.files.push_back(arg);
            continue;
        }
        if (arg == "--") {
            only_files = true;
            continue;
        }
        size_t equals = arg.compare(0, 2, "--") == 0 ? arg.find('=') : std::string::npos;
        std::string name = arg.substr(0, equals);
        const OptionSpec *o = option_named(name);
        if (!o) {
            std::vector<std::string> known;
            for (const OptionSpec &k : options())
                if (k.commands & c->id)
                    known.push_back(k.name);
            return usage_error(c, "unknown option '" + name + "'" + suggestion(name, known));
        }
        if (!(o->commands & c->id))
            return usage_error(c, std::string(o->name) + ": " + c->name + " does not " + o->does +
                                      " (" + c->purpose + "); " + o->name + " is an option of " +
                                      names_of(o->commands, " and "));
        std::string value;
        if (o->value && equals != std::string::npos) {
            value = arg.substr(equals + 1);
        } else if (o->value) {
            if (i + 1 >= args.size() || args[i + 1].compare(0, 2, "--") == 0)
                return usage_error(
                    c, std::string(o->name) + " needs a value (" + o->value + ")" +
                           (i + 1 < args.size() ? ", got the option '" + args[i + 1] + "'" : ""));
            value = args[++i];
        } else if (equals != std::string::npos) {
            return usage_error(c, std::string(o->name) + " takes no value, got '" + arg + "'");
        }
        std::string error;
        if (o->apply && !o->apply(p.options, value, error))
            return usage_error(
                c, error.compare(0, 2, "--") == 0 ? error : std::string(o->name) + ": " + error);
        given.push_back(o);
    }
    return check_combination(std::move(p), given);
}

} // namespace rmesim::cli
