// A small JSON reader (for the documents rmesim itself writes: results, sweep plans): a tree
// whose objects keep their keys in order and whose numbers keep their text, so that what is
// read can be written again byte for byte.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rmesim
{

struct JsonNode {
    enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
    std::string text; // a string's value, a number's or a literal's text ("12", "0.5", "true")
    std::vector<JsonNode> items;                          // an array's
    std::vector<std::pair<std::string, JsonNode>> fields; // an object's, in order

    // A field (a null node when there is none, or this is not an object).
    const JsonNode &operator[](const std::string &key) const;
    bool has(const std::string &key) const;
    bool is_true() const { return kind == kBool && text == "true"; }
    // A string's or a number's text; "" otherwise.
    std::string scalar() const;
};

// The document, or false with `error` naming the offset of the problem.
bool parse_json(const std::string &text, JsonNode &out, std::string &error);

} // namespace rmesim
