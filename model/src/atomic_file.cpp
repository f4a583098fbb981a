#include "model/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rmesim
{

namespace
{

// The errno of the first step that failed, 0 when all went well.
int write_whole(const std::string &path, const std::string &text)
{
    int failed = 0;
    FILE *f = std::fopen(path.c_str(), "w");
    if (!f)
        return errno;
    if (std::fwrite(text.data(), 1, text.size(), f) != text.size())
        failed = errno ? errno : EIO;
    if (std::fclose(f) != 0 && !failed)
        failed = errno ? errno : EIO;
    return failed;
}

} // namespace

bool write_file_atomically(const std::string &path, const std::string &text, std::string &error)
{
    struct stat st;
    int failed;
    if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or a pipe (/dev/stdout) cannot be renamed over: it is written in place */
        failed = write_whole(path, text);
    } else {
        std::string tmp = path + ".tmp." + std::to_string(getpid());
        failed = write_whole(tmp, text);
        if (!failed && std::rename(tmp.c_str(), path.c_str()) != 0)
            failed = errno;
        if (failed)
            std::remove(tmp.c_str());
    }
    if (!failed)
        return true;
    error = "cannot write " + path + ": " + std::strerror(failed);
    return false;
}

} // namespace rmesim
