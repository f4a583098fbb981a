#include "model/json.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>

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

// Whether none of the eight bytes of w needs an escape: printable ASCII other than '"' and '\\'
// (the "has a byte less than" and "has a zero byte" word tricks).
bool plain_word(uint64_t w)
{
    constexpr uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    uint64_t below_space = (w - ones * 0x20) & ~w & high;
    uint64_t quote = (q - ones) & ~q & high, backslash = (b - ones) & ~b & high;
    return !((w & high) | below_space | quote | backslash);
}

// The first n (< 8) bytes at s in a word padded with spaces, read with fixed-size copies (a
// call to memcpy per key or value cost more than the check).
uint64_t short_word(const char *s, size_t n)
{
    uint64_t w = 0x2020202020202020ull;
    uint32_t four;
    uint16_t two;
    switch (n) {
    case 7:
        std::memcpy(&four, s, 4);
        std::memcpy(&two, s + 4, 2);
        w = (w & ~0xFFFFFFFFFFFFull) | four | uint64_t(two) << 32;
        return (w & ~(0xFFull << 48)) | uint64_t(uint8_t(s[6])) << 48;
    case 6:
        std::memcpy(&four, s, 4);
        std::memcpy(&two, s + 4, 2);
        return (w & ~0xFFFFFFFFFFFFull) | four | uint64_t(two) << 32;
    case 5:
        std::memcpy(&four, s, 4);
        return (w & ~0xFFFFFFFFFFull) | four | uint64_t(uint8_t(s[4])) << 32;
    case 4:
        std::memcpy(&four, s, 4);
        return (w & ~0xFFFFFFFFull) | four;
    case 3:
        std::memcpy(&two, s, 2);
        return (w & ~0xFFFFFFull) | two | uint64_t(uint8_t(s[2])) << 16;
    case 2:
        std::memcpy(&two, s, 2);
        return (w & ~0xFFFFull) | two;
    case 1:
        return (w & ~0xFFull) | uint8_t(s[0]);
    default:
        return w;
    }
}

// Whether the n bytes at s need no escape, eight at a time (a short text padded with spaces;
// a longer one's last eight bytes read again).
bool plain(const char *s, size_t n)
{
    if (n < 8)
        return plain_word(short_word(s, n));
    uint64_t w;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        std::memcpy(&w, s + i, 8);
        if (!plain_word(w))
            return false;
    }
    std::memcpy(&w, s + n - 8, 8);
    return plain_word(w);
}

} // namespace

// Runs of characters that need no escape are appended whole: a log is mostly such runs. Text
// that is not UTF-8 (a device's output is bytes) is escaped byte by byte as \u00XX, so that the
// document stays valid JSON in UTF-8 (RFC 8259, 8.1).
void Json::append_quoted(std::string &out, const char *s, size_t n)
{
    out += '"';
    if (plain(s, n)) { /* the common case, found eight bytes at a time */
        out.append(s, n);
        out += '"';
        return;
    }
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

// "0x" and the hex digits of value, lower case, no leading zeros (as printf's "0x%" PRIx64):
// written by hand, a log writes several per record.
static size_t hex_digits(char *buf, uint64_t value)
{
    static const char digits[] = "0123456789abcdef";
    size_t n = (67 - size_t(__builtin_clzll(value | 1))) / 4; /* nibbles, at least one */
    buf[0] = '0';
    buf[1] = 'x';
    for (size_t i = n; i > 0; i--, value >>= 4) /* from the last digit back */
        buf[1 + i] = digits[value & 0xF];
    return n + 2;
}

size_t Json::hex_text(char *buf, uint64_t value)
{
    return hex_digits(buf, value);
}

bool Json::needs_no_escape(const char *s, size_t n)
{
    return plain(s, n);
}

std::string Json::hex_string(uint64_t value)
{
    char buf[24];
    return std::string(buf, hex_digits(buf, value));
}

// A member (or an array element, k null): the separator, the quoted key, and the value's text
// v, quoted when quote_v; in one append when it is short and nothing needs escaping.
void Json::put(const char *k, const char *v, size_t vn, bool quote_v)
{
    size_t kn = k ? std::strlen(k) : 0;
    char buf[192];
    if (kn + vn + 6 <= sizeof buf && (!k || plain(k, kn)) && (!quote_v || plain(v, vn))) {
        size_t n = 0;
        if (!first_)
            buf[n++] = ',';
        if (k) {
            buf[n++] = '"';
            std::memcpy(buf + n, k, kn);
            n += kn;
            buf[n++] = '"';
            buf[n++] = ':';
        }
        if (quote_v)
            buf[n++] = '"';
        std::memcpy(buf + n, v, vn);
        n += vn;
        if (quote_v)
            buf[n++] = '"';
        out_.append(buf, n);
        first_ = false;
        return;
    }
    key(k);
    if (quote_v)
        append_quoted(out_, v, vn);
    else
        out_.append(v, vn);
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
    put(k, "{", 1, false);
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
    put(k, "[", 1, false);
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
    put(k, value.data(), value.size(), true);
    return *this;
}

Json &Json::field(const char *k, const char *value)
{
    put(k, value, std::strlen(value), true);
    return *this;
}

Json &Json::field(const char *k, uint64_t value)
{
    char buf[24];
    put(k, buf, size_t(std::to_chars(buf, buf + sizeof buf, value).ptr - buf), false);
    return *this;
}

Json &Json::field(const char *k, int64_t value)
{
    char buf[24];
    put(k, buf, size_t(std::to_chars(buf, buf + sizeof buf, value).ptr - buf), false);
    return *this;
}

Json &Json::field(const char *k, bool value)
{
    put(k, value ? "true" : "false", value ? 4 : 5, false);
    return *this;
}

Json &Json::field(const char *k, double value)
{
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%.6g", value);
    put(k, buf, size_t(n), false);
    return *this;
}

Json &Json::hex(const char *k, uint64_t value)
{
    char buf[24];
    put(k, buf, hex_digits(buf, value), true); /* nothing in it to escape */
    return *this;
}

Json &Json::raw(const char *k, const std::string &json)
{
    key(k);
    out_ += json;
    return *this;
}

} // namespace rmesim
