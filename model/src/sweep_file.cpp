// The YAML of a sweep file (libyaml's document API) into a SweepFile: every key known, every
// value of the right shape, each mistake named with its file, line and column.
#include <sys/stat.h>
#include <yaml.h>

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "model/sweep_plan.hpp"

namespace rmesim::sweep
{

namespace
{

class Reader
{
  public:
    Reader(const std::string &file, yaml_document_t *doc, std::string &error)
        : file_(file), doc_(doc), error_(error)
    {
    }

    static Where where(const yaml_node_t *n)
    {
        return {int(n->start_mark.line) + 1, int(n->start_mark.column) + 1};
    }

    bool fail(Where at, const std::string &message)
    {
        error_ = file_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                 message;
        return false;
    }
    bool fail(const yaml_node_t *n, const std::string &message) { return fail(where(n), message); }

    yaml_node_t *node(int index) { return yaml_document_get_node(doc_, index); }

    static std::string text(const yaml_node_t *n)
    {
        return std::string(reinterpret_cast<const char *>(n->data.scalar.value),
                           n->data.scalar.length);
    }

    // A value for `--set PATH=VALUE`: a scalar that is not empty (YAML's null).
    bool value(const yaml_node_t *n, const std::string &what, std::string &out)
    {
        if (n->type != YAML_SCALAR_NODE)
            return fail(n, what + " must be a single value (a number or a word), not a " +
                               (n->type == YAML_MAPPING_NODE ? "map" : "list"));
        out = text(n);
        bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (out.empty() || (plain && (out == "~" || out == "null")))
            return fail(n, what + " has no value");
        if (out.find('\n') != std::string::npos)
            return fail(n, what + " must be on one line");
        return true;
    }

    // A parameter's path, as `--set` takes it: platform.timing.dram
    bool path(const yaml_node_t *n, std::string &out)
    {
        if (n->type != YAML_SCALAR_NODE)
            return fail(n, "a parameter must be a path such as platform.timing.dram");
        out = text(n);
        if (out.empty() || out.find_first_of("= \t\n") != std::string::npos || out.front() == '.' ||
            out.back() == '.' || out.find("..") != std::string::npos)
            return fail(n, "'" + out +
                               "' is not a parameter path (dotted keys such as "
                               "platform.timing.dram, no '=' or spaces)");
        return true;
    }

    // The keys of a map, each once; `each` gets the key's node and the value's.
    template <typename F> bool map(const yaml_node_t *n, const std::string &what, F each)
    {
        if (n->type != YAML_MAPPING_NODE)
            return fail(n, what + " must be a map");
        std::set<std::string> seen;
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = node(p->key), *v = node(p->value);
            if (k->type == YAML_SCALAR_NODE && !seen.insert(text(k)).second)
                return fail(k, "'" + text(k) + "' is given twice in " + what);
            if (!each(k, v))
                return false;
        }
        return true;
    }

    template <typename F> bool list(const yaml_node_t *n, const std::string &what, F each)
    {
        if (n->type != YAML_SEQUENCE_NODE)
            return fail(n, what + " must be a list");
        if (n->data.sequence.items.start == n->data.sequence.items.top)
            return fail(n, what + " is an empty list");
        for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
             i++)
            if (!each(node(*i)))
                return false;
        return true;
    }

    bool axes(const yaml_node_t *n, const char *section, std::vector<Axis> &out)
    {
        return map(n, section, [&](yaml_node_t *k, yaml_node_t *v) {
            Axis a;
            a.at = where(k);
            if (!path(k, a.path))
                return false;
            std::string what = std::string(section) + " " + a.path;
            if (v->type != YAML_SEQUENCE_NODE)
                return fail(v, what + " must be a list of values ([a, b, ...])");
            if (!list(v, what, [&](yaml_node_t *item) {
                    std::string value;
                    if (!this->value(item, "each value of " + what, value))
                        return false;
                    a.values.push_back(value);
                    return true;
                }))
                return false;
            out.push_back(a);
            return true;
        });
    }

    bool overrides(const yaml_node_t *n, const std::string &what, std::vector<Override> &out,
                   std::vector<Where> *at)
    {
        return map(n, what, [&](yaml_node_t *k, yaml_node_t *v) {
            Override o;
            if (!path(k, o.first) || !value(v, what + " " + o.first, o.second))
                return false;
            out.push_back(o);
            if (at)
                at->push_back(where(k));
            return true;
        });
    }

    bool document(yaml_node_t *root, SweepFile &s)
    {
        if (!root)
            return fail(Where{}, "the sweep file is empty (it needs scenarios:)");
        bool has_scenarios = false;
        bool ok = map(root, "the sweep file", [&](yaml_node_t *k, yaml_node_t *v) {
            std::string key = k->type == YAML_SCALAR_NODE ? text(k) : "";
            if (key == "scenarios") {
                has_scenarios = true;
                if (v->type == YAML_SCALAR_NODE)
                    return fail(v, "scenarios must be a list of files or globs ([a.yaml, "
                                   "dir/*.yaml])");
                return list(v, "scenarios", [&](yaml_node_t *item) {
                    std::string pattern;
                    if (!value(item, "a scenario", pattern))
                        return false;
                    s.scenarios.push_back({pattern, where(item)});
                    return true;
                });
            }
            if (key == "grid")
                return axes(v, "grid", s.grid);
            if (key == "zip")
                return axes(v, "zip", s.zip);
            if (key == "set")
                return overrides(v, "set", s.set, &s.set_at);
            if (key == "points")
                return list(v, "points", [&](yaml_node_t *item) {
                    s.points.emplace_back();
                    s.point_at.push_back(where(item));
                    return overrides(item, "point " + std::to_string(s.points.size() - 1),
                                     s.points.back(), nullptr);
                });
            return fail(k, "unknown key '" + key +
                               "' in the sweep file (expected: scenarios, grid, zip, points, set)");
        });
        if (ok && !has_scenarios)
            return fail(root, "the sweep file names no scenarios (scenarios: [FILE or GLOB...])");
        return ok;
    }

  private:
    std::string file_;
    yaml_document_t *doc_;
    std::string &error_;
};

} // namespace

bool parse_sweep_file(const std::string &text, const std::string &file, const std::string &base_dir,
                      SweepFile &sweep, std::string &error)
{
    sweep = SweepFile();
    sweep.file = file;
    sweep.base_dir = base_dir;
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char *>(text.data()),
                                 text.size());
    yaml_document_t doc;
    bool ok = yaml_parser_load(&parser, &doc);
    if (!ok) {
        error = file + ":" + std::to_string(parser.problem_mark.line + 1) + ":" +
                std::to_string(parser.problem_mark.column + 1) +
                ": YAML syntax error: " + (parser.problem ? parser.problem : "malformed YAML") +
                (parser.context ? std::string(" ") + parser.context : "");
        yaml_parser_delete(&parser);
        return false;
    }
    Reader reader(file, &doc, error);
    ok = reader.document(yaml_document_get_root_node(&doc), sweep);
    yaml_document_delete(&doc);
    if (ok) {
        /* a second document in the stream is a mistake, not something to ignore */
        yaml_document_t extra;
        if (yaml_parser_load(&parser, &extra)) {
            yaml_node_t *root = yaml_document_get_root_node(&extra);
            if (root)
                ok =
                    Reader(file, &extra, error).fail(root, "only one YAML document per sweep file");
            yaml_document_delete(&extra);
        }
    }
    yaml_parser_delete(&parser);
    return ok;
}

bool parse_plan(const std::string &text, const std::string &file, const std::string &base_dir,
                Plan &plan, std::string &error)
{
    SweepFile sweep;
    return parse_sweep_file(text, file, base_dir, sweep, error) && expand(sweep, plan, error);
}

bool load_plan(const std::string &path, Plan &plan, std::string &error)
{
    /* read whole, so a regular file of a sensible size: no FIFO or device to block on */
    const off_t limit = 16 << 20;
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > limit)) {
        error = path +
                (S_ISREG(st.st_mode)
                     ? ": " + std::to_string(st.st_size) + " bytes: a sweep file is at most 16 MB"
                     : std::string(": not a regular file (a sweep file is read whole)"));
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in || in.peek() == std::ifstream::traits_type::eof()) {
        error = path + (in ? ": the sweep file is empty"
                           : ": cannot read the sweep file: " + std::string(std::strerror(errno)));
        return false;
    }
    std::stringstream text;
    text << in.rdbuf();
    size_t slash = path.rfind('/');
    std::string base = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    return parse_plan(text.str(), path, base, plan, error);
}

} // namespace rmesim::sweep
