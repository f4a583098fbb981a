// A point's document (sweep_point.cpp) and the tables made from a plan and its points
// (sweep_table.cpp), from documents written here.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "model/json_value.hpp"
#include "model/sweep.hpp"

using namespace rmesim;
using namespace rmesim::sweep;

namespace
{

Point point(size_t index, const std::vector<Override> &overrides)
{
    Point p;
    p.index = index;
    p.id = point_id(index, 3);
    p.scenario = "s.yaml";
    p.overrides = overrides;
    return p;
}

// A results document (rmesim-results/1) with one step per cycles value.
std::string results(int exit_code, const std::vector<int> &cycles, bool final_passed = true)
{
    std::string steps;
    for (size_t i = 0; i < cycles.size(); i++)
        steps +=
            std::string(i ? "," : "") + "{\"step\":\"s" + std::to_string(i) +
            "\",\"index\":" + std::to_string(i) +
            ",\"core\":0,\"actor\":\"r0.vcpu0\",\"action\":\"store\",\"start_cycle\":0,"
            "\"cycles\":" +
            std::to_string(cycles[i]) + ",\"passed\":" + (cycles[i] < 100 ? "true" : "false") +
            ",\"failures\":" + (cycles[i] < 100 ? "[]" : "[\"cycles 100 > max 99\",{\"x\":1}]") +
            ",\"cost\":{\"host\":1,\"el3\":2,\"rmm\":3,\"realm\":4,\"vmm\":5},"
            "\"stage_cycles\":{\"tlb\":6,\"s1_walk\":7,\"s2_walk\":8,\"walk\":15,\"gpc\":9,"
            "\"memory\":10,\"total\":40},\"accesses\":11,"
            "\"tlb\":{\"lookups\":4,\"hits\":3,\"hit_rate\":0.75},"
            "\"gpt_cache\":{\"lookups\":2,\"hits\":1,\"hit_rate\":0.5},\"latency_histogram\":[]}";
    return "{\"format\":\"rmesim-results/1\",\"scenario\":\"x\",\"overrides\":{},\"exit_code\":" +
           std::to_string(exit_code) + ",\"clock_mhz\":2000,\"cycles\":9,\"steps\":[" + steps +
           "],\"final\":{\"passed\":" + (final_passed ? "true" : "false") +
           ",\"failures\":" + (final_passed ? "[]" : "[\"uart0 output 'H' != ''\"]") + "}}\n";
}

TEST(PointDocument, IsTheResultsDocumentWithThePointFirst)
{
    Point p = point(2, {{"a", "1"}});
    std::string doc = point_document(p, 0, results(0, {5}), "");
    EXPECT_EQ(doc.substr(0, 64),
              "{\"point\":{\"id\":\"p0002\",\"index\":2},\"format\":\"rmesim-results/1\",\"s");
    EXPECT_EQ(doc.substr(34), results(0, {5}).substr(1));
}

// A field of a JSON document, as text ("" if it has none).
std::string field(const std::string &json, std::initializer_list<const char *> path)
{
    JsonValue doc;
    std::string error;
    EXPECT_TRUE(JsonValue::parse(json, doc, error)) << error << json;
    const JsonValue *v = doc.at(path);
    return v ? v->text() : "";
}

TEST(PointDocument, RecordsARunThatDidNotGetThereWithItsMessage)
{
    Point p = point(1, {{"platform.timing.dram", "x"}});
    std::string doc = point_document(p, 2, "", "rmesim: --set:1: bad value 'x'\n");
    EXPECT_EQ(field(doc, {"point", "id"}), "p0001");
    EXPECT_EQ(field(doc, {"exit_code"}), "2");
    EXPECT_EQ(field(doc, {"error"}), "--set:1: bad value 'x'");
    EXPECT_EQ(field(doc, {"overrides", "platform.timing.dram"}), "x");
    EXPECT_EQ(doc.find("\"steps\":[]") != std::string::npos, true);

    EXPECT_EQ(field(point_document(p, 128 + 9, "", ""), {"error"}), "rmesim run ended by signal 9");
    EXPECT_EQ(field(point_document(p, 0, "", ""), {"error"}),
              "rmesim run exited with 0 but it wrote no results document");
    EXPECT_EQ(field(point_document(p, 1, "{\"format\":", ""), {"error"}).substr(0, 63),
              "rmesim run exited with 1 but its results document is not JSON (");
    EXPECT_EQ(field(point_document(p, 0, "{\"format\":\"other\"}", ""), {"error"}),
              "rmesim run exited with 0 but its results document is not rmesim-results/1");
    EXPECT_EQ(field(point_document(p, 1, results(0, {}), ""), {"error"}),
              "rmesim run exited with 1 but its results document says exit_code 0 but it exited "
              "with 1");
    EXPECT_EQ(field(point_document(p, 127, "", "rmesim: cannot run x: gone\n"), {"error"}),
              "cannot run x: gone");
}

const char *const kPlan =
    "{\"format\":\"rmesim-sweep/1\",\"parameters\":[\"a\",\"b.c\"],\"points\":[\n"
    "{\"id\":\"p0000\",\"index\":0,\"scenario\":\"s.yaml\",\"overrides\":{\"a\":\"1\"}},\n"
    "{\"id\":\"p0001\",\"index\":1,\"scenario\":\"s.yaml\",\"overrides\":{\"a\":\"2,3\",\"b.c\":"
    "\"4K\"}},\n"
    "{\"id\":\"p0002\",\"index\":2,\"scenario\":\"t.yaml\",\"overrides\":{}}\n]}\n";

TEST(Tables, OneRowPerPointAndStepWithTheParameters)
{
    std::vector<std::string> docs = {
        point_document(point(0, {{"a", "1"}}), 0, results(0, {5, 7}), ""),
        point_document(point(1, {{"a", "2,3"}, {"b.c", "4K"}}), 1, results(1, {150}, false), ""),
        point_document(point(2, {}), 2, "", "rmesim: t.yaml:3:1: unknown key\n")};
    std::string csv, jsonl, error;
    int status = -1;
    ASSERT_TRUE(make_tables(kPlan, docs, csv, jsonl, status, error)) << error;
    EXPECT_EQ(status, 1);
    const std::string numbers = "1,2,3,4,5,6,7,8,15,9,10,40,0.75,0.5,11";
    EXPECT_EQ(csv,
              "point,scenario,a,b.c,step,action,core,cycles,cost.host,cost.el3,cost.rmm,cost.realm,"
              "cost.vmm,stage.tlb,stage.s1_walk,stage.s2_walk,stage.walk,stage.gpc,stage.memory,"
              "stage.total,tlb_hit_rate,gpt_cache_hit_rate,accesses,passed,error\n"
              "p0000,s.yaml,1,,s0,store,0,5," +
                  numbers +
                  ",true,\n"
                  "p0000,s.yaml,1,,s1,store,0,7," +
                  numbers +
                  ",true,\n"
                  "p0001,s.yaml,\"2,3\",4K,s0,store,0,150," +
                  numbers +
                  ",false,\"cycles 100 > max 99; {\"\"x\"\":1}\"\n"
                  "p0001,s.yaml,\"2,3\",4K,(final),,,,,,,,,,,,,,,,,,,false,uart0 output 'H' != ''\n"
                  "p0002,t.yaml,,,,,,,,,,,,,,,,,,,,,,false,t.yaml:3:1: unknown key\n");
    std::string first = jsonl.substr(0, jsonl.find('\n'));
    EXPECT_EQ(first,
              "{\"point\":\"p0000\",\"scenario\":\"s.yaml\",\"a\":\"1\",\"b.c\":null,"
              "\"step\":\"s0\",\"action\":\"store\",\"core\":0,\"cycles\":5,\"cost.host\":1,"
              "\"cost.el3\":2,\"cost.rmm\":3,\"cost.realm\":4,\"cost.vmm\":5,\"stage.tlb\":6,"
              "\"stage.s1_walk\":7,\"stage.s2_walk\":8,\"stage.walk\":15,\"stage.gpc\":9,"
              "\"stage.memory\":10,\"stage.total\":40,\"tlb_hit_rate\":0.75,"
              "\"gpt_cache_hit_rate\":0.5,\"accesses\":11,\"passed\":true,\"error\":\"\"}");
    size_t lines = 0;
    for (size_t at = 0; (at = jsonl.find('\n', at)) != std::string::npos; at++)
        lines++;
    EXPECT_EQ(lines, 5u);
    std::string last = jsonl.substr(jsonl.rfind('\n', jsonl.size() - 2) + 1);
    EXPECT_EQ(field(last, {"error"}), "t.yaml:3:1: unknown key");
    EXPECT_EQ(last.find("\"cycles\":null,") != std::string::npos, true);
}

TEST(Tables, AllPassedIsStatusZeroAndAWrongDocumentIsRefused)
{
    std::string plan =
        "{\"format\":\"rmesim-sweep/1\",\"parameters\":[],\"points\":[\n"
        "{\"id\":\"p0000\",\"index\":0,\"scenario\":\"s.yaml\",\"overrides\":{}}\n]}\n";
    std::string csv, jsonl, error;
    int status = -1;
    ASSERT_TRUE(make_tables(plan, {point_document(point(0, {}), 0, results(0, {1}), "")}, csv,
                            jsonl, status, error));
    EXPECT_EQ(status, 0);
    EXPECT_FALSE(make_tables(plan, {point_document(point(1, {}), 0, results(0, {1}), "")}, csv,
                             jsonl, status, error));
    EXPECT_EQ(error, "points/p0000.json is not the document of point p0000");
    error.clear();
    EXPECT_FALSE(make_tables("{}", {}, csv, jsonl, status, error));
    EXPECT_EQ(error, "sweep.json is not a sweep plan");
}

// collect: the tables from a directory, and the points it is missing.
TEST(Collect, ListsTheMissingPointsAndWritesTheTables)
{
    char tmpl[] = "/tmp/sweep-collect-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    std::string dir = tmpl, error;
    EXPECT_EQ(collect(dir, error), 2);
    EXPECT_EQ(error,
              dir + ": no sweep.json: not a sweep's directory (rmesim sweep SWEEP.yaml -o DIR)");
    ASSERT_EQ(mkdir((dir + "/points").c_str(), 0755), 0);
    std::ofstream(dir + "/sweep.json") << kPlan;
    Point p0 = point(0, {{"a", "1"}});
    ASSERT_TRUE(
        write_atomically(point_path(dir, p0), point_document(p0, 0, results(0, {1}), ""), error));
    EXPECT_EQ(collect(dir, error), 2);
    EXPECT_EQ(error, dir + ": 2 of 3 points have no results yet: p0001, p0002 (run them with "
                           "`rmesim sweep SWEEP.yaml -o DIR --resume`)");
    for (size_t i : {1, 2}) {
        Point p = point(i, {});
        ASSERT_TRUE(
            write_atomically(point_path(dir, p), point_document(p, 0, results(0, {1}), ""), error));
    }
    EXPECT_EQ(collect(dir, error), 0) << error;
    std::string csv;
    ASSERT_TRUE(read_file(dir + "/results.csv", csv));
    EXPECT_EQ(csv.substr(csv.rfind('\n', csv.size() - 2) + 1, 16), "p0002,t.yaml,,,s");
    std::ofstream(dir + "/points/p0002.json") << "{";
    EXPECT_EQ(collect(dir, error), 2);
    EXPECT_EQ(error.substr(0, dir.size() + 55),
              dir + "/points/p0002.json is not the document of point p0002 (");
    for (const char *f : {"/points/p0000.json", "/points/p0001.json", "/points/p0002.json",
                          "/sweep.json", "/results.csv", "/results.jsonl"})
        unlink((dir + f).c_str());
    rmdir((dir + "/points").c_str());
    rmdir(dir.c_str());
}

TEST(WriteAtomically, NamesThePathItCannotWrite)
{
    std::string error;
    EXPECT_FALSE(write_atomically("/nonexistent-dir/x.json", "{}", error));
    EXPECT_EQ(error, "cannot write /nonexistent-dir/x.json: No such file or directory");
}

} // namespace
