// One point's document, DIR/points/<id>.json: the results document its `rmesim run` wrote with
// "point": {"id", "index"} put first, or, when the run did not get that far (exit 2, a signal,
// no results), an error record with the run's own message. Written atomically.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "model/json.hpp"
#include "model/json_value.hpp"
#include "model/output_file.hpp"
#include "model/sweep.hpp"

namespace rmesim::sweep
{

namespace
{

std::string point_field(const Point &p)
{
    Json j;
    j.begin_object().field("id", p.id).field("index", uint64_t(p.index)).end_object();
    return j.str();
}

// The run's message: its standard error without the "rmesim: " of each line, lines joined.
std::string message_of(const std::string &stderr_text)
{
    std::string out, line;
    std::istringstream in(stderr_text);
    while (std::getline(in, line)) {
        if (line.compare(0, 8, "rmesim: ") == 0)
            line.erase(0, 8);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty())
            out += (out.empty() ? "" : "; ") + line;
    }
    return out;
}

std::string error_document(const Point &p, int exit_code, const std::string &message)
{
    Json j;
    j.begin_object().raw("point", point_field(p)).field("scenario", p.scenario);
    j.begin_object("overrides");
    for (const Override &o : p.overrides)
        j.field(o.first.c_str(), o.second);
    j.end_object().field("exit_code", exit_code).field("error", message);
    j.begin_array("steps").end_array();
    j.begin_object("final").field("passed", false).begin_array("failures").end_array();
    return j.end_object().end_object().str() + "\n";
}

} // namespace

std::string point_path(const std::string &dir, const Point &p)
{
    return dir + "/points/" + p.id + ".json";
}

std::string point_document(const Point &p, int exit_code, const std::string &results,
                           const std::string &stderr_text)
{
    std::string message = message_of(stderr_text);
    if (exit_code == 0 || exit_code == 1) {
        JsonValue doc;
        std::string why;
        const JsonValue *format = nullptr, *code = nullptr;
        if (results.empty())
            why = "it wrote no results document";
        else if (!JsonValue::parse(results, doc, why))
            why = "its results document is not JSON (" + why + ")";
        else if (!(format = doc.get("format")) || format->text() != "rmesim-results/1")
            why = "its results document is not rmesim-results/1";
        else if (!(code = doc.get("exit_code")) || code->text() != std::to_string(exit_code))
            why = "its results document says exit_code " + (code ? code->text() : "nothing") +
                  " but it exited with " + std::to_string(exit_code);
        if (why.empty()) {
            size_t brace = results.find('{');
            std::string rest = results.substr(brace + 1);
            size_t first = rest.find_first_not_of(" \t\r\n");
            bool empty = first != std::string::npos && rest[first] == '}';
            std::string out = "{\"point\":" + point_field(p) + (empty ? "" : ",") + rest;
            return out.back() == '\n' ? out : out + "\n";
        }
        return error_document(p, 2,
                              "rmesim run exited with " + std::to_string(exit_code) + " but " +
                                  why + (message.empty() ? "" : ": " + message));
    }
    if (exit_code >= 128)
        return error_document(p, exit_code,
                              "rmesim run ended by signal " + std::to_string(exit_code - 128) +
                                  (message.empty() ? "" : ": " + message));
    return error_document(p, exit_code,
                          message.empty() ? "rmesim run exited with " + std::to_string(exit_code)
                                          : message);
}

bool read_file(const std::string &path, std::string &text)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::stringstream s;
    s << in.rdbuf();
    text = s.str();
    return true;
}

bool write_atomically(const std::string &path, const std::string &text, std::string &error)
{
    OutputFile out;
    if (!out.open(path, error))
        return false;
    std::fwrite(text.data(), 1, text.size(), out.file()); /* a failed write: commit says so */
    return out.commit(error);
}

} // namespace rmesim::sweep
