// A violation's replay made small: the operations since the world was last built are replayed on
// a fresh world without the generator (fuzz_ops.hpp), and delta debugging (Zeller and
// Hildebrandt, "Simplifying and Isolating Failure-Inducing Input", 2002: drop a complement, or
// split finer) keeps dropping operations while the first violation's sentence still appears.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "fuzz_world.hpp"

namespace fuzz
{

// A corruption made after action `at` (tests only): in a replay, before the first operation of
// a later action, or at the end.
struct Sabotage {
    uint64_t at = 0;
    std::function<void(rmm &, Env &)> fn;
};

// Run ops on a fresh world; the violations found. each: the invariants after every operation,
// stopping at the first violation (else once, at the end: enough for the minimiser, much faster).
inline std::vector<std::string> replay(const std::vector<Op> &ops, const Sabotage &sab, bool each)
{
    World w;
    bool sabotaged = !sab.fn;
    for (const Op &op : ops) {
        if (!sabotaged && op.action > sab.at) {
            sab.fn(w.r(), w.env());
            sabotaged = true;
        }
        Op copy = op;
        w.exec(copy, false);
        if (each)
            w.check();
        if (!w.found.empty())
            return w.found;
    }
    if (!sabotaged)
        sab.fn(w.r(), w.env());
    w.check();
    return w.found;
}

inline bool reproduces(const std::vector<Op> &ops, const Sabotage &sab, const std::string &want)
{
    std::vector<std::string> got = replay(ops, sab, false);
    return std::find(got.begin(), got.end(), want) != got.end();
}

// The smallest list ddmin finds (1-minimal at the level of operations) within `budget` replays.
inline std::vector<Op> minimise(std::vector<Op> ops, const Sabotage &sab, const std::string &want,
                                unsigned budget = 3000)
{
    size_t n = 2;
    while (ops.size() >= 2 && budget) {
        size_t chunk = (ops.size() + n - 1) / n;
        bool reduced = false;
        for (size_t start = 0; start < ops.size() && budget; start += chunk, budget--) {
            std::vector<Op> rest(ops.begin(), ops.begin() + start);
            rest.insert(rest.end(), ops.begin() + std::min(ops.size(), start + chunk), ops.end());
            if (reproduces(rest, sab, want)) {
                ops = std::move(rest);
                n = std::max<size_t>(n - 1, 2);
                reduced = true;
                break;
            }
        }
        if (!reduced) {
            if (n >= ops.size())
                break;
            n = std::min(ops.size(), 2 * n);
        }
    }
    return ops;
}

} // namespace fuzz
