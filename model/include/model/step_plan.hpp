// The steps a scenario runs, in order, with every repeat's body counted `times` times — by
// arithmetic over the scenario's own step tree, nothing copied (docs/scenarios.md, "Repeat").
// A step outside any repeat is named by its id (or stepN, N its place in the file); iteration k
// (from 1) of a step inside a repeat is `NAME#k`, inside nested repeats `NAME#k.j`, the outermost
// repeat's iteration first. Every view uses these names: the log, --results, explain, the VCD's
// step signal and --trace-step.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include "scenario/scenario.h"
}

namespace rmesim
{

class StepPlan
{
  public:
    explicit StepPlan(const scenario &s);

    uint64_t total() const { return total_; } // steps the scenario runs
    // A step's name without the iterations: its id, or stepN.
    const std::string &base(const scn_step &step) const { return info_.at(&step).base; }
    // The step run at index (1..total) and its name; nullptr beyond.
    const scn_step *at(uint64_t index, std::string *name = nullptr) const;
    // Whether a run step has this name (`x`, `x#3`, `x#2.1`).
    bool has(const std::string &name) const;
    // The step whose name without iterations is base (nullptr: none).
    const scn_step *named(const std::string &base) const
    {
        auto it = by_base_.find(base);
        return it == by_base_.end() ? nullptr : it->second;
    }
    // The name as `explain FILE` lists a step: `x`, or `x#1..N` (`x#1..N.1..M` nested).
    std::string listing(const scn_step &step) const;
    // The iteration suffix of the next level: "#k" at the first repeat, ".k" inside.
    static std::string suffix(const std::string &outer, uint64_t k)
    {
        return outer + (outer.empty() ? "#" : ".") + std::to_string(k);
    }

  private:
    struct Info {
        std::string base;
        std::vector<uint64_t> times; // of the repeats around the step, outermost first
    };
    struct List {
        const scn_step *items = nullptr;
        size_t n = 0;
        std::vector<uint64_t> before; // steps run before item i (n + 1 entries)
    };
    uint64_t index_list(const scn_step *items, size_t n, std::vector<uint64_t> &times,
                        uint64_t &ordinal);

    std::unordered_map<const scn_step *, Info> info_;
    std::unordered_map<const scn_step *, List> lists_; // by the list's first item
    std::unordered_map<std::string, const scn_step *> by_base_;
    const scn_step *top_ = nullptr;
    uint64_t total_ = 0;
};

} // namespace rmesim
