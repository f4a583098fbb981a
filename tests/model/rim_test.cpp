// The RIM of a realm built from an ELF image (scenarios/images/hello.elf, which prints its RIM
// with RSI_MEASUREMENT_READ): one byte of the image changes it, and it is the RIM this test
// computes on its own, re-implementing RMM 1.0's measurement (A7.1, B4.3.9.4, B4.3.1.4,
// B4.3.12.4, B4.3.18.4) over the RMI calls the host made (read from the event log) and the
// ELF's segments (read here, not by the model's loader).
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "json_reader.hpp"
#include "run_scenario.hpp"

namespace
{

using Bytes = std::vector<uint8_t>;
constexpr uint64_t kPage = 4096;

Bytes sha256(const Bytes &data)
{
    Bytes out(32);
    unsigned len = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
    return out;
}

void put64(Bytes &b, size_t at, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[at + i] = uint8_t(v >> (8 * i));
}

uint64_t get(const Bytes &b, size_t at, int size)
{
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        v |= uint64_t(b.at(at + i)) << (8 * i);
    return v;
}

// The realm's memory as the ELF's PT_LOAD segments lay it out (file bytes, zeros to memsz),
// page by page, and its entry point. ELF64: e_entry 0x18, e_phoff 0x20, e_phentsize 0x36,
// e_phnum 0x38; a program header's p_type 0x0, p_offset 0x8, p_vaddr 0x10, p_filesz 0x20.
struct Image {
    uint64_t entry = 0;
    std::map<uint64_t, Bytes> pages;
    Bytes page(uint64_t ipa) const
    {
        auto it = pages.find(ipa);
        return it == pages.end() ? Bytes(kPage, 0) : it->second;
    }
};

Image read_image(const Bytes &elf)
{
    Image im;
    im.entry = get(elf, 0x18, 8);
    uint64_t phoff = get(elf, 0x20, 8), phentsize = get(elf, 0x36, 2), phnum = get(elf, 0x38, 2);
    for (uint64_t i = 0; i < phnum; i++) {
        size_t ph = size_t(phoff + i * phentsize);
        if (get(elf, ph, 4) != 1) /* PT_LOAD */
            continue;
        uint64_t off = get(elf, ph + 0x8, 8), vaddr = get(elf, ph + 0x10, 8);
        uint64_t filesz = get(elf, ph + 0x20, 8);
        for (uint64_t k = 0; k < filesz; k++) {
            Bytes &p = im.pages[(vaddr + k) & ~(kPage - 1)];
            p.resize(kPage, 0);
            p[(vaddr + k) & (kPage - 1)] = elf.at(size_t(off + k));
        }
    }
    return im;
}

// A7.1.1: a measurement descriptor is 0x100 bytes: desc_type [0], len [0x8] = 0x100, the RIM
// so far [0x10, 64 bytes: a SHA-256 one in its first 32], then the type's fields; the new RIM is
// the hash of the descriptor
struct Rim {
    Bytes value = Bytes(32, 0);
    void extend(uint8_t type, const std::map<size_t, uint64_t> &fields, const Bytes *hash_at_50,
                const Bytes *hash_at_60)
    {
        Bytes d(0x100, 0);
        d[0] = type;
        put64(d, 0x8, 0x100);
        std::copy(value.begin(), value.end(), d.begin() + 0x10);
        for (const auto &[at, v] : fields)
            put64(d, at, v);
        if (hash_at_50)
            std::copy(hash_at_50->begin(), hash_at_50->end(), d.begin() + 0x50);
        if (hash_at_60)
            std::copy(hash_at_60->begin(), hash_at_60->end(), d.begin() + 0x60);
        value = sha256(d);
    }
};

uint64_t num(const JsonValue &v)
{
    return std::stoull(v.text, nullptr, 0);
}

struct PayloadRun {
    std::vector<JsonValue> build; /* the successful RMI calls that built r0, in order */
    std::string output;           /* the payload's UART output */
};

// Runs the payload from `elf` to its SYSTEM_OFF with the event log on
PayloadRun run_payload(const std::string &name, const std::string &elf)
{
    std::string yaml = "scenario: " + name +
                       "\nplatform:\n  pa_bits: 40\n  memory:\n"
                       "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                       "  devices:\n    - { name: uart0, model: pl011, base: 0x10_0000 }\n"
                       "realms:\n  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, "
                       "size: 16M }, image: " +
                       elf +
                       " }\nsteps:\n  - { id: all, on: r0.vcpu0, run: { instructions: 100000 } }\n";
    std::string log = test_dir() + name + ".jsonl";
    Ran r = run_scenario(name, yaml, "--quiet --log " + log);
    EXPECT_EQ(r.status, 0) << r.output;
    PayloadRun out;
    std::istringstream lines(slurp(log));
    for (std::string line; std::getline(lines, line);) {
        bool ok = false;
        JsonValue v = JsonReader::parse(line, ok);
        EXPECT_TRUE(ok) << line;
        if (v["record"].text == "call" && v["step"].text == "r0.build" &&
            v["status"].text == "SUCCESS")
            out.build.push_back(v);
        if (v["record"].text == "step" && v["step"].text == "all")
            out.output = v["output"].text;
    }
    return out;
}

// The RIM the payload printed ("RIM <hex>\n")
std::string printed_rim(const PayloadRun &run)
{
    size_t at = run.output.find("RIM ");
    EXPECT_NE(at, std::string::npos) << run.output;
    return at == std::string::npos ? "" : run.output.substr(at + 4, 64);
}

std::string hex(const Bytes &b)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (uint8_t c : b)
        s += {digits[c >> 4], digits[c & 0xF]};
    return s;
}

// The RIM of the calls in `run` over `image`, as RMM 1.0 defines it
std::string computed_rim(const PayloadRun &run, const Image &image)
{
    Rim rim;
    /* the RTTs the host created (RTT_CREATE ipa, level): the RTT that holds an IPA's entry
     * decides the entry's size, which a RIPAS descriptor covers */
    std::map<int, std::vector<uint64_t>> rtts;
    unsigned extended = 0;
    for (const JsonValue &c : run.build) {
        const std::string &call = c["call"].text;
        const JsonValue &a = c["args"];
        if (call == "RMI_RTT_CREATE") {
            rtts[int(num(a["level"]))].push_back(num(a["ipa"]));
        } else if (call == "RMI_REALM_CREATE") {
            /* B4.3.9.4: the RIM starts as the hash of RmiRealmParams (B4.4.12) with only the
             * measured fields kept: flags [0x0] = 0, s2sz [0x8] = 40, sve_vl [0x10] = 0,
             * num_bps [0x18], num_wps [0x20] (KVM copies RMI_FEATURES register 0's: 5 and 3
             * for this RMM), pmu_num_ctrs [0x28] = 0, hash_algo [0x30] = SHA-256 (0) */
            Bytes params(kPage, 0);
            params[0x8] = 40;
            params[0x18] = 5;
            params[0x20] = 3;
            rim.value = sha256(params);
            extended++;
        } else if (call == "RMI_DATA_CREATE") {
            /* B4.3.1.4, A7.1.2: type 0, ipa [0x50], flags [0x58], the content's hash [0x60]
             * when RMI_MEASURE_CONTENT (flags bit 0) */
            uint64_t ipa = num(a["ipa"]), flags = num(a["flags"]);
            Bytes content = sha256(image.page(ipa));
            rim.extend(0, {{0x50, ipa}, {0x58, flags}}, nullptr, flags & 1 ? &content : nullptr);
            extended++;
        } else if (call == "RMI_REC_CREATE") {
            /* B4.3.12.4, A7.1.3: type 1, the hash of RmiRecParams (B4.4.15) with flags [0x0]
             * (RUNNABLE for the boot vCPU), pc [0x200] = the ELF's entry and gprs [0x300..]
             * = 0 kept, at [0x50] */
            Bytes params(kPage, 0);
            put64(params, 0x0, 1);
            put64(params, 0x200, image.entry);
            Bytes h = sha256(params);
            rim.extend(1, {}, &h, nullptr);
            extended++;
        } else if (call == "RMI_RTT_INIT_RIPAS") {
            /* B4.3.18.4, A7.1.4: type 2, base [0x50], top [0x58], one descriptor per RTT entry
             * the call made RAM (TF-RMM runtime/rmi/rtt.c smc_rtt_init_ripas() calls
             * ripas_granule_measure(rd, addr, next) per entry): from base, the entries of the
             * deepest RTT holding base that lie wholly below top, up to that RTT's end */
            uint64_t at = num(a["base"]), top = num(a["top"]);
            int level = 3;
            uint64_t table_span = 0;
            for (; level >= 1; level--) {
                table_span = 1ull << (12 + 9 * (4 - level));
                bool held = false;
                for (uint64_t base : rtts[level])
                    held = held || (at >= base && at < base + table_span);
                if (held)
                    break;
            }
            if (level < 1) {
                ADD_FAILURE() << "no RTT holds " << at;
                return "";
            }
            uint64_t size = table_span / 512, end = (at & ~(table_span - 1)) + table_span;
            for (; at < end && at + size <= top; at += size) {
                rim.extend(2, {{0x50, at}, {0x58, at + size}}, nullptr, nullptr);
                extended++;
            }
        }
    }
    EXPECT_GT(extended, 3u);
    return hex(rim.value);
}

Bytes read_bytes(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(f), {});
}

const std::string kHello = std::string(SCENARIOS_DIR) + "/images/hello.elf";

// hello.elf with one byte of its message ("hello from the realm") changed
std::string changed_image()
{
    Bytes elf = read_bytes(kHello);
    std::string text(elf.begin(), elf.end());
    size_t at = text.find("hello from the realm");
    EXPECT_NE(at, std::string::npos);
    if (at != std::string::npos)
        elf[at] = 'H';
    std::string path = test_dir() + "hello-changed.elf";
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char *>(elf.data()), std::streamsize(elf.size()));
    return path;
}

TEST(Rim, OneByteOfTheImageChangesIt)
{
    std::string a = printed_rim(run_payload("rim-hello", kHello));
    std::string b = printed_rim(run_payload("rim-changed", changed_image()));
    ASSERT_EQ(a.size(), 64u);
    ASSERT_EQ(b.size(), 64u);
    EXPECT_NE(a, b);
}

TEST(Rim, IsRmm10sMeasurementOfTheImage)
{
    for (const std::string &elf : {kHello, changed_image()}) {
        PayloadRun run = run_payload("rim-computed", elf);
        EXPECT_EQ(printed_rim(run), computed_rim(run, read_image(read_bytes(elf)))) << elf;
    }
}

// The computation notices what the RIM covers: the same calls over another image's bytes
// give another RIM
TEST(Rim, ComputedFromTheBytesTheHostLoaded)
{
    PayloadRun run = run_payload("rim-other-bytes", kHello);
    EXPECT_NE(printed_rim(run), computed_rim(run, read_image(read_bytes(changed_image()))));
}

} // namespace
