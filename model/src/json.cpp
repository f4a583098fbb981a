#include "model/json.hpp"

#include <cstring>

#include <cinttypes>
#include <cstdio>

namespace rmesim
{

namespace
{

// The length of the well-formed UTF-8 sequence at s[i] (Unicode 15, table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0.
size_t utf8_sequence(const unsigned char *s, size_t i, size_t n)
{
    unsigned char c = s[i];
    size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (!len || n - i < len)
        return 0;
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
    return len;
}

} // namespace

// Runs of characters that need no escape are appended whole: a log is mostly such runs. Text
// that is not UTF-8 (a device's output is bytes) is escaped byte by byte as \u00XX, so that the
// document stays valid JSON in UTF-8 (RFC 8259, 8.1).
void Json::append_quoted(std::string &out, const char *s, size_t n)
{
    out += '"';
    size_t run = 0;
    const auto *u = reinterpret_cast<const unsigned char *>(s);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            continue;
        if (size_t len = c >= 0x80 ? utf8_sequence(u, i, n) : 0) {
            i += len - 1;
            continue;
        }
        out.append(s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        }
        }
    }
    out.append(s + run, n - run);
    out += '"';
}

std::string Json::quote(const std::string &s)
{
    std::string out;
    append_quoted(out, s.data(), s.size());
    return out;
}

std::string Json::hex_string(uint64_t value)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, value);
    return buf;
}

void Json::key(const char *k)
{
    if (!first_)
        out_ += ',';
    first_ = false;
    if (k) {
        append_quoted(out_, k, std::strlen(k));
        out_ += ':';
    }
}

Json &Json::begin_object(const char *k)
{
    key(k);
    out_ += '{';
    first_ = true;
    return *this;
}

Json &Json::end_object()
{
    out_ += '}';
    first_ = false;
    return *this;
}

Json &Json::begin_array(const char *k)
{
    key(k);
    out_ += '[';
    first_ = true;
    return *this;
}

Json &Json::end_array()
{
    out_ += ']';
    first_ = false;
    return *this;
}

Json &Json::field(const char *k, const std::string &value)
{
    key(k);
    append_quoted(out_, value.data(), value.size());
    return *this;
}

Json &Json::field(const char *k, uint64_t value)
{
    key(k);
    out_ += std::to_string(value);
    return *this;
}

Json &Json::field(const char *k, int64_t value)
{
    key(k);
    out_ += std::to_string(value);
    return *this;
}

Json &Json::field(const char *k, bool value)
{
    key(k);
    out_ += value ? "true" : "false";
    return *this;
}

Json &Json::field(const char *k, double value)
{
    key(k);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    out_ += buf;
    return *this;
}

Json &Json::hex(const char *k, uint64_t value)
{
    return field(k, hex_string(value));
}

Json &Json::raw(const char *k, const std::string &json)
{
    key(k);
    out_ += json;
    return *this;
}

} // namespace rmesim
