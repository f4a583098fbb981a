// The tables of a sweep, DIR/results.csv and DIR/results.jsonl: one row per point and step, in
// plan order then step order, made only from DIR/sweep.json and the point documents (no clock,
// no host), so two sweeps of the same file give the same bytes however they ran.
#include <sys/stat.h>

#include "model/json.hpp"
#include "model/json_value.hpp"
#include "model/sweep.hpp"

namespace rmesim::sweep
{

namespace
{

// A column: its name, and where its value is in a step of the results document.
struct Column {
    const char *name;
    std::vector<const char *> path; // {"cost", "host"}
};

const std::vector<Column> &step_columns()
{
    static const std::vector<Column> columns = {
        {"action", {"action"}},
        {"core", {"core"}},
        {"cycles", {"cycles"}},
        {"cost.host", {"cost", "host"}},
        {"cost.el3", {"cost", "el3"}},
        {"cost.rmm", {"cost", "rmm"}},
        {"cost.realm", {"cost", "realm"}},
        {"cost.vmm", {"cost", "vmm"}},
        {"stage.tlb", {"stage_cycles", "tlb"}},
        {"stage.s1_walk", {"stage_cycles", "s1_walk"}},
        {"stage.s2_walk", {"stage_cycles", "s2_walk"}},
        {"stage.walk", {"stage_cycles", "walk"}},
        {"stage.gpc", {"stage_cycles", "gpc"}},
        {"stage.memory", {"stage_cycles", "memory"}},
        {"stage.total", {"stage_cycles", "total"}},
        {"tlb_hit_rate", {"tlb", "hit_rate"}},
        {"gpt_cache_hit_rate", {"gpt_cache", "hit_rate"}},
        {"accesses", {"accesses"}},
    };
    return columns;
}

// A cell: its text, and how JSON writes it.
struct Cell {
    std::string text;
    enum { kMissing, kString, kRaw } as = kMissing;
};

// A member by its path, or a null value when there is none.
const JsonValue &at(const JsonValue &v, std::initializer_list<const char *> path)
{
    static const JsonValue null;
    const JsonValue *found = v.at(path);
    return found ? *found : null;
}

bool is_true(const JsonValue &v)
{
    return v.is(JsonValue::BOOL) && v.boolean();
}

Cell cell_of(const JsonValue &n)
{
    switch (n.kind()) {
    case JsonValue::STRING:
        return {n.text(), Cell::kString};
    case JsonValue::NUMBER:
        return {n.text(), Cell::kRaw};
    case JsonValue::BOOL:
        return {n.boolean() ? "true" : "false", Cell::kRaw};
    default:
        return {};
    }
}

Cell text_cell(const std::string &s)
{
    return {s, Cell::kString};
}

// A JSON value written back compactly (a failure that is not a plain string).
std::string compact(const JsonValue &n)
{
    switch (n.kind()) {
    case JsonValue::STRING:
        return Json::quote(n.text());
    case JsonValue::ARRAY: {
        std::string out;
        for (const JsonValue &i : n.items())
            out += (out.empty() ? "" : ",") + compact(i);
        return "[" + out + "]";
    }
    case JsonValue::OBJECT: {
        std::string out;
        for (const auto &f : n.members())
            out += (out.empty() ? "" : ",") + Json::quote(f.first) + ":" + compact(f.second);
        return "{" + out + "}";
    }
    case JsonValue::NUL:
        return "null";
    case JsonValue::BOOL:
        return n.boolean() ? "true" : "false";
    default:
        return n.text();
    }
}

std::string failures_of(const JsonValue &list)
{
    std::string out;
    for (const JsonValue &f : list.items())
        out += (out.empty() ? "" : "; ") + (f.is(JsonValue::STRING) ? f.text() : compact(f));
    return out;
}

std::string csv_field(const std::string &s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

class Tables
{
  public:
    explicit Tables(const std::vector<std::string> &parameters) : parameters_(parameters)
    {
        std::vector<std::string> names = {"point", "scenario"};
        names.insert(names.end(), parameters.begin(), parameters.end());
        names.push_back("step");
        for (const Column &c : step_columns())
            names.push_back(c.name);
        names.insert(names.end(), {"passed", "error"});
        for (size_t i = 0; i < names.size(); i++)
            csv += (i ? "," : "") + csv_field(names[i]);
        csv += "\n";
        names_ = names;
    }

    // A row for a step (`step` null: the point has no step to show, `error` says why).
    void row(const JsonValue &plan_point, const JsonValue *step, bool passed,
             const std::string &error, const std::string &step_id = "")
    {
        std::vector<Cell> cells = {text_cell(at(plan_point, {"id"}).text()),
                                   text_cell(at(plan_point, {"scenario"}).text())};
        for (const std::string &p : parameters_) {
            const JsonValue &v = at(plan_point, {"overrides", p.c_str()});
            cells.push_back(v.is(JsonValue::STRING) ? text_cell(v.text()) : Cell{});
        }
        cells.push_back(step ? cell_of(at(*step, {"step"})) : text_cell(step_id));
        for (const Column &c : step_columns()) {
            const JsonValue *n = step;
            for (const char *key : c.path)
                n = n ? n->get(key) : nullptr;
            cells.push_back(n ? cell_of(*n) : Cell{});
        }
        cells.push_back({passed ? "true" : "false", Cell::kRaw});
        cells.push_back(text_cell(error));
        Json j;
        j.begin_object();
        for (size_t i = 0; i < cells.size(); i++) {
            csv += (i ? "," : "") + csv_field(cells[i].text);
            if (cells[i].as == Cell::kString)
                j.field(names_[i].c_str(), cells[i].text);
            else
                j.raw(names_[i].c_str(), cells[i].as == Cell::kRaw ? cells[i].text : "null");
        }
        csv += "\n";
        jsonl += j.end_object().str() + "\n";
    }

    std::string csv, jsonl;

  private:
    std::vector<std::string> parameters_, names_;
};

} // namespace

bool make_tables(const std::string &plan_json, const std::vector<std::string> &point_docs,
                 std::string &csv, std::string &jsonl, int &status, std::string &error)
{
    JsonValue plan;
    if (!JsonValue::parse(plan_json, plan, error) ||
        at(plan, {"format"}).text() != "rmesim-sweep/1") {
        error = "sweep.json is not a sweep plan" + (error.empty() ? "" : " (" + error + ")");
        return false;
    }
    std::vector<std::string> parameters;
    for (const JsonValue &p : at(plan, {"parameters"}).items())
        parameters.push_back(p.text());
    const std::vector<JsonValue> &points = at(plan, {"points"}).items();
    if (points.size() != point_docs.size()) {
        error = "internal: " + std::to_string(point_docs.size()) + " point documents for " +
                std::to_string(points.size()) + " points";
        return false;
    }
    Tables t(parameters);
    status = 0;
    for (size_t i = 0; i < points.size(); i++) {
        JsonValue doc;
        const std::string &id = at(points[i], {"id"}).text();
        if (!JsonValue::parse(point_docs[i], doc, error) || at(doc, {"point", "id"}).text() != id) {
            error = "points/" + id + ".json is not the document of point " + id +
                    (error.empty() ? "" : " (" + error + ")");
            return false;
        }
        bool point_error = doc.get("error") != nullptr;
        if (point_error || at(doc, {"exit_code"}).text() != "0")
            status = 1;
        for (const JsonValue &step : at(doc, {"steps"}).items())
            t.row(points[i], &step, is_true(at(step, {"passed"})),
                  failures_of(at(step, {"failures"})));
        if (point_error)
            t.row(points[i], nullptr, false, at(doc, {"error"}).text());
        else if (!is_true(at(doc, {"final", "passed"})))
            t.row(points[i], nullptr, false, failures_of(at(doc, {"final", "failures"})),
                  "(final)");
    }
    csv = t.csv;
    jsonl = t.jsonl;
    return true;
}

int collect(const std::string &dir, std::string &error)
{
    std::string plan;
    if (!read_file(dir + "/sweep.json", plan)) {
        error = dir + ": no sweep.json: not a sweep's directory (rmesim sweep SWEEP.yaml -o DIR)";
        return 2;
    }
    JsonValue parsed;
    if (!JsonValue::parse(plan, parsed, error)) {
        error = dir + "/sweep.json: not JSON (" + error + ")";
        return 2;
    }
    std::vector<std::string> docs, missing;
    for (const JsonValue &p : at(parsed, {"points"}).items()) {
        docs.emplace_back();
        const std::string &id = at(p, {"id"}).text();
        if (!read_file(dir + "/points/" + id + ".json", docs.back()))
            missing.push_back(id);
    }
    if (!missing.empty()) {
        std::string list;
        for (size_t i = 0; i < missing.size() && i < 20; i++)
            list += (i ? ", " : "") + missing[i];
        error = dir + ": " + std::to_string(missing.size()) + " of " + std::to_string(docs.size()) +
                " points have no results yet: " + list + (missing.size() > 20 ? ", ..." : "") +
                " (run them with `rmesim sweep SWEEP.yaml -o DIR --resume`)";
        return 2;
    }
    std::string csv, jsonl;
    int status = 0;
    if (!make_tables(plan, docs, csv, jsonl, status, error)) {
        error = dir + "/" + error;
        return 2;
    }
    if (!write_atomically(dir + "/results.csv", csv, error) ||
        !write_atomically(dir + "/results.jsonl", jsonl, error))
        return 2;
    return status;
}

} // namespace rmesim::sweep
