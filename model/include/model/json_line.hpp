// One JSON object written straight into a buffer, member after member, byte for byte as Json
// (model/json.hpp) writes it: for records made by the hundred thousand (the event log's access
// records), where Json's work per member cost twice the simulation. Keys are the caller's
// literals, written as they are; text values are escaped as Json escapes them, names from the
// program's tables written as they are.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "model/json.hpp"

namespace rmesim
{

class JsonLine
{
  public:
    // Empties the line and opens its object.
    void begin()
    {
        used_ = 0;
        room(1);
        buf_[used_++] = '{';
        first_ = true;
    }
    // A member's key (a literal with nothing to escape), the value to follow.
    template <size_t N> JsonLine &key(const char (&k)[N])
    {
        room(N + 3);
        if (!first_)
            buf_[used_++] = ',';
        first_ = false;
        buf_[used_++] = '"';
        std::memcpy(&buf_[used_], k, N - 1);
        used_ += N - 1;
        buf_[used_++] = '"';
        buf_[used_++] = ':';
        return *this;
    }
    void num(uint64_t v)
    {
        room(20);
        used_ = size_t(std::to_chars(&buf_[used_], &buf_[used_] + 20, v).ptr - buf_.data());
    }
    void signed_num(int64_t v)
    {
        room(21);
        used_ = size_t(std::to_chars(&buf_[used_], &buf_[used_] + 21, v).ptr - buf_.data());
    }
    void flag(bool v) { put(v ? "true" : "false", v ? 4 : 5); }
    void hex(uint64_t v)
    {
        room(20);
        buf_[used_++] = '"';
        used_ += Json::hex_text(&buf_[used_], v);
        buf_[used_++] = '"';
    }
    void text(const char *s)
    {
        size_t n = std::strlen(s);
        if (!Json::needs_no_escape(s, n)) {
            std::string quoted;
            Json::append_quoted(quoted, s, n);
            put(quoted.data(), quoted.size());
            return;
        }
        room(n + 2);
        buf_[used_++] = '"';
        std::memcpy(&buf_[used_], s, n);
        used_ += n;
        buf_[used_++] = '"';
    }
    // A name from the program's own tables (a regime, a PAS, a fault...): nothing in it to
    // escape, so not looked at.
    void name(const char *s)
    {
        size_t n = std::strlen(s);
        room(n + 2);
        buf_[used_++] = '"';
        std::memcpy(&buf_[used_], s, n);
        used_ += n;
        buf_[used_++] = '"';
    }
    // An object as a member's value: its members follow, end() closes it.
    void open()
    {
        put("{", 1);
        first_ = true;
    }
    void end()
    {
        put("}", 1);
        first_ = false;
    }
    const char *data() const { return buf_.data(); }
    size_t size() const { return used_; }

  private:
    void room(size_t n)
    {
        if (used_ + n > buf_.size())
            buf_.resize(2 * (used_ + n));
    }
    void put(const char *s, size_t n)
    {
        room(n);
        std::memcpy(&buf_[used_], s, n);
        used_ += n;
    }
    std::vector<char> buf_ = std::vector<char>(1024);
    size_t used_ = 0;
    bool first_ = true;
};

} // namespace rmesim
