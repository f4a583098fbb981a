// A small JSON reader for tests: parses a whole document into a tree (objects keep their keys
// in a map), and fails the test on anything that is not JSON.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct JsonValue {
    enum Kind { NUL, BOOL, NUMBER, STRING, ARRAY, OBJECT } kind = NUL;
    bool flag = false;
    double number = 0;
    std::string text;
    std::vector<JsonValue> items;
    std::map<std::string, JsonValue> fields;

    const JsonValue &operator[](const std::string &key) const
    {
        static const JsonValue missing;
        auto it = fields.find(key);
        return it == fields.end() ? missing : it->second;
    }
    const JsonValue &operator[](size_t i) const { return items.at(i); }
    bool has(const std::string &key) const { return fields.count(key) != 0; }
};

class JsonReader
{
  public:
    // The document, or a NUL value with ok() false.
    static JsonValue parse(const std::string &text, bool &ok)
    {
        JsonReader r(text);
        JsonValue v = r.value();
        r.space();
        ok = r.ok_ && r.at_ == text.size();
        return v;
    }

  private:
    explicit JsonReader(const std::string &t) : t_(t) {}
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
    bool word(const char *w)
    {
        std::string s(w);
        if (t_.compare(at_, s.size(), s) != 0)
            return false;
        at_ += s.size();
        return true;
    }
    std::string string()
    {
        std::string out;
        if (!eat('"'))
            return ok_ = false, out;
        while (at_ < t_.size() && t_[at_] != '"') {
            char c = t_[at_++];
            if (c == '\\' && at_ < t_.size()) {
                char e = t_[at_++];
                if (e == 'u') { /* tests only meet ASCII escapes */
                    out += char(std::strtol(t_.substr(at_, 4).c_str(), nullptr, 16));
                    at_ += 4;
                } else {
                    out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                }
            } else {
                out += c;
            }
        }
        if (!eat('"'))
            ok_ = false;
        return out;
    }
    JsonValue value()
    {
        JsonValue v;
        space();
        if (at_ >= t_.size())
            return ok_ = false, v;
        char c = t_[at_];
        if (c == '{') {
            v.kind = JsonValue::OBJECT;
            at_++;
            if (eat('}'))
                return v;
            do {
                std::string key = string();
                if (!eat(':'))
                    return ok_ = false, v;
                v.fields[key] = value();
            } while (ok_ && eat(','));
            if (!eat('}'))
                ok_ = false;
        } else if (c == '[') {
            v.kind = JsonValue::ARRAY;
            at_++;
            if (eat(']'))
                return v;
            do
                v.items.push_back(value());
            while (ok_ && eat(','));
            if (!eat(']'))
                ok_ = false;
        } else if (c == '"') {
            v.kind = JsonValue::STRING;
            v.text = string();
        } else if (word("true") || word("false")) {
            v.kind = JsonValue::BOOL;
            v.flag = t_[at_ - 1] == 'e' && t_[at_ - 2] == 'u';
        } else if (word("null")) {
            v.kind = JsonValue::NUL;
        } else {
            char *end = nullptr;
            v.kind = JsonValue::NUMBER;
            v.number = std::strtod(t_.c_str() + at_, &end);
            if (end == t_.c_str() + at_)
                ok_ = false;
            at_ = size_t(end - t_.c_str());
        }
        return v;
    }

    const std::string &t_;
    size_t at_ = 0;
    bool ok_ = true;
};
