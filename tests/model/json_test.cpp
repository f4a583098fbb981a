// JSON strings as rmesim writes them (model/json.hpp): valid JSON in UTF-8 whatever the bytes.
#include <gtest/gtest.h>

#include "model/json.hpp"

using rmesim::Json;

TEST(JsonQuote, EscapesWhatJsonRequires)
{
    EXPECT_EQ(Json::quote("plain text"), "\"plain text\"");
    EXPECT_EQ(Json::quote("a\"b\\c\nd\te"), "\"a\\\"b\\\\c\\nd\\te\"");
    EXPECT_EQ(Json::quote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
    EXPECT_EQ(Json::quote(std::string("nul\0", 4)), "\"nul\\u0000\"");
}

TEST(JsonQuote, KeepsWellFormedUtf8)
{
    for (const char *text : {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
                             "\xed\x9f\xbf", "x\xc2\x80y"})
        EXPECT_EQ(Json::quote(text), "\"" + std::string(text) + "\"") << text;
}

// A device's output is bytes: what is not UTF-8 is escaped byte by byte (before, copied raw and
// the log was not UTF-8).
TEST(JsonQuote, EscapesBytesThatAreNotUtf8)
{
    EXPECT_EQ(Json::quote("\xff"), "\"\\u00ff\"");
    EXPECT_EQ(Json::quote("H\xffi"), "\"H\\u00ffi\"");
    EXPECT_EQ(Json::quote("\xc3"), "\"\\u00c3\"");                       // cut short at the end
    EXPECT_EQ(Json::quote("\xc3x"), "\"\\u00c3x\"");                     // no continuation byte
    EXPECT_EQ(Json::quote("\xc0\x80"), "\"\\u00c0\\u0080\"");            // overlong NUL
    EXPECT_EQ(Json::quote("\xe0\x80\x80"), "\"\\u00e0\\u0080\\u0080\""); // overlong
    EXPECT_EQ(Json::quote("\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\""); // a surrogate
    EXPECT_EQ(Json::quote("\xf4\x90\x80\x80"), "\"\\u00f4\\u0090\\u0080\\u0080\""); // > U+10FFFF
    EXPECT_EQ(Json::quote("\x80"), "\"\\u0080\"");            // a lone continuation byte
    EXPECT_EQ(Json::quote("\xe2\x82"), "\"\\u00e2\\u0082\""); // cut short
}
