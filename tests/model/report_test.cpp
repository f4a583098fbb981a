// rmesim report's parts that need no run: the JSON reader (values, escapes, errors with their
// line and column), reading a results document (what it refuses), and the charts' escaping and
// data attributes.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "model/json_value.hpp"
#include "model/report.hpp"
#include "model/report_model.hpp"
#include "model/report_svg.hpp"

using rmesim::JsonValue;
namespace report = rmesim::report;

namespace
{

std::string parse_error(const std::string &text)
{
    JsonValue v;
    std::string error;
    EXPECT_FALSE(JsonValue::parse(text, v, error)) << text;
    return error;
}

std::string temp_file(const std::string &name, const std::string &text)
{
    std::string path = testing::TempDir() + "/" + name;
    std::ofstream(path) << text;
    return path;
}

const char *const kStep =
    R"({"step": "a<b", "index": 1, "core": 0, "actor": "host", "action": "load",
        "start_cycle": 5, "cycles": 10, "passed": false, "failures": ["x.yaml:3:1: <bad> & worse"],
        "cost": {"host": 1, "el3": 2, "rmm": 3, "realm": 4, "vmm": 5},
        "stage_cycles": {"tlb": 1, "s1_walk": 2, "s2_walk": 3, "walk": 5, "gpc": 4, "memory": 5,
                         "total": 15},
        "accesses": 2, "tlb": {"lookups": 2, "hits": 1, "hit_rate": 0.5},
        "gpt_cache": {"lookups": 0, "hits": 0, "hit_rate": null},
        "latency_histogram": [{"below": 8, "accesses": 2}], "explain": "step a<b: \"quoted\"\n"})";

std::string results(const std::string &steps)
{
    return R"({"format": "rmesim-results/1", "scenario": "s&<.yaml", "overrides": {},
               "exit_code": 1, "clock_mhz": 2000, "cycles": 15, "steps": [)" +
           steps + R"(], "final": {"passed": true, "failures": []}})";
}

} // namespace

TEST(JsonValue, ReadsValuesInOrder)
{
    JsonValue v;
    std::string error;
    ASSERT_TRUE(JsonValue::parse(
        R"( {"b": [1, -2.5e3, true, false, null], "a": "x\"\\\/\n\u00e9\ud83d\ude00"} )", v, error))
        << error;
    ASSERT_EQ(v.members().size(), 2u);
    EXPECT_EQ(v.members()[0].first, "b"); /* the order written */
    const auto &items = v.get("b")->items();
    ASSERT_EQ(items.size(), 5u);
    EXPECT_EQ(items[0].text(), "1");
    EXPECT_DOUBLE_EQ(items[1].number(), -2500);
    EXPECT_TRUE(items[2].boolean());
    EXPECT_FALSE(items[3].boolean());
    EXPECT_TRUE(items[3].is(JsonValue::BOOL));
    EXPECT_TRUE(items[4].is(JsonValue::NUL));
    EXPECT_EQ(v.get("a")->text(), "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
    EXPECT_EQ(v.at({"b"}), v.get("b"));
    EXPECT_EQ(v.at({"a", "b"}), nullptr);
}

TEST(JsonValue, ErrorsNameLineAndColumn)
{
    EXPECT_EQ(parse_error("{\n  \"a\": [1,, 2]\n}"), "2:11: unexpected ','");
    EXPECT_EQ(parse_error("{\"a\" 1}"), "1:6: expected ':' after the member's name");
    EXPECT_EQ(parse_error("[1 2]"), "1:4: expected ',' or ']'");
    EXPECT_EQ(parse_error("\"open"), "1:6: a string is not closed");
    EXPECT_EQ(parse_error("{} x"), "1:4: text after the document");
    EXPECT_EQ(parse_error(""), "1:1: the document ends where a value was expected");
    EXPECT_EQ(parse_error("[-]"), "1:2: not a number: '-'");
    EXPECT_EQ(parse_error("\"\\q\""), "1:3: unknown escape \\q");
    EXPECT_EQ(parse_error("\"\\u12g4\""), "1:6: a \\u escape needs four hex digits");
    EXPECT_EQ(parse_error("\"a\tb\""), "1:4: a control character in a string");
    EXPECT_EQ(parse_error(std::string(300, '[')), "1:202: nested too deeply");
}

TEST(ReportModel, ReadsAResultsDocument)
{
    report::Run run;
    std::string error;
    ASSERT_TRUE(report::read_run(temp_file("ok.json", results(kStep)), run, error)) << error;
    ASSERT_EQ(run.steps.size(), 1u);
    const report::Step &s = run.steps[0];
    EXPECT_EQ(s.id, "a<b");
    EXPECT_FALSE(s.passed);
    EXPECT_EQ(s.cost[2], 3u);
    EXPECT_EQ(s.stages[3], 4u); /* gpc */
    EXPECT_EQ(s.stage_total, 15u);
    EXPECT_TRUE(s.tlb.known());
    EXPECT_FALSE(s.gpt_cache.known());
    EXPECT_TRUE(s.has_explain);
}

TEST(ReportModel, RefusesWhatIsNotAResultsDocument)
{
    report::Run run;
    std::string error;
    std::string stats = temp_file("stats.json", R"({"scenario": "x", "steps": 3})");
    EXPECT_FALSE(report::read_run(stats, run, error));
    EXPECT_NE(error.find(stats + ": not an rmesim results document"), std::string::npos) << error;
    std::string lacking = temp_file("lacking.json", results(R"({"step": "s"})"));
    EXPECT_FALSE(report::read_run(lacking, run, error));
    EXPECT_EQ(error, lacking + ": steps[0].actor is missing"); /* the first field lacking */
    std::string negative = temp_file(
        "negative.json", results(std::string(kStep).replace(
                             std::string(kStep).find("\"cycles\": 10"), 12, "\"cycles\": -1")));
    EXPECT_FALSE(report::read_run(negative, run, error));
    EXPECT_EQ(error, negative + ": steps[0].cycles is not a count: -1");
    EXPECT_FALSE(report::read_run(testing::TempDir() + "/none.json", run, error));
    EXPECT_NE(error.find("cannot read"), std::string::npos);
}

TEST(ReportSvg, EscapesTextAndCarriesData)
{
    EXPECT_EQ(report::escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    EXPECT_EQ(report::number_text(12345678901234), "12345678901234");
    EXPECT_EQ(report::number_text(0.125), "0.125");
    report::Chart c{"cost", "t<", "y", "x", {"s\"1"}};
    report::Series s{"host", "#000"};
    s.values = {42};
    c.series.push_back(s);
    std::string svg = report::stacked_bars(c);
    EXPECT_NE(svg.find("data-chart=\"cost\""), std::string::npos);
    EXPECT_NE(svg.find("data-step=\"s&quot;1\" data-series=\"host\" data-value=\"42\""),
              std::string::npos);
    EXPECT_EQ(svg.find("<title>t<"), std::string::npos);
    EXPECT_NE(svg.find("<title>t&lt;</title>"), std::string::npos);
}

TEST(ReportPage, EscapesEveryTextFromTheResults)
{
    report::Run run;
    std::string error;
    ASSERT_TRUE(report::read_run(temp_file("page.json", results(kStep)), run, error)) << error;
    std::string html = report::page(run.scenario, report::run_section(run));
    for (const char *raw : {"<bad>", "a<b", "s&<", "\"quoted\""})
        EXPECT_EQ(html.find(raw), std::string::npos) << raw;
    EXPECT_NE(html.find("&lt;bad&gt; &amp; worse"), std::string::npos);
    EXPECT_NE(html.find("<details class=\"explain\" data-step=\"a&lt;b\">"), std::string::npos);
}
