// A JSON document read into memory (RFC 8259): what `rmesim report` reads (a run's results, a
// sweep's points). Objects keep their members in the order written. Errors name the line and
// column.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rmesim
{

class JsonValue
{
  public:
    enum Kind { NUL, BOOL, NUMBER, STRING, ARRAY, OBJECT };

    Kind kind() const { return kind_; }
    bool is(Kind k) const { return kind_ == k; }
    bool boolean() const { return flag_; }
    double number() const { return number_; }
    const std::string &text() const { return text_; } // a STRING; a NUMBER as written
    const std::vector<JsonValue> &items() const { return items_; }
    const std::vector<std::pair<std::string, JsonValue>> &members() const { return members_; }
    // An object's member (null when absent or not an object).
    const JsonValue *get(const std::string &key) const;
    // A path of members: at({"stage_cycles", "gpc"}).
    const JsonValue *at(std::initializer_list<const char *> path) const;

    // The document in `text`; false with "LINE:COLUMN: what" in `error`.
    static bool parse(const std::string &text, JsonValue &out, std::string &error);

  private:
    friend class JsonReader;
    Kind kind_ = NUL;
    bool flag_ = false;
    double number_ = 0;
    std::string text_;
    std::vector<JsonValue> items_;
    std::vector<std::pair<std::string, JsonValue>> members_;
};

} // namespace rmesim
