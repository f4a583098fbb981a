// A sweep's part of `rmesim report`: every metric against every swept parameter, one line per
// combination of the other parameters, pre-drawn; two selects show one chart at a time.
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "model/report.hpp"
#include "model/report_svg.hpp"

namespace rmesim::report
{

namespace
{

const char *const kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

struct Metric {
    std::string key, label;
    bool percent;
    std::function<bool(const Run &, double &)> value; // false: no value for this run
};

Rate total_rate(const Run &run, Rate Step::*which)
{
    Rate r;
    for (const Step &s : run.steps) {
        r.lookups += (s.*which).lookups;
        r.hits += (s.*which).hits;
    }
    return r;
}

std::vector<Metric> metrics(const Sweep &sweep)
{
    std::vector<Metric> m;
    m.push_back({"cycles", "total cycles", false, [](const Run &r, double &v) {
                     v = double(r.cycles);
                     return true;
                 }});
    for (size_t w = 0; w < kSoftware.size(); w++)
        m.push_back({std::string("cost.") + kSoftware[w],
                     std::string("cycles spent by ") + kSoftware[w] + " (all steps)", false,
                     [w](const Run &r, double &v) {
                         v = 0;
                         for (const Step &s : r.steps)
                             v += double(s.cost[w]);
                         return true;
                     }});
    for (size_t k = 0; k <= kStages.size(); k++) {
        std::string stage = k < kStages.size() ? kStages[k] : "total";
        m.push_back({"stage_cycles." + stage, "access cycles in stage " + stage + " (all steps)",
                     false, [k](const Run &r, double &v) {
                         v = 0;
                         for (const Step &s : r.steps)
                             v += double(k < kStages.size() ? s.stages[k] : s.stage_total);
                         return true;
                     }});
    }
    for (auto [key, which] : {std::pair{"tlb", &Step::tlb}, {"gpt_cache", &Step::gpt_cache}})
        m.push_back({std::string(key) + ".hit_rate", std::string(key) + " hit rate (all steps)",
                     true, [which = which](const Run &r, double &v) {
                         Rate t = total_rate(r, which);
                         v = t.value();
                         return t.known();
                     }});
    std::vector<std::string> ids; /* each step id, in the order the points first ran them */
    for (const Point &p : sweep.points)
        for (const Step &s : p.run.steps)
            if (std::find(ids.begin(), ids.end(), s.id) == ids.end())
                ids.push_back(s.id);
    for (const std::string &id : ids)
        m.push_back({"step:" + id + ".cycles", "cycles of step " + id, false,
                     [id](const Run &r, double &v) {
                         for (const Step &s : r.steps)
                             if (s.id == id) {
                                 v = double(s.cycles);
                                 return true;
                             }
                         return false;
                     }});
    return m;
}

std::string value_of(const Point &p, const std::string &parameter)
{
    for (const auto &[path, value] : p.overrides)
        if (path == parameter)
            return value;
    return "";
}

bool numeric(const std::string &s, double &v)
{
    char *end = nullptr;
    v = std::strtod(s.c_str(), &end);
    return !s.empty() && *end == 0;
}

// The parameter's values in order: ascending when all are numbers, else as the points give them.
std::vector<std::string> values_of(const Sweep &sweep, const std::string &parameter)
{
    std::vector<std::string> values;
    for (const Point &p : sweep.points) {
        std::string v = value_of(p, parameter);
        if (std::find(values.begin(), values.end(), v) == values.end())
            values.push_back(v);
    }
    double a, b;
    bool all_numbers = true;
    for (const std::string &v : values)
        all_numbers &= numeric(v, a);
    if (all_numbers)
        std::stable_sort(values.begin(), values.end(),
                         [&](const std::string &x, const std::string &y) {
                             return numeric(x, a) && numeric(y, b) && a < b;
                         });
    return values;
}

// What a point is besides `parameter`: the other parameters' values (and its scenario when the
// sweep has several), naming its line.
std::string series_of(const Sweep &sweep, const Point &p, const std::string &parameter,
                      bool scenarios)
{
    std::string name = scenarios ? p.scenario : "";
    for (const std::string &other : sweep.parameters)
        if (other != parameter)
            name += (name.empty() ? "" : ", ") + other + "=" + value_of(p, other);
    return name.empty() ? "all points" : name;
}

std::string chart_for(const Sweep &sweep, const Metric &m, const std::string &parameter,
                      bool scenarios)
{
    Chart c{"sweep", m.label + " against " + parameter, m.key, parameter,
            values_of(sweep, parameter)};
    c.category_attribute = "data-x";
    c.percent = m.percent;
    c.extra = "data-metric=\"" + escape(m.key) + "\" data-parameter=\"" + escape(parameter) + "\"";
    std::map<std::string, size_t> line; // series name -> index in c.series
    for (const Point &p : sweep.points) {
        std::string name = series_of(sweep, p, parameter, scenarios);
        if (!line.count(name)) {
            line[name] = c.series.size();
            Series s{name, kPalette[c.series.size() % 10]};
            s.values.assign(c.categories.size(), 0);
            s.known.assign(c.categories.size(), false);
            s.points.assign(c.categories.size(), "");
            c.series.push_back(s);
        }
        Series &s = c.series[line[name]];
        size_t x =
            size_t(std::find(c.categories.begin(), c.categories.end(), value_of(p, parameter)) -
                   c.categories.begin());
        double v;
        if (p.has_run && !s.known[x] && m.value(p.run, v)) {
            s.values[x] = v;
            s.known[x] = true;
            s.points[x] = p.id;
        }
    }
    return line_chart(c);
}

std::string points_table(const Sweep &sweep)
{
    std::string t = "<table class=\"points\"><thead><tr><th>point</th><th>scenario</th>";
    for (const std::string &p : sweep.parameters)
        t += "<th>" + escape(p) + "</th>";
    t += "<th>cycles</th><th>result</th></tr></thead><tbody>";
    for (const Point &p : sweep.points) {
        t += "<tr data-point=\"" + escape(p.id) + "\"><td>" + escape(p.id) + "</td><td>" +
             escape(p.scenario) + "</td>";
        for (const std::string &param : sweep.parameters)
            t += "<td class=\"n\">" + escape(value_of(p, param)) + "</td>";
        if (p.has_run)
            t += "<td class=\"n\">" + std::to_string(p.run.cycles) + "</td><td class=\"" +
                 (p.run.exit_code == 0 ? "pass\">pass" : "fail\">FAIL") + "</td>";
        else
            t += "<td></td><td class=\"fail\">" + escape(p.missing) + "</td>";
        t += "</tr>";
    }
    return t + "</tbody></table>";
}

const char *const kScript = R"(<script>
(function () {
  var metric = document.getElementById('metric'), parameter = document.getElementById('parameter');
  function show() {
    var figures = document.querySelectorAll('figure.sweep-chart');
    for (var i = 0; i < figures.length; i++) {
      var f = figures[i];
      var on = f.dataset.metric === metric.value && f.dataset.parameter === parameter.value;
      f.hidden = !on;
    }
  }
  /* #metric=KEY&parameter=PATH in the address picks the chart shown first */
  location.hash.slice(1).split('&').forEach(function (kv) {
    var pair = kv.split('='), select = document.getElementById(pair[0]);
    var value = decodeURIComponent(pair.slice(1).join('='));
    if (select && (pair[0] === 'metric' || pair[0] === 'parameter'))
      for (var i = 0; i < select.options.length; i++)
        if (select.options[i].value === value) select.value = value;
  });
  metric.addEventListener('change', show);
  parameter.addEventListener('change', show);
  show();
})();
</script>)";

} // namespace

std::string sweep_section(const Sweep &sweep)
{
    std::set<std::string> scenario_set;
    size_t ran = 0;
    for (const Point &p : sweep.points) {
        scenario_set.insert(p.scenario);
        ran += p.has_run;
    }
    std::vector<Metric> ms = metrics(sweep);
    std::string out = "<section class=\"sweep\"><h2>Sweep " + escape(sweep.dir) + "</h2>";
    out += "<p class=\"summary\">" + std::to_string(sweep.points.size()) + " points, " +
           std::to_string(ran) + " with results; swept: ";
    for (size_t i = 0; i < sweep.parameters.size(); i++)
        out += (i ? ", " : "") + std::string("<code>") + escape(sweep.parameters[i]) + "</code>";
    out += "</p><p class=\"pick\"><label>metric <select id=\"metric\">";
    for (const Metric &m : ms)
        out += "<option value=\"" + escape(m.key) + "\">" + escape(m.label) + "</option>";
    out += "</select></label> <label>against <select id=\"parameter\">";
    for (const std::string &p : sweep.parameters)
        out += "<option value=\"" + escape(p) + "\">" + escape(p) + "</option>";
    out += "</select></label></p>";
    bool first = true;
    for (const Metric &m : ms)
        for (const std::string &p : sweep.parameters) {
            out += "<figure class=\"sweep-chart\" data-metric=\"" + escape(m.key) +
                   "\" data-parameter=\"" + escape(p) + "\"" + (first ? "" : " hidden") + ">" +
                   chart_for(sweep, m, p, scenario_set.size() > 1) + "</figure>";
            first = false;
        }
    out += "<h3>Points</h3>" + points_table(sweep);
    return out + kScript + "</section>";
}

} // namespace rmesim::report
