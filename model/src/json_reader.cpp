// A recursive-descent JSON reader (RFC 8259), strict: one value, nothing after it.
#include "model/json_reader.hpp"

#include <cctype>
#include <cstring>

namespace rmesim
{

const JsonNode &JsonNode::operator[](const std::string &key) const
{
    static const JsonNode missing;
    for (const auto &f : fields)
        if (f.first == key)
            return f.second;
    return missing;
}

bool JsonNode::has(const std::string &key) const
{
    for (const auto &f : fields)
        if (f.first == key)
            return true;
    return false;
}

std::string JsonNode::scalar() const
{
    return kind == kString || kind == kNumber ? text : "";
}

namespace
{

class Parser
{
  public:
    explicit Parser(const std::string &t) : t_(t) {}

    bool document(JsonNode &out, std::string &error)
    {
        bool ok = value(out, 0);
        space();
        if (ok && at_ != t_.size())
            ok = fail("text after the document");
        if (!ok)
            error = "offset " + std::to_string(at_) + ": " + error_;
        return ok;
    }

  private:
    bool fail(const char *why)
    {
        if (error_.empty())
            error_ = why;
        return false;
    }
    void space()
    {
        while (at_ < t_.size() &&
               (t_[at_] == ' ' || t_[at_] == '\n' || t_[at_] == '\t' || t_[at_] == '\r'))
            at_++;
    }
    bool eat(char c)
    {
        space();
        if (at_ < t_.size() && t_[at_] == c) {
            at_++;
            return true;
        }
        return false;
    }
    bool literal(const char *word, JsonNode::Kind kind, JsonNode &out)
    {
        std::string w(word);
        if (t_.compare(at_, w.size(), w) != 0)
            return fail("not a JSON value");
        at_ += w.size();
        out.kind = kind;
        out.text = w;
        return true;
    }
    static int hex_digit(char c)
    {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
    }
    void utf8(unsigned cp, std::string &out)
    {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xc0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += char(0xe0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        } else {
            out += char(0xf0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3f));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        }
    }
    bool hex4(unsigned &cp)
    {
        cp = 0;
        for (int i = 0; i < 4; i++) {
            int d = at_ < t_.size() ? hex_digit(t_[at_++]) : -1;
            if (d < 0)
                return fail("bad \\u escape");
            cp = cp * 16 + unsigned(d);
        }
        return true;
    }
    bool string(std::string &out)
    {
        if (!eat('"'))
            return fail("expected a string");
        while (at_ < t_.size() && t_[at_] != '"') {
            char c = t_[at_++];
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (at_ >= t_.size())
                break;
            char e = t_[at_++];
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *hit = e ? std::strchr(from, e) : nullptr;
            unsigned cp = 0;
            if (hit) {
                out += to[hit - from];
            } else if (e == 'u' && hex4(cp)) {
                if (cp >= 0xd800 && cp < 0xdc00 && t_.compare(at_, 2, "\\u") == 0) {
                    unsigned low = 0;
                    at_ += 2;
                    if (!hex4(low) || low < 0xdc00 || low > 0xdfff)
                        return fail("bad surrogate pair");
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                }
                utf8(cp, out);
            } else {
                return fail("bad escape in a string");
            }
        }
        if (at_ >= t_.size())
            return fail("unterminated string");
        at_++;
        return true;
    }
    bool number(JsonNode &out)
    {
        size_t start = at_;
        if (at_ < t_.size() && t_[at_] == '-')
            at_++;
        size_t digits = at_;
        while (at_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[at_])))
            at_++;
        if (at_ == digits || (t_[digits] == '0' && at_ - digits > 1))
            return fail("bad number");
        if (at_ < t_.size() && t_[at_] == '.') {
            size_t frac = ++at_;
            while (at_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[at_])))
                at_++;
            if (at_ == frac)
                return fail("bad number");
        }
        if (at_ < t_.size() && (t_[at_] == 'e' || t_[at_] == 'E')) {
            at_++;
            if (at_ < t_.size() && (t_[at_] == '+' || t_[at_] == '-'))
                at_++;
            size_t exp = at_;
            while (at_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[at_])))
                at_++;
            if (at_ == exp)
                return fail("bad number");
        }
        out.kind = JsonNode::kNumber;
        out.text = t_.substr(start, at_ - start);
        return true;
    }
    bool value(JsonNode &out, int depth)
    {
        if (depth > 64)
            return fail("nested too deeply");
        space();
        if (at_ >= t_.size())
            return fail("unexpected end of the document");
        char c = t_[at_];
        if (c == '{') {
            at_++;
            out.kind = JsonNode::kObject;
            if (eat('}'))
                return true;
            do {
                std::pair<std::string, JsonNode> f;
                if (!string(f.first) || !eat(':') || !value(f.second, depth + 1))
                    return fail("expected \"key\": value");
                out.fields.push_back(std::move(f));
            } while (eat(','));
            return eat('}') || fail("expected , or } in an object");
        }
        if (c == '[') {
            at_++;
            out.kind = JsonNode::kArray;
            if (eat(']'))
                return true;
            do {
                out.items.emplace_back();
                if (!value(out.items.back(), depth + 1))
                    return false;
            } while (eat(','));
            return eat(']') || fail("expected , or ] in an array");
        }
        if (c == '"') {
            out.kind = JsonNode::kString;
            return string(out.text);
        }
        if (c == 't')
            return literal("true", JsonNode::kBool, out);
        if (c == 'f')
            return literal("false", JsonNode::kBool, out);
        if (c == 'n')
            return literal("null", JsonNode::kNull, out);
        if (c != '-' && !std::isdigit(static_cast<unsigned char>(c)))
            return fail("not a JSON value");
        return number(out);
    }

    const std::string &t_;
    size_t at_ = 0;
    std::string error_;
};

} // namespace

bool parse_json(const std::string &text, JsonNode &out, std::string &error)
{
    out = JsonNode();
    return Parser(text).document(out, error);
}

} // namespace rmesim
