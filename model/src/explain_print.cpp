// `explain`'s output: a step's story as text and as JSON once the step is over, and the
// printing of the steps asked for.
#include <cinttypes>
#include <cstdio>

#include "model/cost.hpp"
#include "model/explain_view.hpp"
#include "model/step_result.hpp"
#include "model/text.hpp"

namespace rmesim
{

namespace
{
// An observed field for --json: counts and cycles as numbers, addresses, registers and
// values as hex strings (as the event log writes them).
void observed_json(Json &j, const std::string &path, const Observed &o)
{
    static const char *const counts[] = {"accesses",        "cycles",      "walk_fetches",
                                         "gpt_transitions", "fault_level", "mmio.size",
                                         "rec_exits"};
    switch (o.kind) {
    case Observed::BOOL:
        j.field(path.c_str(), o.flag);
        return;
    case Observed::NAME:
    case Observed::STRING:
        j.field(path.c_str(), o.text);
        return;
    case Observed::NUMBER:
        break;
    }
    bool count = path.compare(0, 5, "cost.") == 0;
    for (const char *c : counts)
        count = count || path == c;
    if (count)
        j.field(path.c_str(), o.number);
    else
        j.hex(path.c_str(), o.number);
}
} // namespace

// The step is over: its header, its story, its cost by software, and what it observed.
void ExplainView::step_end(std::vector<Story> &stack, const rme_event &e)
{
    const StepResult &r = *static_cast<const StepResult *>(e.u.step_change.result);
    Story s;
    if (!stack.empty()) {
        s = std::move(stack.back());
        stack.pop_back();
    }
    std::string cost;
    Json costs;
    costs.begin_object("cost");
    for (unsigned w = 0; w < SW_COUNT; w++) {
        auto f = r.fields.find(std::string("cost.") + software_name(w));
        uint64_t c = f == r.fields.end() ? 0 : f->second.number;
        cost += fmt("%s %s %" PRIu64 " (%s)", cost.empty() ? "" : ",", software_name(w), c,
                    decode_.ns(c).c_str());
        decode_.json_cycles(costs, software_name(w), c);
    }
    costs.end_object();
    s.lines.push_back(fmt("%-9s%s cycles", "cost", cost.c_str()));
    std::string text =
        fmt("step %s: %s on core %u (%s), cycles %" PRIu64 "..%" PRIu64 " (%s)\n",
            r.step_id.c_str(), r.action.c_str(), r.core, r.actor.c_str(), r.start_cycle,
            r.start_cycle + r.cycles, decode_.cycles(r.cycles).c_str());
    for (const auto &line : s.lines)
        text += "  " + line + "\n";
    text += "  observed:";
    for (const auto &[path, o] : r.fields) {
        text += " " + path + "=" + o.show();
        if (o.kind == Observed::NUMBER && (path == "cycles" || path.compare(0, 5, "cost.") == 0))
            text += " [" + decode_.ns(o.number) + "]";
    }
    text += "\n";

    Json j;
    j.begin_object().field("id", r.step_id).field("action", r.action).field("core", r.core);
    j.field("actor", r.actor).field("start_cycle", r.start_cycle);
    decode_.json_cycles(j, "duration", r.cycles);
    j.raw(nullptr, costs.str());
    j.begin_array("lines");
    for (const auto &line : s.lines)
        j.field(nullptr, line);
    j.end_array().begin_array("records");
    for (const auto &record : s.records)
        j.raw(nullptr, record);
    j.end_array().begin_object("observed");
    for (const auto &[path, o] : r.fields)
        observed_json(j, path, o);
    j.end_object().end_object();
    told_.push_back({r.step_id, std::move(text), j.str()});
}

std::map<std::string, std::string> ExplainView::texts() const
{
    std::map<std::string, std::string> by_id;
    for (const Told &t : told_)
        by_id[t.id] += t.text;
    return by_id;
}

void ExplainView::print(const std::vector<std::string> &steps, bool json) const
{
    std::vector<const Told *> chosen;
    for (const Told &t : told_)
        if (steps.empty())
            chosen.push_back(&t);
    for (const std::string &step : steps)
        for (const Told &t : told_)
            if (t.id == step)
                chosen.push_back(&t);
    if (!json) {
        for (const Told *t : chosen)
            std::fputs(t->text.c_str(), stdout);
        return;
    }
    Json j;
    j.begin_object().field("clock_mhz", platform_.clock_mhz);
    j.field("ns_per_cycle", 1000.0 / platform_.clock_mhz).begin_array("steps");
    for (const Told *t : chosen)
        j.raw(nullptr, t->json);
    j.end_array().end_object();
    std::printf("%s\n", j.str().c_str());
}

} // namespace rmesim
