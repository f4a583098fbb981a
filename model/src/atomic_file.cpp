#include "model/atomic_file.hpp"

#include "model/output_file.hpp"

namespace rmesim
{

bool write_file_atomically(const std::string &path, const std::string &text, std::string &error)
{
    OutputFile out;
    error.clear();
    if (!out.open(path, error))
        return false;
    bool wrote = std::fwrite(text.data(), 1, text.size(), out.file()) == text.size();
    bool ok = out.commit(error) && wrote; /* commit names the first write's errno */
    if (!ok && error.empty())
        error = "cannot write " + path;
    return ok;
}

} // namespace rmesim
