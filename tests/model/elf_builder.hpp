// A static AArch64 executable as GNU ld lays one out, made in memory for tests: the ELF header,
// one program header per segment, each segment's bytes at its own 4 KiB-aligned file offset.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

struct TestSegment {
    uint64_t vaddr;
    uint32_t flags; // PF_X 1, PF_W 2, PF_R 4
    std::vector<uint8_t> bytes;
    uint64_t memsz; // 0: as many as bytes
};

inline void put_le(std::vector<uint8_t> &f, size_t at, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        f[at + i] = uint8_t(v >> (8 * i));
}

// Segment i's bytes are at file offset 0x1000 * (i + 1).
inline std::vector<uint8_t> build_elf(uint64_t entry, const std::vector<TestSegment> &segments)
{
    std::vector<uint8_t> f(0x1000 * segments.size(), 0);
    const uint8_t ident[] = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0};
    std::memcpy(f.data(), ident, sizeof(ident));
    put_le(f, 16, 2, 2);   /* ET_EXEC */
    put_le(f, 18, 183, 2); /* EM_AARCH64 */
    put_le(f, 20, 1, 4);   /* e_version */
    put_le(f, 24, entry, 8);
    put_le(f, 32, 64, 8); /* e_phoff */
    put_le(f, 52, 64, 2); /* e_ehsize */
    put_le(f, 54, 56, 2); /* e_phentsize */
    put_le(f, 56, segments.size(), 2);
    for (size_t i = 0; i < segments.size(); i++) {
        const TestSegment &s = segments[i];
        size_t ph = 64 + 56 * i, offset = 0x1000 * (i + 1);
        put_le(f, ph, 1, 4); /* PT_LOAD */
        put_le(f, ph + 4, s.flags, 4);
        put_le(f, ph + 8, offset, 8);
        put_le(f, ph + 16, s.vaddr, 8);
        put_le(f, ph + 24, s.vaddr, 8); /* p_paddr */
        put_le(f, ph + 32, s.bytes.size(), 8);
        put_le(f, ph + 40, s.memsz ? s.memsz : s.bytes.size(), 8);
        put_le(f, ph + 48, 0x1000, 8); /* p_align */
        f.resize(offset);
        f.insert(f.end(), s.bytes.begin(), s.bytes.end());
    }
    return f;
}

// Instruction words as the bytes of a text segment.
inline std::vector<uint8_t> words(const std::vector<uint32_t> &insns)
{
    std::vector<uint8_t> b(insns.size() * 4);
    for (size_t i = 0; i < insns.size(); i++)
        put_le(b, 4 * i, insns[i], 4);
    return b;
}
