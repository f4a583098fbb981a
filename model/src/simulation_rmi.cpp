// The host's RMI calls: SMC to EL3, world switch into the RMM at R-EL2, the RMM's handler with
// its own GPC-checked accesses and its GTSI calls back to EL3, and the way back.
#include <cinttypes>
#include <cstring>
#include <unordered_map>

#include "model/cost.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"
#include "model/where.hpp"

namespace rmesim
{

using namespace sc_core;

// ---- the RMM's view of the realm ------------------------------------------------------------

// Offsets of the fields of the NS structures a step may give as a map (RMM spec B4.4.12,
// B4.4.19, B4.4.14).
namespace
{
struct FieldOffset {
    const char *name;
    uint64_t offset;
};
const FieldOffset realm_params_offsets[] = {{"flags", RMI_REALM_PARAMS_FLAGS},
                                            {"s2sz", RMI_REALM_PARAMS_S2SZ},
                                            {"sve_vl", RMI_REALM_PARAMS_SVE_VL},
                                            {"num_bps", RMI_REALM_PARAMS_NUM_BPS},
                                            {"num_wps", RMI_REALM_PARAMS_NUM_WPS},
                                            {"pmu_num_ctrs", RMI_REALM_PARAMS_PMU_NUM_CTRS},
                                            {"hash_algo", RMI_REALM_PARAMS_HASH_ALGO},
                                            {"rpv", RMI_REALM_PARAMS_RPV},
                                            {"vmid", RMI_REALM_PARAMS_VMID},
                                            {"rtt_base", RMI_REALM_PARAMS_RTT_BASE},
                                            {"rtt_level_start", RMI_REALM_PARAMS_RTT_LEVEL_START},
                                            {"rtt_num_start", RMI_REALM_PARAMS_RTT_NUM_START},
                                            {nullptr, 0}};
const FieldOffset rec_params_offsets[] = {{"flags", RMI_REC_PARAMS_FLAGS},
                                          {"mpidr", RMI_REC_PARAMS_MPIDR},
                                          {"pc", RMI_REC_PARAMS_PC},
                                          {"gprs", RMI_REC_PARAMS_GPRS},
                                          {"num_aux", RMI_REC_PARAMS_NUM_AUX},
                                          {"aux", RMI_REC_PARAMS_AUX},
                                          {nullptr, 0}};
const FieldOffset rec_enter_offsets[] = {{"flags", RMI_ENTER_FLAGS},
                                         {"gprs", RMI_ENTER_GPRS},
                                         {"gicv3_hcr", RMI_ENTER_GICV3_HCR},
                                         {"gicv3_lrs", RMI_ENTER_GICV3_LRS},
                                         {nullptr, 0}};
} // namespace

// A structure the step gave as a map: the host writes it into a fresh page of its own memory
// (NS) and passes that page.
uint64_t Simulation::host_struct(CoreState &cs, const scn_value &map, const char *arg,
                                 unsigned command)
{
    const FieldOffset *fields = !std::strcmp(arg, "run")                 ? rec_enter_offsets
                                : command == (RMI_REALM_CREATE & 0xFFFF) ? realm_params_offsets
                                                                         : rec_params_offsets;
    uint64_t page = sw_->firmware().alloc_host_page();
    if (!page)
        return 0;
    for (size_t i = 0; i < map.n_fields; i++) {
        const scn_field &f = map.fields[i];
        uint64_t off = 0;
        for (const FieldOffset *o = fields; o->name; o++)
            if (!std::strcmp(o->name, f.name))
                off = o->offset;
        const scn_value &v = f.value;
        if (v.kind == SCN_VAL_LIST) {
            for (size_t j = 0; j < v.n_list; j++) {
                uint64_t x = v.list[j];
                sw_->host_access(cs, page + off + 8 * j, true, &x);
            }
        } else {
            uint64_t x = arg_value(cs, v);
            sw_->host_access(cs, page + off, true, &x);
        }
    }
    return page;
}

// A number, or what a realm's name stands for: its RD, a vCPU's REC, or the page behind one
// of its IPAs.
uint64_t Simulation::arg_value(CoreState &cs, const scn_value &v)
{
    uint64_t pa = 0;
    std::string why;
    if (v.kind == SCN_VAL_NAMED_PA) /* do_rmi checked that there is one */
        return named_pa(v.named, pa, why) ? pa : 0;
    if (v.kind != SCN_VAL_REALM && v.kind != SCN_VAL_REC && v.kind != SCN_VAL_REALM_PAGE)
        return v.number;
    RealmState &rs = realms_[v.realm];
    if (!ensure_realm(rs, cs))
        return 0;
    kvm_lookup l{};
    if (v.kind == SCN_VAL_REALM_PAGE) /* do_rmi checked that something backs it */
        return kvm_memslot_lookup(&rs.kvm, v.number, kvm_backing(v.backing), &l) ? l.pa : 0;
    return v.kind == SCN_VAL_REALM ? rs.kvm.rd : rs.kvm.recs[v.vcpu];
}

void Simulation::do_rmi(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    out.actor = "host";
    cs.state.el = 2;
    uint64_t in[8] = {0}, res[8] = {0}, code = 0;
    if (a.kind == SCN_ACT_RMI) {
        /* a realm named here is built first, outside this step's cycles */
        for (size_t i = 0; i < a.n_args; i++) {
            const scn_value &v = a.args[i].value;
            if (v.kind == SCN_VAL_NAMED_PA && !named_arg(v.named, cs, out.step_id))
                return;
            if (v.kind != SCN_VAL_REALM && v.kind != SCN_VAL_REC && v.kind != SCN_VAL_REALM_PAGE)
                continue;
            if (!ensure_realm(realms_[v.realm], cs))
                return;
            kvm_lookup l{};
            if (v.kind == SCN_VAL_REALM_PAGE &&
                !realm_page(realms_[v.realm], v.number, v.backing, v.pos, out.step_id, l))
                return;
        }
        out.start_cycle = cs.core->now_cycles();
        in[0] = RMI_FID(a.command);
        if (in[0] == RMI_VERSION)
            in[1] = RMI_ABI_VERSION; /* `rmi: VERSION` alone asks for 1.0 */
        for (size_t i = 0; i < a.n_args; i++) {
            const scn_field &f = a.args[i];
            int reg = scn_arg_register(true, a.command, f.name);
            if (reg < 1 || reg > 7)
                continue;
            in[reg] = f.value.kind == SCN_VAL_MAP ? host_struct(cs, f.value, f.name, a.command)
                                                  : arg_value(cs, f.value);
            if (f.value.kind == SCN_VAL_MAP && !in[reg]) { /* not address 0 in its place */
                const scn_region &pool = s_.platform.memory[s_.platform.host_pool];
                run_error(fmt("%s: step '%s': the host's pool has no page left for %s (memory "
                              "region '%s' holds %s bytes); give host_pool a larger region",
                              where(s_, f.pos).c_str(), out.step_id.c_str(), f.name, pool.name,
                              hex(pool.size).c_str()));
                return;
            }
        }
        cs.host_result = &out;
        code = sw_->rmi_call(cs, in, res, out);
        cs.host_result = nullptr;
        /* the outputs by the names the expectations use (rmm.md 1.2) */
        static const struct {
            uint64_t fid;
            const char *names[4];
        } outputs[] = {
            {RMI_VERSION, {"lower", "higher"}},
            {RMI_FEATURES, {"value"}},
            {RMI_DATA_DESTROY, {"data", "top"}},
            {RMI_RTT_DESTROY, {"rtt", "top"}},
            {RMI_RTT_READ_ENTRY, {"walk_level", "state", "desc", "ripas"}},
            {RMI_RTT_UNMAP_UNPROTECTED, {"top"}},
            {RMI_RTT_FOLD, {"rtt"}},
            {RMI_REC_AUX_COUNT, {"aux_count"}},
            {RMI_RTT_INIT_RIPAS, {"out_top"}},
            {RMI_RTT_SET_RIPAS, {"out_top"}},
        };
        for (const auto &o : outputs) {
            if (o.fid != in[0] || code == SMC_UNKNOWN)
                continue;
            for (int k = 0; k < 4 && o.names[k]; k++) {
                std::string key = std::string("out.") + o.names[k];
                if (!std::strcmp(o.names[k], "state"))
                    out.set(key, Observed::name(scn_name_of(&scn_rtte_states, unsigned(res[2]))));
                else if (!std::strcmp(o.names[k], "ripas"))
                    out.set(key, Observed::name(scn_name_of(&scn_ripas, unsigned(res[4]))));
                else
                    out.set(key, Observed::num(res[k + 1]));
            }
        }
    } else {
        /* delegate/undelegate: the host's loop over a range, one RMI call per granule */
        in[0] = a.kind == SCN_ACT_DELEGATE ? RMI_GRANULE_DELEGATE : RMI_GRANULE_UNDELEGATE;
        uint64_t first = a.pa;
        if (a.by_realm_ipa) { /* the page behind a realm's IPA in the host's memslot */
            RealmState &rs = realms_[a.realm];
            kvm_lookup l{};
            bool built = ensure_realm(rs, cs);
            out.start_cycle = cs.core->now_cycles();
            if (!built || !realm_page(rs, a.ipa, a.backing, a.pos, out.step_id, l))
                return;
            first = l.pa;
            out.set("pa", Observed::num(first));
        }
        for (uint64_t pa = first; pa < first + a.range_size; pa += GRANULE_SIZE) {
            in[1] = pa;
            code = sw_->rmi_call(cs, in, res, out);
            if (rmi_status_of(code) != RMI_SUCCESS)
                break;
        }
    }
    out.set("status", Observed::name(code == SMC_UNKNOWN
                                         ? "SMC_UNKNOWN"
                                         : scn_name_of(&scn_rmi_status, rmi_status_of(code))));
    out.set("index", Observed::num(code == SMC_UNKNOWN ? 0 : rmi_index_of(code)));
}

} // namespace rmesim
