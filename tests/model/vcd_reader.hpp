// Reading rmesim's outputs back in tests: a file's text, a directory of the test process's own
// for them, and a minimal VCD reader.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

// A directory only this test process writes in (two suites may run at once on one machine).
inline std::string test_dir()
{
    static const std::string dir = [] {
        std::string d = ::testing::TempDir() + "rmesim-test-" + std::to_string(getpid());
        std::string cmd = "mkdir -p " + d;
        if (std::system(cmd.c_str()) != 0)
            return ::testing::TempDir();
        return d + "/";
    }();
    return dir;
}

inline std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A minimal VCD reader: signal paths by identifier, and every change with its time. An
// enumerated signal (a VCD string) has its name in `text`; an idle vector has text "x".
struct Vcd {
    std::map<std::string, std::string> path_of; // id -> "core0.fault"
    struct Change {
        uint64_t time;
        std::string path;
        uint64_t value;
        std::string text;
    };
    std::vector<Change> changes;

    explicit Vcd(const std::string &text)
    {
        std::istringstream in(text);
        std::string line;
        std::vector<std::string> scope;
        uint64_t now = 0;
        bool defs = true;
        while (std::getline(in, line)) {
            std::istringstream w(line);
            std::string tok;
            w >> tok;
            if (defs) {
                if (tok == "$scope") {
                    std::string kind, name;
                    w >> kind >> name;
                    scope.push_back(name);
                } else if (tok == "$upscope") {
                    scope.pop_back();
                } else if (tok == "$var") {
                    std::string type, width, id, name;
                    w >> type >> width >> id >> name;
                    std::string path;
                    for (size_t i = 1; i < scope.size(); i++) // drop the "rmesim" root
                        path += scope[i] + ".";
                    path_of[id] = path + name;
                } else if (tok == "$enddefinitions") {
                    defs = false;
                }
                continue;
            }
            if (tok.empty())
                continue;
            if (tok[0] == '#') {
                now = std::stoull(tok.substr(1));
            } else if (tok[0] == 'b') {
                std::string id;
                w >> id;
                if (tok == "bx")
                    changes.push_back({now, path_of[id], 0, "x"});
                else
                    changes.push_back(
                        {now, path_of[id], std::stoull(tok.substr(1), nullptr, 2), ""});
            } else if (tok[0] == 's') {
                std::string id;
                w >> id;
                changes.push_back({now, path_of[id], 0, tok.substr(1)});
            } else if (tok[0] == '0' || tok[0] == '1' || tok[0] == 'x') {
                changes.push_back({now, path_of[tok.substr(1)], uint64_t(tok[0] == '1'),
                                   tok[0] == 'x' ? "x" : ""});
            }
        }
    }
    // The value of a signal at time t (the last change at or before t).
    uint64_t at(const std::string &path, uint64_t t) const
    {
        uint64_t v = 0;
        for (const auto &c : changes)
            if (c.path == path && c.time <= t)
                v = c.value;
        return v;
    }
    // The text of an enumerated signal at time t ("" before its first change).
    std::string text_at(const std::string &path, uint64_t t) const
    {
        std::string v;
        for (const auto &c : changes)
            if (c.path == path && c.time <= t)
                v = c.text;
        return v;
    }
    // The first time a signal takes a value (or, for an enumeration, a name), at or after `from`.
    int64_t first(const std::string &path, uint64_t value, uint64_t from = 0) const
    {
        for (const auto &c : changes)
            if (c.path == path && c.text.empty() && c.value == value && c.time >= from)
                return int64_t(c.time);
        return -1;
    }
    int64_t first(const std::string &path, const std::string &text, uint64_t from = 0) const
    {
        for (const auto &c : changes)
            if (c.path == path && c.text == text && c.time >= from)
                return int64_t(c.time);
        return -1;
    }
};
