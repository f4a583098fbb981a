// What `rmesim report` shows, read from the documents it is given: a run's results
// (--results, docs/schema/results.schema.json) and a sweep's directory (sweep.json and
// points/ID.json). Reading checks what the report needs and names the file and field it lacks.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rmesim::report
{

// The software accounts and the pipeline stages, in the order charts stack them.
constexpr std::array<const char *, 5> kSoftware = {"host", "el3", "rmm", "realm", "vmm"};
constexpr std::array<const char *, 5> kStages = {"tlb", "s1_walk", "s2_walk", "gpc", "memory"};

struct Rate {
    uint64_t lookups = 0, hits = 0;
    bool known() const { return lookups > 0; }
    double value() const { return lookups ? double(hits) / double(lookups) : 0.0; }
};

struct Step {
    std::string id, actor, action;
    unsigned index = 0, core = 0;
    uint64_t start_cycle = 0, cycles = 0;
    bool passed = true;
    std::vector<std::string> failures;
    std::array<uint64_t, kSoftware.size()> cost{};
    std::array<uint64_t, kStages.size()> stages{};
    uint64_t stage_total = 0, accesses = 0;
    Rate tlb, gpt_cache;
    std::vector<std::pair<uint64_t, uint64_t>> histogram; // (below, accesses)
    std::string explain;
    bool has_explain = false;
};

struct Run {
    std::string file; // where it was read from
    std::string scenario;
    std::vector<std::pair<std::string, std::string>> overrides;
    int exit_code = 0;
    unsigned clock_mhz = 0;
    uint64_t cycles = 0;
    std::vector<Step> steps;
    bool final_passed = true;
    std::vector<std::string> final_failures;
    std::string point_id; // a sweep's point
    uint64_t point_index = 0;
};

struct Point {
    std::string id, scenario;
    std::vector<std::pair<std::string, std::string>> overrides;
    bool has_run = false;
    Run run;
    std::string missing; // why there is no run: not run yet, or the point's error
};

struct Sweep {
    std::string dir;
    std::vector<std::string> parameters;
    std::vector<Point> points;
};

// The results document at `path`; false with "PATH: ..." in `error`.
bool read_run(const std::string &path, Run &out, std::string &error);
// The sweep directory `dir`: sweep.json and each point's results that are there.
bool read_sweep(const std::string &dir, Sweep &out, std::string &error);
// A file's whole text; false with "cannot read PATH: <strerror>".
bool read_text(const std::string &path, std::string &text, std::string &error);

} // namespace rmesim::report
