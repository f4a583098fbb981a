// Reading an AArch64 ET_EXEC image: the ELF header, the program header table and the PT_LOAD
// segments (gABI "ELF Header", "Program Header"), every field checked before it is used.
#include "model/elf_image.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "model/text.hpp"

namespace rmesim
{

namespace
{

// gABI values
constexpr unsigned kClass64 = 2, kData2Lsb = 1, kEvCurrent = 1;
constexpr unsigned kEtExec = 2, kEtDyn = 3, kEmAarch64 = 183;
constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3;
constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;
constexpr size_t kEhdrSize = 64, kPhdrSize = 56;

uint64_t le(const std::vector<uint8_t> &f, size_t at, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= uint64_t(f[at + i]) << (8 * i);
    return v;
}

const char *type_name(uint64_t t)
{
    switch (t) {
    case 0:
        return "ET_NONE";
    case 1:
        return "ET_REL, an object file";
    case kEtDyn:
        return "ET_DYN, a shared object or position-independent executable";
    case 4:
        return "ET_CORE, a core file";
    default:
        return "unknown";
    }
}

} // namespace

bool parse_elf_image(const std::string &name, const std::vector<uint8_t> &f, ElfImage &image,
                     std::string &error)
{
    auto fail = [&](const std::string &what) {
        error = name + ": " + what;
        return false;
    };
    image = ElfImage{};
    if (f.size() < 4 || f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
        return fail("not an ELF file (no \\x7fELF magic)");
    if (f.size() < 16)
        return fail("truncated ELF header (" + std::to_string(f.size()) + " bytes)");
    if (f[4] != kClass64)
        return fail(
            fmt("not a 64-bit ELF file (EI_CLASS %u%s)", f[4], f[4] == 1 ? ", ELFCLASS32" : ""));
    if (f[5] != kData2Lsb)
        return fail(
            fmt("not little-endian (EI_DATA %u%s)", f[5], f[5] == 2 ? ", ELFDATA2MSB" : ""));
    if (f[6] != kEvCurrent)
        return fail(fmt("unknown ELF version (EI_VERSION %u)", f[6]));
    if (f.size() < kEhdrSize)
        return fail("truncated ELF header (" + std::to_string(f.size()) + " of 64 bytes)");
    uint64_t type = le(f, 16, 2), machine = le(f, 18, 2);
    if (machine != kEmAarch64)
        return fail(fmt("not an AArch64 file (e_machine %llu, expected 183 EM_AARCH64)",
                        (unsigned long long)machine));
    if (type != kEtExec)
        return fail(fmt("not an executable (e_type %llu, %s; expected ET_EXEC)",
                        (unsigned long long)type, type_name(type)));
    image.entry = le(f, 24, 8);
    uint64_t phoff = le(f, 32, 8), phentsize = le(f, 54, 2), phnum = le(f, 56, 2);
    if (phnum == 0)
        return fail("no program headers (e_phnum 0): nothing to load");
    if (phnum == 0xFFFF)
        return fail("e_phnum is PN_XNUM (65535 or more program headers): not supported");
    if (phentsize != kPhdrSize)
        return fail(fmt("program header entries of %llu bytes (e_phentsize), expected 56",
                        (unsigned long long)phentsize));
    if (phoff > f.size() || phnum * kPhdrSize > f.size() - phoff)
        return fail(fmt("truncated program header table (%llu entries at offset %s, file of %zu "
                        "bytes)",
                        (unsigned long long)phnum, hex(phoff).c_str(), f.size()));
    for (uint64_t i = 0; i < phnum; i++) {
        size_t at = size_t(phoff + i * kPhdrSize);
        uint32_t p_type = uint32_t(le(f, at, 4)), p_flags = uint32_t(le(f, at + 4, 4));
        uint64_t offset = le(f, at + 8, 8), vaddr = le(f, at + 16, 8);
        uint64_t filesz = le(f, at + 32, 8), memsz = le(f, at + 40, 8);
        std::string which = "program header " + std::to_string(i);
        if (p_type == kPtInterp)
            return fail(which + " is PT_INTERP: a dynamically linked program, not a static one");
        if (p_type == kPtDynamic)
            return fail(which + " is PT_DYNAMIC: a dynamically linked program, not a static one");
        if (p_type != kPtLoad)
            continue;
        which += " (PT_LOAD at " + hex(vaddr) + ")";
        if (filesz > memsz)
            return fail(which + ": p_filesz " + hex(filesz) + " is larger than p_memsz " +
                        hex(memsz));
        if (offset > f.size() || filesz > f.size() - offset)
            return fail(which + ": truncated segment data (" + hex(filesz) + " bytes at offset " +
                        hex(offset) + ", file of " + hex(f.size()) + " bytes)");
        if (memsz && vaddr + memsz - 1 < vaddr)
            return fail(which + ": wraps around the address space (p_memsz " + hex(memsz) + ")");
        ElfSegment s;
        s.vaddr = vaddr, s.memsz = memsz, s.filesz = filesz;
        s.read = p_flags & kPfR, s.write = p_flags & kPfW, s.exec = p_flags & kPfX;
        s.bytes.assign(f.begin() + long(offset), f.begin() + long(offset + filesz));
        for (size_t j = 0; j < image.segments.size(); j++) {
            const ElfSegment &o = image.segments[j];
            if (memsz && o.memsz && vaddr < o.vaddr + o.memsz && o.vaddr < vaddr + memsz)
                return fail(which + " overlaps the PT_LOAD at " + hex(o.vaddr) + " (" +
                            hex(o.vaddr) + ".." + hex(o.vaddr + o.memsz) + ")");
        }
        image.segments.push_back(std::move(s));
    }
    if (image.segments.empty())
        return fail("no PT_LOAD segment: nothing to load");
    bool entry_ok = std::any_of(image.segments.begin(), image.segments.end(),
                                [&](auto &s) { return s.exec && image.entry - s.vaddr < s.memsz; });
    if (!entry_ok)
        return fail("the entry point " + hex(image.entry) + " is in no executable PT_LOAD segment");
    return true;
}

bool read_elf_image(const std::string &path, ElfImage &image, std::string &error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    if (in.bad()) {
        error = path + ": cannot read: " + std::strerror(errno);
        return false;
    }
    return parse_elf_image(path, bytes, image, error);
}

} // namespace rmesim
