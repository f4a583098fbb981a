// What the hostile-host fuzzer does, as data: each action of a run is a few concrete operations
// (an RMI call, a host load or store, a realm writing its own granule), and a REC_ENTER carries
// the steps its realm took (an RSI or PSCI call, a load or store through its stage 2). A run can
// be replayed from them without the generator, so a violation is minimised by dropping
// operations (fuzz_minimize.hpp) and printed as a replay script that `fuzz_host --replay FILE`
// runs on a fresh world. The text, one operation per line, led by the action it came from:
//
//   1500 rmi 0xc4000151 0x80003000 0 0 0 0
//   1502 store 0x80004000 0x28          (host NS store, PA and value)
//   1503 load 0x80004008                (host NS load)
//   1504 realm-data 0x800a1010 0x5ec2e7...   (the realm of that DATA granule writes it)
//   1505 rmi 0xc400015c 0x80009000 0x80004000 0 0 0
//   1505   smc 0xc4000197 0x200000 0x201000 1 0 0 0 0 0 0   (x0..x9 of the realm's SMC)
//   1505   realm-store 0x200000 0x5ec2e7...   / realm-load 0x8000200000
#pragma once

#include <cinttypes>
#include <cstdio>
#include <istream>
#include <sstream>
#include <string>
#include <vector>

namespace fuzz
{

struct RealmStep {
    enum Kind : uint8_t { Smc, Load, Store } kind;
    uint64_t v[10]; // Smc: x0..x9; Load: IPA; Store: IPA, value
};

struct Op {
    enum Kind : uint8_t { Rmi, HostLoad, HostStore, RealmData } kind;
    uint64_t action; // the action of the run that made it
    uint64_t a[6];   // Rmi: FID, args 1-5; HostLoad: PA; HostStore/RealmData: PA, value
    std::vector<RealmStep> realm{}; // Rmi REC_ENTER: what its realm did, in order
};

inline std::string hex(uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%#" PRIx64, v);
    return b;
}

inline std::string op_text(const Op &op)
{
    static const char *const names[] = {"rmi", "load", "store", "realm-data"};
    static const unsigned words[] = {6, 1, 2, 2};
    std::string s = std::to_string(op.action) + " " + names[op.kind];
    for (unsigned i = 0; i < words[op.kind]; i++)
        s += " " + hex(op.a[i]);
    for (const RealmStep &st : op.realm) {
        static const char *const kinds[] = {"smc", "realm-load", "realm-store"};
        static const unsigned n[] = {10, 1, 2};
        s += "\n" + std::to_string(op.action) + "   " + kinds[st.kind];
        for (unsigned i = 0; i < n[st.kind]; i++)
            s += " " + hex(st.v[i]);
    }
    return s;
}

inline std::string replay_text(const std::vector<Op> &ops)
{
    std::string s;
    for (const Op &op : ops)
        s += op_text(op) + "\n";
    return s;
}

// Parse a replay script; false with *error naming the line and what is wrong.
inline bool parse_replay(std::istream &in, std::vector<Op> *ops, std::string *error)
{
    static const struct {
        const char *word;
        bool realm;
        uint8_t kind;
        unsigned n;
    } forms[] = {{"rmi", false, Op::Rmi, 6},
                 {"load", false, Op::HostLoad, 1},
                 {"store", false, Op::HostStore, 2},
                 {"realm-data", false, Op::RealmData, 2},
                 {"smc", true, RealmStep::Smc, 10},
                 {"realm-load", true, RealmStep::Load, 1},
                 {"realm-store", true, RealmStep::Store, 2}};
    std::string line;
    for (unsigned no = 1; std::getline(in, line); no++) {
        if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#')
            continue;
        std::istringstream words(line);
        std::string action, word;
        words >> action >> word;
        auto bad = [&](const std::string &why) {
            *error = "line " + std::to_string(no) + ": " + why + ": '" + line + "'";
            return false;
        };
        auto number = [](const std::string &w, uint64_t *v) {
            char *end;
            *v = strtoull(w.c_str(), &end, 0);
            return !w.empty() && !*end && w[0] != '-';
        };
        uint64_t act;
        if (!number(action, &act))
            return bad("an operation starts with its action number");
        const auto *f = std::begin(forms);
        while (f != std::end(forms) && word != f->word)
            f++;
        if (f == std::end(forms))
            return bad("unknown operation '" + word + "'");
        uint64_t v[10] = {};
        std::string w;
        unsigned n = 0;
        while (words >> w) {
            if (n == f->n || !number(w, &v[n]))
                return bad(n == f->n ? "too many values" : "'" + w + "' is not a number");
            n++;
        }
        if (n != f->n)
            return bad(word + " takes " + std::to_string(f->n) + " values");
        if (f->realm) {
            if (ops->empty() || ops->back().kind != Op::Rmi || ops->back().action != act)
                return bad("a realm step follows the REC_ENTER of its action");
            RealmStep st{RealmStep::Kind(f->kind), {}};
            std::copy(v, v + 10, st.v);
            ops->back().realm.push_back(st);
        } else {
            Op op{Op::Kind(f->kind), act, {v[0], v[1], v[2], v[3], v[4], v[5]}};
            ops->push_back(op);
        }
    }
    return true;
}

} // namespace fuzz
