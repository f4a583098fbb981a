#include "model/json_value.hpp"

#include <cstdlib>

namespace rmesim
{

const JsonValue *JsonValue::get(const std::string &key) const
{
    for (const auto &[k, v] : members_)
        if (k == key)
            return &v;
    return nullptr;
}

const JsonValue *JsonValue::at(std::initializer_list<const char *> path) const
{
    const JsonValue *v = this;
    for (const char *key : path)
        if (!v || !(v = v->get(key)))
            return nullptr;
    return v;
}

class JsonReader
{
  public:
    explicit JsonReader(const std::string &text) : s_(text) {}

    bool document(JsonValue &out)
    {
        if (!value(out, 0))
            return false;
        space();
        return pos_ == s_.size() || fail("text after the document");
    }
    std::string error;

  private:
    bool fail(const std::string &what)
    {
        unsigned line = 1, column = 1;
        for (size_t i = 0; i < pos_ && i < s_.size(); i++)
            s_[i] == '\n' ? (line++, column = 1) : column++;
        error = std::to_string(line) + ":" + std::to_string(column) + ": " + what;
        return false;
    }
    void space()
    {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
            pos_++;
    }
    bool word(const char *w)
    {
        size_t n = std::char_traits<char>::length(w);
        if (s_.compare(pos_, n, w) != 0)
            return false;
        pos_ += n;
        return true;
    }
    static void utf8(std::string &out, unsigned c)
    {
        if (c < 0x80) {
            out += char(c);
        } else if (c < 0x800) {
            out += char(0xC0 | (c >> 6));
            out += char(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += char(0xE0 | (c >> 12));
            out += char(0x80 | ((c >> 6) & 0x3F));
            out += char(0x80 | (c & 0x3F));
        } else {
            out += char(0xF0 | (c >> 18));
            out += char(0x80 | ((c >> 12) & 0x3F));
            out += char(0x80 | ((c >> 6) & 0x3F));
            out += char(0x80 | (c & 0x3F));
        }
    }
    bool hex4(unsigned &c)
    {
        if (pos_ + 4 > s_.size())
            return fail("a \\u escape needs four hex digits");
        c = 0;
        for (int i = 0; i < 4; i++) {
            char h = s_[pos_];
            unsigned d = h >= '0' && h <= '9'   ? unsigned(h - '0')
                         : h >= 'a' && h <= 'f' ? unsigned(h - 'a' + 10)
                         : h >= 'A' && h <= 'F' ? unsigned(h - 'A' + 10)
                                                : 16u;
            if (d == 16)
                return fail("a \\u escape needs four hex digits");
            pos_++;
            c = c * 16 + d;
        }
        return true;
    }
    bool string(std::string &out)
    {
        pos_++; /* the quote */
        while (pos_ < s_.size() && s_[pos_] != '"') {
            char ch = s_[pos_++];
            if (static_cast<unsigned char>(ch) < 0x20)
                return fail("a control character in a string");
            if (ch != '\\') {
                out += ch;
                continue;
            }
            if (pos_ >= s_.size())
                break;
            char e = s_[pos_++];
            unsigned c = 0;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                out += e;
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u':
                if (!hex4(c))
                    return false;
                if (c >= 0xD800 && c < 0xDC00 && word("\\u")) { /* a surrogate pair */
                    unsigned low = 0;
                    if (!hex4(low))
                        return false;
                    c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                }
                utf8(out, c);
                break;
            default:
                pos_--;
                return fail(std::string("unknown escape \\") + e);
            }
        }
        if (pos_ >= s_.size())
            return fail("a string is not closed");
        pos_++;
        return true;
    }
    bool number(JsonValue &out)
    {
        size_t start = pos_;
        if (s_[pos_] == '-')
            pos_++;
        size_t digits = pos_;
        while (pos_ < s_.size() &&
               ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.' || s_[pos_] == 'e' ||
                s_[pos_] == 'E' || s_[pos_] == '+' || s_[pos_] == '-'))
            pos_++;
        out.text_ = s_.substr(start, pos_ - start);
        char *end = nullptr;
        out.number_ = std::strtod(out.text_.c_str(), &end);
        if (digits == pos_ || *end || !(s_[digits] >= '0' && s_[digits] <= '9')) {
            pos_ = start;
            return fail("not a number: '" + out.text_ + "'");
        }
        out.kind_ = JsonValue::NUMBER;
        return true;
    }
    bool value(JsonValue &out, unsigned depth)
    {
        space();
        if (depth > 200)
            return fail("nested too deeply");
        if (pos_ >= s_.size())
            return fail("the document ends where a value was expected");
        char c = s_[pos_];
        if (c == '{' || c == '[') {
            bool object = c == '{';
            out.kind_ = object ? JsonValue::OBJECT : JsonValue::ARRAY;
            pos_++;
            space();
            if (pos_ < s_.size() && s_[pos_] == (object ? '}' : ']')) {
                pos_++;
                return true;
            }
            for (;;) {
                space();
                std::string key;
                if (object) {
                    if (pos_ >= s_.size() || s_[pos_] != '"')
                        return fail("expected a member's name in quotes");
                    if (!string(key))
                        return false;
                    space();
                    if (pos_ >= s_.size() || s_[pos_] != ':')
                        return fail("expected ':' after the member's name");
                    pos_++;
                }
                JsonValue v;
                if (!value(v, depth + 1))
                    return false;
                if (object)
                    out.members_.emplace_back(std::move(key), std::move(v));
                else
                    out.items_.push_back(std::move(v));
                space();
                if (pos_ < s_.size() && s_[pos_] == ',') {
                    pos_++;
                    continue;
                }
                if (pos_ < s_.size() && s_[pos_] == (object ? '}' : ']')) {
                    pos_++;
                    return true;
                }
                return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        }
        if (c == '"') {
            out.kind_ = JsonValue::STRING;
            return string(out.text_);
        }
        if (word("true") || word("false")) {
            out.kind_ = JsonValue::BOOL;
            out.flag_ = s_[pos_ - 1] == 'e' && s_[pos_ - 2] == 'u';
            return true;
        }
        if (word("null"))
            return true;
        if (c == '-' || (c >= '0' && c <= '9'))
            return number(out);
        return fail(std::string("unexpected '") + c + "'");
    }

    const std::string &s_;
    size_t pos_ = 0;
};

bool JsonValue::parse(const std::string &text, JsonValue &out, std::string &error)
{
    JsonReader r(text);
    out = JsonValue();
    if (r.document(out))
        return true;
    error = r.error;
    return false;
}

} // namespace rmesim
