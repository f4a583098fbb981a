// A run's part of `rmesim report`: what ran, the timeline, where each step's cycles went (by
// software and by pipeline stage), the accesses' latency, the TLB and GPT-cache hit rates, and
// each step's explain text.
#include "model/report.hpp"
#include "model/report_svg.hpp"

#include <algorithm>
#include <functional>
#include <map>

namespace rmesim::report
{

namespace
{

const char *const kSoftwareColors[] = {"#4e79a7", "#e15759", "#f28e2b", "#59a14f", "#b07aa1"};
const char *const kStageColors[] = {"#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"};

std::vector<std::string> step_ids(const Run &run)
{
    std::vector<std::string> ids;
    for (const Step &s : run.steps)
        ids.push_back(s.id);
    return ids;
}

// Bars of each step stacked by `parts` (an account or a stage), `value` giving a step's part.
template <size_t N>
std::string stacked_by(const Run &run, Chart c, const std::array<const char *, N> &parts,
                       const char *const *colors,
                       const std::function<uint64_t(const Step &, size_t)> &value)
{
    c.categories = step_ids(run);
    for (size_t k = 0; k < N; k++) {
        Series s{parts[k], colors[k]};
        for (const Step &st : run.steps)
            s.values.push_back(double(value(st, k)));
        c.series.push_back(s);
    }
    return stacked_bars(c);
}

std::string cost_chart(const Run &run)
{
    return stacked_by(run, Chart{"cost", "Cycles of each step by software", "cycles", "step"},
                      kSoftware, kSoftwareColors,
                      [](const Step &s, size_t w) { return s.cost[w]; });
}

std::string stage_chart(const Run &run)
{
    return stacked_by(
        run, Chart{"stages", "Cycles of each step's accesses by pipeline stage", "cycles", "step"},
        kStages, kStageColors, [](const Step &s, size_t k) { return s.stages[k]; });
}

std::string histogram_chart(const Run &run)
{
    std::map<uint64_t, uint64_t> all; // below -> accesses, over every step
    for (const Step &st : run.steps)
        for (const auto &[below, n] : st.histogram)
            all[below] += n;
    Chart c{"latency", "Accesses by latency (all steps)", "accesses", "latency (cycles, below)"};
    c.category_attribute = "data-below";
    Series s{"accesses", "#4e79a7"};
    for (const auto &[below, n] : all) {
        c.categories.push_back(std::to_string(below));
        s.values.push_back(double(n));
    }
    c.series.push_back(s);
    return grouped_bars(c);
}

std::string rates_chart(const Run &run)
{
    Chart c{"hit-rates", "TLB and GPT-cache hit rates of each step", "hit rate", "step",
            step_ids(run)};
    c.percent = true;
    Series tlb{"tlb", "#4e79a7"}, gpt{"gpt_cache", "#f28e2b"};
    for (const Step &st : run.steps) {
        tlb.values.push_back(st.tlb.value());
        tlb.known.push_back(st.tlb.known());
        gpt.values.push_back(st.gpt_cache.value());
        gpt.known.push_back(st.gpt_cache.known());
    }
    c.series = {tlb, gpt};
    return grouped_bars(c);
}

std::string rate_text(const Rate &r)
{
    return r.known() ? number_text(double(int(r.value() * 10000 + 0.5)) / 100) + "% (" +
                           std::to_string(r.hits) + "/" + std::to_string(r.lookups) + ")"
                     : "—";
}

std::string steps_table(const Run &run)
{
    std::string t = "<table class=\"steps\"><thead><tr><th>step</th><th>core</th><th>actor</th>"
                    "<th>action</th><th>start</th><th>cycles</th><th>accesses</th><th>TLB</th>"
                    "<th>GPT cache</th><th>result</th></tr></thead><tbody>";
    for (const Step &s : run.steps) {
        t += "<tr data-step=\"" + escape(s.id) + "\"><td>" + escape(s.id) + "</td><td>" +
             std::to_string(s.core) + "</td><td>" + escape(s.actor) + "</td><td>" +
             escape(s.action) + "</td><td class=\"n\">" + std::to_string(s.start_cycle) +
             "</td><td class=\"n\">" + std::to_string(s.cycles) + "</td><td class=\"n\">" +
             std::to_string(s.accesses) + "</td><td class=\"n\">" + rate_text(s.tlb) +
             "</td><td class=\"n\">" + rate_text(s.gpt_cache) + "</td><td class=\"" +
             (s.passed ? "pass\">pass" : "fail\">FAIL") + "</td></tr>";
        for (const std::string &f : s.failures)
            t += "<tr class=\"failure\"><td colspan=\"10\">" + escape(f) + "</td></tr>";
    }
    return t + "</tbody></table>";
}

std::string explain_list(const Run &run)
{
    std::string out;
    bool any = false;
    for (const Step &s : run.steps)
        any |= s.has_explain;
    if (!any)
        return "<p class=\"note\">No explain text: the results were written without "
               "--results-explain.</p>";
    for (const Step &s : run.steps)
        if (s.has_explain)
            out += "<details class=\"explain\" data-step=\"" + escape(s.id) + "\"><summary>" +
                   escape(s.id) + " <span class=\"dim\">" + escape(s.action) + " on core " +
                   std::to_string(s.core) + ", " + std::to_string(s.cycles) +
                   " cycles</span></summary><pre>" + escape(s.explain) + "</pre></details>";
    return out;
}

} // namespace

std::string run_section(const Run &run)
{
    unsigned cores = 1;
    std::vector<Span> spans;
    for (const Step &s : run.steps) {
        cores = std::max(cores, s.core + 1);
        spans.push_back({s.id, s.core, s.start_cycle, s.cycles, s.index == 0, s.passed});
    }
    std::string out = "<section class=\"run\"><h2>" + escape(run.scenario) + "</h2>";
    out += "<p class=\"summary\"><span class=\"" +
           std::string(run.exit_code == 0 ? "pass\">PASS" : "fail\">FAIL") + "</span> · " +
           std::to_string(run.steps.size()) + " steps · " + std::to_string(run.cycles) +
           " cycles at " + std::to_string(run.clock_mhz) + " MHz (" +
           number_text(run.clock_mhz ? double(run.cycles) / run.clock_mhz : 0) + " µs)</p>";
    if (!run.overrides.empty()) {
        out += "<p class=\"overrides\">overrides:";
        for (const auto &[path, value] : run.overrides)
            out += " <code>" + escape(path + "=" + value) + "</code>";
        out += "</p>";
    }
    for (const std::string &f : run.final_failures)
        out += "<p class=\"fail\">" + escape(f) + "</p>";
    out += "<h3>Timeline</h3>" + timeline(spans, cores, run.cycles, run.clock_mhz);
    out += "<h3>Where the cycles go</h3><div class=\"charts\">" + cost_chart(run) +
           stage_chart(run) + "</div>";
    out += "<h3>Accesses</h3><div class=\"charts\">" + histogram_chart(run) + rates_chart(run) +
           "</div>";
    out += "<h3>Steps</h3>" + steps_table(run);
    out += "<h3>Explain</h3>" + explain_list(run);
    return out + "</section>";
}

} // namespace rmesim::report
