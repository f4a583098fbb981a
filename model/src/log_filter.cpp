#include "model/log_filter.hpp"

#include <cstdlib>

namespace rmesim
{

namespace
{
const char *const kKinds[] = {"access", "call", "exception", "eret", "step"};
// AccessStats::regime_name's names
const char *const kRegimes[] = {"ns_el2", "ns_el10", "realm_el10", "realm_el2", "el3"};

template <size_t N> bool one_of(const char *const (&names)[N], const std::string &v)
{
    for (const char *n : names)
        if (v == n)
            return true;
    return false;
}

template <size_t N> std::string listed(const char *const (&names)[N])
{
    std::string out;
    for (const char *n : names)
        out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

// "a|b|c" -> its values; false on an empty one.
bool split(const std::string &text, char sep, std::set<std::string> &out)
{
    size_t start = 0;
    while (true) {
        size_t end = text.find(sep, start);
        std::string part = text.substr(start, end == std::string::npos ? end : end - start);
        if (part.empty())
            return false;
        out.insert(part);
        if (end == std::string::npos)
            return true;
        start = end + 1;
    }
}
} // namespace

bool LogFilter::add(const std::string &expr, std::string &error)
{
    size_t start = 0;
    while (start <= expr.size()) {
        size_t comma = expr.find(',', start);
        if (comma == std::string::npos)
            comma = expr.size();
        std::string term = expr.substr(start, comma - start);
        start = comma + 1;
        size_t eq = term.find('=');
        std::string key = term.substr(0, eq);
        std::set<std::string> values;
        if (eq == std::string::npos || !split(term.substr(eq + 1), '|', values)) {
            error = "--log-filter: '" + term + "' is not KEY=VALUE[|VALUE...]";
            return false;
        }
        for (const std::string &v : values) {
            if (key == "step") {
                steps_.insert(v);
            } else if (key == "kind") {
                if (!one_of(kKinds, v)) {
                    error =
                        "--log-filter: unknown kind '" + v + "' (kinds: " + listed(kKinds) + ")";
                    return false;
                }
                kinds_.insert(v);
            } else if (key == "regime") {
                if (!one_of(kRegimes, v)) {
                    error = "--log-filter: unknown regime '" + v +
                            "' (regimes: " + listed(kRegimes) + ")";
                    return false;
                }
                regimes_.insert(v);
            } else if (key == "core") {
                char *end = nullptr;
                unsigned long core = std::strtoul(v.c_str(), &end, 10);
                if (*end || v[0] < '0' || v[0] > '9' || core > 0xFFFF) {
                    error = "--log-filter: core '" + v + "' is not a core number";
                    return false;
                }
                cores_.insert(unsigned(core));
            } else {
                error = "--log-filter: unknown key '" + key + "' (keys: step, core, regime, kind)";
                return false;
            }
        }
    }
    /* only access records have a regime: a regime with only other kinds selects nothing */
    if (!regimes_.empty() && !kinds_.empty() && !kinds_.count("access")) {
        error = "--log-filter: only access records have a regime, and kind does not include "
                "access: the log would be empty";
        return false;
    }
    return true;
}

bool LogFilter::keeps(const char *kind, const std::string &step, unsigned core,
                      const char *regime) const
{
    return (kinds_.empty() || kinds_.count(kind)) && (steps_.empty() || steps_.count(step)) &&
           (cores_.empty() || cores_.count(core)) &&
           (regimes_.empty() || (regime && regimes_.count(regime)));
}

} // namespace rmesim
