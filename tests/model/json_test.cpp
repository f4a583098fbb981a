// JSON strings as rmesim writes them (model/json.hpp): valid JSON in UTF-8 whatever the bytes.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "model/json.hpp"
#include "model/json_line.hpp"

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

// JSON's escapes for ASCII text, one character at a time: what the writer must produce.
static std::string escaped_ascii(const std::string &text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += std::string("\\") + c;
        else if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
            out += buf;
        } else
            out += c;
    }
    return out + "\"";
}

// The writer finds text with nothing to escape eight bytes at a time (padding a short one): every
// character that needs an escape is found at every position of texts of every length around the
// word size, in values and in keys.
TEST(JsonQuote, FindsAnEscapeAtEveryPositionAndLength)
{
    const char specials[] = {'"', '\\', '\n', '\t', '\x01', '\x1f', '\0', '\x7f', 'a'};
    for (size_t n = 0; n <= 20; n++)
        for (size_t at = 0; at < (n ? n : 1); at++)
            for (char c : specials) {
                std::string text(n, 'a');
                if (n)
                    text[at] = c;
                std::string want = escaped_ascii(text);
                EXPECT_EQ(Json::quote(text), want) << "length " << n << " at " << at;
                if (text.find('\0') != std::string::npos)
                    continue; /* a key is a C string */
                Json j;
                j.begin_object().field(text.c_str(), 1u).hex(text.c_str(), 0x10).field("v", text);
                j.end_object();
                EXPECT_EQ(j.str(), "{" + want + ":1," + want + ":\"0x10\",\"v\":" + want + "}")
                    << "length " << n << " at " << at;
            }
}

// The hand-written line (model/json_line.hpp) makes the bytes the general writer makes, value by
// value: numbers at their ends, hex, flags, names, text that needs escapes, a nested object, and
// a line longer than its first buffer.
TEST(JsonLine, WritesWhatJsonWrites)
{
    const std::string long_text(3000, 'q');
    for (uint64_t n : {uint64_t(0), uint64_t(7), ~uint64_t(0)}) {
        Json j;
        j.begin_object()
            .field("a", n)
            .hex("b", n)
            .field("c", int64_t(-1) - int64_t(n >> 2))
            .field("d", n != 0)
            .field("e", "plain")
            .field("f", "quote\" back\\ nl\n \x01 \xc3\xa9 \xff")
            .begin_object("g")
            .field("h", n)
            .end_object()
            .field("i", long_text)
            .end_object();
        rmesim::JsonLine l;
        l.begin();
        l.key("a").num(n);
        l.key("b").hex(n);
        l.key("c").signed_num(int64_t(-1) - int64_t(n >> 2));
        l.key("d").flag(n != 0);
        l.key("e").name("plain");
        l.key("f").text("quote\" back\\ nl\n \x01 \xc3\xa9 \xff");
        l.key("g").open();
        l.key("h").num(n);
        l.end();
        l.key("i").text(long_text.c_str());
        l.end();
        EXPECT_EQ(std::string(l.data(), l.size()), j.str()) << n;
    }
}

// Hex as printf's "0x%" PRIx64 writes it: lower case, no leading zeros, "0x0" for zero.
TEST(JsonHex, AsPrintfWritesIt)
{
    for (uint64_t v : {uint64_t(0), uint64_t(1), uint64_t(0xF), uint64_t(0x10), uint64_t(0xABC),
                       uint64_t(1) << 60, (uint64_t(1) << 60) - 1, ~uint64_t(0)}) {
        char want[24];
        std::snprintf(want, sizeof want, "0x%llx", (unsigned long long)v);
        EXPECT_EQ(Json::hex_string(v), want);
    }
}
