#include "model/where.hpp"
#include "model/judge.hpp"

#include <strings.h>

#include <cstring>

#include "model/text.hpp"

extern "C" {
#include "gpc/report.h"
}

namespace rmesim
{

namespace
{
// An expected range as a failure names it: "in [a, b]", "at least a", "at most b".
std::string range_text(bool has_min, uint64_t min, bool has_max, uint64_t max)
{
    if (has_min && has_max)
        return "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
    return has_min ? "at least " + std::to_string(min) : "at most " + std::to_string(max);
}

// Why a field is missing, in one line: how the step's action ended.
std::string what_happened(const StepResult &r)
{
    auto text = [&](const char *k) {
        auto it = r.fields.find(k);
        return it == r.fields.end() ? std::string() : it->second.text;
    };
    auto number = [&](const char *k, uint64_t &v) {
        auto it = r.fields.find(k);
        return it != r.fields.end() && it->second.kind == Observed::NUMBER
                   ? (v = it->second.number, true)
                   : false;
    };
    std::string result = text("result");
    if (result.empty() || result == "ok")
        return "this step's " + r.action + " does not report it";
    std::string why = "the " + r.action + " ended in " + result;
    if (!text("stage1").empty() && text("stage1") != "ok")
        why += " at stage 1";
    else if (!text("stage2").empty() && text("stage2") != "ok")
        why += " at stage 2";
    uint64_t v = 0;
    if (number("fault_level", v))
        why += " level " + std::to_string(int64_t(v));
    if (number("exception.el", v))
        why += ", taken to EL" + std::to_string(v);
    if (number("esr", v))
        why += " (ESR " + hex(v) + ")";
    return why;
}

} // namespace

Judge::Judge(const scenario &s, const StatsView &stats, std::vector<std::string> &failures)
    : s_(s), stats_(stats), failures_(failures), plan_(s)
{
}

std::string pa_name_text(const scn_pa_name &name)
{
    if (name.kind == SCN_PA_AUX)
        return fmt("auxiliary granule %u of REC %u", name.aux, name.rec);
    return fmt("level-%d RTT mapping IPA %s", name.level, hex(name.ipa).c_str());
}

std::string Judge::where(scn_pos p) const
{
    return rmesim::where(s_, p);
}

void Judge::on_event(const rme_event &e)
{
    /* index 0: a realm's build has no expectations */
    const scn_step *st = e.kind == RME_EV_STEP_END ? plan_.at(e.u.step_change.index) : nullptr;
    if (!st)
        return;
    size_t before = failures_.size();
    step(*st, *static_cast<const StepResult *>(e.u.step_change.result));
    for (size_t i = before; i < failures_.size(); i++) {
        by_step_[e.u.step_change.index].push_back(failures_[i]);
        step_failure_at_.insert(i);
    }
}

void Judge::step(const scn_step &step, const StepResult &r)
{
    if (r.errored) /* the run's error says why; what the step did not do is no expectation */
        return;
    /* a step inside a repeat by its iteration's name (x#3) */
    std::string id = step.id ? "step '" + r.step_id + "'" : "step";
    bool missing = false;
    for (size_t i = 0; i < step.n_checks; i++) {
        const scn_check &c = step.checks[i];
        auto it = r.fields.find(c.path);
        std::string at = where(c.pos) + ": " + id + ": ";
        if (it == r.fields.end()) {
            std::string line = at + "'" + c.path + "' was not observed: " + what_happened(r);
            if (!missing) { /* what the step did observe, once */
                std::string seen;
                for (const auto &f : r.fields)
                    seen += (seen.empty() ? "" : ", ") + f.first;
                line += "\n  (" + id + " observed: " + seen + ")";
            }
            failures_.push_back(line);
            missing = true;
            continue;
        }
        const Observed &o = it->second;
        bool held;
        std::string want;
        switch (c.kind) {
        case SCN_CHECK_NUMBER:
            held = o.kind == Observed::NUMBER && o.number == c.number;
            want = hex(c.number);
            break;
        case SCN_CHECK_NAME:
            held = strcasecmp(o.text.c_str(), c.text) == 0;
            want = c.text;
            break;
        case SCN_CHECK_BOOL:
            held = o.kind == Observed::BOOL && o.flag == c.flag;
            want = c.flag ? "true" : "false";
            break;
        case SCN_CHECK_STRING:
            held = o.text == c.text;
            want = std::string("\"") + c.text + "\"";
            break;
        default:
            held = (!c.has_min || o.number >= c.min) && (!c.has_max || o.number <= c.max);
            want = range_text(c.has_min, c.min, c.has_max, c.max);
            break;
        }
        if (!held) {
            failures_.push_back(at + "expected " + c.path +
                                (c.kind == SCN_CHECK_RANGE ? " " : " = ") + want + ", got " +
                                o.show());
        }
    }
}

bool Judge::finals(const Inspector &state)
{
    bool ok = true;
    for (size_t i = 0; i < s_.n_finals; i++) {
        scn_final f = s_.finals[i];
        std::string at = where(f.pos) + ": final expectation: ";
        /* { realm, ipa }: the page behind it now */
        std::string why;
        if (f.by_realm_ipa && !state.backing_pa(f.realm, f.ipa, f.backing, f.pa, why)) {
            failures_.push_back(at + "nothing backs IPA " + hex(f.ipa) + " of realm '" +
                                s_.realms[f.realm].name + "' in the host's memslot: " + why);
            ok = false;
            continue;
        }
        /* an RTT or auxiliary granule: the one there now */
        if (f.named.kind != SCN_PA_GIVEN && !state.named_pa(f.named, f.pa, why)) {
            failures_.push_back(at + "realm '" + s_.realms[f.named.realm].name + "' has no " +
                                pa_name_text(f.named) + ": " + why);
            ok = false;
            continue;
        }
        switch (f.kind) {
        case SCN_FINAL_GPI: {
            unsigned gpi = 0;
            bool found = state.gpi(f.pa, gpi);
            if (!found || gpi != f.gpi) {
                failures_.push_back(at + "expected the GPI of " + hex(f.pa) + " to be " +
                                    gpi_name(f.gpi) + ", got " +
                                    (found ? gpi_name(gpi) : "none (above PPS)"));
                ok = false;
            }
            break;
        }
        case SCN_FINAL_MEMORY: {
            uint64_t v = 0;
            if (!state.memory(f.pa, f.pas, unsigned(f.size), v) || v != f.value) {
                failures_.push_back(at + "expected memory at " + hex(f.pa) + " to hold " +
                                    hex(f.value) + ", got " + hex(v));
                ok = false;
            }
            break;
        }
        case SCN_FINAL_REALM: {
            bool built = false;
            const rmm_realm *r = state.realm(f.realm, built);
            if (!r || unsigned(r->state) != f.state) {
                failures_.push_back(at + "expected realm '" + s_.realms[f.realm].name + "' to be " +
                                    scn_name_of(&scn_realm_states, f.state) + ", it is " +
                                    (r       ? realm_state_name(r->state)
                                     : built ? "destroyed"
                                             : "never built"));
                ok = false;
            }
            break;
        }
        case SCN_FINAL_RTT: {
            rtt_entry_info e{};
            bool got = state.rtt_entry(f.realm, f.ipa, f.level, e);
            /* the scenario names the abstract states (A5.5.4): _NS for the unprotected half */
            unsigned state =
                e.ns && e.state != RMI_TABLE ? 3u + unsigned(e.state) : unsigned(e.state);
            bool state_ok = got && state == f.state && e.level == f.level;
            bool ripas_ok = !f.has_ripas || (got && unsigned(e.ripas) == f.ripas);
            if (!state_ok || !ripas_ok) {
                failures_.push_back(
                    at + "expected the RTT entry of IPA " + hex(f.ipa) + " at level " +
                    std::to_string(f.level) + " to be " + scn_name_of(&scn_rtte_states, f.state) +
                    (f.has_ripas ? std::string(" with RIPAS ") + scn_name_of(&scn_ripas, f.ripas)
                                 : "") +
                    (got ? ", the walk found " + std::string(scn_name_of(&scn_rtte_states, state)) +
                               " at level " + std::to_string(e.level) + " with RIPAS " +
                               scn_name_of(&scn_ripas, e.ripas)
                         : ", the realm has no such entry"));
                ok = false;
            }
            break;
        }
        case SCN_FINAL_DEVICE: {
            const char *got = state.device_output(unsigned(f.device));
            if (std::strcmp(got, f.text) != 0) {
                failures_.push_back(at + "expected " + s_.platform.devices[f.device].name +
                                    " to have output \"" + f.text + "\", got \"" + got + "\"");
                ok = false;
            }
            break;
        }
        case SCN_FINAL_STAT: {
            std::string name = f.text;
            uint64_t v = 0;
            if (name == "rmm.granules_delegated") /* the RMM's state now: every granule it owns */
                v = state.granules_owned();
            else if (name == "memory.resident_pages") /* the store's state at the end */
                v = state.memory_resident_pages();
            else if (name == "memory.host_bytes")
                v = state.memory_host_bytes();
            else
                v = stats_.value(name);
            if ((f.has_min && v < f.min) || (f.has_max && v > f.max)) {
                std::string want = range_text(f.has_min, f.min, f.has_max, f.max);
                failures_.push_back(at + "expected statistic " + name + " " + want + ", got " +
                                    std::to_string(v));
                ok = false;
            }
            break;
        }
        case SCN_FINAL_GRANULE: {
            const granule *g = state.granule_at(f.pa);
            if (!g || (f.pa & 0xFFF)) {
                failures_.push_back(at + hex(f.pa) + " is not a delegable granule");
                ok = false;
            } else if (g->state != f.state) {
                failures_.push_back(at + "expected granule " + hex(f.pa) + " to be " +
                                    granule_state_name(granule_state(f.state)) + ", got " +
                                    granule_state_name(granule_state(g->state)));
                ok = false;
            }
            break;
        }
        default:
            break; /* refused before the run */
        }
    }
    return ok;
}

} // namespace rmesim
