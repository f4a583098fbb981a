// A step's fields: set replaces, iteration is in name order (as the views print them), find and
// count answer without reordering, and a name made at run time is the same field as a literal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/step_result.hpp"

using namespace rmesim;

namespace
{

std::vector<std::string> names(const StepResult &r)
{
    std::vector<std::string> out;
    for (const auto &[name, value] : r.fields)
        out.push_back(name);
    return out;
}

} // namespace

TEST(FieldMap, IteratesInNameOrderWhateverTheOrderOfSetting)
{
    StepResult r;
    r.set("va", Observed::num(1));
    r.set("result", Observed::name("ok"));
    r.set("exception.el", Observed::num(2));
    r.set("mmio.value", Observed::num(3));
    EXPECT_EQ(names(r), (std::vector<std::string>{"exception.el", "mmio.value", "result", "va"}));
    r.set("cost.rmm", Observed::num(4)); /* after a sort, a new field still lands in order */
    EXPECT_EQ(names(r),
              (std::vector<std::string>{"cost.rmm", "exception.el", "mmio.value", "result", "va"}));
}

TEST(FieldMap, SettingAgainReplacesAndRunTimeNamesAreTheSameField)
{
    StepResult r;
    r.set("value", Observed::num(1));
    r.set("value", Observed::num(2));
    r.set(std::string("val") + "ue", Observed::num(3));
    ASSERT_EQ(r.fields.size(), 1u);
    auto it = r.fields.find("value");
    ASSERT_NE(it, r.fields.end());
    EXPECT_EQ(it->second.number, 3u);
    EXPECT_EQ(r.fields.count("value"), 1u);
    EXPECT_EQ(r.fields.count("valu"), 0u);
    EXPECT_EQ(r.fields.find("values"), r.fields.end());
}

TEST(FieldMap, FindDoesNotReorderAndClearEmpties)
{
    StepResult r;
    r.set("z", Observed::num(26));
    r.set("a", Observed::num(1));
    auto z = r.fields.find("z");
    ASSERT_NE(z, r.fields.end()); /* end() after find() must not move what find() pointed at */
    EXPECT_EQ(z->first, "z");
    EXPECT_EQ(z->second.number, 26u);
    r.fields.clear();
    EXPECT_TRUE(r.fields.empty());
    EXPECT_EQ(r.fields.begin(), r.fields.end());
    r.set("b", Observed::boolean(true));
    EXPECT_EQ(names(r), std::vector<std::string>{"b"});
}
