// `rmesim sweep` (docs/studies.md): a sweep file's points, each run as its own `rmesim run`
// process, on local workers or as a Slurm job array; a JSON document per point, written
// atomically in DIR/points; and the tables DIR/results.csv and DIR/results.jsonl.
#pragma once

#include <string>
#include <vector>

#include "model/options.hpp"
#include "model/sweep_plan.hpp"

namespace rmesim::sweep
{

using Options = SweepOptions;

// The command; its exit status (0 every point passed, 1 one failed or errored, 2 bad input).
int run_sweep(const Options &options);

// --- its parts ---

// This rmesim's own file (what a Slurm task runs).
std::string this_program();

// The per-point files: DIR/points/<id>.json, written from a finished `rmesim run`.
std::string point_path(const std::string &dir, const Point &p);
// What one point's run left, made into its point document (the results document with
// "point": {"id", "index"} first, or an error record); returns the document.
std::string point_document(const Point &p, int exit_code, const std::string &results,
                           const std::string &stderr_text);
// Writes `text` to `path` through a temporary file in the same directory and a rename, so that
// a reader (or a resumed sweep) sees the whole file or none of it.
bool write_atomically(const std::string &path, const std::string &text, std::string &error);
bool read_file(const std::string &path, std::string &text);

// Runs the points (their indexes) on `jobs` local workers; false if one failed or errored.
struct RunStats {
    size_t passed = 0, failed = 0, errors = 0;
};
RunStats run_points(const Plan &plan, const std::vector<size_t> &which, const Options &options);

// The tables from DIR/sweep.json and DIR/points/*.json: 0 every point passed, 1 some did not,
// 2 a point is missing or unreadable (`error` lists them).
int collect(const std::string &dir, std::string &error);
// The same tables from a plan and its point documents (in plan order), as text.
bool make_tables(const std::string &plan_json, const std::vector<std::string> &point_docs,
                 std::string &csv, std::string &jsonl, int &status, std::string &error);

// --slurm: DIR/sweep.sbatch, then sbatch; prints the job id.
int submit_slurm(const Plan &plan, const Options &options);

} // namespace rmesim::sweep
