// A small JSON writer for the event log and statistics: fields in the order written, so the
// output is byte-identical between runs. Addresses are written as hex strings.
#pragma once

#include <cstdint>
#include <string>

namespace rmesim
{

class Json
{
  public:
    Json &begin_object(const char *key = nullptr);
    Json &end_object();
    Json &begin_array(const char *key = nullptr);
    Json &end_array();
    Json &field(const char *key, const std::string &value);
    Json &field(const char *key, const char *value);
    Json &field(const char *key, uint64_t value);
    Json &field(const char *key, int64_t value);
    Json &field(const char *key, int value) { return field(key, int64_t(value)); }
    Json &field(const char *key, unsigned value) { return field(key, uint64_t(value)); }
    Json &field(const char *key, bool value);
    Json &field(const char *key, double value);
    Json &hex(const char *key, uint64_t value); // "0x..." string
    Json &raw(const char *key, const std::string &json);

    const std::string &str() const { return out_; }
    void clear()
    {
        out_.clear();
        first_ = true;
    }

    static std::string quote(const std::string &s);
    static void append_quoted(std::string &out, const char *s, size_t n);
    static std::string hex_string(uint64_t value);
    // "0x" and value's hex digits (lower case, no leading zeros) at buf (18 bytes at most):
    // their length.
    static size_t hex_text(char *buf, uint64_t value);
    // Whether the n bytes at s are written as they are in a JSON string (nothing to escape).
    static bool needs_no_escape(const char *s, size_t n);

  private:
    void put(const char *k, const char *v, size_t vn, bool quote_v);
    void key(const char *k);
    std::string out_;
    bool first_ = true;
};

} // namespace rmesim
