// The event log (--log FILE): one JSON object per line. Three records, each naming itself in
// its first field:
//   "record":"access"  every access software makes through the MMU (a step's own, the guest's,
//                      the host's and the RMM's), with what each stage found and its cycles
//   "record":"call"    every RMI and RSI call (PSCI through RSI included) and every EL3 call the
//                      RMM makes, with its arguments, status and cycles
//   "record":"step"    each step's summary: every field its expectations can check
// Records are written in simulated-time order as they happen (a step's accesses and calls, then
// the step), so two runs give the same file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "model/step_result.hpp"

extern "C" {
#include "mmu/access.h"
#include "mmu/regime.h"
}

namespace rmesim
{

class EventLog
{
  public:
    explicit EventLog(FILE *f) : f_(f) {}
    ~EventLog();
    EventLog(const EventLog &) = delete;
    EventLog &operator=(const EventLog &) = delete;

    struct Where {
        const std::string &step;
        unsigned core;
        uint64_t cycle; // when the access or call started, in the core's cycles
    };
    // value: the value stored or loaded, when the access reached memory
    void access(const Where &w, mmu_regime_kind regime, const rme_access &a, uint64_t cycles,
                const uint64_t *value);
    void call(const Where &w, const char *name, uint64_t fid,
              const std::vector<std::pair<std::string, uint64_t>> &args, const char *status,
              unsigned index, uint64_t cycles);
    void step(const StepResult &r);

  private:
    FILE *f_;
};

} // namespace rmesim
