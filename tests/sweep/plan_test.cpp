// A sweep file's plan (model/src/sweep_file.cpp, sweep_plan.cpp): grid x zip, then points, with
// `set:` under each; scenarios globbed and sorted; point ids; and every mistake refused with its
// file, line and column.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "model/sweep_plan.hpp"

using namespace rmesim::sweep;

namespace
{

// A directory with scenario files a.yaml, b.yaml and sub/c.yaml (their content is not read).
class PlanTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        char tmpl[] = "/tmp/sweep-plan-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        ASSERT_EQ(mkdir((dir_ + "/sub").c_str(), 0755), 0);
        for (const char *f : {"b.yaml", "a.yaml", "sub/c.yaml", "notes.txt"})
            std::ofstream(dir_ + "/" + f) << "scenario: x\n";
    }
    void TearDown() override
    {
        for (const char *f : {"b.yaml", "a.yaml", "sub/c.yaml", "notes.txt"})
            unlink((dir_ + "/" + f).c_str());
        rmdir((dir_ + "/sub").c_str());
        rmdir(dir_.c_str());
    }

    Plan plan(const std::string &yaml)
    {
        Plan p;
        std::string error;
        EXPECT_TRUE(parse_plan(yaml, "s.yaml", dir_, p, error)) << error;
        return p;
    }
    std::string error(const std::string &yaml)
    {
        Plan p;
        std::string error;
        EXPECT_FALSE(parse_plan(yaml, "s.yaml", dir_, p, error));
        return error;
    }
    static std::string overrides(const Point &p)
    {
        std::string s;
        for (const Override &o : p.overrides)
            s += (s.empty() ? "" : " ") + o.first + "=" + o.second;
        return s;
    }

    std::string dir_;
};

TEST_F(PlanTest, GridIsACartesianProductWithTheFirstKeySlowest)
{
    Plan p = plan("scenarios: [a.yaml]\ngrid:\n  x.a: [1, 2]\n  x.b: [p, q, r]\n");
    ASSERT_EQ(p.points.size(), 6u);
    EXPECT_EQ(overrides(p.points[0]), "x.a=1 x.b=p");
    EXPECT_EQ(overrides(p.points[1]), "x.a=1 x.b=q");
    EXPECT_EQ(overrides(p.points[2]), "x.a=1 x.b=r");
    EXPECT_EQ(overrides(p.points[3]), "x.a=2 x.b=p");
    EXPECT_EQ(overrides(p.points[5]), "x.a=2 x.b=r");
    EXPECT_EQ(p.parameters, (std::vector<std::string>{"x.a", "x.b"}));
}

TEST_F(PlanTest, ZipAdvancesTogetherInsideTheGridAndPointsComeLast)
{
    Plan p = plan("scenarios: [a.yaml]\n"
                  "grid: { g: [1, 2] }\n"
                  "zip: { z.a: [4K, 64K], z.b: [x, y] }\n"
                  "points:\n  - { g: 9, other: 5 }\n");
    ASSERT_EQ(p.points.size(), 5u);
    EXPECT_EQ(overrides(p.points[0]), "g=1 z.a=4K z.b=x");
    EXPECT_EQ(overrides(p.points[1]), "g=1 z.a=64K z.b=y");
    EXPECT_EQ(overrides(p.points[2]), "g=2 z.a=4K z.b=x");
    EXPECT_EQ(overrides(p.points[3]), "g=2 z.a=64K z.b=y");
    EXPECT_EQ(overrides(p.points[4]), "g=9 other=5");
    EXPECT_EQ(p.parameters, (std::vector<std::string>{"g", "z.a", "z.b", "other"}));
    EXPECT_EQ(Plan::value_of(p.points[4], "z.a"), "");
}

TEST_F(PlanTest, ZipAloneAndPointsAlone)
{
    EXPECT_EQ(plan("scenarios: [a.yaml]\nzip: { a: [1, 2, 3], b: [4, 5, 6] }\n").points.size(), 3u);
    Plan p = plan("scenarios: [a.yaml]\npoints: [{ a: 1 }, { b: 2 }]\n");
    ASSERT_EQ(p.points.size(), 2u);
    EXPECT_EQ(overrides(p.points[1]), "b=2");
}

TEST_F(PlanTest, SetIsUnderEveryPointAndAPointMayChangeIt)
{
    Plan p = plan("scenarios: [a.yaml]\nset: { f: 1, k: 2 }\ngrid: { g: [a, b] }\n"
                  "points: [{ k: 3 }]\n");
    ASSERT_EQ(p.points.size(), 3u);
    EXPECT_EQ(overrides(p.points[0]), "f=1 k=2 g=a");
    EXPECT_EQ(overrides(p.points[2]), "f=1 k=3");
    EXPECT_EQ(p.parameters, (std::vector<std::string>{"g", "k"}));
}

TEST_F(PlanTest, NothingSweptRunsEachScenarioOnce)
{
    Plan p = plan("scenarios: [b.yaml, a.yaml]\nset: { f: 1 }\n");
    ASSERT_EQ(p.points.size(), 2u);
    EXPECT_EQ(p.points[0].scenario, "a.yaml");
    EXPECT_EQ(overrides(p.points[1]), "f=1");
    EXPECT_TRUE(p.parameters.empty());
}

TEST_F(PlanTest, ScenariosAreGlobbedSortedOnceEachAndOuterMost)
{
    Plan p = plan("scenarios: ['*.yaml', sub/c.yaml, a.yaml]\ngrid: { g: [1, 2] }\n");
    EXPECT_EQ(p.scenarios, (std::vector<std::string>{"a.yaml", "b.yaml", "sub/c.yaml"}));
    ASSERT_EQ(p.points.size(), 6u);
    EXPECT_EQ(p.points[1].scenario, "a.yaml");
    EXPECT_EQ(p.points[2].scenario, "b.yaml");
    EXPECT_EQ(overrides(p.points[2]), "g=1");
    EXPECT_EQ(p.scenario_path(p.points[5]), dir_ + "/sub/c.yaml");
}

TEST_F(PlanTest, PointIdsAreStableAndInPlanOrder)
{
    Plan p = plan("scenarios: [a.yaml, b.yaml]\ngrid: { g: [1, 2, 3] }\n");
    for (size_t i = 0; i < p.points.size(); i++) {
        EXPECT_EQ(p.points[i].index, i);
        EXPECT_EQ(p.points[i].id, "p000" + std::to_string(i));
    }
    EXPECT_EQ(point_id(7, 20), "p0007");
    EXPECT_EQ(point_id(12345, 20000), "p12345");
    EXPECT_EQ(point_id(7, 20000), "p00007");
}

TEST_F(PlanTest, ThePlanJsonIsTheSameForTheSameFile)
{
    const char *yaml = "scenarios: [a.yaml]\ngrid: { x.a: [1, \"two words\"] }\n";
    std::string json = plan(yaml).json();
    EXPECT_EQ(json, plan(yaml).json());
    EXPECT_EQ(json, "{\"format\":\"rmesim-sweep/1\",\"parameters\":[\"x.a\"],\"points\":[\n"
                    "{\"id\":\"p0000\",\"index\":0,\"scenario\":\"a.yaml\",\"overrides\":{\"x.a\":"
                    "\"1\"}},\n"
                    "{\"id\":\"p0001\",\"index\":1,\"scenario\":\"a.yaml\",\"overrides\":{\"x.a\":"
                    "\"two words\"}}\n]}\n");
    EXPECT_NE(json, plan("scenarios: [a.yaml]\ngrid: { x.a: [1, 3] }\n").json());
}

TEST_F(PlanTest, LoadPlanReadsTheFileAndResolvesScenariosBesideIt)
{
    std::string path = dir_ + "/sub/s.yaml";
    std::ofstream(path) << "scenarios: [c.yaml, ../a.yaml]\n";
    Plan p;
    std::string error;
    ASSERT_TRUE(load_plan(path, p, error)) << error;
    EXPECT_EQ(p.scenarios, (std::vector<std::string>{"../a.yaml", "c.yaml"}));
    EXPECT_EQ(p.scenario_path(p.points[1]), dir_ + "/sub/c.yaml");
    unlink(path.c_str());
    EXPECT_FALSE(load_plan(path, p, error));
    EXPECT_EQ(error, path + ": cannot read the sweep file: No such file or directory");
    std::ofstream(path) << "";
    EXPECT_FALSE(load_plan(path, p, error));
    EXPECT_EQ(error, path + ": the sweep file is empty");
    ASSERT_EQ(truncate(path.c_str(), (16 << 20) + 1), 0);
    EXPECT_FALSE(load_plan(path, p, error));
    EXPECT_EQ(error, path + ": 16777217 bytes: a sweep file is at most 16 MB");
    unlink(path.c_str());
    EXPECT_FALSE(load_plan(dir_, p, error));
    EXPECT_EQ(error, dir_ + ": not a regular file (a sweep file is read whole)");
    EXPECT_FALSE(load_plan("/dev/null", p, error));
    EXPECT_EQ(error, "/dev/null: not a regular file (a sweep file is read whole)");
}

// Every mistake: its message, with where it is.
struct BadSweep {
    const char *yaml;
    const char *error;
};

class BadSweepTest : public PlanTest, public ::testing::WithParamInterface<BadSweep>
{
};

TEST_P(BadSweepTest, IsRefusedWithWhereAndWhy)
{
    std::string message = error(GetParam().yaml);
    for (size_t at; (at = message.find(dir_)) != std::string::npos;)
        message.replace(at, dir_.size(), "DIR");
    EXPECT_EQ(message, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BadSweepTest,
    ::testing::Values(
        BadSweep{"scenarios: [a.yaml\n", "s.yaml:2:1: YAML syntax error: did not find expected "
                                         "',' or ']' while parsing a flow sequence"},
        BadSweep{"", "s.yaml:1:1: the sweep file is empty (it needs scenarios:)"},
        BadSweep{"- a\n", "s.yaml:1:1: the sweep file must be a map"},
        BadSweep{"grid: { a: [1] }\n",
                 "s.yaml:1:1: the sweep file names no scenarios (scenarios: [FILE or GLOB...])"},
        BadSweep{"scenarios: [a.yaml]\ngird: {}\n",
                 "s.yaml:2:1: unknown key 'gird' in the sweep file (expected: scenarios, grid, "
                 "zip, points, set)"},
        BadSweep{"scenarios: [a.yaml]\nscenarios: [b.yaml]\n",
                 "s.yaml:2:1: 'scenarios' is given twice in the sweep file"},
        BadSweep{"scenarios: a.yaml\n",
                 "s.yaml:1:12: scenarios must be a list of files or globs ([a.yaml, dir/*.yaml])"},
        BadSweep{"scenarios: []\n", "s.yaml:1:12: scenarios is an empty list"},
        BadSweep{"scenarios: [missing.yaml]\n",
                 "s.yaml:1:13: no scenario file 'DIR/missing.yaml' (relative to the sweep file)"},
        BadSweep{"scenarios: [sub]\n",
                 "s.yaml:1:13: no scenario file 'DIR/sub' (relative to the sweep file)"},
        BadSweep{"scenarios: ['*.yml']\n", "s.yaml:1:13: the glob '*.yml' matches no scenario "
                                           "file"},
        BadSweep{"scenarios: [[a.yaml]]\n",
                 "s.yaml:1:13: a scenario must be a single value (a number or a word), not a "
                 "list"},
        BadSweep{"scenarios: [a.yaml]\ngrid: [1, 2]\n", "s.yaml:2:7: grid must be a map"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a: 1 }\n",
                 "s.yaml:2:12: grid a must be a list of values ([a, b, ...])"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a: [] }\n", "s.yaml:2:12: grid a is an empty list"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a: [1, ~] }\n",
                 "s.yaml:2:16: each value of grid a has no value"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a: [1, {b: 2}] }\n",
                 "s.yaml:2:16: each value of grid a must be a single value (a number or a word), "
                 "not a map"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a: [1], a: [2] }\n",
                 "s.yaml:2:17: 'a' is given twice in grid"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a=b: [1] }\n",
                 "s.yaml:2:9: 'a=b' is not a parameter path (dotted keys such as "
                 "platform.timing.dram, no '=' or spaces)"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a..b: [1] }\n",
                 "s.yaml:2:9: 'a..b' is not a parameter path (dotted keys such as "
                 "platform.timing.dram, no '=' or spaces)"},
        BadSweep{"scenarios: [a.yaml]\nzip: { a: [1, 2], b: [1] }\n",
                 "s.yaml:2:19: zip b has 1 values but zip a has 2: zipped lists advance together "
                 "and need the same length"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a: [1] }\nzip: { a: [2] }\n",
                 "s.yaml:3:8: a is in both grid and zip: a parameter is fixed or swept in one "
                 "place"},
        BadSweep{"scenarios: [a.yaml]\nset: { a: 1 }\ngrid: { a: [2] }\n",
                 "s.yaml:3:9: a is in both set and grid: a parameter is fixed or swept in one "
                 "place"},
        BadSweep{"scenarios: [a.yaml]\nset: { a: [1] }\n",
                 "s.yaml:2:11: set a must be a single value (a number or a word), not a list"},
        BadSweep{"scenarios: [a.yaml]\nset: { a: \"x\\ny\" }\n",
                 "s.yaml:2:11: set a must be on one line"},
        BadSweep{"scenarios: [a.yaml]\npoints: { a: 1 }\n", "s.yaml:2:9: points must be a list"},
        BadSweep{"scenarios: [a.yaml]\npoints: [{ a: 1 }, 3]\n",
                 "s.yaml:2:20: point 1 must be a map"},
        BadSweep{"scenarios: [a.yaml]\npoints: [{ a: 1 }, { a: 1 }]\n",
                 "s.yaml:2:20: point 1 repeats the overrides of an earlier point: each point runs "
                 "once"},
        BadSweep{"scenarios: [a.yaml]\ngrid: { a: [1] }\npoints: [{ a: 1 }]\n",
                 "s.yaml:3:10: point 0 repeats the overrides of an earlier point: each point runs "
                 "once"},
        BadSweep{"scenarios: [a.yaml]\nzip: { a: [1, 1], b: [2, 2] }\n",
                 "s.yaml:2:8: a zipped value repeats the overrides of an earlier point: each "
                 "point runs once"},
        BadSweep{"scenarios: [a.yaml]\n---\nscenarios: [b.yaml]\n",
                 "s.yaml:3:1: only one YAML document per sweep file"}));

} // namespace
