// Which records the event log keeps (--log-filter EXPR, repeatable): EXPR is KEY=VALUE[|VALUE...]
// joined by commas, KEY one of step, core, regime, kind. A record is kept when, for every key
// given, it has that field and its value is one of the key's values (values given to one key in
// several --log-filter options add up). Only access records have a regime.
#pragma once

#include <set>
#include <string>

namespace rmesim
{

class LogFilter
{
  public:
    // Adds EXPR's conditions; false with `error` naming the bad key or value.
    bool add(const std::string &expr, std::string &error);

    bool empty() const
    {
        return steps_.empty() && cores_.empty() && regimes_.empty() && kinds_.empty();
    }
    // The steps and cores asked for, for the runner to check against the scenario.
    const std::set<std::string> &steps() const { return steps_; }
    const std::set<unsigned> &cores() const { return cores_; }

    // A record of kind `kind` ("access", "call", ...) of `step` on `core`; `regime` its
    // translation regime's name, nullptr for a record that has none.
    bool keeps(const char *kind, const std::string &step, unsigned core, const char *regime) const;

  private:
    std::set<std::string> steps_, regimes_, kinds_;
    std::set<unsigned> cores_;
};

} // namespace rmesim
