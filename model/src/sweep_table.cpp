// The tables of a sweep, DIR/results.csv and DIR/results.jsonl: one row per point and step, in
// plan order then step order, made only from DIR/sweep.json and the point documents (no clock,
// no host), so two sweeps of the same file give the same bytes however they ran.
#include <sys/stat.h>

#include "model/json.hpp"
#include "model/json_reader.hpp"
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

Cell cell_of(const JsonNode &n)
{
    switch (n.kind) {
    case JsonNode::kString:
        return {n.text, Cell::kString};
    case JsonNode::kNumber:
    case JsonNode::kBool:
        return {n.text, Cell::kRaw};
    default:
        return {};
    }
}

Cell text_cell(const std::string &s)
{
    return {s, Cell::kString};
}

// A JSON value written back compactly (a failure that is not a plain string).
std::string compact(const JsonNode &n)
{
    switch (n.kind) {
    case JsonNode::kString:
        return Json::quote(n.text);
    case JsonNode::kArray: {
        std::string out;
        for (const JsonNode &i : n.items)
            out += (out.empty() ? "" : ",") + compact(i);
        return "[" + out + "]";
    }
    case JsonNode::kObject: {
        std::string out;
        for (const auto &f : n.fields)
            out += (out.empty() ? "" : ",") + Json::quote(f.first) + ":" + compact(f.second);
        return "{" + out + "}";
    }
    case JsonNode::kNull:
        return "null";
    default:
        return n.text;
    }
}

std::string failures_of(const JsonNode &list)
{
    std::string out;
    for (const JsonNode &f : list.items)
        out += (out.empty() ? "" : "; ") + (f.kind == JsonNode::kString ? f.text : compact(f));
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
    void row(const JsonNode &plan_point, const JsonNode *step, bool passed,
             const std::string &error, const std::string &step_id = "")
    {
        std::vector<Cell> cells = {text_cell(plan_point["id"].text),
                                   text_cell(plan_point["scenario"].text)};
        for (const std::string &p : parameters_) {
            const JsonNode &v = plan_point["overrides"][p];
            cells.push_back(v.kind == JsonNode::kString ? text_cell(v.text) : Cell{});
        }
        cells.push_back(step ? cell_of((*step)["step"]) : text_cell(step_id));
        for (const Column &c : step_columns()) {
            const JsonNode *n = step;
            for (const char *key : c.path)
                n = n ? &(*n)[key] : nullptr;
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
    JsonNode plan;
    if (!parse_json(plan_json, plan, error) || plan["format"].text != "rmesim-sweep/1") {
        error = "sweep.json is not a sweep plan" + (error.empty() ? "" : " (" + error + ")");
        return false;
    }
    std::vector<std::string> parameters;
    for (const JsonNode &p : plan["parameters"].items)
        parameters.push_back(p.text);
    const std::vector<JsonNode> &points = plan["points"].items;
    if (points.size() != point_docs.size()) {
        error = "internal: " + std::to_string(point_docs.size()) + " point documents for " +
                std::to_string(points.size()) + " points";
        return false;
    }
    Tables t(parameters);
    status = 0;
    for (size_t i = 0; i < points.size(); i++) {
        JsonNode doc;
        const std::string &id = points[i]["id"].text;
        if (!parse_json(point_docs[i], doc, error) || doc["point"]["id"].text != id) {
            error = "points/" + id + ".json is not the document of point " + id +
                    (error.empty() ? "" : " (" + error + ")");
            return false;
        }
        bool point_error = doc.has("error");
        if (point_error || doc["exit_code"].text != "0")
            status = 1;
        for (const JsonNode &step : doc["steps"].items)
            t.row(points[i], &step, step["passed"].is_true(), failures_of(step["failures"]));
        const JsonNode &final = doc["final"];
        if (point_error)
            t.row(points[i], nullptr, false, doc["error"].text);
        else if (!final["passed"].is_true())
            t.row(points[i], nullptr, false, failures_of(final["failures"]), "(final)");
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
    JsonNode parsed;
    if (!parse_json(plan, parsed, error)) {
        error = dir + "/sweep.json: not JSON (" + error + ")";
        return 2;
    }
    std::vector<std::string> docs, missing;
    for (const JsonNode &p : parsed["points"].items) {
        docs.emplace_back();
        if (!read_file(dir + "/points/" + p["id"].text + ".json", docs.back()))
            missing.push_back(p["id"].text);
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
