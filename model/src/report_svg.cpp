// Inline SVG charts for `rmesim report`: axes with round ticks, stacked and grouped bars, lines,
// the timeline. Every mark carries its data as attributes.
#include "model/report_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rmesim::report
{

namespace
{

constexpr double kWidth = 860, kHeight = 340;
constexpr double kLeft = 76, kRight = 210, kTop = 34, kBottom = 92;

std::string fmt(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// Round ticks from 0 to at least `max`: 1, 2 or 5 times a power of ten apart.
std::vector<double> ticks(double max)
{
    if (!(max > 0))
        max = 1;
    double raw = max / 5, power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = raw <= power       ? power
                  : raw <= 2 * power ? 2 * power
                  : raw <= 5 * power ? 5 * power
                                     : 10 * power;
    std::vector<double> out;
    for (double t = 0; t < max + step * 0.999; t += step)
        out.push_back(t);
    return out;
}

struct Frame {
    double top_value;
    double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
    double y(double v) const { return kTop + plot_h - (top_value ? v / top_value : 0) * plot_h; }
};

std::string open_svg(const Chart &c)
{
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"" +
           escape(c.name) + "\" " + c.extra + " viewBox=\"0 0 " + fmt(kWidth) + " " + fmt(kHeight) +
           "\" width=\"" + fmt(kWidth) + "\" height=\"" + fmt(kHeight) + "\" role=\"img\"><title>" +
           escape(c.title) + "</title><text class=\"title\" x=\"" + fmt(kLeft) + "\" y=\"20\">" +
           escape(c.title) + "</text>";
}

// The y axis with its ticks and grid, the x axis with the categories' labels, the legend.
std::string axes(const Chart &c, const Frame &f, const std::vector<double> &tk, double band)
{
    std::string s;
    for (double t : tk) {
        s += "<line class=\"grid\" x1=\"" + fmt(kLeft) + "\" x2=\"" + fmt(kLeft + f.plot_w) +
             "\" y1=\"" + fmt(f.y(t)) + "\" y2=\"" + fmt(f.y(t)) + "\"/>";
        s += "<text class=\"tick\" x=\"" + fmt(kLeft - 6) + "\" y=\"" + fmt(f.y(t) + 4) +
             "\" text-anchor=\"end\">" +
             (c.percent ? short_number(t * 100) + "%" : short_number(t)) + "</text>";
    }
    s += "<line class=\"axis\" x1=\"" + fmt(kLeft) + "\" x2=\"" + fmt(kLeft) + "\" y1=\"" +
         fmt(kTop) + "\" y2=\"" + fmt(kTop + f.plot_h) + "\"/>";
    s += "<line class=\"axis\" x1=\"" + fmt(kLeft) + "\" x2=\"" + fmt(kLeft + f.plot_w) +
         "\" y1=\"" + fmt(kTop + f.plot_h) + "\" y2=\"" + fmt(kTop + f.plot_h) + "\"/>";
    s += "<text class=\"label\" transform=\"translate(16 " + fmt(kTop + f.plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + escape(c.y_label) + "</text>";
    for (size_t i = 0; i < c.categories.size(); i++) {
        double x = kLeft + band * (double(i) + 0.5);
        std::string label =
            c.categories[i].size() > 22 ? c.categories[i].substr(0, 21) + "…" : c.categories[i];
        s += "<text class=\"tick\" transform=\"translate(" + fmt(x + 4) + " " +
             fmt(kTop + f.plot_h + 10) + ") rotate(-35)\" text-anchor=\"end\">" + escape(label) +
             "</text>";
    }
    s += "<text class=\"label\" x=\"" + fmt(kLeft + f.plot_w / 2) + "\" y=\"" + fmt(kHeight - 4) +
         "\" text-anchor=\"middle\">" + escape(c.x_label) + "</text>";
    for (size_t k = 0; k < c.series.size(); k++) {
        double y = kTop + 6 + 18 * double(k);
        s += "<g class=\"legend\" data-series=\"" + escape(c.series[k].name) + "\"><rect x=\"" +
             fmt(kWidth - kRight + 14) + "\" y=\"" + fmt(y) +
             "\" width=\"12\" height=\"12\" fill=\"" + c.series[k].color + "\"/><text x=\"" +
             fmt(kWidth - kRight + 32) + "\" y=\"" + fmt(y + 10) + "\">" +
             escape(c.series[k].name) + "</text></g>";
    }
    return s;
}

bool known(const Series &s, size_t i)
{
    return s.known.empty() || s.known[i];
}

// The largest value the chart shows (1 at least for a rate).
double largest(const Chart &c)
{
    double top = c.percent ? 1 : 0;
    for (const Series &s : c.series)
        for (size_t i = 0; i < s.values.size(); i++)
            top = std::max(top, known(s, i) ? s.values[i] : 0);
    return top;
}

std::string mark_attributes(const Chart &c, const Series &s, size_t i)
{
    return " " + c.category_attribute + "=\"" + escape(c.categories[i]) + "\" data-series=\"" +
           escape(s.name) + "\" data-value=\"" + number_text(s.values[i]) + "\"" +
           (i < s.points.size() ? " data-point=\"" + escape(s.points[i]) + "\"" : "");
}

std::string mark_title(const Chart &c, const Series &s, size_t i)
{
    std::string v = c.percent ? number_text(std::round(s.values[i] * 10000) / 100) + "%"
                              : number_text(s.values[i]);
    return "<title>" + escape(c.categories[i] + " · " + s.name + ": " + v) + "</title>";
}

} // namespace

std::string escape(const std::string &text)
{
    std::string out;
    for (char ch : text)
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += ch;
        }
    return out;
}

std::string number_text(double v)
{
    char buf[40];
    if (v == std::floor(v) && std::fabs(v) < 1e18)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string short_number(double v)
{
    char buf[32];
    double a = std::fabs(v);
    if (a >= 1e9)
        std::snprintf(buf, sizeof buf, "%.3gG", v / 1e9);
    else if (a >= 1e6)
        std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
    else if (a >= 1e4)
        std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string stacked_bars(const Chart &c)
{
    double top = 0;
    for (size_t i = 0; i < c.categories.size(); i++) {
        double sum = 0;
        for (const Series &s : c.series)
            sum += known(s, i) ? s.values[i] : 0;
        top = std::max(top, sum);
    }
    std::vector<double> tk = ticks(top);
    Frame f{tk.back()};
    double band = f.plot_w / double(std::max<size_t>(c.categories.size(), 1));
    std::string out = open_svg(c) + axes(c, f, tk, band);
    for (size_t i = 0; i < c.categories.size(); i++) {
        double base = 0, x = kLeft + band * double(i) + band * 0.15;
        for (const Series &s : c.series) {
            if (!known(s, i))
                continue;
            double v = s.values[i];
            out += "<rect class=\"bar\"" + mark_attributes(c, s, i) + " x=\"" + fmt(x) + "\" y=\"" +
                   fmt(f.y(base + v)) + "\" width=\"" + fmt(band * 0.7) + "\" height=\"" +
                   fmt(f.y(base) - f.y(base + v)) + "\" fill=\"" + s.color + "\">" +
                   mark_title(c, s, i) + "</rect>";
            base += v;
        }
    }
    return out + "</svg>";
}

std::string grouped_bars(const Chart &c)
{
    std::vector<double> tk = ticks(largest(c));
    Frame f{tk.back()};
    double band = f.plot_w / double(std::max<size_t>(c.categories.size(), 1));
    double w = band * 0.8 / double(std::max<size_t>(c.series.size(), 1));
    std::string out = open_svg(c) + axes(c, f, tk, band);
    for (size_t i = 0; i < c.categories.size(); i++)
        for (size_t k = 0; k < c.series.size(); k++) {
            const Series &s = c.series[k];
            if (!known(s, i))
                continue;
            double x = kLeft + band * double(i) + band * 0.1 + w * double(k);
            out += "<rect class=\"bar\"" + mark_attributes(c, s, i) + " x=\"" + fmt(x) + "\" y=\"" +
                   fmt(f.y(s.values[i])) + "\" width=\"" + fmt(w * 0.9) + "\" height=\"" +
                   fmt(f.y(0) - f.y(s.values[i])) + "\" fill=\"" + s.color + "\">" +
                   mark_title(c, s, i) + "</rect>";
            if (c.series.size() == 1) /* one series: its numbers over the bars */
                out += "<text class=\"tick\" x=\"" + fmt(x + w * 0.45) + "\" y=\"" +
                       fmt(f.y(s.values[i]) - 4) + "\" text-anchor=\"middle\">" +
                       short_number(s.values[i]) + "</text>";
        }
    return out + "</svg>";
}

std::string line_chart(const Chart &c)
{
    std::vector<double> tk = ticks(largest(c));
    Frame f{tk.back()};
    double band = f.plot_w / double(std::max<size_t>(c.categories.size(), 1));
    std::string out = open_svg(c) + axes(c, f, tk, band);
    for (const Series &s : c.series) {
        std::string path;
        for (size_t i = 0; i < c.categories.size(); i++)
            if (known(s, i))
                path += (path.empty() ? "M" : " L") + fmt(kLeft + band * (double(i) + 0.5)) + " " +
                        fmt(f.y(s.values[i]));
        out += "<path class=\"line\" d=\"" + path + "\" stroke=\"" + s.color + "\"/>";
        for (size_t i = 0; i < c.categories.size(); i++)
            if (known(s, i))
                out += "<circle class=\"point\"" + mark_attributes(c, s, i) + " cx=\"" +
                       fmt(kLeft + band * (double(i) + 0.5)) + "\" cy=\"" + fmt(f.y(s.values[i])) +
                       "\" r=\"4\" fill=\"" + s.color + "\">" + mark_title(c, s, i) + "</circle>";
    }
    return out + "</svg>";
}

std::string timeline(const std::vector<Span> &spans, unsigned cores, uint64_t end_cycle,
                     unsigned clock_mhz)
{
    const double full = 2 * kWidth + 14; /* as wide as two charts side by side */
    const double lane = 38, top = 34, left = 70, width = full - left - 20;
    double height = top + lane * cores + 46;
    double end = double(std::max<uint64_t>(end_cycle, 1));
    auto x = [&](double cycle) { return left + cycle / end * width; };
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                      "data-chart=\"timeline\" data-end-cycle=\"" +
                      std::to_string(end_cycle) + "\" viewBox=\"0 0 " + fmt(full) + " " +
                      fmt(height) + "\" width=\"" + fmt(full) + "\" height=\"" + fmt(height) +
                      "\" role=\"img\"><title>Steps on cores over cycles</title>"
                      "<text class=\"title\" x=\"" +
                      fmt(left) + "\" y=\"20\">Steps on cores over cycles</text>";
    std::vector<double> tk = ticks(end);
    for (double t : tk) {
        if (t > end)
            break;
        out += "<line class=\"grid\" x1=\"" + fmt(x(t)) + "\" x2=\"" + fmt(x(t)) + "\" y1=\"" +
               fmt(top) + "\" y2=\"" + fmt(top + lane * cores) + "\"/><text class=\"tick\" x=\"" +
               fmt(x(t)) + "\" y=\"" + fmt(top + lane * cores + 16) + "\" text-anchor=\"middle\">" +
               short_number(t) + "</text>";
    }
    out += "<text class=\"label\" x=\"" + fmt(left + width / 2) + "\" y=\"" + fmt(height - 6) +
           "\" text-anchor=\"middle\">cycles (" + std::to_string(clock_mhz) + " MHz)</text>";
    const char *const keys[][2] = {{"step", "step"},
                                   {"step nested", "a realm's build"},
                                   {"step failed", "a step that failed"}};
    for (size_t k = 0; k < 3; k++) {
        double kx = full - 420 + 140 * double(k);
        out += "<g class=\"legend\"><rect class=\"" + std::string(keys[k][0]) + "\" x=\"" +
               fmt(kx) + "\" y=\"10\" width=\"12\" height=\"12\"/><text x=\"" + fmt(kx + 18) +
               "\" y=\"20\">" + keys[k][1] + "</text></g>";
    }
    for (unsigned c = 0; c < cores; c++)
        out += "<text class=\"tick\" x=\"" + fmt(left - 8) + "\" y=\"" +
               fmt(top + lane * c + lane / 2 + 4) + "\" text-anchor=\"end\">core " +
               std::to_string(c) + "</text>";
    for (const Span &s : spans) {
        double y = top + lane * s.core + (s.nested ? 14 : 4), h = s.nested ? 14 : lane - 8;
        double x0 = x(double(s.start)), w = std::max(x(double(s.start + s.cycles)) - x0, 1.0);
        out += "<g class=\"span\"><rect class=\"step" + std::string(s.nested ? " nested" : "") +
               (s.passed ? "" : " failed") + "\" data-step=\"" + escape(s.id) + "\" data-core=\"" +
               std::to_string(s.core) + "\" data-start=\"" + std::to_string(s.start) +
               "\" data-cycles=\"" + std::to_string(s.cycles) + "\" data-value=\"" +
               std::to_string(s.cycles) + "\" x=\"" + fmt(x0) + "\" y=\"" + fmt(y) + "\" width=\"" +
               fmt(w) + "\" height=\"" + fmt(h) + "\"><title>" +
               escape(s.id + ": cycles " + std::to_string(s.start) + ".." +
                      std::to_string(s.start + s.cycles) + " on core " + std::to_string(s.core)) +
               "</title></rect>";
        if (w > 7.0 * double(s.id.size()) + 10)
            out += "<text class=\"span-label\" x=\"" + fmt(x0 + 4) + "\" y=\"" +
                   fmt(y + h / 2 + 4) + "\">" + escape(s.id) + "</text>";
        out += "</g>";
    }
    return out + "</svg>";
}

} // namespace rmesim::report
