// check_disasm() (a64_disasm_check.hpp): one object file of `.inst` words, one objdump run.
#include "a64_disasm_check.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

extern "C" {
#include "cpu/a64_decode.h"
#include "cpu/a64_disasm.h"
}

namespace a64test
{

bool comparable(uint32_t w)
{
    a64_insn i;
    if (!a64_decode(w, &i))
        return false;
    return !((i.op == A64_OP_MRS || i.op == A64_OP_MSR) && !a64_sysreg_name((unsigned)i.imm));
}

std::vector<uint32_t> random_valid_words(uint64_t seed, size_t count)
{
    std::mt19937_64 rng(seed);
    std::vector<uint32_t> words;
    while (words.size() < count) {
        uint32_t w = (uint32_t)rng();
        if (comparable(w))
            words.push_back(w);
    }
    return words;
}

// Compare an objdump -d listing read from p with a64_disasm(), line by line.
static void compare_listing(FILE *p, DisasmTotals &t)
{
    char line[512];
    while (p && fgets(line, sizeof line, p)) {
        std::string l(line);
        if (!l.empty() && l.back() == '\n')
            l.pop_back();
        // "   4:\t9100d79b \tadd\tx27, x28, #0x35"
        size_t colon = l.find(":\t");
        if (colon == std::string::npos || l.find_first_not_of(" 0123456789abcdef") != colon)
            continue;
        size_t text = l.find(" \t", colon);
        if (text == std::string::npos)
            continue;
        uint64_t pc = std::strtoull(l.c_str(), nullptr, 16);
        uint32_t word = (uint32_t)std::strtoul(l.c_str() + colon + 2, nullptr, 16);
        std::string want = l.substr(text + 2);
        size_t sym = want.find(" <");
        if (sym != std::string::npos) {
            size_t end = want.find('>', sym);
            want.erase(sym, end == std::string::npos ? std::string::npos : end - sym + 1);
        }
        while (!want.empty() && want.back() == ' ')
            want.pop_back();
        char got[160];
        a64_disasm(word, pc, got, sizeof got);
        t.compared++;
        if (want != got) {
            t.mismatches++;
            if (t.first.size() < 40) {
                char w[16];
                std::snprintf(w, sizeof w, "%08x", word);
                t.first.push_back(std::string(w) + ": objdump '" + want + "' rmesim '" + got + "'");
            }
        }
    }
}

// Compare objdump -d of an object file with a64_disasm(); `expected` (when not null) is the
// number of instruction lines there must be.
static DisasmTotals compare_objdump(const std::string &object, const size_t *expected)
{
    DisasmTotals t;
    std::string cmd = "aarch64-linux-gnu-objdump -d " + object;
    FILE *p = popen(cmd.c_str(), "r");
    compare_listing(p, t);
    int status = p ? pclose(p) : -1;
    if (status != 0 || (expected && t.compared != *expected))
        t.error = "objdump -d " + object + " gave " + std::to_string(t.compared) +
                  " instructions (status " + std::to_string(status) + ")";
    return t;
}

DisasmTotals check_object(const std::string &object)
{
    return compare_objdump(object, nullptr);
}

DisasmTotals check_listing(const std::string &listing)
{
    DisasmTotals t;
    FILE *f = std::fopen(listing.c_str(), "r");
    if (!f) {
        t.error = "cannot read " + listing;
        return t;
    }
    compare_listing(f, t);
    std::fclose(f);
    if (t.compared == 0)
        t.error = listing + " has no instruction lines";
    return t;
}

DisasmTotals check_disasm(const std::vector<uint32_t> &words)
{
    DisasmTotals t;
    char tmpl[] = "/tmp/rmesim-a64dis-XXXXXX";
    if (!mkdtemp(tmpl)) {
        t.error = "cannot create a temporary directory";
        return t;
    }
    std::filesystem::path dir(tmpl);
    {
        std::ofstream f(dir / "w.s");
        f << std::hex;
        for (uint32_t w : words)
            f << "\t.inst 0x" << w << "\n";
    }
    std::string as =
        "aarch64-linux-gnu-as -o " + (dir / "w.o").string() + " " + (dir / "w.s").string();
    if (std::system(as.c_str()) != 0) {
        t.error = "aarch64-linux-gnu-as failed on " + (dir / "w.s").string();
        return t;
    }
    size_t n = words.size();
    t = compare_objdump((dir / "w.o").string(), &n);
    if (t.error.empty())
        std::filesystem::remove_all(dir);
    return t;
}

} // namespace a64test
