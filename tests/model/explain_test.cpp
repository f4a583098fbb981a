// `rmesim explain` decodes what it shows: the reference store's descriptors (the RMM's
// UNASSIGNED_NS entry), its syndrome, GPFs and GPC exceptions by name, the GPC's GPT reads, times
// in ns; and --json says the same as one document.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "json_reader.hpp"
#include "vcd_reader.hpp"

namespace
{

struct Ran {
    int status;
    std::string out, err;
};

Ran rmesim(const std::string &args)
{
    std::string out = test_dir() + "explain.out", err = test_dir() + "explain.err";
    int rc =
        std::system((std::string(RMESIM_BIN) + " " + args + " > " + out + " 2> " + err).c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
}

const std::string kDir = SCENARIOS_DIR;

// The line after the first that contains `marker`.
std::string line_after(const std::string &text, const std::string &marker)
{
    size_t at = text.find(marker);
    if (at == std::string::npos)
        return "";
    size_t start = text.find('\n', at) + 1, end = text.find('\n', start);
    return text.substr(start, end - start);
}

TEST(Explain, TheReferenceStoresWalkAndAbortDecoded)
{
    Ran r = rmesim("explain " + kDir + "/uart-mmio.yaml --step write");
    ASSERT_EQ(r.status, 0) << r.out;
    // the level-1 RTT entry: invalid, NS set, the RMM's UNASSIGNED_NS; read in 132 cycles at 2 GHz
    EXPECT_NE(r.out.find("s2 L1    descriptor at PA 0xbfffb000 (realm PAS): 0x80000000000000  "
                         "[132 cycles = 66 ns]"),
              std::string::npos)
        << r.out;
    EXPECT_NE(
        line_after(r.out, "0x80000000000000  [").find("invalid, NS 1; RTT entry UNASSIGNED_NS"),
        std::string::npos)
        << r.out;
    // the stage-1 leaf and a stage-2 page by their fields
    EXPECT_NE(r.out.find("page: OA 0x8000100000, AttrIndx 2, NS 0, AP rw-priv, SH non-shareable, "
                         "AF 1, nG 0, PXN 1, UXN 1"),
              std::string::npos);
    EXPECT_NE(r.out.find("page: OA 0xbffd0000, MemAttr 0x6, S2AP rw, SH inner, AF 1, XN 0, NS 0, "
                         "contiguous 0; RTT entry ASSIGNED, RIPAS RAM"),
              std::string::npos);
    std::string esr = line_after(r.out, "ESR_EL2 0x93020045");
    EXPECT_NE(esr.find("EC 0x24 (Data Abort from a lower Exception level), IL 1, ISV 1 (SAS byte, "
                       "SSE 0, SRT 2, SF 0, AR 0)"),
              std::string::npos)
        << esr;
    EXPECT_NE(esr.find("S1PTW 0, WnR 1, DFSC 0x05 (translation fault, level 1)"), std::string::npos)
        << esr;
    EXPECT_NE(r.out.find("cycles    TLB 4, stage-1 walk 22, stage-2 walk 158, GPC 18, memory 0: "
                         "202 cycles = 101 ns"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("cycles 1469231..1484161 (14930 cycles = 7465 ns)"), std::string::npos);
}

TEST(Explain, GpfsByNameWithTheGptReadsThatFoundThem)
{
    Ran r = rmesim("explain " + kDir + "/gpc/host-load-from-realm-granule.yaml --step host-load");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("GPT L1 0xc0200100 = 0x9999999999b99999 (GPI slot 5) -> GPI realm -> gpf"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("DFSC 0x28 (GPF on output)"), std::string::npos) << r.out;
    Ran el3 = rmesim("explain " + kDir + "/gpc/gpt-walk-fault.yaml --all");
    ASSERT_EQ(el3.status, 0);
    EXPECT_NE(el3.out.find("EC 0x1e (Granule Protection Check exception), IL 1, S2PTW 0, InD 0, "
                           "GPCSC 0x05 (GPT walk fault, level 1)"),
              std::string::npos)
        << el3.out;
    EXPECT_NE(el3.out.find("(contiguous) -> GPI ns [GPC 262 cycles = 131 ns]"), std::string::npos);
}

TEST(Explain, JsonSaysTheSameDecoded)
{
    Ran r = rmesim("explain " + kDir + "/uart-mmio.yaml --step write --json");
    ASSERT_EQ(r.status, 0) << r.out;
    bool ok = false;
    JsonValue doc = JsonReader::parse(r.out, ok);
    ASSERT_TRUE(ok) << r.out;
    EXPECT_EQ(doc["clock_mhz"].number, 2000);
    ASSERT_EQ(doc["steps"].items.size(), 1u);
    const JsonValue &step = doc["steps"][0];
    EXPECT_EQ(step["id"].text, "write");
    EXPECT_EQ(step["duration"]["cycles"].number, 14930);
    EXPECT_EQ(step["duration"]["ns"].number, 7465);
    EXPECT_EQ(step["observed"]["cycles"].number, 14930);          /* counts are numbers */
    EXPECT_EQ(step["observed"]["va"].text, "0xffff800000100000"); /* addresses hex strings */
    const JsonValue &access = step["records"][0];
    EXPECT_EQ(access["record"].text, "access");
    ASSERT_EQ(access["fetches"].items.size(), 9u);
    const JsonValue &l1 = access["fetches"][8];
    EXPECT_EQ(l1["stage"].number, 2);
    EXPECT_EQ(l1["level"].number, 1);
    EXPECT_EQ(l1["desc"].text, "0x80000000000000");
    EXPECT_EQ(l1["decoded"]["kind"].text, "invalid");
    EXPECT_TRUE(l1["decoded"]["ns"].flag);
    EXPECT_EQ(l1["rtt"]["state"].text, "UNASSIGNED_NS");
    EXPECT_EQ(l1["total"]["cycles"].number, 132);
    EXPECT_TRUE(l1["gpc"]["cache_hit"].flag);
    const JsonValue &leaf = access["fetches"][7];
    EXPECT_EQ(leaf["decoded"]["oa"].text, "0x8000100000");
    EXPECT_TRUE(leaf["decoded"]["uxn"].flag);
    const JsonValue &esr = access["esr"];
    EXPECT_EQ(esr["value"].text, "0x93020045");
    EXPECT_EQ(esr["ec"].number, 0x24);
    EXPECT_TRUE(esr["isv"].flag);
    EXPECT_EQ(esr["srt"].number, 2);
    EXPECT_TRUE(esr["wnr"].flag);
    EXPECT_EQ(esr["fsc_name"].text, "translation fault, level 1");
    const JsonValue &c = access["cycles"];
    EXPECT_EQ(c["tlb"].number + c["s1_walk"].number + c["s2_walk"].number + c["gpc"].number +
                  c["memory"].number,
              c["total"].number);
    // the text's lines are in the document too
    bool told = false;
    for (const JsonValue &line : step["lines"].items)
        told = told || line.text.find("RTT entry UNASSIGNED_NS") != std::string::npos;
    EXPECT_TRUE(told);
}

TEST(Explain, AllIsAllStepsAndJsonOnlyWhereItMeansSomething)
{
    Ran all = rmesim("explain " + kDir + "/uart-mmio.yaml --all");
    Ran steps = rmesim("explain " + kDir + "/uart-mmio.yaml --all-steps");
    EXPECT_EQ(all.status, 0);
    EXPECT_EQ(all.out, steps.out);
    EXPECT_NE(all.out.find("step r0.build:"), std::string::npos);
    Ran bare = rmesim("explain " + kDir + "/uart-mmio.yaml --json");
    EXPECT_EQ(bare.status, 2);
    EXPECT_NE(bare.err.find("explain --json needs --step ID or --all-steps"), std::string::npos)
        << bare.err;
    for (const char *option : {" --json", " --all", " --step write"}) {
        Ran run = rmesim("run " + kDir + "/uart-mmio.yaml" + option);
        EXPECT_EQ(run.status, 2) << option;
        EXPECT_NE(run.err.find(": run does not explain steps"), std::string::npos) << run.err;
        EXPECT_NE(run.err.find("is an option of explain"), std::string::npos) << run.err;
    }
}

} // namespace
