// Load a scenario, build the platform it describes, run its steps and check its expectations.
#pragma once

#include <string>

#include "model/options.hpp"

namespace rmesim
{

// Each returns the process exit status: 0 all expectations held, 1 one failed, 2 bad input.
int check_scenario(const std::string &path, const RunOptions &options);
int run_scenario(const std::string &path, const RunOptions &options);
int explain_scenario(const std::string &path, const RunOptions &options);

} // namespace rmesim
