// Reading a run's results and a sweep's directory for `rmesim report`.
#include "model/report_model.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "model/json_value.hpp"

namespace rmesim::report
{

namespace
{

// The reader of one document: each getter records the first problem, naming the field.
class Fields
{
  public:
    explicit Fields(std::string file) : file_(std::move(file)) {}
    std::string error;

    const JsonValue *member(const JsonValue &o, const char *key, JsonValue::Kind kind,
                            const std::string &where)
    {
        const JsonValue *v = o.get(key);
        if (!v || !v->is(kind))
            fail(where + key + (v ? " has the wrong type" : " is missing"));
        return v && v->is(kind) ? v : nullptr;
    }
    uint64_t count(const JsonValue &o, const char *key, const std::string &where)
    {
        const JsonValue *v = member(o, key, JsonValue::NUMBER, where);
        if (!v)
            return 0;
        if (v->text().find_first_not_of("0123456789") != std::string::npos) {
            fail(where + key + " is not a count: " + v->text());
            return 0;
        }
        errno = 0;
        uint64_t n = std::strtoull(v->text().c_str(), nullptr, 10);
        if (errno)
            fail(where + key + " is out of range: " + v->text());
        return n;
    }
    std::string text(const JsonValue &o, const char *key, const std::string &where)
    {
        const JsonValue *v = member(o, key, JsonValue::STRING, where);
        return v ? v->text() : std::string();
    }
    bool flag(const JsonValue &o, const char *key, const std::string &where)
    {
        const JsonValue *v = member(o, key, JsonValue::BOOL, where);
        return v && v->boolean();
    }
    std::vector<std::string> texts(const JsonValue &o, const char *key, const std::string &where)
    {
        std::vector<std::string> out;
        if (const JsonValue *v = member(o, key, JsonValue::ARRAY, where))
            for (const JsonValue &item : v->items())
                item.is(JsonValue::STRING) ? out.push_back(item.text())
                                           : fail(where + key + " holds a non-string");
        return out;
    }
    std::vector<std::pair<std::string, std::string>> pairs(const JsonValue &o, const char *key,
                                                           const std::string &where)
    {
        std::vector<std::pair<std::string, std::string>> out;
        if (const JsonValue *v = member(o, key, JsonValue::OBJECT, where))
            for (const auto &[k, value] : v->members())
                out.emplace_back(k, value.is(JsonValue::STRING) ? value.text() : value.text());
        return out;
    }
    Rate rate(const JsonValue &o, const char *key, const std::string &where)
    {
        Rate r;
        if (const JsonValue *v = member(o, key, JsonValue::OBJECT, where)) {
            r.lookups = count(*v, "lookups", where + key + ".");
            r.hits = count(*v, "hits", where + key + ".");
        }
        return r;
    }
    void fail(const std::string &what)
    {
        if (error.empty())
            error = file_ + ": " + what;
    }

  private:
    std::string file_;
};

void read_step(Fields &f, const JsonValue &s, const std::string &where, Step &st)
{
    st.id = f.text(s, "step", where);
    st.actor = f.text(s, "actor", where);
    st.action = f.text(s, "action", where);
    st.index = unsigned(f.count(s, "index", where));
    st.core = unsigned(f.count(s, "core", where));
    st.start_cycle = f.count(s, "start_cycle", where);
    st.cycles = f.count(s, "cycles", where);
    st.passed = f.flag(s, "passed", where);
    st.failures = f.texts(s, "failures", where);
    if (const JsonValue *cost = f.member(s, "cost", JsonValue::OBJECT, where))
        for (size_t w = 0; w < kSoftware.size(); w++)
            st.cost[w] = f.count(*cost, kSoftware[w], where + "cost.");
    if (const JsonValue *sc = f.member(s, "stage_cycles", JsonValue::OBJECT, where)) {
        for (size_t k = 0; k < kStages.size(); k++)
            st.stages[k] = f.count(*sc, kStages[k], where + "stage_cycles.");
        st.stage_total = f.count(*sc, "total", where + "stage_cycles.");
    }
    st.accesses = f.count(s, "accesses", where);
    st.tlb = f.rate(s, "tlb", where);
    st.gpt_cache = f.rate(s, "gpt_cache", where);
    if (const JsonValue *h = f.member(s, "latency_histogram", JsonValue::ARRAY, where))
        for (const JsonValue &b : h->items())
            st.histogram.emplace_back(f.count(b, "below", where + "latency_histogram[]."),
                                      f.count(b, "accesses", where + "latency_histogram[]."));
    if (const JsonValue *e = s.get("explain")) {
        st.has_explain = e->is(JsonValue::STRING);
        st.explain = e->text();
    }
}

bool parse_file(const std::string &path, JsonValue &doc, std::string &error)
{
    std::string text;
    if (!read_text(path, text, error))
        return false;
    if (!JsonValue::parse(text, doc, error)) {
        error = path + ":" + error + " (not JSON)";
        return false;
    }
    return true;
}

} // namespace

bool read_text(const std::string &path, std::string &text, std::string &error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read " + path + ": " + std::strerror(errno);
        return false;
    }
    std::ostringstream all;
    all << in.rdbuf();
    text = all.str();
    return true;
}

bool read_run(const std::string &path, Run &out, std::string &error)
{
    JsonValue doc;
    if (!parse_file(path, doc, error))
        return false;
    const JsonValue *format = doc.get("format");
    if (!doc.is(JsonValue::OBJECT) || !format || format->text() != "rmesim-results/1") {
        error = path + ": not an rmesim results document (no \"format\": \"rmesim-results/1\"; "
                       "`rmesim run SCENARIO --results FILE` writes one)";
        return false;
    }
    Fields f(path);
    out.file = path;
    out.scenario = f.text(doc, "scenario", "");
    out.overrides = f.pairs(doc, "overrides", "");
    out.exit_code = int(f.count(doc, "exit_code", ""));
    out.clock_mhz = unsigned(f.count(doc, "clock_mhz", ""));
    out.cycles = f.count(doc, "cycles", "");
    if (const JsonValue *steps = f.member(doc, "steps", JsonValue::ARRAY, ""))
        for (size_t i = 0; i < steps->items().size(); i++) {
            out.steps.emplace_back();
            read_step(f, steps->items()[i], "steps[" + std::to_string(i) + "].", out.steps.back());
        }
    if (const JsonValue *fin = f.member(doc, "final", JsonValue::OBJECT, "")) {
        out.final_passed = f.flag(*fin, "passed", "final.");
        out.final_failures = f.texts(*fin, "failures", "final.");
    }
    if (const JsonValue *point = doc.get("point")) {
        out.point_id = f.text(*point, "id", "point.");
        out.point_index = f.count(*point, "index", "point.");
    }
    error = f.error;
    return error.empty();
}

bool read_sweep(const std::string &dir, Sweep &out, std::string &error)
{
    std::string index = dir + "/sweep.json";
    JsonValue doc;
    if (!parse_file(index, doc, error))
        return false;
    Fields f(index);
    out.dir = dir;
    out.parameters = f.texts(doc, "parameters", "");
    if (const JsonValue *points = f.member(doc, "points", JsonValue::ARRAY, ""))
        for (size_t i = 0; i < points->items().size(); i++) {
            const JsonValue &p = points->items()[i];
            std::string where = "points[" + std::to_string(i) + "].";
            Point pt;
            pt.id = f.text(p, "id", where);
            pt.scenario = f.text(p, "scenario", where);
            pt.overrides = f.pairs(p, "overrides", where);
            out.points.push_back(std::move(pt));
        }
    if (!f.error.empty()) {
        error = f.error;
        return false;
    }
    for (Point &pt : out.points) {
        std::string file = dir + "/points/" + pt.id + ".json";
        if (access(file.c_str(), F_OK) != 0) { /* the sweep has not got to it (yet) */
            pt.missing = "not run yet";
            continue;
        }
        JsonValue point;
        if (!parse_file(file, point, error))
            return false;
        const JsonValue *failed = point.get("error");
        if (!point.get("format") && failed && failed->is(JsonValue::STRING)) {
            pt.missing = failed->text();
            continue;
        }
        if (!read_run(file, pt.run, error))
            return false;
        pt.has_run = true;
    }
    return true;
}

} // namespace rmesim::report
