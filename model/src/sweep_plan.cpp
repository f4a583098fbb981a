// A sweep file's plan: its scenarios (files and globs, sorted), the grid's cartesian product
// with the zipped lists, the explicit points after them, `set:` under every point; and the plan
// as DIR/sweep.json.
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/json.hpp"
#include "model/sweep_plan.hpp"

namespace rmesim::sweep
{

namespace
{

bool fail(const SweepFile &s, Where at, const std::string &message, std::string &error)
{
    error =
        s.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + message;
    return false;
}

std::string joined(const std::string &dir, const std::string &path)
{
    return path.empty() || path[0] == '/' || dir == "." ? path
           : dir == "/"                                 ? "/" + path
                                                        : dir + "/" + path;
}

// The scenario files, relative to the sweep file's directory, sorted, each once.
bool scenarios(const SweepFile &s, std::vector<std::string> &out, std::string &error)
{
    std::set<std::string> found;
    for (const auto &[pattern, at] : s.scenarios) {
        std::string full = joined(s.base_dir, pattern);
        std::string prefix = full.substr(0, full.size() - pattern.size());
        if (pattern.find_first_of("*?[") == std::string::npos) {
            struct stat st;
            if (stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
                return fail(s, at,
                            "no scenario file '" + full + "'" +
                                (s.base_dir == "." ? "" : " (relative to the sweep file)"),
                            error);
            found.insert(pattern);
            continue;
        }
        glob_t g{};
        int rc = glob(full.c_str(), GLOB_ERR, nullptr, &g);
        size_t before = found.size();
        for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++) {
            struct stat st;
            if (stat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode))
                found.insert(std::string(g.gl_pathv[i]).substr(prefix.size()));
        }
        globfree(&g);
        if (found.size() == before && (rc == 0 || rc == GLOB_NOMATCH))
            return fail(s, at, "the glob '" + pattern + "' matches no scenario file", error);
        if (rc != 0 && rc != GLOB_NOMATCH)
            return fail(s, at, "cannot read the files of the glob '" + pattern + "'", error);
    }
    out.assign(found.begin(), found.end());
    return true;
}

// Each path is swept once, and what `set:` fixes is not also swept.
bool check_axes(const SweepFile &s, std::string &error)
{
    std::map<std::string, std::string> owner;
    for (size_t i = 0; i < s.set.size(); i++)
        owner[s.set[i].first] = "set";
    for (const auto *section : {&s.grid, &s.zip})
        for (const Axis &a : *section) {
            const char *name = section == &s.grid ? "grid" : "zip";
            auto it = owner.find(a.path);
            if (it != owner.end())
                return fail(s, a.at,
                            a.path + " is in both " + it->second + " and " + name +
                                ": a parameter is fixed or swept in one place",
                            error);
            owner[a.path] = name;
        }
    for (const Axis &a : s.zip)
        if (a.values.size() != s.zip[0].values.size())
            return fail(s, a.at,
                        "zip " + a.path + " has " + std::to_string(a.values.size()) +
                            " values but zip " + s.zip[0].path + " has " +
                            std::to_string(s.zip[0].values.size()) +
                            ": zipped lists advance together and need the same length",
                        error);
    return true;
}

void put(std::vector<Override> &overrides, const Override &o)
{
    for (Override &have : overrides)
        if (have.first == o.first) {
            have.second = o.second;
            return;
        }
    overrides.push_back(o);
}

// The swept combinations: grid x zip (the first grid key turns slowest, the zipped lists fastest),
// then the points; or one empty combination when nothing is swept.
std::vector<std::vector<Override>> combinations(const SweepFile &s)
{
    std::vector<std::vector<Override>> out;
    if (!s.grid.empty() || !s.zip.empty()) {
        std::vector<size_t> digit(s.grid.size(), 0);
        size_t zip_length = s.zip.empty() ? 1 : s.zip[0].values.size();
        for (;;) {
            for (size_t z = 0; z < zip_length; z++) {
                std::vector<Override> c;
                for (size_t g = 0; g < s.grid.size(); g++)
                    c.push_back({s.grid[g].path, s.grid[g].values[digit[g]]});
                for (const Axis &a : s.zip)
                    c.push_back({a.path, a.values[z]});
                out.push_back(c);
            }
            /* odometer: the last grid key turns fastest */
            size_t g = s.grid.size();
            while (g > 0 && ++digit[g - 1] == s.grid[g - 1].values.size())
                digit[--g] = 0;
            if (g == 0)
                break;
        }
    }
    out.insert(out.end(), s.points.begin(), s.points.end());
    if (out.empty())
        out.emplace_back();
    return out;
}

std::vector<std::string> parameters(const SweepFile &s)
{
    std::vector<std::string> out;
    auto add = [&](const std::string &p) {
        if (std::find(out.begin(), out.end(), p) == out.end())
            out.push_back(p);
    };
    for (const Axis &a : s.grid)
        add(a.path);
    for (const Axis &a : s.zip)
        add(a.path);
    for (const auto &point : s.points)
        for (const Override &o : point)
            add(o.first);
    return out;
}

} // namespace

std::string point_id(size_t index, size_t count)
{
    std::string digits = std::to_string(index);
    size_t width = std::max<size_t>(4, std::to_string(count ? count - 1 : 0).size());
    return "p" + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

bool expand(const SweepFile &s, Plan &plan, std::string &error)
{
    plan = Plan();
    plan.base_dir = s.base_dir;
    if (!check_axes(s, error) || !scenarios(s, plan.scenarios, error))
        return false;
    plan.parameters = parameters(s);
    std::vector<std::vector<Override>> combos = combinations(s);
    /* the same overrides twice would run the same point twice */
    std::map<std::vector<Override>, size_t> seen;
    size_t swept = combos.size() - s.points.size();
    for (size_t i = 0; i < combos.size(); i++) {
        std::vector<Override> all = s.set;
        for (const Override &o : combos[i])
            put(all, o);
        std::vector<Override> key = all;
        std::sort(key.begin(), key.end());
        auto [it, fresh] = seen.insert({key, i});
        if (!fresh) {
            Where at = i >= swept && !s.points.empty() ? s.point_at[i - swept]
                       : !s.zip.empty()                ? s.zip[0].at
                                                       : Where{};
            return fail(s, at,
                        (i >= swept ? "point " + std::to_string(i - swept) : "a zipped value") +
                            " repeats the overrides of an earlier point: each point runs once",
                        error);
        }
        combos[i] = all;
    }
    for (const std::string &scenario : plan.scenarios)
        for (const auto &overrides : combos) {
            Point p;
            p.index = plan.points.size();
            p.scenario = scenario;
            p.overrides = overrides;
            plan.points.push_back(p);
        }
    for (Point &p : plan.points)
        p.id = point_id(p.index, plan.points.size());
    return true;
}

std::string Plan::scenario_path(const Point &p) const
{
    return joined(base_dir, p.scenario);
}

std::string Plan::value_of(const Point &p, const std::string &path)
{
    for (const Override &o : p.overrides)
        if (o.first == path)
            return o.second;
    return "";
}

std::string Plan::json() const
{
    Json head;
    head.begin_object().field("format", "rmesim-sweep/1").begin_array("parameters");
    for (const std::string &p : parameters)
        head.field(nullptr, p);
    std::string out = head.end_array().str() + ",\"points\":[\n";
    for (const Point &p : points) {
        Json j;
        j.begin_object().field("id", p.id).field("index", uint64_t(p.index));
        j.field("scenario", p.scenario).begin_object("overrides");
        for (const Override &o : p.overrides)
            j.field(o.first.c_str(), o.second);
        out += j.end_object().end_object().str() + (p.index + 1 < points.size() ? ",\n" : "\n");
    }
    return out + "]}\n";
}

} // namespace rmesim::sweep
