// `rmesim report INPUT -o FILE`: one self-contained HTML file (inline SVG and CSS, a few lines
// of inline script, nothing fetched) from a run's results (--results) or a sweep's directory.
// A scenario given as INPUT is run first by the command (model/src/main.cpp). docs/report.md.
#pragma once

#include <string>

#include "model/report_model.hpp"

namespace rmesim::report
{

// The run's part of the page: summary, timeline, cost and stage bars, histogram, hit rates,
// each step's explain text (report_run.cpp).
std::string run_section(const Run &run);
// The sweep's part: a chart of each metric against each swept parameter, two selects to pick
// one, and the points (report_sweep.cpp).
std::string sweep_section(const Sweep &sweep);
// The whole page around a section.
std::string page(const std::string &title, const std::string &body);

// Reads INPUT (a results file or a sweep directory; `shown_as` names it in the page) and
// writes the page to `output` whole or not at all. 0, or 2 with the problem printed.
int write_report(const std::string &input, const std::string &output, const std::string &shown_as);

} // namespace rmesim::report
