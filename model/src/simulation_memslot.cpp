// The host's view of realm memory, as a KVM engineer addresses it: `{ realm, ipa }` names the
// page of the RAM memslot at the IPA's GPA (the stolen bit removed, whichever alias is written),
// backed by the VMM's memory while the page is shared and by its guest_memfd page while it is
// private (host/kvm.h kvm_memslot_lookup); `backing:` names one of the two instead. Also the
// granules the host gave a realm, by name: its RTTs and its RECs' auxiliary granules.
#include "model/where.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"

namespace rmesim
{

namespace
{
// Why a lookup found nothing, for "nothing backs IPA ... in the host's memslot: WHY".
std::string unbacked_why(const kvm_realm &k, const kvm_lookup &l)
{
    if (l.why == KVM_NO_MEMSLOT && !k.vmm_ram)
        return "the realm was destroyed, and its memslot with it";
    if (l.why == KVM_NO_MEMSLOT)
        return fmt("its GPA %s lies outside the memslot [%s, %s)", hex(l.gpa).c_str(),
                   hex(k.cfg.ram_ipa).c_str(), hex(k.cfg.ram_ipa + k.cfg.ram_size).c_str());
    if (l.attr_shared)
        return fmt("the page is shared and guest_memfd holds no private page for GPA %s",
                   hex(l.gpa).c_str());
    return fmt("the page is private and guest_memfd has no page for GPA %s yet (neither "
               "populated nor touched by the realm)",
               hex(l.gpa).c_str());
}
} // namespace

bool Simulation::realm_page(RealmState &rs, uint64_t ipa, unsigned backing, scn_pos pos,
                            const std::string &step, kvm_lookup &l)
{
    if (kvm_memslot_lookup(&rs.kvm, ipa, kvm_backing(backing), &l))
        return true;
    run_error(fmt("%s: step '%s': nothing backs IPA %s of realm '%s' in the "
                  "host's memslot: %s",
                  where(s_, pos).c_str(), step.c_str(), hex(ipa).c_str(), rs.cfg->name,
                  unbacked_why(rs.kvm, l).c_str()));
    return false;
}

bool Simulation::named_arg(const scn_pa_name &name, CoreState &cs, const std::string &step)
{
    RealmState &rs = realms_[name.realm];
    uint64_t pa = 0;
    std::string why;
    if (!ensure_realm(rs, cs))
        return false;
    if (named_pa(name, pa, why))
        return true;
    run_error(fmt("%s: step '%s': realm '%s' has no %s: %s", where(s_, name.pos).c_str(),
                  step.c_str(), rs.cfg->name, pa_name_text(name).c_str(), why.c_str()));
    return false;
}

bool Simulation::backing_pa(unsigned realm, uint64_t ipa, unsigned backing, uint64_t &pa,
                            std::string &why) const
{
    const RealmState &rs = realms_[realm];
    kvm_lookup l{};
    pa = 0;
    if (!rs.built) {
        why = "the realm was never built";
        return false;
    }
    if (kvm_memslot_lookup(&rs.kvm, ipa, kvm_backing(backing), &l)) {
        pa = l.pa;
        return true;
    }
    why = unbacked_why(rs.kvm, l);
    return false;
}

// The RTT: the table the RMM's walk from the RD's starting tables (one of the concatenated
// ones, by the IPA) reaches at that level. The aux granule: as the host recorded it when it
// created the REC (RMI_REC_CREATE takes their addresses, RMM spec B4.3.12).
bool Simulation::named_pa(const scn_pa_name &name, uint64_t &pa, std::string &why) const
{
    const RealmState &rs = realms_[name.realm];
    bool built = false;
    const rmm_realm *r = realm(name.realm, built);
    pa = 0;
    if (!r) {
        why = built ? "the realm was destroyed" : "the realm was never built";
        return false;
    }
    if (name.kind == SCN_PA_AUX) {
        if (name.aux >= rs.kvm.n_aux) {
            why = fmt("REC %u has %u auxiliary granules (RMI_REC_AUX_COUNT), no index %u", name.rec,
                      rs.kvm.n_aux, name.aux);
            return false;
        }
        pa = rs.kvm.aux[name.rec][name.aux];
        return true;
    }
    if (name.level < r->start_level) {
        why = fmt("its RTTs start at level %d", r->start_level);
        return false;
    }
    rtt_entry_info e{};
    if (!rtt_entry(name.realm, name.ipa, name.level, e)) {
        why = "the RMM's walk found no RTT";
        return false;
    }
    if (e.level != name.level) {
        why = fmt("the RMM's walk stops at a level-%d %s entry", e.level, rtt_entry_state_name(&e));
        return false;
    }
    pa = e.rtt;
    return true;
}

} // namespace rmesim
