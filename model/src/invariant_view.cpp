// `run --check-invariants` (invariant_view.hpp): rmm_check_invariants over the platform's RMM,
// GPT and memory.
#include "model/invariant_view.hpp"

#include "model/software_stack.hpp"
#include "model/step_plan.hpp"
#include "model/step_result.hpp"
#include "model/text.hpp"
#include "model/where.hpp"

extern "C" {
#include "mem/phys_mem.h"
#include "gpc/gpt_desc.h"
#include "rmm/invariants.h"
#include "scenario/names.h"
}

namespace rmesim
{

namespace
{

struct Probe {
    SoftwareStack &sw;
    std::vector<std::string> found;
};

unsigned gpi_of(void *ctx, uint64_t pa)
{
    auto *p = static_cast<Probe *>(ctx);
    bool found = false;
    unsigned gpi = p->sw.firmware().gpt_lookup(p->sw.memory(), pa, found);
    return found ? gpi : ~0u; /* above the protected space: no GPI (never equal to one) */
}

bool peek(void *ctx, uint64_t pa, uint64_t *value)
{
    return phys_mem_read_bytes(static_cast<Probe *>(ctx)->sw.memory(), pa, value, 8);
}

void collect(void *ctx, const char *sentence)
{
    static_cast<Probe *>(ctx)->found.push_back(sentence);
}

} // namespace

void InvariantView::on_event(const rme_event &e)
{
    if (e.kind == RME_EV_ACCESS)
        return access(e);
    if (e.kind != RME_EV_STEP_END)
        return;
    for (const CoreContext &cs : sw_.cores())
        if (cs.in_rmm) { /* another core's RMI call is half done: its state is not whole */
            skipped_++;
            return;
        }
    const scn_step *st = plan_.at(e.u.step_change.index);
    const auto *r = static_cast<const StepResult *>(e.u.step_change.result);
    std::string id = st && st->id ? "step '" + r->step_id + "'" : "step";
    check(st ? where(s_, st->pos) + ": after " + id : std::string(s_.file) + ": after a build");
}

// Every access that reached memory had a GPI permitting its PAS, and no NS access reaches a
// granule the RMM holds (A2.2.3: every state but UNDELEGATED is in the Realm PAS): the GPC, the
// GPT and the RMM's table agree per access.
void InvariantView::access(const rme_event &e)
{
    const rme_access *a = e.u.access.access;
    if (!e.u.access.reached_memory)
        return;
    /* the GPI the GPT holds now permits the access's PAS (the GPC's check, made again from
     * memory: a stale cached answer shows here) */
    bool found = false;
    unsigned gpi = sw_.firmware().gpt_lookup(sw_.memory(), a->pa, found);
    if (found && !gpi_permits(gpi, a->pas, e.u.access.ss))
        report(e, "an access in the " + std::string(rme_pas_name(a->pas)) + " PAS reached PA " +
                      hex(a->pa) + ", whose GPI is " + scn_name_of(&scn_gpi_names, gpi));
    if (a->pas != RME_PAS_NS)
        return;
    const granule *g = granule_peek(&sw_.the_rmm().granules, a->pa & ~0xFFFull);
    if (g && g->state != GRANULE_UNDELEGATED)
        report(e, "an NS access reached PA " + hex(a->pa) + ", a granule the RMM holds as " +
                      granule_state_name(granule_state(g->state)));
}

void InvariantView::report(const rme_event &e, const std::string &f)
{
    if (reported_.insert(f).second)
        failures_.push_back(
            std::string(s_.file) + ": on core " + std::to_string(e.core) +
            (e.step && e.step->id ? " in step '" + std::string(e.step->id) + "'" : "") +
            ": invariant broken: " + f);
}

void InvariantView::finish()
{
    check(std::string(s_.file) + ": at the end of the run");
}

void InvariantView::check(const std::string &after)
{
    Probe probe{sw_, {}};
    rmm_inv_env env{&probe, gpi_of, peek, collect};
    rmm_check_invariants(&sw_.the_rmm(), &env);
    checks_++;
    for (const std::string &f : probe.found) /* each once: where it was first seen */
        if (reported_.insert(f).second)
            failures_.push_back(after + ": invariant broken: " + f);
}

} // namespace rmesim
