// A file written whole or not at all: the text goes to PATH.tmp.PID, which is renamed over PATH
// once it is complete, so a reader never sees part of it and an interrupted writer leaves no
// partial PATH; a PATH that is there and is not a regular file (a device, a pipe) is written in
// place (a sweep's per-point results, --results, `rmesim report -o`).
#pragma once

#include <string>

namespace rmesim
{

// false, with "cannot write PATH: <strerror>" in `error`, when any step failed; the temporary
// file is removed then.
bool write_file_atomically(const std::string &path, const std::string &text, std::string &error);

} // namespace rmesim
