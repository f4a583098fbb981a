// The scenario runner: builds the platform the scenario describes and the software stack on its
// cores (model/software_stack.hpp), runs the steps on the cores in simulated time (the realms'
// lifecycle with them: build, boot, a ScriptedGuest per vCPU, destroy), records what each step
// observed, and subscribes the views (the VCD, the event log, the statistics, explain, the
// expectation judge, which reads the final state through this class's Inspector).
#pragma once

#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/a64_vcpu.hpp"
#include "model/core.hpp"
#include "model/cost.hpp"
#include "model/event_log.hpp"
#include "model/output_file.hpp"
#include "model/event_stream.hpp"
#include "model/exception_records.hpp"
#include "model/explain_view.hpp"
#include "model/invariant_view.hpp"
#include "model/judge.hpp"
#include "model/memory_system.hpp"
#include "model/options.hpp"
#include "model/platform.hpp"
#include "model/results_view.hpp"
#include "model/scripted_guest.hpp"
#include "model/software_stack.hpp"
#include "model/stats_view.hpp"
#include "model/step_plan.hpp"
#include "model/step_result.hpp"
#include "model/tracer.hpp"
#include "model/vcd_view.hpp"

extern "C" {
#include "cpu/pe.h"
#include "gpc/gpc_unit.h"
#include "gpc/gpt_el3.h"
#include "gpc/regs.h"
#include "host/kvm.h"
#include "host/vdev.h"
#include "realm/guest.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
#include "mmu/tlb.h"
#include "rmm/rmm.h"
#include "scenario/scenario.h"
}

namespace rmesim
{

class GdbServer;

class Simulation : private Inspector
{
  public:
    Simulation(const scenario &s, const RunOptions &options);
    ~Simulation();

    // What this build cannot execute yet, as "FILE:LINE:COLUMN: ..." lines (empty: runnable).
    static std::vector<std::string> unsupported(const scenario &s);

    // Run every step and judge the expectations: 0 all held, 1 one failed, 2 bad input.
    int run();
    // The explanation of the step --step names, or of every one with --all-steps.
    void print_explain() const;
    // --gdb: the server the realms' A64 vCPUs answer to (before run()).
    void set_debugger(GdbServer *gdb) { gdb_ = gdb; }

  private:
    using CoreState = CoreContext;
    // A realm of the scenario: what the host knows of it (KVM), its guest kernel, and per vCPU
    // the instructions that guest has executed so far (PC = entry + 4 * index).
    struct RealmState {
        const scn_realm *cfg = nullptr;
        bool built = false, booted = false, build_failed = false, destroyed = false;
        // A build or a boot under way on one core: the steps of a parallel group that name the
        // realm on other cores wait for it (`ready` is notified when it ends).
        bool building = false, booting = false;
        std::shared_ptr<sc_core::sc_event> ready = std::make_shared<sc_core::sc_event>();
        kvm_realm kvm{};
        guest g{};
        std::vector<std::unique_ptr<ScriptedGuest>> vcpus; // what runs on each vCPU
        std::vector<bool> vcpu_booted;
        std::vector<SmcInFlight> smc; // per vCPU: an SMC a run left in flight
        // image: FILE: its segments laid out from image_ipa (zeros between and after them),
        // the entry point, and the vCPUs that run the code
        std::vector<uint8_t> image;
        uint64_t image_ipa = 0, entry = 0;
        std::vector<std::unique_ptr<A64Vcpu>> a64;
        std::vector<const scn_step *> stopped_by; // per vCPU: the step whose exit is pending
    };
    std::string gtkw_path() const;
    bool trace_options_match(std::string &error) const;
    static bool can_write(const std::string &path, std::string &error);
    std::vector<std::string> finish_outputs();
    static rme_machine machine_of(const scn_platform &p, std::vector<rme_machine_range> &memory,
                                  std::vector<rme_machine_device> &devices);
    bool build_platform(std::string &error);
    void el3_map_block(CoreState &cs, uint64_t va, rme_pas pas);
    void sequencer();
    void run_steps(const scn_step *steps, size_t n, const std::string &iteration);
    void run_group(const scn_step &st, const std::string &iteration);
    void run_step(const scn_step &step, CoreState &cs, StepResult &out);
    void do_access(const scn_step &step, CoreState &cs, StepResult &out);
    bool access_once(const scn_step &step, CoreState &cs, StepResult &out, uint64_t va,
                     unsigned repeat, bool report, scn_action_kind kind);
    void report_access(StepResult &out, bool repeated, const rme_access &acc, unsigned kind,
                       bool reached_memory, uint64_t value, const char *owner, bool fault,
                       uint64_t esr, uint64_t far, unsigned target);
    void do_gpt_transition(const scn_step &step, CoreState &cs, StepResult &out);
    void do_gpt_write(const scn_step &step, CoreState &cs, StepResult &out);
    void do_tlbi(const scn_step &step, CoreState &cs, StepResult &out);
    void do_rmi(const scn_step &step, CoreState &cs, StepResult &out);
    uint64_t host_struct(CoreState &cs, const scn_value &map, const char *arg, unsigned command);
    uint64_t arg_value(CoreState &cs, const scn_value &v);
    bool ensure_realm(RealmState &rs, CoreState &cs);
    // The page behind { realm, ipa } (backing: enum scn_backing) for a step; false, with the
    // step's failure naming pos, when nothing backs it.
    // An RMI argument naming an RTT or auxiliary granule: builds the realm first; false, with a
    // failure, when there is no such granule.
    bool named_arg(const scn_pa_name &name, CoreState &cs, const std::string &step);
    bool realm_page(RealmState &rs, uint64_t ipa, unsigned backing, scn_pos pos,
                    const std::string &step, kvm_lookup &l);
    // What the final expectations read (Inspector).
    bool gpi(uint64_t pa, unsigned &gpi) const override;
    bool memory(uint64_t pa, rme_pas pas, unsigned size, uint64_t &value) const override;
    const rmm_realm *realm(unsigned index, bool &built) const override;
    bool rtt_entry(unsigned realm, uint64_t ipa, int level, rtt_entry_info &e) const override;
    const char *device_output(unsigned device) const override;
    const granule *granule_at(uint64_t pa) const override;
    uint64_t granules_owned() const override;
    uint64_t memory_resident_pages() const override;
    uint64_t memory_host_bytes() const override;
    bool backing_pa(unsigned realm, uint64_t ipa, unsigned backing, uint64_t &pa,
                    std::string &why) const override;
    bool named_pa(const scn_pa_name &name, uint64_t &pa, std::string &why) const override;
    // The record of a step that is over.
    void end_step(CoreState &cs, const StepResult &r);
    void end_run();

    // realms (simulation_realm.cpp)
    RealmState *begin_vcpu_step(const scn_step &step, CoreState &cs, StepResult &out);
    void do_realm_step(const scn_step &step, CoreState &cs, StepResult &out);
    void do_destroy(const scn_step &step, CoreState &cs, StepResult &out);
    bool build_realm(RealmState &rs, CoreState &cs, StepResult &out);
    bool boot_realm(RealmState &rs, unsigned vcpu, CoreState &cs);
    bool run_program(RealmState &rs, guest_program &prog, RealmRun &run, kvm_run_log &log,
                     bool boot, uint32_t stop_at = 0, const kvm_response *answer = nullptr);
    // simulation_image.cpp: realms that run the code of an ELF image
    bool load_image(RealmState &rs, std::string &error);
    void do_run(const scn_step &step, CoreState &cs, StepResult &out);
    // simulation_pending.cpp: a REC exit left pending, answered later; what a realm's call returned
    void do_complete(const scn_step &step, CoreState &cs, StepResult &out);
    bool answer_for(const scn_step &step, const kvm_exit &pending, kvm_response &answer);
    static const char *run_end(const kvm_run_log &log, const kvm_realm &kvm, unsigned vcpu);
    void note_run_failure(const scn_step &step, const StepResult &out, const kvm_run_log &log,
                          const char *what);
    void observe_call(RealmState &rs, const scn_action &a, const rmm_rec &rec, StepResult &out);
    // The step's cost by software since cs.cost_mark: its `cost.*` fields.
    void note_cost(CoreState &cs, StepResult &out) const;
    // Whether the run tells its steps' stories (`rmesim explain`): only then is the view made.
    bool explaining() const
    {
        return opt_.explain_all || !opt_.explain_steps.empty() || opt_.results_explain;
    }
    // --results: the document, written whole or not at all; false with the reason in `error`.
    bool write_results(int exit_code, std::string &error) const;
    void observe_exits(const kvm_run_log &log, long primary_exit, StepResult &out);
    void observe_ioremap(const RealmState &rs, uint64_t pa, guest_ioremap_result result,
                         uint64_t chosen, StepResult &out);

    const scenario &s_;
    RunOptions opt_;
    sc_core::sc_time period_;
    std::unique_ptr<Platform> platform_;
    phys_mem *mem_ = nullptr; // the platform's
    std::unique_ptr<Tracer> tracer_;
    EventStream stream_; // every view below subscribes
    std::unique_ptr<VcdView> vcd_;
    std::unique_ptr<StepPlan> plan_;
    ValueNamer step_namer_; // the VCD's step signal: a run step's index to its name
    struct Progress {       // the sequencer's progress line on a terminal
        std::chrono::steady_clock::time_point wall_start, last_print;
        bool tty = false, printed = false;
        uint64_t step_index = 0;
    } progress_;
    std::unique_ptr<SoftwareStack> sw_; // EL3, the RMM, the host's and the RMM's machine
    std::vector<RealmState> realms_;
    std::vector<std::string> failures_;           // expectations that did not hold (exit 1)
    std::vector<std::string> errors_;             // the scenario could not run as written (exit 2)
    std::vector<unsigned> errors_on_core_;        // by the core whose thread found them
    bool out_of_memory_ = false;                  // rmesim's own allocation failed: no further step
    std::vector<uint64_t> pool_failures_at_step_; // the host pool's failed allocations when each
                                                  // core's step began
    // "the host's pool (...) ran out of pages; ..." when it did since `before`, else ""
    std::string pool_ran_dry(uint64_t before);
    // An error of the step running on the current core: the step's expectations are not judged.
    void run_error(std::string message);
    OutputFile log_file_;           // --log
    std::unique_ptr<EventLog> log_; // its view
    std::unique_ptr<StatsView> stats_;
    std::unique_ptr<Judge> judge_;
    std::unique_ptr<InvariantView> invariants_; // --check-invariants
    std::unique_ptr<ExplainView> explain_;      // rmesim explain
    std::unique_ptr<ResultsView> results_;      // --results
    GdbServer *gdb_ = nullptr;                  // --gdb
    uint64_t steps_done_ = 0, total_steps_ = 0;
    sc_core::sc_time end_time_;
};

} // namespace rmesim
