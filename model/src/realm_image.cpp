// A realm's ELF image, read and laid out for the host (docs/realm.md, "Real code").
#include "model/where.hpp"
#include "model/realm_image.hpp"

#include <algorithm>

#include "model/elf_image.hpp"
#include "model/text.hpp"

namespace rmesim
{

namespace
{
// A path as the scenario wrote it, relative to the scenario file's directory
std::string beside(const std::string &scenario, const std::string &path)
{
    if (!path.empty() && path[0] == '/')
        return path;
    size_t slash = scenario.rfind('/');
    return slash == std::string::npos ? path : scenario.substr(0, slash + 1) + path;
}
} // namespace

bool read_realm_image(const scenario &s, const scn_realm &c, RealmImage &out, std::string &error)
{
    std::string where = fmt("%s: realm '%s' image", rmesim::where(s, c.image_pos).c_str(), c.name);
    ElfImage elf;
    std::string why;
    std::string path = beside(s.file, c.image_file);
    if (!read_elf_image(path, elf, why)) { /* the file named as the scenario names it */
        if (why.rfind(path + ": ", 0) == 0)
            why = why.substr(path.size() + 2);
        error = where + ": " + c.image_file + ": " + why;
        return false;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (const ElfSegment &seg : elf.segments) {
        if (seg.memsz == 0)
            continue;
        if (seg.vaddr < c.ram_ipa || seg.vaddr - c.ram_ipa >= c.ram_size ||
            seg.memsz > c.ram_ipa + c.ram_size - seg.vaddr) {
            error = fmt("%s: %s: a segment [%s, %s) lies outside the realm's RAM [%s, %s)",
                        where.c_str(), c.image_file, hex(seg.vaddr).c_str(),
                        hex(seg.vaddr + seg.memsz).c_str(), hex(c.ram_ipa).c_str(),
                        hex(c.ram_ipa + c.ram_size).c_str());
            return false;
        }
        lo = std::min<uint64_t>(lo, seg.vaddr & ~0xFFFull);
        hi = std::max<uint64_t>(hi, (seg.vaddr + seg.memsz + 0xFFF) & ~0xFFFull);
    }
    if (hi <= lo) {
        error = where + ": " + c.image_file + ": no segment has any bytes";
        return false;
    }
    out.bytes.assign(hi - lo, 0);
    for (const ElfSegment &seg : elf.segments)
        std::copy(seg.bytes.begin(), seg.bytes.end(), out.bytes.begin() + long(seg.vaddr - lo));
    out.ipa = lo;
    out.entry = elf.entry;
    return true;
}

} // namespace rmesim
