// The malformed-scenario corpus: every file names its exact diagnostic on its first line.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
#include "scenario/scenario.h"
}

namespace
{

std::vector<std::string> yaml_files(const std::string &dir)
{
    std::vector<std::string> out;
    DIR *d = opendir(dir.c_str());
    if (!d)
        return out;
    while (dirent *e = readdir(d)) {
        std::string n = e->d_name;
        if (n.size() > 5 && n.compare(n.size() - 5, 5, ".yaml") == 0)
            out.push_back(dir + "/" + n);
    }
    closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(BadScenarios, EachGivesItsExactMessage)
{
    auto files = yaml_files(BAD_SCENARIOS_DIR);
    ASSERT_GE(files.size(), 40u);
    for (const auto &f : files) {
        std::ifstream in(f);
        std::string first;
        std::getline(in, first);
        ASSERT_EQ(first.rfind("# error: ", 0), 0u) << f;
        scenario_diag diag;
        scenario *s = scenario_load(f.c_str(), &diag);
        EXPECT_EQ(s, nullptr) << f;
        scenario_free(s);
        EXPECT_EQ(std::string(diag.text), f + ":" + first.substr(9)) << f;
        EXPECT_GT(diag.line, 0);
        EXPECT_GT(diag.column, 0);
    }
}

// The messages docs/scenarios.md quotes from the corpus (the first block under "Errors") are the
// corpus files' own.
TEST(BadScenarios, DocumentedMessagesAreTheCorpusOwn)
{
    std::istringstream doc(slurp(DOCS_DIR "/scenarios.md"));
    std::string line;
    bool in_errors = false, in_block = false;
    unsigned quoted = 0;
    while (std::getline(doc, line)) {
        if (line.rfind("## ", 0) == 0) {
            in_errors = line == "## Errors";
        } else if (in_errors && line.rfind("```", 0) == 0) {
            if (in_block)
                break; /* the next block shows failed expectations, not the corpus */
            in_block = true;
        } else if (in_block) {
            size_t colon = line.find(".yaml:");
            ASSERT_NE(colon, std::string::npos) << line;
            std::string file = std::string(BAD_SCENARIOS_DIR) + "/" + line.substr(0, colon + 5);
            std::ifstream in(file);
            std::string first;
            ASSERT_TRUE(std::getline(in, first)) << file;
            EXPECT_EQ("# error: " + line.substr(colon + 6), first) << file;
            quoted++;
        }
    }
    EXPECT_GE(quoted, 8u);
}

TEST(GoodScenarios, EveryShippedScenarioLoads)
{
    std::vector<std::string> files;
    for (const char *sub : {"", "/gpc", "/mmu", "/rmm"}) {
        auto more = yaml_files(std::string(SCENARIOS_DIR) + sub);
        files.insert(files.end(), more.begin(), more.end());
    }
    ASSERT_GE(files.size(), 2u);
    for (const auto &f : files) {
        scenario_diag diag;
        scenario *s = scenario_load(f.c_str(), &diag);
        EXPECT_NE(s, nullptr) << diag.text;
        scenario_free(s);
    }
}

// The loader never crashes on damaged input: every prefix of every shipped scenario, and a
// byte-flipped copy, gives either a scenario or a diagnostic.
TEST(GoodScenarios, TruncatedAndMutatedInputNeverCrashes)
{
    auto files = yaml_files(std::string(SCENARIOS_DIR) + "/gpc");
    files.push_back(std::string(SCENARIOS_DIR) + "/uart-mmio.yaml");
    unsigned diagnostics = 0;
    for (const auto &f : files) {
        std::string text = slurp(f);
        for (size_t len = 0; len < text.size(); len += 7) {
            std::string cut = text.substr(0, len);
            scenario_diag diag;
            scenario *s = scenario_parse_string(cut.c_str(), "cut.yaml", &diag);
            if (!s) {
                diagnostics++;
                EXPECT_EQ(std::string(diag.text).rfind("cut.yaml:", 0), 0u);
            }
            scenario_free(s);
        }
        for (size_t i = 0; i < text.size(); i += 13) {
            std::string flipped = text;
            flipped[i] = char(flipped[i] ^ 0x5A);
            scenario_diag diag;
            scenario *s = scenario_parse_string(flipped.c_str(), "flip.yaml", &diag);
            scenario_free(s);
        }
    }
    EXPECT_GT(diagnostics, 10u);
}

} // namespace
