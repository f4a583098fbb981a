// Realms end to end: the host (host/kvm.c) builds them and runs their vCPUs as KVM_RUN does,
// every RMI call a timed SMC through EL3; the RMM enters the REC and the guest's instructions
// (realm/guest.c) run on the same core through the realm's stage 1, stage 2 and the GPC, until
// a trap brings it back to R-EL2; the host sees the REC exit and, for MMIO, its VMM's device.
#include <cinttypes>
#include <cstring>
#include <new>

#include "model/simulation.hpp"
#include "model/text.hpp"
#include "model/where.hpp"

extern "C" {
#include "rmm/psci.h"
}

namespace rmesim
{

using namespace sc_core;

// ---- building and running -------------------------------------------------------------------

bool Simulation::build_realm(RealmState &rs, CoreState &cs, StepResult &out)
{
    const scn_realm &c = *rs.cfg;
    kvm_realm_config cfg{};
    cfg.ipa_bits = c.ipa_bits;
    cfg.rtt_level_start = c.has_rtt_level_start ? c.rtt_level_start : -1;
    cfg.vcpus = c.vcpus;
    cfg.vmid = uint16_t(1 + (&rs - realms_.data()));
    cfg.ram_ipa = c.ram_ipa;
    cfg.ram_size = c.ram_size;
    cfg.image_ipa = c.has_image ? c.image_ipa : c.ram_ipa;
    cfg.image_size = c.has_image ? c.image_size : 64 * 1024; /* a small kernel image */
    cfg.entry = cfg.image_ipa;
    if (c.image_file) { /* an ELF: its segments, and its entry point */
        cfg.image_ipa = rs.image_ipa;
        cfg.image_size = rs.image.size();
        cfg.image_bytes = rs.image.data();
        cfg.entry = rs.entry;
    }
    kvm_env env = kvm_env_for(*sw_);
    cs.host_result = &out;
    uint64_t failed = 0, pool_failures = sw_->firmware().host_pool_failures();
    uint64_t rc = kvm_realm_create(&env, &cfg, &rs.kvm, &failed);
    cs.host_result = nullptr;
    if (rc != 0 && !rs.kvm.vmm_ram) {
        run_error(fmt("%s: the host could not build realm '%s': its pool has no "
                      "room for the VMM's %s bytes of guest RAM (the memslot's shared "
                      "backing)",
                      where(s_, c.pos).c_str(), c.name, hex(c.ram_size).c_str()));
        return false;
    }
    if (rc != 0) {
        const char *name = scn_name_of(&scn_rmi_commands, unsigned(failed & 0xFFFF));
        /* the host's allocator ran dry and KVM went on with address 0: the pool is the cause */
        std::string cause = pool_ran_dry(pool_failures);
        run_error(fmt("%s: the host could not build realm '%s': RMI_%s returned "
                      "%s (index %u)%s%s",
                      where(s_, c.pos).c_str(), c.name, name ? name : "?",
                      scn_name_of(&scn_rmi_status, rmi_status_of(rc)), rmi_index_of(rc),
                      cause.empty() ? "" : ": ", cause.c_str()));
        return false;
    }
    guest_config gc{c.ram_ipa,      c.ram_size,   cfg.image_ipa,
                    cfg.image_size, c.linear_map, c.guest_ioremap == SCN_IOREMAP_SEED};
    guest_init(&rs.g, &gc);
    for (unsigned v = 0; v < c.vcpus && !c.image_file; v++)
        rs.vcpus.push_back(std::make_unique<ScriptedGuest>(c.name, v, cfg.entry, *platform_));
    rs.built = true;
    rme_event e = EventSink::make(RME_EV_REALM_BUILT, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.realm = {c.name,   rs.kvm.rd,          rs.kvm.rtt_base,           rs.kvm.num_start,
                 cfg.vmid, rs.kvm.start_level, rs.kvm.granules_delegated, 0};
    cs.sink.emit(e);
    return true;
}

// The host builds a realm the first time a step names it; the build is a result of its own,
// REALM.build, for `explain` and the log.
bool Simulation::ensure_realm(RealmState &rs, CoreState &cs)
{
    if (rs.destroyed) {
        run_error(fmt("%s: realm '%s' was destroyed by an earlier step",
                      where(s_, rs.cfg->pos).c_str(), rs.cfg->name));
        return false;
    }
    while (rs.building) /* a parallel step on another core builds it: once is enough */
        cs.core->wait_for(*rs.ready);
    if (rs.built || rs.build_failed)
        return rs.built;
    rs.building = true;
    StepResult build;
    build.step_id = std::string(rs.cfg->name) + ".build";
    build.actor = "host";
    build.action = "realm_create";
    build.core = cs.core->index();
    build.start_cycle = cs.core->now_cycles();
    StepResult *outer = cs.host_result;
    std::string outer_step = cs.step_id;
    unsigned outer_index = cs.step.index;
    cs.set_running(build.step_id, 0);
    rme_event begin = EventSink::make(RME_EV_STEP_BEGIN, build.start_cycle, build.start_cycle);
    begin.u.step_change = cs.step;
    cs.sink.emit(begin);
    std::array<uint64_t, SW_COUNT> outer_mark = cs.cost_mark;
    for (unsigned w = 0; w < SW_COUNT; w++)
        cs.cost_mark[w] = cs.core->account_cycles(w);
    bool ok = build_realm(rs, cs, build);
    cs.set_running(outer_step, outer_index);
    cs.host_result = outer;
    build.cycles = cs.core->now_cycles() - build.start_cycle;
    build.set("cycles", Observed::num(build.cycles));
    note_cost(cs, build);
    /* the build is not the step's: the step's cost starts after it, as its cycles do */
    for (unsigned w = 0; w < SW_COUNT; w++)
        cs.cost_mark[w] = outer_mark[w] + (cs.core->account_cycles(w) - cs.cost_mark[w]);
    end_step(cs, build);
    rs.build_failed = !ok;
    rs.building = false;
    rs.ready->notify(sc_core::SC_ZERO_TIME);
    return ok;
}

// Append the guest's instructions to its vCPU's stream and run them as KVM_RUN does, until the
// host's kick (an IRQ exit) or something the host cannot handle.
bool Simulation::run_program(RealmState &rs, guest_program &prog, RealmRun &run, kvm_run_log &log,
                             bool boot, uint32_t stop_at, const kvm_response *answer)
{
    CoreState &cs = *run.cs;
    rme_event e =
        EventSink::make(RME_EV_GUEST_RUN_BEGIN, cs.core->now_cycles(), cs.core->now_cycles());
    const uint64_t added = prog.insns;
    e.u.run = {rs.cfg->name, run.vcpu, boot, added, 0, 0};
    cs.sink.emit(e);
    if (prog.n) { /* what the scripted guest is to execute next */
        const rmm_rec *rec = rmm_rec_at(&sw_->the_rmm(), rs.kvm.recs[run.vcpu]);
        rs.vcpus[run.vcpu]->append(prog.ops, prog.n, rec ? rec->pc : 0);
    }
    /* a bound on REC exits, not a limit a real program meets: each instruction may take a
     * few (a page fault and its table levels), a host that cannot make progress takes many */
    uint64_t pattern = run.vcpu < rs.vcpus.size() && rs.vcpus[run.vcpu]
                           ? rs.vcpus[run.vcpu]->pattern_count()
                           : 0; /* a pattern step's accesses: one instruction each */
    unsigned max_exits = unsigned(std::min<size_t>(4096 + 4 * (prog.insns + pattern), 1u << 30));
    guest_program_free(&prog);
    cs.realm_run = &run;
    cs.host_result = run.out;
    run.vmm_refuses = rs.cfg->vmm_memory_fault == SCN_VMM_REFUSE;
    if (rs.smc.empty())
        rs.smc.resize(rs.cfg->vcpus);
    run.smc = rs.smc[run.vcpu];
    kvm_env env = kvm_env_for(*sw_);
    int go = answer ? kvm_vcpu_complete(&env, &rs.kvm, run.vcpu, answer, &log) : 1;
    bool ok = go > 0 ? kvm_vcpu_run(&env, &rs.kvm, run.vcpu, &log, max_exits, stop_at) : go == 0;
    rs.smc[run.vcpu] = run.smc;
    cs.realm_run = nullptr;
    cs.host_result = nullptr;
    e = EventSink::make(RME_EV_GUEST_RUN_END, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.run = {rs.cfg->name, run.vcpu, boot, added, run.instructions, log.n};
    cs.sink.emit(e);
    return ok;
}

// The guest kernel's boot on the vCPU that runs first: its tables and MMU (paging_init), then
// arm64_rsi_init: RSI_VERSION, RSI_REALM_CONFIG (prot_ns_shared, known before the first
// ioremap), and its RAM made RIPAS RAM (a RIPAS_CHANGE exit the host answers). A run of its own
// before the step's action; its lines go into the step's explanation.
bool Simulation::boot_realm(RealmState &rs, unsigned v, CoreState &cs)
{
    guest_program prog{};
    bool made = guest_boot(&rs.g, &prog) && guest_rsi_init(&rs.g, &prog);
    rs.booted = true;
    rs.vcpu_booted.assign(rs.cfg->vcpus, false);
    rs.vcpu_booted[v] = true;
    if (!made) {
        bool host_memory = prog.out_of_memory;
        guest_program_free(&prog);
        if (host_memory) /* rmesim's own memory, not the guest's: the step's error says so */
            throw std::bad_alloc();
        run_error(fmt("%s: the guest of realm '%s' has no RAM for its boot",
                      where(s_, rs.cfg->pos).c_str(), rs.cfg->name));
        return false;
    }
    StepResult boot;
    RealmRun run{rs.vcpus[v].get(), v, &cs, &boot};
    kvm_run_log log{};
    bool ok = run_program(rs, prog, run, log, true);
    kvm_run_log_free(&log);
    rmm_rec *rec = rmm_rec_at(&sw_->the_rmm(), rs.kvm.recs[v]);
    if (!ok || !rec) {
        run_error(fmt("%s: the guest of realm '%s' did not boot", where(s_, rs.cfg->pos).c_str(),
                      rs.cfg->name));
        return false;
    }
    if (guest_rsi_init_done(&rs.g, rec->gprs) == GUEST_RSI_PANICKED) {
        run_error(fmt("%s: the guest of realm '%s' panicked at boot: "
                      "RSI_IPA_STATE_SET could not make its RAM RIPAS RAM (it stopped "
                      "at %#" PRIx64 ", status %" PRIu64 ", response %" PRIu64 ")",
                      where(s_, rs.cfg->pos).c_str(), rs.cfg->name, rec->gprs[1], rec->gprs[0],
                      rec->gprs[2]));
        return false;
    }
    return true;
}

// The host's teardown of a realm (destroy: REALM).
void Simulation::do_destroy(const scn_step &step, CoreState &cs, StepResult &out)
{
    RealmState &rs = realms_[step.action.realm];
    out.actor = "host";
    if (!ensure_realm(rs, cs))
        return;
    out.start_cycle = cs.core->now_cycles();
    kvm_env env = kvm_env_for(*sw_);
    cs.host_result = &out;
    uint64_t failed = 0, before = rs.kvm.granules_delegated;
    uint64_t rc = kvm_realm_destroy(&env, &rs.kvm, &failed);
    cs.host_result = nullptr;
    out.set("status", Observed::name(scn_name_of(&scn_rmi_status, rmi_status_of(rc))));
    out.set("index", Observed::num(rmi_index_of(rc)));
    rme_event e =
        EventSink::make(RME_EV_REALM_DESTROYED, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.realm = {rs.cfg->name,       rs.kvm.rd, rs.kvm.rtt_base,     rs.kvm.num_start, 0,
                 rs.kvm.start_level, before,    rc != 0 ? failed : 0};
    cs.sink.emit(e);
    if (rc == 0)
        rs.destroyed = true;
}

// rec_exit.* and host_ipa describe the exit the step's own access caused (else the first SYNC
// exit: boot and page-table work come first); mmio.* the first emulated access.
void Simulation::observe_exits(const kvm_run_log &log, long primary_exit, StepResult &out)
{
    bool sync_seen = false, mmio_seen = false;
    for (size_t i = 0; i < log.n; i++) {
        const kvm_exit &x = log.exits[i];
        if (x.rmi_status)
            continue;
        bool mine = primary_exit >= 0 ? long(i) == primary_exit : x.reason != RMI_EXIT_IRQ;
        if (mine && !sync_seen) {
            sync_seen = true;
            const char *reason = scn_name_of(&scn_rec_exit_reasons, unsigned(x.reason));
            out.set("rec_exit.reason", Observed::name(reason ? reason : "?"));
            out.set("rec_exit.esr", Observed::num(x.esr));
            out.set("rec_exit.far", Observed::num(x.far));
            out.set("rec_exit.hpfar", Observed::num(x.hpfar));
            out.set("rec_exit.hpfar_ipa", Observed::num((x.hpfar >> 4) << 12));
            out.set("rec_exit.gpr0", Observed::num(x.gpr0));
            if (x.reason == RMI_EXIT_SYNC)
                out.set("host_ipa", Observed::num(x.gpa));
            if (x.reason == RMI_EXIT_HOST_CALL)
                out.set("rec_exit.imm", Observed::num(x.imm));
            if (x.reason == RMI_EXIT_RIPAS_CHANGE) {
                out.set("rec_exit.ripas_base", Observed::num(x.ripas_base));
                out.set("rec_exit.ripas_top", Observed::num(x.ripas_top));
                const char *ripas = scn_name_of(&scn_ripas, unsigned(x.ripas_value));
                out.set("rec_exit.ripas_value", Observed::name(ripas ? ripas : "?"));
            }
        }
        if (x.action == KVM_ACT_MEMORY_FAULT && !out.fields.count("memory_fault.gpa")) {
            out.set("memory_fault.gpa", Observed::num(x.mf_gpa));
            out.set("memory_fault.size", Observed::num(x.mf_size));
            out.set("memory_fault.private", Observed::boolean(x.mf_private));
            out.set("memory_fault.vmm", Observed::name(x.vmm_converted ? "converted" : "refused"));
        }
        if (x.action == KVM_ACT_MMIO && !mmio_seen) {
            mmio_seen = true;
            int d = platform_->device_at(x.gpa);
            out.set("mmio.device", Observed::str(d >= 0 ? s_.platform.devices[d].name : "none"));
            out.set("mmio.offset",
                    Observed::num(d >= 0 ? x.gpa - s_.platform.devices[d].base : x.gpa));
            out.set("mmio.write", Observed::boolean(x.mmio_write));
            out.set("mmio.value", Observed::num(x.mmio_value));
            out.set("mmio.size", Observed::num(x.mmio_size));
            if (d >= 0)
                out.set("output", Observed::str(vdev_output(platform_->device(unsigned(d)))));
        }
    }
    if (!sync_seen && log.n && !log.exits[0].rmi_status) { /* only the closing IRQ */
        const char *reason = scn_name_of(&scn_rec_exit_reasons, unsigned(log.exits[0].reason));
        out.set("rec_exit.reason", Observed::name(reason ? reason : "?"));
    }
}

// What the guest's ioremap did: refused (RAM, merged Linux), or the alias it mapped, decided
// by the guest at run time (merged: the X register its hook's choice went into) or up front
// (seed patch, or no RSI).
void Simulation::observe_ioremap(const RealmState &rs, uint64_t pa, guest_ioremap_result result,
                                 uint64_t chosen, StepResult &out)
{
    if (result == GUEST_IOREMAP_REFUSED) {
        out.set("ioremap", Observed::name("refused"));
        return;
    }
    bool probed = !rs.g.cfg.ioremap_seed && rs.g.prot_ns_shared;
    uint64_t alias = pa | (probed ? chosen : rs.g.prot_ns_shared);
    out.set("ioremap", Observed::name(alias == pa ? "protected" : "unprotected"));
    out.set("ipa", Observed::num(alias));
}

// A realm vCPU's step begins: the actor named, the realm built if this is its first step.
Simulation::RealmState *Simulation::begin_vcpu_step(const scn_step &step, CoreState &cs,
                                                    StepResult &out)
{
    RealmState &rs = realms_[step.actor.realm];
    out.actor = std::string(rs.cfg->name) + ".vcpu" + std::to_string(step.actor.vcpu);
    if (!ensure_realm(rs, cs))
        return nullptr;
    out.start_cycle = cs.core->now_cycles();
    return &rs;
}

void Simulation::do_realm_step(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    RealmState *built = begin_vcpu_step(step, cs, out);
    if (!built)
        return;
    RealmState &rs = *built;
    unsigned v = step.actor.vcpu;
    while (rs.booting) /* the boot CPU's boot, on another core of a parallel group */
        cs.core->wait_for(*rs.ready);
    const rmm_rec *this_rec = rmm_rec_at(&sw_->the_rmm(), rs.kvm.recs[v]);
    if (v != 0 && (!rs.booted || (this_rec && !this_rec->runnable))) {
        /* only REC 0 is runnable when the realm is made (RMI_REC_CREATE flags.runnable, as
         * KVM sets it for vCPU 0); a secondary waits for the boot CPU's PSCI_CPU_ON */
        run_error(fmt("%s: step '%s': %s.vcpu%u is not running: a secondary vCPU runs once the "
                      "boot CPU %s.vcpu0 has booted and started it with PSCI_CPU_ON",
                      where(s_, step.pos).c_str(), step.id, rs.cfg->name, v, rs.cfg->name));
        return;
    }
    if (!rs.booted) {
        struct Booting { /* ended however the boot ends (rmesim's std::bad_alloc included) */
            RealmState &rs;
            ~Booting()
            {
                rs.booting = false;
                rs.ready->notify(sc_core::SC_ZERO_TIME);
            }
        } booting{rs};
        rs.booting = true;
        if (!boot_realm(rs, v, cs))
            return;
    }
    guest_program prog{};
    bool made = true, counted_by_pattern = false;
    guest_ioremap_result ioremap = GUEST_IOREMAP_FAILED;
    if (!rs.vcpu_booted[v]) { /* a secondary enables its MMU on the boot CPU's tables */
        made = guest_secondary_boot(&rs.g, &prog);
        rs.vcpu_booted[v] = true;
    }
    switch (a.kind) {
    case SCN_ACT_RSI: {
        uint64_t fid = scn_rsi_fid(a.command);
        if (fid == RSI_REALM_CONFIG) {
            made = made && guest_realm_config(&rs.g, &prog);
        } else if (fid == RSI_HOST_CALL) {
            uint64_t imm = 0, gprs[31] = {0};
            unsigned n = 0;
            for (size_t i = 0; i < a.n_args; i++) {
                const scn_value &v = a.args[i].value;
                if (!std::strcmp(a.args[i].name, "imm"))
                    imm = v.number;
                else if (!std::strcmp(a.args[i].name, "gprs"))
                    for (size_t j = 0; j < v.n_list && j < 31; j++)
                        gprs[n++] = v.list[j];
            }
            made = made && guest_host_call(&rs.g, &prog, uint16_t(imm), gprs, n);
        } else {
            /* arguments by the specification's register names (X1..X10) */
            uint64_t args[10] = {0};
            unsigned n = 0;
            if (fid == RSI_VERSION) {
                args[0] = RSI_ABI_VERSION; /* `rsi: VERSION` asks for 1.0 */
                n = 1;
            }
            if (fid == PSCI_CPU_ON_64) { /* Linux's secondary entry point: the kernel image */
                args[1] = rs.kvm.cfg.entry;
                n = 2;
            }
            for (size_t i = 0; i < a.n_args; i++) {
                int reg = scn_arg_register(false, a.command, a.args[i].name);
                const scn_value &v = a.args[i].value;
                if (reg >= 1 && reg <= 10 && v.kind == SCN_VAL_NUMBER) {
                    args[reg - 1] = v.number;
                    n = std::max(n, unsigned(reg));
                } else if (reg >= 1 && v.kind == SCN_VAL_LIST) {
                    /* challenge: X1..X8; MEASUREMENT_EXTEND's value: X3..X10 (the loader
                     * bounds both) */
                    size_t k = 0;
                    for (; k < v.n_list && reg - 1 + k < 10; k++)
                        args[reg - 1 + k] = v.list[k];
                    n = std::max(n, unsigned(reg - 1 + k));
                }
            }
            made = made && guest_rsi(&prog, fid, args, n);
        }
        break;
    }
    case SCN_ACT_IOREMAP:
        ioremap =
            made ? guest_ioremap(&rs.g, &prog, a.pa, a.range_size, a.va) : GUEST_IOREMAP_FAILED;
        made = ioremap != GUEST_IOREMAP_FAILED;
        break;
    case SCN_ACT_TLBI: { /* EL1 operations only: actor_supported refused the others */
        auto op = static_cast<scn_tlbi_op>(a.tlbi_op);
        guest_tlbi_scope scope =
            op == SCN_TLBI_VMALLE1 || op == SCN_TLBI_VMALLE1IS ? GUEST_TLBI_VMALL
            : op == SCN_TLBI_VALE1 || op == SCN_TLBI_VALE1IS   ? GUEST_TLBI_VAL
            : op == SCN_TLBI_ASIDE1 || op == SCN_TLBI_ASIDE1IS ? GUEST_TLBI_ASID
                                                               : GUEST_TLBI_VA;
        bool broadcast = op == SCN_TLBI_VMALLE1IS || op == SCN_TLBI_VAE1IS ||
                         op == SCN_TLBI_VALE1IS || op == SCN_TLBI_ASIDE1IS;
        /* Xt: VA[55:12] in bits [43:0], ASID in [63:48] (C5.5) */
        uint64_t va = a.has_xt ? (a.xt & 0xFFFFFFFFFFFull) << 12 : a.va;
        uint16_t asid = uint16_t(a.has_xt ? a.xt >> 48 : a.has_asid ? a.asid : 0);
        made = made && guest_tlbi(&prog, scope, broadcast, va, asid);
        break;
    }
    case SCN_ACT_SHARE:
    case SCN_ACT_UNSHARE:
        made = made && guest_share(&rs.g, &prog, a.ipa, a.range_size, a.kind == SCN_ACT_SHARE);
        break;
    case SCN_ACT_MAP: {
        unsigned attrs = ((a.attrs & SCN_ATTR_DEVICE) ? GUEST_MAP_DEVICE : 0) |
                         ((a.attrs & SCN_ATTR_RO) ? GUEST_MAP_RO : 0) |
                         ((a.attrs & SCN_ATTR_XN) ? GUEST_MAP_XN : 0);
        made = made && guest_map(&rs.g, &prog, a.va, a.ipa, a.range_size, attrs);
        break;
    }
    default: /* load, store, fetch; repeated count times, va += stride */
        if (a.pattern.kind != SCN_PATTERN_NONE) { /* one instruction the pattern runs count times */
            made = made && guest_access(&prog, a.kind == SCN_ACT_LOAD ? GOP_LOAD : GOP_STORE,
                                        a.pattern.base, a.size, a.value);
            if (made)
                rs.vcpus[v]->set_pattern(rs.vcpus[v]->size() + prog.insns - 1, a.pattern, a.size);
            break;
        }
        if (a.count > 1 && a.kind != SCN_ACT_FETCH && a.va % a.size == 0 &&
            a.stride % a.size == 0) {
            /* count: as a strided pattern: one instruction run count times, not count stored
             * (the same addresses: va, va + stride, ...; stride 0 stays on va) */
            scn_pattern p{};
            p.kind = a.stride ? SCN_PATTERN_STRIDED : SCN_PATTERN_SEQUENTIAL;
            p.base = a.va;
            p.size = a.stride ? a.count * a.stride : a.size;
            p.stride = a.stride;
            p.count = a.count;
            made = made && guest_access(&prog, a.kind == SCN_ACT_LOAD ? GOP_LOAD : GOP_STORE, a.va,
                                        a.size, a.value);
            if (made)
                rs.vcpus[v]->set_pattern(rs.vcpus[v]->size() + prog.insns - 1, p, a.size);
            counted_by_pattern = true;
            break;
        }
        for (uint64_t i = 0; i < a.count && made; i++)
            made = guest_access(&prog,
                                a.kind == SCN_ACT_LOAD    ? GOP_LOAD
                                : a.kind == SCN_ACT_STORE ? GOP_STORE
                                                          : GOP_FETCH,
                                a.va + i * a.stride, a.size, a.value);
        break;
    }
    if (!made) {
        bool host_memory = prog.out_of_memory;
        guest_program_free(&prog);
        if (host_memory)
            throw std::bad_alloc();
        run_error(fmt("%s: the guest of realm '%s' ran out of its RAM for page "
                      "tables",
                      where(s_, step.pos).c_str(), rs.cfg->name));
        return;
    }
    const ScriptedGuest &code = *rs.vcpus[v];
    size_t added = prog.insns;
    RealmRun run{rs.vcpus[v].get(), v, &cs, &out};
    kvm_run_log log{};
    bool ok = run_program(rs, prog, run, log, false, step.stop_at);
    observe_exits(log, run.primary_exit, out);
    rmm_rec *rec = rmm_rec_at(&sw_->the_rmm(), rs.kvm.recs[v]);
    bool returned = !rs.smc[v].pending; /* its SMC is not left waiting on the host */
    if (rs.stopped_by.empty())
        rs.stopped_by.resize(rs.cfg->vcpus);
    rs.stopped_by[v] = rs.kvm.pending[v] ? &step : nullptr;
    if (const char *end = run_end(log, rs.kvm, v))
        out.set("result", Observed::name(end));
    if (a.kind == SCN_ACT_RSI && rec && returned)
        observe_call(rs, a, *rec, out);
    if (a.kind == SCN_ACT_IOREMAP && rec)
        observe_ioremap(rs, a.pa, ioremap, rec->gprs[GUEST_IOREMAP_PROT_REG], out);
    if (rec) {
        /* the vCPU's registers as the step leaves them (an emulated load's value is in X3) */
        for (unsigned i = 0; i < 31; i++)
            out.set("gprs." + std::to_string(i), Observed::num(rec->gprs[i]));
        if (a.kind == SCN_ACT_LOAD && !out.fields.count("value") && run.primary_seen &&
            !out.fields.count("result"))
            out.set("value", Observed::num(rec->gprs[3]));
    }
    if (rec && (a.kind == SCN_ACT_LOAD || a.kind == SCN_ACT_STORE || a.kind == SCN_ACT_FETCH)) {
        /* the step's accesses the vCPU got past: done by memory or emulated by the VMM */
        uint64_t entry = rs.kvm.cfg.entry, stop = run.stopped_at ? run.stopped_at : rec->pc;
        uint64_t done = 0;
        for (size_t i = code.size() - added; i < code.size(); i++)
            done += code.op(i).primary && entry + 4 * i < stop;
        if (counted_by_pattern)
            done = code.pattern_done();
        if (a.pattern.kind != SCN_PATTERN_NONE) { /* the pattern's, however it ended */
            done = code.pattern_done();
            out.set("loads", Observed::num(done - code.pattern_stores()));
            out.set("stores", Observed::num(code.pattern_stores()));
        }
        out.set("accesses", Observed::num(done));
    }
    if (!out.fields.count("result"))
        out.set("result", Observed::name("ok"));
    if (!ok)
        note_run_failure(step, out, log, "the realm's action");
    kvm_run_log_free(&log);
}

} // namespace rmesim
