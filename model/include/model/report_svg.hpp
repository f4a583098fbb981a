// The charts of `rmesim report`, drawn as inline SVG: each an <svg data-chart=NAME> whose marks
// carry their data (data-step, data-series, data-value...) so that a test reads the numbers
// back from the rendered page. No script, no external file.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rmesim::report
{

// Text made safe for HTML and SVG (element content and attribute values).
std::string escape(const std::string &text);
// A number as a data attribute holds it: integers exactly, others with 6 significant digits.
std::string number_text(double v);
// A count for an axis or a label: 1234 -> "1234", 1234567 -> "1.23M".
std::string short_number(double v);

struct Series {
    Series(std::string n, std::string c) : name(std::move(n)), color(std::move(c)) {}
    std::string name, color;
    std::vector<double> values;      // one per category
    std::vector<bool> known;         // empty: all known; else false where there is no value (null)
    std::vector<std::string> points; // a sweep's: the point behind each value (data-point)
};

struct Chart {
    Chart(std::string n, std::string t, std::string y, std::string x,
          std::vector<std::string> cats = {})
        : name(std::move(n)), title(std::move(t)), y_label(std::move(y)), x_label(std::move(x)),
          categories(std::move(cats))
    {
    }
    std::string name;  // data-chart
    std::string title; // shown above, and the <title>
    std::string y_label, x_label;
    std::vector<std::string> categories;          // the x axis: steps, buckets, parameter values
    std::string category_attribute = "data-step"; // what a mark names its category with
    std::vector<Series> series;
    bool percent = false; // values in [0, 1] shown as 0..100%
    std::string extra;    // more attributes of the <svg> element
};

// Bars stacked by series, one bar per category.
std::string stacked_bars(const Chart &c);
// Bars side by side, one group per category.
std::string grouped_bars(const Chart &c);
// Lines, one per series, through a point per category (x in the categories' order).
std::string line_chart(const Chart &c);

struct Span {
    std::string id;
    unsigned core;
    uint64_t start, cycles;
    bool nested; // a realm's build inside a step: drawn thinner, over it
    bool passed;
};
// Steps on cores over cycles.
std::string timeline(const std::vector<Span> &spans, unsigned cores, uint64_t end_cycle,
                     unsigned clock_mhz);

} // namespace rmesim::report
