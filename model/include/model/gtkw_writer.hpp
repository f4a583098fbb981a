// A GTKWave save file (.gtkw) for an rmesim trace: which signals, in which groups, and the view.
// It names the trace and itself by absolute path ([dumpfile], [savefile]): GTKWave 3.3 finds a
// trace that moved together with its save file by the path from one to the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rmesim
{

class GtkwWriter
{
  public:
    // The view: from..to picoseconds fill the window.
    void view(const std::string &vcd_path, const std::string &gtkw_path, uint64_t from_ps,
              uint64_t to_ps);
    // A signal by its full VCD path ("rmesim.core0.pa"); `text`: a string variable.
    void signal(const std::string &path, const std::string &group, unsigned width, bool text);
    // Written whole or not at all (OutputFile); the reason in `error`.
    bool write(const std::string &gtkw_path, std::string &error) const;

  private:
    struct Entry {
        std::string path, group;
        unsigned width;
        bool text;
    };
    std::string vcd_, self_;
    uint64_t from_ = 0, to_ = 0;
    std::vector<Entry> entries_;
};

} // namespace rmesim
