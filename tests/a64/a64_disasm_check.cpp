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
    std::string cmd = "aarch64-linux-gnu-as -o " + (dir / "w.o").string() + " " +
                      (dir / "w.s").string() + " && aarch64-linux-gnu-objdump -d " +
                      (dir / "w.o").string();
    FILE *p = popen(cmd.c_str(), "r");
    char line[512];
    size_t k = 0;
    while (p && fgets(line, sizeof line, p)) {
        std::string l(line);
        if (!l.empty() && l.back() == '\n')
            l.pop_back();
        // "   4:\t9100d79b \tadd\tx27, x28, #0x35"
        size_t colon = l.find(":\t");
        if (colon == std::string::npos || l.find_first_not_of(" 0123456789abcdef") != colon)
            continue;
        size_t text = l.find(" \t", colon);
        if (text == std::string::npos || k >= words.size())
            continue;
        std::string want = l.substr(text + 2);
        size_t sym = want.find(" <");
        if (sym != std::string::npos) {
            size_t end = want.find('>', sym);
            want.erase(sym, end == std::string::npos ? std::string::npos : end - sym + 1);
        }
        while (!want.empty() && want.back() == ' ')
            want.pop_back();
        uint64_t pc = 4 * k;
        char got[160];
        a64_disasm(words[k], pc, got, sizeof got);
        t.compared++;
        if (want != got) {
            t.mismatches++;
            if (t.first.size() < 400) {
                char w[16];
                std::snprintf(w, sizeof w, "%08x", words[k]);
                t.first.push_back(std::string(w) + ": objdump '" + want + "' rmesim '" + got + "'");
            }
        }
        k++;
    }
    int status = p ? pclose(p) : -1;
    if (status != 0 || k != words.size())
        t.error = "objdump gave " + std::to_string(k) + " lines for " +
                  std::to_string(words.size()) + " words (status " + std::to_string(status) + ")";
    else
        std::filesystem::remove_all(dir);
    return t;
}

} // namespace a64test
