// check / run / explain: load a scenario, refuse what this build cannot execute (naming it),
// run the rest on the SystemC platform and judge the expectations.
#include "model/runner.hpp"
#include "model/step_plan.hpp"
#include "model/realm_image.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "model/gdb_server.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"

extern "C" {
#include "scenario/scenario.h"
}

namespace rmesim
{

namespace
{

struct ScenarioPtr {
    scenario *s = nullptr;
    ~ScenarioPtr() { scenario_free(s); }
};

bool load(const std::string &path, const RunOptions &options, ScenarioPtr &out)
{
    scenario_diag diag;
    std::vector<const char *> sets;
    for (const std::string &set : options.sets)
        sets.push_back(set.c_str());
    out.s = scenario_load_with_overrides(path.c_str(), sets.data(), sets.size(), &diag);
    if (!out.s) {
        std::fprintf(stderr, "%s\n", diag.text);
        return false;
    }
    return true;
}

// Says plainly, line by line, what cannot run (UNDEFINED, or not yet in this build); true if
// anything. ctest counts only the second kind as skipped.
bool refuse_unsupported(const std::string &path, const scenario &s)
{
    std::vector<std::string> missing = Simulation::unsupported(s);
    for (const auto &m : missing)
        std::fprintf(stderr, "%s\n", m.c_str());
    bool not_yet = false; /* a step this build cannot run yet, rather than one that is wrong */
    for (const auto &m : missing)
        not_yet |= m.find("not yet") != std::string::npos;
    if (!missing.empty())
        std::fprintf(stderr, "%s: %sthe scenario was not run\n", path.c_str(),
                     not_yet ? "not yet supported by this build of rmesim: " : "");
    return !missing.empty();
}

// The steps `explain` can tell, one a line: id, action, who runs it, where it is in the file.
// A step inside a repeat is listed as NAME#1..N (the names its iterations run under).
void list_steps(const scenario &s, const StepPlan &plan, const scn_step *steps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const scn_step &st = steps[i];
        if (st.action.kind == SCN_ACT_PARALLEL || st.action.kind == SCN_ACT_REPEAT) {
            list_steps(s, plan, st.action.children, st.action.n_children);
            continue;
        }
        std::string actor = st.actor.kind == SCN_ACTOR_HOST ? "host"
                            : st.actor.kind == SCN_ACTOR_EL3
                                ? "el3"
                                : std::string(s.realms[st.actor.realm].name) + ".vcpu" +
                                      std::to_string(st.actor.vcpu);
        std::string id = plan.listing(st);
        char at[32];
        std::printf("%-24s %-16s on %-12s (%s)\n", id.c_str(), scn_action_name(st.action.kind),
                    actor.c_str(), scn_line(st.pos, at, sizeof at));
    }
}

void list_steps(const scenario &s)
{
    list_steps(s, StepPlan(s), s.steps, s.n_steps);
    char at[32];
    for (size_t i = 0; i < s.n_realms; i++)
        std::printf("%-24s %-16s on %-12s (%s)\n",
                    (std::string(s.realms[i].name) + ".build").c_str(), "realm_create", "host",
                    scn_line(s.realms[i].pos, at, sizeof at));
}

// A path as the shell must be given it: quoted when it holds anything but safe characters.
std::string shell_word(const std::string &path)
{
    if (!path.empty() &&
        path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789_-+=.,:/@%") == std::string::npos)
        return path;
    std::string quoted = "'";
    for (char c : path)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// Where a run's outputs went (paths as given), and the command that opens its trace.
void print_outputs(const RunOptions &o)
{
    const std::pair<const char *, std::string> outputs[] = {
        {"trace:", o.vcd_path},
        {"save file:", o.vcd_path.empty() ? "" : o.gtkw_path()},
        {"event log:", o.log_path},
        {"statistics:", o.stats_path},
        {"results:", o.results_path}};
    for (const auto &[what, path] : outputs)
        if (!path.empty())
            std::printf("  %-11s %s\n", what, path.c_str());
    if (!o.vcd_path.empty())
        std::printf("  view the trace: gtkwave %s %s\n", shell_word(o.vcd_path).c_str(),
                    shell_word(o.gtkw_path()).c_str());
}

// A step's id, or REALM.build: how the host built that realm (the ids records carry).
bool is_step_id(const scenario &s, const std::string &id)
{
    bool build = id.size() > 6 && id.compare(id.size() - 6, 6, ".build") == 0 &&
                 scenario_find_realm(&s, id.substr(0, id.size() - 6).c_str()) >= 0;
    /* a step's id; inside a repeat, an iteration's name: id#k */
    std::string base = id.substr(0, id.find('#'));
    return build || (scenario_find_step(&s, base.c_str()) >= 0 && StepPlan(s).has(id));
}

// Why id names no step (is_step_id is false): the usual words, or for a step inside a repeat the
// names its iterations run under.
std::string not_a_step(const std::string &path, const scenario &s, const std::string &id)
{
    StepPlan plan(s);
    const scn_step *st = plan.named(id.substr(0, id.find('#')));
    if (st && scenario_find_step(&s, plan.base(*st).c_str()) >= 0)
        return "no step runs as '" + id + "' (the step '" + plan.base(*st) + "' runs as " +
               plan.listing(*st) + ")";
    return "no step has the id '" + id + "' (nor is it REALM.build); `rmesim explain " + path +
           "` lists them";
}

// --log-filter's steps and cores are the scenario's.
bool log_filter_fits(const std::string &path, const scenario &s, const LogFilter &filter)
{
    for (const std::string &id : filter.steps())
        if (!is_step_id(s, id)) {
            std::fprintf(stderr, "%s: --log-filter: %s\n", path.c_str(),
                         not_a_step(path, s, id).c_str());
            return false;
        }
    for (unsigned core : filter.cores())
        if (core >= s.platform.cores) {
            std::fprintf(stderr, "%s: --log-filter: core %u, but the platform has %u cores\n",
                         path.c_str(), core, s.platform.cores);
            return false;
        }
    return true;
}

// --gdb PORT: a realm that runs A64 code to debug, and the port to listen on.
bool start_gdb(const std::string &path, const scenario &s, const RunOptions &o, GdbServer &gdb)
{
    bool real_code = false;
    for (size_t i = 0; i < s.n_realms; i++)
        real_code |= s.realms[i].image_file != nullptr;
    if (!real_code) {
        std::fprintf(stderr,
                     "%s: --gdb: no realm of this scenario runs A64 code (realms[].image: FILE); "
                     "the scripted guest has no registers to debug\n",
                     path.c_str());
        return false;
    }
    std::string error;
    if (!gdb.listen(o.gdb_port, o.gdb_wait, error)) {
        std::fprintf(stderr, "rmesim: --gdb %u: %s\n", o.gdb_port, error.c_str());
        return false;
    }
    if (o.gdb_wait)
        std::fprintf(stderr, "rmesim: waiting for gdb on 127.0.0.1:%u (target remote :%u)\n",
                     o.gdb_port, o.gdb_port);
    return true;
}

} // namespace

int check_scenario(const std::string &path, const RunOptions &options)
{
    ScenarioPtr s;
    if (!load(path, options, s))
        return 2;
    std::string layout_error; /* the platform checks a run makes before time 0 */
    if (!Firmware::check_layout(*s.s, layout_error)) {
        std::fprintf(stderr, "%s\n", layout_error.c_str());
        return 2;
    }
    for (size_t i = 0; i < s.s->n_realms; i++) { /* the images a run would load */
        RealmImage image;
        std::string error;
        if (s.s->realms[i].image_file && !read_realm_image(*s.s, s.s->realms[i], image, error)) {
            std::fprintf(stderr, "%s\n", error.c_str());
            return 2;
        }
    }
    if (!options.quiet)
        std::printf("%s: ok (%s, %s)\n", path.c_str(), counted(s.s->n_steps, "step").c_str(),
                    counted(s.s->n_finals, "final expectation").c_str());
    return 0;
}

int run_scenario(const std::string &path, const RunOptions &options)
{
    ScenarioPtr s;
    if (!load(path, options, s))
        return 2;
    if (!log_filter_fits(path, *s.s, options.log_filter) || refuse_unsupported(path, *s.s))
        return 2;
    GdbServer gdb;
    if (options.gdb_port && !start_gdb(path, *s.s, options, gdb))
        return 2;
    Simulation sim(*s.s, options);
    if (options.gdb_port)
        sim.set_debugger(&gdb);
    int rc = sim.run();
    gdb.finish(rc);
    if (rc != 2 && !options.quiet)
        print_outputs(options);
    return rc;
}

int explain_scenario(const std::string &path, const RunOptions &options)
{
    ScenarioPtr s;
    if (!load(path, options, s))
        return 2;
    if (options.explain_steps.empty() && !options.explain_all) {
        list_steps(*s.s);
        return 0;
    }
    /* a step's id, or REALM.build: how the host built that realm */
    for (const std::string &id : options.explain_steps) {
        if (!is_step_id(*s.s, id)) {
            std::fprintf(stderr, "%s: %s\n", path.c_str(), not_a_step(path, *s.s, id).c_str());
            return 2;
        }
    }
    if (refuse_unsupported(path, *s.s))
        return 2;
    RunOptions quiet = options;
    quiet.quiet = true;
    Simulation sim(*s.s, quiet);
    int rc = sim.run();
    sim.print_explain();
    return rc;
}

} // namespace rmesim
