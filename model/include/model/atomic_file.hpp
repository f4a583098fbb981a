// A whole text written to a file as one output (model/output_file.hpp): to a temporary file
// beside it, renamed into place when complete, or in place for a path that is not a regular
// file. --results and `rmesim report -o` write this way.
#pragma once

#include <string>

namespace rmesim
{

// false, with "cannot write PATH: <strerror>" in `error`, when any step failed; nothing of the
// output is left then.
bool write_file_atomically(const std::string &path, const std::string &text, std::string &error);

} // namespace rmesim
