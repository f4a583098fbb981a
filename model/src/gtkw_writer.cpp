#include "model/gtkw_writer.hpp"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "model/output_file.hpp"

namespace rmesim
{

void GtkwWriter::view(const std::string &vcd_path, const std::string &gtkw_path, uint64_t from_ps,
                      uint64_t to_ps)
{
    std::error_code ec;
    vcd_ = std::filesystem::absolute(vcd_path, ec).lexically_normal().string();
    self_ = std::filesystem::absolute(gtkw_path, ec).lexically_normal().string();
    from_ = from_ps;
    to_ = to_ps;
}

void GtkwWriter::signal(const std::string &path, const std::string &group, unsigned width,
                        bool text)
{
    entries_.push_back({path, group, width, text});
}

bool GtkwWriter::write(const std::string &gtkw_path, std::string &error) const
{
    std::ostringstream g;
    // GTKWave's zoom is a power of two; 1600 pixels wide at zoom 0 show about 5 ps.
    double span = std::max(double(to_ - from_), 10.0);
    char zoom[96];
    /* the primary marker at the window's start too, to find the place at any zoom */
    std::snprintf(zoom, sizeof zoom, "*%.6f %" PRIu64, -std::log2(span / 5.0), from_);
    g << "[dumpfile] \"" << vcd_ << "\"\n"
      << "[savefile] \"" << self_ << "\"\n"
      << "[timestart] " << from_ << "\n[size] 1600 900\n[pos] -1 -1\n"
      << zoom << "\n[signals_width] 260\n[sst_width] 220\n[sst_expanded] 1\n";
    std::string group;
    for (const Entry &e : entries_) {
        if (e.group != group) {
            if (!group.empty())
                g << "@1000200\n-" << group << "\n";
            group = e.group;
            if (!group.empty())
                g << "@800200\n-" << group << "\n";
        }
        /* strings and single bits as GTKWave itself saves them (@28), vectors in hex (@22) */
        g << (e.text || e.width == 1 ? "@28\n" : "@22\n") << e.path
          << (!e.text && e.width > 1 ? "[" + std::to_string(e.width - 1) + ":0]" : "") << "\n";
    }
    if (!group.empty())
        g << "@1000200\n-" << group << "\n";
    OutputFile out;
    return out.open(gtkw_path, error) && std::fputs(g.str().c_str(), out.file()) >= 0 &&
           out.commit(error);
}

} // namespace rmesim
