// `rmesim report`: the page around a run's or a sweep's section, written whole or not at all.
#include "model/report.hpp"

#include <sys/stat.h>

#include <cstdio>

#include "model/atomic_file.hpp"
#include "model/report_svg.hpp"

namespace rmesim::report
{

namespace
{

const char *const kStyle = R"(<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1800px; }
h1 { font-size: 20px; } h2 { font-size: 18px; margin-top: 8px; } h3 { font-size: 15px; margin: 22px 0 6px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg.chart { background: #fff; border: 1px solid #ddd; font-size: 11px; }
svg .title { font-size: 13px; font-weight: 600; }
svg .label { font-size: 12px; fill: #333; }
svg .tick { fill: #555; }
svg .grid { stroke: #eee; } svg .axis { stroke: #888; }
svg .line { fill: none; stroke-width: 2; }
svg rect.step { fill: #a0cbe8; stroke: #4e79a7; }
svg rect.step.nested { fill: #ffbe7d; stroke: #f28e2b; }
svg rect.step.failed { fill: #ff9d9a; stroke: #e15759; }
svg .span-label { font-size: 11px; fill: #123; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 2px 8px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #2a7a2a; font-weight: 600; } .fail { color: #b00; font-weight: 600; }
tr.failure td { color: #b00; font-family: monospace; }
details.explain summary { cursor: pointer; padding: 2px 0; }
details.explain pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
.dim { color: #777; } .note { color: #777; } code { background: #f3f3f3; padding: 0 3px; }
</style>)";

bool is_directory(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

} // namespace

std::string page(const std::string &title, const std::string &body)
{
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
           escape(title) + "</title>" + kStyle + "</head><body><h1>rmesim report</h1>\n" + body +
           "\n</body></html>\n";
}

int write_report(const std::string &input, const std::string &output, const std::string &shown_as)
{
    std::string error, html;
    if (is_directory(input)) {
        Sweep sweep;
        if (!read_sweep(input, sweep, error)) {
            std::fprintf(stderr, "rmesim: report: %s\n", error.c_str());
            return 2;
        }
        sweep.dir = shown_as;
        html = page("sweep " + shown_as, sweep_section(sweep));
    } else {
        Run run;
        if (!read_run(input, run, error)) {
            std::fprintf(stderr, "rmesim: report: %s\n", error.c_str());
            return 2;
        }
        html = page(run.scenario, run_section(run));
    }
    if (!write_file_atomically(output, html, error)) {
        std::fprintf(stderr, "rmesim: report: %s\n", error.c_str());
        return 2;
    }
    return 0;
}

} // namespace rmesim::report
