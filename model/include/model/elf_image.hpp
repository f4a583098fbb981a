// An AArch64 executable as a loader sees it (ELF64 little-endian, EM_AARCH64, ET_EXEC): its entry
// point and its PT_LOAD segments with their bytes. Every check a bad image needs is made here,
// before anything is loaded, each failure a sentence naming the file and the problem. The System
// V ABI's gABI (ELF header, program header) and the AArch64 ELF ABI (EM_AARCH64 = 183) define
// the fields; a segment's bytes past p_filesz up to p_memsz are zeros (.bss).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rmesim
{

struct ElfSegment {
    uint64_t vaddr = 0, memsz = 0, filesz = 0;
    bool read = false, write = false, exec = false; // p_flags PF_R, PF_W, PF_X
    std::vector<uint8_t> bytes;                     // the p_filesz bytes from the file
};

struct ElfImage {
    uint64_t entry = 0;
    std::vector<ElfSegment> segments; // PT_LOAD, in the file's order (sorted by vaddr: gABI)
};

// Reads and checks `path`. False with `error` = "PATH: problem" (not an ELF file, not 64-bit,
// not little-endian, not AArch64, not an executable, a truncated header, program header table
// or segment, p_filesz > p_memsz, overlapping segments, no PT_LOAD, an interpreter or dynamic
// section, an entry point outside every executable segment).
bool read_elf_image(const std::string &path, ElfImage &image, std::string &error);

// The same checks on an image already in memory; `name` is what the errors call it.
bool parse_elf_image(const std::string &name, const std::vector<uint8_t> &file, ElfImage &image,
                     std::string &error);

} // namespace rmesim
