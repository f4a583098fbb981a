// A sweep file (docs/studies.md) and the plan it expands to: the scenarios, the swept parameters
// and the points, each one scenario with the overrides it runs with (`rmesim run --set`).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace rmesim::sweep
{

// PATH=VALUE, passed verbatim to `rmesim run --set`.
using Override = std::pair<std::string, std::string>;

struct Point {
    std::string id;                  // "p0000", in plan order
    size_t index = 0;                // its place in the plan
    std::string scenario;            // as in the plan: relative to the sweep file's directory
    std::vector<Override> overrides; // `set:` first, then the swept parameters, each path once
};

struct Plan {
    std::string base_dir;                // the sweep file's directory ("." for a bare name)
    std::vector<std::string> scenarios;  // sorted, each once
    std::vector<std::string> parameters; // the swept paths: grid, then zip, then points' keys
    std::vector<Point> points;

    // The file to run for a point's scenario (the plan keeps it relative to base_dir).
    std::string scenario_path(const Point &p) const;
    // The plan as DIR/sweep.json: {"format","parameters","points":[{"id","index","scenario",
    // "overrides"}]}; two sweeps of the same file give the same bytes.
    std::string json() const;
    // The value of a point's parameter, or "" if the point does not set it.
    static std::string value_of(const Point &p, const std::string &path);
};

// A sweep file as written, before expansion; each entry keeps where it is, for errors.
struct Where {
    int line = 1, column = 1;
};
struct Axis {
    std::string path;
    std::vector<std::string> values;
    Where at;
};
struct SweepFile {
    std::string file, base_dir;
    std::vector<std::pair<std::string, Where>> scenarios; // files or globs
    std::vector<Axis> grid, zip;
    std::vector<std::vector<Override>> points;
    std::vector<Where> point_at;
    std::vector<Override> set;
    std::vector<Where> set_at;
};

// The YAML of a sweep file; false with `error` = "FILE:LINE:COL: problem".
bool parse_sweep_file(const std::string &text, const std::string &file, const std::string &base_dir,
                      SweepFile &sweep, std::string &error);
// Its plan: scenarios globbed in base_dir, grid x zip, then points (docs/studies.md).
bool expand(const SweepFile &sweep, Plan &plan, std::string &error);

// Reads and expands a sweep file; false with `error` = "FILE:LINE:COL: problem".
bool load_plan(const std::string &path, Plan &plan, std::string &error);
// The same from text (`file` names it in errors; globs and files are looked up in base_dir).
bool parse_plan(const std::string &text, const std::string &file, const std::string &base_dir,
                Plan &plan, std::string &error);

// "p0000": four digits, more when the plan has more than 10000 points.
std::string point_id(size_t index, size_t count);

} // namespace rmesim::sweep
